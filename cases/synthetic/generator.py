"""Synthetic cases as plain Python values, deterministic for a seed and a case number.

Case number ``i`` of seed ``s`` is always the same case, whatever the batch size or
how many cases are generated: ``--cases 1000`` is the first thousand of
``--cases 1000000``, and a load that stopped half-way continues where it was.
Nothing here touches the database; ``cases.synthetic.loader`` stores the rows.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cases.models.choices import ConsentScope, Criteria
from cases.synthetic import calcinosis
from cases.synthetic import profiles as P
from cases.synthetic.draw import between, chance, days, decimal, ordered, weighted
from cases.vocabulary_data import BIOPSY_FINDING, CONDITION, LAB_TEST, REGION

LOCAL_REFERENCE_PREFIX = "SYN-"
CONDITION_LABELS = {code: label for code, label, _parent, _extra in CONDITION}
REGION_LABELS = {code: label for code, label, _parent, _extra in REGION}
# Each test's units (the first canonical) with the factor that turns a value in it into the canonical one.
LAB_FACTORS = {
    code: {unit["code"]: float(unit["factor"]) for unit in extra["units"]} for code, _label, _parent, extra in LAB_TEST
}
LAB_CANONICAL = {code: extra["units"][0]["code"] for code, _label, _parent, extra in LAB_TEST}
# Lists of codes are kept in one order (the choices' or the vocabulary's), as the services write them.
_ORDER = {
    "criteria": {code: index for index, code in enumerate(Criteria.values)},
    "consent_scope": {code: index for index, code in enumerate(ConsentScope.values)},
    "findings": {row[0]: index for index, row in enumerate(BIOPSY_FINDING)},
}
SICCA_TESTS = ("schirmer", "ocular_staining_score", "salivary_flow_unstimulated")

# Registry era (created_at) and the years in which the calcinosis was documented.
_REGISTRY_START = datetime(2019, 1, 1, tzinfo=UTC)
_REGISTRY_END = datetime(2025, 12, 31, tzinfo=UTC)
_CLINIC_START = date(2008, 1, 1)
_CLINIC_DAYS = (date(2025, 6, 30) - _CLINIC_START).days


@dataclass(slots=True)
class SyntheticCase:
    index: int
    site: str
    source: str
    publication: int | None  # number of the publication (see ``publication``)
    local_reference: str
    sex: str
    age_at_presentation: int
    country: str
    consent: str
    calcinosis_etiology: str
    calcinosis_extent: str
    summary: str
    status: str
    created_at: datetime
    updated_at: datetime
    verified_at: datetime | None
    calcinosis_onset_age: int | None = None
    consent_scope: list = field(default_factory=list)
    consent_on: date | None = None
    ethics_reference: str = ""
    # Rows as the case document gives them (field → value; treatments name their sites by position).
    diagnoses: list = field(default_factory=list)
    features: list = field(default_factory=list)
    serology: list = field(default_factory=list)
    labs: list = field(default_factory=list)
    calcinosis_sites: list = field(default_factory=list)
    treatments: list = field(default_factory=list)
    biopsies: list = field(default_factory=list)
    # Each assessment holds its "scores" and "site_findings" (lesions by "site_index").
    assessments: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SyntheticPublication:
    number: int
    doi: str
    pmid: int | None
    title: str
    journal: str
    year: int
    authors: str
    citation: str


# Consecutive case numbers share a publication, so some literature cases form a case series.
CASES_PER_PUBLICATION_BLOCK = 4


def case_rng(seed: int, index: int) -> random.Random:
    return random.Random((seed << 40) | index)


def publication(seed: int, number: int) -> SyntheticPublication:
    rng = random.Random((seed << 40) | (1 << 39) | number)
    year = 1995 + int(30 * rng.random() ** 0.6)  # more reports in recent years
    names = rng.sample(P.AUTHOR_NAMES, 1 + rng.randrange(4))
    authors = ", ".join(f"{name} {chr(65 + rng.randrange(26))}" for name in names)
    journal = rng.choice(P.JOURNALS)
    title = rng.choice(
        (
            "Calcinosis cutis in a patient with connective tissue disease",
            "Dystrophic calcinosis: a case report and review of the literature",
            "Treatment of calcinosis cutis: report of a case",
            "Extensive calcinosis cutis: clinical and radiological findings",
            "Calcinosis cutis responding to treatment",
        )
    )
    # 10.5555 is the DOI prefix of examples; a PMID would name a real article of PubMed, so there is none, and
    # the title says what the report is.
    doi = f"10.5555/ccsyn.{seed}.{number}"
    title = f"[Synthetic] {title}"
    citation = f"{authors}. {title}. {journal}. {year}. doi:{doi}"
    pmid = None
    return SyntheticPublication(number, doi, pmid, title, journal, year, authors, citation)


def generate_case(seed: int, index: int) -> SyntheticCase:
    rng = case_rng(seed, index)
    primary = weighted(P.PRIMARY_CONDITIONS).pick(rng)
    profile = P.PROFILES[primary]

    literature = chance(rng, P.LITERATURE_SHARE)
    pub = publication(seed, index // CASES_PER_PUBLICATION_BLOCK) if literature else None
    if literature:
        site, country = P.LITERATURE_SITE[0], weighted(P.LITERATURE_COUNTRIES).pick(rng)
        presented = date(pub.year - between(rng, 0, 2), between(rng, 1, 12), between(rng, 1, 28))
        created = _REGISTRY_START + timedelta(
            seconds=rng.randrange(int((_REGISTRY_END - _REGISTRY_START).total_seconds()))
        )
        consent = weighted(P.CONSENT_LITERATURE).pick(rng)
    else:
        site_code = weighted(_SITE_WEIGHTS).pick(rng)
        site, country = site_code, _SITE_COUNTRIES[site_code]
        presented = _CLINIC_START + timedelta(days=rng.randrange(_CLINIC_DAYS))
        created = datetime(presented.year, presented.month, presented.day, 9, tzinfo=UTC) + days(rng, 0, 400)
        created = min(max(created, _REGISTRY_START + days(rng, 0, 90)), _REGISTRY_END)
        consent = weighted(P.CONSENT_CLINIC).pick(rng)
    created += timedelta(seconds=rng.randrange(86_400))
    updated = min(created + days(rng, 0, 300), _REGISTRY_END + timedelta(hours=12))
    status = weighted(P.STATUS_LITERATURE if literature else P.STATUS_CLINIC).pick(rng)

    mean, sd, low, high = profile.age
    age = int(min(high, max(low, round(rng.gauss(mean, sd)))))
    sex = "female" if chance(rng, profile.female) else "male"
    if literature and chance(rng, 0.01):
        sex = "unknown"
    extent = weighted(profile.extent).pick(rng)
    etiology = weighted(P.ETIOLOGY).pick(rng)

    case = SyntheticCase(
        index=index,
        site=site,
        source="literature" if literature else "clinic",
        publication=pub.number if pub else None,
        local_reference=f"{LOCAL_REFERENCE_PREFIX}{index + 1:07d}",
        sex=sex,
        age_at_presentation=age,
        country=country,
        consent=consent,
        calcinosis_etiology=etiology,
        calcinosis_extent=extent,
        summary="",
        status=status,
        created_at=created,
        updated_at=updated,
        verified_at=updated if status == "verified" else None,
    )
    duration, years = _diagnoses(rng, case, primary, profile)
    _features(rng, case, profile)
    dominant = _serology(rng, case, profile, presented)
    _labs(rng, case, profile, presented, primary)
    _biopsies(rng, case, profile, presented)
    sizes = calcinosis.sites(rng, case, profile, presented)
    calcinosis.treatments(rng, case, profile, presented, literature)
    if not literature:
        calcinosis.follow_up(rng, case, profile, presented, sizes)
    _onset_and_consent(rng, case, presented, years, literature)
    case.summary = _summary(case, primary, duration, dominant, literature)
    return case


_SITE_WEIGHTS = {code: weight for code, _name, _country, weight in P.SITES}
_SITE_COUNTRIES = {code: country for code, _name, country, _weight in P.SITES}
# One ethics approval per centre (withheld from researchers like the local reference).
_ETHICS = {code: f"EC-{2014 + n}-{101 + 37 * n:04d}" for n, (code, *_rest) in enumerate(P.SITES)}


def _diagnoses(rng, case, primary, profile) -> tuple[float | None, float]:
    """The diagnoses; returns the duration the primary one records (or None) and the years since onset."""
    age = case.age_at_presentation
    median, spread = profile.duration
    # Years since the first symptom: onset ≤ diagnosis ≤ presentation, each age a whole year.
    years = round(min(median * math.exp(spread * rng.gauss(0, 1)), max(age - 1, 0), 60.0), 1)
    delay_median, delay_spread = P.DIAGNOSIS_DELAY_YEARS
    delay = min(years, round(delay_median * math.exp(delay_spread * rng.gauss(0, 1)), 1))
    basis = weighted(P.DURATION_BASIS).pick(rng)
    duration = round(years - delay, 1) if basis == "since_diagnosis" else years
    recorded_duration = chance(rng, 0.85)
    criteria = weighted(profile.criteria).pick(rng)
    case.diagnoses.append(
        {
            "condition": primary,
            "is_primary": True,
            "age_at_onset": int(age - years) if chance(rng, 0.6) else None,
            "age_at_diagnosis": int(age - years + delay) if chance(rng, 0.7) else None,
            "duration_years": decimal(duration, 1) if recorded_duration else None,
            "duration_basis": basis if recorded_duration else "unstated",
            "criteria_stated": ordered(criteria, _ORDER["criteria"]),
        }
    )
    for code, probability in profile.secondary.items():
        if chance(rng, probability):
            code = P.SECONDARY_ALIASES.get(code, code)
            if code != primary:
                certainty = "suspected" if chance(rng, P.SECONDARY_SUSPECTED) else "confirmed"
                case.diagnoses.append({"condition": code, "is_primary": False, "certainty": certainty})
    return (duration if recorded_duration else None), years


def _features(rng, case, profile):
    rows: dict[str, dict] = {}
    for code, probability in profile.features.items():
        draw = rng.random()
        if draw < probability:
            status = "present"
        else:
            rest = (draw - probability) / (1 - probability)
            status = "absent" if rest < 0.22 else "unknown" if rest < 0.24 else None
        if status:
            rows[code] = {"feature": code, "status": status}
    for code, row in list(rows.items()):
        implied = P.FEATURE_IMPLIES.get(code)
        if implied and row["status"] == "present":
            rows.setdefault(implied, {"feature": implied})["status"] = "present"
    for code, row in rows.items():
        if row["status"] != "present":
            continue
        if chance(rng, P.FEATURE_PAST.get(code, P.FEATURE_PAST_OTHER)):
            row["timing"] = "past"
        elif chance(rng, P.FEATURE_TIMING_CURRENT):
            row["timing"] = "current"
        if chance(rng, 0.03):
            row["notes"] = rng.choice(P.NOTE_PHRASES)
    case.features = list(rows.values())


def _serology(rng, case, profile, presented) -> str:
    dominant = weighted(profile.specific_antibody).pick(rng)
    tested_on = presented - days(rng, 0, 700) if chance(rng, 0.4) else None
    rows = case.serology
    if chance(rng, 0.95):
        method = weighted(P.METHOD_ANA).pick(rng)
        if chance(rng, profile.ana_positive):
            titer = weighted(P.ANA_TITERS).pick(rng) if chance(rng, 0.8) else None
            patterns = weighted(P.ANA_PATTERN_BY_ANTIBODY.get(dominant, P.ANA_PATTERN_OTHER))
            pattern = patterns.pick(rng) if chance(rng, 0.7) else None
            ana = {"test": "ana", "result": "positive", "method": method, "tested_on": tested_on}
            rows.append({**ana, "titer": titer, "pattern": pattern})
            if pattern and titer and chance(rng, P.ANA_MIXED):
                # Mixed patterns: one row per pattern, each at its own titre.
                other = weighted(P.ANA_PATTERN_OTHER).sample(rng, 1, exclude=(pattern,))[0]
                other_titer = weighted(P.ANA_TITERS).sample(rng, 1, exclude=(titer,))[0]
                rows.append({**ana, "titer": other_titer, "pattern": other})
        else:
            pattern = "ac0" if chance(rng, P.ANA_NEGATIVE_AC0) else None
            rows.append(
                {"test": "ana", "result": "negative", "method": method, "pattern": pattern, "tested_on": tested_on}
            )
    positive = set()
    companions = P.ANTIBODY_COMPANIONS.get(dominant, {})
    for code in profile.specific_antibody:
        if not code:
            continue
        if code == dominant:
            result = "equivocal" if chance(rng, 0.03) else "positive"
        elif code in companions:
            result = "positive" if chance(rng, companions[code]) else "negative"
        elif chance(rng, 0.6):
            result = "negative"
        else:
            continue
        value, unit = (None, "")
        if code == "anti_dsdna" and result == "positive" and chance(rng, 0.5):
            value, unit = decimal(rng.uniform(30, 400), 1), "[IU]/mL"
        method = weighted(P.METHOD_DSDNA if code == "anti_dsdna" else P.METHOD_OTHER).pick(rng)
        rows.append(
            {"test": code, "result": result, "method": method, "value": value, "unit": unit, "tested_on": tested_on}
        )
        if result == "positive":
            positive.add(code)
    for code, (tested, probability) in profile.other_antibodies.items():
        if code == dominant or not chance(rng, tested):
            continue
        result = "positive" if chance(rng, probability) else "negative"
        required = P.ANTIBODY_REQUIRES.get(code)
        if result == "positive" and required and required not in positive:
            result = "negative"
        if chance(rng, 0.02):
            result = "not_done"
        row = {"test": code, "result": result, "tested_on": tested_on}
        if result != "not_done":
            row["method"] = weighted(P.METHOD_OTHER).pick(rng)
        rows.append(row)
        if result == "positive":
            positive.add(code)
    return dominant


def _labs(rng, case, profile, presented, primary):
    measured_on = presented - days(rng, 0, 60) if chance(rng, 0.5) else None
    metastatic = case.calcinosis_etiology in ("metastatic", "calciphylaxis")
    us_units = case.country in P.US_UNIT_COUNTRIES
    for code, (probability, low, high, places) in P.LAB_TESTS.items():
        if not chance(rng, profile.labs.get(code, probability)):
            continue
        if code in SICCA_TESTS:
            _sicca(rng, case, code, primary, measured_on)
            continue
        span = high - low
        p_high, p_low = profile.labs_high.get(code, 0), profile.labs_low.get(code, P.LABS_LOW.get(code, 0))
        abnormal_high = (p_high and chance(rng, p_high)) or (
            metastatic and code in ("calcium", "phosphate", "pth", "creatinine") and chance(rng, 0.7)
        )
        if abnormal_high:
            value, interpretation = high + span * rng.uniform(0.05, P.LAB_HIGH_SPANS.get(code, 0.5)), "high"
        elif p_low and chance(rng, p_low):
            value, interpretation = max(low - span * rng.uniform(0.05, 0.5), low * 0.25), "low"
        else:
            value, interpretation = rng.uniform(low, high), "normal"
        if chance(rng, 0.55):
            text, unit = _in_unit(rng, code, value, places, us_units)
            row = {"test": code, "value": text, "unit": unit, "measured_on": measured_on}
            if chance(rng, 0.7):
                row["interpretation"] = interpretation
            case.labs.append(row)
        else:
            case.labs.append({"test": code, "interpretation": interpretation, "measured_on": measured_on})


def _in_unit(rng, code: str, value: float, places: int, us_units: bool) -> tuple[str, str]:
    """A value in the canonical unit as a report gives it: in US or in SI units, converted."""
    units = P.LAB_UNITS.get(code)
    if units is None:
        return decimal(value, places), LAB_CANONICAL[code]
    (us, us_places), (si, si_places) = units
    unit, places = (us, us_places) if chance(rng, 0.9 if us_units else P.US_UNITS_ELSEWHERE) else (si, si_places)
    return decimal(value / LAB_FACTORS[code][unit], places), unit


def _sicca(rng, case, code, primary, measured_on):
    """Schirmer and ocular staining per eye, unstimulated saliva flow: what Sjögren's criteria read."""
    rows = case.labs
    if code == "salivary_flow_unstimulated":
        low = chance(rng, P.SALIVARY_FLOW_LOW)
        value = rng.uniform(0.0, 0.1) if low else rng.uniform(0.25, 0.6)
        rows.append(
            {
                "test": code,
                "value": decimal(value, 2),
                "unit": "mL/min",
                "interpretation": "low" if low else "normal",
                "measured_on": measured_on,
            }
        )
        return
    if code == "schirmer":
        abnormal = chance(rng, P.SCHIRMER_ABNORMAL["sjogren" if primary.startswith("sjogren") else "other"])
        if not chance(rng, P.SCHIRMER_PER_EYE):
            # As many reports give it: positive or not, no eye, no value.
            rows.append(
                {"test": code, "interpretation": "abnormal" if abnormal else "normal", "measured_on": measured_on}
            )
            return
    else:
        abnormal = chance(rng, P.OCULAR_STAINING_ABNORMAL)
    unit = ("mm" if chance(rng, 0.85) else "mm/(5.min)") if code == "schirmer" else "{score}"
    for eye in ("right", "left"):
        eye_abnormal = abnormal and (eye == "right" or chance(rng, 0.85))
        if code == "schirmer":  # ≤ 5 mm in 5 minutes is what a positive (abnormal) Schirmer test means
            value = between(rng, 0, 5) if eye_abnormal else between(rng, 8, 30)
        else:  # ocular staining score, 0–12 per eye; ≥ 5 abnormal
            value = between(rng, 5, 12) if eye_abnormal else between(rng, 0, 3)
        row = {"test": code, "value": str(value), "unit": unit, "laterality": eye, "measured_on": measured_on}
        if chance(rng, 0.8):
            row["interpretation"] = "abnormal" if eye_abnormal else "normal"
        rows.append(row)


