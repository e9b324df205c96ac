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


class Criteria(models.TextChoices):
    SSC_2013 = "acr_eular_2013_ssc", "ACR/EULAR 2013 systemic sclerosis"
    SJOGREN_2016 = "acr_eular_2016_sjogren", "ACR/EULAR 2016 Sjögren's"
    SLE_2019 = "eular_acr_2019_sle", "EULAR/ACR 2019 SLE"
    IIM_2017 = "eular_acr_2017_iim", "EULAR/ACR 2017 inflammatory myopathy"
    OTHER = "other", "Other"
    NONE_STATED = "none_stated", "None stated"


class FeatureStatus(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    UNKNOWN = "unknown", "Not recorded"


class SerologyOutcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    EQUIVOCAL = "equivocal", "Equivocal"
    NOT_DONE = "not_done", "Not done"


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


class DigitSegment(models.TextChoices):
    PROXIMAL = "proximal", "Proximal phalanx"
    MIDDLE = "middle", "Middle phalanx"
    DISTAL = "distal", "Distal phalanx"
    FINGERTIP = "fingertip", "Fingertip (pulp)"


class DetectedBy(models.TextChoices):
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
    CALCINOSIS = "calcinosis", "Calcinosis"
    UNDERLYING_DISEASE = "underlying_disease", "Underlying disease"
    SYMPTOMATIC = "symptomatic", "Symptomatic"


class Response(models.TextChoices):
    COMPLETE = "complete", "Complete"
    PARTIAL = "partial", "Partial"
    NONE = "none", "None"
    PROGRESSION = "progression", "Progression"
    NOT_ASSESSED = "not_assessed", "Not assessed"
