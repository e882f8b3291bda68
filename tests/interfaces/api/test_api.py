"""REST API: one test per endpoint asserting the numbers it returns, and field-level 422s.

Expected values come from the library (the API must answer exactly what the CLI and Python API do)
and, where published, from the source: Ashton (2002) equivalence (0.5 mg alprazolam ~ 10 mg
diazepam, so 2 mg ~ 40 mg); the CDC 2022 guideline's worked MME example (Dowell et al., MMWR Recomm
Rep 2022;71(3): oxycodone ER 10 mg twice a day = 30 MME/day); the issue 7 patient (alprazolam 1 mg
TID for 6 years, age 68, on oxycodone 10 mg BID).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from allostasis.clinical import assess_risk, plan_taper

ISSUE_PATIENT: dict[str, Any] = {
    "meds": ["alprazolam 1 mg TID"],
    "duration": "6 years",
    "start": "2027-01-04",
    "age_years": 68,
    "concurrent_opioid": True,
}


def ok(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def error(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    return dict(detail)


# ----------------------------------------------------------------------------- knowledge base
def test_drugs_list_and_filter_by_class(client: TestClient) -> None:
    everything = client.get("/api/drugs").json()
    ssris = client.get("/api/drugs", params={"drug_class": "ssri"}).json()
    assert len(everything) >= 40
    assert {d["name"] for d in ssris} >= {"sertraline", "escitalopram"}
    assert all(d["drug_class"] == "ssri" for d in ssris)
    bad = client.get("/api/drugs", params={"drug_class": "vitamin"})
    assert bad.status_code == 422
    assert "classes:" in bad.json()["detail"][0]["msg"]


def test_drugs_show_resolves_a_synonym_and_cites_every_source(client: TestClient) -> None:
    j = client.get("/api/drugs/Xanax").json()
    assert j["drug"]["name"] == "alprazolam"
    assert j["drug"]["drug_class"] == "benzodiazepine"
    used = {j["drug"]["pk"]["half_life"]["source"]}
    assert used <= set(j["sources"])
    assert len(j["basis"]) == len(j["sources"]) >= 3


def test_unknown_drug_is_422_naming_the_field(client: TestClient) -> None:
    d = error(client, "/api/convert", {"from_drug": "unobtainium", "dose": "2 mg"})
    assert d["loc"] == ["body", "drug"]
    assert "not in the knowledge base" in d["msg"]
    assert client.get("/api/drugs/unobtainium").status_code == 422


# ----------------------------------------------------------------------------- clinical
def test_convert_alprazolam_2_mg_is_40_mg_diazepam_by_ashton(client: TestClient) -> None:
    j = ok(
        client, "/api/convert", {"from_drug": "alprazolam", "dose": "2 mg", "to_drug": "diazepam"}
    )
    assert j["dose_mg"] == pytest.approx(40.0)
    assert (j["source"], j["unit"]) == ("ashton-2002", "mg")
    assert j["basis"]
    assert "ashton-2002" in j["by_source"]
    daily = ok(client, "/api/convert", {"from_drug": "alprazolam", "dose": "2 mg/day"})
    assert (daily["dose_mg"], daily["unit"]) == (pytest.approx(40.0), "mg/day")


def test_negative_dose_is_422_on_the_dose_field(client: TestClient) -> None:
    d = error(client, "/api/convert", {"from_drug": "alprazolam", "dose": "-2 mg"})
    assert d["loc"] == ["body", "dose"]
    assert "must be > 0 mg" in d["msg"]


def test_wrong_unit_is_422_on_the_dose_field(client: TestClient) -> None:
    d = error(client, "/api/convert", {"from_drug": "alprazolam", "dose": "2 hours"})
    assert d["loc"] == ["body", "dose"]
    assert "expected a quantity in mg" in d["msg"]
    bare = error(client, "/api/withdraw", {"drug": "alprazolam", "dose": "2", "duration": "1 year"})
    assert bare["loc"] == ["body", "dose"]
    assert "has no unit" in bare["msg"]


def test_unknown_field_and_missing_field_are_422(client: TestClient) -> None:
    extra = error(client, "/api/mme", {"meds": ["oxycodone 5 mg q6h"], "factorset": "x"})
    assert extra["loc"] == ["body", "factorset"]
    missing = error(client, "/api/convert", {"dose": "2 mg"})
    assert missing["loc"] == ["body", "from_drug"]


def test_mme_of_the_cdc_2022_worked_example_is_30(client: TestClient) -> None:
    j = ok(client, "/api/mme", {"meds": ["oxycodone ER 10 mg 1 tab PO BID"]})
    assert j["total_mme_per_day"] == pytest.approx(30.0)
    assert j["factor_set"] == "cdc-2022"
    assert j["orders"][0]["factor"] == pytest.approx(1.5)
    assert not j["at_or_above_reassessment"]
    assert j["basis"]


def test_risk_for_the_issue_patient_recommends_naloxone(client: TestClient) -> None:
    body = {"meds": ["oxycodone 10 mg BID", "alprazolam 1 mg TID"], "age_years": 68}
    j = ok(client, "/api/risk", body)
    lib = assess_risk(body["meds"], age_years=68)
    assert j["naloxone"]["level"] == lib.naloxone.level == "offer"
    assert j["total_mme_per_day"] == pytest.approx(30.0)
    assert j["diazepam_equivalents"]["total_diazepam_mg_per_day"] == pytest.approx(60.0)
    assert {f["interaction"] for f in j["interactions"]} >= {"opioid+benzodiazepine"}
    assert j["sedative_burden"]["predicted_ventilation"] == pytest.approx(
        lib.sedative_burden.predicted_ventilation
    )
    assert j["basis"]
    assert j["citations"]


def test_taper_for_the_issue_patient_completes(client: TestClient) -> None:
    j = ok(client, "/api/taper", ISSUE_PATIENT)
    plan = j["plan"]
    lib = plan_taper(
        ISSUE_PATIENT["meds"],
        duration="6 years",
        start="2027-01-04",
        age_years=68,
        concurrent_opioid=True,
    )
    assert plan["completed"] is True
    assert plan["end_date"] == lib.end_date.isoformat()
    assert len(plan["steps"]) == len(lib.steps) >= 10
    assert plan["current_diazepam_equivalent_mg"] == pytest.approx(60.0)
    assert sum(plan["steps"][-1]["daily_mg"].values()) == 0.0
    assert j["prediction"] is None  # the model runs only when asked
    assert j["basis"] == plan["basis"]
    assert j["basis"]


def test_taper_adjust_pauses_on_moderate_sleep_and_returns_on_a_red_flag(
    client: TestClient,
) -> None:
    report = {"date": "2027-02-01", "scores": {"sleep": 2}}
    j = ok(client, "/api/taper/adjust", {"taper": ISSUE_PATIENT, "report": report})
    assert j["decision"] == "pause"
    assert j["plan"]["completed"] is True
    flagged = ok(
        client,
        "/api/taper/adjust",
        {"taper": ISSUE_PATIENT, "report": {"date": "2027-02-01", "red_flags": ["seizure"]}},
    )
    assert (flagged["decision"], flagged["urgent"]) == ("return", True)
    bad = error(
        client,
        "/api/taper/adjust",
        {"taper": ISSUE_PATIENT, "report": {"date": "2027-02-01", "scores": {"sleep": 5}}},
    )
    assert bad["loc"] == ["body", "report", "scores", "sleep"]


def test_taper_downloads_are_files(client: TestClient) -> None:
    pdf = client.post("/api/taper/pdf", json=ISSUE_PATIENT)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="taper-alprazolam-2027-01-04.pdf"' in pdf.headers["content-disposition"]
    ics = client.post("/api/taper/ics", json=ISSUE_PATIENT)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.content.startswith(b"BEGIN:VCALENDAR")
    rows = list(csv.DictReader(io.StringIO(client.post("/api/taper/csv", json=ISSUE_PATIENT).text)))
    assert rows[0]["start"] == "2027-01-04"
    assert rows[-1]["take"] == "none (stopped)"


# ----------------------------------------------------------------------------- mechanism models
def test_pk_alprazolam_reaches_a_plausible_steady_state(client: TestClient) -> None:
    j = ok(client, "/api/pk", {"drug": "alprazolam", "dose": "0.5 mg", "every": "8 h", "days": 7})
    (s,) = [r for r in j["summary"] if r["analyte"] == "alprazolam"]
    # 1.5 mg/day: Css ~ 10-20 ng/mL (Greenblatt & Wright 1993: ~ 10 ng/mL per mg/day)
    assert 8 < s["cavg"] < 25
    assert s["cmin"] < s["cavg"] < s["cmax"]
    assert len(j["timecourse"]["time"]) == 7 * 24 + 1
    assert j["basis"]
    cap = error(client, "/api/pk", {"drug": "alprazolam", "dose": "100 mg", "every": "8 h"})
    assert "label maximum" in cap["msg"]


def test_occupancy_sertraline_50_mg_is_about_80_percent_sert(client: TestClient) -> None:
    j = ok(client, "/api/occupancy", {"drug": "sertraline", "dose": "50 mg/day"})
    sert = j["targets"]["SERT"]
    assert 0.75 < sert["mean"] < 0.92  # Meyer et al. 2004: ~80% at 50 mg
    assert sert["trough"] <= sert["mean"] <= sert["peak"]
    assert j["daily_dose_mg"] == pytest.approx(50.0)
    assert j["profile"]["rows"]
    assert j["basis"]


def test_gaba_curve_shifts_left_with_diazepam(client: TestClient) -> None:
    j = ok(client, "/api/curve/gaba", {"modulator": "diazepam", "conc": "1 uM"})
    assert j["ec50_with_um"] < j["ec50_without_um"]
    assert 1.5 < j["shift"] <= j["max_shift"] + 1e-9
    assert j["basis"]


def test_partial_agonism_and_release_and_compete(client: TestClient) -> None:
    pa = ok(client, "/api/partial-agonism", {"drug": "buspirone"})
    assert 0 < pa["efficacy"] < 1
    assert pa["crossover_nm"] > 0
    rel = ok(client, "/api/release", {"drug": "pregabalin", "conc": "10 uM"})
    assert 0 < rel["release_reduction"][0] < 1
    assert rel["release"][0] == pytest.approx(1 - rel["release_reduction"][0])
    comp = ok(
        client, "/api/compete", {"agonist": "fentanyl", "agonist_conc": "1 nM", "duration": "1 h"}
    )
    assert comp["nadir"] < comp["before"]
    assert comp["antagonist"] == "naloxone"
    assert comp["basis"]


def test_combine_bliss_hsa_loewe(client: TestClient) -> None:
    b = ok(client, "/api/combine/bliss", {"effect_a": 0.3, "effect_b": 0.4, "observed": 0.7})
    assert b["expected"] == pytest.approx(0.58)  # 0.3 + 0.4 - 0.12
    assert b["classification"] == "synergy"
    h = ok(client, "/api/combine/hsa", {"effect_a": 0.3, "effect_b": 0.4, "observed": 0.6})
    assert (h["expected"], h["excess"]) == (pytest.approx(0.4), pytest.approx(0.2))
    body = {
        "dose_a": "2.5 mg",
        "dose_b": "5 mg",
        "effect": 0.5,
        "ed50_a": "10 mg",
        "ed50_b": "10 mg",
    }
    lo = ok(client, "/api/combine/loewe", body)
    assert lo["combination_index"] == pytest.approx(0.75)  # 2.5/10 + 5/10
    zero = ok(client, "/api/combine/loewe", {**body, "dose_a": "0 mg"})
    assert zero["dose_reduction_index_a"] is None  # infinite: null in JSON, not a 500
    assert error(client, "/api/combine/bliss", {"effect_a": 1.3, "effect_b": 0.1})["loc"] == [
        "body",
        "effect_a",
    ]


def test_interaction_reri(client: TestClient) -> None:
    j = ok(client, "/api/interaction", {"rr10": 2.0, "rr01": 3.0, "rr11": 8.0})
    assert j["reri"]["estimate"] == pytest.approx(4.0)  # 8 - 2 - 3 + 1
    assert j["synergy_index"]["estimate"] == pytest.approx(7.0 / 3.0)  # (8-1)/((2-1)+(3-1))
    partial = error(client, "/api/interaction", {"rr10": 2, "rr01": 3, "rr11": 8, "ci10": [1, 3]})
    assert "ci10/ci01/ci11" in partial["msg"]


def test_withdraw_alprazolam_peaks_in_the_first_days(client: TestClient) -> None:
    body = {
        "drug": "alprazolam",
        "dose": "2 mg/day",
        "duration": "120 days",
        "follow_up": "30 days",
    }
    j = ok(client, "/api/withdraw", body)
    s = j["summary"]
    assert 1 <= s["peak_day"] <= 3  # short half-life: early peak (as the library's doctest)
    assert s["peak_index"] > 0
    assert set(j["timecourse_daily"]) == {"day", "variable", "value"}
    too_long = error(client, "/api/withdraw", {**body, "duration": "10 years"})
    assert too_long["loc"] == ["body", "duration"]


def test_ssri_snri_select(client: TestClient) -> None:
    s = ok(
        client,
        "/api/ssri",
        {"drug": "sertraline", "titrate": "25 mg for 1 week, then 50 mg", "weeks": 4},
    )
    assert 0 < s["early_dip"] < 1
    assert s["nadir_day"] < 7
    assert len(s["timecourse_daily"]["day"]) >= 28
    n = ok(client, "/api/snri", {"drug": "venlafaxine", "dose": "75 mg/day"})
    assert n["sert_mean"] > n["net_mean"] > 0
    sel = ok(client, "/api/select", {"drug": "sertraline"})
    assert sel["drug_class"] == "ssri"
    assert 50 <= sel["summary"]["dose_for_target_mg"] <= 200  # label range 50-200 mg/day
    assert sel["basis"]


def test_breathe_oxycodone_with_lorazepam_depresses_more(client: TestClient) -> None:
    oxy = {"drug": "oxycodone", "dose": "20 mg", "route": "PO"}
    alone = ok(client, "/api/breathe", {"meds": [oxy]})
    both = ok(client, "/api/breathe", {"meds": [oxy, {"drug": "lorazepam", "dose": "2 mg"}]})
    assert 0 < both["nadir_ventilation"] < alone["nadir_ventilation"] < 1
    assert set(both["attribution"]) == {"oxycodone", "lorazepam"}
    assert len(alone["time_course"]["time_h"]) > 400
    assert alone["basis"]


# ----------------------------------------------------------------------------- OpenAPI
def test_openapi_documents_every_endpoint_with_a_tag(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = {p for p in spec["paths"] if p.startswith("/api/")}
    cli_verbs = {
        "/api/drugs", "/api/drugs/{name}", "/api/pk", "/api/occupancy", "/api/curve/gaba",
        "/api/partial-agonism", "/api/release", "/api/compete", "/api/combine/bliss",
        "/api/combine/hsa", "/api/combine/loewe", "/api/interaction", "/api/withdraw", "/api/ssri",
        "/api/snri", "/api/select", "/api/breathe", "/api/convert", "/api/taper",
        "/api/taper/adjust", "/api/taper/pdf", "/api/taper/ics", "/api/taper/csv", "/api/mme",
        "/api/risk",
    }  # fmt: skip
    assert paths == cli_verbs
    for p in paths:
        for op in spec["paths"][p].values():
            assert op["tags"]
            assert op["summary"]
            if op is spec["paths"][p].get("post"):
                assert "not a prescription" in op["description"]
    assert client.get("/docs").status_code == 200
