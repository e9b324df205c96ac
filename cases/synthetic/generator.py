"""Synthetic cases as plain Python values, deterministic for a seed and a case number.

Case number ``i`` of seed ``s`` is always the same case, whatever the batch size or
how many cases are generated: ``--cases 1000`` is the first thousand of
``--cases 1000000``, and a load that stopped half-way continues where it was.
Nothing here touches the database; ``cases.synthetic.loader`` stores the rows.
"""

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cases.synthetic import profiles as P
from cases.vocabulary_data import CONDITION, LAB_TEST, REGION

LOCAL_REFERENCE_PREFIX = "SYN-"
CONDITION_LABELS = {code: label for code, label, _parent, _extra in CONDITION}
REGION_LABELS = {code: label for code, label, _parent, _extra in REGION}
# The canonical unit of each test (the first it accepts).
LAB_UNITS = {code: extra["units"][0]["code"] for code, _label, _parent, extra in LAB_TEST}

# Registry era (created_at) and the years in which the calcinosis was documented.
_REGISTRY_START = datetime(2019, 1, 1, tzinfo=UTC)
_REGISTRY_END = datetime(2025, 12, 31, tzinfo=UTC)
_CLINIC_START = date(2008, 1, 1)
_CLINIC_DAYS = (date(2025, 6, 30) - _CLINIC_START).days


class Weighted:
    """A weighted choice over a dict's keys, prepared once (the generator draws millions)."""

    __slots__ = ("keys", "cumulative", "total")

    def __init__(self, weights: dict):
        self.keys = [k for k, w in weights.items() if w > 0]
        self.cumulative, running = [], 0.0
        for key in self.keys:
            running += weights[key]
            self.cumulative.append(running)
        self.total = running

    def pick(self, rng: random.Random):
        return self.keys[bisect(self.cumulative, rng.random() * self.total)]

    def sample(self, rng: random.Random, count: int, exclude=()) -> list:
        """Up to ``count`` different keys, heavier ones more often."""
        chosen: list = []
        count = min(count, len(self.keys) - len(exclude))
        while len(chosen) < count:
            key = self.pick(rng)
            if key not in chosen and key not in exclude:
                chosen.append(key)
        return chosen


_cache: dict[int, Weighted] = {}


def weighted(weights: dict) -> Weighted:
    # Only for module-level constants (the profiles): their identity is a stable cache key,
    # whereas a dict literal built per call may reuse the id of one already collected.
    found = _cache.get(id(weights))
    if found is None:
        found = _cache[id(weights)] = Weighted(weights)
    return found


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
    doi = f"10.5555/ccsyn.{seed}.{number}"
    citation = f"{authors}. {title}. {journal}. {year}. doi:{doi}"
    pmid = 30_000_000 + seed * 1_000_000 + number if rng.random() < 0.7 else None
    return SyntheticPublication(number, doi, pmid, title, journal, year, authors, citation)


def _days(rng, low, high) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _chance(rng, p) -> bool:
    return rng.random() < p


def _decimal(value: float, places: int) -> str:
    return f"{value:.{places}f}"


