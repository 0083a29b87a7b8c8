"""The Concentrations page's map views: each view's settings, downloads and notes beside the
map, and what the map then draws (a surface image or a table of cells, clusters or parks)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import streamlit as st

import ui
from geo.concentrations import picture, raster
from geo.concentrations import selection as conc
from geo.concentrations import viewer as cv
from geo.concentrations.clusters import cluster_display_name
from geo.concentrations.grid import MAX_DISTANCE_M
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.disclosure.release import HEX_LEVELS
from geo.i18n import N_, _, current_locale, format_number, ngettext
from ui import Key, runs
from ui.concentrations.filters import Records, Released

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.concentrations.classes import ClassedSurface
    from geo.concentrations.density import Surface
    from geo.disclosure.release import HexLevel
    from ui.concentrations.filters import Filtered

__all__ = ["VIEWS", "ViewResult", "view_settings"]

VIEWS: Final = {"Heat": N_("Heat"), "Catchment": N_("Catchment"), "Hexagons": N_("Hexagons"),
                "Hot spots": N_("Hot spots"), "Clusters": N_("Clusters"), "Parks": N_("Parks")}


@dataclass(frozen=True)
class ViewResult:
    """What a view gives the map.

    Attributes
    ----------
    view : str
        A key of :data:`VIEWS`.
    surface : Surface, ClassedSurface or None
        Heat or catchment surface (the map draws its image).
    image : Any
        The surface's display image, or None.
    table : GeoDataFrame or None
        Cells, hot spots, clusters or parks to draw and list.
    bounds : tuple or None
        Where to zoom (a picked cluster), or None for the whole programme.
    """

    view: str
    surface: Surface | ClassedSurface | None = None
    image: Any = None
    table: gpd.GeoDataFrame | None = None
    bounds: tuple[float, float, float, float] | None = None

    @property
    def stem(self) -> str:
        """File stem of the view's downloads."""
        return self.view.lower().replace(" ", "_")


def view_settings(f: Filtered, view: str) -> ViewResult:
    """Draw ``view``'s settings, downloads and notes (in the current container) and compute
    what the map shows; a setting the view refuses is shown as an error and stops the page."""
    with ui.domain_errors():
        if view in ("Heat", "Catchment"):
            return _surface(f, view)
        if isinstance(f, Released):
            return _released(f, view)
        if view in ("Hexagons", "Hot spots"):
            return _hexagons(f, view)
        if view == "Clusters":
            return _clusters(f)
        return ViewResult(view, table=conc.park_totals(f.ctx.programme, f.selection))


def _released(f: Released, view: str) -> ViewResult:
    """Hexagons, hot spots, clusters or parks of the release (with the view's note)."""
    level: HexLevel = "fine"
    if view == "Hexagons":
        level = st.radio(_("Hexagons"), HEX_LEVELS, index=2, key="conc_level", horizontal=True,
                         format_func=lambda lv: _(cv.LEVEL_TEXT[lv]))
        result = ViewResult(view, table=cv.viewer_cells(f.release, f.query, level=level))
    elif view == "Hot spots":
        result = ViewResult(view, table=cv.viewer_hot_spots(f.release, f.query))
    elif view == "Clusters":
        result = _clusters(f)
    else:
        result = ViewResult(view, table=cv.viewer_parks(f.release, f.query))
    _view_note(f, view, level=level)
    return result


def _view_note(f: Filtered, view: str, *, level: HexLevel = "fine") -> None:
    if isinstance(f, Released) and (note := cv.view_note(f.release, view, level=level)):
        st.caption(note)


