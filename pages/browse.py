"""Browse and search resources by several criteria at once; export the result.

Viewers browse the protected release instead: direction, streams and parks → the release's
stream × park figures, the same whatever else is set (see :func:`geo.search.search_release`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

import ui
from geo.catalogue import load_catalogue
from geo.errors import SymbiosisError
from geo.i18n import _, column_label, format_number, ngettext
from geo.location_levels import DEFAULT_PRESET, location_headers
from geo.search import ReleaseQuery, ResourceQuery, search_release, search_resources
from geo.store.locations import programme_location_preset
from layers.base import add_parks, add_sites

# Rows the records grid shows (100,000 rows were 21 MB on every rerun); downloads hold all.
# (A comment, not a docstring: Streamlit would draw a bare string on the page.)
MAX_TABLE_ROWS = 1000

ctx = ui.page_context("browse")
prog = ctx.programme
cat = load_catalogue()
st.title(_("Browse & export"))
ui.illustrative_note(prog)

groups = cat.groups()
chapters = cat.chapters()
# Translators: a stream group of the waste catalogue in a pick-list; {label} is its name.
selector_labels = {**{g: _("Group · {label}").format(label=_(lbl))
                      for g, lbl in zip(groups["group"], groups["label"], strict=True)},
                   # Translators: {code} is a two-digit catalogue chapter, {description} its
                   # title (in the catalogue's own language).
                   **{c: _("Chapter {code} · {description}").format(code=c, description=d[:60])
                      for c, d in zip(chapters["code"], chapters["description"], strict=True)}}
direction_labels = {"have": _("have"), "want": _("want")}
hazard_labels = {"hazardous": _("hazardous"), "non-hazardous": _("non-hazardous")}


try:  # the programme's names for its location levels (省 / 市 / 园区 …)
    preset = programme_location_preset(ctx.store, prog.name)
except SymbiosisError:  # the database down: the demo keeps working, with the default labels
    preset = DEFAULT_PRESET


def _headers(frame: object, **config: Any) -> dict[str, Any]:
    """Column headers of a shown table in this session's language (the data keeps its
    column names, so CSV downloads and tests read the codes); the park and location columns
    take the programme's level labels; ``config`` overrides columns."""
    columns = [str(c) for c in getattr(frame, "columns", [])]
    levels = location_headers(preset, columns)
    return {**{c: st.column_config.Column(levels.get(c) or column_label(c)) for c in columns},
            **config}


park_names = dict(zip(prog.parks["park_id"], prog.parks["name"], strict=True))
if not ctx.practitioner:
    c1, c2, c3 = st.columns([1, 2, 2])
    direction = c1.segmented_control(_("Have or want"), ["have", "want"],
                                     key=ui.Key.BR_DIRECTION, selection_mode="single",
                                     format_func=lambda d: direction_labels[d]) or "have"
    selectors = c2.multiselect(_("Streams (groups or chapters)"), list(selector_labels),
                               format_func=lambda s: selector_labels[s], key=ui.Key.BR_SELECTORS)
    parks = c3.multiselect(_("Parks"), list(park_names), key="br_parks",
                           format_func=lambda p: park_names[p])
    with ui.domain_errors():
        answer = search_release(ctx.release, ReleaseQuery(direction, tuple(selectors),
                                                          tuple(parks)),
                                catalogue=cat, scope_parks=ctx.parks)
    # Translators: {rules} is the disclosure rule as a clause ("a figure is shown only when…").
    st.caption(_("Viewers see fixed protected releases ({rules}): figures by release stream "
                 "and park, with no quantity, code, sector, hazard or distance filter. Withheld "
                 "figures are marked, not shown.").format(rules=ctx.release.rules.describe()))
    if not answer.exact:
        labels = ctx.release.stream_labels()
        # Translators: {streams} is a comma-separated list of release stream names.
        st.info(_("Nearest release: the streams chosen are answered with whole release streams "
                  "— {streams} — which may hold materials not chosen.").format(
                      streams=", ".join(labels[s] for s in answer.streams)),
                icon=":material/info:")
    total = len(answer.table)
    st.markdown(ngettext("**{released}** of {n} figure released.",
                         "**{released}** of {n} figures released.", total).format(
                             released=format_number(answer.released), n=format_number(total)))
    st.dataframe(answer.table, hide_index=True, width="stretch", column_config=_headers(
        answer.table, tonnes_per_year=st.column_config.NumberColumn(
            column_label("tonnes_per_year"), format="%.1f")))
    ui.download_buttons(answer.table, stem=f"release-{direction}", key="br_dl_release",
                        formats=("csv", "xlsx"))
    st.stop()