def _biopsies(rng, case, profile, presented):
    for tissue, probability in profile.biopsies.items():
        if not chance(rng, probability):
            continue
        row = {"tissue": tissue, "performed_on": presented - days(rng, 0, 1500) if chance(rng, 0.3) else None}
        if tissue == "labial_salivary_gland":
            positive = chance(rng, P.BIOPSY_LABIAL_POSITIVE)
            row["findings"] = ["focal_lymphocytic_sialadenitis"] if positive else []
            if chance(rng, 0.85):
                row["focus_score"] = decimal(rng.uniform(1.0, 4.0) if positive else rng.uniform(0.0, 0.9), 1)
        elif tissue == "muscle":
            findings = []
            if chance(rng, P.BIOPSY_MUSCLE_POSITIVE):
                findings = weighted(P.BIOPSY_MUSCLE_FINDINGS).sample(rng, between(rng, 1, 3))
            if chance(rng, 0.03):
                findings.append("rimmed_vacuoles")
            row["findings"] = ordered(findings, _ORDER["findings"])
        elif tissue == "kidney":
            row["findings"] = [weighted(P.BIOPSY_KIDNEY_CLASSES).pick(rng)]
        elif tissue == "calcinosis_lesion":
            row["findings"] = ["calcification"] if chance(rng, 0.95) else []
        if tissue in P.BIOPSY_NOTES and chance(rng, 0.5):
            row["notes"] = rng.choice(P.BIOPSY_NOTES[tissue])
        case.biopsies.append(row)


