"""EULAR/ACR 2017 classification criteria for idiopathic inflammatory myopathies.

Lundberg IE, et al. Ann Rheum Dis 2017;76:1955; domain.md §3.4. Items add up (no highest-per-domain rule;
only the two age bands exclude each other). Weights without / with muscle biopsy: the second column applies
when a muscle biopsy is recorded. Weights are decimals, added as decimals (2.1 + 0.7 + 1.9 + 2.1 + 0.7 is
exactly 7.5). Categories by total: below the first bound not IIM, then possible, probable, definite; the
set classifies as IIM from "probable". Without heliotrope, Gottron's papules or Gottron's sign the published
rule needs muscle biopsy data, so without either the status is at most indeterminate.

Not computed: the probability formula behind the bands (not verified, domain.md §7); "when no better
explanation" of each item; the age band is read from the age at onset of the myositis diagnosis (the primary
diagnosis when it is of the myositis family, else the first such diagnosis, else the primary one).
"""

from decimal import Decimal

from cases.criteria.evidence import any_of, biopsy_finding, biopsy_recorded, feature, lab_flag, onset_age, positive
from cases.criteria.model import CriteriaSet, Domain, Item, Rule

D = Decimal
RASH_ITEMS = ("heliotrope_rash", "gottron_papules", "gottron_sign")

IIM_2017 = CriteriaSet(
    code="eular_acr_2017_iim",
    label="EULAR/ACR 2017 idiopathic inflammatory myopathies",
    reference="Lundberg IE, et al. Ann Rheum Dis 2017;76:1955",
    threshold=D("5.5"),
    threshold_with_biopsy=D("6.7"),
    bands=((D("5.3"), "not_iim"), (D("5.5"), "possible"), (D("7.5"), "probable")),
    bands_with_biopsy=((D("6.5"), "not_iim"), (D("6.7"), "possible"), (D("8.7"), "probable")),
    top_category="definite",
    biopsy_recorded=biopsy_recorded("muscle"),
    domains=(
        Domain(
            "age_at_onset",
            "Age of onset of the first symptom (no points under 18)",
            (
                Item("onset_age_18_to_40", "Age at onset ≥ 18 and < 40 years", D("1.3"), onset_age(18, 40), D("1.5")),
                Item("onset_age_40_or_more", "Age at onset ≥ 40 years", D("2.1"), onset_age(40), D("2.2")),
            ),
        ),
        Domain(
            "muscle_weakness",
            "Muscle weakness (objective, symmetric, usually progressive)",
            (
                Item(
                    "proximal_weakness_upper",
                    "Proximal upper extremities",
                    D("0.7"),
                    feature("proximal_weakness_upper"),
                    D("0.7"),
                ),
                Item(
                    "proximal_weakness_lower",
                    "Proximal lower extremities",
                    D("0.8"),
                    feature("proximal_weakness_lower"),
                    D("0.5"),
                ),
                Item(
                    "neck_flexor_weakness",
                    "Neck flexors relatively weaker than neck extensors",
                    D("1.9"),
                    feature("neck_flexor_weakness"),
                    D("1.6"),
                ),
                Item(
                    "proximal_gt_distal_weakness_legs",
                    "In the legs, proximal muscles relatively weaker than distal",
                    D("0.9"),
                    feature("proximal_gt_distal_weakness_legs"),
                    D("1.2"),
                ),
            ),
            adds_up=True,
        ),
        Domain(
            "skin_manifestations",
            "Skin manifestations",
            (
                Item("heliotrope_rash", "Heliotrope rash", D("3.1"), feature("heliotrope_rash"), D("3.2")),
                Item("gottron_papules", "Gottron's papules", D("2.1"), feature("gottron_papules"), D("2.7")),
                Item("gottron_sign", "Gottron's sign", D("3.3"), feature("gottron_sign"), D("3.7")),
            ),
            adds_up=True,
        ),
        Domain(
            "other_clinical",
            "Other clinical manifestations",
            (
                Item(
                    "dysphagia_or_esophageal_dysmotility",
                    "Dysphagia or oesophageal dysmotility",
                    D("0.7"),
                    any_of(feature("dysphagia"), feature("esophageal_dysmotility")),
                    D("0.6"),
                ),
            ),
            adds_up=True,
        ),
        Domain(
            "laboratory",
            "Laboratory measurements",
            (
                Item(
                    "anti_jo1",
                    "Anti-Jo-1 (anti-histidyl-tRNA synthetase) positive",
                    D("3.9"),
                    positive("anti_jo1"),
                    D("3.8"),
                ),
                Item(
                    "raised_muscle_enzymes",
                    "Raised serum CK, LDH, AST or ALT",
                    D("1.3"),
                    any_of(
                        lab_flag("ck", "high"),
                        lab_flag("ldh", "high"),
                        lab_flag("ast", "high"),
                        lab_flag("alt", "high"),
                    ),
                    D("1.4"),
                ),
            ),
            adds_up=True,
        ),
        Domain(
            "muscle_biopsy",
            "Muscle biopsy (weighed only when a muscle biopsy is recorded)",
            (
                Item(
                    "endomysial_infiltrate",
                    "Endomysial infiltration of mononuclear cells surrounding, but not invading, myofibres",
                    None,
                    biopsy_finding("muscle", "endomysial_infiltrate"),
                    D("1.7"),
                ),
                Item(
                    "perimysial_perivascular_infiltrate",
                    "Perimysial and/or perivascular infiltration of mononuclear cells",
                    None,
                    biopsy_finding("muscle", "perimysial_perivascular_infiltrate"),
                    D("1.2"),
                ),
                Item(
                    "perifascicular_atrophy",
                    "Perifascicular atrophy",
                    None,
                    biopsy_finding("muscle", "perifascicular_atrophy"),
                    D("1.9"),
                ),
                Item("rimmed_vacuoles", "Rimmed vacuoles", None, biopsy_finding("muscle", "rimmed_vacuoles"), D("3.1")),
            ),
            adds_up=True,
        ),
    ),
    entry=(
        Rule(
            "rash_or_muscle_biopsy",
            "Heliotrope rash, Gottron's papules or Gottron's sign, or a muscle biopsy",
            reads=biopsy_recorded("muscle"),
            from_items=RASH_ITEMS,
            # A biopsy not done is no row, and a biopsy can still be done: never failed on recorded data.
            can_fail=False,
            note="Without a rash item the published rule classifies only with muscle biopsy data.",
        ),
    ),
)
