"""The fixed code lists of the case document (data-model.md): codes are normative, labels may improve.

Kept apart from the models so that everything that speaks of codes (checks, quality rules,
filters) can import them without importing the models.
"""

from django.db import models


class CaseSource(models.TextChoices):
    CLINIC = "clinic", "Clinic"
    LITERATURE = "literature", "Literature"


class CaseSex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class CaseConsent(models.TextChoices):
    WRITTEN = "written", "Written"
    VERBAL = "verbal", "Verbal"
    WAIVED = "waived", "Waived"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CaseEtiology(models.TextChoices):
    DYSTROPHIC = "dystrophic", "Dystrophic"
    METASTATIC = "metastatic", "Metastatic"
    IDIOPATHIC = "idiopathic", "Idiopathic"
    IATROGENIC = "iatrogenic", "Iatrogenic"
    CALCIPHYLAXIS = "calciphylaxis", "Calciphylaxis"
    UNKNOWN = "unknown", "Unknown"


class CaseExtent(models.TextChoices):
    LOCALIZED = "localized", "Localized"
    MULTIPLE = "multiple", "Multiple"
    UNIVERSALIS = "universalis", "Universalis"
    UNKNOWN = "unknown", "Unknown"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    VERIFIED = "verified", "Verified"


class ConsentScope(models.TextChoices):
    PUBLICATION = "publication", "Publication"
    REGISTRY = "registry", "Registry"
    DATA_SHARING = "data_sharing", "Data sharing"
    RECONTACT = "recontact", "Recontact"


class Criteria(models.TextChoices):
    """Classification criteria a source says were met (clinical-v2.md §2, ``criteria_stated``)."""

    SSC_2013 = "acr_eular_2013_ssc", "ACR/EULAR 2013 systemic sclerosis"
    SSC_1980 = "acr_1980_ssc", "ACR 1980 systemic sclerosis"
    SSC_LEROY_2001 = "leroy_2001_ssc", "LeRoy & Medsger 2001 early systemic sclerosis"
    SJOGREN_2016 = "acr_eular_2016_sjogren", "ACR/EULAR 2016 Sjögren's"
    SJOGREN_AECG_2002 = "aecg_2002_sjogren", "AECG 2002 Sjögren's"
    SLE_2019 = "eular_acr_2019_sle", "EULAR/ACR 2019 SLE"
    SLE_SLICC_2012 = "slicc_2012_sle", "SLICC 2012 SLE"
    SLE_1997 = "acr_1997_sle", "ACR 1997 SLE"
    IIM_2017 = "eular_acr_2017_iim", "EULAR/ACR 2017 inflammatory myopathy"
    BOHAN_PETER_1975 = "bohan_peter_1975", "Bohan & Peter 1975 myositis"
    MCTD_ALARCON_SEGOVIA = "alarcon_segovia_mctd", "Alarcón-Segovia MCTD"
    MCTD_KASUKAWA = "kasukawa_mctd", "Kasukawa MCTD"
    RA_2010 = "acr_eular_2010_ra", "ACR/EULAR 2010 rheumatoid arthritis"
    OTHER = "other", "Other"


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    SUSPECTED = "suspected", "Suspected"


class DurationBasis(models.TextChoices):
    SINCE_ONSET = "since_onset", "Since onset"
    SINCE_DIAGNOSIS = "since_diagnosis", "Since diagnosis"
    UNSTATED = "unstated", "Unstated"


class Timing(models.TextChoices):
    CURRENT = "current", "Current"
    PAST = "past", "Past"
    UNKNOWN = "unknown", "Unknown"


