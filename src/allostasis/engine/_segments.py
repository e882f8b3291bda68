"""The segments a block of subjects walks: the time points every subject shares.

Steps never cross a segment boundary: 0 and the end, dose times and dose-plus-lag (entry) times,
fixed (cross-taper) dose times, output times, the summary window's start and a point at least every
``max_segment``. Segments of the same length share their propagators, so the lengths are returned
as distinct kinds.
"""

from __future__ import annotations

import numpy as np

__all__ = ["timeline"]


def timeline(
    end: float,
    max_segment: float,
    slots: np.ndarray,
    tlag: float,
    out_dt: float | None,
    window_start: float,
    fixed: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Segment boundaries shared by all subjects: 0, end, dose and entry times, fixed-dose times,
    outputs, the summary window's start and a point at least every ``max_segment``; distinct
    segment lengths.

    The *settled* timeline (``settled_*``) has the same points without the dose and entry times:
    the kernel moves onto it, at a point both share (``to_settled``), once no dose can follow (and
    never before the last fixed dose).

    >>> tl = timeline(48.0, 24.0, np.array([0.0, 12.0, 24.0, 36.0]), 0.0, 24.0, 0.0)
    >>> tl["t"].tolist(), tl["lengths"].tolist(), tl["settled_t"].tolist()
    ([0.0, 12.0, 24.0, 36.0, 48.0], [12.0, 24.0], [0.0, 24.0, 48.0])
    """
    grid = np.arange(0.0, end, max_segment)
    enter = slots + tlag
    fix = np.zeros(0) if fixed is None else np.asarray(fixed, dtype=float)
    outs = np.arange(0.0, end + 1e-9, out_dt) if out_dt else np.zeros(0)
    extra = [window_start] if 0.0 < window_start < end else []
    pts = np.concatenate([grid, slots, enter[enter < end], fix[fix < end], outs, extra, [end]])
    pts = np.unique(np.round(pts, 9))
    calm = np.unique(np.round(np.concatenate([grid, outs, extra, [end]]), 9))
    uniq, inv = np.unique(
        np.round(np.concatenate([np.diff(pts), np.diff(calm)]), 9), return_inverse=True
    )
    kind, calm_kind = inv[: pts.size - 1], inv[pts.size - 1 :]

    def mark(times: np.ndarray, at: np.ndarray = pts) -> np.ndarray:
        out = np.full(at.size, -1, dtype=np.int64)
        if times.size:
            idx = np.searchsorted(at, np.round(times, 9))
            ok = (idx < at.size) & np.isfinite(times)
            out[idx[ok]] = np.arange(times.size)[ok]
        return out

    return {
        "t": pts,
        "lengths": uniq.astype(float),
        "kind": kind.astype(np.int64),
        "decide": mark(slots),
        "enter": mark(np.where(enter < end, enter, np.inf)),
        "out": mark(outs),
        "grid": outs,
        "settled_t": calm,
        "settled_kind": calm_kind.astype(np.int64),
        "settled_out": mark(outs, calm),
        "to_settled": np.where(pts > (fix.max() if fix.size else -1.0) + 1e-9, mark(calm), -1),
        "fixed": mark(np.where(fix < end, fix, np.inf)),
    }
