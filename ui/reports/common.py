"""What the Reports page's parts share: the page's view (context, synergy book, the viewer's
release, the cache key of reports) and translated tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

import ui
from geo.i18n import _, current_locale
from geo.synergies.lifecycle import stage_label
from geo.synergies.text import unit_label
from ui.widgets import column_config

if TYPE_CHECKING:
    from geo.synergies.book import SynergyBook
    from geo.synergies.protected import SynergyRelease
    from ui.context import PageContext

__all__ = ["ReportsView", "table"]


@dataclass(frozen=True)
class ReportsView:
    """This rerun's context with what every report reads.

    Attributes
    ----------
    ctx : PageContext
    book : SynergyBook
        The programme's synergies at this version.
    release : SynergyRelease or None
        Viewers' protected synergy figures; None for practitioners (who see the book).
    cache_key : dict
        Synergy version and language: cached reports carry translated labels.
    """

    ctx: PageContext
    book: SynergyBook
    release: SynergyRelease | None
    cache_key: dict[str, Any]

    @classmethod
    def of(cls, ctx: PageContext) -> ReportsView:
        """The view of ``ctx``'s programme (a store error is shown and stops the page).

        Viewers get one release of the whole programme; a park authority reads its part."""
        with ui.domain_errors():
            book = ctx.synergy_book
            release = None if ctx.practitioner else ctx.synergy_release
        return cls(ctx=ctx, book=book, release=release,
                   cache_key={"synergy_version": ctx.versions.synergies,
                              "locale": current_locale()})


def _headers(frame: pd.DataFrame) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names)."""
    # Columns of the gaps and park-partner tables without a shared label (yet).
    own = {"key": _("Code or class"), "median_distance_km": _("Median distance (km)")}
    # figures grouped as the reader's browser writes them (21,837.5), not 21837.486
    localized = {str(c): "localized" for c in frame.columns
                 if pd.api.types.is_float_dtype(frame.dtypes[c])}
    return column_config(frame.columns, labels=own, number_formats=localized)


def table(frame: pd.DataFrame, key: str, **kwargs: Any) -> None:
    """Show ``frame`` with its headers (and any stage or unit codes) in this session's
    language."""
    shown = frame.copy()
    for col in ("stage", "unit"):
        if col in shown.columns:
            label = stage_label if col == "stage" else unit_label
            shown[col] = [None if pd.isna(v) else label(v) for v in shown[col]]
    # a withheld or missing figure is a blank cell, as the viewers' note says (not "None")
    st.dataframe(shown, hide_index=True, key=key, column_config=_headers(shown),
                 placeholder="", **kwargs)
