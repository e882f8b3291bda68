"""The web UI in a real browser: Debian's headless Chromium driven by Playwright (sync API).

The server is the project's own command (``python -m allostasis.interfaces.cli serve --port N``)
in a subprocess. The tests fill the taper form and see the schedule, the chart and a PDF download
(``%PDF``); move the GABA-A slider with the keyboard and see the plotted curve change; check that
no request leaves localhost; and save a screenshot of each page into ``docs/screenshots/``. Never a
downloaded browser: without ``/usr/bin/chromium`` the module is skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")

ROOT = Path(__file__).resolve().parents[3]
# the docs' screenshots are rewritten only on request (ALLOSTASIS_SCREENSHOTS=1), so a test run
# leaves the working tree clean
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("ALLOSTASIS_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "allostasis-screenshots"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "allostasis.interfaces.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read().decode() if proc.stderr else ""
            pytest.fail(f"allostasis serve did not answer /healthz: {err[-2000:]}")
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A page that records every request; after the test none may have left localhost."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, base_url=server
    )
    pg = context.new_page()
    requested: list[str] = []
    pg.on("request", lambda req: requested.append(req.url))
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    hosts = {urlparse(u).hostname for u in requested}
    assert requested, "no request was recorded"
    assert hosts == {"127.0.0.1"}, f"requests left localhost: {sorted(hosts)}"
    assert not errors, f"JavaScript errors: {errors}"


def _shot(pg: Any, name: str, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def test_taper_form_schedule_chart_and_pdf(page: Any) -> None:
    page.goto("/taper")
    page.get_by_label("Current regimen, one order per line (free-text sig)").fill(
        "diazepam 5 mg BID"
    )
    page.get_by_label("Taken for").fill("180 days")
    page.get_by_label("Start date").fill("2027-01-04")
    page.get_by_label("Age (years)").fill("70")
    page.click("#plan-button")
    page.wait_for_selector("#schedule tbody tr", timeout=60_000)
    rows = page.locator("#schedule tbody tr")
    assert rows.count() >= 10
    assert rows.first.locator("td").nth(1).inner_text() == "2027-01-04"
    page.wait_for_function("document.getElementById('taper-chart')?.data?.length > 0")
    n_points = page.evaluate("document.getElementById('taper-chart').data[0].y.length")
    peak = page.evaluate("Math.max(...document.getElementById('taper-chart').data[0].y)")
    assert n_points > 200  # a daily course over the plan and 90 days of follow-up
    assert 0 < peak < 0.16  # below the seizure-risk threshold for this gentle taper
    assert page.locator("#taper-chart .main-svg").count() > 0  # plotly drew it
    with page.expect_download() as info:
        page.click("#download-pdf")
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
    _shot(page, "taper")


def test_gaba_slider_redraws_the_curve(page: Any) -> None:
    page.goto("/mechanisms/gaba")
    page.wait_for_function("document.getElementById('gaba-chart')?.data?.length == 2")
    before = page.evaluate("document.getElementById('gaba-chart').data[1].y")
    text_before = page.inner_text("#modulator-readout")
    slider = page.get_by_label("diazepam concentration (free, at the receptor)")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("document.getElementById('gaba-chart').data[1].y")
    text_after = page.inner_text("#modulator-readout")
    assert len(after) == len(before)
    assert after != before
    mid = len(before) // 2
    assert after[mid] > before[mid]  # more modulator: more channels open at the same GABA
    assert "100 nM" in text_before
    assert "1 uM" in text_after
    assert page.evaluate("document.getElementById('gaba-chart').data[0].y") == page.evaluate(
        "JSON.parse(document.getElementById('gaba-family').textContent).baseline"
    )
    _shot(page, "mechanism_gaba")


def test_risk_page(page: Any) -> None:
    page.goto("/risk")
    page.get_by_label("Medications, one order per line").fill(
        "oxycodone 10 mg BID\nalprazolam 1 mg TID for 6 years\nfrobnicate 2 mg daily"
    )
    page.get_by_label("Age (years)").fill("70")
    page.click("#assess-button")
    page.wait_for_selector("#orders")
    assert "not in the knowledge base" in page.locator("#orders tr").nth(3).inner_text()
    page.get_by_label("Medications, one order per line").fill(
        "oxycodone 10 mg BID\nalprazolam 1 mg TID for 6 years"
    )
    page.click("#assess-button")
    page.wait_for_selector("#total-mme")
    assert page.inner_text("#total-mme").startswith("30")
    assert page.inner_text("#naloxone").startswith("offer")
    page.wait_for_function("document.getElementById('mme-chart')?.data?.length > 0")
    _shot(page, "risk")


@pytest.mark.parametrize(
    ("path", "name", "chart"),
    [
        ("/", "home", None),
        ("/mechanisms", "mechanisms", None),
        ("/mechanisms/breathing", "mechanism_breathing", "breathing-chart"),
        ("/mechanisms/withdrawal", "mechanism_withdrawal", "withdrawal-chart"),
        ("/drugs", "drugs", None),
        ("/drugs/alprazolam", "drug_alprazolam", None),
    ],
)
def test_pages_render_and_screenshots(page: Any, path: str, name: str, chart: str | None) -> None:
    page.goto(path)
    assert "Decision support, not prescribing." in page.inner_text(".disclaimer")
    if chart is not None:
        page.wait_for_function(f"document.getElementById('{chart}')?.data?.length > 0")
    _shot(page, name, full=name not in ("drugs", "drug_alprazolam"))