def _surface(f: Filtered, view: str) -> ViewResult:
    surf: Surface | ClassedSurface
    if view == "Heat":
        st.session_state.setdefault(Key.CONC_BANDWIDTH_M, conc.bandwidth_for_selection(
            f.selection) if isinstance(f, Records) else cv.viewer_bandwidth_m(f.release,
                                                                                f.query))
        dist = st.number_input(_("Bandwidth (m)"), min_value=1.0, max_value=MAX_DISTANCE_M,
                               step=100.0,
                               key=Key.CONC_BANDWIDTH_M, help=_("Up to {max_m} m.").format(
                                   max_m=format_number(MAX_DISTANCE_M)))
        surf = runs.heat_surface(f.ctx.programme_ref, f.query, bandwidth_m=dist) \
            if isinstance(f, Records) else cv.viewer_heat(f.release, f.query, bandwidth_m=dist)
    else:
        dist = 1000 * st.number_input(_("Radius (km)"), min_value=0.1,
                                      max_value=MAX_DISTANCE_M / 1000, value=10.0,
                                      key="conc_radius_km", help=_("Up to {max_km} km.")
                                      .format(max_km=format_number(MAX_DISTANCE_M / 1000)))
        surf = runs.within_radius_surface(f.ctx.programme_ref, f.query, radius_m=dist) \
            if isinstance(f, Records) else cv.viewer_catchment(f.release, f.query,
                                                               radius_m=dist)
    image = cv.viewer_picture(f.release, f.query, view=view, distance_m=dist) \
        if isinstance(f, Released) else raster.display_image(surf)
    result = ViewResult(view, surface=surf, image=image)
    st.caption(surf.caption())
    stem = result.stem
    ui.download_button("GeoTIFF", partial(raster.surface_to_geotiff_bytes, surf),
                       file_name=f"{stem}.tif", key=Key.CONC_DL_TIF, width="stretch")
    ui.download_button(_("PNG + world file"),
                       partial(raster.surface_to_png_zip_bytes, surf, stem=stem),
                       file_name=f"{stem}_png.zip", key=Key.CONC_DL_PNG, width="stretch")
    prog, described = f.ctx.programme, f.describe()
    for warning in picture.programme_picture_warnings(prog, view=stem, selection=described):
        st.warning(warning, icon=":material/font_download_off:")
    ui.download_button(_("Map picture (PNG)"), partial(
        picture.programme_picture_png, surf, prog, view=stem, selection=described,
        locale=current_locale()), file_name=f"{stem}_map.png", key="conc_dl_picture",
        mime="image/png", width="stretch")
    _view_note(f, view)
    return result


def _hexagons(f: Records, view: str) -> ViewResult:
    res = st.selectbox(_("Hexagon resolution"), ["auto", *range(4, 11)], key=Key.CONC_H3_RES,
                       format_func=lambda r: _("auto") if r == "auto" else str(r))
    raw = runs.hexagon_totals(f.ctx.programme_ref, f.query,
                              resolution=None if res == "auto" else int(res))
    if view == "Hot spots":
        st.caption(_("Getis-Ord Gi* with FDR; not-significant cells are not drawn."))
    st.caption(ngettext("H3 resolution {resolution}, {n} cell.",
                        "H3 resolution {resolution}, {n} cells.", len(raw)).format(
                            resolution=int(raw["resolution"].iloc[0]),
                            n=format_number(len(raw))))
    return ViewResult(view, table=raw if view == "Hexagons" else hot_spots_from_hexagons(raw))


def _clusters(f: Filtered) -> ViewResult:
    eps = st.number_input(_("Neighbourhood (m)"), min_value=1.0, max_value=MAX_DISTANCE_M,
                          value=500.0, step=100.0,
                          key="conc_eps_m")
    base_t = f.selection.total_tonnes if isinstance(f, Records) else \
        float(cv.viewer_cells(f.release, f.query)["tonnes"].sum())
    st.session_state.setdefault(Key.CONC_MIN_CLUSTER_T, max(round(base_t / 20, -1), 1.0))
    min_t = st.number_input(_("Core tonnes (t/yr)"), min_value=0.001,
                            key=Key.CONC_MIN_CLUSTER_T)
    table = runs.clusters(f.ctx.programme_ref, f.query, eps_m=eps, min_tonnes=min_t) \
        if isinstance(f, Records) else cv.viewer_clusters(f.release, f.query, eps_m=eps,
                                                          min_tonnes=min_t)
    if not len(table):
        st.info(_("No cluster at these settings: lower the core tonnes or widen the "
                  "neighbourhood."))
        return ViewResult("Clusters", table=table)
    pick = st.selectbox(_("Zoom to cluster"), ["All", *table["name"]], key=Key.CONC_CLUSTER,
                        format_func=lambda c: _("All") if c == "All"
                        else cluster_display_name(c))
    if pick == "All":
        return ViewResult("Clusters", table=table)
    west, south, east, north = table.loc[table["name"] == pick].total_bounds
    return ViewResult("Clusters", table=table, bounds=(west, south, east, north))
