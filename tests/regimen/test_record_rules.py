"""The NumPy record-rule check agrees with the pandas rules, and expand()'s short path is exact.

``DosingRecords._validate`` first asks ``breaks_a_rule`` (NumPy) and only builds the pandas masks
(which name the rows) when it says yes. If the fast check ever missed a rule, bad records would be
accepted; so 250 random record sets, most breaking one or two rules, are validated both ways (the
pandas path forced by patching the check to always say yes) and must give the same verdict and the
same message.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import allostasis.regimen._records as records_module
from allostasis.errors import DosingRecordError
from allostasis.exposure import OneCompartment, time_grid
from allostasis.regimen import DosingRecords

#: Values that break a rule in some column (alone or with the row's other values).
BAD: dict[str, list[float]] = {
    "ID": [1.5, np.nan, 2.0],  # 2.0 breaks nothing alone; with TIME out of order it might
    "TIME": [-1.0, np.inf, 0.0],  # 0.0 after a later time: decreasing within the ID
    "AMT": [-1.0, 0.0, np.nan],  # 0 on a dose: "needs AMT > 0" unless a steady-state infusion
    "CMT": [0.0, 1.5],
    "EVID": [5.0, -1.0, 0.0],
    "II": [-1.0, 0.0],  # 0 with ADDL > 0 or SS > 0
    "ADDL": [-1.0, 1.5, 2.0],  # 2 with II = 0
    "RATE": [-1.0, -2.0, -3.0, 5.0],
    "SS": [3.0, 1.0, 2.0],  # 1/2 with II = 0 and RATE = 0
}


def _random_records(rng: np.random.Generator) -> pd.DataFrame:
    """A valid one- to four-row record set, then (mostly) one or two cells set to a BAD value."""
    n = int(rng.integers(1, 5))
    cols = {
        "ID": np.sort(rng.choice([1.0, 2.0], n)),
        "TIME": np.sort(rng.choice([0.0, 1.0, 4.0, 12.0], n)),
        "AMT": rng.choice([10.0, 2.5], n),
        "CMT": rng.choice([1.0, 2.0], n),
        "EVID": rng.choice([1.0, 4.0], n),
        "II": np.zeros(n),
        "ADDL": np.zeros(n),
        "RATE": np.zeros(n),
        "SS": np.zeros(n),
    }
    for _ in range(int(rng.choice([0, 1, 1, 2]))):
        col = str(rng.choice(list(BAD)))
        cols[col][int(rng.integers(n))] = rng.choice(BAD[col])
    return pd.DataFrame(cols)


def _verdict(df: pd.DataFrame) -> str:
    try:
        DosingRecords(df)
    except DosingRecordError as exc:
        return str(exc)
    return "ok"


def test_fast_check_and_pandas_rules_agree_on_random_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(20261123)
    cases = [_random_records(rng) for _ in range(250)]
    fast = [_verdict(df) for df in cases]
    monkeypatch.setattr(records_module, "breaks_a_rule", lambda df, columns: True)
    slow = [_verdict(df) for df in cases]
    assert fast == slow
    n_ok = fast.count("ok")
    assert 40 < n_ok < 200, n_ok  # both verdicts well represented


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"TIME": [0.0, -1.0]}, "TIME must be >= 0"),
        ({"AMT": [10.0, -1.0]}, "AMT must be >= 0"),
        ({"EVID": [1, 7]}, "EVID must be 0, 1, 2, 3 or 4"),
        ({"CMT": [1, 0]}, "CMT must be an integer >= 1"),
        ({"ADDL": [0, 1.5], "II": [0, 12.0]}, "ADDL must be an integer"),
        ({"SS": [0, 1]}, "SS needs II > 0"),
        ({"RATE": [0, -1]}, "RATE -1/-2"),
        ({"ID": [1, 1], "TIME": [5.0, 1.0]}, "TIME must not decrease within an ID"),
    ],
)
def test_each_rule_is_still_reported_by_row(change: dict[str, list[float]], rule: str) -> None:
    base = {"ID": [1, 1], "TIME": [0.0, 1.0], "AMT": [10.0, 10.0], "CMT": [1, 1], "EVID": [1, 1]}
    with pytest.raises(DosingRecordError, match="row\\(s\\) 2") as caught:
        DosingRecords(pd.DataFrame(base | change))
    assert rule in str(caught.value)


def test_interleaved_ids_are_checked_per_id() -> None:
    ok = pd.DataFrame({"ID": [1, 2, 1], "TIME": [0.0, 0.0, 3.0], "AMT": [1.0, 1.0, 1.0]})
    assert len(DosingRecords(ok)) == 3
    bad = ok.assign(TIME=[4.0, 0.0, 3.0])
    with pytest.raises(DosingRecordError, match="TIME must not decrease within an ID"):
        DosingRecords(bad)


def test_expand_without_addl_returns_the_same_rows_as_a_copy() -> None:
    raw = pd.DataFrame(
        {
            "ID": [1, 1, 2],
            "TIME": [0.0, 6.0, 0.0],
            "AMT": [5.0, 0.0, 2.0],
            "EVID": [4, 0, 1],
            "SS": [1, 0, 0],
            "II": [12.0, 0.0, 0.0],
            "DV": [".", 3.2, "."],
        }
    )
    recs = DosingRecords(raw)
    expanded = recs.expand()
    pd.testing.assert_frame_equal(expanded.data, DosingRecords(recs.data).data, check_exact=True)
    expanded.data.loc[0, "AMT"] = 99.0
    assert recs.data.loc[0, "AMT"] == 5.0


def test_expand_with_interleaved_ids_still_sorts() -> None:
    recs = DosingRecords(pd.DataFrame({"ID": [2, 1], "TIME": [0.0, 1.0], "AMT": [1.0, 2.0]}))
    assert recs.expand().data["ID"].tolist() == [1.0, 2.0]


def test_one_block_kernel_matches_the_parallel_kernel_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import allostasis.exposure._linear_model as linear_model

    m = OneCompartment(name="drug", ka="1.3 1/h", cl="4 L/h", v="40 L")
    recs = DosingRecords(
        pd.DataFrame({"TIME": [0.0, 7.5], "AMT": [10.0, 5.0], "II": [8.0, 0.0], "ADDL": [3, 0]})
    )
    subjects = pd.DataFrame({"subject_id": [1, 2, 3], "cl": [2.0, 4.0, 9.0]})
    grid = time_grid("48 h", "0.25 h")
    serial = m.simulate(recs, grid, subjects=subjects)
    monkeypatch.setattr(linear_model, "BLOCK", 0)  # every cohort is "more than one block"
    parallel = m.simulate(recs, grid, subjects=subjects)
    assert np.array_equal(serial.concentration("drug"), parallel.concentration("drug"))
    assert serial.concentration("drug").max() > 0.2


def _random_plain(rng: np.random.Generator) -> tuple[pd.DataFrame, str, str]:
    """Upper-case NONMEM columns in random order and dtypes (int or float), random units."""
    n = int(rng.integers(1, 5))
    names = ["TIME", *rng.permutation(["ID", "AMT", "CMT", "EVID", "II", "ADDL", "RATE", "SS"])]
    names = [c for c in names if c == "TIME" or rng.random() < 0.6]
    names = list(rng.permutation(names))
    values = {
        "ID": np.ones(n),
        "TIME": np.sort(rng.choice([0.0, 0.5, 4.0, 12.0], n)),
        "AMT": rng.choice([0.0, 2.5, 10.0], n),
        "CMT": rng.choice([1.0, 2.0], n),
        "EVID": rng.choice([0.0, 1.0, 2.0, 4.0], n),
        "II": rng.choice([0.0, 8.0], n),
        "ADDL": rng.choice([0.0, 2.0], n),
        "RATE": rng.choice([0.0, 0.0, 5.0], n),
        "SS": rng.choice([0.0, 0.0, 1.0], n),
    }
    data = {}
    for c in names:
        v = values[c]
        data[c] = v.astype(np.int64) if rng.random() < 0.5 and np.all(v == np.round(v)) else v
    return pd.DataFrame(data), str(rng.choice(["h", "min"])), str(rng.choice(["mg", "mcg"]))


def test_plain_frames_normalise_exactly_as_the_general_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(7)
    cases = [_random_plain(rng) for _ in range(150)]

    def build(df: pd.DataFrame, tu: str, au: str) -> pd.DataFrame | str:
        try:
            return DosingRecords(df, time_unit=tu, amount_unit=au).data
        except DosingRecordError as exc:
            return str(exc)

    fast = [build(*c) for c in cases]
    monkeypatch.setattr(records_module, "is_plain", lambda data, columns: False)
    slow = [build(*c) for c in cases]
    n_frames = 0
    for f, s in zip(fast, slow, strict=True):
        if isinstance(s, str):
            assert f == s
        else:
            assert isinstance(f, pd.DataFrame)
            pd.testing.assert_frame_equal(f, s, check_exact=True)
            n_frames += 1
    assert n_frames > 30, n_frames
