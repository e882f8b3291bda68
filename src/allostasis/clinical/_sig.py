"""Read an opioid order ("sig") into a typed :class:`Order`, refusing what it cannot read safely.

By default only opioids are read (the MME calculator's input). A caller that needs other drugs
(the co-prescription risk assessment reads benzodiazepines, Z-drugs and gabapentinoids) passes
``drug_classes``; the same grammar and the same refusals apply to them.

Supported pieces (case-insensitive, in any order after the drug name):

- drug, or a combination written ``opioid/co-analgesic`` (``hydrocodone/acetaminophen``) with one
  strength per component (``5/325 mg``); salt and release words (``HCl``, ``ER``) are allowed;
- strength per unit: ``5 mg``, ``25 mcg/h`` (patches), ``2 mg/mL`` or ``10 mg/5 mL`` (liquids), or a
  bare dose per administration (``10 mg``, ``5-10 mg``);
- units per dose: ``1 tab``, ``1-2 tabs``, ``1 cap``, ``1 patch``, ``5 mL``;
- route: ``PO``/oral/by mouth, ``TD``/transdermal, ``SL``, buccal, intranasal, ``IV``, ``IM``, ``SC``;
- frequency: ``q6h``, ``q4-6h``, ``every 8 hours``, ``BID``, ``TID``, ``QID``, ``daily``, ``q72h``,
  ``every 3 days``, ``weekly``; ``at bedtime``/``at night``/``nocte`` count as once daily;
- ``PRN`` / ``as needed`` (with a reason), ``max 6 tabs/day``;
- quantity and days' supply: ``120 tablets / 30 days``.

The maximum daily dose counts PRN orders at their maximum: the most units per dose at the shortest
interval (capped by a written daily maximum),

.. math:: D_{max} = s \\cdot u_{max} \\cdot \\frac{24\\,\\mathrm{h}}{\\tau_{min}}

with strength per unit :math:`s`, units per dose :math:`u` and dosing interval :math:`\\tau`; with
only a quantity :math:`Q` and days' supply :math:`T`, :math:`D = s \\cdot Q / T`. A patch's dose is
its delivery rate (mcg/h) times the patches worn at one time.

The parser never guesses: missing strength or frequency, "as directed", unknown units, two
strengths or two frequencies that disagree, multi-step sigs ("then") and drugs that are not opioids
in the knowledge base raise an error that names what is missing and what to write instead. The one
assumption it makes is the route of a tablet, capsule, liquid or bare mg dose with no route written
(oral, the only route the CDC factors cover for them); the order records ``route_stated=False``.

:func:`parse_sig` reads a sig in the order a pharmacist would, one module per step:

1. ``_sig_text`` -- normalise the text; refuse "as directed", minus signs and "then";
2. ``_sig_drug`` -- the drug named before the first number (brands, salts, combinations);
3. ``_sig_pieces`` -- cut the rest into pieces (words in ``_sig_vocabulary``); refuse unknown units;
4. ``_sig_strength`` -- strength per unit (mg, mcg/h, mg/mL) or a bare dose range;
5. ``_sig_dose`` -- units per dose, the dose form and the dose per administration;
6. ``_sig_supply`` -- quantity and days' supply (read before the dose; checked last);
7. ``_sig_route`` -- the route, written or implied by the dose form;
8. ``_sig_frequency`` -- how often (``q6h``, ``q4-6h``, ``BID``, ``weekly``);
9. ``_sig_daily_maximum`` -- a written maximum per day;
10. ``_sig_as_needed`` -- PRN and its reason; any word left unread is refused;

and the result is an :class:`~allostasis.clinical._order.Order` (``_order``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from allostasis.clinical._order import PATCH_WEAR_H, Order
from allostasis.clinical._sig_as_needed import read_as_needed
from allostasis.clinical._sig_daily_maximum import read_daily_maximum
from allostasis.clinical._sig_dose import read_units_per_dose, settle_dose
from allostasis.clinical._sig_drug import read_drug
from allostasis.clinical._sig_frequency import read_frequency
from allostasis.clinical._sig_pieces import find_pieces, refuse_unknown_units
from allostasis.clinical._sig_route import read_route
from allostasis.clinical._sig_strength import read_strength
from allostasis.clinical._sig_supply import check_supply, read_supply
from allostasis.clinical._sig_text import read_sig_text
from allostasis.knowledge import KnowledgeBase, load_knowledge_base

__all__ = ["PATCH_WEAR_H", "Order", "parse_sig"]


def parse_sig(
    sig: str,
    *,
    drug: str | None = None,
    strength: Any = None,
    kb: KnowledgeBase | None = None,
    drug_classes: Collection[str] = ("opioid",),
) -> Order:
    """Parse an opioid order into an :class:`Order` with its maximum daily dose.

    .. math:: D_{max} = s \\cdot u_{max} \\cdot \\frac{24\\,\\mathrm{h}}{\\tau_{min}}

    Parameters
    ----------
    sig : str
        The order, e.g. ``"hydrocodone/acetaminophen 5/325 mg 1-2 tabs PO q4-6h PRN pain"``.
    drug : str, optional
        The opioid, when the sig does not name it (``"1 tab PO q6h PRN pain"``).
    strength : str or pint.Quantity, optional
        Strength per unit when the sig does not give it: ``"5 mg"`` (per tablet/capsule),
        ``"25 mcg/h"`` (per patch) or ``"2 mg/mL"`` (liquid). A bare number is refused.
    kb : KnowledgeBase, optional
        Defaults to the shipped knowledge base.
    drug_classes : collection of str
        Knowledge-base drug classes the order may name (default ``("opioid",)``, the MME
        calculator's input). The risk assessment passes e.g. ``("opioid", "benzodiazepine",
        "z-drug", "gabapentinoid")``; a drug of any other class is refused with its class named.

    Returns
    -------
    Order
        With ``max_daily_dose`` in ``daily_dose_unit`` (mg/day, or mcg/h for patches).

    Raises
    ------
    InvalidValueError
        Missing strength or frequency, "as directed", unknown units, contradictory pieces.
    UnknownDrugError
        A drug that is not an opioid in the knowledge base.
    UnitError
        A separately given strength without a unit.

    References
    ----------
    1. Dowell D et al. (2022). CDC Clinical Practice Guideline for Prescribing Opioids for Pain.
       MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1 (daily dose from the order).

    Examples
    --------
    >>> o = parse_sig("hydrocodone/acetaminophen 5/325 mg 1-2 tabs q4-6h PRN pain")
    >>> o.drug, o.co_ingredients, o.max_daily_dose, o.daily_dose_unit
    ('hydrocodone', {'acetaminophen': 325.0}, 60.0, 'mg/day')
    >>> parse_sig("fentanyl 25 mcg/h 1 patch q72h").max_daily_dose
    25.0
    >>> parse_sig("oxycodone 1 tab PO q6h PRN pain", strength="5 mg").max_daily_dose
    20.0
    >>> parse_sig("oxycodone 5 mg 1 tab as directed")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sig 'oxycodone 5 mg 1 tab as directed': 'as directed' ...
    """
    sig_text = read_sig_text(sig)
    kb = kb or load_knowledge_base()
    text = sig_text.text
    named, rest = read_drug(kb, text, sig_text.low, drug=drug, allowed=tuple(drug_classes))
    pieces = find_pieces(rest)
    refuse_unknown_units(text, pieces)
    strength_per_unit = read_strength(text, pieces, named, strength)
    units = read_units_per_dose(text, pieces)
    supply = read_supply(text, pieces, units.form)
    dose = settle_dose(text, named.drug, strength_per_unit, units, supply)
    route = read_route(text, pieces, dose.form)
    frequency = read_frequency(text, pieces, has_supply=supply is not None, form=dose.form)
    daily_maximum = read_daily_maximum(text, pieces, dose, units)
    as_needed = read_as_needed(text, pieces)
    order = Order(
        text=text,
        drug=named.drug,
        co_ingredients=strength_per_unit.co_ingredients,
        strength=strength_per_unit.value,
        strength_unit=strength_per_unit.unit,
        dose_form=dose.form,
        units_per_dose_low=units.low,
        units_per_dose_high=units.high,
        dose_unit=dose.unit,
        dose_low=dose.low,
        dose_high=dose.high,
        route=route.name,
        route_stated=route.stated,
        frequency=frequency.label,
        per_day_min=frequency.per_day_min,
        per_day_max=frequency.per_day_max,
        prn=as_needed.prn,
        prn_reason=as_needed.reason,
        quantity=supply.quantity if supply is not None else None,
        days_supply=supply.days if supply is not None else None,
        max_units_per_day_stated=daily_maximum,
        extended_release=named.extended_release,
        notes=[*named.notes, *route.notes, *frequency.notes],
    )
    check_supply(order)
    return order
