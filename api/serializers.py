"""The shapes of what the API takes and gives, for the OpenAPI schema and the browsable API.

The case document is declared once (``cases/document/schema.py``), read by the
services (which do every check and report every error at its nested path) and
written by ``cases.document.writer``; the serializers here are derived from that
declaration, field by field, so they describe the document and cannot drift
from it. Input and output differ: codes and dates go in, and a researcher's
document comes out with years instead of dates and "90+" for great ages.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.document.schema import (
    ALL_LISTS,
    CASE_FIELDS,
    CHILD_LISTS,
    PUBLICATION_FIELDS,
    RECORD_FIELDS,
    ChildList,
    Field,
    Kind,
    Withheld,
)
from cases.models.criteria import CRITERIA_CATEGORY_CHOICES, CRITERIA_SET_CHOICES, CRITERIA_STATUS_CHOICES

CODE_HELP = "A code of the vocabulary '{vocabulary}' (see /api/v1/vocabularies/{vocabulary}/)."


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$",
        "description": "YYYY-MM-DD; the year alone (YYYY) in a researcher's document.",
    }
)
class DateOrYearField(serializers.CharField):
    pass


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": "ISO 8601 timestamp with zone; the year alone (YYYY) in a researcher's document.",
    }
)
class TimestampOrYearField(serializers.CharField):
    pass


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 0, "maximum": 120}, {"type": "string", "enum": ["90+"]}],
        "nullable": True,
        "description": 'Years; a researcher reads "90+" for 90 and over.',
    }
)
class AgeOutField(serializers.IntegerField):
    pass


def _description(f: Field) -> str:
    parts = [f.description]
    if f.kind is Kind.CODE:
        parts.append(CODE_HELP.format(vocabulary=f.vocabulary))
    if f.withheld is Withheld.IDENTIFYING:
        parts.append("Only for the case's own site and curators.")
    elif f.withheld is Withheld.CLINIC_NARRATIVE:
        parts.append("Withheld (empty) from researchers for clinic cases.")
    return " ".join(parts)


def _code_item(f: Field) -> serializers.Field:
    """One code of a list: of the field's fixed choices, or of a vocabulary."""
    if f.vocabulary:
        return serializers.CharField(help_text=CODE_HELP.format(vocabulary=f.vocabulary))
    return serializers.ChoiceField(choices=f.choices)


def out_field(f: Field) -> serializers.Field:
    """The field as the document gives it."""
    null = f.model_field.null
    # A field a researcher is never sent is not in every document.
    options = {"help_text": _description(f), "required": f.withheld is not Withheld.IDENTIFYING}
    if f.kind in (Kind.DATE,):
        return DateOrYearField(**options)
    if f.kind is Kind.TIMESTAMP:
        return TimestampOrYearField(**options)
    if f.age:
        return AgeOutField(**options)
    if f.kind is Kind.CHOICE:
        return serializers.ChoiceField(choices=f.choices, allow_null=null, allow_blank=f.model_field.blank, **options)
    if f.kind is Kind.CODE_LIST:
        return serializers.ListField(child=_code_item(f), **options)
    if f.kind in (Kind.TRISTATE, Kind.BOOLEAN):
        return serializers.BooleanField(allow_null=f.kind is Kind.TRISTATE, **options)
    if f.kind is Kind.INTEGER:
        return serializers.IntegerField(allow_null=null, **options)
    if f.kind is Kind.DECIMAL:
        return serializers.FloatField(allow_null=null, **options)
    return serializers.CharField(allow_null=null, allow_blank=True, **options)


