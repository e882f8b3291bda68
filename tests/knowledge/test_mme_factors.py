"""MME factor sets: values against the published tables, schema checks, and that sets stay apart.

Reference values: CDC 2022 guideline MME table (Dowell et al., MMWR Recomm Rep 2022;71(3),
doi:10.15585/mmwr.rr7103a1); CDC 2016 guideline table (Dowell et al., MMWR Recomm Rep 2016;65(1),
doi:10.15585/mmwr.rr6501e1); CDC oral MME conversion file, 2018 version (analytic).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from allostasis.errors import KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge import load_knowledge_base
from allostasis.knowledge._mme_factors import (
    build_mme_factor_sets,
    load_mme_factor_sets,
    read_mme_factor_files,
)

CDC_2022 = {
    "codeine": 0.15, "hydrocodone": 1.0, "hydromorphone": 5.0, "methadone": 4.7, "morphine": 1.0,
    "oxycodone": 1.5, "oxymorphone": 3.0, "tapentadol": 0.4, "tramadol": 0.2,
}  # fmt: skip
CDC_2016 = {
    "codeine": 0.15, "hydrocodone": 1.0, "hydromorphone": 4.0, "morphine": 1.0, "oxycodone": 1.5,
    "oxymorphone": 3.0,
}  # fmt: skip
CDC_2018_ANALYTIC = {
    "codeine": 0.15, "hydrocodone": 1.0, "hydromorphone": 4.0, "methadone": 3.0, "morphine": 1.0,
    "oxycodone": 1.5, "oxymorphone": 3.0, "tapentadol": 0.4, "tramadol": 0.1,
}  # fmt: skip


def test_three_sets_load_with_their_kinds() -> None:
    sets = load_mme_factor_sets()
    assert {k: s.kind for k, s in sets.items()} == {
        "cdc-2022": "clinical",
        "cdc-2016": "clinical",
        "cdc-2018-analytic": "analytic",
    }


@pytest.mark.parametrize(
    ("set_id", "table"),
    [("cdc-2022", CDC_2022), ("cdc-2016", CDC_2016), ("cdc-2018-analytic", CDC_2018_ANALYTIC)],
)
def test_oral_factors_match_the_published_tables(set_id: str, table: dict[str, float]) -> None:
    s = load_mme_factor_sets()[set_id]
    got = {f.drug: f.factor for f in s.factor if f.route == "oral" and f.factor is not None}
    assert got == table


def test_fentanyl_transdermal_rules() -> None:
    sets = load_mme_factor_sets()
    for set_id in ("cdc-2022", "cdc-2016"):
        f = sets[set_id].factor_for("fentanyl", "transdermal")
        assert (f.factor, f.dose_unit, f.dose_basis) == (2.4, "mcg/h", "patch_rate")
    a = sets["cdc-2018-analytic"].factor_for("fentanyl", "transdermal")
    assert (a.factor, a.dose_basis) == (7.2, "units_per_day")
    # 7.2 x (1 patch / 3 days) equals the clinical 2.4 per mcg/h for a 72-h patch
    assert a.factor is not None
    assert a.factor / 3 == pytest.approx(2.4)


@pytest.mark.parametrize(
    ("dose", "factor"),
    [(1, 4), (20, 4), (20.5, 8), (40, 8), (41, 10), (60, 10), (61, 12), (80, 12), (200, 12)],
)
def test_cdc_2016_methadone_bands(dose: float, factor: float) -> None:
    f = load_mme_factor_sets()["cdc-2016"].factor_for("methadone", "oral")
    assert f.factor is None
    assert f.factor_at(dose) == factor


def test_buprenorphine_is_excluded_in_every_set_with_a_reason() -> None:
    for s in load_mme_factor_sets().values():
        e = s.exclusion_for("buprenorphine")
        assert e is not None, s.id
        assert "partial" in e.reason
        assert all(f.drug != "buprenorphine" for f in s.factor)


def test_every_factor_names_a_unit_and_a_known_source() -> None:
    kb = load_knowledge_base()
    for s in load_mme_factor_sets().values():
        assert s.source in kb.sources
        for f in s.factor:
            assert f.unit.startswith("MME/day per")
            assert f.source in kb.sources
            for b in f.bands:
                assert b.unit == "mg/day"
                assert b.source in kb.sources


def test_reassessment_point_is_50_in_the_clinical_sets_only() -> None:
    sets = load_mme_factor_sets()
    assert [t.mme_per_day for t in sets["cdc-2022"].threshold] == [50]
    assert [t.mme_per_day for t in sets["cdc-2016"].threshold] == [50, 90]
    assert sets["cdc-2018-analytic"].threshold == []


def test_analytic_set_says_it_must_not_be_mixed_with_clinical_sets() -> None:
    for s in load_mme_factor_sets().values():
        assert any("never combine" in n for n in s.notes), s.id


def test_unknown_drug_or_route_names_what_the_set_has() -> None:
    s = load_mme_factor_sets()["cdc-2022"]
    with pytest.raises(UnknownDrugError, match=r"no MME factor for fentanyl by the buccal route"):
        s.factor_for("fentanyl", "buccal")
    with pytest.raises(UnknownDrugError, match=r"no MME factor for diazepam; it covers codeine"):
        s.factor_for("diazepam", "oral")


def _raw() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(read_mme_factor_files())


def test_loader_reports_unknown_source_and_non_opioid_drug_at_once() -> None:
    raw = _raw()
    raw["cdc-2022.toml"]["factor"][0]["source"] = "no-such-source"
    raw["cdc-2022.toml"]["factor"][1]["drug"] = "diazepam"
    with pytest.raises(KnowledgeBaseError, match=r"2 problem\(s\)") as exc:
        build_mme_factor_sets(raw)
    assert "unknown source id 'no-such-source'" in str(exc.value)
    assert "'diazepam' is not an opioid" in str(exc.value)


def test_loader_refuses_factor_and_bands_together_and_gapped_bands() -> None:
    raw = _raw()
    meth = next(f for f in raw["cdc-2016.toml"]["factor"] if f["drug"] == "methadone")
    meth["factor"] = 4.7
    with pytest.raises(KnowledgeBaseError, match="either 'factor' or 'bands'"):
        build_mme_factor_sets(raw)
    raw = _raw()
    meth = next(f for f in raw["cdc-2016.toml"]["factor"] if f["drug"] == "methadone")
    meth["bands"][1]["above"] = 25
    with pytest.raises(KnowledgeBaseError, match="contiguous"):
        build_mme_factor_sets(raw)


def test_loader_refuses_a_file_whose_id_differs_from_its_name() -> None:
    raw = _raw()
    raw["cdc-2022.toml"]["id"] = "cdc-2023"
    with pytest.raises(KnowledgeBaseError, match="does not match the file name"):
        build_mme_factor_sets(raw)


def test_drug_loader_ignores_the_mme_subfolder() -> None:
    kb = load_knowledge_base()
    assert "cdc-2022-opioid-guideline" in kb.sources  # sources_mme.toml is read
    assert all(not n.startswith("cdc") for n in kb.drugs)
