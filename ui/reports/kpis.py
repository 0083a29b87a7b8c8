"""The Reports page's headline: the disclosure note for viewers, five headline KPIs, all KPIs
and (viewers) the released figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

import ui
from geo.i18n import _, format_number
from ui import runs
from ui.reports.common import table

if TYPE_CHECKING:
    from ui.reports.common import ReportsView

__all__ = ["kpis"]


def kpis(view: ReportsView) -> None:
    """Draw the headline KPIs (a withheld figure says so) and the tables behind them."""
    ctx, release = view.ctx, view.release
    with ui.domain_errors():
        if release is None:
            figures = runs.synergy_kpis(ctx.programme_ref, **view.cache_key, parks=ctx.parks)
        else:
            figures = runs.viewer_synergy_kpis(ctx.programme_ref, **view.cache_key,
                                               rules=ctx.rules,
                                               member_sites=len(ctx.programme.sites))
    if release is not None:
        audience = {"viewer": _("viewer"), "practitioner": _("practitioner")}
        # Translators: {audience} is "viewer"; {rules} the disclosure rule as a clause ("a
        # figure is shown only when…").
        st.caption(":material/lock: " + _(
            "Viewing as {audience}: only figures that pass the disclosure rules — {rules}, for "
            "the giving and for the receiving companies. A blank figure is withheld.").format(
                audience=audience.get(ctx.role, ctx.role), rules=ctx.rules.describe()))
    shown = figures.set_index("key")["value"]  # by KPI code: the kpi column is a label
    headline = {"haves_recorded": _("Haves, t/yr"),
                "haves_in_live_synergies": _("In synergies, t/yr"),
                "synergy_tonnes_live": _("Synergy tonnes, t/yr"),
                "synergies:completed": _("Completed synergies"),
                "outcome:landfill_diverted_t": _("Landfill diverted, t"),
                "outcome:co2e_avoided_t": _("CO2e avoided, t")}
    headline = {k: v for k, v in headline.items() if k in shown.index}
    for col, (name, label) in zip(st.columns(len(headline)), headline.items(), strict=True):
        col.metric(label, _("withheld") if pd.isna(shown[name]) else format_number(shown[name]))
    with st.expander(_("All KPIs")):
        table(figures.drop(columns="key"), "rep_kpis", width="stretch")
    if release is not None:
        with st.expander(_("Released figures by stage, stream and park pair")):
            table(release.figures(parks=ctx.parks).drop(columns=["from_park", "to_park"]),
                  "rep_released", width="stretch")
