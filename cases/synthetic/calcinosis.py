"""The calcinosis of a synthetic case: its lesions, the courses given, and what the lesions did at follow-up.

Each lesion has a size whether or not the report gives it, and follows one plan over the visits: the
outcome of the first course that targeted it (surgery mostly resolves it, warfarin mostly leaves it as it
was, thiosulfate often shrinks it), else of a course for the calcinosis as a whole, else its natural
course. A course's size change and each lesion's findings are drawn from that one outcome, so they agree.
"""

import math
from datetime import date

from cases.models import Region
from cases.models.choices import DetectedBy
from cases.synthetic import calcinosis_profiles as C
from cases.synthetic import profiles as P
from cases.synthetic.draw import between, chance, days, decimal, ordered, some, weighted
from cases.vocabulary_data import INSTRUMENT, REGION

# The registry's data end here: no visit after it.
DATA_END = date(2025, 12, 31)
_MONTH_DAYS = 30.4


def _paths() -> dict[str, str]:
    parents = {code: parent for code, _label, parent, _extra in REGION}
    paths = {}
    for code in parents:
        chain, node = [], code
        while node:
            chain.append(node)
            node = parents[node]
        paths[code] = "/".join(reversed(chain)) + "/"
    return paths


_REGION_PATHS = _paths()
# Fingers and toes, where a digit segment is recorded (the region vocabulary's own rule).
DIGITS = frozenset(code for code, path in _REGION_PATHS.items() if path.startswith(Region.DIGIT_PATHS))
_METHOD_ORDER = {code: index for index, code in enumerate(DetectedBy.values)}
LATERALITY_RULES = {code: extra["laterality_rule"] for code, _label, _parent, extra in REGION}
# instrument → (minimum, maximum, step, decimals of the step, higher is worse)
INSTRUMENTS = {
    code: (
        float(extra["minimum"]),
        float(extra["maximum"]),
        float(extra["step"]),
        len(extra["step"].partition(".")[2]),
        extra["higher_is_worse"],
    )
    for code, _label, _parent, extra in INSTRUMENT
}


def sites(rng, case, profile, presented) -> list[float]:
    """The lesions as first documented; returns each one's size in mm (recorded or not), for the follow-up."""
    low, high = C.SITES_BY_EXTENT[case.calcinosis_extent]
    count = between(rng, low, high)
    regions: list[str] = []
    if chance(rng, profile.hands):
        regions = weighted(C.HAND_REGIONS).sample(rng, min(count, 1 + int(rng.random() ** 2 * 3)))
    regions += weighted(profile.regions).sample(rng, count - len(regions), exclude=regions)
    morphology = weighted(profile.morphology)
    observed_on = presented if chance(rng, 0.45) else None
    sizes = []
    for region in regions:
        digit = region in DIGITS
        laterality = weighted(C.LATERALITY_DIGIT if digit else C.LATERALITY[LATERALITY_RULES[region]]).pick(rng)
        segment = weighted(C.DIGIT_SEGMENTS).pick(rng) if digit and chance(rng, 0.6) else None
        if segment == "middle" and region in Region.NO_MIDDLE_PHALANX:
            segment = "distal"
        shape = morphology.pick(rng)
        median = 4 if digit else 40 if shape in ("tumoral", "sheet") else 12
        size = round(max(0.5, median * math.exp(0.5 * rng.gauss(0, 1))), 1)
        sizes.append(size)
        methods = [weighted(C.METHODS).pick(rng)]
        further = 0
        while further < 2 and chance(rng, C.FURTHER_METHOD):
            further += 1
        methods += weighted(C.METHODS).sample(rng, further, exclude=methods)
        ulcerated = chance(rng, 0.2) if chance(rng, 0.5) else None  # extrusion ~20%
        painful = chance(rng, 0.45) if chance(rng, 0.5) else None  # tenderness ~29% overall
        row = {
            "region": region,
            "laterality": laterality,
            "digit_segment": segment,
            "methods": ordered(methods, _METHOD_ORDER),
            "morphology": shape,
            "palpable": chance(rng, 0.7) if chance(rng, 0.5) else None,
            "ulcerated": ulcerated,
            "infected": chance(rng, 0.04) if chance(rng, 0.4) else None,
            "painful": painful,
            "extruding": chance(rng, 0.6 if ulcerated else 0.05) if chance(rng, 0.45) else None,
            "observed_on": observed_on,
        }
        if chance(rng, C.DEPTH_RECORDED):
            row["depth"] = weighted(C.DEPTH.get(shape, C.DEPTH["other"])).pick(rng)
        if chance(rng, 0.4):
            row["count"] = (1 if chance(rng, 0.8) else between(rng, 2, 3)) if digit else 1 + int(rng.random() ** 3 * 15)
        if painful is not None and chance(rng, 0.4):
            row["pain_nrs"] = between(rng, 3, 9) if painful else between(rng, 0, 2)
        if chance(rng, 0.35):
            row["size_mm"] = decimal(size, 1)
            if chance(rng, 0.4):
                row["size_short_mm"] = decimal(max(0.1, min(size, round(size * rng.uniform(0.4, 1.0), 1))), 1)
        if chance(rng, 0.05):
            row["notes"] = rng.choice(P.NOTE_PHRASES)
        case.calcinosis_sites.append(row)
    return sizes


