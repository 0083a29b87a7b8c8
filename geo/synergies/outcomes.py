"""Outcomes of synergies: what a programme reports to its funders.

Outcome entries are recorded per synergy and per reporting year, append-only (a corrected
figure is a new entry; the latest entry for a synergy, type and year counts). The figures a
programme tracks are configurable (:class:`OutcomeConfig`): the UK-style tonnage programme
counts landfill diverted, CO2e, costs saved, new sales, jobs, water, hazardous waste reused and
virgin material replaced; an innovation programme counts new technologies and businesses
assisted instead.

CO2e avoided is never typed in: it is computed from landfill diverted with the cited
disposal and transport factors of :mod:`geo.factors` (:func:`co2e_avoided`), and each figure
carries the citation of the factors used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import SynergyError
from geo.i18n import N_, _
from geo.synergies.book import OUTCOME_COLUMNS, SynergyBook, append_rows, record_change
from geo.synergies.lifecycle import stage_label
from geo.synergies.text import figure, unit_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from geo.factors import Factors

__all__ = [
    "MAX_OUTCOME_VALUE",
    "OUTCOME_TYPES",
    "PRESETS",
    "OutcomeConfig",
    "OutcomeType",
    "co2e_avoided",
    "effective_outcomes",
    "outcome_totals",
    "outcomes_wide",
    "record_outcome",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutcomeType:
    """One kind of outcome figure.

    Attributes
    ----------
    name, label, unit : str
        Identifier, display label (English, marked for translation: show it with
        :meth:`shown`) and unit code (``t``, ``m3``, ``currency``, ``count``).
    bounded_by_unit : str or None
        When set, the figure may not exceed the have's yearly quantity if the have is recorded
        in this unit (``t/yr`` for tonnes, ``m3/yr`` for water).
    hazardous_only : bool
        Only a hazardous have may report it.
    computed : bool
        Derived from other figures and factors, never entered.
    """

    name: str
    label: str
    unit: str
    bounded_by_unit: str | None = None
    hazardous_only: bool = False
    computed: bool = False

    def shown(self) -> str:
        """The label in this session's language."""
        return _(self.label)


MAX_OUTCOME_VALUE: Final = 1e12
"""The largest yearly outcome figure of one synergy, in any unit (a typo guard: a trillion
tonnes, euros or MWh is no synergy's)."""

OUTCOME_TYPES: Final[dict[str, OutcomeType]] = {t.name: t for t in (
    OutcomeType("landfill_diverted_t", N_("Landfill diverted"), "t", bounded_by_unit="t/yr"),
    OutcomeType("co2e_avoided_t", N_("CO2e avoided"), "t CO2e", computed=True),
    OutcomeType("cost_savings", N_("Cost savings"), "currency"),
    OutcomeType("new_sales", N_("New sales"), "currency"),
    OutcomeType("jobs_created", N_("Jobs created"), "count"),
    OutcomeType("jobs_safeguarded", N_("Jobs safeguarded"), "count"),
    OutcomeType("water_saved_m3", N_("Water saved"), "m3", bounded_by_unit="m3/yr"),
    OutcomeType("hazardous_reused_t", N_("Hazardous waste reused"), "t",
                bounded_by_unit="t/yr", hazardous_only=True),
    OutcomeType("virgin_replaced_t", N_("Virgin material replaced"), "t",
                bounded_by_unit="t/yr"),
    OutcomeType("new_technologies", N_("New technologies introduced"), "count"),
    OutcomeType("businesses_assisted", N_("Businesses assisted"), "count"),
)}
"""Every outcome type SymbioMap knows; a programme tracks a subset. Labels are shown
translated (:meth:`OutcomeType.shown`), names and units are codes."""

PRESETS: Final[dict[str, tuple[str, ...]]] = {
    "tonnage": ("landfill_diverted_t", "co2e_avoided_t", "cost_savings", "new_sales",
                "jobs_created", "jobs_safeguarded", "water_saved_m3", "hazardous_reused_t",
                "virgin_replaced_t"),
    "innovation": ("new_technologies", "businesses_assisted", "jobs_created", "new_sales",
                   "cost_savings"),
}
"""Typical choices: a UK-NISP-style tonnage programme, or an innovation programme."""


