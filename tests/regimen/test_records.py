"""NONMEM-style dosing records: reading, defaults, units, validation, I/O, expand, merge.

Semantics follow the NONMEM 7 user guide (data items ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, SS);
``DUR`` is the rxode2 convention; ``.`` for missing is NONMEM's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from allostasis.errors import AllostasisError, DosingRecordError
from allostasis.exposure import OneCompartment, time_grid
from allostasis.regimen import COLUMNS, DosingRecords, every, infusion, iv_bolus
from allostasis.units import Q_

KA, CL, V = 1.0, 5.0, 50.0
K = CL / V


def model() -> OneCompartment:
    return OneCompartment(name="drug", ka=f"{KA} 1/h", cl=f"{CL} L/h", v=f"{V} L")


def bateman(t: np.ndarray, dose: float, t0: float = 0.0, f: float = 1.0) -> np.ndarray:
    """Single oral dose, one compartment (Gibaldi & Perrier 1982, ch. 1)."""
    dt = np.asarray(t, dtype=float) - t0
    c = f * dose * KA / (V * (KA - K)) * (np.exp(-K * dt) - np.exp(-KA * dt))
    return np.where(dt >= 0, c, 0.0)


# --------------------------------------------------------------------------- reading
def test_column_names_are_case_insensitive() -> None:
    lower = DosingRecords(
        pd.DataFrame({"id": [1], "time": [0], "amt": [10], "ii": [12], "addl": [1]})
    )
    mixed = DosingRecords(
        pd.DataFrame({"Id": [1], "Time": [0], "AMT": [10], "Ii": [12], "aDdL": [1]})
    )
    upper = DosingRecords(
        pd.DataFrame({"ID": [1], "TIME": [0], "AMT": [10], "II": [12], "ADDL": [1]})
    )
    for recs in (lower, mixed):
        pd.testing.assert_frame_equal(
            recs.data[list(COLUMNS)], upper.data[list(COLUMNS)], check_dtype=False
        )
    assert lower.data.loc[0, "II"] == 12.0
    assert lower.data.loc[0, "ADDL"] == 1.0


def test_duplicate_columns_ignoring_case_are_refused() -> None:
    with pytest.raises(DosingRecordError, match=r"duplicate columns \(ignoring case\): \['TIME'\]"):
        DosingRecords(pd.DataFrame({"time": [0], "TIME": [1], "AMT": [1]}))


def test_dot_means_missing_and_takes_the_default() -> None:
    df = pd.DataFrame(
        {
            "ID": [1, 1, 1],
            "TIME": [0, 1, 5],
            "AMT": [10, ".", "."],
            "CMT": [".", ".", 2],
            "EVID": [".", 2, "."],
            "II": [".", ".", "."],
            "RATE": [".", ".", "."],
        }
    )
    d = DosingRecords(df).data
    assert d["AMT"].tolist() == [10.0, 0.0, 0.0]
    assert d["CMT"].tolist() == [1.0, 1.0, 2.0]
    assert d["EVID"].tolist() == [1.0, 2.0, 0.0]  # "." EVID derived from AMT; an explicit 2 is kept
    assert d["II"].tolist() == [0.0, 0.0, 0.0]
    assert d["RATE"].tolist() == [0.0, 0.0, 0.0]


def test_defaults_for_absent_columns() -> None:
    d = DosingRecords(pd.DataFrame({"TIME": [0.0, 2.0, 4.0], "AMT": [5.0, 0.0, 5.0]})).data
    assert d["ID"].tolist() == [1.0] * 3
    assert d["CMT"].tolist() == [1.0] * 3
    assert d["EVID"].tolist() == [1.0, 0.0, 1.0]  # EVID derived: 1 where AMT > 0, else 0
    assert d["II"].tolist() == [0.0] * 3
    assert d["ADDL"].tolist() == [0.0] * 3
    assert d["RATE"].tolist() == [0.0] * 3
    assert d["SS"].tolist() == [0.0] * 3
    assert set(COLUMNS) <= set(d.columns)


def test_a_missing_time_is_an_error_not_zero() -> None:
    df = pd.DataFrame({"ID": [1, 1, 1], "TIME": [0, ".", 5], "AMT": [10, 0, 0]})
    with pytest.raises(
        DosingRecordError, match=r"^dosing records: TIME is missing \(row\(s\) 2\)$"
    ):
        DosingRecords(df)


def test_time_column_is_required() -> None:
    with pytest.raises(DosingRecordError, match=r"^dosing records: a TIME column is required$"):
        DosingRecords(pd.DataFrame({"AMT": [1.0]}))


def test_non_numeric_values_are_refused() -> None:
    with pytest.raises(DosingRecordError, match=r"AMT must be numeric \(row\(s\) 2: \['ten'\]\)"):
        DosingRecords(pd.DataFrame({"TIME": [0, 1], "AMT": [5, "ten"]}))


def test_only_a_dataframe_is_accepted() -> None:
    with pytest.raises(DosingRecordError, match=r"expected a pandas DataFrame; got list"):
        DosingRecords([{"TIME": 0, "AMT": 1}])  # type: ignore[arg-type]


def test_extra_columns_are_kept() -> None:
    d = DosingRecords(
        pd.DataFrame({"TIME": [0, 1], "AMT": [1, 0], "dv": [np.nan, 3.2], "WT": [70, 70]})
    ).data
    assert d["DV"].tolist()[1] == 3.2
    assert d["WT"].tolist() == [70, 70]


# --------------------------------------------------------------------------- units
def test_time_and_amount_units_are_converted_to_h_and_mg() -> None:
    df = pd.DataFrame(
        {"TIME": [0, 90], "AMT": [500, 250], "II": [720, 0], "ADDL": [2, 0], "RATE": [100, 0]}
    )
    d = DosingRecords(df, time_unit="min", amount_unit="mcg").data
    assert d["TIME"].tolist() == pytest.approx([0.0, 1.5])
    assert d["AMT"].tolist() == pytest.approx([0.5, 0.25])
    assert d["II"].tolist() == pytest.approx([12.0, 0.0])
    assert d["RATE"].tolist() == pytest.approx([6.0, 0.0])  # 100 mcg/min = 6 mg/h
    assert d["ADDL"].tolist() == [2.0, 0.0]  # a count, not converted


def test_days_and_grams() -> None:
    d = DosingRecords(
        pd.DataFrame({"TIME": [0, 1], "AMT": [0.01, 0.0]}), time_unit="day", amount_unit="g"
    ).data
    assert d["TIME"].tolist() == [0.0, 24.0]
    assert d["AMT"].tolist() == pytest.approx([10.0, 0.0])


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"time_unit": "mg"}, r"^dosing records: time_unit must be a time unit such as 'h' or 'min'; got 'mg'$"),
        ({"time_unit": "fortnights_x"}, r"time_unit must be a time unit .*; got 'fortnights_x'$"),
        ({"amount_unit": "h"}, r"^dosing records: amount_unit must be a mass unit such as 'mg' or 'mcg'; got 'h'$"),
        ({"amount_unit": "mg/L"}, r"amount_unit must be a mass unit .*; got 'mg/L'$"),
    ],
)  # fmt: skip
def test_wrong_record_units_are_refused(kw: dict[str, str], message: str) -> None:
    with pytest.raises(DosingRecordError, match=message) as err:
        DosingRecords(pd.DataFrame({"TIME": [0], "AMT": [1]}), **kw)
    assert isinstance(err.value, AllostasisError)


def test_dur_column_becomes_rate() -> None:
    df = pd.DataFrame({"TIME": [0, 0], "AMT": [100, 50], "DUR": [2, "."], "CMT": [2, 2]})
    d = DosingRecords(df).data
    assert "DUR" not in d.columns
    assert d["RATE"].tolist() == [50.0, 0.0]


def test_dur_in_minutes_with_amounts_in_mcg() -> None:
    d = DosingRecords(
        pd.DataFrame({"TIME": [0], "AMT": [600], "DUR": [30], "CMT": [2]}),
        time_unit="min",
        amount_unit="mcg",
    ).data
    assert d["RATE"].tolist() == pytest.approx([1.2])  # 0.6 mg over 0.5 h


def test_rate_and_dur_together_are_refused() -> None:
    with pytest.raises(
        DosingRecordError, match=r"give RATE or DUR for an infusion, not both \(row\(s\) 1\)"
    ):
        DosingRecords(pd.DataFrame({"TIME": [0], "AMT": [10], "RATE": [5], "DUR": [2]}))


def test_dur_infusion_simulates_like_rate_infusion() -> None:
    t = time_grid("12 h", "0.25 h")
    by_dur = DosingRecords(pd.DataFrame({"TIME": [1.0], "AMT": [100.0], "DUR": [2.0], "CMT": [2]}))
    by_rate = infusion("100 mg", duration="2 h", at="1 h")
    np.testing.assert_allclose(
        model().simulate(by_dur, t).concentration()[0],
        model().simulate(by_rate, t).concentration()[0],
    )


# --------------------------------------------------------------------------- validation
def test_validation_lists_every_offending_row_and_rule() -> None:
    df = pd.DataFrame(
        {
            "ID": [1, 1, 1, 1, 1, 1, 2, 2],
            "TIME": [0, 1, 2, 3, 5, 4, 0, 1],
            "AMT": [-1, 10, 10, 10, 10, 10, 10, 10],
            "EVID": [1, 5, 1, 1, 1, 1, 1, 1],
            "ADDL": [0, 0, 3, 0, 0, 0, 0, 0],
            "RATE": [0, 0, 0, -2, -5, 0, 0, 0],
            "SS": [0, 0, 0, 0, 0, 0, 1, 0],
        }
    )
    with pytest.raises(DosingRecordError, match=r"^dosing records: ") as err:
        DosingRecords(df)
    text = str(err.value)
    expected = [
        "AMT must be >= 0 (row(s) 1)",
        "EVID must be 0, 1, 2, 3 or 4 (row(s) 2)",
        "ADDL > 0 needs II > 0 (row(s) 3)",
        "RATE -1/-2 (rate or duration modelled in $PK) is not supported; give RATE > 0 or DUR (row(s) 4)",
        "RATE must be >= 0 (row(s) 5)",
        "TIME must not decrease within an ID (sort the records) (row(s) 6)",
        "SS needs II > 0 (or RATE > 0 with II = 0) (row(s) 7)",
    ]
    missing = [e for e in expected if e not in text]
    assert not missing, f"not reported: {missing}\nmessage: {text}"
    assert "\n" not in text


def test_many_offending_rows_are_counted() -> None:
    df = pd.DataFrame({"TIME": np.arange(8.0), "AMT": [-1.0] * 8})
    with pytest.raises(
        DosingRecordError, match=r"AMT must be >= 0 \(row\(s\) 1, 2, 3, 4, 5 and 3 more\)"
    ):
        DosingRecords(df)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"TIME": [-1], "AMT": [1]}, r"TIME must be >= 0 \(row\(s\) 1\)"),
        ({"TIME": [np.inf], "AMT": [1]}, r"values must be finite \(row\(s\) 1\)"),
        (
            {"TIME": [0], "AMT": [0], "EVID": [1]},
            r"a dose \(EVID 1/4\) needs AMT > 0 \(row\(s\) 1\)",
        ),
        ({"TIME": [0], "AMT": [1], "CMT": [0]}, r"CMT must be an integer >= 1 \(row\(s\) 1\)"),
        ({"TIME": [0], "AMT": [1], "CMT": [1.5]}, r"CMT must be an integer >= 1"),
        (
            {"TIME": [0], "AMT": [1], "ADDL": [1.5], "II": [2]},
            r"ADDL must be an integer \(row\(s\) 1\)",
        ),
        ({"TIME": [0], "AMT": [1], "ADDL": [-1]}, r"ADDL must be >= 0"),
        ({"TIME": [0], "AMT": [1], "II": [-1]}, r"II must be >= 0 \(row\(s\) 1\)"),
        ({"TIME": [0], "AMT": [1], "SS": [3], "II": [1]}, r"SS must be 0, 1 or 2 \(row\(s\) 1\)"),
        (
            {"TIME": [0], "AMT": [1], "SS": [1]},
            r"SS needs II > 0 \(or RATE > 0 with II = 0\) \(row\(s\) 1\)",
        ),
        ({"TIME": [0], "AMT": [1], "RATE": [-1]}, r"RATE -1/-2 .* is not supported"),
        ({"TIME": [0], "AMT": [1], "ID": [1.5]}, r"ID must be an integer \(row\(s\) 1\)"),
    ],
)
def test_single_rule_violations(columns: dict[str, list[float]], message: str) -> None:
    with pytest.raises(DosingRecordError, match=r"^dosing records: .*" + message):
        DosingRecords(pd.DataFrame(columns))


def test_time_may_restart_in_a_new_id() -> None:
    recs = DosingRecords(pd.DataFrame({"ID": [2, 2, 1], "TIME": [0, 5, 0], "AMT": [1, 0, 1]}))
    assert recs.subject_ids.tolist() == [2, 1]


def test_steady_state_constant_infusion_needs_no_amount() -> None:
    recs = DosingRecords(
        pd.DataFrame({"TIME": [0], "AMT": [0], "EVID": [1], "SS": [1], "RATE": [2], "CMT": [2]})
    )
    assert len(recs.doses) == 1
    res = model().simulate(recs, time_grid("10 h", "5 h"))
    np.testing.assert_allclose(res.concentration()[0], 2.0 / CL, rtol=1e-10)  # Css = R0 / CL


# --------------------------------------------------------------------------- I/O
def test_csv_round_trip(tmp_path: Path) -> None:
    recs = every("10 mg", "12 h", n_doses=4) + DosingRecords(
        pd.DataFrame(
            {
                "TIME": [0.5, 6.0, 30.0],
                "AMT": [0, 0, 0],
                "EVID": [0, 2, 0],
                "DV": [np.nan, 1.5, 2.5],
            }
        )
    )
    path = tmp_path / "records.csv"
    recs.to_csv(path)
    back = DosingRecords.read_csv(path)
    pd.testing.assert_frame_equal(back.data, recs.data, check_dtype=False)
    for col in ("ID", "CMT", "EVID", "ADDL", "SS"):
        assert back.data[col].to_numpy().tolist() == recs.data[col].to_numpy().tolist()
    # written with integer codes and canonical units
    header, first = path.read_text().splitlines()[:2]
    assert header.split(",")[:9] == ["ID", "TIME", "AMT", "CMT", "EVID", "II", "ADDL", "RATE", "SS"]
    assert first.startswith("1,0.0,10.0,1,1,12.0,3,0.0,0")


def test_csv_round_trip_of_converted_units(tmp_path: Path) -> None:
    recs = DosingRecords(
        pd.DataFrame({"TIME": [0, 30], "AMT": [250, 0], "DUR": [15, "."], "CMT": [2, 2]}),
        time_unit="min",
        amount_unit="mcg",
    )
    path = tmp_path / "r.csv"
    recs.to_csv(path)
    back = DosingRecords.read_csv(path)
    pd.testing.assert_frame_equal(back.data, recs.data, check_dtype=False)
    assert back.data["RATE"].tolist() == pytest.approx([1.0, 0.0])


MRGSOLVE_CSV = """\
id,time,evid,amt,cmt,ii,addl,rate,ss,dv,wt
1,0,1,100,1,12,2,0,0,.,70
1,1,0,.,.,.,.,.,.,1.52,70
1,6,0,.,.,.,.,.,.,1.21,70
1,24,0,.,.,.,.,.,.,.,70
1,30,0,.,.,.,.,.,.,2.01,70
2,0,1,50,1,.,.,.,.,.,82
2,2,0,.,.,.,.,.,.,0.81,82
2,12,0,.,.,.,.,.,.,0.2,82
"""


def test_mrgsolve_style_csv_reads_and_simulates(tmp_path: Path) -> None:
    path = tmp_path / "mrgsolve.csv"
    path.write_text(MRGSOLVE_CSV)
    recs = DosingRecords.read_csv(path)
    assert recs.subject_ids.tolist() == [1, 2]
    assert len(recs.doses) == 2
    assert len(recs.observations) == 6
    assert {"DV", "WT"} <= set(recs.data.columns)

    # on a shared grid
    t = time_grid("36 h", "0.5 h")
    res = model().simulate(recs, t)
    c = res.concentration()
    tt = t.magnitude
    np.testing.assert_allclose(
        c[0], sum(bateman(tt, 100, 12 * i) for i in range(3)), rtol=1e-10, atol=1e-14
    )
    np.testing.assert_allclose(c[1], bateman(tt, 50), rtol=1e-10, atol=1e-14)

    # at the observation rows
    obs = model().simulate(recs).to_dataframe()
    assert obs["time"].tolist() == [1.0, 6.0, 24.0, 30.0, 2.0, 12.0]
    expected = [
        sum(bateman(np.array([x]), 100, 12 * i)[0] for i in range(3)) for x in (1, 6, 24, 30)
    ] + [bateman(np.array([x]), 50)[0] for x in (2, 12)]
    np.testing.assert_allclose(obs["concentration"].to_numpy(), expected, rtol=1e-10)


def test_read_csv_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DosingRecordError, match=r"^dosing records: cannot read '.*nope\.csv'"):
        DosingRecords.read_csv(tmp_path / "nope.csv")


def test_read_csv_with_units(tmp_path: Path) -> None:
    path = tmp_path / "min.csv"
    path.write_text("ID,TIME,AMT\n1,0,500\n1,90,.\n")
    d = DosingRecords.read_csv(path, time_unit="min", amount_unit="mcg").data
    assert d["TIME"].tolist() == [0.0, 1.5]
    assert d["AMT"].tolist() == [0.5, 0.0]
    assert d["EVID"].tolist() == [1.0, 0.0]


# --------------------------------------------------------------------------- expand
def _same_simulation(a: DosingRecords, b: DosingRecords, end: str = "96 h") -> None:
    t = time_grid(end, "0.25 h")
    np.testing.assert_allclose(
        model().simulate(a, t).concentration(),
        model().simulate(b, t).concentration(),
        rtol=1e-12,
        atol=1e-15,
    )


def test_expand_writes_addl_as_rows() -> None:
    recs = every("10 mg", "12 h", n_doses=4, start="1 h")
    ex = recs.expand()
    assert ex.data["TIME"].tolist() == [1.0, 13.0, 25.0, 37.0]
    assert ex.data["ADDL"].tolist() == [0.0] * 4
    assert ex.data["II"].tolist() == [12.0, 0.0, 0.0, 0.0]
    assert ex.data["AMT"].tolist() == [10.0] * 4
    assert len(recs) == 1
    assert len(recs.data) == 1  # the original is unchanged


def test_expand_simulates_like_the_compact_form() -> None:
    _same_simulation(every("10 mg", "12 h", n_doses=6), every("10 mg", "12 h", n_doses=6).expand())


def test_expand_with_infusions_observations_and_two_subjects() -> None:
    df = pd.DataFrame(
        {
            "ID": [1, 1, 1, 2, 2],
            "TIME": [0, 3, 20, 0, 10],
            "AMT": [20, 0, 5, 10, 0],
            "CMT": [2, 2, 1, 1, 2],
            "EVID": [1, 0, 1, 1, 2],
            "II": [8, 0, 6, 24, 0],
            "ADDL": [3, 0, 2, 1, 0],
            "RATE": [10, 0, 0, 0, 0],
        }
    )
    recs = DosingRecords(df)
    ex = recs.expand()
    assert len(ex.doses) == 4 + 3 + 2
    assert ex.subject_ids.tolist() == [1, 2]
    assert (ex.data.groupby("ID")["TIME"].diff().dropna() >= 0).all()
    _same_simulation(recs, ex)


def test_expand_keeps_steady_state_on_the_first_row_only() -> None:
    recs = DosingRecords(
        pd.DataFrame({"TIME": [0], "AMT": [10], "II": [12], "ADDL": [3], "SS": [1]})
    )
    ex = recs.expand()
    assert ex.data["SS"].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert ex.data["II"].tolist() == [12.0, 0.0, 0.0, 0.0]
    _same_simulation(recs, ex)


# --------------------------------------------------------------------------- subjects and merge
def test_for_subjects_gives_each_subject_the_regimen() -> None:
    recs = every("10 mg", "12 h", n_doses=3).for_subjects([3, 4, 7])
    assert recs.subject_ids.tolist() == [3, 4, 7]
    assert recs.data["AMT"].tolist() == [10.0] * 3
    res = model().simulate(recs, time_grid("48 h", "1 h"))
    c = res.concentration()
    assert c.shape == (3, 49)
    np.testing.assert_array_equal(c[0], c[1])
    np.testing.assert_array_equal(c[0], c[2])


def test_for_subjects_needs_single_subject_records() -> None:
    two = every("10 mg", "12 h", n_doses=3).for_subjects([1, 2])
    with pytest.raises(
        DosingRecordError,
        match=r"^for_subjects: needs single-subject records; these have 2 subjects$",
    ):
        two.for_subjects([5])


def test_merge_keeps_time_order_and_adds_doses() -> None:
    base = every("10 mg", "12 h", n_doses=3)
    rescue = iv_bolus("2 mg", at="6 h")
    both = base + rescue
    assert both.data["TIME"].tolist() == [0.0, 6.0]
    assert both.data["CMT"].tolist() == [1.0, 2.0]
    assert len(base) == 1  # operands unchanged
    assert len(rescue) == 1
    t = time_grid("48 h", "0.5 h")
    m = model()
    np.testing.assert_allclose(
        m.simulate(both, t).concentration(),
        m.simulate(base, t).concentration() + m.simulate(rescue, t).concentration(),
        rtol=1e-12,
        atol=1e-15,
    )


def test_merge_of_two_subjects_sorts_by_id() -> None:
    a = every("10 mg", "24 h", n_doses=1, subject_id=2)
    b = every("5 mg", "24 h", n_doses=1, subject_id=1)
    merged = a + b
    assert merged.data["ID"].tolist() == [1.0, 2.0]
    assert merged.subject_ids.tolist() == [1, 2]


def test_merge_with_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="unsupported operand"):
        every("10 mg", "24 h", n_doses=1) + 3  # type: ignore[operator]


def test_views_and_repr() -> None:
    recs = every("10 mg", "8 h", n_doses=3) + DosingRecords(
        pd.DataFrame({"TIME": [1.0, 2.0], "AMT": [0.0, 0.0], "EVID": [0, 2]})
    )
    assert len(recs.doses) == 1
    assert recs.observations["EVID"].tolist() == [0.0, 2.0]
    assert repr(recs) == (
        "<DosingRecords: 1 subject(s), 1 dose record(s) (3 doses after ADDL), 2 observation(s), 0-16 h>"
    )


def test_times_in_other_units_simulate_the_same() -> None:
    recs = every("10 mg", "12 h", n_doses=2)
    a = model().simulate(recs, time_grid("24 h", "1 h")).concentration()
    b = model().simulate(recs, Q_(np.arange(0, 24 * 60 + 1, 60.0), "min")).concentration()
    np.testing.assert_allclose(a, b, rtol=1e-12)
