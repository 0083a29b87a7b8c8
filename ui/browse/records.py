"""Browse for practitioners: resource records by several criteria at once (streams, codes,
direction, hazard, quantity, parks, sectors, a straight-line distance), listed, mapped and
exported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import streamlit as st

import ui
from geo.i18n import _, column_label, format_number, ngettext
from geo.programme import UNITS
from geo.search import ResourceQuery, search_resources
from layers.base import add_parks, add_sites

if TYPE_CHECKING:
    import geopandas as gpd

    from ui.browse.common import BrowseView

__all__ = ["browse_records"]

MAX_TABLE_ROWS: Final = 1000
"""Rows the records grid shows (100,000 rows were 21 MB on every rerun); downloads hold all."""


def _query(view: BrowseView) -> ResourceQuery:
    """Draw the filters and read them (a filter the query refuses stops the page)."""
    prog = view.programme
    hazard_labels = {"hazardous": _("hazardous"), "non-hazardous": _("non-hazardous")}
    with st.expander(_("Filters"), expanded=True, icon=":material/filter_alt:"):
        c1, c2, c3 = st.columns(3)
        selectors = c1.multiselect(_("Streams (groups or chapters)"),
                                   list(view.selector_labels),
                                   format_func=lambda s: view.selector_labels[s],
                                   key=ui.Key.BR_SELECTORS)
        codes = c1.text_input(_("Catalogue codes (comma separated)"), key="br_codes",
                              placeholder=_("e.g. 150102, 02 03 04"))
        direction = c2.segmented_control(_("Have or want"), ["have", "want"],
                                         key=ui.Key.BR_DIRECTION, selection_mode="single",
                                         format_func=view.direction_label)
        hazardous = c2.segmented_control(_("Hazardous"), ["hazardous", "non-hazardous"],
                                         key="br_hazardous", selection_mode="single",
                                         format_func=lambda h: hazard_labels[h])
        q_unit = c2.selectbox(_("Quantity unit"), [None, *UNITS], key=ui.Key.BR_UNIT,
                              format_func=lambda u: _("any unit") if u is None else u,
                              help=_("Records are in t/yr, m³/yr or MWh/yr: pick one to "
                                     "compare quantities like with like."))
        # one per line: side by side, a value such as 100.00 was cut to "100.("
        in_unit = _("In the record's own unit.") if q_unit is None else q_unit
        q_min = c2.number_input(_("Min quantity"), min_value=0.0, value=None, format="%g",
                                key=ui.Key.BR_QMIN, help=in_unit)
        q_max = c2.number_input(_("Max quantity"), min_value=0.0, value=None, format="%g",
                                key=ui.Key.BR_QMAX, help=in_unit)
        parks = c3.multiselect(_("Parks"), list(view.park_names), key="br_parks",
                               format_func=lambda p: view.park_names[p])
        sectors = c3.multiselect(_("Sectors (NACE)"),
                                 sorted(prog.sites["sector_nace"].dropna().unique()),
                                 key="br_sectors")
        near = st.checkbox(_("Only within a distance of a point"), key="br_near")
        point, radius_m = None, None
        if near:
            n1, n2, n3 = st.columns(3)
            centre = prog.sites.union_all().centroid if len(prog.sites) else None
            lon = n1.number_input(_("Longitude"), -180.0, 180.0,
                                  value=round(centre.x, 5) if centre else 0.0,
                                  format="%.5f", key="br_lon")
            lat = n2.number_input(_("Latitude"), -90.0, 90.0,
                                  value=round(centre.y, 5) if centre else 0.0,
                                  format="%.5f", key="br_lat")
            radius_km = n3.number_input(_("Radius (km, straight line)"), min_value=0.01,
                                        max_value=20_000.0, value=1.0, key="br_radius")
            point, radius_m = (lon, lat), radius_km * 1000
    group_slugs = set(view.catalogue.groups()["group"])
    with ui.domain_errors():
        return ResourceQuery(
            groups=tuple(x for x in selectors if x in group_slugs),
            chapters=tuple(x for x in selectors if x not in group_slugs),
            codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
            direction=direction, quantity_min=q_min, quantity_max=q_max, unit=q_unit,
            parks=tuple(parks), sectors=tuple(sectors),
            hazardous=None if hazardous is None else hazardous == "hazardous",
            near=point, radius_m=radius_m)


def _records_table(view: BrowseView, found: gpd.GeoDataFrame) -> None:
    """The matching records (a page of them), with links to their sites and where their
    park lies; the downloads hold every row."""
    table = found.drop(columns="geometry").copy()
    table.insert(0, "site", "/site?site=" + table["site_id"].astype(str))
    # Where each record's park lies (region → city → park), shown next to the park's ID.
    park_places = view.programme.parks.set_index("park_id")[["region", "city", "name"]]
    at = table.columns.get_loc("park_id") + 1
    for col, source in (("region", "region"), ("city", "city"), ("park", "name")):
        table.insert(at, col, table["park_id"].map(park_places[source]))
        at += 1
    shown = table.head(MAX_TABLE_ROWS)  # the grid gets a page; the downloads carry every row
    st.dataframe(shown, hide_index=True, placeholder="—", width="stretch",
                 column_config=view.headers(
                     shown,
                     site=st.column_config.LinkColumn(column_label("site"),
                                                      display_text=r"/site\?site=(.*)"),
                     quantity=st.column_config.NumberColumn(column_label("quantity"),
                                                            format="%.1f")))
    if len(shown) < len(table):
        st.caption(_("The first {shown} of {n} matching records are listed; the downloads "
                     "below hold all of them.").format(shown=format_number(len(shown)),
                                                       n=format_number(len(table))))
    ui.download_buttons(found, stem="resources", key="br_dl")


def browse_records(view: BrowseView) -> None:
    """Filter the programme's resource records; list, export and map the matches."""
    prog = view.programme
    query = _query(view)
    with ui.domain_errors():
        found = search_resources(prog, query)
    n_all = len(prog.resources)
    st.markdown(ngettext("**{n}** of {total} resource record matches.",
                         "**{n}** of {total} resource records match.", n_all).format(
                             n=format_number(len(found)), total=format_number(n_all)))
    if found.empty:
        st.info(_("No records match these filters — widen the quantity range or remove a "
                  "filter."))
        return
    _records_table(view, found)
    m = ui.base_map(view.ctx)
    add_parks(m, prog.parks)
    add_sites(m, prog.sites[prog.sites["site_id"].isin(found["site_id"])],
              tooltip_cols=("name", "sector_nace"))
    ui.show_map(m, key="br_map", height=420)