def treatments(rng, case, profile, presented, literature):
    agents = weighted(profile.agents).sample(rng, weighted(C.COURSES).pick(rng))
    site_count = len(case.calcinosis_sites)
    courses = []
    for agent in agents:
        routes, indications, doses = C.AGENT_USE[agent]
        route = weighted(routes).pick(rng)
        indication = weighted(indications).pick(rng)
        if literature and chance(rng, C.LITERATURE_UNCLEAR):
            indication = "unclear"
        started = presented + days(rng, -365, 365) if chance(rng, 0.45) else None
        stopped = started + days(rng, 1, 720) if started and chance(rng, 0.5) else None
        if started and stopped:
            months = decimal((stopped - started).days / _MONTH_DAYS, 1)
        else:
            months = decimal(between(rng, 1, 36), 1) if chance(rng, 0.3) else None
        targets: list[int] = []
        if agent in C.LOCAL_AGENTS and chance(rng, 0.7):
            targets = sorted(some(rng, range(site_count), min(site_count, between(rng, 1, 3))))
        elif indication == "calcinosis" and chance(rng, C.SYSTEMIC_TARGETS_ALL):
            targets = list(range(site_count))
        course = {
            "agent": agent,
            "route": route,
            "dose": rng.choice(doses) if chance(rng, 0.6) else "",
            "indication": indication,
            "started_on": started,
            "stopped_on": stopped,
            "duration_months": months,
            "site_indexes": targets,
        }
        if chance(rng, 0.05):
            course["notes"] = rng.choice(P.NOTE_PHRASES)
        courses.append(course)
    members, lead = _regimen(rng, courses)
    shared = _outcome(rng, courses[lead], literature, presented, for_regimen=True) if lead is not None else None
    for index, course in enumerate(courses):
        if index in members:
            course["regimen"] = "A"
            if shared is not None:
                course.update(shared, response_scope="regimen")
                continue
        course.update(_outcome(rng, course, literature, presented))
    for course in courses:
        course["stop_reason"] = _stop_reason(rng, course)
    case.treatments = courses


def _regimen(rng, courses: list[dict]) -> tuple[list[int], int | None]:
    """The courses the source evaluated together (one regimen, "A"), and the one whose outcome is the
    regimen's (None: each course keeps its own outcome, the label only says they were given together)."""
    if len(courses) < 2 or not chance(rng, C.REGIMEN_SHARE):
        return [], None
    size = min(weighted(C.REGIMEN_SIZE).pick(rng), len(courses))
    members = sorted(some(rng, range(len(courses)), size))
    if not chance(rng, C.REGIMEN_SCOPE):
        return members, None
    # The regimen's outcome is drawn as the outcome of its course for the calcinosis, if it has one.
    return members, next((i for i in members if courses[i]["indication"] == "calcinosis"), members[0])


