"""The neuroadaptation docs: every phenomenon has a page, and what a page cites exists.

A page fails here if it is missing, if a figure or a local link it references does not exist, if a
figure it shows is not drawn by a function of ``docs/make_figures.py``, or if a
``tests/...py::name`` it quotes does not name a test defined in that file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "neuroadaptation"
#: Phenomena of issue 4 (item 4), one page each, plus the model and the engine pages.
PHENOMENA = (
    "tolerance",
    "dependence",
    "abrupt-stop",
    "tapering",
    "protracted",
    "kcc2",
    "flumazenil",
    "ketamine",
    "hpa",
)
PAGES = ("index", "engine", *PHENOMENA)

_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)")
_TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def _text(page: str) -> str:
    return (DOCS / f"{page}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(page: str) -> None:
    assert (DOCS / f"{page}.md").is_file(), f"docs/neuroadaptation/{page}.md is missing"


def test_index_links_every_phenomenon_page() -> None:
    links = set(_LINK.findall(_text("index")))
    missing = [p for p in (*PHENOMENA, "engine") if f"{p}.md" not in links]
    assert not missing, f"index.md does not link: {missing}"


def test_old_page_points_to_the_new_index() -> None:
    old = (ROOT / "docs" / "neuroadaptation.md").read_text(encoding="utf-8")
    assert "neuroadaptation/index.md" in old


@pytest.mark.parametrize("page", PHENOMENA)
def test_phenomenon_page_shows_a_package_figure(page: str) -> None:
    """Each phenomenon page shows at least one figure, and every figure exists and is drawn by a
    function of docs/make_figures.py (its file name appears there)."""
    images = _IMAGE.findall(_text(page))
    assert images, f"{page}.md shows no figure"
    make_figures = (ROOT / "docs" / "make_figures.py").read_text(encoding="utf-8")
    for img in images:
        path = (DOCS / img).resolve()
        assert path.is_file(), f"{page}.md: figure {img} does not exist"
        assert f'"{path.name}"' in make_figures, (
            f"{page}.md: {path.name} is not drawn by docs/make_figures.py"
        )


@pytest.mark.parametrize("page", PAGES)
def test_local_links_and_figures_exist(page: str) -> None:
    text = _text(page)
    for target in [*_IMAGE.findall(text), *_LINK.findall(text)]:
        if "://" in target:
            continue
        assert (DOCS / target).resolve().exists(), f"{page}.md: {target} does not exist"


@pytest.mark.parametrize("page", PAGES)
def test_quoted_tests_exist(page: str) -> None:
    """Every ``tests/...py::name`` quoted names a ``def name`` in that file."""
    for path, name in _TEST_REF.findall(_text(page)):
        source = ROOT / path
        assert source.is_file(), f"{page}.md quotes {path}, which does not exist"
        defined = re.search(rf"^\s*def {name}\(", source.read_text(encoding="utf-8"), re.M)
        assert defined, f"{page}.md quotes {path}::{name}, which is not defined there"


@pytest.mark.parametrize("page", PHENOMENA)
def test_phenomenon_page_has_the_required_sections(page: str) -> None:
    text = _text(page)
    for heading in ("## The claim", "## Equations", "## What the model gives", "## Sources"):
        assert heading in text, f"{page}.md lacks {heading!r}"
    assert "does not reproduce" in text, f"{page}.md does not say what the model misses"
    assert _TEST_REF.search(text), f"{page}.md quotes no test"
