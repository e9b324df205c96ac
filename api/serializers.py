"""The shapes of what the API takes and gives, for the OpenAPI schema and the browsable API.

The case document itself is produced by ``cases.documents.case_document`` and
read by ``cases.services`` (which do every check and report every error at its
nested path), so these serializers describe the document; they do not copy its
rules. Input and output differ: codes and dates go in, and a researcher's
document comes out with years instead of dates and "90+" for great ages.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models.case import CaseConsent, CaseEtiology, CaseExtent, CaseSex, CaseSource, CaseStatus
from cases.models.children import (
    Criteria,
    DetectedBy,
    DigitSegment,
    FeatureStatus,
    Indication,
    LabInterpretation,
    Laterality,
    Morphology,
    Response,
    Route,
    SerologyOutcome,
)

CODE_HELP = "A code of the vocabulary (see /api/v1/vocabularies/)."


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


def code(**kwargs):
    kwargs.setdefault("help_text", CODE_HELP)
    return serializers.CharField(**kwargs)


def number(**kwargs):
    return serializers.FloatField(allow_null=True, required=False, **kwargs)


# ---- output ----------------------------------------------------------------------------------


class PublicationOut(serializers.Serializer):
    doi = serializers.CharField(allow_null=True)
    pmid = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    journal = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    authors = serializers.CharField()
    citation = serializers.CharField()


class DiagnosisOut(serializers.Serializer):
    id = serializers.IntegerField()
    condition = code()
    is_primary = serializers.BooleanField()
    age_at_diagnosis = serializers.IntegerField(allow_null=True)
    duration_years = number()
    criteria = serializers.ChoiceField(choices=Criteria.choices)
    notes = serializers.CharField(allow_blank=True)


class FeatureOut(serializers.Serializer):
    id = serializers.IntegerField()
    feature = code()
    status = serializers.ChoiceField(choices=FeatureStatus.choices)
    notes = serializers.CharField(allow_blank=True)


class SerologyOut(serializers.Serializer):
    id = serializers.IntegerField()
    test = code()
    result = serializers.ChoiceField(choices=SerologyOutcome.choices)
    titer = serializers.IntegerField(allow_null=True, help_text="Denominator: 320 means 1:320.")
    pattern = code(allow_null=True)
    value = number()
    unit = serializers.CharField(allow_blank=True)
    tested_on = DateOrYearField()
    notes = serializers.CharField(allow_blank=True)


class LabOut(serializers.Serializer):
    id = serializers.IntegerField()
    test = code()
    value = number()
    unit = serializers.CharField(allow_blank=True)
    interpretation = serializers.CharField(allow_blank=True, help_text="normal, low, high, abnormal or empty.")
    measured_on = DateOrYearField()
    notes = serializers.CharField(allow_blank=True)


class CalcinosisSiteOut(serializers.Serializer):
    id = serializers.IntegerField()
    region = code()
    laterality = serializers.ChoiceField(choices=Laterality.choices)
    digit_segment = serializers.ChoiceField(choices=DigitSegment.choices, allow_null=True)
    detected_by = serializers.ChoiceField(choices=DetectedBy.choices)
    morphology = serializers.ChoiceField(choices=Morphology.choices)
    palpable = serializers.BooleanField(allow_null=True)
    ulcerated = serializers.BooleanField(allow_null=True)
    infected = serializers.BooleanField(allow_null=True)
    painful = serializers.BooleanField(allow_null=True)
    size_mm = number()
    observed_on = DateOrYearField()
    notes = serializers.CharField(allow_blank=True)


class TreatmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    agent = code()
    route = serializers.ChoiceField(choices=Route.choices)
    dose = serializers.CharField(allow_blank=True)
    indication = serializers.CharField(
        allow_blank=True, help_text="calcinosis, underlying_disease, symptomatic or empty."
    )
    started_on = DateOrYearField()
    stopped_on = DateOrYearField()
    duration_months = number()
    response = serializers.ChoiceField(choices=Response.choices)
    response_assessed_on = DateOrYearField()
    site_ids = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the calcinosis sites treated.")
    notes = serializers.CharField(allow_blank=True)


class CaseOut(serializers.Serializer):
    registry_id = serializers.CharField()
    version = serializers.IntegerField()
    site = serializers.CharField()
    source = serializers.ChoiceField(choices=CaseSource.choices)
    publication = PublicationOut(allow_null=True)
    local_reference = serializers.CharField(
        required=False, allow_blank=True, help_text="Only for the case's own site and curators."
    )
    sex = serializers.ChoiceField(choices=CaseSex.choices)
    age_at_presentation = AgeOutField()
    country = serializers.CharField(allow_blank=True)
    consent = serializers.ChoiceField(choices=CaseConsent.choices)
    calcinosis_etiology = serializers.ChoiceField(choices=CaseEtiology.choices)
    calcinosis_extent = serializers.ChoiceField(choices=CaseExtent.choices)
    summary = serializers.CharField(allow_blank=True, help_text="Withheld (empty) from researchers for clinic cases.")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    diagnoses = DiagnosisOut(many=True)
    features = FeatureOut(many=True)
    serology = SerologyOut(many=True)
    labs = LabOut(many=True)
    calcinosis_sites = CalcinosisSiteOut(many=True)
    treatments = TreatmentOut(many=True)
    verified_at = TimestampOrYearField()
    created_at = TimestampOrYearField()
    updated_at = TimestampOrYearField()


def row_out(name, child):
    """A long-table row: the child row with its case's registry id."""
    fields = {"registry_id": serializers.CharField(), **dict(child().get_fields())}
    return type(name, (serializers.Serializer,), fields)


