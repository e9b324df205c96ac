"""EULAR/ACR 2019 classification criteria for systemic lupus erythematosus.

Aringer M, et al. Ann Rheum Dis 2019;78:1151; domain.md §3.3. Entry: ANA at 1:80 or more, ever. Classified
from a total of 10 with at least one clinical item; only the highest item of a domain counts.

Not computed, because no field records them: an item counts only when nothing likelier than SLE explains it;
the thresholds inside some items (fever > 38.3 °C, leukocytes < 4 × 10⁹/L, platelets < 100 × 10⁹/L, synovitis
or tenderness with morning stiffness in two joints or more) are the curator's when recording the feature;
anticardiolipin "above the 99th percentile" (only the value above 40 is read); anti-dsDNA "in an assay of
≥ 90 % specificity"; proteinuria as a spot urine protein/creatinine ratio. The entry accepts "an equivalent
positive test" to an ANA of 1:80 on HEp-2 cells; a positive ANA without a titre is left unknown rather than
judged equivalent.
"""

from cases.criteria.evidence import (
    all_of,
    ana_titer_at_least,
    any_of,
    biopsy_finding,
    feature,
    lab_flag,
    lab_value,
    positive,
    positive_above,
)
from cases.criteria.model import CriteriaSet, Domain, Item, Rule, own_domain

CLINICAL_DOMAINS = (
    own_domain(Item("fever", "Fever", 2, feature("fever"))),
    Domain(
        "haematologic",
        "Haematologic",
        (
            Item("leukopenia", "Leukopenia", 3, feature("leukopenia")),
            Item("thrombocytopenia", "Thrombocytopenia", 4, feature("thrombocytopenia")),
            Item("autoimmune_haemolysis", "Autoimmune haemolysis", 4, feature("autoimmune_haemolysis")),
        ),
    ),
    Domain(
        "neuropsychiatric",
        "Neuropsychiatric",
        (
            Item("delirium", "Delirium", 2, feature("delirium")),
            Item("psychosis", "Psychosis", 3, feature("psychosis")),
            Item("seizure", "Seizure", 5, feature("seizure")),
        ),
    ),
    Domain(
        "mucocutaneous",
        "Mucocutaneous",
        (
            Item("alopecia_nonscarring", "Non-scarring alopecia", 2, feature("alopecia_nonscarring")),
            Item("oral_ulcers", "Oral ulcers", 2, feature("oral_ulcers")),
            Item(
                "subacute_cutaneous_or_discoid_lupus",
                "Subacute cutaneous or discoid lupus",
                4,
                any_of(feature("subacute_cutaneous_lupus"), feature("discoid_lupus")),
            ),
            Item("acute_cutaneous_lupus", "Acute cutaneous lupus", 6, feature("acute_cutaneous_lupus")),
        ),
    ),
    Domain(
        "serosal",
        "Serosal",
        (
            Item(
                "pleural_or_pericardial_effusion",
                "Pleural or pericardial effusion",
                5,
                any_of(feature("pleural_effusion"), feature("pericardial_effusion")),
            ),
            Item("acute_pericarditis", "Acute pericarditis", 6, feature("acute_pericarditis")),
        ),
    ),
    # Joint involvement is synovitis (or tenderness with morning stiffness): arthritis, not arthralgia.
    own_domain(Item("joint_involvement", "Joint involvement", 6, feature("arthritis"))),
    Domain(
        "renal",
        "Renal",
        (
            Item(
                "proteinuria",
                "Proteinuria > 0.5 g/24 h",
                4,
                lab_value("urine_protein_24h", ">", "0.5", normal_is_absent=True),
            ),
            Item(
                "lupus_nephritis_class_2_or_5",
                "Renal biopsy class II or V lupus nephritis",
                8,
                biopsy_finding("kidney", "lupus_nephritis_class_2", "lupus_nephritis_class_5"),
            ),
            Item(
                "lupus_nephritis_class_3_or_4",
                "Renal biopsy class III or IV lupus nephritis",
                10,
                biopsy_finding("kidney", "lupus_nephritis_class_3", "lupus_nephritis_class_4"),
            ),
        ),
    ),
)

IMMUNOLOGY_DOMAINS = (
    own_domain(
        Item(
            "antiphospholipid_antibodies",
            "Anticardiolipin (> 40 GPL/MPL), anti-β2GP1 or lupus anticoagulant",
            2,
            any_of(
                positive_above("anticardiolipin", "40"),
                positive("anti_b2gp1"),
                positive("lupus_anticoagulant"),
            ),
        )
    ),
    Domain(
        "complement",
        "Complement proteins",
        (
            Item("low_c3_or_c4", "Low C3 or low C4", 3, any_of(lab_flag("c3", "low"), lab_flag("c4", "low"))),
            Item("low_c3_and_c4", "Low C3 and low C4", 4, all_of(lab_flag("c3", "low"), lab_flag("c4", "low"))),
        ),
    ),
    own_domain(
        Item(
            "anti_dsdna_or_anti_sm",
            "Anti-dsDNA or anti-Smith antibodies",
            6,
            any_of(positive("anti_dsdna"), positive("anti_sm")),
        )
    ),
)

SLE_2019 = CriteriaSet(
    code="eular_acr_2019_sle",
    label="EULAR/ACR 2019 systemic lupus erythematosus",
    reference="Aringer M, et al. Ann Rheum Dis 2019;78:1151",
    threshold=10,
    domains=CLINICAL_DOMAINS + IMMUNOLOGY_DOMAINS,
    entry=(
        Rule("ana_1_80", "ANA at a titre of 1:80 or more (ever)", reads=ana_titer_at_least(80)),
        Rule(
            "clinical_item",
            "At least one clinical item",
            from_items=tuple(item.code for domain in CLINICAL_DOMAINS for item in domain.items),
        ),
    ),
)
