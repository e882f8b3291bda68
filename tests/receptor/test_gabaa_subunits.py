"""GABA-A alpha-subunit profiles: diazepam versus a hypothetical alpha2/alpha3-selective compound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, KnowledgeBaseError, UnitError, UnknownDrugError
from allostasis.receptor import _gabaa_subunits as gs
from allostasis.receptor._gabaa_subunits import (
    SUBUNITS,
    compare_at_equal_anxiolysis,
    load_gabaa_subunit_data,
    subunit_profile,
)


def test_data_file_loads_with_sources_and_labels() -> None:
    data = load_gabaa_subunit_data()
    dz = data.compound_named("diazepam")
    hyp = data.compound_named("hypothetical-a2a3-selective")
    assert not dz.hypothetical
    assert hyp.hypothetical
    # Dawson et al. 2006 (JPET) table: diazepam potentiation of EC20 GABA at alpha1/2/3/5
    assert [dz.subunits[s].efficacy.value for s in SUBUNITS] == [1.03, 1.35, 1.18, 1.06]
    assert [dz.subunits[s].affinity.value for s in SUBUNITS] == [27, 19, 48, 17]
    assert all("hypothetical" in (hyp.subunits[s].efficacy.note or "") for s in SUBUNITS)


def test_occupancy_times_efficacy() -> None:
    p = subunit_profile("diazepam", "19 nM")
    row = p.subunits.set_index("subunit").loc["alpha2"]
    assert row.occupancy == pytest.approx(0.5)
    assert row.modulation == pytest.approx(0.5 * 1.35)
    dom = p.domains.set_index("domain").modulation
    t = p.subunits.set_index("subunit").modulation
    assert dom["anxiolysis"] == pytest.approx((t["alpha2"] + t["alpha3"]) / 2)
    assert dom["sedation"] == pytest.approx(t["alpha1"])
    assert dom["cognition"] == pytest.approx(t["alpha5"])


@settings(max_examples=30, deadline=None)
@given(target=st.floats(min_value=0.01, max_value=0.49))
def test_selective_compound_less_sedation_at_equal_anxiolysis(target: float) -> None:
    df = compare_at_equal_anxiolysis(anxiolytic_modulation=target).set_index("compound")
    dz, hyp = df.loc["diazepam"], df.loc["hypothetical-a2a3-selective"]
    assert dz.anxiolysis == pytest.approx(target, rel=1e-6)
    assert hyp.anxiolysis == pytest.approx(target, rel=1e-6)
    assert hyp.sedation < dz.sedation
    assert hyp.alpha1 < dz.alpha1
    assert bool(hyp.hypothetical) is True


def test_invalid_inputs_rejected() -> None:
    with pytest.raises(UnknownDrugError, match=r"compound: 'lorazepam' has no GABA-A subunit data"):
        subunit_profile("lorazepam", "10 nM")
    with pytest.raises(UnitError, match=r"conc: a bare number"):
        subunit_profile("diazepam", 10)
    with pytest.raises(InvalidValueError, match=r"conc: must be >= 0 nM"):
        subunit_profile("diazepam", "-10 nM")
    with pytest.raises(
        InvalidValueError, match=r"anxiolytic_modulation: must be a finite fraction > 0"
    ):
        compare_at_equal_anxiolysis(anxiolytic_modulation=0.0)
    with pytest.raises(
        InvalidValueError, match=r"cannot be reached by hypothetical-a2a3-selective"
    ):
        compare_at_equal_anxiolysis(anxiolytic_modulation=0.5)
    with pytest.raises(InvalidValueError, match=r"compounds: give a list"):
        compare_at_equal_anxiolysis("diazepam")


def test_malformed_data_reported() -> None:
    raw = {
        "gaba": {
            k: {"value": 1, "unit": "1", "source": "ghansah-weiss-1999"}
            for k in ("ec50", "hill", "max_open_fraction")
        },
        "modulator": [],
        "compound": [
            {
                "name": "x",
                "hypothetical": True,
                "description": "d",
                "subunits": {
                    "alpha1": {
                        "affinity": {"value": 1, "unit": "nM", "source": "no-such-source"},
                        "efficacy": {"value": 1, "unit": "1", "source": "ghansah-weiss-1999"},
                    }
                },
            }
        ],
        "domain": [],
    }
    with pytest.raises(KnowledgeBaseError, match=r"unknown source id 'no-such-source'"):
        gs._validate(raw)
    with pytest.raises(KnowledgeBaseError, match=r"missing \['alpha2', 'alpha3', 'alpha5'\]"):
        gs._validate(raw)