class FeatureStatus(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    UNKNOWN = "unknown", "Not recorded"


class SerologyOutcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    EQUIVOCAL = "equivocal", "Equivocal"
    NOT_DONE = "not_done", "Not done"


class SerologyMethod(models.TextChoices):
    IIF_HEP2 = "iif_hep2", "Indirect immunofluorescence on HEp-2"
    ELISA = "elisa", "ELISA"
    LINE_BLOT = "line_blot", "Line blot"
    BEAD = "bead", "Bead-based assay"
    CLIA = "clia", "Chemiluminescence (CLIA)"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class LabInterpretation(models.TextChoices):
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"
    HIGH = "high", "High"
    ABNORMAL = "abnormal", "Abnormal"


class Laterality(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"
    MIDLINE = "midline", "Midline"
    UNKNOWN = "unknown", "Unknown"


class EyeLaterality(models.TextChoices):
    """The eye a per-eye test (Schirmer, ocular staining) was read in."""

    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    UNKNOWN = "unknown", "Unknown"


class DigitSegment(models.TextChoices):
    PROXIMAL = "proximal", "Proximal phalanx"
    MIDDLE = "middle", "Middle phalanx"
    DISTAL = "distal", "Distal phalanx"
    FINGERTIP = "fingertip", "Tip (pulp)"


class Depth(models.TextChoices):
    DERMAL = "dermal", "Dermal"
    SUBCUTANEOUS = "subcutaneous", "Subcutaneous"
    FASCIAL = "fascial", "Fascial"
    INTRAMUSCULAR = "intramuscular", "Intramuscular"
    PERIARTICULAR = "periarticular", "Periarticular"
    TENDON = "tendon", "Tendon"
    UNKNOWN = "unknown", "Unknown"


class DetectedBy(models.TextChoices):
    """How a calcinosis site was seen (``methods``: one or more)."""

    RADIOGRAPH = "radiograph", "Radiograph"
    CT = "ct", "CT"
    MRI = "mri", "MRI"
    ULTRASOUND = "ultrasound", "Ultrasound"
    SCINTIGRAPHY = "scintigraphy", "Scintigraphy"
    CLINICAL_EXAM = "clinical_exam", "Clinical examination"
    HISTOLOGY = "histology", "Histology"


class Morphology(models.TextChoices):
    PUNCTATE = "punctate", "Punctate"
    NODULAR = "nodular", "Nodular"
    STONE = "stone", "Stone"
    MOUSSE = "mousse", "Mousse"
    TUMORAL = "tumoral", "Tumoral"
    SHEET = "sheet", "Sheet"
    PLATE = "plate", "Plate"
    NET = "net", "Net"
    LINEAR = "linear", "Linear"
    UNSPECIFIED = "unspecified", "Unspecified"


class Route(models.TextChoices):
    ORAL = "oral", "Oral"
    IV = "iv", "Intravenous"
    SC = "sc", "Subcutaneous"
    IM = "im", "Intramuscular"
    TOPICAL = "topical", "Topical"
    INTRALESIONAL = "intralesional", "Intralesional"
    INTRADERMAL = "intradermal", "Intradermal"
    PROCEDURE = "procedure", "Procedure"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Indication(models.TextChoices):
    """What a course was given for. A source that does not say is ``unclear``, not ``calcinosis``."""

    CALCINOSIS = "calcinosis", "Calcinosis"
    UNDERLYING_DISEASE = "underlying_disease", "Underlying disease"
    RAYNAUD_VASCULOPATHY = "raynaud_vasculopathy", "Raynaud phenomenon / vasculopathy"
    GERD = "gerd", "Gastro-oesophageal reflux"
    INFECTION = "infection", "Infection"
    SYMPTOMATIC = "symptomatic", "Symptomatic (pain, symptom relief)"
    OTHER = "other", "Other"
    UNCLEAR = "unclear", "Unclear (not stated)"


class Response(models.TextChoices):
    COMPLETE = "complete", "Complete"
    PARTIAL = "partial", "Partial"
    NOT_COMPLETE = "not_complete", "Not complete"
    NONE = "none", "None"
    PROGRESSION = "progression", "Progression"
    NOT_ASSESSED = "not_assessed", "Not assessed"


# What each response means (clinical-v2.md §1): shown beside the field in every form, in the OpenAPI
# schema and in the vocabulary endpoint, so that every contributor codes an outcome the same way.
RESPONSE_DEFINITIONS = {
    "complete": "every targeted deposit resolved (clinically or on imaging)",
    "partial": "smaller or fewer deposits, or a clear improvement of pain, ulceration or function, short of complete",
    "not_complete": "the source says the lesions did not resolve, without saying whether they improved",
    "none": "no meaningful change",
    "progression": "deposits grew or new ones appeared on treatment",
    "not_assessed": "no outcome reported",
}


class ResponseBasis(models.TextChoices):
    SIZE = "size", "Size"
    SYMPTOMS = "symptoms", "Symptoms"
    IMAGING = "imaging", "Imaging"
    GLOBAL = "global", "Global impression"
    UNSTATED = "unstated", "Unstated"


class ResponseScope(models.TextChoices):
    """Whose outcome a response is: the course's own, or its regimen's (courses evaluated together)."""

    AGENT = "agent", "This agent"
    REGIMEN = "regimen", "The regimen as a whole"


class StopReason(models.TextChoices):
    COMPLETED = "completed", "Completed"
    INEFFECTIVE = "ineffective", "Ineffective"
    ADVERSE_EVENT = "adverse_event", "Adverse event"
    PATIENT_CHOICE = "patient_choice", "Patient's choice"
    ONGOING = "ongoing", "Ongoing"
    UNKNOWN = "unknown", "Unknown"


class BiopsyTissue(models.TextChoices):
    LABIAL_SALIVARY_GLAND = "labial_salivary_gland", "Labial salivary gland"
    MUSCLE = "muscle", "Muscle"
    SKIN = "skin", "Skin"
    CALCINOSIS_LESION = "calcinosis_lesion", "Calcinosis lesion"
    KIDNEY = "kidney", "Kidney"
    OTHER = "other", "Other"


class CalcinosisCourse(models.TextChoices):
    """The whole picture of the calcinosis at an assessment."""

    RESOLVED = "resolved", "Resolved"
    IMPROVED = "improved", "Improved"
    STABLE = "stable", "Stable"
    WORSE = "worse", "Worse"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class LesionChange(models.TextChoices):
    """A lesion at an assessment, against the previous one."""

    RESOLVED = "resolved", "Resolved"
    SMALLER = "smaller", "Smaller"
    STABLE = "stable", "Stable"
    LARGER = "larger", "Larger"


class LateralityRule(models.TextChoices):
    """Which sides a region can have (clinical-v2.md §3)."""

    PAIRED = "paired", "Paired (left, right, bilateral or unknown)"
    MIDLINE = "midline", "Midline (midline or unknown)"
    ANY = "any", "Any"
