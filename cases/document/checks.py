"""The rules that span rows of a case document, checked once every list is read (``rows.py``).

One primary diagnosis; no age at onset or diagnosis after the age at presentation; a feature once; a regimen's shared outcome needs the regimen; one assessment per
time point, one score per instrument and one finding per lesion in it; and every reference to a
calcinosis site names a site of this case, which is resolved here to a stored id or a position among the
sites sent.
"""

from cases.document.rows import ReadRows
from cases.models.choices import ResponseScope


def check_across_rows(children: dict[str, ReadRows], case, instance, errors: dict) -> None:
    """``case``: the stored case (None for a new one); ``instance``: the case as the document makes it."""
    _one_primary_diagnosis(children.get("diagnoses"), errors)
    _ages_up_to_presentation(children.get("diagnoses"), case, instance, errors)
    _each_once(children.get("features"), "feature", "feature_id", errors, "'{}' is listed twice.")
    _regimens(children.get("treatments"), errors)
    assessments = children.get("assessments")
    _each_once(
        assessments,
        "months_from_presentation",
        "months_from_presentation",
        errors,
        "Another assessment of this case is at month {}.",
    )
    sites = _sites(children.get("calcinosis_sites"), case)
    for read in children.values():
        if read.child.links and read.child.key not in errors:
            _resolve(read, sites, errors)
    if assessments is not None and "assessments" not in errors:
        for index, nested in enumerate(assessments.nested):
            row_errors: dict = {}
            scores, findings = nested.get("scores"), nested.get("site_findings")
            _each_once(scores, "instrument", "instrument_id", row_errors, "'{}' is scored twice.")
            if findings is not None:
                _resolve(findings, sites, row_errors)
                _each_once(findings, "site_id", None, row_errors, "This lesion has two findings at this visit.")
            if row_errors:
                _put(errors, "assessments", index, len(assessments.rows), row_errors)


def _put(errors: dict, key: str, index: int, count: int, row_errors: dict) -> None:
    rows = errors.setdefault(key, [{} for _ in range(count)])
    rows[index].update(row_errors)


def _one_primary_diagnosis(diagnoses: ReadRows | None, errors: dict) -> None:
    if not diagnoses or not diagnoses.rows or "diagnoses" in errors:
        return
    primaries = [i for i, d in enumerate(diagnoses.rows) if d.is_primary]
    if len(primaries) == 1:
        return
    rows = [{} for _ in diagnoses.rows]
    if not primaries:
        rows[0] = {"is_primary": ["Mark one diagnosis as the primary one."]}
    for index in primaries[1:]:
        rows[index] = {"is_primary": ["Only one diagnosis can be primary."]}
    errors["diagnoses"] = rows


def _ages_up_to_presentation(diagnoses: ReadRows | None, case, instance, errors: dict) -> None:
    """An onset or a diagnosis is not after the presentation the case describes (issue 17)."""
    presented = instance.age_at_presentation
    if presented is None or "age_at_presentation" in errors:
        return
    onset = instance.calcinosis_onset_age
    if onset is not None and onset > presented and "calcinosis_onset_age" not in errors:
        errors["calcinosis_onset_age"] = [
            f"The calcinosis began at {onset}, after the age at presentation ({presented}): correct one of them."
        ]
    if "diagnoses" in errors:
        return
    # A partial change that leaves the diagnoses out is checked against the stored ones.
    rows = diagnoses.rows if diagnoses is not None else (list(case.diagnoses.all()) if case is not None else [])
    problems = []
    for row in rows:
        found = {}
        for name, what in (("age_at_onset", "The age at onset"), ("age_at_diagnosis", "The age at diagnosis")):
            age = getattr(row, name)
            if age is not None and age > presented:
                found[name] = [f"{what} ({age}) is after the age at presentation ({presented}): correct one of them."]
        problems.append(found)
    if any(problems):
        errors["diagnoses"] = problems


def _each_once(read: ReadRows | None, field: str, attribute: str | None, errors: dict, message: str) -> None:
    """The second row with the same value of ``attribute`` (None: the site it names) is refused at ``field``."""
    if read is None or read.child.key in errors:
        return
    seen, rows = set(), []
    for index, row in enumerate(read.rows):
        value = getattr(row, attribute) if attribute else (read.refs[index][0] if read.refs[index] else None)
        duplicate = value is not None and value in seen
        rows.append({field: [message.format(value)]} if duplicate else {})
        seen.add(value)
    if any(rows):
        errors[read.child.key] = rows


def _regimens(treatments: ReadRows | None, errors: dict) -> None:
    """An outcome reported for a regimen needs the regimen: another course of the case with its label."""
    if treatments is None or "treatments" in errors:
        return
    labels = [row.regimen.strip() for row in treatments.rows]
    rows = []
    for row, label in zip(treatments.rows, labels, strict=True):
        shared = label and labels.count(label) > 1
        alone = row.response_scope == ResponseScope.REGIMEN and label and not shared
        message = f"No other course of this case has the regimen '{label}': the outcome is this course's own."
        rows.append({"regimen": [message]} if alone else {})
    if any(rows):
        errors["treatments"] = rows


def _sites(sites: ReadRows | None, case) -> tuple[set[int], list]:
    """The ids of the case's sites the document keeps, and the sites in document order."""
    if sites is not None:
        return {s.pk for s in sites.rows if s.pk}, sites.rows
    # A partial change that leaves the sites out refers to the sites already stored.
    stored = list(case.calcinosis_sites.all()) if case is not None else []
    return {s.pk for s in stored}, stored


def _resolve(read: ReadRows, sites: tuple[set[int], list], errors: dict) -> None:
    """Each reference as ("id", pk) or ("index", position), or a message at the field that named it."""
    kept_ids, rows = sites
    links = read.child.links
    problems = []
    for index, refs in enumerate(read.refs):
        resolved, bad = [], []
        for kind, value in refs:
            if kind == "number" and value in kept_ids:
                resolved.append(("id", value))
            elif 0 <= value < len(rows) and (kind == "index" or rows[value].pk is None):
                resolved.append(("index", value))  # a site sent without an id yet, by its position
            elif kind == "index":
                bad.append(f"Site index {value} is outside the list of {len(rows)} calcinosis sites.")
            else:
                bad.append(f"Calcinosis site {value} is not among this case's sites.")
        read.refs[index] = resolved
        problems.append({links.name: bad} if bad else {})
    if any(problems):
        errors[read.child.key] = problems
