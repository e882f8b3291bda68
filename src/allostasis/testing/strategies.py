"""Hypothesis strategies for allostasis objects: PK parameters and dosing records.

Requires ``hypothesis`` (a development dependency); import it only from tests.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
import pandas as pd

from allostasis.regimen import DosingRecords

__all__ = ["dosing_records", "one_compartment_params"]


@st.composite
def one_compartment_params(draw: st.DrawFn, metabolite: bool = False) -> dict[str, Any]:
    """Physiologically plausible one-compartment parameters (quantity strings)."""
    p: dict[str, Any] = {
        "ka": f"{draw(st.floats(0.05, 10.0))} 1/h",
        "cl": f"{draw(st.floats(0.1, 100.0))} L/h",
        "v": f"{draw(st.floats(5.0, 2000.0))} L",
        "f": draw(st.floats(0.05, 1.0)),
        "tlag": f"{draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))} h",
    }
    if metabolite:
        p.update(
            metabolites=("m",),
            fm_m=draw(st.floats(0.01, 1.0)),
            cl_m=f"{draw(st.floats(0.05, 50.0))} L/h",
            v_m=f"{draw(st.floats(5.0, 500.0))} L",
            mwr_m=draw(st.floats(0.5, 1.2)),
        )
    return p


@st.composite
def dosing_records(draw: st.DrawFn, max_rows: int = 4, infusions: bool = True) -> DosingRecords:
    """A single-subject record set: boluses (depot or central), repeats and infusions."""
    n = draw(st.integers(1, max_rows))
    rows = []
    t = 0.0
    for _ in range(n):
        t += draw(st.sampled_from([0.0, 1.0, 2.5, 6.0, 12.0, 24.0]))
        amt = draw(st.floats(0.1, 100.0))
        cmt = draw(st.sampled_from([1, 2]))
        addl = draw(st.integers(0, 5))
        ii = draw(st.sampled_from([6.0, 8.0, 12.0, 24.0])) if addl else 0.0
        rate = (
            amt / draw(st.sampled_from([0.5, 1.0, 4.0]))
            if infusions and draw(st.booleans())
            else 0.0
        )
        rows.append(
            {"TIME": t, "AMT": amt, "CMT": cmt, "EVID": 1, "II": ii, "ADDL": addl, "RATE": rate}
        )
    return DosingRecords(pd.DataFrame(rows))
