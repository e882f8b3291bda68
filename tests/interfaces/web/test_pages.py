"""Web UI pages through FastAPI's TestClient: status, key content, and numbers that match the library.

Each page must call the library and show what it returns, so the assertions compare the page with
the library's own result for the same input (schedule rows and dates, MME 30/day for oxycodone
10 mg BID, the naloxone level, diazepam's GABA EC50 shift, the equivalence disagreement of
alprazolam between Ashton 2002 (0.5 mg) and VA/DoD 2021 (1 mg)).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from allostasis.clinical import plan_taper
from allostasis.interfaces.server import create_app
from allostasis.interfaces.web._assets import PLOTLY_JS
from allostasis.interfaces.web._gaba_slider import MODULATOR_NM
from allostasis.interfaces.web._mechanism_topics import TOPICS
from allostasis.interfaces.web._taper_page import _prediction
from allostasis.knowledge import load_knowledge_base
from allostasis.receptor import gaba_concentration_response

TAPER = {"meds": "diazepam 5 mg BID", "duration": "180 days", "start": "2027-01-04"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _json_blocks(text: str) -> dict[str, Any]:
    """The JSON embedded in ``<script type="application/json" id=...>`` elements."""
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', text, re.S)
    return {k: json.loads(v) for k, v in found}


def _download_query(text: str, kind: str) -> str:
    m = re.search(rf'/taper/download/{kind}\?([^"]+)"', text)
    assert m is not None, f"no {kind} download link"
    return html.unescape(m.group(1))


@pytest.mark.parametrize(
    "path", ["/", "/taper", "/risk", "/mechanisms", "/drugs", "/drugs/diazepam"]
)
def test_every_page_has_disclaimer_and_only_local_assets(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert "Decision support, not prescribing." in r.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', r.text)
    assert scripts == ["/static/plotly.min.js", "/static/app.js"]
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]


def test_plotly_js_is_served_from_the_installed_package(client: TestClient) -> None:
    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.content == PLOTLY_JS.read_bytes()
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/secret.py").status_code == 404


def test_web_pages_stay_out_of_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/taper", "/risk", "/mechanisms", "/drugs"))]


def test_taper_schedule_matches_the_library(client: TestClient) -> None:
    r = client.post("/taper", data=TAPER)
    assert r.status_code == 200
    plan = plan_taper(["diazepam 5 mg BID"], duration="180 days", start="2027-01-04")
    body = r.text.split('<table id="schedule">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([\d-]+)</td>", body)
    assert [(int(i), d) for i, d in rows] == [(s.index, s.start.isoformat()) for s in plan.steps]
    assert f"ends {plan.end_date.isoformat()}" in r.text
    assert "taper-chart" not in r.text  # prediction off unless asked for
    for w in plan.warnings:
        assert w in html.unescape(r.text)


@pytest.fixture(scope="module")
def predicted(client: TestClient) -> str:
    r = client.post("/taper", data={**TAPER, "predict": "on"})
    assert r.status_code == 200
    return r.text


def test_taper_chart_is_the_model_prediction(predicted: str) -> None:
    fig = _json_blocks(predicted)["taper-chart-data"]
    plan = plan_taper(["diazepam 5 mg BID"], duration="180 days", start="2027-01-04")
    pred = _prediction(plan)  # predict_taper, cached by plan when the page ran it
    index = fig["data"][0]
    assert index["name"] == "excitation/inhibition index"
    assert len(index["y"]) == len(pred.daily)
    assert max(index["y"]) == pytest.approx(pred.peak_index, abs=1e-5)
    assert index["x"][0] == "2027-01-04"
    assert "MODEL PREDICTION for a typical patient" in predicted


@pytest.mark.parametrize(
    ("kind", "media", "magic"),
    [("pdf", "application/pdf", b"%PDF"), ("ics", "text/calendar", b"BEGIN:VCALENDAR")],
)
def test_taper_downloads(
    client: TestClient, predicted: str, kind: str, media: str, magic: bytes
) -> None:
    r = client.get(f"/taper/download/{kind}?{_download_query(predicted, kind)}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert r.content.startswith(magic)
    assert "attachment" in r.headers["content-disposition"]


def test_taper_csv_has_one_row_per_dose_change(client: TestClient) -> None:
    r = client.get(
        f"/taper/download/csv?{_download_query(client.post('/taper', data=TAPER).text, 'csv')}"
    )
    assert r.status_code == 200
    lines = r.text.strip().splitlines()
    assert len(lines) > 22  # header + at least one row per step (22 steps)
    assert "2027-01-04" in lines[1]


def test_symptom_report_replans(client: TestClient) -> None:
    first = client.post("/taper", data=TAPER).text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', first))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    r = client.post("/taper", data={**fields, "new_report_date": "2027-02-01", "score_sleep": "2"})
    assert r.status_code == 200
    assert "<strong>2027-02-01: pause</strong>" in r.text
    assert 'name="report" value="2027-02-01|sleep=2|"' in r.text  # carried to the next re-plan
    urgent = client.post(
        "/taper", data={**fields, "new_report_date": "2027-02-01", "flag_seizure": "on"}
    )
    assert "<strong>2027-02-01: return</strong>" in urgent.text
    assert "SEEK URGENT CARE" in urgent.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"meds": "diazepam 5 mg BID", "duration": ""}, "duration: how long"),
        ({"meds": "", "duration": "1 year"}, "medications: enter the current regimen"),
        ({"meds": "frobnicate 5 mg BID", "duration": "1 year"}, "frobnicate"),
        (
            {"meds": "diazepam 5 mg BID", "duration": "1 year", "age": "old"},
            "age: must be a number",
        ),
    ],
)
def test_taper_bad_input_is_shown_on_the_page(
    client: TestClient, data: dict[str, str], message: str
) -> None:
    r = client.post("/taper", data=data)
    assert r.status_code == 422
    assert 'class="error" role="alert"' in r.text
    assert message in html.unescape(r.text)


def test_risk_page_shows_mme_naloxone_and_interaction(client: TestClient) -> None:
    r = client.post("/risk", data={"meds": "oxycodone 10 mg BID\nalprazolam 1 mg TID", "age": "70"})
    assert r.status_code == 200
    text = html.unescape(r.text)
    assert re.search(r'id="total-mme">30 \(cdc-2022\)', text)  # 10 mg x 2/day x 1.5
    assert "<strong>offer</strong>" in text
    assert "opioid + benzodiazepine (oxycodone, alprazolam)" in text
    assert "adjusted hazard ratio 3.86" in text or "3.86" in text  # Park 2015
    assert re.search(r"nadir 0\.8\d x baseline", text)
    assert "tables disagree" in text  # alprazolam: Ashton 60 vs VA/DoD 30 mg diazepam/day
    bars = _json_blocks(r.text)["mme-chart-data"]["data"][0]
    assert bars["x"] == ["oxycodone 10 mg BID"]
    assert bars["y"] == [30.0]


def test_risk_unreadable_line_is_flagged_inline_and_no_assessment(client: TestClient) -> None:
    r = client.post("/risk", data={"meds": "oxycodone 10 mg BID\nfrobnicate 1 mg TID"})
    assert r.status_code == 422
    text = html.unescape(r.text)
    orders = text.split('<table id="orders">')[1].split("</table>")[0]
    assert "oxycodone (opioid): 20 mg/day" in orders
    assert re.search(r"<td>frobnicate 1 mg TID</td>\s*<td colspan=\"2\" class=\"error\"", orders)
    assert "not in the knowledge base" in orders
    assert 'id="total-mme"' not in text


def test_mechanism_index_lists_every_topic(client: TestClient) -> None:
    r = client.get("/mechanisms")
    for slug, topic in TOPICS.items():
        assert f'href="/mechanisms/{slug}"' in r.text
        assert topic.claim in html.unescape(r.text)
    assert client.get("/mechanisms/nothing").status_code == 404


def test_gaba_family_matches_the_receptor_model(client: TestClient) -> None:
    r = client.get("/mechanisms/gaba")
    assert r.status_code == 200
    fam = _json_blocks(r.text)["gaba-family"]
    shifts = [c["shift"] for c in fam["curves"]]
    assert [c["nm"] for c in fam["curves"]] == list(MODULATOR_NM)
    assert all(b > a for a, b in itertools.pairwise(shifts))
    assert shifts[-1] < fam["max_shift"] == pytest.approx(2.5, rel=1e-6)  # alpha = 2.5
    ref = gaba_concentration_response("diazepam", "100 nM")
    assert shifts[MODULATOR_NM.index(100.0)] == pytest.approx(ref.shift)
    assert 'type="range" id="modulator-slider"' in r.text


@pytest.mark.parametrize("slug", [s for s, t in TOPICS.items() if t.build is not None])
def test_each_topic_shows_claim_curve_and_basis(client: TestClient, slug: str) -> None:
    r = client.get(f"/mechanisms/{slug}")
    assert r.status_code == 200
    assert TOPICS[slug].claim in html.unescape(r.text)
    figs = {k: v for k, v in _json_blocks(r.text).items() if k.endswith("-chart-data")}
    assert figs, "no chart"
    for fig in figs.values():
        assert fig["data"]
        assert all(len(t.get("y", t.get("z", []))) > 0 for t in fig["data"])
    assert "Model basis" in r.text


def test_topic_numbers(client: TestClient) -> None:
    assert "combine to 0.7935 under independence" in client.get("/mechanisms/bliss").text
    wd = html.unescape(client.get("/mechanisms/withdrawal").text)
    days = {
        d: float(x)
        for d, x in re.findall(
            r"(alprazolam|diazepam) [\d.]+ mg/day for 60 days, abrupt stop: peak index [\d.]+ on day ([\d.]+)",
            wd,
        )
    }
    assert days["alprazolam"] < 4 < days["diazepam"]  # short vs long half-life
    br = client.get("/mechanisms/breathing").text
    nadirs = dict(re.findall(r"<li>([^:<]+): nadir ventilation ([\d.]+) x rest", br))
    assert float(nadirs["both"]) < min(
        float(nadirs["oxycodone 40 mg"]), float(nadirs["lorazepam 4 mg"])
    )


def test_knowledge_base_pages(client: TestClient) -> None:
    kb = load_knowledge_base()
    r = client.get("/drugs")
    listed = r.text.split('<table id="drug-list">')[1].split("</table>")[0]
    assert listed.count('<a href="/drugs/') == len(kb.drugs) == 43
    eq = r.text.split('<table id="equivalence-table">')[1].split("</table>")[0]
    alp = re.search(r'<tr( class="disagree")?><td>alprazolam</td>(.*?)</tr>', eq, re.S)
    assert alp is not None
    assert alp.group(1)
    assert "0.5 mg" in alp.group(2)
    assert "1 mg" in alp.group(2)
    d = client.get("/drugs/alprazolam").text
    assert re.search(r"<td>pk.half_life</td><td class=\"num\">11.2 \(6.3-26.9\)</td><td>h</td>", d)
    assert 'id="src-xanax-label"' in d
    assert kb.source("xanax-label").citation() in html.unescape(d)


def test_taper_page_is_prefilled_from_a_cds_hooks_link() -> None:
    from fastapi.testclient import TestClient

    from allostasis.interfaces.server import create_app

    r = TestClient(create_app()).get(
        "/taper",
        params={
            "med": "alprazolam 1 mg TID",
            "duration": "2268 days",
            "age": "68",
            "opioid": "true",
        },
    )
    assert r.status_code == 200
    assert "alprazolam 1 mg TID" in r.text
    assert "2268 days" in r.text
