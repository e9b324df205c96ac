"""region (data-model.md, clinical-v2.md §3), with the laterality each region allows.

``paired``: the limbs and everything on them, and the paired sites of the trunk and pelvis — left, right,
bilateral or unknown. ``midline``: the symphysis pubis and the sacrum — midline or unknown. ``any``: every
other region takes all five answers. The hip (peri-hip, femoral neck) belongs to the lower limb.
"""

PAIRED, MIDLINE, ANY = "paired", "midline", "any"

_REGIONS = [
    ("head_neck", "Head and neck", None, ANY),
    ("face", "Face", "head_neck", ANY),
    ("scalp", "Scalp", "head_neck", ANY),
    ("neck", "Neck", "head_neck", ANY),
    ("trunk", "Trunk", None, ANY),
    ("chest_wall", "Chest wall", "trunk", ANY),
    ("sternoclavicular", "Sternoclavicular joint", "chest_wall", PAIRED),
    ("costochondral", "Costochondral junctions", "chest_wall", PAIRED),
    ("axilla", "Axilla", "trunk", PAIRED),
    ("abdomen", "Abdomen", "trunk", ANY),
    ("back", "Back", "trunk", ANY),
    ("pelvis", "Pelvis", None, ANY),
    ("ischial_tuberosity", "Ischial tuberosity", "pelvis", PAIRED),
    ("symphysis_pubis", "Symphysis pubis", "pelvis", MIDLINE),
    ("buttock", "Buttock", "pelvis", PAIRED),
    ("sacrum", "Sacrum", "pelvis", MIDLINE),
    ("upper_limb", "Upper limb", None, PAIRED),
    ("shoulder", "Shoulder", "upper_limb", PAIRED),
    ("upper_arm", "Upper arm", "upper_limb", PAIRED),
    ("elbow", "Elbow", "upper_limb", PAIRED),
    ("forearm", "Forearm", "upper_limb", PAIRED),
    ("wrist", "Wrist", "upper_limb", PAIRED),
    ("hand", "Hand", "upper_limb", PAIRED),
    ("palm", "Palm", "hand", PAIRED),
    ("finger", "Finger", "hand", PAIRED),
    ("finger_1", "Thumb (finger 1)", "finger", PAIRED),
    ("finger_2", "Index finger (finger 2)", "finger", PAIRED),
    ("finger_3", "Middle finger (finger 3)", "finger", PAIRED),
    ("finger_4", "Ring finger (finger 4)", "finger", PAIRED),
    ("finger_5", "Little finger (finger 5)", "finger", PAIRED),
    ("lower_limb", "Lower limb", None, PAIRED),
    ("hip", "Hip (peri-hip, femoral neck)", "lower_limb", PAIRED),
    ("thigh", "Thigh", "lower_limb", PAIRED),
    ("knee", "Knee", "lower_limb", PAIRED),
    ("lower_leg", "Lower leg", "lower_limb", PAIRED),
    ("ankle", "Ankle", "lower_limb", PAIRED),
    ("foot", "Foot", "lower_limb", PAIRED),
    ("heel", "Heel", "foot", PAIRED),
    ("sole", "Sole", "foot", PAIRED),
    ("toe", "Toe", "foot", PAIRED),
    ("toe_1", "Great toe (toe 1, hallux)", "toe", PAIRED),
    ("toe_2", "Second toe (toe 2)", "toe", PAIRED),
    ("toe_3", "Third toe (toe 3)", "toe", PAIRED),
    ("toe_4", "Fourth toe (toe 4)", "toe", PAIRED),
    ("toe_5", "Little toe (toe 5)", "toe", PAIRED),
]
REGION = [(code, label, parent, {"laterality_rule": rule}) for code, label, parent, rule in _REGIONS]
