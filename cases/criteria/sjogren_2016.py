"""ACR/EULAR 2016 classification criteria for primary Sjögren's syndrome.

Shiboski CH, et al. Arthritis Rheumatol 2017;69:35; domain.md §3.2. Classified from a total of 4 (maximum 9)
in a patient who meets the inclusion and none of the exclusions. Each item is a domain of its own.

Not computed, because no field records them: the van Bijsterveld score (≥ 4, an alternative to the Ocular
Staining Score), and whether the ocular and salivary tests were done off anticholinergic drugs.
"""

from cases.criteria.evidence import any_of, feature, focus_score_at_least, lab_value, positive
from cases.criteria.model import CriteriaSet, Item, Rule, own_domain

SJOGREN_2016 = CriteriaSet(
    code="acr_eular_2016_sjogren",
    label="ACR/EULAR 2016 primary Sjögren's syndrome",
    reference="Shiboski CH, et al. Arthritis Rheumatol 2017;69:35",
    threshold=4,
    domains=(
        own_domain(
            Item(
                "labial_gland_focus_score",
                "Labial salivary gland with focal lymphocytic sialadenitis and a focus score ≥ 1 foci/4 mm²",
                3,
                focus_score_at_least("1"),
            )
        ),
        own_domain(Item("anti_ro_ssa", "Anti-SSA/Ro positive", 3, positive("anti_ro_ssa"))),
        own_domain(
            Item(
                "ocular_staining_score",
                "Ocular Staining Score ≥ 5 in at least one eye",
                1,
                lab_value("ocular_staining_score", ">=", "5", per_eye=True),
            )
        ),
        own_domain(
            Item(
                "schirmer",
                "Schirmer's test ≤ 5 mm/5 min in at least one eye",
                1,
                # A Schirmer recorded only as abnormal is what the reports call a positive test: ≤ 5 mm in
                # one eye (clinical-v2 §4).
                lab_value("schirmer", "<=", "5", per_eye=True, abnormal_counts=True, normal_is_absent=True),
            )
        ),
        own_domain(
            Item(
                "unstimulated_salivary_flow",
                "Unstimulated whole saliva flow rate ≤ 0.1 mL/min",
                1,
                lab_value("salivary_flow_unstimulated", "<=", "0.1"),
            )
        ),
    ),
    entry=(
        Rule(
            "sicca_symptoms",
            "Dry eyes or dry mouth for more than 3 months",
            reads=any_of(feature("dry_eyes_3_months"), feature("dry_mouth_3_months")),
            note=(
                "The published inclusion asks five sicca questions or an ESSDAI domain with suspicion of "
                "Sjögren's; the registry records two of them (dry eyes and dry mouth for more than 3 months)."
            ),
        ),
    ),
    exclusions=(
        Rule(
            "sicca_exclusion",
            "Head and neck radiation, active hepatitis C, AIDS, sarcoidosis, amyloidosis, graft-versus-host "
            "disease or IgG4-related disease",
            reads=feature("sicca_exclusion"),
        ),
    ),
)
