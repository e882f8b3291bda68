"""pk_model remembers built models per drug object; the cache never serves a stale or shared model.

The cache (``exposure._model_cache``) keys on the Drug record's identity, the route, the weight
and ``metabolites``; callers get fresh copies. These tests pin that a changed drug record (as from
another knowledge base), another weight or route, or a caller's edit never leaks across calls.
"""

from __future__ import annotations

import math

import pytest

from allostasis.exposure import pk_model
from allostasis.knowledge import build_knowledge_base, load_knowledge_base, read_data_files
from allostasis.units import Q_


def test_each_call_gets_its_own_model_with_the_same_values() -> None:
    a, b = pk_model("alprazolam", "oral"), pk_model("alprazolam", "oral")
    assert a is not b
    assert a.params is not b.params
    assert a.params["cl"] is not b.params["cl"]
    assert a.typical() == b.typical()
    assert a.basis == b.basis


def test_a_callers_edit_does_not_reach_the_next_call() -> None:
    first = pk_model("lorazepam", "oral")
    cl = first.typical()["cl"]
    first.params["cl"].ito("mL/h")  # in-place change of the pint quantity
    first.params["v"] = Q_(1.0, "L")
    again = pk_model("lorazepam", "oral")
    assert again.typical()["cl"] == cl
    assert str(again.params["cl"].units) == "liter / hour"  # a shared quantity would be in mL/h
    assert again.typical()["v"] != 1.0


def test_a_changed_drug_record_is_not_served_from_the_cache() -> None:
    kb = load_knowledge_base()
    d = kb["alprazolam"]
    typical = pk_model(d, "oral").typical()
    vol = d.pk.volume_per_kg
    assert vol is not None
    doubled = vol.model_copy(update={"value": 2 * vol.value})
    bigger = d.model_copy(update={"pk": d.pk.model_copy(update={"volume_per_kg": doubled})})
    changed = pk_model(bigger, "oral").typical()
    assert changed["v"] == pytest.approx(2 * typical["v"], rel=1e-12)
    # the original record still gets its own model
    assert pk_model(d, "oral").typical() == typical


def test_another_knowledge_base_builds_its_own_models() -> None:
    other = build_knowledge_base(read_data_files())
    d_default, d_other = load_knowledge_base()["oxycodone"], other["oxycodone"]
    assert d_default is not d_other
    assert pk_model(d_other, "oral", kb=other).typical() == pk_model(d_default, "oral").typical()


def test_weight_route_and_metabolites_are_part_of_the_key() -> None:
    light = pk_model("lorazepam", "oral", weight="50 kg").typical()
    heavy = pk_model("lorazepam", "oral", weight="100 kg").typical()
    assert heavy["v"] == pytest.approx(2 * light["v"], rel=1e-12)  # 1.2 L/kg
    assert pk_model("diazepam", "oral", metabolites=False).analytes == ["diazepam"]
    assert pk_model("diazepam", "oral").analytes == ["diazepam", "nordiazepam"]
    assert pk_model("lorazepam", "iv").route == "iv"
    assert pk_model("lorazepam", "im").route == "im"
    assert pk_model("lorazepam", "oral").typical()["ka"] > 0


def test_errors_are_raised_again_not_remembered() -> None:
    for _ in range(2):
        with pytest.raises(Exception, match="no data for route 'transdermal'"):
            pk_model("diazepam", route="transdermal")
    assert math.isfinite(pk_model("diazepam").typical()["cl"])
