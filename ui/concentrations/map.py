"""The Concentrations page's map: the view's overlays (swapped in the browser on a filter
change, keeping the user's pan and zoom) and, for practitioners, the records as points."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

import ui
from geo.concentrations import picture
from geo.concentrations.density import unit_label
from geo.i18n import _, format_number, ngettext
from layers import concentration as lc
from layers.base import Overlays
from ui.concentrations.filters import Records
from ui.concentrations.views import VIEWS

if TYPE_CHECKING:
    from ui.concentrations.filters import Filtered
    from ui.concentrations.views import ViewResult

__all__ = ["show_map"]


def show_map(f: Filtered, shown: ViewResult) -> None:
    """Draw the map of ``shown`` (in the current container)."""
    sel, view = f.selection if isinstance(f, Records) else None, shown.view
    m = ui.base_map(f.ctx, bounds=shown.bounds)
    overlays = Overlays(m)  # a filter change swaps these in the browser, keeping the map
    points = sel is not None and view in ("Heat", "Catchment", "Clusters")
    if shown.surface is None:
        image_note = ""
    else:
        image_note = unit_label(shown.surface.units) if sel is not None \
            else _(picture.CLASSES_NOTE)
    drawn_points = lc.add_view_layers(
        overlays, view, parks=f.ctx.programme.parks, image=shown.image,
        image_name=_(VIEWS[view]), image_note=image_note, table=shown.table,
        table_note="" if sel is not None else _("From released figures."),
        selection=sel if points else None)
    if drawn_points is not None and sel is not None:
        drawn, agg = drawn_points
        st.caption((ngettext("Aggregated to {n} cell of {total} records.",
                             "Aggregated to {n} cells of {total} records.", drawn) if agg else
                    ngettext("Showing {n} record of {total}.", "Showing {n} records of {total}.",
                             drawn)).format(n=format_number(drawn),
                                            total=format_number(sel.n_used)))
    ui.show_map(m, key="conc_map", height=560, overlays=overlays)
