"""The GABA-A explorer's curve family: one GABA concentration-response per modulator concentration.

The family is computed on the server with :func:`allostasis.receptor.gaba_concentration_response`
(operational allosteric model) and sent to the page as JSON; the slider in ``static/app.js`` picks a
member and redraws it, so moving the slider needs no request.

>>> fam = gaba_family()
>>> len(fam["curves"]) == len(MODULATOR_NM), fam["curves"][0]["shift"] < fam["curves"][-1]["shift"]
(True, True)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from allostasis.receptor import gaba_concentration_response

__all__ = ["MODULATOR_NM", "gaba_family"]

MODULATOR_NM = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0)
"""Free modulator concentrations on the slider (nM), spanning diazepam's K_B (tens of nM)."""


def _label(nm: float) -> str:
    return f"{nm / 1000:g} uM" if nm >= 1000 else f"{nm:g} nM"


@lru_cache(maxsize=4)
def gaba_family(modulator: str = "diazepam") -> dict[str, Any]:
    """Curves (GABA in uM, open fraction) for every slider position, with EC50s and shifts."""
    curves = []
    baseline: list[float] = []
    gaba_um: list[float] = []
    basis: list[str] = []
    res = None
    for nm in MODULATOR_NM:
        res = gaba_concentration_response(modulator, f"{nm} nM")
        c = res.curve
        alone = c[c["modulator_conc"] == 0.0]
        with_mod = c[c["modulator_conc"] > 0.0]
        if not gaba_um:
            gaba_um = alone["gaba_conc"].round(6).tolist()
            baseline = alone["response"].round(6).tolist()
            basis = list(res.basis)
        curves.append(
            {
                "nm": nm,
                "label": _label(nm),
                "response": with_mod["response"].round(6).tolist(),
                "ec50_um": res.ec50_with_um,
                "shift": res.shift,
            }
        )
    assert res is not None
    return {
        "modulator": res.modulator,
        "gaba_um": gaba_um,
        "baseline": baseline,
        "ec50_alone_um": res.ec50_without_um,
        "max_shift": res.max_shift,
        "curves": curves,
        "basis": basis,
        "layout": {
            "title": {
                "text": f"GABA-A (alpha1beta2gamma2): {res.modulator} shifts the GABA curve left"
            },
            "xaxis": {"title": {"text": "GABA (uM)"}, "type": "log"},
            "yaxis": {"title": {"text": "fraction of channels open"}, "range": [0, 1]},
            "margin": {"t": 48, "r": 16, "b": 56, "l": 64},
            "legend": {"orientation": "h", "y": -0.2},
        },
    }
