"""Folium layers of the site finder: screened and ranked candidates, best plants, flows,
catchments, suppliers and competing plants.

One GeoJson layer per kind of feature; colours travel as a ``colour`` property; every text
passes through :func:`layers.geojson.frame_to_geojson`, which escapes it. Viewers who may not see
individual companies get no supplier names and no per-supplier tonnages in tooltips; their
frames (from :func:`geo.siting.ranking_for_role` and :func:`geo.siting.best_sites_for_role`)
count released hexagons (``cells``) instead of suppliers, with banded tonnages.
"""

from __future__ import annotations

from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo.i18n import _, column_label, format_number, ngettext
from geo.siting.candidates import rule_label
from geo.siting.catchments import plant_label
from geo.siting.feedstock import COMPETITOR_SOURCES
from geo.siting.scoring import CRITERIA, CRITERION_LABELS, status_label
from layers.base import display_decimals, for_display, hexagon_groups, map_view
from layers.geojson import GeoJson, frame_to_geojson

__all__ = [
    "MAX_FLOW_LINES",
    "MAX_POINTS",
    "PLANT_COLOURS",
    "RULE_COLOURS",
    "add_best_sites",
    "add_competitors",
    "add_ranked_sites",
    "add_screened_candidates",
    "add_suppliers",
    "breakdown_figure",
    "score_colour",
]

RULE_COLOURS: Final = {"": "#1a9850", "industrial": "#bdbdbd", "residential": "#d73027",
                       "land": "#fc8d59", "main_road": "#91bfdb"}
"""Colour of a screened candidate by the rule that removed it ("" = passes)."""
_SCORE_RAMP: Final = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
PLANT_COLOURS: Final = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628",
                        "#f781bf", "#999999")
"""Colour of each chosen plant, its catchment and its flows (cycled beyond eight plants)."""



MAX_POINTS: Final = 1000
"""Candidates drawn one by one at most (the first by the page's order); suppliers above it are
counted per H3 hexagon instead, in at most half as many cells (a 100,000-record programme's
map was over a megabyte)."""
MAX_FLOW_LINES: Final = 300
"""Supplier → plant lines drawn at most: the largest flows (the table lists every one)."""

def _aliases(cols: list[str]) -> list[str]:
    """Tooltip titles of ``cols`` in the reader's language (their column labels)."""
    return [column_label(c) for c in cols]


def score_colour(rank: pd.Series) -> pd.Series:
    """Dark for the best ranks, light for the worst (five classes); grey when unranked."""
    r = pd.to_numeric(rank, errors="coerce")
    n = max(int(r.max()), 1) if r.notna().any() else 1
    cls = np.clip(((r - 1) / n * 5).fillna(-1).astype(int), -1, 4)
    ramp = list(reversed(_SCORE_RAMP))
    return pd.Series([ramp[c] if c >= 0 else "#9e9e9e" for c in cls], index=rank.index)


def add_screened_candidates(m: folium.Map, sites: gpd.GeoDataFrame, *,
                            max_features: int = MAX_POINTS) -> tuple[folium.GeoJson, int]:
    """Every candidate coloured by the siting rule that removed it (green: passes)."""
    drawn = sites.head(max_features).copy()
    drawn["colour"] = drawn["failed_rule"].map(RULE_COLOURS).fillna("#999999")
    passes, removed = _("passes"), _("removed by the {rule} rule")
    drawn["outcome"] = drawn["failed_rule"].map(
        lambda r: passes if r == "" else removed.format(rule=rule_label(r)))
    cols = ["name", "outcome"]
    layer = GeoJson(
        frame_to_geojson(drawn, columns=[*cols, "colour"], decimals=5),
        name=_("Candidates (siting rules)"),
        marker=folium.CircleMarker(radius=5, weight=1, color="#ffffff", fill=True,
                                   fill_opacity=0.9),
        style_from={"fillColor": "colour"},
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[_("Name"), _("Outcome")]),
    )
    layer.add_to(m)
    return layer, len(drawn)


def add_ranked_sites(m: folium.Map, sites: gpd.GeoDataFrame, *, top: int = 300,
                     highlight: int = 3) -> tuple[folium.GeoJson, int]:
    """Ranked candidates (best ``top``), darker = better; the best ``highlight`` larger.

    ``sites`` is the (role-filtered) ranking: suppressed figures show as blanks.
    """
    ranked = sites[sites["rank"].notna()].sort_values("rank").head(top).copy()
    ranked["colour"] = score_colour(ranked["rank"])
    ranked["r"] = np.where(ranked["rank"] <= highlight, 10, 6)
    ranked["score_pts"] = ranked["score"].round(1)
    ranked["feedstock"] = ranked["feedstock_t"].round(0)
    if "status" in ranked:
        ranked["status"] = ranked["status"].map(status_label)
    aliases = {"rank": _("Rank"), "name": _("Site"), "score_pts": _("Score (of 100)"),
               "feedstock": _("t/yr in reach"), "suppliers": _("Suppliers"),
               "cells": _("Released hexagons"), "status": _("Status")}
    cols = [c for c in aliases if c in ranked.columns]
    layer = GeoJson(
        frame_to_geojson(ranked, columns=[*cols, "colour", "r"], decimals=5),
        name=_("Ranked sites"),
        marker=folium.CircleMarker(radius=6, weight=1.5, color="#ffffff", fill=True,
                                   fill_opacity=0.95),
        style_from={"fillColor": "colour", "radius": "r"},
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[aliases[c] for c in cols]),
    )
    layer.add_to(m)
    return layer, len(ranked)