def _onset_and_consent(rng, case, presented, years, literature):
    if chance(rng, P.CALCINOSIS_ONSET_RECORDED):
        # After the disease began, at or before presentation.
        case.calcinosis_onset_age = int(case.age_at_presentation - rng.uniform(0, min(years, 6.0)))
    if literature:
        if case.consent == "written":
            case.consent_scope = ["publication"]  # the published patient's consent to publication
        return
    if case.consent not in ("written", "verbal"):
        return
    scope = ["registry", *(scope for scope, p in P.CONSENT_SCOPE_CLINIC.items() if chance(rng, p))]
    case.consent_scope = ordered(scope, _ORDER["consent_scope"])
    if chance(rng, 0.85):
        case.consent_on = min(presented + days(rng, -30, 60), case.created_at.date())
    if chance(rng, 0.4):
        case.ethics_reference = _ETHICS[case.site]


_PEOPLE = {"female": "woman", "male": "man"}


def _summary(case, primary, duration, dominant, literature) -> str:
    who = _PEOPLE.get(case.sex, "patient") if case.age_at_presentation >= 18 else "child"
    disease = CONDITION_LABELS[primary].lower()
    years = f" for {duration:g} years" if duration is not None else ""
    antibody = f", {dominant.replace('_', '-')} positive" if dominant else ""
    places = ", ".join(REGION_LABELS[row["region"]].lower() for row in case.calcinosis_sites[:4])
    text = (
        f"{case.age_at_presentation}-year-old {who} with {disease}{years}{antibody}. "
        f"Calcinosis cutis ({case.calcinosis_extent}) at {places}."
    )
    if case.treatments:
        first = case.treatments[0]
        text += f" Treated with {first['agent'].replace('_', ' ')}; response {first['response'].replace('_', ' ')}."
    if literature:
        text += " Abstracted from a published report."
    return text
