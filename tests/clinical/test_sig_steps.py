"""The steps of reading a sig, one at a time: the frequency table, counts, forms, pieces, route.

Administrations per day are hand-computed: an interval of tau hours gives 24/tau (q72h -> 1/3,
q1 week -> 1/7); QID/TID/BID are 4/3/2 a day, "every other day" 1/2.
"""

from __future__ import annotations

import pytest

from allostasis.clinical._sig import parse_sig
from allostasis.clinical._sig_daily_maximum import read_daily_maximum
from allostasis.clinical._sig_dose import Dose, UnitsPerDose
from allostasis.clinical._sig_frequency import read_frequency, written_frequencies
from allostasis.clinical._sig_pieces import find_pieces
from allostasis.clinical._sig_route import read_route
from allostasis.clinical._sig_vocabulary import dose_form_of, read_count
from allostasis.errors import InvalidValueError


@pytest.mark.parametrize(
    ("phrase", "per_day", "label"),
    [
        ("qid", 4.0, "QID"),
        ("four times a day", 4.0, "QID"),
        ("three times daily", 3.0, "TID"),
        ("t.i.d.", 3.0, "TID"),
        ("b.i.d.", 2.0, "BID"),
        ("twice per day", 2.0, "BID"),
        ("every other day", 0.5, "every other day"),
        ("qod", 0.5, "every other day"),
        ("once a week", 1.0 / 7.0, "weekly"),
        ("daily", 1.0, "daily"),
        ("qhs", 1.0, "daily"),
        ("at bedtime", 1.0, "daily"),
        ("nocte", 1.0, "daily"),
        ("every morning", 1.0, "daily"),
    ],
)
def test_named_frequencies_give_administrations_per_day(
    phrase: str, per_day: float, label: str
) -> None:
    [(least, most, read_label)] = written_frequencies("", find_pieces(f" 1 tab {phrase}"))
    assert (least, most, read_label) == (pytest.approx(per_day), pytest.approx(per_day), label)


@pytest.mark.parametrize(
    ("phrase", "least", "most", "label"),
    [
        ("q6h", 4.0, 4.0, "q6h"),
        ("every 8 hours", 3.0, 3.0, "q8h"),
        ("q4-6h", 4.0, 6.0, "q4-6h"),
        ("every 4 to 6 hours", 4.0, 6.0, "q4-6h"),
        ("q72h", 1.0 / 3.0, 1.0 / 3.0, "q72h"),
        ("every 3 days", 1.0 / 3.0, 1.0 / 3.0, "q72h"),
        ("q1 week", 1.0 / 7.0, 1.0 / 7.0, "q168h"),
    ],
)
def test_intervals_give_24_over_tau_per_day(
    phrase: str, least: float, most: float, label: str
) -> None:
    [(lo, hi, read_label)] = written_frequencies("", find_pieces(f" 1 tab {phrase}"))
    assert (lo, hi, read_label) == (pytest.approx(least), pytest.approx(most), label)


def test_the_same_rate_written_twice_is_one_frequency_two_rates_are_refused() -> None:
    same = read_frequency(
        "", find_pieces(" 1 tab bid twice daily"), has_supply=False, form="tablet"
    )
    assert (same.label, same.per_day_max) == ("BID", 2.0)
    with pytest.raises(InvalidValueError, match=r"contradictory frequencies \(q6h, BID\)"):
        read_frequency("", find_pieces(" 1 tab q6h bid"), has_supply=False, form="tablet")


def test_a_patch_read_from_its_supply_is_worn_72_hours() -> None:
    f = read_frequency("", find_pieces(" 10 patches / 30 days"), has_supply=True, form="patch")
    assert (f.label, f.per_day_max) == (None, None)
    assert f.notes == ["patch interval from quantity/days' supply; each patch worn 72 h"]


def test_counts_and_dose_form_words() -> None:
    assert [read_count(w) for w in ("½", "half", "1/2", "two", "1.5")] == [0.5, 0.5, 0.5, 2.0, 1.5]
    assert [dose_form_of(w) for w in ("tabs", "caps", "patches", "ml", "films")] == [
        "tablet",
        "capsule",
        "patch",
        "mL",
        "film",
    ]


def test_capsules_plural_is_read() -> None:
    # "capsules" once lost "es" ("capsul") and raised a bare KeyError
    order = parse_sig("oxycodone 5 mg 2 capsules q6h")
    assert order.dose_form == "capsule"
    assert order.max_daily_dose == pytest.approx(40.0)
    assert dose_form_of("lozenges") == "lozenge"
    assert dose_form_of("patches") == "patch"


def test_a_supply_is_found_before_its_count_is_taken_for_units_per_dose() -> None:
    pieces = find_pieces(" 5 mg 1 tab q6h 120 tablets / 30 days")
    assert [(p.kind, pieces.words(p)) for p in pieces.found] == [
        ("supply", "120 tablets / 30 days"),
        ("strength", "5 mg"),
        ("every_h", "q6h"),
        ("units", "1 tab"),
    ]


def test_route_not_written_is_implied_by_the_dose_form() -> None:
    patch = read_route("", find_pieces(" 25 mcg/h 1 patch q72h"), "patch")
    assert (patch.name, patch.stated) == ("transdermal", False)
    with pytest.raises(InvalidValueError, match="a patch is transdermal; the sig says oral"):
        read_route("", find_pieces(" 25 mcg/h 1 patch po q72h"), "patch")


def test_a_daily_maximum_in_mg_becomes_units_per_day() -> None:
    # 5 mg per tablet: 30 mg/day -> 6 tablets/day
    tabs = UnitsPerDose("tablet", 1.0, 2.0)
    dose = Dose("tablet", "mg", 5.0, 10.0)
    assert read_daily_maximum("", find_pieces(" max 30 mg/day"), dose, tabs) == 6.0
    assert read_daily_maximum("", find_pieces(" max 4 tabs per day"), dose, tabs) == 4.0