@dataclass(frozen=True)
class OutcomeConfig:
    """Which outcome types a programme tracks, and its currency.

    Examples
    --------
    >>> OutcomeConfig.preset("innovation").tracked[:2]
    ('new_technologies', 'businesses_assisted')
    """

    tracked: tuple[str, ...] = PRESETS["tonnage"]
    currency: str = "EUR"

    def __post_init__(self) -> None:
        unknown = [t for t in self.tracked if t not in OUTCOME_TYPES]
        if unknown:
            msg = _("Unknown outcome types {unknown}; choose from {known}.").format(
                unknown=repr(unknown), known=repr(sorted(OUTCOME_TYPES)))
            raise SynergyError(msg)
        if not self.tracked:
            msg = _("A programme tracks at least one outcome type; pick some or use a preset.")
            raise SynergyError(msg)
        if "co2e_avoided_t" in self.tracked and "landfill_diverted_t" not in self.tracked:
            msg = _("CO2e avoided is computed from landfill diverted; track "
                    "'landfill_diverted_t' too, or drop 'co2e_avoided_t'.")
            raise SynergyError(msg)

    @classmethod
    def preset(cls, name: str, *, currency: str = "EUR") -> OutcomeConfig:
        """A preset configuration (``tonnage`` or ``innovation``)."""
        if name not in PRESETS:
            msg = _("Unknown outcome preset {name}; choose from {known}.").format(
                name=repr(name), known=repr(sorted(PRESETS)))
            raise SynergyError(msg)
        return cls(tracked=PRESETS[name], currency=currency)

    def entered(self) -> tuple[str, ...]:
        """The tracked types a practitioner enters (computed ones left out)."""
        return tuple(t for t in self.tracked if not OUTCOME_TYPES[t].computed)

    def unit_of(self, name: str) -> str:
        """Unit code of a type (``currency`` replaced by the programme's currency): stored
        with each entry; show it with :meth:`unit_shown`."""
        unit = OUTCOME_TYPES[name].unit
        return self.currency if unit == "currency" else unit

    def unit_shown(self, name: str) -> str:
        """The unit of a type in this session's language (a currency code as it is)."""
        return unit_label(self.unit_of(name))