def generate_case(seed: int, index: int) -> SyntheticCase:
    rng = case_rng(seed, index)
    primary = weighted(P.PRIMARY_CONDITIONS).pick(rng)
    profile = P.PROFILES[primary]

    literature = _chance(rng, P.LITERATURE_SHARE)
    pub = publication(seed, index // CASES_PER_PUBLICATION_BLOCK) if literature else None
    if literature:
        site, country = P.LITERATURE_SITE[0], weighted(P.LITERATURE_COUNTRIES).pick(rng)
        presented = date(pub.year - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
        created = _REGISTRY_START + timedelta(
            seconds=rng.randrange(int((_REGISTRY_END - _REGISTRY_START).total_seconds()))
        )
        consent = weighted(P.CONSENT_LITERATURE).pick(rng)
    else:
        site_code = weighted(_SITE_WEIGHTS).pick(rng)
        site, country = site_code, _SITE_COUNTRIES[site_code]
        presented = _CLINIC_START + timedelta(days=rng.randrange(_CLINIC_DAYS))
        created = datetime(presented.year, presented.month, presented.day, 9, tzinfo=UTC) + _days(rng, 0, 400)
        created = min(max(created, _REGISTRY_START + _days(rng, 0, 90)), _REGISTRY_END)
        consent = weighted(P.CONSENT_CLINIC).pick(rng)
    created += timedelta(seconds=rng.randrange(86_400))
    updated = min(created + _days(rng, 0, 300), _REGISTRY_END + timedelta(hours=12))
    status = weighted(P.STATUS_LITERATURE if literature else P.STATUS_CLINIC).pick(rng)

    mean, sd, low, high = profile.age
    age = int(min(high, max(low, round(rng.gauss(mean, sd)))))
    sex = "female" if _chance(rng, profile.female) else "male"
    if literature and _chance(rng, 0.01):
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
    duration = _diagnoses(rng, case, primary, profile)
    _features(rng, case, profile)
    dominant = _serology(rng, case, profile, presented)
    _labs(rng, case, profile, presented, primary)
    _sites(rng, case, profile, presented)
    _treatments(rng, case, profile, presented)
    case.summary = _summary(case, primary, duration, dominant, literature)
    return case


_SITE_WEIGHTS = {code: weight for code, _name, _country, weight in P.SITES}
_SITE_COUNTRIES = {code: country for code, _name, country, _weight in P.SITES}


def _diagnoses(rng, case, primary, profile) -> float | None:
    median, spread = profile.duration
    duration = min(median * math.exp(spread * rng.gauss(0, 1)), max(case.age_at_presentation - 1, 0), 60.0)
    duration = round(duration, 1)
    recorded_duration = _chance(rng, 0.85)
    age_at_diagnosis = int(case.age_at_presentation - duration) if _chance(rng, 0.7) else None
    criteria = weighted(profile.criteria).pick(rng)
    case.diagnoses.append(
        {
            "condition": primary,
            "is_primary": True,
            "age_at_diagnosis": age_at_diagnosis,
            "duration_years": _decimal(duration, 1) if recorded_duration else None,
            "criteria_stated": [] if criteria == "none_stated" else [criteria],
        }
    )
    for code, probability in profile.secondary.items():
        if _chance(rng, probability):
            code = P.SECONDARY_ALIASES.get(code, code)
            if code != primary:
                case.diagnoses.append({"condition": code, "is_primary": False})
    return duration if recorded_duration else None


def _features(rng, case, profile):
    for code, probability in profile.features.items():
        draw = rng.random()
        if draw < probability:
            status = "present"
        else:
            rest = (draw - probability) / (1 - probability)
            status = "absent" if rest < 0.35 else "unknown" if rest < 0.4 else None
        if status:
            note = rng.choice(P.NOTE_PHRASES) if status == "present" and _chance(rng, 0.03) else ""
            case.features.append({"feature": code, "status": status, "notes": note})


def _serology(rng, case, profile, presented) -> str:
    dominant = weighted(profile.specific_antibody).pick(rng)
    tested_on = presented - _days(rng, 0, 700) if _chance(rng, 0.4) else None
    rows = case.serology
    if _chance(rng, 0.95):
        if _chance(rng, profile.ana_positive):
            titer = weighted(P.ANA_TITERS).pick(rng) if _chance(rng, 0.8) else None
            patterns = P.ANA_PATTERN_BY_ANTIBODY.get(dominant, P.ANA_PATTERN_OTHER)
            pattern = weighted(patterns).pick(rng) if _chance(rng, 0.7) else None
            rows.append(
                {"test": "ana", "result": "positive", "titer": titer, "pattern": pattern, "tested_on": tested_on}
            )
        else:
            rows.append({"test": "ana", "result": "negative", "tested_on": tested_on})
    for code in profile.specific_antibody:
        if not code:
            continue
        if code == dominant:
            result = "equivocal" if _chance(rng, 0.03) else "positive"
        elif _chance(rng, 0.6):
            result = "negative"
        else:
            continue
        value, unit = (None, "")
        if code == "anti_dsdna" and result == "positive" and _chance(rng, 0.5):
            value, unit = _decimal(rng.uniform(30, 400), 1), "[IU]/mL"
        rows.append({"test": code, "result": result, "value": value, "unit": unit, "tested_on": tested_on})
    for code, (tested, positive) in profile.other_antibodies.items():
        if code == dominant or not _chance(rng, tested):
            continue
        result = "positive" if _chance(rng, positive) else "negative"
        if _chance(rng, 0.02):
            result = "not_done"
        rows.append({"test": code, "result": result, "tested_on": tested_on})
    return dominant


def _labs(rng, case, profile, presented, primary):
    measured_on = presented - _days(rng, 0, 60) if _chance(rng, 0.5) else None
    metastatic = case.calcinosis_etiology in ("metastatic", "calciphylaxis")
    for code, (probability, low, high, places) in P.LAB_TESTS.items():
        if not _chance(rng, profile.labs.get(code, probability)):
            continue
        span = high - low
        abnormal_high = (code == "ck" and profile.labs.get("ck") and _chance(rng, 0.5)) or (
            metastatic and code in ("calcium", "phosphate", "pth", "creatinine") and _chance(rng, 0.7)
        )
        abnormal_low = not abnormal_high and (
            (code in ("c3", "c4") and primary in ("sle", "lupus_panniculitis") and _chance(rng, 0.4))
            or (code == "schirmer" and _chance(rng, 0.7))
            or (code == "vitamin_d" and _chance(rng, 0.3))
        )
        if abnormal_high:
            value, interpretation = high + span * rng.uniform(0.05, 3 if code == "ck" else 0.5), "high"
        elif abnormal_low:
            value, interpretation = max(low - span * rng.uniform(0.05, 0.6), 0.0), "low"
        else:
            value, interpretation = rng.uniform(low, high), "normal"
        if code == "schirmer" and interpretation == "low":
            interpretation = "abnormal"
        if _chance(rng, 0.55):
            text = _decimal(value, places)
            case.labs.append(
                {
                    "test": code,
                    "value": text,
                    "unit": LAB_UNITS[code],
                    "interpretation": interpretation if _chance(rng, 0.7) else "",
                    "measured_on": measured_on,
                }
            )
        else:
            case.labs.append({"test": code, "interpretation": interpretation, "measured_on": measured_on})


def _sites(rng, case, profile, presented):
    low, high = P.SITES_BY_EXTENT[case.calcinosis_extent]
    count = rng.randint(low, high)
    regions: list[str] = []
    if _chance(rng, profile.hands):
        regions = weighted(P.HAND_REGIONS).sample(rng, min(count, 1 + int(rng.random() ** 2 * 3)))
    regions += weighted(profile.regions).sample(rng, count - len(regions), exclude=regions)
    morphology = weighted(profile.morphology)
    observed_on = presented if _chance(rng, 0.45) else None
    for region in regions:
        digit = region in P.DIGIT_REGIONS
        if digit:
            laterality = weighted(P.LATERALITY_DIGIT).pick(rng)
        elif region in P.MIDLINE_REGIONS:
            laterality = "midline"
        else:
            laterality = weighted(P.LATERALITY_LIMB).pick(rng)
        segment = weighted(P.DIGIT_SEGMENTS).pick(rng) if digit and _chance(rng, 0.6) else None
        if segment == "middle" and region in ("finger_1", "toe_1"):
            segment = "distal"  # the thumb and the great toe have no middle phalanx
        shape = morphology.pick(rng)
        size = None
        if _chance(rng, 0.35):
            median = 4 if digit else 40 if shape in ("tumoral", "sheet") else 12
            size = _decimal(max(0.5, median * math.exp(0.5 * rng.gauss(0, 1))), 1)
        case.calcinosis_sites.append(
            {
                "region": region,
                "laterality": laterality,
                "digit_segment": segment,
                "methods": [weighted(P.DETECTED_BY).pick(rng)],
                "morphology": shape,
                "palpable": (_chance(rng, 0.7)) if _chance(rng, 0.5) else None,
                "ulcerated": (_chance(rng, 0.2)) if _chance(rng, 0.5) else None,  # extrusion ~20%
                "infected": (_chance(rng, 0.04)) if _chance(rng, 0.4) else None,
                "painful": (_chance(rng, 0.45)) if _chance(rng, 0.5) else None,  # tenderness ~29% overall
                "size_mm": size,
                "observed_on": observed_on,
                "notes": rng.choice(P.NOTE_PHRASES) if _chance(rng, 0.05) else "",
            }
        )


_COURSES = {0: 18, 1: 30, 2: 25, 3: 15, 4: 7, 5: 3, 6: 2}


def _treatments(rng, case, profile, presented):
    agents = weighted(profile.agents).sample(rng, weighted(_COURSES).pick(rng))
    site_count = len(case.calcinosis_sites)
    for agent in agents:
        routes, indication, doses = P.AGENT_USE[agent]
        route = weighted(routes).pick(rng)
        dose = rng.choice(doses) if _chance(rng, 0.6) else ""
        if not _chance(rng, 0.9):
            indication = ""
        started = presented + _days(rng, -365, 365) if _chance(rng, 0.45) else None
        stopped = started + _days(rng, 1, 720) if started and _chance(rng, 0.5) else None
        if started and stopped:
            months = _decimal((stopped - started).days / 30.4, 1)
        else:
            months = _decimal(rng.randint(1, 36), 1) if _chance(rng, 0.3) else None
        responses, weights = P.response_weights(agent)
        response = rng.choices(responses, weights)[0]
        assessed = None
        if response != "not_assessed" and _chance(rng, 0.3):
            assessed = (started or presented) + _days(rng, 60, 540)
        targets: list[int] = []
        if agent in P.LOCAL_AGENTS and _chance(rng, 0.7):
            targets = sorted(rng.sample(range(site_count), min(site_count, rng.randint(1, 3))))
        elif indication == "calcinosis" and _chance(rng, 0.25):
            targets = list(range(site_count))
        note = rng.choice(P.NOTE_PHRASES) if _chance(rng, 0.05) else ""
        case.treatments.append(
            {
                "agent": agent,
                "route": route,
                "dose": dose,
                "indication": indication,
                "started_on": started,
                "stopped_on": stopped,
                "duration_months": months,
                "response": response,
                "response_assessed_on": assessed,
                "notes": note,
                "site_indexes": targets,
            }
        )


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
