"""ACR/EULAR 2013 classification criteria for systemic sclerosis.

van den Hoogen F, et al. Arthritis Rheum 2013;65:2737 (Table 1); domain.md §3.1. Classified as SSc from a
total of 9. Only the higher item of a domain counts; the skin item proximal to the MCPs is sufficient alone
and is a domain of its own, added to the rest, so the highest total is 28.

Not computed, because no field records them: the criteria do not apply to skin thickening that spares the
fingers, nor to a scleroderma-like disorder that better explains the manifestations; PAH is by right-heart
catheterisation and ILD by HRCT, chest radiograph or velcro crackles — the features ``pah`` and ``ild``
do not say how they were found.
"""

from cases.criteria.evidence import ana_pattern, any_of, feature, positive
from cases.criteria.model import CriteriaSet, Domain, Item, own_domain

SSC_2013 = CriteriaSet(
    code="acr_eular_2013_ssc",
    label="ACR/EULAR 2013 systemic sclerosis",
    reference="van den Hoogen F, et al. Arthritis Rheum 2013;65:2737",
    threshold=9,
    domains=(
        own_domain(
            Item(
                "skin_thickening_proximal_mcp",
                "Skin thickening of the fingers of both hands extending proximal to the MCP joints",
                9,
                feature("skin_thickening_proximal_mcp"),
            )
        ),
        Domain(
            "skin_thickening_of_fingers",
            "Skin thickening of the fingers (only the higher counts)",
            (
                Item("puffy_fingers", "Puffy fingers", 2, feature("puffy_fingers")),
                Item(
                    "sclerodactyly",
                    "Sclerodactyly of the fingers (distal to the MCP joints, proximal to the PIP joints)",
                    4,
                    feature("sclerodactyly"),
                ),
            ),
        ),
        Domain(
            "fingertip_lesions",
            "Fingertip lesions (only the higher counts)",
            (
                # digital_tip_ulcers: at or distal to the PIP joint. ``digital_ulcers`` (any ulcer of the
                # fingers) does not say where, so it is not evidence for this item.
                Item("digital_tip_ulcers", "Digital tip ulcers", 2, feature("digital_tip_ulcers")),
                Item("pitting_scars", "Fingertip pitting scars", 3, feature("pitting_scars")),
            ),
        ),
        own_domain(Item("telangiectasia", "Telangiectasia", 2, feature("telangiectasia"))),
        own_domain(
            Item(
                "abnormal_nailfold_capillaries",
                "Abnormal nailfold capillaries",
                2,
                feature("abnormal_nailfold_capillaries"),
            )
        ),
        Domain(
            "pah_ild",
            "Pulmonary arterial hypertension and/or interstitial lung disease (maximum 2)",
            (
                Item("pah", "Pulmonary arterial hypertension", 2, feature("pah")),
                Item("ild", "Interstitial lung disease", 2, feature("ild")),
            ),
        ),
        own_domain(Item("raynaud", "Raynaud phenomenon", 3, feature("raynaud"))),
        Domain(
            "ssc_autoantibodies",
            "SSc-related autoantibodies (maximum 3)",
            (
                Item(
                    "anti_centromere",
                    "Anticentromere (or a centromere pattern, AC-3, on ANA)",
                    3,
                    any_of(positive("anti_centromere"), ana_pattern("ac3")),
                ),
                Item("anti_scl70", "Anti-topoisomerase I (anti-Scl-70)", 3, positive("anti_scl70")),
                Item("anti_rnapol3", "Anti-RNA polymerase III", 3, positive("anti_rnapol3")),
            ),
        ),
    ),
)
