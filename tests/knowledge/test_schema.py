"""Schema and loader: what ``build_knowledge_base`` accepts and refuses, and name lookup.

Each rejection builds a small synthetic knowledge base (one source file, one drug file) that is
valid except for one planted problem, and checks that the error names the problem and where it is.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from allostasis.errors import AllostasisError, KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, Measured, build_knowledge_base, load_knowledge_base


def m(value: float, unit: str, source: str = "s1", **kw: Any) -> dict[str, Any]:
    return {"value": value, "unit": unit, "source": source, **kw}


SOURCE = {"kind": "article", "authors": "Doe J", "year": 2000, "title": "A study"}


def drug(name: str = "testazepam") -> dict[str, Any]:
    return {
        "name": name,
        "synonyms": ["Testium"],
        "drug_class": "benzodiazepine",
        "molecular_weight": m(300.0, "g/mol"),
        "targets": [{"target": "GABAA-BZD", "action": "positive allosteric modulator"}],
        "pk": {
            "half_life": m(10.0, "h", low=5.0, high=20.0),
            "volume": m(70.0, "L"),
            "protein_binding": m(0.9, "1"),
            "routes": {"oral": {"bioavailability": m(0.8, "1"), "tmax": m(1.0, "h")}},
        },
        "formulations": [
            {"form": "tablet", "route": "oral", "strengths": [1, 2], "unit": "mg", "source": "s1"}
        ],
        "dosing": [
            {
                "indication": "anxiety",
                "times_per_day": 2,
                "usual_daily_dose": m(2.0, "mg"),
                "max_daily_dose": m(4.0, "mg"),
                "source": "s1",
            }
        ],
    }


def raw(*drugs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "sources.toml": {"source": {"s1": dict(SOURCE)}},
        "test.toml": {"drug": list(drugs) or [drug()]},
    }


def test_the_synthetic_base_is_valid() -> None:
    kb = build_knowledge_base(raw())
    assert list(kb) == ["testazepam"]
    assert kb["testazepam"].pk.half_life is not None
    assert kb["testazepam"].pk.half_life.to("min") == pytest.approx(600.0)
    assert kb.source("s1").authors == "Doe J"


def planted(path: list[str | int], value: Any) -> dict[str, dict[str, Any]]:
    """The synthetic base with ``value`` written at ``path`` inside the drug (None deletes)."""
    d = drug()
    node: Any = d
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return raw(d)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["pk", "half_life", "unit"], None, r"test\.toml drug #1 \(testazepam\): pk\.half_life\.unit: Field required"),
        (["pk", "half_life", "source"], None, r"pk\.half_life\.source: Field required"),
        (["pk", "volume"], 70.0, r"pk\.volume: Input should be a valid dictionary"),
        (["pk", "half_life", "unit"], "mg", r"pk\.half_life: .*unit 'mg' has dimension \[mass\]; expected one like 'h'"),
        (["pk", "volume", "unit"], "L/h", r"pk\.volume: .*unit 'L/h' has dimension .*expected one like 'L'"),
        (["pk", "routes", "oral", "bioavailability", "value"], 1.5, r"bioavailability: .*a fraction must be <= 1; got value=1\.5 1"),
        (["pk", "half_life"], {"low": 20.0, "high": 5.0, "unit": "h", "source": "s1"}, r"pk\.half_life: .*low \(20\.0\) > high \(5\.0\)"),
        (["pk", "half_life", "value"], 50.0, r"value 50\.0 outside its range \[5\.0, 20\.0\]"),
        (["pk", "half_life", "unit"], "fortnights_x", r"unit 'fortnights_x' is not a unit pint understands"),
        (["pk", "volume", "value"], -70.0, r"pk\.volume: .*value must be >= 0; got -70\.0"),
        (["pk", "half_life"], {"unit": "h", "source": "s1"}, r"give 'value', or both 'low' and 'high'"),
        (["drug_class"], "antihistamine", r"drug_class: Input should be 'benzodiazepine'"),
        (["pk", "routes", "oral", "color"], "blue", r"pk\.routes\.oral\.color: Extra inputs are not permitted"),
        (["formulations", 0, "splittable_to"], 0.3, r"splittable_to must be 1, 0\.5 or 0\.25; got 0\.3"),
        (["formulations", 0, "strengths"], [1, -2], r"strengths must be > 0"),
    ],
)  # fmt: skip
def test_schema_rejections_name_the_problem(
    path: list[str | int], value: Any, message: str
) -> None:
    bad = planted(path, value)
    with pytest.raises(KnowledgeBaseError, match=r"knowledge base has 1 problem\(s\):") as err:
        build_knowledge_base(bad)
    assert err.match(message)


def test_a_fraction_may_be_given_in_percent() -> None:
    kb = build_knowledge_base(planted(["pk", "protein_binding"], m(90.0, "percent")))
    assert kb["testazepam"].pk.protein_binding is not None
    assert kb["testazepam"].pk.protein_binding.to("dimensionless") == pytest.approx(0.9)


def test_a_percentage_above_100_is_not_a_fraction() -> None:
    bad = planted(["pk", "routes", "oral", "bioavailability"], m(120.0, "percent"))
    with pytest.raises(
        KnowledgeBaseError, match=r"a fraction must be <= 1; got value=120\.0 percent"
    ):
        build_knowledge_base(bad)


def test_unknown_source_id_is_refused() -> None:
    bad = planted(["pk", "volume", "source"], "nobody-1999")
    with pytest.raises(
        KnowledgeBaseError,
        match=r"test\.toml drug #1 \(testazepam\): unknown source id 'nobody-1999'",
    ):
        build_knowledge_base(bad)


def test_unknown_source_id_in_a_non_measured_table_is_refused() -> None:
    bad = planted(["formulations", 0, "source"], "label-x")
    with pytest.raises(KnowledgeBaseError, match=r"unknown source id 'label-x'"):
        build_knowledge_base(bad)


def test_duplicate_drug_name_is_refused() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"drug #2 \(testazepam\): duplicate drug name"):
        build_knowledge_base(raw(drug(), drug()))


def test_duplicate_source_id_across_files_is_refused() -> None:
    data = raw()
    data["sources_other.toml"] = {"source": {"s1": dict(SOURCE, title="Another study")}}
    with pytest.raises(
        KnowledgeBaseError, match=r"sources_other\.toml \[s1\]: source id defined twice"
    ):
        build_knowledge_base(data)


def test_source_without_title_or_with_bad_year_is_refused() -> None:
    data = raw()
    data["sources.toml"]["source"]["s2"] = {"kind": "article", "authors": "X", "year": 1492}
    with pytest.raises(KnowledgeBaseError, match=r"sources\.toml \[s2\]: ") as err:
        build_knowledge_base(data)
    assert err.match(r"year: Input should be greater than or equal to 1900")
    assert err.match(r"title: Field required")


def test_all_problems_are_reported_at_once() -> None:
    d1 = drug("one")
    del d1["pk"]["half_life"]["unit"]
    d2 = drug("two")
    d2["pk"]["volume"]["source"] = "ghost"
    d3 = drug("three")
    d3["pk"]["routes"]["oral"]["bioavailability"]["value"] = 2.0
    with pytest.raises(KnowledgeBaseError, match=r"knowledge base has 3 problem\(s\)") as err:
        build_knowledge_base(raw(d1, d2, d3))
    text = str(err.value)
    assert "drug #1 (one): pk.half_life.unit: Field required" in text
    assert "drug #2 (two): unknown source id 'ghost'" in text
    assert "drug #3 (three): pk.routes.oral.bioavailability" in text


def test_equivalence_set_naming_an_unknown_drug_is_refused() -> None:
    data = raw()
    data["equivalence.toml"] = {
        "set": [
            {
                "id": "t-2000",
                "source": "s1",
                "description": "test table",
                "reference_drug": "testazepam",
                "reference_dose": m(10.0, "mg"),
                "doses": {"testazepam": m(10.0, "mg"), "nosuchazepam": m(1.0, "mg")},
            }
        ]
    }
    with pytest.raises(
        KnowledgeBaseError,
        match=r"equivalence\.toml t-2000: 'nosuchazepam' is not a drug in the knowledge base",
    ):
        build_knowledge_base(data)
    data["equivalence.toml"]["set"][0]["doses"].pop("nosuchazepam")
    assert build_knowledge_base(data).equivalence["t-2000"].doses["testazepam"].to("mg") == 10


def test_equivalence_dose_must_be_an_amount() -> None:
    data = raw()
    data["equivalence.toml"] = {
        "set": [
            {
                "id": "t-2000",
                "source": "s1",
                "description": "test table",
                "reference_drug": "testazepam",
                "reference_dose": m(10.0, "mg"),
                "doses": {"testazepam": m(10.0, "h")},
            }
        ]
    }
    with pytest.raises(
        KnowledgeBaseError,
        match=r"equivalence\.toml set #1: doses\.testazepam: .*expected one like 'mg'",
    ):
        build_knowledge_base(data)


def test_knowledge_base_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="duplicate drug name") as err:
        build_knowledge_base(raw(drug(), drug()))
    assert isinstance(err.value, AllostasisError)


def test_build_does_not_mutate_its_input() -> None:
    data = raw()
    before = copy.deepcopy(data)
    build_knowledge_base(data)
    assert data == before


# --------------------------------------------------------------------------- Measured
def test_measured_typical_is_value_else_geometric_mean() -> None:
    assert Measured(value=3.0, low=1.0, high=9.0, unit="h", source="s").typical == 3.0
    assert Measured(low=1.0, high=9.0, unit="h", source="s").typical == pytest.approx(3.0)
    assert Measured(low=0.0, high=4.0, unit="h", source="s").typical == pytest.approx(2.0)
    assert Measured(value=90, unit="min", source="s").to("h") == pytest.approx(1.5)


# --------------------------------------------------------------------------- lookup
@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize(
    "name", ["diazepam", "Diazepam", "DIAZEPAM", "  diazepam ", "Valium", "VALIUM"]
)
def test_lookup_is_case_insensitive_and_knows_synonyms(kb: KnowledgeBase, name: str) -> None:
    assert kb[name].name == "diazepam"


def test_lookup_ignores_hyphens_underscores_and_spaces(kb: KnowledgeBase) -> None:
    synthetic = build_knowledge_base(raw(dict(drug("N-desmethyl testazepam"), synonyms=[])))
    assert synthetic["n_desmethyl testazepam"].name == "N-desmethyl testazepam"
    assert synthetic["N desmethyl  TESTAZEPAM"].name == "N-desmethyl testazepam"
    assert kb["Xanax"].name == "alprazolam"


def test_unknown_drug_suggests_close_names(kb: KnowledgeBase) -> None:
    with pytest.raises(
        UnknownDrugError,
        match=r"^drug: 'diazepan' is not in the knowledge base; did you mean 'diazepam'",
    ) as err:
        kb["diazepan"]
    assert err.match(r"`allostasis drugs list` shows the 43 known drugs")
    assert isinstance(err.value, LookupError)
    assert isinstance(err.value, AllostasisError)


def test_unknown_drug_without_close_match_points_to_the_list(kb: KnowledgeBase) -> None:
    with pytest.raises(
        UnknownDrugError, match=r"'qqqqqq' is not in the knowledge base \(`allostasis"
    ) as err:
        kb["qqqqqq"]
    assert "did you mean" not in str(err.value)


def test_synonym_typo_suggests_the_drug_name(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownDrugError, match=r"did you mean 'alprazolam'"):
        kb["xanaxx"]


def test_unknown_metabolite_and_source_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(
        UnknownDrugError,
        match=r"metabolite: 'oxazepam' is not a metabolite of diazepam; known: nordiazepam",
    ):
        kb.metabolite("diazepam", "oxazepam")
    with pytest.raises(UnknownDrugError, match=r"source: 'nope' is not a known source id"):
        kb.source("nope")
    assert kb.metabolite("Valium", "Nordiazepam").name == "nordiazepam"


def test_mapping_interface_and_by_class(kb: KnowledgeBase) -> None:
    assert len(kb) == len(list(kb)) == len(kb.drugs)
    assert "diazepam" in list(kb)
    benzos = {d.name for d in kb.by_class("benzodiazepine")}
    assert {"diazepam", "alprazolam", "midazolam"} <= benzos
    assert "zolpidem" not in benzos
    assert repr(kb).startswith(f"<KnowledgeBase: {len(kb)} drugs, {len(kb.sources)} sources")


def test_source_citation_has_doi_and_pmid(kb: KnowledgeBase) -> None:
    cite = kb.source("greenblatt-1989-diazepam").citation()
    assert cite.startswith("Greenblatt DJ")
    assert "(1989)" in cite
    assert "doi:10.1097/00007691-198911000-00007" in cite
    assert "PMID:2512694" in cite