def in_field(f: Field) -> serializers.Field:
    """The field as a document sent to the API may give it; the bounds are the model's."""
    model_field, low, high = f.model_field, *f.bounds
    options = {"required": f.required, "help_text": _description(f)}
    if not f.required:
        options["allow_null"] = model_field.null
    if f.kind is Kind.DATE:
        return serializers.DateField(**options)
    if f.kind is Kind.CHOICE:
        return serializers.ChoiceField(choices=f.choices, allow_blank=model_field.blank, **options)
    if f.kind is Kind.CODE_LIST:
        options.pop("allow_null", None)
        return serializers.ListField(child=_code_item(f), allow_empty=not f.required, **options)
    if f.kind in (Kind.TRISTATE, Kind.BOOLEAN):
        options["allow_null"] = f.kind is Kind.TRISTATE
        return serializers.BooleanField(**options)
    if f.kind is Kind.INTEGER:
        return serializers.IntegerField(min_value=low, max_value=high, **options)
    if f.kind is Kind.DECIMAL:
        low, high = (None if bound is None else Decimal(str(bound)) for bound in (low, high))
        return serializers.DecimalField(
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
            min_value=low,
            max_value=high,
            coerce_to_string=False,
            **options,
        )
    if f.kind in (Kind.TEXT, Kind.CODE):
        options["max_length"] = getattr(model_field, "max_length", None) if f.kind is Kind.TEXT else None
    return serializers.CharField(allow_blank=f.kind is not Kind.CODE, **options)


def _shape(name: str, fields: dict) -> type:
    return type(name, (serializers.Serializer,), fields)


PrimaryPublication = _shape("PrimaryPublication", {"doi": serializers.CharField(help_text="Its DOI.")})


def _links_out(links) -> serializers.Field:
    if links.many:
        return serializers.ListField(child=serializers.IntegerField(), help_text=links.description)
    return serializers.IntegerField(help_text=links.description)


def _links_in(links) -> dict:
    def one() -> serializers.Field:
        if links.many:
            return serializers.ListField(
                child=serializers.IntegerField(min_value=0), required=False, help_text=links.description
            )
        return serializers.IntegerField(min_value=0, required=False, help_text=links.description)

    return {links.name: one(), links.by_position: one()}


def child_out(child: ChildList) -> type:
    # Made in document order: a serializer orders its fields by when they were created.
    makers = {"id": lambda: serializers.IntegerField(help_text="The row's id (to keep it when sent back).")}
    makers.update({f.name: (lambda f=f: out_field(f)) for f in child.fields})
    if child.links:
        makers[child.links.name] = lambda: _links_out(child.links)
    for inner in child.children:
        makers[inner.key] = lambda inner=inner: CHILD_OUT[inner.key](many=True, help_text=inner.heading)
    return _shape(f"{child.model.__name__}Out", {key: makers[key]() for key in child.document_keys})


def child_in(child: ChildList) -> type:
    fields = {}
    if child.has_ids:
        fields["id"] = serializers.IntegerField(
            required=False, help_text="An existing row of this case, to keep it; leave out for a new row."
        )
    fields.update({f.name: in_field(f) for f in child.fields if not f.read_only})
    if child.links:
        fields.update(_links_in(child.links))
    for inner in child.children:
        fields[inner.key] = CHILD_IN[inner.key](
            many=True, required=False, help_text=f"{inner.heading} (left out for a stored row: kept as they are)."
        )
    return _shape(f"{child.model.__name__}In", fields)


def row_out(child: ChildList) -> type:
    """A long-table row (``child.row_keys``): the child row with its case's registry id."""
    fields = {"registry_id": serializers.CharField(help_text="The case the row belongs to.")}
    if child.parent != "case":
        fields[f"{child.parent}_id"] = serializers.IntegerField(help_text=f"The {child.parent} the row belongs to.")
    makers = {"id": lambda: serializers.IntegerField(help_text="The row's id.")}
    makers.update({f.name: (lambda f=f: out_field(f)) for f in child.fields})
    if child.links:
        makers[child.links.name] = lambda: _links_out(child.links)
    fields.update({key: makers[key]() for key in child.row_keys if key in makers})
    return _shape(f"{child.model.__name__}Row", fields)


# Inner lists first: a row's shape holds the shapes of the lists inside it.
CHILD_OUT: dict[str, type] = {}
CHILD_IN: dict[str, type] = {}
for _child in sorted(ALL_LISTS, key=lambda c: bool(c.children)):
    CHILD_OUT[_child.key], CHILD_IN[_child.key] = child_out(_child), child_in(_child)