def record_outcome(
    book: SynergyBook,
    synergy_id: str,
    outcome_type: str,
    value: float,
    *,
    period: int,
    have: Mapping[str, Any],
    expected_version: int,
    practitioner: str,
    config: OutcomeConfig | None = None,
    note: str = "",
    at: datetime | None = None,
) -> SynergyBook:
    """Enter one outcome figure of a synergy for a reporting year (append-only).

    Parameters
    ----------
    outcome_type : str
        A tracked, entered type of ``config`` (see :data:`OUTCOME_TYPES`).
    value : float
        The figure, in the type's unit, for the year ``period``.
    have : mapping
        The synergy's have record (``quantity``, ``unit``, ``hazardous``) for the bounds.

    Raises
    ------
    SynergyError
        Untracked or computed type, negative or non-finite value, a count that is not whole,
        a tonnage above the have's yearly quantity, hazardous reuse of a non-hazardous have, a
        synergy not yet implemented, or a stale version (see
        :func:`~geo.synergies.book.check_version`).
    """
    config = config or OutcomeConfig()
    current = book.get(synergy_id)
    if outcome_type not in config.tracked:
        msg = _("This programme does not track {outcome}; it tracks {tracked}. Change the "
                "programme's outcome types to add it.").format(
            outcome=repr(outcome_type),
            tracked=", ".join(OUTCOME_TYPES[t].shown() for t in config.tracked))
        raise SynergyError(msg)
    kind = OUTCOME_TYPES[outcome_type]
    if kind.computed:
        msg = _("{outcome} is computed from landfill diverted with cited factors; enter "
                "landfill diverted instead.").format(outcome=kind.shown())
        raise SynergyError(msg)
    if current["stage"] not in ("implemented", "completed"):
        msg = _("Outcomes are recorded once a synergy is implemented; {synergy} is at stage "
                "'{stage}'. Move it on first.").format(synergy=synergy_id,
                                                       stage=stage_label(current["stage"]))
        raise SynergyError(msg)
    v = float(value)
    if not np.isfinite(v) or v < 0:
        msg = _("{outcome} must be a number of at least 0 {unit}, got {value}.").format(
            outcome=kind.shown(), unit=config.unit_shown(outcome_type), value=repr(value))
        raise SynergyError(msg)
    if v > MAX_OUTCOME_VALUE:
        msg = _("{outcome} of {value} {unit} is beyond any yearly figure of one synergy (at "
                "most {max} {unit}); check the number and its unit.").format(
            outcome=kind.shown(), unit=config.unit_shown(outcome_type), value=f"{v:.3g}",
            max=figure(MAX_OUTCOME_VALUE))
        raise SynergyError(msg)
    if kind.unit == "count" and v != int(v):
        msg = _("{outcome} is a count: enter a whole number, got {value}.").format(
            outcome=kind.shown(), value=f"{v:g}")
        raise SynergyError(msg)
    q_have = pd.to_numeric(pd.Series([have.get("quantity")]), errors="coerce").iloc[0]
    if kind.bounded_by_unit and have.get("unit") == kind.bounded_by_unit \
            and np.isfinite(q_have) and v > q_have * (1 + 1e-9):
        msg = _("{outcome} of {value} {unit} in {period} exceeds the resource's quantity "
                "({have_quantity} {have_unit} for {have}); enter at most {have_quantity}, or "
                "correct the resource's quantity first.").format(
            outcome=kind.shown(), value=figure(v), unit=unit_label(kind.unit), period=period,
            have_quantity=figure(float(q_have)), have_unit=unit_label(have.get("unit")),
            have=repr(have.get("resource_id")))
        raise SynergyError(msg)
    if kind.hazardous_only and v > 0 and not bool(have.get("hazardous")):
        msg = _("{have} is not marked hazardous, so it cannot count as hazardous waste "
                "reused; record it as landfill diverted, or fix its code.").format(
            have=repr(have.get("resource_id")))
        raise SynergyError(msg)
    this_year = datetime.now(UTC).year
    if not (1900 <= int(period) <= this_year):
        msg = _("Outcomes are recorded for a past or the current year (up to {year}), got "
                "{period}.").format(year=this_year, period=repr(period))
        raise SynergyError(msg)
    out = record_change(book, synergy_id, {}, kind="outcome", practitioner=practitioner,
                        expected_version=expected_version, at=at,
                        note=f"{kind.label} {period}: {v:g} {config.unit_of(outcome_type)}"
                             + (f" — {note}" if note else ""))
    row = {"outcome_id": len(book.outcomes) + 1, "synergy_id": synergy_id,
           "outcome_type": outcome_type, "period": int(period), "value": v,
           "unit": config.unit_of(outcome_type), "note": note, "practitioner": practitioner,
           "recorded_at": out.events["at"].iloc[-1]}
    return replace(out, outcomes=append_rows(book.outcomes, [row], OUTCOME_COLUMNS))


