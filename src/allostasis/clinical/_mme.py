"""Total morphine milligram equivalents per day (MME/day) over several opioid orders, by one named set.

.. math:: \\mathrm{MME/day} = \\sum_i D_i \\cdot f_{s}(\\mathrm{drug}_i, \\mathrm{route}_i)

where :math:`D_i` is order *i*'s maximum daily dose (PRN orders at their maximum; mg/day, or the
delivery rate in mcg/h for transdermal fentanyl in the clinical sets) and :math:`f_s` the factor of
the one factor set :math:`s` used for every order. Sets are never mixed: a result names its set, and
results from different sets cannot be combined (:func:`combine_mme`). Buprenorphine is listed but
not counted, with the set's reason. Methadone in ``cdc-2016`` takes the factor of the band holding
the patient's total methadone dose per day. The CDC 2022 reassessment point (50 MME/day) is flagged,
and every result carries the CDC warning that MME is not for converting between opioids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._sig import Order, parse_sig
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.knowledge._mme_factors import MMEFactor, MMEFactorSet, load_mme_factor_sets
from allostasis.units import Q_

__all__ = [
    "DEFAULT_MME_FACTOR_SET",
    "MME_NOT_FOR_CONVERSION",
    "MMEResult",
    "OrderMME",
    "calculate_mme",
    "combine_mme",
]

#: The clinical default factor set (CDC 2022; Dowell et al., MMWR Recomm Rep 2022;71(3)).
DEFAULT_MME_FACTOR_SET = "cdc-2022"

#: The CDC's warning, carried in the notes of every result (CDC 2022, notes to the MME table).
MME_NOT_FOR_CONVERSION = (
    "MME is a measure of total opioid exposure and overdose risk, not a conversion tool: do not use "
    "the calculated MME to choose the dose when switching from one opioid to another; the new "
    "opioid is typically started substantially lower because of incomplete cross-tolerance and "
    "individual variability in pharmacokinetics (CDC 2022, Dowell et al., MMWR Recomm Rep "
    "71(3), doi:10.15585/mmwr.rr7103a1)."
)


class OrderMME(BaseModel):
    """One order's contribution: its daily dose (with unit), the factor (with source) and MME/day."""

    model_config = ConfigDict(frozen=True)

    order: str
    parsed: Order
    """The parsed order (kept so results of one set can be recombined)."""
    drug: str
    route: str
    prn: bool
    daily_dose: float
    daily_dose_unit: str
    """``"mg/day"``; ``"mcg/h"`` for transdermal fentanyl (clinical sets); ``"mcg/day"`` for
    transmucosal fentanyl (analytic set); ``"mcg/h x patches/day"`` for the analytic patch rule."""
    factor: float | None
    factor_unit: str | None
    factor_source: str | None
    mme_per_day: float | None
    """``None`` when the drug is excluded (buprenorphine)."""
    counted: bool
    excluded_reason: str | None = None
    notes: list[str]


class MMEResult(BaseModel):
    """Total MME/day by one named factor set, per-order detail, flags, notes and basis."""

    model_config = ConfigDict(frozen=True)

    factor_set: str
    factor_set_kind: str
    total_mme_per_day: float
    orders: list[OrderMME]
    reassessment_threshold: float | None
    """The set's lowest dose benchmark (50 MME/day in cdc-2022); ``None`` for the analytic set."""
    at_or_above_reassessment: bool
    thresholds_reached: list[str]
    notes: list[str]
    warnings: list[str]
    basis: list[str]


def _resolve_set(factor_set: Any) -> MMEFactorSet:
    sets = load_mme_factor_sets()
    if not isinstance(factor_set, str):
        raise InvalidValueError(
            f"factor_set: give ONE factor-set id (sets are never mixed); got {factor_set!r}; "
            f"choose one of {', '.join(sorted(sets))}"
        )
    if factor_set not in sets:
        raise UnknownDrugError(
            f"factor_set: {factor_set!r} is not an MME factor set; choose one of "
            f"{', '.join(sorted(sets))}"
        )
    return sets[factor_set]