PublicationOut = _shape(
    "PublicationOut",
    {
        f.name: PrimaryPublication(allow_null=True, help_text=f.description)
        if f.kind is Kind.PUBLICATION
        else out_field(f)
        for f in PUBLICATION_FIELDS
    },
)
PublicationIn = _shape(
    "PublicationIn",
    {
        f.name: PrimaryPublication(required=False, allow_null=True, help_text=f.description)
        if f.kind is Kind.PUBLICATION
        else in_field(f)
        for f in PUBLICATION_FIELDS
    }
    | {"doi": serializers.CharField(required=False, allow_null=True, help_text=PUBLICATION_FIELDS[0].description)},
)
ROW_SHAPES = {child.key: row_out(child) for child in ALL_LISTS}


# ---- classification criteria (computed, read-only) -----------------------------------------------

_STATES = ["present", "absent", "unknown"]
_CRITERIA_SET = serializers.ChoiceField(choices=CRITERIA_SET_CHOICES, help_text="The criteria set.")
_CRITERIA_STATUS = serializers.ChoiceField(
    choices=CRITERIA_STATUS_CHOICES,
    help_text="met: the score reaches the threshold and every entry rule holds; not_met: it cannot, a rule "
    "fails or an exclusion is present; indeterminate: unknown items could still decide it.",
)
_CRITERIA_CATEGORY = serializers.ChoiceField(
    choices=CRITERIA_CATEGORY_CHOICES, allow_null=True, help_text="EULAR/ACR 2017 IIM only; null for the other sets."
)


class CriteriaItemOut(serializers.Serializer):
    item = serializers.CharField(help_text="The item's code within its set, e.g. raynaud, anti_ro_ssa.")
    label = serializers.CharField(help_text="The item as the published criteria word it.")
    points = serializers.FloatField(help_text="The published weight (IIM: of the column with or without biopsy).")
    state = serializers.ChoiceField(choices=_STATES, help_text="unknown: not recorded.")
    evidence = serializers.ListField(
        child=serializers.CharField(), help_text="The recorded rows the answer came from, e.g. feature:raynaud."
    )


class CriteriaRuleOut(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule's code within its set, e.g. sicca_symptoms.")
    label = serializers.CharField(help_text="The rule as the published criteria word it.")
    kind = serializers.ChoiceField(
        choices=["entry", "exclusion"],
        help_text="entry: must be present for met; exclusion: present makes the set not_met (unknown does not).",
    )
    state = serializers.ChoiceField(choices=_STATES, help_text="unknown: not recorded.")
    evidence = serializers.ListField(
        child=serializers.CharField(),
        help_text="The recorded rows the answer came from, e.g. feature:dry_eyes_3_months.",
    )
    note = serializers.CharField(help_text="What the registry records of a longer published rule.")


class CriteriaChangeOut(serializers.Serializer):
    item = serializers.CharField(required=False, help_text="The unknown item (one of item and rule is given).")
    rule = serializers.CharField(required=False, help_text="The unknown entry rule or exclusion.")
    label = serializers.CharField(help_text="The item or rule as the published criteria word it.")
    could_become = serializers.ListField(child=_CRITERIA_STATUS, help_text="The statuses recording it could give.")


class CriteriaComputedOut(serializers.Serializer):
    set = _CRITERIA_SET
    status = _CRITERIA_STATUS
    score = serializers.FloatField(help_text="Points of the items present (the highest per domain; IIM: summed).")
    max_possible = serializers.FloatField(help_text="The score if every unknown item were present.")
    threshold = serializers.FloatField(help_text="Met from this score (IIM: probable, with or without biopsy).")
    category = _CRITERIA_CATEGORY
    items = CriteriaItemOut(many=True, help_text="Every item of the set with its points and recorded state.")
    entry = CriteriaRuleOut(many=True, help_text="Entry rules and exclusions.")
    could_change = CriteriaChangeOut(many=True, help_text="Unknown items or rules whose answer alone changes status.")


class CriteriaRowOut(serializers.Serializer):
    registry_id = serializers.CharField(help_text="The case the row belongs to.")
    set = _CRITERIA_SET
    status = _CRITERIA_STATUS
    score = serializers.FloatField(help_text="Points of the items present (the highest per domain; IIM: summed).")
    max_possible = serializers.FloatField(help_text="The score if every unknown item were present.")
    category = _CRITERIA_CATEGORY


def _case_out_fields() -> dict:
    fields = {
        "registry_id": serializers.CharField(help_text="The case's public id, e.g. CC-000001."),
        "version": serializers.IntegerField(help_text="Bumped on every save; send it back with a change."),
    }
    for f in CASE_FIELDS:
        if f.kind is Kind.SITE:
            fields[f.name] = serializers.CharField(help_text="The site's code.")
        elif f.kind is Kind.PUBLICATION:
            fields[f.name] = PublicationOut(allow_null=True, help_text=f.description)
        else:
            fields[f.name] = out_field(f)
    for child in CHILD_LISTS:
        fields[child.key] = CHILD_OUT[child.key](many=True, help_text=child.heading)
    fields["criteria_computed"] = CriteriaComputedOut(
        many=True, help_text="The four classification criteria sets computed from the record (read-only)."
    )
    fields["quality_issues"] = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="What a curator still has to fix: [{code, message}].",
    )
    fields.update({f.name: out_field(f) for f in RECORD_FIELDS})
    return fields


