"""The knowledge-base data files shipped with the package: units, sources, coverage, consistency.

Every number in ``allostasis/knowledge/data/*.toml`` must carry a unit and a source (STYLE.md
section 11, "Magic numbers"); these tests read the raw TOML, so a value the schema would silently
default or ignore still fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import KnowledgeBase, PKParameters, load_knowledge_base, read_data_files
from allostasis.regimen import every
from allostasis.units import Q_

RAW = read_data_files()

#: Numeric keys that are counts or calendar years, not measured quantities.
COUNT_KEYS = frozenset({"times_per_day", "splittable_to", "year"})

REQUIRED_DRUGS = {
    "benzodiazepine or z-drug": [
        "alprazolam", "chlordiazepoxide", "clobazam", "clonazepam", "clorazepate", "diazepam",
        "estazolam", "flurazepam", "lorazepam", "midazolam", "nitrazepam", "oxazepam", "temazepam",
        "triazolam", "zolpidem", "zopiclone", "eszopiclone",
    ],
    "opioid": [
        "codeine", "fentanyl", "hydrocodone", "hydromorphone", "methadone", "morphine", "oxycodone",
        "oxymorphone", "tapentadol", "tramadol", "buprenorphine",
    ],
    "other": [
        "sertraline", "escitalopram", "citalopram", "paroxetine", "fluoxetine", "fluvoxamine",
        "venlafaxine", "duloxetine", "buspirone", "pregabalin", "gabapentin", "ketamine",
        "esketamine", "flumazenil", "naloxone",
    ],
}  # fmt: skip
ALL_REQUIRED = [name for names in REQUIRED_DRUGS.values() for name in names]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _is_sources(fname: str) -> bool:
    return fname.startswith("sources")


def drug_files() -> dict[str, dict[str, Any]]:
    return {f: doc for f, doc in RAW.items() if not _is_sources(f)}


# --------------------------------------------------------------------------- unit/source walker
Leaf = tuple[str, str, dict[str, Any] | None]


def numeric_leaves(
    node: Any, path: str = "", table: dict[str, Any] | None = None, key: str = ""
) -> Iterator[Leaf]:
    """Yield ``(path, key, enclosing_table)`` for every int/float (not bool), including list items."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from numeric_leaves(v, f"{path}.{k}" if path else str(k), node, str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from numeric_leaves(v, f"{path}[{i}]", table, key)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, key, table


def unit_source_violations(doc: dict[str, Any], fname: str = "<doc>") -> list[str]:
    """Paths of numbers whose table lacks ``unit`` or ``source`` (count keys excepted)."""
    bad = []
    for path, key, table in numeric_leaves(doc):
        if key in COUNT_KEYS:
            continue
        missing = [k for k in ("unit", "source") if table is None or k not in table]
        if missing:
            bad.append(f"{fname}: {path} (no {' or '.join(missing)})")
    return bad


def test_walker_catches_planted_violations() -> None:
    planted = {
        "drug": [
            {
                "name": "x",
                "pk": {
                    "half_life": {"value": 5, "unit": "h"},
                    "volume": {"value": 3.0, "source": "s"},
                    "clearance": 4,
                    "protein_binding": {"value": 0.5, "unit": "1", "source": "s"},
                    "routes": {"oral": {"bioavailability": {"low": 0.1, "high": 0.9}}},
                },
                "formulations": [
                    {"strengths": [1, 2.5], "unit": "mg", "scored": True},
                    {"strengths": [5], "unit": "mg", "source": "s", "splittable_to": 0.5},
                ],
                "dosing": [{"times_per_day": 3}],
            }
        ]
    }
    assert sorted(unit_source_violations(planted, "planted.toml")) == sorted(
        [
            "planted.toml: drug[0].pk.half_life.value (no source)",
            "planted.toml: drug[0].pk.volume.value (no unit)",
            "planted.toml: drug[0].pk.clearance (no unit or source)",
            "planted.toml: drug[0].pk.routes.oral.bioavailability.low (no unit or source)",
            "planted.toml: drug[0].pk.routes.oral.bioavailability.high (no unit or source)",
            "planted.toml: drug[0].formulations[0].strengths[0] (no source)",
            "planted.toml: drug[0].formulations[0].strengths[1] (no source)",
        ]
    )
    # a number at the top level has no table at all
    assert unit_source_violations({"dose": 5}) == ["<doc>: dose (no unit or source)"]
    # bools are flags, not numbers; whitelisted counts pass
    assert unit_source_violations({"scored": True, "year": 2001, "times_per_day": 2}) == []