def add_best_sites(m: folium.Map, plants: gpd.GeoDataFrame, flows: gpd.GeoDataFrame,
                   catchments: gpd.GeoDataFrame, *, show_names: bool,
                   k: int = 3) -> list[folium.GeoJson]:
    """Catchment polygons, supplier → plant flow lines and the plants, one colour per plant.

    Without ``show_names`` (viewers), flows carry no supplier name or tonnage. Frames that
    count released hexagons (``cells``, a viewer's best sites) show their banded tonnage;
    otherwise a plant's tonnage shows only when at least ``k`` suppliers feed it.
    """
    colour = {p: PLANT_COLOURS[i % len(PLANT_COLOURS)] for i, p in enumerate(plants["plant"])}
    count = "cells" if "cells" in plants.columns else "suppliers"
    count_label = _("Released hexagons") if count == "cells" else _("Suppliers")

    def shown_t(frame: gpd.GeoDataFrame) -> np.ndarray:
        visible = show_names or count == "cells"
        return np.where((frame[count] >= k) | visible, frame["tonnes_per_year"].round(0), np.nan)

    out: list[folium.GeoJson] = []
    view = map_view(m)
    if len(catchments):
        c = for_display(catchments, view).copy()
        c["colour"] = c["plant"].map(colour)
        c["t_yr"] = shown_t(c)
        c["plant"] = c["plant"].map(plant_label)
        cols = ["plant", count, "t_yr"]
        out.append(GeoJson(
            frame_to_geojson(c, columns=[*cols, "colour"], decimals=display_decimals(view)),
            name=_("Catchments"),
            fixed_style={"weight": 2, "fillOpacity": 0.12, "dashArray": "5 4"},
            style_from={"color": "colour", "fillColor": "colour"},
            tooltip=folium.GeoJsonTooltip(fields=cols,
                                          aliases=[_("Catchment of"), count_label,
                                                   _("t/yr")])))
    if len(flows):
        if len(flows) <= MAX_FLOW_LINES:
            f = flows.copy()
        elif "tonnes_per_year" in flows.columns:  # a practitioner's: the largest flows
            f = flows.nlargest(MAX_FLOW_LINES, "tonnes_per_year")
        else:  # a viewer's carry no tonnes: the nearest suppliers of each plant first
            f = flows.sort_values("haul_km").groupby("plant", sort=False).head(
                -(-MAX_FLOW_LINES // max(flows["plant"].nunique(), 1))).head(MAX_FLOW_LINES)
        f["colour"] = f["plant"].map(colour)
        f["km"] = f["haul_km"].round(2)
        f["plant"] = f["plant"].map(plant_label)
        cols = ["supplier", "plant", "tonnes_per_year", "km"] if show_names else ["plant", "km"]
        out.append(GeoJson(
            frame_to_geojson(f, columns=[*cols, "colour"], decimals=5),
            name=_("Supplier → plant") if len(f) == len(flows) else ngettext(
                "Supplier → plant (the largest {n} flow)",
                "Supplier → plant (the largest {n} flows)", len(f)).format(
                    n=format_number(len(f))),
            fixed_style={"weight": 2, "opacity": 0.7}, style_from={"color": "colour"},
            tooltip=folium.GeoJsonTooltip(fields=cols, aliases=_aliases(cols))))
    p = plants.copy()
    p["colour"] = p["plant"].map(colour)
    p["t_yr"] = shown_t(p)
    p["plant"] = p["plant"].map(plant_label)
    cols = ["plant", "name", count, "t_yr"]
    out.append(GeoJson(
        frame_to_geojson(p, columns=[*cols, "colour"], decimals=5), name=_("Best sites"),
        marker=folium.CircleMarker(radius=12, weight=3, color="#ffffff", fill=True,
                                   fill_opacity=1.0),
        style_from={"fillColor": "colour"},
        tooltip=folium.GeoJsonTooltip(fields=cols,
                                      aliases=[_("Plant"), _("Site"), count_label,
                                               _("t/yr")])))
    for layer in out:
        layer.add_to(m)
    return out


def add_suppliers(m: folium.Map, suppliers: gpd.GeoDataFrame, *, show_names: bool,
                  label: str | None = None) -> folium.GeoJson:
    """Supplier sites (small dark circles); names and tonnages for practitioners only.

    Above :data:`MAX_POINTS` suppliers they are counted per H3 hexagon (tonnes summed for
    practitioners).

    Viewers' pseudo-suppliers (released hexagons) carry only ``label`` (already in the
    reader's language; default "Supplier").
    """
    if len(suppliers) > MAX_POINTS:
        return _add_supplier_cells(m, suppliers, show_tonnes=show_names)
    cols = ["site_name", "tonnes_per_year"] if show_names else []
    frame = suppliers.copy()
    frame["label"] = _("Supplier") if label is None else label
    fields = cols or ["label"]
    layer = GeoJson(
        frame_to_geojson(frame, columns=fields, decimals=5), name=_("Suppliers"),
        marker=folium.CircleMarker(radius=4, weight=1, color="#ffffff", fill=True,
                                   fill_color="#333333", fill_opacity=0.9),
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=_aliases(fields), labels=bool(cols)))
    layer.add_to(m)
    return layer


def _add_supplier_cells(m: folium.Map, suppliers: gpd.GeoDataFrame, *,
                        show_tonnes: bool) -> folium.GeoJson:
    """Suppliers counted per H3 hexagon (the finest resolution with at most half
    :data:`MAX_POINTS` occupied cells); their tonnes summed for practitioners only."""
    pts = suppliers[suppliers.geometry.notna() & ~suppliers.geometry.is_empty]
    group, centres = hexagon_groups(pts, MAX_POINTS // 2)
    tonnes = pd.to_numeric(pts["tonnes_per_year"], errors="coerce").fillna(0.0) \
        if "tonnes_per_year" in pts else pd.Series(0.0, index=pts.index)
    cells = pd.DataFrame({"cell": group, "t": tonnes.to_numpy(float)}
                         ).groupby("cell").agg(n=("t", "size"), t=("t", "sum"))
    frame = gpd.GeoDataFrame({
        "suppliers": [ngettext("{n} supplier", "{n} suppliers", int(n)).format(
            n=format_number(n)) for n in cells["n"]],
        "t_yr": cells["t"].round(0).to_numpy(),
        "r": np.round(np.clip(2 * np.sqrt(cells["n"].to_numpy()), 4, 12), 1)},
        geometry=centres.to_numpy()[cells.index.to_numpy()], crs=4326)
    fields = ["suppliers", "t_yr"] if show_tonnes else ["suppliers"]
    layer = GeoJson(
        frame_to_geojson(frame, columns=[*fields, "r"], decimals=5), name=_("Suppliers"),
        marker=folium.CircleMarker(radius=4, weight=1, color="#ffffff", fill=True,
                                   fill_color="#333333", fill_opacity=0.9),
        style_from={"radius": "r"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[_("Suppliers"), _("t/yr")][
            :len(fields)]))
    layer.add_to(m)
    return layer


def add_competitors(m: folium.Map, competitors: gpd.GeoDataFrame, *, show_names: bool
                    ) -> folium.GeoJson | None:
    """Existing plants of the same kind (red rings); names for practitioners only."""
    if competitors.empty:
        return None
    frame = competitors.copy()
    if not show_names:
        frame["name"] = _("Existing plant")
    frame["source"] = frame["source"].map(
        lambda v: _(v) if v in COMPETITOR_SOURCES else v)
    cols = ["name", "source"]
    layer = GeoJson(
        frame_to_geojson(frame, columns=cols), name=_("Competing plants"),
        marker=folium.CircleMarker(radius=9, weight=3, color="#d7191c", fill=False),
        tooltip=folium.GeoJsonTooltip(fields=cols, aliases=[_("Existing plant"), _("From")]))
    layer.add_to(m)
    return layer


def breakdown_figure(ranking: pd.DataFrame, *, top: int = 15) -> go.Figure:
    """Stacked horizontal bars of each criterion's points for the best ``top`` sites (plotly).

    The bar lengths add up to the score (0–100). Suppressed rows show no bar.
    """
    ranked = ranking[ranking["rank"].notna()].sort_values("rank").head(top)
    labels = [f"#{int(r)} {n}" for r, n in zip(ranked["rank"], ranked["name"], strict=True)]
    fig = go.Figure()
    # Translators: plotly hover text; keep %{x:.1f} (the points) as it is.
    points = _("%{x:.1f} points")
    for colour, c in zip(_SCORE_RAMP, CRITERIA, strict=True):
        fig.add_bar(y=labels, x=ranked[f"c_{c}"], name=_(CRITERION_LABELS[c]), orientation="h",
                    marker_color=colour, hovertemplate=points + "<extra>%{fullData.name}</extra>")
    # The legend sits above the plot, anchored by its foot, with room for two rows of
    # criteria: anchored by its middle it covered the best site's bar.
    fig.update_layout(barmode="stack", height=140 + 26 * len(ranked), margin={"l": 10, "r": 10,
                      "t": 80, "b": 10}, yaxis={"autorange": "reversed"},
                      xaxis={"title": _("Score (points of 100)"), "range": [0, 100]},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02,
                              "xanchor": "left", "x": 0})
    return fig
