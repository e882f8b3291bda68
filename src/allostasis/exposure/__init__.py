"""Exposure: pharmacokinetics from dosing records to concentrations.

Linear compartment models advanced exactly from event to event (no numerical integration),
vectorised over subjects, with parent-to-metabolite chains and NONMEM steady-state records.

>>> from allostasis.exposure import pk_model, time_grid
>>> from allostasis.regimen import every
>>> res = pk_model("diazepam").simulate(every("10 mg", "24 h", duration="2 days"), time_grid("2 days", "24 h"))
>>> res
<PKResult: TwoCompartment, 1 subject(s), 3 time(s) 0-48 h, analytes ['diazepam', 'nordiazepam'], concentrations in mg/L>
"""

from allostasis.exposure._from_drug import ka_from_tmax, ka_from_tmax_two_compartment, pk_model
from allostasis.exposure._linear_model import LinearCompartmentModel, time_grid
from allostasis.exposure._one_compartment import OneCompartment
from allostasis.exposure._parameters import Interval, Parameter
from allostasis.exposure._result import PKResult
from allostasis.exposure._two_compartment import TwoCompartment

__all__ = [
    "Interval",
    "LinearCompartmentModel",
    "OneCompartment",
    "PKResult",
    "Parameter",
    "TwoCompartment",
    "ka_from_tmax",
    "ka_from_tmax_two_compartment",
    "pk_model",
    "time_grid",
]