def _case_in_fields(*, replace: bool) -> dict:
    fields = {}
    for f in CASE_FIELDS:
        if f.kind is Kind.SITE:
            fields[f.name] = serializers.CharField(required=not replace, help_text=f.description)
        elif f.kind is Kind.PUBLICATION:
            fields[f.name] = PublicationIn(required=False, allow_null=True, help_text=f.description)
        else:
            fields[f.name] = in_field(f)
    for child in CHILD_LISTS:
        fields[child.key] = CHILD_IN[child.key](many=True, required=False, help_text=child.heading)
    if replace:
        fields["version"] = serializers.IntegerField(
            required=False, help_text="The version this change is based on (or send it as If-Match)."
        )
    return fields


CaseOut = _shape("CaseOut", _case_out_fields())
CaseIn = _shape("CaseIn", _case_in_fields(replace=False))
CaseReplaceIn = _shape("CaseReplaceIn", _case_in_fields(replace=True))


class VerifyIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="Refuse (409) if the case changed since this version.")


class FieldChangeOut(serializers.Serializer):
    field = serializers.CharField(help_text="The stored column, as in changes (condition_id, size_mm, …).")
    label = serializers.CharField(help_text="The column in words.")
    old = serializers.JSONField(allow_null=True, help_text="The value before, codes as their labels; null: none.")
    new = serializers.JSONField(allow_null=True, help_text="The value after, codes as their labels; null: none.")


class HistoryEntryOut(serializers.Serializer):
    when = serializers.DateTimeField(help_text="When the row was written (ISO 8601, UTC).")
    user = serializers.CharField(allow_null=True, help_text="Who wrote it (username); null outside a login.")
    action = serializers.ChoiceField(choices=["insert", "update", "delete"], help_text="What happened to the row.")
    table = serializers.CharField(
        help_text='The kind of row in words: "case", "diagnosis", "treatment course", "treatment target", …'
    )
    row_id = serializers.CharField(allow_null=True, help_text="The row's id in its table.")
    operation = serializers.CharField(
        allow_null=True,
        help_text="The write that did it: case_create, case_update, case_verify, case_send_back, case_delete; "
        "null for a change made outside the registry's services.",
    )
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text="field → [old value, new value]",
    )
    row_label = serializers.CharField(help_text='The row in words, e.g. "Treatment Diltiazem → site Little finger".')
    fields = FieldChangeOut(many=True, help_text="The changes in words, values as labels, in the order of the form.")


# ---- errors, auth, statistics, vocabularies ------------------------------------------------------


class FieldErrors(serializers.Serializer):
    """``{"field": ["message"], "serology": [{}, {"test": ["Unknown code 'anti_xyz'."]}]}``"""

    non_field_errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Messages about the request as a whole. Every other key names the field or parameter refused: "
        "a list of messages, or for a list of the document one object per row ({} for a row without problems).",
    )


class Detail(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")


class StaleVersionOut(serializers.Serializer):
    version = serializers.ListField(
        child=serializers.CharField(), help_text="Why: the version sent and the current one, in words."
    )
    current_version = serializers.IntegerField(help_text="The case's version now: read the case again, then retry.")


class TokenIn(serializers.Serializer):
    username = serializers.CharField(help_text="Your login name.")
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, help_text="Your password."
    )


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>"; shown once, stored hashed.')
    expires = serializers.DateTimeField(help_text="When it stops working (ISO 8601).")


