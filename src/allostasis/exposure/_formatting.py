"""Short ``repr`` strings for exposure objects (kept apart from the models, as xarray does)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def model_repr(
    name: str, params: Mapping[str, float], units: Mapping[str, str], outputs: Sequence[str]
) -> str:
    body = ", ".join(f"{k}={v:.4g} {units[k]}".rstrip() for k, v in params.items())
    return f"<{name}: {body}; outputs {list(outputs)}>"


def result_repr(
    model: str, n_subjects: int, t0: float, t1: float, n_times: int, analytes: Sequence[str]
) -> str:
    return (
        f"<PKResult: {model}, {n_subjects} subject(s), {n_times} time(s) {t0:g}-{t1:g} h, "
        f"analytes {list(analytes)}, concentrations in mg/L>"
    )