def effective_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The figure that counts for each (synergy, type, year): the latest entry."""
    if outcomes.empty:
        return outcomes.copy()
    order = outcomes.sort_values(["recorded_at", "outcome_id"], kind="stable")
    return (order.drop_duplicates(["synergy_id", "outcome_type", "period"], keep="last")
            .reset_index(drop=True))


def co2e_avoided(landfill_diverted_t: np.ndarray, distance_km: np.ndarray, *,
                 factors: Factors) -> tuple[np.ndarray, str]:
    """CO2e avoided (t) by diverting waste from landfill to a partner site by road.

    ``avoided = diverted × landfill factor − diverted × distance × HGV tonne-km factor``
    (the new haul is charged in full; a missing distance counts as 0 km and is flagged by the
    caller).

    Returns
    -------
    (ndarray, str)
        Tonnes CO2e per row and the citation of the factors used.

    Examples
    --------
    >>> from geo.factors import load_factors
    >>> t, cite = co2e_avoided(np.array([100.0]), np.array([10.0]), factors=load_factors())
    >>> round(float(t[0]), 2)   # 100 t × 520 kg/t − 100 t × 10 km × 0.107 kg/tkm
    51.89
    """
    landfill = factors.get("landfill_co2e_kg_per_t")
    haul = factors.get("hgv_co2e_kg_per_tkm")
    d = np.nan_to_num(np.asarray(distance_km, float), nan=0.0)
    t = np.asarray(landfill_diverted_t, float)
    kg = t * landfill.value - t * d * haul.value
    cite = _("landfill {landfill}; transport {transport}").format(landfill=landfill.cite(),
                                                                  transport=haul.cite())
    return kg / 1000.0, cite


def outcomes_wide(book: SynergyBook, *, factors: Factors,
                  config: OutcomeConfig | None = None) -> pd.DataFrame:
    """One row per synergy and year with a column per tracked outcome type.

    CO2e avoided is computed here (when tracked), with ``co2e_factors`` citing the factors
    and ``co2e_distance_missing`` flagging synergies whose haul distance is unknown.
    """
    config = config or OutcomeConfig()
    eff = effective_outcomes(book.outcomes)
    entered = list(config.entered())
    if eff.empty:
        wide = pd.DataFrame(columns=["synergy_id", "period", *entered])
    else:
        eff = eff[eff["outcome_type"].isin(entered)]
        wide = eff.pivot_table(index=["synergy_id", "period"], columns="outcome_type",
                               values="value", aggfunc="sum").reset_index()
        wide.columns.name = None
    for col in entered:
        if col not in wide.columns:
            wide[col] = 0.0
        wide[col] = pd.to_numeric(wide[col], errors="coerce").fillna(0.0)
    if "co2e_avoided_t" in config.tracked:
        dist = wide["synergy_id"].map(book.synergies.set_index("synergy_id")["distance_km"])
        dist = pd.to_numeric(dist, errors="coerce")
        t, cite = co2e_avoided(wide["landfill_diverted_t"].to_numpy(float),
                               dist.to_numpy(float), factors=factors)
        wide["co2e_avoided_t"] = t
        wide["co2e_factors"] = cite
        wide["co2e_distance_missing"] = dist.isna().to_numpy()
    return wide[["synergy_id", "period", *list(config.tracked),
                 *[c for c in ("co2e_factors", "co2e_distance_missing") if c in wide]]]


def outcome_totals(
    book: SynergyBook,
    synergy_attrs: pd.DataFrame,
    *,
    by: str,
    factors: Factors,
    config: OutcomeConfig | None = None,
) -> pd.DataFrame:
    """Totals of every tracked outcome by park, period, sector or stream.

    Parameters
    ----------
    synergy_attrs : DataFrame
        One row per synergy (``synergy_id``) with the grouping columns ``park_id``,
        ``sector_nace`` and ``stream`` of its producer (see
        :func:`geo.synergies.reports.synergy_attributes`).
    by : {"park_id", "period", "sector_nace", "stream"}
        The grouping.

    Returns
    -------
    DataFrame
        One row per group, a column per tracked type, ``synergies`` (count) and
        ``producers`` (distinct producing sites, for the confidentiality rule). Sums of the
        groups equal the programme total.
    """
    allowed = ("park_id", "period", "sector_nace", "stream")
    if by not in allowed:
        msg = _("Outcome totals are grouped by one of {allowed}, got {by}.").format(
            allowed=repr(allowed), by=repr(by))
        raise SynergyError(msg)
    config = config or OutcomeConfig()
    wide = outcomes_wide(book, factors=factors, config=config)
    attrs = synergy_attrs.drop_duplicates("synergy_id")
    merged = wide.merge(attrs, on="synergy_id", how="left")
    # Translators: the group of outcomes whose park, sector or stream is not known.
    key = merged[by].astype(object).where(merged[by].notna(), _("(none)"))
    merged = merged.assign(_group=key)
    cols = list(config.tracked)
    totals = merged.groupby("_group", sort=True)[cols].sum()
    totals["synergies"] = merged.groupby("_group")["synergy_id"].nunique()
    producers_col = "from_site_id" if "from_site_id" in merged else "synergy_id"
    totals["producers"] = merged.groupby("_group")[producers_col].nunique()
    return totals.reset_index().rename(columns={"_group": by})