class RegionCount(serializers.Serializer):
    region = serializers.CharField(help_text="A code of the vocabulary 'region'.")
    label = serializers.CharField(help_text="The region in words.")
    parent = serializers.CharField(allow_null=True, help_text="The region above it; null at the top.")
    cases = serializers.IntegerField(help_text="Selected cases with calcinosis at this region or below it.")
    proportion = serializers.FloatField(help_text="cases / all selected cases (4 decimals); 0 when none is selected.")


class CalcinosisSiteStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    regions = RegionCount(
        many=True, help_text="Every region with at least one selected case, in the vocabulary's tree order."
    )


RESPONSE_COUNTS_HELP = (
    "response code → courses, every code present: complete, partial, not_complete, none, progression, not_assessed."
)


class AgentResponses(serializers.Serializer):
    agent = serializers.CharField(help_text="A code of the vocabulary 'agent': a drug, a class or a procedure.")
    label = serializers.CharField(help_text="The agent in words.")
    parent = serializers.CharField(allow_null=True, help_text="The class it belongs to; null at the top.")
    is_class = serializers.BooleanField(
        help_text="A class (e.g. bisphosphonate): counts its own courses and its members' (alendronate, …); "
        "add up the rows that are not classes, never a class with its members."
    )
    courses = serializers.IntegerField(help_text="Courses counted, of either response scope.")
    cases = serializers.IntegerField(help_text="Cases with a course counted.")
    responses = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=f"Courses whose response is the agent's own (response_scope=agent). {RESPONSE_COUNTS_HELP}",
    )
    regimen_responses = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Courses carrying the one outcome of their regimen (response_scope=regimen): no single agent's, "
        f"so not in assessed, responders or the proportion. {RESPONSE_COUNTS_HELP}",
    )
    assessed = serializers.IntegerField(help_text="Agent-scope courses with a response other than not_assessed.")
    responders = serializers.IntegerField(help_text="Agent-scope courses with a complete or partial response.")
    responder_proportion = serializers.FloatField(
        allow_null=True, help_text="responders / assessed (4 decimals); null when none was assessed."
    )
    responder_ci95 = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        allow_null=True,
        help_text="[low, high]: the 95% Wilson score interval of responder_proportion; null when none was assessed.",
    )


class TreatmentResponseStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    agents = AgentResponses(
        many=True, help_text="Every agent and class with a counted course, in the vocabulary's tree order."
    )
    indication = serializers.CharField(
        help_text="The indication of the courses counted: calcinosis unless asked, any for every course."
    )


class SerologyCount(serializers.Serializer):
    test = serializers.CharField(help_text="A code of the vocabulary 'serology_test'.")
    label = serializers.CharField(help_text="The test in words.")
    positive = serializers.IntegerField(help_text="Cases with a positive result of this test.")
    negative = serializers.IntegerField(help_text="Cases with a negative result.")
    equivocal = serializers.IntegerField(help_text="Cases with an equivocal result.")
    not_done = serializers.IntegerField(help_text="Cases in which the source says the test was not done.")
    not_recorded = serializers.IntegerField(help_text="Cases with no result for this test.")


class SerologyStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    tests = SerologyCount(
        many=True,
        help_text="Every test with a result in a selected case. A case with two rows of one test (two ANA "
        "patterns) counts once per result it has.",
    )


class CriteriaCount(serializers.Serializer):
    set = _CRITERIA_SET
    label = serializers.CharField(help_text="The set in words.")
    met = serializers.IntegerField(help_text="Selected cases whose computed status is met.")
    not_met = serializers.IntegerField(help_text="Selected cases whose computed status is not_met.")
    indeterminate = serializers.IntegerField(help_text="Selected cases whose unknown items could still decide it.")


class CriteriaStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    sets = CriteriaCount(many=True, help_text="The four sets, always all four.")