def _outcome(rng, course: dict, literature: bool, presented, for_regimen: bool = False) -> dict:
    if not for_regimen and course["indication"] in C.NO_CALCINOSIS_OUTCOME:
        response = "not_assessed"  # a drug given for reflux or Raynaud's has no calcinosis outcome of its own
    else:
        response = weighted(C.response_weights(course["agent"])).pick(rng)
    if literature and response in ("partial", "none") and chance(rng, C.LITERATURE_NOT_COMPLETE):
        response = "not_complete"
    outcome = {"response": response}
    if response == "not_assessed":
        return outcome
    basis = weighted(C.RESPONSE_BASIS_LITERATURE if literature else C.RESPONSE_BASIS).pick(rng)
    outcome["response_basis"] = basis
    bounds = C.SIZE_CHANGE.get(response)
    if bounds and chance(rng, C.SIZE_CHANGE_WITH_SIZE if basis in ("size", "imaging") else C.SIZE_CHANGE_OTHERWISE):
        outcome["size_change_pct"] = decimal(rng.uniform(*bounds), 1)
    started = course["started_on"]
    if chance(rng, 0.3):
        assessed = (started or presented) + days(rng, 60, 540)
        outcome["response_assessed_on"] = assessed
        if started:
            outcome["response_at_months"] = decimal((assessed - started).days / _MONTH_DAYS, 1)
    elif chance(rng, 0.5):
        outcome["response_at_months"] = decimal(rng.choice(C.RESPONSE_AT_MONTHS), 1)
    return outcome


def _stop_reason(rng, course: dict) -> str:
    if course["route"] == "procedure":
        return "completed"
    if course["stopped_on"]:
        response = course["response"]
        kind = (
            "failed"
            if response in ("none", "progression", "not_complete")
            else "worked"
            if response in ("complete", "partial")
            else "other"
        )
        return weighted(C.STOP_REASONS_STOPPED[kind]).pick(rng)
    if course["started_on"]:
        return weighted(C.STOP_REASONS_RUNNING).pick(rng)
    return "unknown"


def follow_up(rng, case, profile, presented, sizes: list[float]):
    """About half of the clinic cases: visits at increasing months, scores, and each lesion's course."""
    if not chance(rng, C.FOLLOW_UP_SHARE):
        return
    months = _visit_months(rng, (DATA_END - presented).days / _MONTH_DAYS)
    plans = _lesion_plans(rng, case, presented, len(sizes))
    trend = max(-1.0, min(1.0, sum(pct for pct, _start, _ramp in plans) / (100 * len(plans))))
    scores = _instruments(rng, profile)
    previous = list(sizes)
    resolved = [False] * len(sizes)
    for visit, month in enumerate(months):
        findings, before, now = [], 0.0, 0.0
        for index, (size, plan) in enumerate(zip(sizes, plans, strict=True)):
            if resolved[index]:
                continue
            current = _size_at(size, plan, month) * (1 + rng.uniform(-0.03, 0.03))
            gone = plan[0] <= -100 and month >= plan[1] + plan[2]
            before, now = before + previous[index], now + (0.0 if gone else current)
            first = visit == 0 and month == 0
            if gone or chance(rng, C.FINDING_RECORDED):
                findings.append(
                    _finding(rng, case.calcinosis_sites[index], index, size, current, previous[index], gone, first)
                )
            previous[index], resolved[index] = current, gone
        if visit == 0 and month == 0:
            course = "not_assessed"  # the visit at presentation is where the course starts from
        elif now == 0:
            course = "resolved"
        else:
            ratio = now / before if before else 1.0
            course = "improved" if ratio < 0.85 else "worse" if ratio > 1.15 else "stable"
        assessment = {
            "months_from_presentation": decimal(month, 1),
            "assessed_on": presented + days(rng, round(month * _MONTH_DAYS), round(month * _MONTH_DAYS) + 6)
            if chance(rng, 0.8)
            else None,
            "calcinosis_course": course,
            "new_sites": (chance(rng, 0.4) if course == "worse" else False) if chance(rng, 0.7) else None,
            "scores": _scores(rng, scores, month, trend, visit),
            "site_findings": findings,
        }
        if chance(rng, 0.03):
            assessment["notes"] = rng.choice(P.NOTE_PHRASES)
        case.assessments.append(assessment)
        if all(resolved):
            break


def _visit_months(rng, horizon: float) -> list[int]:
    """1–5 visits on the schedule (0, 3, 6, 12 …), some a month late, none after the data end; all different."""
    wanted = weighted(C.VISITS).pick(rng)
    first = [0] if chance(rng, C.FIRST_VISIT_AT_PRESENTATION) else []
    later = [month for month in C.VISIT_MONTHS[1:] if month + 1 <= horizon]
    chosen = sorted(some(rng, later, min(max(wanted - len(first), 0), len(later))))
    # A month late stays before the next scheduled visit: the schedule's steps are 3 months or more.
    return first + [month + 1 if chance(rng, C.VISIT_OFF_SCHEDULE) else month for month in chosen]