res_all = prog.resources
with st.expander(_("Filters"), expanded=True, icon=":material/filter_alt:"):
    c1, c2, c3 = st.columns(3)
    selectors = c1.multiselect(_("Streams (groups or chapters)"), list(selector_labels),
                               format_func=lambda s: selector_labels[s], key=ui.Key.BR_SELECTORS)
    codes = c1.text_input(_("Catalogue codes (comma separated)"), key="br_codes",
                          placeholder=_("e.g. 150102, 02 03 04"))
    direction = c2.segmented_control(_("Have or want"), ["have", "want"],
                                     key=ui.Key.BR_DIRECTION, selection_mode="single",
                                     format_func=lambda d: direction_labels[d])
    hazardous = c2.segmented_control(_("Hazardous"), ["hazardous", "non-hazardous"],
                                     key="br_hazardous", selection_mode="single",
                                     format_func=lambda h: hazard_labels[h])
    qmin, qmax = c2.columns(2)
    q_min = qmin.number_input(_("Min quantity"), min_value=0.0, value=None, key=ui.Key.BR_QMIN)
    q_max = qmax.number_input(_("Max quantity"), min_value=0.0, value=None, key=ui.Key.BR_QMAX)
    parks = c3.multiselect(_("Parks"), list(park_names), key="br_parks",
                           format_func=lambda p: park_names[p])
    sectors = c3.multiselect(_("Sectors (NACE)"),
                             sorted(prog.sites["sector_nace"].dropna().unique()),
                             key="br_sectors")
    near = st.checkbox(_("Only within a distance of a point"), key="br_near")
    if near:
        n1, n2, n3 = st.columns(3)
        centre = prog.sites.union_all().centroid if len(prog.sites) else None
        lon = n1.number_input(_("Longitude"), value=round(centre.x, 5) if centre else 0.0,
                              format="%.5f", key="br_lon")
        lat = n2.number_input(_("Latitude"), value=round(centre.y, 5) if centre else 0.0,
                              format="%.5f", key="br_lat")
        radius_km = n3.number_input(_("Radius (km, straight line)"), min_value=0.01, value=1.0,
                                    key="br_radius")

with ui.domain_errors():
    group_slugs = set(groups["group"])
    query = ResourceQuery(
        groups=tuple(x for x in selectors if x in group_slugs),
        chapters=tuple(x for x in selectors if x not in group_slugs),
        codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
        direction=direction,
        quantity_min=q_min, quantity_max=q_max,
        parks=tuple(parks), sectors=tuple(sectors),
        hazardous=None if hazardous is None else hazardous == "hazardous",
        near=(lon, lat) if near else None,
        radius_m=radius_km * 1000 if near else None,
    )
    found = search_resources(prog, query)

st.markdown(ngettext("**{n}** of {total} resource record matches.",
                     "**{n}** of {total} resource records match.", len(res_all)).format(
                         n=format_number(len(found)), total=format_number(len(res_all))))
if found.empty:
    st.info(_("No records match these filters — widen the quantity range or remove a filter."))
    st.stop()

table = found.drop(columns="geometry").copy()
table.insert(0, "site", "/site?site=" + table["site_id"].astype(str))
# Where each record's park lies (region → city → park), shown next to the park's ID.
park_places = prog.parks.set_index("park_id")[["region", "city", "name"]]
at = table.columns.get_loc("park_id") + 1
for col, source in (("region", "region"), ("city", "city"), ("park", "name")):
    table.insert(at, col, table["park_id"].map(park_places[source]))
    at += 1
shown = table.head(MAX_TABLE_ROWS)  # the grid gets a page; the downloads carry every row
st.dataframe(shown, hide_index=True, width="stretch", column_config=_headers(
    shown,
    site=st.column_config.LinkColumn(column_label("site"), display_text=r"/site\?site=(.*)"),
    quantity=st.column_config.NumberColumn(column_label("quantity"), format="%.1f")))
if len(shown) < len(table):
    st.caption(_("The first {shown} of {n} matching records are listed; the downloads below hold "
                 "all of them.").format(shown=format_number(len(shown)),
                                        n=format_number(len(table))))
ui.download_buttons(found, stem="resources", key="br_dl")
m = ui.base_map(ctx)
add_parks(m, prog.parks)
sites = prog.sites[prog.sites["site_id"].isin(found["site_id"])]
add_sites(m, sites, tooltip_cols=("name", "sector_nace"))
ui.show_map(m, key="br_map", height=420)