class FollowUpBand(serializers.Serializer):
    band = serializers.ChoiceField(choices=["0", "1-6", "7-12", "13-24", ">24"], help_text="Months from presentation.")
    above_months = serializers.IntegerField(
        allow_null=True, help_text="The band holds the visits after this month (null: month 0 itself)."
    )
    up_to_months = serializers.IntegerField(allow_null=True, help_text="… up to this month, included (null: no end).")
    assessments = serializers.IntegerField(help_text="Assessments in the band.")
    cases = serializers.IntegerField(help_text="Cases with an assessment in the band.")
    calcinosis_course = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="calcinosis_course → assessments, every code present: resolved, improved, stable, worse, "
        "not_assessed.",
    )


class InstrumentBand(serializers.Serializer):
    band = serializers.CharField(help_text="Months from presentation: 0, 1-6, 7-12, 13-24 or >24.")
    scores = serializers.IntegerField(help_text="Scores of the instrument in the band.")
    cases = serializers.IntegerField(help_text="Cases the scores came from.")
    median = serializers.FloatField(allow_null=True, help_text="Null when no score is in the band.")
    q1 = serializers.FloatField(allow_null=True, help_text="25th percentile.")
    q3 = serializers.FloatField(allow_null=True, help_text="75th percentile.")


class InstrumentFollowUp(serializers.Serializer):
    instrument = serializers.CharField(help_text="A code of the vocabulary 'instrument'.")
    label = serializers.CharField(help_text="The instrument in words.")
    higher_is_worse = serializers.BooleanField(help_text="How the score reads over time.")
    bands = InstrumentBand(many=True, help_text="The five bands, in order.")


class FollowUpStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    bands = FollowUpBand(many=True, help_text="The five bands, in order, each present.")
    instruments = InstrumentFollowUp(many=True, help_text="The instruments with a score in the selected cases.")


class VocabularyOut(serializers.Serializer):
    name = serializers.CharField(help_text="The vocabulary's name, as documents and filters refer to it.")
    label = serializers.CharField(help_text="The vocabulary in words.")
    concepts = serializers.IntegerField(help_text="How many codes it has, inactive ones included.")
    url = serializers.CharField(help_text="Its codes: GET /api/v1/vocabularies/{name}/.")


class ConceptOut(serializers.Serializer):
    code = serializers.CharField(help_text="The code documents and filters use.")
    label = serializers.CharField(help_text="What the pages show.")
    parent = serializers.CharField(
        allow_null=True, help_text="The code of the concept above it (a filter on the parent finds this one too)."
    )
    path = serializers.CharField(help_text="Every code from the top down to this one, '/' after each.")
    snomed = serializers.CharField(allow_blank=True, help_text="SNOMED CT, where verified.")
    synonyms = serializers.ListField(child=serializers.CharField(), help_text="Other names the entry form finds it by.")
    active = serializers.BooleanField(help_text="Inactive concepts stay on old records but are refused for new ones.")
    icd10 = serializers.CharField(required=False, allow_blank=True, help_text="condition: ICD-10, where verified.")
    loinc_presence = serializers.CharField(required=False, allow_blank=True, help_text="LOINC of a presence result.")
    loinc_titer = serializers.CharField(required=False, allow_blank=True, help_text="LOINC of a titre.")
    loinc_quantity = serializers.CharField(required=False, allow_blank=True, help_text="LOINC of a quantity.")
    units = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="lab_test: accepted UCUM units, the first canonical, each with the factor to the canonical unit.",
    )
    plausible_min = serializers.CharField(required=False, allow_null=True, help_text="lab_test: in the canonical unit.")
    plausible_max = serializers.CharField(required=False, allow_null=True, help_text="lab_test: in the canonical unit.")
    laterality_rule = serializers.CharField(required=False, help_text="region: paired, midline or any.")
    organ = serializers.CharField(required=False, allow_blank=True, help_text="feature: the checklist's heading.")
    atc = serializers.CharField(required=False, allow_blank=True, help_text="agent: WHO ATC, where verified.")
    minimum = serializers.CharField(required=False, help_text="instrument: the lowest score.")
    maximum = serializers.CharField(required=False, help_text="instrument: the highest score.")
    step = serializers.CharField(required=False, help_text="instrument: scores move in these steps.")
    higher_is_worse = serializers.BooleanField(required=False, help_text="instrument: how the score reads.")
    definition = serializers.CharField(required=False, help_text="response: what the code means.")
