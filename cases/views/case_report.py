"""The sections of the case page, read from the case document as a clinician reads a case report: words for
codes, the facts of each row in the order they are told, treatments grouped by regimen, the follow-up as a
table of visits and small charts (``cases/views/timeline.py``)."""

from cases.document import CHILDREN
from cases.document.schema import Kind
from cases.models import Instrument
from cases.views.timeline import as_decimal, draw, lesion_charts, plain_number, score_charts


def patient(doc, labels) -> list[tuple[str, str]]:
    rows = [
        ("Sex", labels("sex", doc["sex"])),
        ("Age at presentation", _years(doc["age_at_presentation"])),
        ("Age at calcinosis onset", _years(doc["calcinosis_onset_age"])),
        ("Country", labels("country", doc["country"]) or "not recorded"),
        ("Calcinosis etiology", labels("calcinosis_etiology", doc["calcinosis_etiology"])),
        ("Calcinosis extent", labels("calcinosis_extent", doc["calcinosis_extent"])),
        ("Consent", labels("consent", doc["consent"])),
        ("Consent for", ", ".join(labels("consent_scope", c).lower() for c in doc["consent_scope"]) or "not recorded"),
    ]
    if doc["consent_on"]:
        rows.append(("Consent given on", doc["consent_on"]))
    # Seen by the case's own site and curators only: absent from a researcher's document.
    if doc.get("ethics_reference"):
        rows.append(("Ethics reference", doc["ethics_reference"]))
    if doc.get("local_reference"):
        rows.append(("Local reference", doc["local_reference"]))
    return rows


def _years(age) -> str:
    return f"{age} years" if age not in (None, "") else "not recorded"


def rows(key: str, doc, labels) -> list[dict]:
    """A list of the document with the labels of its codes and choices (``condition_label``, …)."""
    return [labels.labelled(CHILDREN[key], row) for row in doc[key]]


def features(doc, labels) -> list[dict]:
    """Present, then absent, then explicitly not recorded: the order a case report reads."""
    groups = []
    labelled = rows("features", doc, labels)
    for status, title in (("present", "Present"), ("absent", "Absent"), ("unknown", "Not recorded")):
        shown = [row for row in labelled if row["status"] == status]
        if shown:
            groups.append({"status": status, "title": title, "rows": shown})
    return groups


def serology(doc, labels) -> list[dict]:
    return [{**row, "titer_text": f"1:{row['titer']}" if row["titer"] else ""} for row in rows("serology", doc, labels)]


def sites(doc, labels) -> list[dict]:
    yes_no = [f.name for f in CHILDREN["calcinosis_sites"].fields if f.kind is Kind.TRISTATE]
    found = []
    for number, row in enumerate(rows("calcinosis_sites", doc, labels), start=1):
        size = ""
        if row["size_mm"] is not None:
            short = f" × {plain_number(row['size_short_mm'])}" if row["size_short_mm"] is not None else ""
            size = f"{plain_number(row['size_mm'])}{short} mm"
        site = {**row, "number": number, "findings": [(name, row[f"{name}_text"]) for name in yes_no], "size": size}
        site["name"] = site_name(site)
        found.append(site)
    return found


def site_name(site: dict) -> str:
    """How a treated site is named beside its treatment: "Little finger (finger 5), right" (and the segment,
    which tells two sites of one finger apart)."""
    side = "side not recorded" if site["laterality"] in ("unknown", "") else site["laterality_label"].lower()
    segment = f", {site['digit_segment_label'].lower()}" if site["digit_segment"] else ""
    return f"{site['region_label']}, {side}{segment}"


def treatment_groups(doc, labels, site_rows) -> list[dict]:
    """The courses in document order, those of one regimen together where its first course stands.

    A regimen's shared outcome (the courses with ``response_scope`` regimen, all with the same outcome) is
    told once, for the group; its courses say so instead of repeating it.
    """
    by_id = {site["id"]: site for site in site_rows}
    groups, regimens = [], {}
    for course in rows("treatments", doc, labels):
        course["treated_sites"] = [
            {"number": by_id[pk]["number"], "name": by_id[pk]["name"]} for pk in course["site_ids"] if pk in by_id
        ]
        course["outcome"] = outcome(course)
        label = course["regimen"].strip()
        if not label:
            groups.append({"regimen": "", "courses": [course], "outcome": None})
            continue
        if label not in regimens:
            regimens[label] = {"regimen": label, "courses": [], "outcome": None}
            groups.append(regimens[label])
        regimens[label]["courses"].append(course)
    for group in regimens.values():
        shared = [c for c in group["courses"] if c["response_scope"] == "regimen"]
        if shared and len({c["outcome"] for c in shared}) == 1:
            group["outcome"] = shared[0]["outcome"]
            for course in shared:
                course["outcome_of_regimen"] = True
    return groups


def outcome(course: dict) -> str:
    """ "Partial, judged by size: −40 % at 6 months": the response with what it rests on."""
    details = []
    if course["response_basis"] not in ("", "unstated"):
        details.append(f"judged by {course['response_basis_label'].lower()}")
    if course["size_change_pct"] is not None:
        details.append(f"size {_signed(course['size_change_pct'])} %")
    if course["response_at_months"] is not None:
        details.append(f"at {plain_number(course['response_at_months'])} months")
    if course["response_assessed_on"]:
        details.append(f"on {course['response_assessed_on']}")
    label = course["response_label"]
    return f"{label} ({', '.join(details)})" if details else label


def _signed(value) -> str:
    text = plain_number(value)
    return text.replace("-", "−") if text.startswith("-") else f"+{text}"


def follow_up(doc, labels, site_rows) -> dict:
    """The visits as a table, and the charts of each lesion's size and each instrument's score over them."""
    scored = any(visit["scores"] for visit in doc["assessments"])
    # The instruments' ranges and labels, read once (only for a case with scores).
    instruments = {i.code: i for i in Instrument.objects.all()} if scored else {}
    labels.know("instrument", instruments.values())
    visits = rows("assessments", doc, labels)
    by_id = {site["id"]: site for site in site_rows}
    for visit in visits:
        visit["month"] = plain_number(visit["months_from_presentation"])
        for score in visit["scores"]:
            score["value_text"] = plain_number(score["value"]) if score["value"] is not None else ""
        for finding in visit["site_findings"]:
            site = by_id.get(finding["site_id"])
            finding["site_number"] = site["number"] if site else ""
            finding["site_name"] = f"Site {site['number']}: {site['name']}" if site else "a site not shown"
            finding["facts"] = _finding_facts(finding)
    if not visits:
        return {"visits": [], "lesion_charts": [], "score_charts": []}
    last = max(as_decimal(visit["months_from_presentation"]) for visit in visits)
    return {
        "visits": visits,
        "lesion_charts": draw(lesion_charts(visits, site_rows), last),
        "score_charts": draw(score_charts(visits, instruments), last),
    }


def _finding_facts(finding: dict) -> list[str]:
    """ "9 mm", "smaller", "ulcerated: no", "pain 3/10": what was recorded of a lesion at a visit."""
    facts = [f"{plain_number(finding['size_mm'])} mm"] if finding["size_mm"] is not None else []
    if finding["change"]:
        facts.append(finding["change_label"].lower())
    for name in ("ulcerated", "infected", "painful", "extruding"):
        if finding[name] is not None:
            facts.append(f"{name}: {finding[f'{name}_text']}")
    if finding["pain_nrs"] is not None:
        facts.append(f"pain {finding['pain_nrs']}/10")
    return facts
