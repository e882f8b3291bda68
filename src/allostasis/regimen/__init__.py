"""Dosing regimens: NONMEM-style records and human constructors.

>>> from allostasis.regimen import every
>>> every("0.5 mg", "8 h", duration="2 days")
<DosingRecords: 1 subject(s), 1 dose record(s) (6 doses after ADDL), 0 observation(s), 0-40 h>
"""

from allostasis.regimen._constructors import (
    CENTRAL,
    DEPOT,
    every,
    infusion,
    iv_bolus,
    patch,
    taper,
)
from allostasis.regimen._records import COLUMNS, DosingRecords
from allostasis.regimen._reductions import parse_reduction, reduction_taper

__all__ = [
    "CENTRAL",
    "COLUMNS",
    "DEPOT",
    "DosingRecords",
    "every",
    "infusion",
    "iv_bolus",
    "parse_reduction",
    "patch",
    "reduction_taper",
    "taper",
]