DiagnosisRowOut = row_out("DiagnosisRow", DiagnosisOut)
FeatureRowOut = row_out("FeatureRow", FeatureOut)
SerologyRowOut = row_out("SerologyRow", SerologyOut)
LabRowOut = row_out("LabRow", LabOut)
CalcinosisSiteRowOut = row_out("CalcinosisSiteRow", CalcinosisSiteOut)
TreatmentRowOut = row_out("TreatmentRow", TreatmentOut)


class HistoryEntryOut(serializers.Serializer):
    when = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    action = serializers.ChoiceField(choices=["insert", "update", "delete"])
    table = serializers.CharField()
    row_id = serializers.CharField(allow_null=True)
    operation = serializers.CharField(allow_null=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text="field → [old value, new value]",
    )


# ---- input -----------------------------------------------------------------------------------


class PublicationIn(serializers.Serializer):
    doi = serializers.CharField(required=False, allow_null=True, help_text="Matched to a stored publication if known.")
    pmid = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    title = serializers.CharField(required=False, allow_blank=True)
    journal = serializers.CharField(required=False, allow_blank=True)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=1800, max_value=2100)
    authors = serializers.CharField(required=False, allow_blank=True)
    citation = serializers.CharField(required=False, allow_blank=True)


def row_id():
    return serializers.IntegerField(
        required=False, help_text="An existing row of this case, to keep it; leave out for a new row."
    )


def optional_date():
    return serializers.DateField(required=False, allow_null=True)


def notes():
    return serializers.CharField(required=False, allow_blank=True)


class DiagnosisIn(serializers.Serializer):
    id = row_id()
    condition = code()
    is_primary = serializers.BooleanField(required=False, help_text="Exactly one diagnosis is primary.")
    age_at_diagnosis = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    duration_years = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=120,
        coerce_to_string=False,
    )
    criteria = serializers.ChoiceField(choices=Criteria.choices, required=False)
    notes = notes()


class FeatureIn(serializers.Serializer):
    id = row_id()
    feature = code()
    status = serializers.ChoiceField(choices=FeatureStatus.choices)
    notes = notes()


class SerologyIn(serializers.Serializer):
    id = row_id()
    test = code()
    result = serializers.ChoiceField(choices=SerologyOutcome.choices)
    titer = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    pattern = code(required=False, allow_null=True, help_text="ANA only.")
    value = serializers.DecimalField(
        required=False, allow_null=True, max_digits=12, decimal_places=3, coerce_to_string=False
    )
    unit = serializers.CharField(required=False, allow_blank=True)
    tested_on = optional_date()
    notes = notes()


class LabIn(serializers.Serializer):
    id = row_id()
    test = code()
    value = serializers.DecimalField(
        required=False, allow_null=True, max_digits=12, decimal_places=3, coerce_to_string=False
    )
    unit = serializers.CharField(required=False, allow_blank=True)
    interpretation = serializers.ChoiceField(choices=LabInterpretation.choices, required=False, allow_blank=True)
    measured_on = optional_date()
    notes = notes()


class CalcinosisSiteIn(serializers.Serializer):
    id = row_id()
    region = code()
    laterality = serializers.ChoiceField(choices=Laterality.choices, required=False)
    digit_segment = serializers.ChoiceField(choices=DigitSegment.choices, required=False, allow_null=True)
    detected_by = serializers.ChoiceField(choices=DetectedBy.choices)
    morphology = serializers.ChoiceField(choices=Morphology.choices, required=False)
    palpable = serializers.BooleanField(required=False, allow_null=True)
    ulcerated = serializers.BooleanField(required=False, allow_null=True)
    infected = serializers.BooleanField(required=False, allow_null=True)
    painful = serializers.BooleanField(required=False, allow_null=True)
    size_mm = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.1"),
        coerce_to_string=False,
    )
    observed_on = optional_date()
    notes = notes()