def _lesion_plans(rng, case, presented, count: int) -> list[tuple[float, float, float]]:
    """Per lesion (change in percent at the end, month the change starts, months it takes)."""
    plans: list = [None] * count
    overall = None
    for course in case.treatments:
        if course["response"] == "not_assessed":
            continue
        if course["site_indexes"]:
            for index in course["site_indexes"]:
                if plans[index] is None:
                    plans[index] = _course_plan(rng, course, presented)
        elif overall is None and (course["indication"] == "calcinosis" or course.get("response_scope") == "regimen"):
            overall = course
    for index in range(count):
        if plans[index] is None:
            plans[index] = _course_plan(rng, overall, presented) if overall else _natural_plan(rng)
    return plans


def _course_plan(rng, course: dict, presented) -> tuple[float, float, float]:
    response = course["response"]
    if response == "complete":
        change = -100.0  # every targeted deposit resolved
    elif response == "not_complete":
        change = rng.uniform(-60, 5)  # did not resolve; whether it improved is not said
    elif course.get("size_change_pct") is not None and response != "none":
        change = max(-100.0, float(course["size_change_pct"]) * rng.uniform(0.85, 1.15))
    else:
        change = rng.uniform(*C.SIZE_CHANGE[response])
    started = course["started_on"]
    start = max(0.0, (started - presented).days / _MONTH_DAYS) if started else rng.uniform(0, 3)
    at = course.get("response_at_months")
    ramp = max(0.5, float(at)) if at else 1.0 if course["route"] == "procedure" else 6.0
    return change, start, ramp


def _natural_plan(rng) -> tuple[float, float, float]:
    low, high = C.NATURAL_CHANGE[weighted(C.NATURAL_COURSE).pick(rng)]
    return rng.uniform(low, high), 0.0, 24.0


def _size_at(size: float, plan: tuple[float, float, float], month: float) -> float:
    change, start, ramp = plan
    reached = 0.0 if month <= start else min(1.0, (month - start) / ramp)
    return size * (1 + change / 100 * reached)


def _finding(rng, site: dict, index: int, size: float, current: float, previous: float, gone: bool, first: bool):
    if gone:
        return {"site_index": index, "change": "resolved"}
    ratio = current / previous if previous else 1.0
    finding = {
        "site_index": index,
        "change": "" if first else "smaller" if ratio < 0.9 else "larger" if ratio > 1.1 else "stable",
    }
    if "size_mm" in site or chance(rng, 0.3):
        finding["size_mm"] = decimal(max(0.1, current), 1)
    if chance(rng, 0.5):
        shrinking = current < size * 0.9
        finding["ulcerated"] = chance(rng, 0.1) if shrinking or not site["ulcerated"] else chance(rng, 0.8)
        finding["extruding"] = chance(rng, 0.05)
    if chance(rng, 0.4):
        pain = site.get("pain_nrs", 4) * min(1.5, current / size)
        finding["pain_nrs"] = max(0, min(10, round(pain + rng.uniform(-1, 1))))
        finding["painful"] = finding["pain_nrs"] >= 3
    return finding


def _instruments(rng, profile) -> dict[str, float]:
    """The scores this patient's visits record, each with its value at presentation."""
    chosen = {}
    for code, (mean, sd) in profile.instruments.items():
        if chance(rng, C.DISEASE_INSTRUMENT_RECORDED):
            chosen[code] = rng.gauss(mean, sd)
    for code, (mean, sd) in C.COMMON_INSTRUMENTS.items():
        if chance(rng, C.INSTRUMENT_RECORDED[code]):
            chosen[code] = rng.gauss(mean, sd)
    return chosen


def _scores(rng, baselines: dict[str, float], month: float, trend: float, visit: int) -> list[dict]:
    """Scores follow the calcinosis: better as it shrinks, worse as it grows; each within range, on its step."""
    scores = []
    drift = 0.4 * trend * min(1.0, month / 12)
    for code, baseline in baselines.items():
        if visit and not chance(rng, 0.9):
            continue
        low, high, step, places, worse = INSTRUMENTS[code]
        value = baseline + (high - low) * 0.1 * rng.gauss(0, 0.3)
        value += (baseline - low) * drift if worse else (high - baseline) * -drift
        steps = min(max(round((value - low) / step), 0), round((high - low) / step))
        scores.append({"instrument": code, "value": decimal(low + steps * step, places)})
    return scores
