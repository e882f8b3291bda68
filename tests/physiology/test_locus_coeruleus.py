"""Locus coeruleus alpha2 loop: postsynaptic NE is biphasic in NET blockade (seed text 002).

Model numbers: postsynaptic NE 1.0 at no blockade, 0.94 at 55% NET occupancy, nadir 0.88 near 80%,
back above baseline only above about 93%, 1.20 at complete blockade; LC firing falls monotonically.
"""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.errors import InvalidValueError
from allostasis.physiology import LocusCoeruleusParameters, locus_coeruleus_response


def test_biphasic_postsynaptic_noradrenaline() -> None:
    u = np.linspace(0.0, 1.0, 101)
    r = locus_coeruleus_response(u)
    ne = r.postsynaptic_noradrenaline
    i_min = int(np.argmin(ne))
    assert 0.7 <= u[i_min] <= 0.9
    assert 0.85 <= ne[i_min] <= 0.92  # falls by 8-15% at moderate-high blockade
    assert np.all(np.diff(ne[: i_min + 1]) <= 1e-12)  # falls monotonically up to the nadir
    assert ne[-1] >= 1.15  # rises above baseline once the autoreceptors saturate
    crossing = u[i_min:][np.argmax(ne[i_min:] >= 1.0)]
    assert 0.88 <= crossing <= 0.97


def test_low_blockade_lowers_ne_and_suppresses_firing() -> None:
    r = locus_coeruleus_response([0.22, 0.46])  # venlafaxine 75 and 225 mg/day NET occupancy
    assert np.all(r.postsynaptic_noradrenaline < 1.0)
    assert np.all(r.firing < 0.95)
    assert np.all(r.activation_index == 0.0)


def test_activation_only_at_high_blockade() -> None:
    r = locus_coeruleus_response([0.5, 0.99])
    assert r.activation_index[0] == 0.0
    assert r.activation_index[1] > 0.1


def test_firing_floor_is_the_saturated_brake() -> None:
    r = locus_coeruleus_response(1.0)
    assert float(r.firing) == pytest.approx(LocusCoeruleusParameters().firing_floor, abs=0.01)


def test_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="fractions must lie in"):
        locus_coeruleus_response(-0.1)
    with pytest.raises(InvalidValueError, match="firing_floor must be in"):
        locus_coeruleus_response(0.5, LocusCoeruleusParameters(firing_floor=1.0))