def _dose_for(order: Order, factor: MMEFactor) -> tuple[float, str, str]:
    """(dose D, its unit, how it was formed) for ``factor``'s dose basis."""
    if factor.dose_basis == "patch_rate":
        if order.dose_unit != "mcg/h":
            raise InvalidValueError(
                f"order {order.text!r}: a transdermal factor needs a patch in mcg/h"
            )
        per_patch = order.dose_high / order.units_per_dose_high
        d = order.max_daily_dose
        return (
            d,
            "mcg/h",
            f"{per_patch:g} mcg/h x {order.patches_worn:g} patch(es) worn = {d:g} mcg/h",
        )
    if factor.dose_basis == "units_per_day":
        per_patch = order.dose_high / order.units_per_dose_high
        per_day = order.max_units_per_day
        d = per_patch * per_day
        return (
            d,
            "mcg/h x patches/day",
            f"{per_patch:g} mcg/h x {per_day:.4g} patches/day = {d:.4g}",
        )
    if order.dose_unit != "mg":
        raise InvalidValueError(
            f"order {order.text!r}: factor for {factor.drug} ({factor.route}) needs an amount per "
            f"day; got a rate in {order.dose_unit}"
        )
    mg_day = order.max_daily_dose
    d = float(Q_(mg_day, "mg/day").to(factor.dose_unit).magnitude)
    per_unit = order.dose_high / order.units_per_dose_high
    how = (
        f"{per_unit:g} mg x {order.units_per_dose_high:g} {order.dose_form}(s) x "
        f"{order.max_units_per_day / order.units_per_dose_high:.4g}/day"
        if order.per_day_max is not None
        else f"{per_unit:g} mg x {order.quantity:g} / {order.days_supply:g} days"
    )
    if order.max_units_per_day_stated is not None:
        how += f" (capped at the written maximum of {order.max_units_per_day_stated:g}/day)"
    return d, factor.dose_unit, f"{how} = {d:.4g} {factor.dose_unit}"


def calculate_mme(
    orders: Sequence[str | Order],
    *,
    factor_set: str = DEFAULT_MME_FACTOR_SET,
    kb: KnowledgeBase | None = None,
) -> MMEResult:
    """Total MME/day over ``orders`` using one named factor set.

    .. math:: \\mathrm{MME/day} = \\sum_i D_i \\cdot f_{s}(\\mathrm{drug}_i, \\mathrm{route}_i)

    Parameters
    ----------
    orders : sequence of str or Order
        Sigs (parsed with :func:`parse_sig`) or parsed orders; at least one.
    factor_set : str
        ``"cdc-2022"`` (default, clinical), ``"cdc-2016"`` (clinical, methadone by dose band) or
        ``"cdc-2018-analytic"`` (analyses of prescription data only). Exactly one set.
    kb : KnowledgeBase, optional
        Used to parse string orders and to cite sources.

    Returns
    -------
    MMEResult
        Total MME/day, per-order daily dose (with unit), factor (with source) and MME/day,
        threshold flags, notes (always the CDC warning against converting with MME) and basis.

    Raises
    ------
    InvalidValueError
        No orders, or more than one factor set requested, or an unreadable sig.
    UnknownDrugError
        Unknown set, or a drug/route the set has no factor for.

    References
    ----------
    1. Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R (2022). CDC Clinical Practice Guideline
       for Prescribing Opioids for Pain - United States, 2022. MMWR Recomm Rep 71(3):1-95.
       doi:10.15585/mmwr.rr7103a1
    2. Dowell D, Haegerich TM, Chou R (2016). MMWR Recomm Rep 65(1):1-49.
       doi:10.15585/mmwr.rr6501e1

    Examples
    --------
    The guideline's two worked examples (hydrocodone 5 mg/acetaminophen 325 mg four times a day,
    20 MME; oxycodone ER 10 mg twice a day, 30 MME):

    >>> r = calculate_mme(["hydrocodone/acetaminophen 5/325 mg 1 tab PO QID",
    ...                    "oxycodone ER 10 mg PO BID"])
    >>> [o.mme_per_day for o in r.orders], r.total_mme_per_day, r.at_or_above_reassessment
    ([20.0, 30.0], 50.0, True)
    >>> calculate_mme(["fentanyl 25 mcg/h 1 patch q72h"]).total_mme_per_day
    60.0
    >>> calculate_mme(["tramadol 50 mg 1 tab PO QID"], factor_set="cdc-2016")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: factor set 'cdc-2016' has no MME factor for tramadol; ...
    """
    fs = _resolve_set(factor_set)
    kb = kb or load_knowledge_base()
    if isinstance(orders, (str, Order)) or len(orders) == 0:
        raise InvalidValueError(
            f"orders: give a list of one or more orders (sigs or parsed orders); got {orders!r}"
        )
    parsed = [o if isinstance(o, Order) else parse_sig(o, kb=kb) for o in orders]

    # banded factors (methadone in cdc-2016) use the total daily dose of that drug
    band_totals: dict[tuple[str, str], float] = {}
    for o in parsed:
        if fs.exclusion_for(o.drug) is None:
            f = fs.factor_for(o.drug, o.route)
            if f.bands:
                d, _, _ = _dose_for(o, f)
                band_totals[(f.drug, f.route)] = band_totals.get((f.drug, f.route), 0.0) + d

    rows: list[OrderMME] = []
    warnings: list[str] = []
    basis: list[str] = [
        f"MME/day = sum over orders of daily dose x factor, factor set {fs.id} ({fs.kind}): "
        f"{kb.source(fs.source).citation()}",
        "PRN orders counted at their maximum daily dose (most units per dose at the shortest "
        "interval, capped by a written daily maximum)",
    ]
    for o in parsed:
        note_list = list(o.notes)
        excl = fs.exclusion_for(o.drug)
        if excl is not None:
            d_mg = o.max_daily_dose
            rows.append(
                OrderMME(
                    order=o.text,
                    parsed=o,
                    drug=o.drug,
                    route=o.route,
                    prn=o.prn,
                    daily_dose=d_mg,
                    daily_dose_unit=o.daily_dose_unit,
                    factor=None,
                    factor_unit=None,
                    factor_source=excl.source,
                    mme_per_day=None,
                    counted=False,
                    excluded_reason=excl.reason,
                    notes=note_list,
                )
            )
            basis.append(f"{o.text}: {o.drug} not counted ({fs.id}): {excl.reason}")
            continue
        f = fs.factor_for(o.drug, o.route)
        d, d_unit, how = _dose_for(o, f)
        if f.bands:
            total = band_totals[(f.drug, f.route)]
            band = f.band_at(total)
            assert band is not None
            factor = band.factor
            upper = f"{band.up_to:g}" if band.up_to is not None else "no upper bound"
            source = band.source
            note_list.append(
                f"{f.drug} factor {factor:g} from the band ({band.above:g}, {upper}] {band.unit} "
                f"holding the total {f.drug} dose of {total:g} {f.dose_unit}"
            )
            if band.note:
                warnings.append(f"{o.text}: {band.note}")
        else:
            assert f.factor is not None
            factor, source = f.factor, f.source
        mme = d * factor
        rows.append(
            OrderMME(
                order=o.text,
                parsed=o,
                drug=o.drug,
                route=o.route,
                prn=o.prn,
                daily_dose=d,
                daily_dose_unit=d_unit,
                factor=factor,
                factor_unit=f.unit,
                factor_source=source,
                mme_per_day=mme,
                counted=True,
                notes=note_list,
            )
        )
        basis.append(
            f"{o.text}: {how}; x {factor:g} ({f.unit}, {fs.id}, source {source}) = "
            f"{mme:.4g} MME/day"
        )
    total = sum(r.mme_per_day for r in rows if r.mme_per_day is not None)
    notes = [MME_NOT_FOR_CONVERSION, *fs.notes]
    if any(not r.counted for r in rows):
        notes.append(
            "Buprenorphine is listed but not counted in the MME total; a patient on buprenorphine "
            "still needs an overdose-risk review (co-prescribed sedatives, naloxone)."
        )
    if any(r.drug == "methadone" for r in rows):
        warnings.append(
            "methadone: long, variable half-life; peak respiratory depression comes later and lasts "
            "longer than peak analgesia; use particular caution (CDC 2022)"
        )
    if any(r.route == "transdermal" and r.counted for r in rows):
        warnings.append(
            "transdermal fentanyl is dosed in mcg/h, not mg/day; absorption rises with heat (CDC 2022)"
        )
    reached: list[str] = []
    for t in sorted(fs.threshold, key=lambda t: t.mme_per_day):
        if total >= t.mme_per_day:
            reached.append(f">= {t.mme_per_day:g} MME/day: {t.action}")
            basis.append(f"total {total:.4g} MME/day >= {t.mme_per_day:g} MME/day ({t.source})")
    lowest = min((t.mme_per_day for t in fs.threshold), default=None)
    return MMEResult(
        factor_set=fs.id,
        factor_set_kind=fs.kind,
        total_mme_per_day=total,
        orders=rows,
        reassessment_threshold=lowest,
        at_or_above_reassessment=lowest is not None and total >= lowest,
        thresholds_reached=reached,
        notes=notes,
        warnings=warnings,
        basis=basis,
    )


