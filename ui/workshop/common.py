"""What the Workshop page's steps share: the programme's sites, the person saving, and the
words a direction, frequency or status code is shown as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from geo.i18n import _
from ui.state import Key

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.programme import Programme
    from ui.context import PageContext

__all__ = ["WorkshopView"]


@dataclass(frozen=True)
class WorkshopView:
    """This rerun's context with the programme's sites in id order.

    Attributes
    ----------
    ctx : PageContext
    sites : GeoDataFrame
        The programme's sites, sorted by ``site_id``.
    site_names : dict
        Site id → company name, where recorded.
    """

    ctx: PageContext
    sites: gpd.GeoDataFrame
    site_names: dict[str, str]

    @classmethod
    def of(cls, ctx: PageContext) -> WorkshopView:
        """The view of ``ctx``'s programme."""
        sites = ctx.programme.sites.sort_values("site_id")
        names = dict(zip(sites["site_id"].astype(str), sites["name"], strict=True))
        return cls(ctx, sites, {k: v for k, v in names.items() if isinstance(v, str) and v})

    @property
    def programme(self) -> Programme:
        """The programme in use."""
        return self.ctx.programme

    def records(self) -> pd.DataFrame:
        """The programme's records and those saved at this workshop that it does not show
        yet (a stored programme shows them from its next data version on)."""
        prog = self.programme
        added = st.session_state.get(Key.WS_ADDED, prog.resources.iloc[:0])
        added = added[~added["resource_id"].isin(prog.resources["resource_id"])]
        return pd.concat([prog.resources, added], ignore_index=True)

    def site_label(self, site_id: object) -> str:
        """A site as a facilitator knows it: ``Company name (site id)``."""
        name = self.site_names.get(str(site_id))
        return f"{name} ({site_id})" if name else str(site_id)

    @staticmethod
    def word(code: object) -> str:
        """A direction or frequency code as shown in this session's language (others
        unchanged)."""
        directions = {"have": _("have"), "want": _("want")}
        # Translators: how often a have or a want arises.
        frequencies = {"continuous": _("continuous"), "daily": _("daily"),
                       "weekly": _("weekly"), "fortnightly": _("fortnightly"),
                       "monthly": _("monthly"), "quarterly": _("quarterly"),
                       "annual": _("annual"), "one-off": _("one-off")}
        words = {**directions, **frequencies}
        return words.get(str(code), str(code))

    @staticmethod
    def statuses(report: pd.DataFrame) -> pd.DataFrame:
        """A report with its status codes as words of this session's language."""
        words = {"ok": _("saved"), "error": _("refused")}
        return report.assign(status=[words.get(str(v), str(v)) for v in report["status"]])