def test_every_number_in_the_data_files_has_a_unit_and_a_source() -> None:
    n_numbers = sum(1 for doc in drug_files().values() for _ in numeric_leaves(doc))
    assert n_numbers > 1000, f"walker found only {n_numbers} numbers; is it reading the files?"
    bad = [v for fname, doc in drug_files().items() for v in unit_source_violations(doc, fname)]
    assert not bad, f"{len(bad)} value(s) without unit or source:\n" + "\n".join(bad)


def test_sources_files_hold_no_unsourced_numbers_besides_year() -> None:
    bad = [
        f"{fname}: {path}"
        for fname, doc in RAW.items()
        if _is_sources(fname)
        for path, key, _ in numeric_leaves(doc)
        if key != "year"
    ]
    assert not bad, bad


# --------------------------------------------------------------------------- sources
def _referenced_source_ids(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            here = f"{path}.{k}" if path else str(k)
            if k == "source" and isinstance(v, str):
                yield here, v
            else:
                yield from _referenced_source_ids(v, here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _referenced_source_ids(v, f"{path}[{i}]")


def _raw_sources() -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        sid: (fname, entry)
        for fname, doc in RAW.items()
        if _is_sources(fname)
        for sid, entry in doc.get("source", {}).items()
    }


def test_every_referenced_source_id_exists() -> None:
    known = set(_raw_sources())
    refs = [(f, p, s) for f, doc in drug_files().items() for p, s in _referenced_source_ids(doc)]
    assert len(refs) > 500
    missing = [f"{f}: {p} = {s!r}" for f, p, s in refs if s not in known]
    assert not missing, "unknown source ids:\n" + "\n".join(missing)


def test_source_ids_are_unique_across_sources_files(kb: KnowledgeBase) -> None:
    seen: dict[str, str] = {}
    dup = []
    for fname, doc in RAW.items():
        if _is_sources(fname):
            for sid in doc.get("source", {}):
                if sid in seen:
                    dup.append(f"{sid} in {seen[sid]} and {fname}")
                seen[sid] = fname
    assert not dup, dup
    assert len(seen) == len(kb.sources)


def test_every_source_has_authors_year_and_title() -> None:
    bad = []
    for sid, (fname, entry) in _raw_sources().items():
        for field in ("authors", "title"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                bad.append(f"{fname} [{sid}]: {field} missing or empty")
        year = entry.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            bad.append(f"{fname} [{sid}]: year {year!r} is not a year")
    assert not bad, "\n".join(bad)


def test_dois_and_pmids_are_well_formed() -> None:
    doi = re.compile(r"10\.\d{4,9}/\S+")
    bad = []
    n_doi = n_pmid = 0
    for sid, (fname, entry) in _raw_sources().items():
        if "doi" in entry:
            n_doi += 1
            if not doi.fullmatch(entry["doi"]):
                bad.append(f"{fname} [{sid}]: doi {entry['doi']!r} is not '10.xxxx/...'")
        if "pmid" in entry:
            n_pmid += 1
            if not (isinstance(entry["pmid"], str) and entry["pmid"].isdigit()):
                bad.append(f"{fname} [{sid}]: pmid {entry['pmid']!r} is not all digits")
    assert not bad, "\n".join(bad)
    assert n_doi > 10
    assert n_pmid > 10


# --------------------------------------------------------------------------- coverage
def test_the_knowledge_base_has_every_required_drug(kb: KnowledgeBase) -> None:
    missing = [n for n in ALL_REQUIRED if n not in kb.drugs]
    assert not missing, f"missing drugs: {missing}"
    assert len(kb) >= len(ALL_REQUIRED) == 43


def test_required_drugs_have_the_expected_classes(kb: KnowledgeBase) -> None:
    classes = {n: kb[n].drug_class for n in ALL_REQUIRED}
    wrong = [
        n for n in REQUIRED_DRUGS["benzodiazepine or z-drug"]
        if classes[n] not in ("benzodiazepine", "z-drug")
    ] + [n for n in REQUIRED_DRUGS["opioid"] if classes[n] != "opioid"]  # fmt: skip
    assert not wrong, {n: classes[n] for n in wrong}
    assert {classes[n] for n in ("zolpidem", "zopiclone", "eszopiclone")} == {"z-drug"}
    assert classes["flumazenil"] == "benzodiazepine-antagonist"
    assert classes["naloxone"] == "opioid-antagonist"


@pytest.mark.parametrize(
    ("drug", "metabolite"),
    [
        ("diazepam", "nordiazepam"),
        ("fluoxetine", "norfluoxetine"),
        ("venlafaxine", "desvenlafaxine"),
    ],
)
def test_key_active_metabolites_are_present(drug: str, metabolite: str, kb: KnowledgeBase) -> None:
    m = kb.metabolite(drug, metabolite)
    assert m.active
    assert 0 < m.fraction_formed.typical <= 1
    assert metabolite in pk_model(drug).analytes


def test_fentanyl_has_a_transdermal_route(kb: KnowledgeBase) -> None:
    assert "transdermal" in kb["fentanyl"].routes
    assert any(f.form == "transdermal patch" for f in kb["fentanyl"].formulations)


# --------------------------------------------------------------------------- PK models from data
# read from the raw files, so a schema error fails the tests below instead of collection
ROUTES = sorted(
    (entry["name"], route)
    for doc in drug_files().values()
    for entry in doc.get("drug", [])
    for route in entry["pk"].get("routes", {})
)


def test_every_drug_has_at_least_one_route(kb: KnowledgeBase) -> None:
    assert not [n for n in kb.drugs if not kb[n].routes]


@pytest.mark.parametrize(("drug", "route"), ROUTES, ids=[f"{d}-{r}" for d, r in ROUTES])
def test_every_drug_and_route_simulates_one_dose(drug: str, route: str) -> None:
    model = pk_model(drug, route)
    p = model.typical()
    cmt = 1 if p["ka"] > 0 else 2  # intravenous routes have no absorption phase
    res = model.simulate(every("1 mg", "24 h", n_doses=1, cmt=cmt), time_grid("72 h", "0.5 h"))
    for analyte in model.analytes:
        c = res.concentration(analyte)[0]
        assert np.all(np.isfinite(c)), f"{drug} {route} {analyte}: non-finite concentrations"
        assert np.all(c >= 0), f"{drug} {route} {analyte}: negative concentration {c.min()}"
    parent = res.concentration(drug)[0]
    assert parent.max() > 0
    # a single dose is eliminated: the last value is below the peak
    assert parent[-1] < parent.max()


# --------------------------------------------------------------------------- internal consistency
def _dispositions(kb: KnowledgeBase) -> Iterator[tuple[str, PKParameters]]:
    for d in kb.values():
        yield d.name, d.pk
        for m in d.metabolites:
            yield f"{d.name}/{m.name}", m.pk


def test_half_life_agrees_with_volume_over_clearance(kb: KnowledgeBase) -> None:
    """t1/2 = ln 2 V / CL (Rowland & Tozer 2011, ch. 3), within a factor 2 of the reported value."""
    checked, offenders = 0, []
    for label, pk in _dispositions(kb):
        if pk.clearance is None or pk.half_life is None:
            continue
        if pk.volume is not None:
            v = pk.volume.to("L")
        elif pk.volume_per_kg is not None:
            v = pk.volume_per_kg.to("L/kg") * 70.0
        else:
            continue
        if pk.model == "two_compartment" and pk.volume_peripheral is not None:
            v += pk.volume_peripheral.to("L")  # terminal half-life goes with Vss
        predicted = 0.693 * v / pk.clearance.to("L/h")
        reported = pk.half_life.to("h")
        checked += 1
        if not 0.5 <= predicted / reported <= 2.0:
            offenders.append(
                f"{label}: 0.693 x {v:.3g} L / {pk.clearance.to('L/h'):.3g} L/h = {predicted:.3g} h "
                f"vs reported {reported:.3g} h [{pk.half_life.source}]"
            )
    assert checked >= 20
    assert not offenders, "half-life inconsistent with V/CL:\n" + "\n".join(offenders)


def test_reported_half_life_ranges_contain_the_typical_value(kb: KnowledgeBase) -> None:
    bad = [
        f"{label}: {pk.half_life.typical} not in [{pk.half_life.low}, {pk.half_life.high}]"
        for label, pk in _dispositions(kb)
        if pk.half_life is not None
        and pk.half_life.low is not None
        and pk.half_life.high is not None
        and not pk.half_life.low <= pk.half_life.typical <= pk.half_life.high
    ]
    assert not bad, bad


def test_label_maximum_is_at_least_the_usual_dose(kb: KnowledgeBase) -> None:
    bad = []
    for d in kb.values():
        for pattern in d.dosing:
            usual = pattern.usual_daily_dose
            top = Q_(usual.high if usual.high is not None else usual.typical, usual.unit).to("mg")
            cap = pattern.max_daily_dose.to("mg")
            if top.magnitude > cap * (1 + 1e-9):
                bad.append(
                    f"{d.name} ({pattern.indication}): usual up to {top:g~} > max {cap:g} mg"
                )
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------------- equivalence sets
def test_the_four_equivalence_sets_load(kb: KnowledgeBase) -> None:
    assert set(kb.equivalence) == {"ashton-2002", "va-dod-2021", "nhs-scotland-2024", "who-2009"}
    # WHO 2009 Table 8 is per 5 mg diazepam: 2.5 mg midazolam, 0.5 mg alprazolam (doubled here)
    assert kb.equivalence["who-2009"].doses["midazolam"].to("mg") == 5
    assert kb.equivalence["who-2009"].doses["alprazolam"].to("mg") == 1
    for eq in kb.equivalence.values():
        assert eq.reference_drug == "diazepam"
        assert eq.reference_dose.to("mg") == 10
        assert eq.doses["diazepam"].to("mg") == 10
        assert eq.source in kb.sources


def test_equivalence_sets_name_only_benzodiazepines_and_z_drugs(kb: KnowledgeBase) -> None:
    bad = [
        f"{eq.id}: {name} is a {kb[name].drug_class}"
        for eq in kb.equivalence.values()
        for name in [eq.reference_drug, *eq.doses]
        if kb[name].drug_class not in ("benzodiazepine", "z-drug")
    ]
    assert not bad, bad


def test_equivalence_sets_are_kept_separate(kb: KnowledgeBase) -> None:
    """Ashton 2002 takes 0.5 mg alprazolam as 10 mg diazepam; VA/DoD 2021 takes 1 mg."""
    ashton, vadod = kb.equivalence["ashton-2002"], kb.equivalence["va-dod-2021"]
    assert ashton.doses["alprazolam"].to("mg") == 0.5
    assert ashton.doses["alprazolam"].source == "ashton-2002"
    assert vadod.doses["alprazolam"].to("mg") == 1.0
    assert vadod.doses["alprazolam"].source == "va-dod-2021"
    assert vadod.doses["lorazepam"].to("mg") == 2 * ashton.doses["lorazepam"].to("mg")
    # each value cites its own table, never another one
    for eq in kb.equivalence.values():
        assert {m.source for m in eq.doses.values()} == {eq.id}
    # a drug missing from a table stays missing (no fallback to another table)
    assert "clobazam" not in vadod.doses
    assert "clobazam" in ashton.doses