def combine_mme(*results: MMEResult) -> MMEResult:
    """Sum several results of the SAME factor set into one (e.g. orders from two prescribers).

    .. math:: \\mathrm{MME/day} = \\sum_k \\mathrm{MME/day}_k

    Raises
    ------
    InvalidValueError
        If the results come from different factor sets: sets are never mixed; recompute every
        order with one set instead.

    Examples
    --------
    >>> a = calculate_mme(["morphine 30 mg PO BID"])
    >>> b = calculate_mme(["oxycodone 5 mg PO q6h PRN pain"])
    >>> combine_mme(a, b).total_mme_per_day
    90.0
    >>> combine_mme(a, calculate_mme(["morphine 30 mg PO BID"], factor_set="cdc-2018-analytic"))
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: factor_set: cannot combine MME from different factor sets ...
    """
    if not results:
        raise InvalidValueError("results: give at least one MME result to combine")
    ids = sorted({r.factor_set for r in results})
    if len(ids) > 1:
        raise InvalidValueError(
            f"factor_set: cannot combine MME from different factor sets ({', '.join(ids)}); sets "
            "are never mixed: recompute every order with one set via calculate_mme(orders, "
            "factor_set=...)"
        )
    orders = [o.parsed for r in results for o in r.orders]
    return calculate_mme(orders, factor_set=ids[0])
