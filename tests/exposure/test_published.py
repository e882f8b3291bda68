"""Typical-value model predictions against published human exposure data.

Each row of ``CASES`` simulates one regimen with ``pk_model(drug, route)`` (typical values from the
knowledge base) and compares one metric of one analyte with a published mean:

- ``value`` with ``tol``: the prediction must lie within ``value * (1 +/- tol)``; ``tol`` is 0.35 for a
  typical-value prediction against a published mean unless stated otherwise;
- ``low``/``high``: the source gives a range; the prediction must lie inside it.

Doses are the amount of the free base the knowledge base models (its molecular weight is the base):
labelled salt doses are converted with the salt factor given next to them. Rows the model cannot
match are marked ``xfail(strict=True)`` with the numbers in the reason, so they stay visible and
start failing loudly if the data are fixed. docs/validation.md has the same table with notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from allostasis.exposure import pk_model, time_grid
from allostasis.regimen import every, iv_bolus, patch

# Salt -> base factors (molecular weights: PubChem, as in the knowledge base).
NALOXONE_HCL = 327.37 / 363.84
OXYCODONE_HCL = 315.36 / 351.83
MORPHINE_SULFATE = 285.34 / (758.8 / 2)  # morphine sulfate pentahydrate, per morphine
BUSPIRONE_HCL = 385.5 / 421.96


@dataclass(frozen=True)
class Case:
    """One comparison of a model prediction with a published value."""

    cid: str
    """Test id: drug-route-metric-citation key."""
    drug: str
    route: str
    dose_mg: float
    """Dose of the free base (mg); for ``kind="patch"`` the delivery rate in mcg/h."""
    kind: str
    """``"oral"`` (extravascular doses via ``every``), ``"iv"`` (bolus) or ``"patch"``."""
    analyte: str
    metric: str
    """``cmax``, ``tmax``, ``cmin``, ``cavg``, ``auc`` (over the window), ``t_half`` (log-linear fit over
    ``fit``) or ``t_fall50`` (hours for the concentration to halve after ``fit[0]``)."""
    end_h: float
    """Length of the simulation (h)."""
    citation: str
    value: float | None = None
    tol: float = 0.35
    low: float | None = None
    high: float | None = None
    tau_h: float = 24.0
    n_doses: int = 1
    last_h: float | None = None
    """Restrict cmax/tmax/cmin/cavg/auc to the final ``last_h`` hours (steady-state interval)."""
    fit: tuple[float, float] | None = None
    step_h: float = 0.01
    xfail: str | None = None


CASES: list[Case] = [
    # ---- diazepam: two-compartment disposition (Ku 2018) with adult clearance (Greenblatt 1989) ----
    Case(
        "diazepam-oral-cmax-Greenblatt1989",
        "diazepam",
        "oral",
        10,
        "oral",
        "diazepam",
        "cmax",
        96,
        "Greenblatt DJ et al. Ther Drug Monit 1989;11:652-7 (n=48 men, 10 mg: mean Cmax 406 ng/mL)",
        value=406,
        xfail="model Cmax 128 ng/mL vs 406 observed (-68%): the only citable two-compartment set "
        "(Ku 2018, V1 42 L at 70 kg, paediatric, V1 CV 115%) has too large a central volume for adults",
    ),
    Case(
        "diazepam-oral-thalf-Greenblatt1989",
        "diazepam",
        "oral",
        10,
        "oral",
        "diazepam",
        "t_half",
        400,
        "Greenblatt DJ et al. Ther Drug Monit 1989;11:652-7 (elimination half-life 44.2 h)",
        value=44.2,
        fit=(150, 400),
        step_h=0.5,
    ),
    # ---- naloxone (doses are the hydrochloride; x 0.8998 for the base) ----
    Case(
        "naloxone-intranasal-cmax-McDonald2018",
        "naloxone",
        "intranasal",
        4 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "cmax",
        12,
        "McDonald R et al. Addiction 2018;113:484-93 (4 mg/0.2 mL intranasal: mean Cmax 6.02 ng/mL)",
        value=6.02,
        step_h=0.005,
    ),
    Case(
        "naloxone-intranasal-cmax-Skulberg2019",
        "naloxone",
        "intranasal",
        1.4 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "cmax",
        12,
        "Skulberg AK et al. Addiction 2019;114:859-67 (1.4 mg intranasal: Cmax 2.36 ng/mL)",
        value=2.36,
        step_h=0.005,
    ),
    Case(
        "naloxone-intranasal-auc-Skulberg2019",
        "naloxone",
        "intranasal",
        1.4 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "auc",
        12,
        "Skulberg AK et al. Addiction 2019;114:859-67 (1.4 mg intranasal: AUC0-last 2.62 h*ng/mL)",
        value=2.62,
        step_h=0.005,
    ),
    Case(
        "naloxone-intranasal-cmax-Tylleskar2017",
        "naloxone",
        "intranasal",
        1.6 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "cmax",
        12,
        "Tylleskar I et al. Eur J Clin Pharmacol 2017;73:555-62 (1.6 mg intranasal: Cmax 2.57 ng/mL)",
        value=2.57,
        step_h=0.005,
    ),
    Case(
        "naloxone-im-cmax-McDonald2018",
        "naloxone",
        "im",
        0.4 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "cmax",
        12,
        "McDonald R et al. Addiction 2018;113:484-93 (0.4 mg IM: mean Cmax 1.27 ng/mL)",
        value=1.27,
        step_h=0.005,
    ),
    Case(
        "naloxone-im-auc-Skulberg2019",
        "naloxone",
        "im",
        0.8 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "auc",
        12,
        "Skulberg AK et al. Addiction 2019;114:859-67 (0.8 mg IM: AUC0-last 3.09 h*ng/mL)",
        value=3.09,
        step_h=0.005,
    ),
    Case(
        "naloxone-im-cmax-Skulberg2019",
        "naloxone",
        "im",
        0.8 * NALOXONE_HCL,
        "oral",
        "naloxone",
        "cmax",
        12,
        "Skulberg AK et al. Addiction 2019;114:859-67 (0.8 mg IM: Cmax 3.73 +/- 3.34 ng/mL)",
        value=3.73,
        step_h=0.005,
        xfail="model Cmax 2.34 ng/mL vs 3.73 (-37%); the observed mean is dominated by a few high "
        "values (SD 3.34 ng/mL); the AUC of the same arm matches (+13%)",
    ),
    Case(
        "naloxone-iv-auc30min-Mundin2017",
        "naloxone",
        "iv",
        1.0 * NALOXONE_HCL,
        "iv",
        "naloxone",
        "auc",
        0.5,
        "Mundin G et al. Addiction 2017;112(9), doi:10.1111/add.13849 (1 mg IV: AUC0-30 min 1.70 h*ng/mL)",
        value=1.70,
        step_h=0.001,
    ),
    Case(
        "naloxone-iv-cmax-Mundin2017",
        "naloxone",
        "iv",
        1.0 * NALOXONE_HCL,
        "iv",
        "naloxone",
        "cmax",
        0.5,
        "Mundin G et al. Addiction 2017;112(9), doi:10.1111/add.13849 (1 mg IV: Cmax 9.64 ng/mL)",
        value=9.64,
        step_h=0.001,
        xfail="one-compartment model: C0 = 0.9 mg / 250 L = 3.6 ng/mL vs 9.64 observed (-63%); the "
        "early distribution phase after a bolus needs a published multi-compartment model",
    ),
    # ---- sertraline ----
    Case(
        "sertraline-oral-cavg-Mauri2002",
        "sertraline",
        "oral",
        66,
        "oral",
        "sertraline",
        "cavg",
        30 * 24,
        "Mauri MC et al. Prog Neuropsychopharmacol Biol Psychiatry 2002 (mean 66 mg/day for "
        "30 days: mean 40.4 ng/mL)",
        value=40.4,
        n_doses=30,
        last_h=24,
        step_h=0.1,
    ),
    Case(
        "sertraline-oral-cmin-Alderman2006",
        "sertraline",
        "oral",
        200,
        "oral",
        "sertraline",
        "cmin",
        21 * 24,
        "Alderman J et al. J Child Adolesc Psychopharmacol 2006;16:117, doi:10.1089/cap.2006.16.117 (levels normalised "
        "to 200 mg/day, subgroup means 70.5-85.0 ng/mL, 'comparable to adults')",
        low=70.5,
        high=85.0,
        n_doses=21,
        last_h=24,
        step_h=0.1,
    ),
    # ---- alprazolam ----
    Case(
        "alprazolam-oral-cmax0.5mg-XanaxLabel",
        "alprazolam",
        "oral",
        0.5,
        "oral",
        "alprazolam",
        "cmax",
        72,
        "XANAX label, 12.3 (0.5 to 3.0 mg: peak levels 8.0 to 37 ng/mL)",
        value=8.0,
    ),
    Case(
        "alprazolam-oral-cmax3mg-XanaxLabel",
        "alprazolam",
        "oral",
        3.0,
        "oral",
        "alprazolam",
        "cmax",
        72,
        "XANAX label, 12.3 (0.5 to 3.0 mg: peak levels 8.0 to 37 ng/mL)",
        value=37,
    ),
    Case(
        "alprazolam-oral-thalf-XanaxLabel",
        "alprazolam",
        "oral",
        1.0,
        "oral",
        "alprazolam",
        "t_half",
        120,
        "XANAX label, 12.3 (mean half-life 11.2 h, range 6.3-26.9 h)",
        low=6.3,
        high=26.9,
        fit=(48, 120),
        step_h=0.1,
    ),
    # ---- lorazepam ----
    Case(
        "lorazepam-iv-thalf-Greenblatt1979",
        "lorazepam",
        "iv",
        2,
        "iv",
        "lorazepam",
        "t_half",
        120,
        "Greenblatt DJ et al. J Pharm Sci 1979;68:57-63 (2 mg IV: t1/2 14.3 h)",
        value=14.3,
        fit=(48, 120),
        step_h=0.1,
    ),
    Case(
        "lorazepam-iv-auc-Greenblatt1979",
        "lorazepam",
        "iv",
        2,
        "iv",
        "lorazepam",
        "auc",
        240,
        "Greenblatt DJ et al. J Pharm Sci 1979;68:57-63 (2 mg IV: CL 1.05 mL/min/kg -> AUC 2 mg / "
        "(1.05 x 70 mL/min) = 454 h*ng/mL)",
        value=454,
        step_h=0.1,
    ),
    Case(
        "lorazepam-im-thalf-Greenblatt1977",
        "lorazepam",
        "im",
        4,
        "oral",
        "lorazepam",
        "t_half",
        120,
        "Greenblatt DJ et al. Clin Pharmacol Ther 1977;21:222-30 (4 mg IM: t1/2 13.6 h)",
        value=13.6,
        fit=(48, 120),
        step_h=0.1,
    ),
    # ---- midazolam ----
    Case(
        "midazolam-iv-auc-Schwagmeier1998",
        "midazolam",
        "iv",
        5,
        "iv",
        "midazolam",
        "auc",
        24,
        "Schwagmeier R et al. Br J Clin Pharmacol 1998;46:203-6 (5 mg IV: AUC 15016 ng*min/mL = "
        "250 h*ng/mL)",
        value=250,
    ),
    Case(
        "midazolam-iv-thalf-Heizmann1983",
        "midazolam",
        "iv",
        5,
        "iv",
        "midazolam",
        "t_half",
        24,
        "Heizmann P et al. Br J Clin Pharmacol 1983;16 Suppl 1:43S-9S (elimination t1/2 2.3 h)",
        value=2.3,
        fit=(8, 24),
    ),
    # ---- oxycodone (doses are the hydrochloride; x 0.8964 for the base) ----
    Case(
        "oxycodone-oral-cmaxss-Reder1996",
        "oxycodone",
        "oral",
        5 * OXYCODONE_HCL,
        "oral",
        "oxycodone",
        "cmax",
        96,
        "Reder RF et al. Clin Ther 1996;18:95-105 (IR 5 mg every 6 h, steady state: Cmax "
        "15.6 ng/mL)",
        value=15.6,
        tau_h=6,
        n_doses=16,
        last_h=6,
    ),
    Case(
        "oxycodone-oral-cmax-Poyhia1992",
        "oxycodone",
        "oral",
        0.28 * 70 * OXYCODONE_HCL,
        "oral",
        "oxycodone",
        "cmax",
        24,
        "Poyhia R et al. Br J Clin Pharmacol 1992;33:617-21 (0.28 mg/kg "
        "oral: mean Cmax 34-38 ng/mL across treatments)",
        value=36,
    ),
    Case(
        "oxycodone-oral-auc-Poyhia1992",
        "oxycodone",
        "oral",
        0.28 * 70 * OXYCODONE_HCL,
        "oral",
        "oxycodone",
        "auc",
        48,
        "Poyhia R et al. Br J Clin Pharmacol 1992;33:617-21 (0.28 mg/kg "
        "oral: mean AUC 208-245 h*ng/mL)",
        value=226,
    ),
    # ---- morphine (Stanski: 10 mg morphine sulfate = 7.52 mg base) ----
    Case(
        "morphine-iv-thalf-Stanski1978",
        "morphine",
        "iv",
        10 * MORPHINE_SULFATE,
        "iv",
        "morphine",
        "t_half",
        24,
        "Stanski DR et al. Clin Pharmacol Ther 1978;24:52-9 (10 mg IV: t1/2 2.9 h)",
        value=2.9,
        fit=(6, 24),
    ),
    Case(
        "morphine-im-cmax-Stanski1978",
        "morphine",
        "im",
        10 * MORPHINE_SULFATE,
        "oral",
        "morphine",
        "cmax",
        24,
        "Stanski DR et al. Clin Pharmacol Ther 1978;24:52-9 (10 mg IM: peaks 51-62 ng/mL "
        "within 20 min)",
        low=51,
        high=62,
        step_h=0.005,
        xfail="one-compartment model (V 3.2 L/kg): IM peak 30 ng/mL vs 51-62 observed; the early "
        "distribution phase needs a multi-compartment model (the RIA assay may also read high)",
    ),
    # ---- escitalopram ----
    Case(
        "escitalopram-oral-thalf-Sogaard2005",
        "escitalopram",
        "oral",
        20,
        "oral",
        "escitalopram",
        "t_half",
        240,
        "Sogaard B et al. J Clin Pharmacol 2005;45:1400-6 (single dose t1/2 27 h; "
        "multiple dose 33 h)",
        low=27,
        high=33,
        fit=(96, 240),
        step_h=0.1,
    ),
    # ---- fentanyl patch ----
    Case(
        "fentanyl-transdermal-tmax-DuragesicLabel",
        "fentanyl",
        "transdermal",
        25,
        "patch",
        "fentanyl",
        "tmax",
        72,
        "DURAGESIC label, clinical pharmacology (peak serum concentrations between 20 and "
        "72 h after the first application)",
        low=20,
        high=72,
        step_h=0.05,
    ),
    Case(
        "fentanyl-transdermal-fall50-Lehmann1992",
        "fentanyl",
        "transdermal",
        25,
        "patch",
        "fentanyl",
        "t_fall50",
        120,
        "Lehmann KA, Zech D. J Pain Symptom Manage 1992;7(3 Suppl):S8-16 (after "
        "removal serum concentrations fall about 50% in about 16 h)",
        value=16,
        fit=(72, 120),
        step_h=0.05,
    ),
    # ---- pregabalin ----
    Case(
        "pregabalin-oral-thalf-Bockbrader2010",
        "pregabalin",
        "oral",
        150,
        "oral",
        "pregabalin",
        "t_half",
        48,
        "Bockbrader HN et al. J Clin Pharmacol 2010;50:941-50 (elimination t1/2 about 6 h)",
        value=6.0,
        fit=(12, 48),
        step_h=0.05,
    ),
    Case(
        "pregabalin-oral-tmax-Bockbrader2010",
        "pregabalin",
        "oral",
        150,
        "oral",
        "pregabalin",
        "tmax",
        24,
        "Bockbrader HN et al. J Clin Pharmacol 2010;50:941-50 (peak at 0.7-1.3 h)",
        low=0.7,
        high=1.3,
    ),
    # ---- buprenorphine (Subutex strengths are the base) ----
    Case(
        "buprenorphine-sublingual-cmax8mg-McAleer2003",
        "buprenorphine",
        "sublingual",
        8,
        "oral",
        "buprenorphine",
        "cmax",
        72,
        "McAleer SD et al. Drug Alcohol Depend 2003;72:75-83 (Subutex "
        "2-16 mg under naltrexone block: mean Cmax 1.6-6.4 ng/mL)",
        low=1.6,
        high=6.4,
    ),
    Case(
        "buprenorphine-sublingual-cmax16mg-McAleer2003",
        "buprenorphine",
        "sublingual",
        16,
        "oral",
        "buprenorphine",
        "cmax",
        72,
        "McAleer SD et al. Drug Alcohol Depend 2003;72:75-83 (Subutex "
        "2-16 mg: mean Cmax 1.6-6.4 ng/mL, the top of the range at 16 mg)",
        low=1.6,
        high=6.4,
        xfail="model Cmax 9.5 ng/mL after 16 mg vs at most 6.4 observed: the sublingual F 0.29 "
        "(Mendelson 1997) is for a solution; tablets give about half the solution's exposure "
        "(Nath 1999), but the observed 2-16 mg Cmax are not dose-proportional",
    ),
    # ---- buspirone (doses are the hydrochloride; x 0.9136 for the base) ----
    Case(
        "buspirone-oral-cmax-BusparLabel",
        "buspirone",
        "oral",
        20 * BUSPIRONE_HCL,
        "oral",
        "buspirone",
        "cmax",
        24,
        "BUSPAR label, clinical pharmacology (20 mg: peak plasma levels 1 to 6 ng/mL "
        "40-90 min after dosing)",
        low=1.0,
        high=6.0,
    ),
    Case(
        "buspirone-oral-cmax-Mahmood1999",
        "buspirone",
        "oral",
        20 * BUSPIRONE_HCL,
        "oral",
        "buspirone",
        "cmax",
        24,
        "Mahmood I, Sahajwalla C. Clin Pharmacokinet 1999;36:277-87 (20 mg: mean Cmax "
        "about 2.5 ng/mL)",
        value=2.5,
        xfail="model Cmax 1.43 ng/mL vs about 2.5 (-43%); the same review's F 4%, V 5.3 L/kg and "
        "tmax < 1 h cannot give 2.5 ng/mL in a one-compartment model; inside the label's 1-6 ng/mL",
    ),
    Case(
        "buspirone-oral-thalf-Mahmood1999",
        "buspirone",
        "oral",
        20 * BUSPIRONE_HCL,
        "oral",
        "buspirone",
        "t_half",
        24,
        "Mahmood I, Sahajwalla C. Clin Pharmacokinet 1999;36:277-87 (t1/2 about 2.5 h)",
        value=2.5,
        fit=(6, 24),
    ),
    # ---- clonazepam ----
    Case(
        "clonazepam-oral-auc-Crevoisier2003",
        "clonazepam",
        "oral",
        2,
        "oral",
        "clonazepam",
        "auc",
        400,
        "Crevoisier C et al. Eur Neurol 2003, doi:10.1159/000069089 (2 mg oral: AUC0-inf 561 h*ng/mL)",
        value=561,
        step_h=0.1,
    ),
    Case(
        "clonazepam-oral-thalf-Crevoisier2003",
        "clonazepam",
        "oral",
        2,
        "oral",
        "clonazepam",
        "t_half",
        400,
        "Crevoisier C et al. Eur Neurol 2003, doi:10.1159/000069089 (2 mg oral: t1/2 39.0 h)",
        value=39.0,
        fit=(100, 400),
        step_h=0.1,
    ),
    Case(
        "clonazepam-oral-cmax-Crevoisier2003",
        "clonazepam",
        "oral",
        2,
        "oral",
        "clonazepam",
        "cmax",
        96,
        "Crevoisier C et al. Eur Neurol 2003, doi:10.1159/000069089 (2 mg oral: Cmax 14.9 ng/mL at 1.7 h)",
        value=14.9,
        xfail="model Cmax 8.2 ng/mL at 2.7 h vs 14.9 at 1.7 h (-45%): one-compartment V 3 L/kg; "
        "clonazepam is biexponential after IV (Berlin & Dahlstrom 1975) and needs a central volume",
    ),
    # ---- fluoxetine ----
    Case(
        "fluoxetine-oral-cavg-ICP1993",
        "fluoxetine",
        "oral",
        20,
        "oral",
        "fluoxetine",
        "cavg",
        42 * 24,
        "Int Clin Psychopharmacol 1993;8:25-9, PMID 8473717 (20 mg/day for 6 weeks: fluoxetine about "
        "83 ng/mL)",
        value=83,
        n_doses=42,
        last_h=24,
        step_h=0.5,
    ),
    Case(
        "fluoxetine-oral-norfluoxetine-ICP1993",
        "fluoxetine",
        "oral",
        20,
        "oral",
        "norfluoxetine",
        "cavg",
        42 * 24,
        "Int Clin Psychopharmacol 1993;8:25-9, PMID 8473717 (20 mg/day for 6 weeks: "
        "norfluoxetine about 66 ng/mL)",
        value=66,
        n_doses=42,
        last_h=24,
        step_h=0.5,
    ),
]


def _regimen(c: Case):
    if c.kind == "iv":
        return iv_bolus(f"{c.dose_mg} mg")
    if c.kind == "patch":
        return patch(f"{c.dose_mg} mcg/h", n_patches=1)
    return every(f"{c.dose_mg} mg", f"{c.tau_h} h", n_doses=c.n_doses)


def predict(c: Case) -> float:
    """The model's value of ``c.metric`` for ``c.analyte`` (concentrations in ng/mL, times in h)."""
    model = pk_model(c.drug, c.route)
    result = model.simulate(_regimen(c), time_grid(f"{c.end_h} h", f"{c.step_h} h"))
    if c.metric in ("t_half", "t_fall50"):
        assert c.fit is not None
        t = result.times
        conc = result.concentration(c.analyte, unit="ng/mL")[0]
        win = (t >= c.fit[0]) & (t <= c.fit[1])
        if c.metric == "t_half":
            slope = np.polyfit(t[win], np.log(conc[win]), 1)[0]
            return float(np.log(2) / -slope)
        c0 = conc[win][0]
        below = np.nonzero(conc[win] <= c0 / 2)[0]
        return float(t[win][below[0]] - c.fit[0])
    last = f"{c.last_h} h" if c.last_h else None
    summary = result.summary(unit="ng/mL", last=last)
    row = summary[summary["analyte"] == c.analyte].iloc[0]
    return float(row[c.metric])


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        yield pytest.param(c, id=c.cid, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_model_matches_published(case: Case) -> None:
    got = predict(case)
    if case.value is not None:
        lo, hi = case.value * (1 - case.tol), case.value * (1 + case.tol)
        what = f"{case.value:g} +/- {case.tol:.0%}"
    else:
        assert case.low is not None
        assert case.high is not None
        lo, hi = case.low, case.high
        what = f"range {case.low:g}-{case.high:g}"
    assert lo <= got <= hi, (
        f"{case.drug} {case.route} {case.metric} ({case.analyte}): model {got:.4g} vs published "
        f"{what} [{case.citation}]"
    )


def test_at_least_15_drugs_are_validated() -> None:
    assert len({c.drug for c in CASES if c.xfail is None}) >= 15
