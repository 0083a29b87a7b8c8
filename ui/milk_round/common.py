"""What both modes of the Milk round page share: the page's view of the programme (names and
labels of streams, sites and parks), tables, KPI metrics and the solver's progress bar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pandas as pd
import streamlit as st

from geo.catalogue import load_catalogue
from geo.i18n import N_, _, column_label, format_number, format_percent

if TYPE_CHECKING:
    from geo.catalogue.catalogue import Catalogue
    from geo.programme import Programme
    from ui.context import PageContext

__all__ = ["DAY_NAMES", "DAY_SHORT", "MilkRoundView", "day_name", "kpi_metrics",
           "show_progress", "show_table"]

DAY_NAMES: Final = {"mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"),
                    "thu": N_("Thursday"), "fri": N_("Friday"), "sat": N_("Saturday"),
                    "sun": N_("Sunday")}
DAY_SHORT: Final = {"mon": N_("Mon"), "tue": N_("Tue"), "wed": N_("Wed"), "thu": N_("Thu"),
                    "fri": N_("Fri"), "sat": N_("Sat"), "sun": N_("Sun")}


@dataclass(frozen=True)
class MilkRoundView:
    """The page's context with the names its pickers show.

    Attributes
    ----------
    ctx : PageContext
        This rerun's context (programme, road graph, role).
    catalogue : Catalogue
    labels : dict
        Catalogue group → its label (catalogue text).
    site_names, park_names : dict
        Site and park id → name as recorded; sites sorted by name.
    """

    ctx: PageContext
    catalogue: Catalogue
    labels: dict[str, str]
    site_names: dict[str, str]
    park_names: dict[str, str]

    @classmethod
    def of(cls, ctx: PageContext) -> MilkRoundView:
        """The view of ``ctx``'s programme."""
        cat = load_catalogue()
        groups = cat.groups()
        sites = ctx.programme.sites.sort_values("name")
        parks = ctx.programme.parks
        return cls(ctx=ctx, catalogue=cat,
                   labels={g: _(label) for g, label in zip(groups["group"], groups["label"],
                                                            strict=True)},
                   site_names=dict(zip(sites["site_id"], sites["name"], strict=True)),
                   park_names=dict(zip(parks["park_id"], parks["name"], strict=True)))

    @property
    def programme(self) -> Programme:
        """The programme the page plans for."""
        return self.ctx.programme

    def stream_label(self, code: str) -> str:
        """A catalogue group's label (catalogue text: not translated)."""
        return str(self.labels.get(code, code))

    def site_label(self, site_id: str) -> str:
        """A site's name as recorded."""
        return str(self.site_names.get(site_id, site_id))

    def park_label(self, park_id: str) -> str:
        """A park's name as recorded."""
        return str(self.park_names.get(park_id, park_id))


def day_name(code: str) -> str:
    """The weekday ``code`` in the session's language."""
    return _(DAY_NAMES[code])


def show_table(frame: pd.DataFrame, *, headers: dict[str, str] | None = None) -> None:
    """A table with its headers in the session's language; the frame keeps its column names
    (``headers`` gives labels of columns :func:`~geo.i18n.column_label` does not know)."""
    labels_of = {**{str(c): column_label(c) for c in frame.columns}, **(headers or {})}
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="",
                 column_config={c: st.column_config.Column(label) for c, label in
                                labels_of.items()})


def _signed_pct(value: float) -> str:
    """``+12 %``-style change in the session's number format."""
    if pd.isna(value):
        return "—"
    sign = "+" if value >= 0 else "-"  # ASCII: Streamlit reads the arrow's direction from it
    return sign + format_percent(abs(value) / 100.0, digits=0)


def kpi_metrics(kpi: pd.DataFrame, shown: list[tuple[str, str, str, int]]) -> None:
    """One metric per ``(metric, label, format, digits)`` of ``shown``: the milk round's
    figure with its saving against every producer driving its own trips as the delta."""
    for col, (metric, label, fmt, digits) in zip(st.columns(len(shown)), shown, strict=True):
        row = kpi.loc[metric]
        col.metric(_(label), _(fmt).format(value=format_number(row["milk_round"],
                                                               digits=digits)),
                   delta=_("{pct} vs own trips").format(pct=_signed_pct(-row["saving_pct"])),
                   delta_color="inverse")


def show_progress(bar: Any, p: Any) -> None:
    """Show the solver's progress ``p`` (a ``SolveProgress``) on ``bar``."""
    if p.feasible:
        text = _("Planning ({phase}): {elapsed} of {limit} s · best cost {cost} EUR").format(
            phase=p.phase, elapsed=format_number(p.elapsed_s, digits=0),
            limit=format_number(p.time_limit_s, digits=0),
            cost=format_number(p.best_cost, digits=0))
    else:
        text = _("Planning ({phase}): {elapsed} s, no feasible plan yet").format(
            phase=p.phase, elapsed=format_number(p.elapsed_s, digits=0))
    bar.progress(min(max(p.fraction, 0.0), 1.0), text=text)