class TreatmentIn(serializers.Serializer):
    id = row_id()
    agent = code()
    route = serializers.ChoiceField(choices=Route.choices, required=False)
    dose = serializers.CharField(required=False, allow_blank=True)
    indication = serializers.ChoiceField(choices=Indication.choices, required=False, allow_blank=True)
    started_on = optional_date()
    stopped_on = optional_date()
    duration_months = serializers.DecimalField(
        required=False, allow_null=True, max_digits=5, decimal_places=1, min_value=0, coerce_to_string=False
    )
    response = serializers.ChoiceField(choices=Response.choices, required=False)
    response_assessed_on = optional_date()
    site_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of this case's stored calcinosis sites."
    )
    site_indexes = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Positions (from 0) in this document's calcinosis_sites, for sites sent in the same request.",
    )
    notes = notes()


class CaseIn(serializers.Serializer):
    site = serializers.CharField(help_text="The site's code; clinicians enter cases for their own sites.")
    source = serializers.ChoiceField(choices=CaseSource.choices, required=False)
    publication = PublicationIn(required=False, allow_null=True, help_text="Required for literature cases.")
    local_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    sex = serializers.ChoiceField(choices=CaseSex.choices, required=False)
    age_at_presentation = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    consent = serializers.ChoiceField(choices=CaseConsent.choices, required=False)
    calcinosis_etiology = serializers.ChoiceField(choices=CaseEtiology.choices, required=False)
    calcinosis_extent = serializers.ChoiceField(choices=CaseExtent.choices, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, required=False, help_text="draft or submitted; curators verify with /verify/."
    )
    diagnoses = DiagnosisIn(many=True, required=False)
    features = FeatureIn(many=True, required=False)
    serology = SerologyIn(many=True, required=False)
    labs = LabIn(many=True, required=False)
    calcinosis_sites = CalcinosisSiteIn(many=True, required=False)
    treatments = TreatmentIn(many=True, required=False)


class CaseReplaceIn(CaseIn):
    site = serializers.CharField(required=False, help_text="The site's code; left as it is when not sent.")
    version = serializers.IntegerField(
        required=False, help_text="The version this change is based on (or send it as If-Match)."
    )


class VerifyIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="Refuse (409) if the case changed since this version.")


# ---- errors, auth, statistics, vocabularies ------------------------------------------------------


class FieldErrors(serializers.Serializer):
    """``{"field": ["message"], "serology": [{}, {"test": ["Unknown code 'anti_xyz'."]}]}``"""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class Detail(serializers.Serializer):
    detail = serializers.CharField()


class StaleVersionOut(serializers.Serializer):
    version = serializers.ListField(child=serializers.CharField())
    current_version = serializers.IntegerField()


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()


class RegionCount(serializers.Serializer):
    region = serializers.CharField()
    label = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    cases = serializers.IntegerField()
    proportion = serializers.FloatField()


class CalcinosisSiteStats(serializers.Serializer):
    cases = serializers.IntegerField(help_text="Cases matching the filters.")
    regions = RegionCount(many=True)


class AgentResponses(serializers.Serializer):
    agent = serializers.CharField()
    label = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    is_class = serializers.BooleanField(
        help_text="A class (e.g. bisphosphonate): counts the courses of its members too."
    )
    courses = serializers.IntegerField()
    cases = serializers.IntegerField()
    responses = serializers.DictField(child=serializers.IntegerField(), help_text="response code → courses")


class TreatmentResponseStats(serializers.Serializer):
    cases = serializers.IntegerField()
    agents = AgentResponses(many=True)


class SerologyCount(serializers.Serializer):
    test = serializers.CharField()
    label = serializers.CharField()
    positive = serializers.IntegerField()
    negative = serializers.IntegerField()
    equivocal = serializers.IntegerField()
    not_done = serializers.IntegerField()
    not_recorded = serializers.IntegerField(help_text="Cases with no result for this test.")


class SerologyStats(serializers.Serializer):
    cases = serializers.IntegerField()
    tests = SerologyCount(many=True)


class VocabularyOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    concepts = serializers.IntegerField()
    url = serializers.CharField()


class ConceptOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    snomed = serializers.CharField(allow_blank=True)
    icd10 = serializers.CharField(required=False, allow_blank=True)
    loinc = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    organ = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField()
