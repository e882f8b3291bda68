"""The package layout follows DESIGN.md's flow: imports only point left (down the floors).

regimen -> exposure -> receptor -> adaptation -> physiology -> engine -> population -> clinical ->
interfaces, with errors/units at the bottom and knowledge beside them. A module may import its own
package or any package to its left, never one to its right.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "allostasis"

#: Floor of each top-level module or package; lower floors may not import higher ones.
FLOORS: dict[str, int] = {
    "errors": 0,
    "units": 0,
    "knowledge": 1,
    "regimen": 2,
    "exposure": 3,
    "receptor": 4,
    "adaptation": 5,
    "physiology": 6,
    "engine": 7,
    "population": 8,
    "clinical": 9,
    "interfaces": 10,
    "testing": 10,
}


def _unit(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("allostasis.")
        ):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("allostasis."):
                    found.add(alias.name.split(".")[1])
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] != "__init__.py")


def test_every_top_level_unit_has_a_floor() -> None:
    units = {_unit(p) for p in MODULES}
    assert units <= set(FLOORS), f"add to FLOORS: {sorted(units - set(FLOORS))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_left(path: Path) -> None:
    here = _unit(path)
    if here not in FLOORS:
        pytest.skip("unit without a floor (reported by the test above)")
    wrong = sorted(
        dep for dep in _imports(path) - {here} if dep in FLOORS and FLOORS[dep] > FLOORS[here]
    )
    assert not wrong, f"{path.relative_to(SRC)} ({here}) imports to its right: {wrong}"


def test_detects_a_rightward_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from allostasis.clinical import convert_benzodiazepine\n")
    assert _imports(bad) == {"clinical"}
