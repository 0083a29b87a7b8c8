"""Drawings of synergies: the network on the map, the network as a graph, the Sankey.

- :func:`add_synergy_network` — one folium GeoJson layer of lines between sites (or parks),
  width by tonnes, colour by most advanced stage; tooltips are escaped text. Needs Leaflet only.
- :func:`network_graph_figure` — the same network as a Plotly graph (spring layout).
- :func:`sankey_figure` — the resource-pool Sankey (Plotly).

Inputs come from :mod:`geo.synergies.reports` (for viewers, :mod:`geo.synergies.viewer`:
released figures only); nothing here computes figures. Layer names, tooltips, hover texts and
units are in the session's language; stage and basis codes pick the colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from geo.i18n import _, format_number, format_tonnes
from geo.synergies.lifecycle import stage_label
from geo.synergies.scoring import BASIS_LABELS
from geo.synergies.text import number_symbols
from layers.base import add_sites
from layers.geojson import GeoJson, escape_text, frame_to_geojson

if TYPE_CHECKING:
    from geo.synergies.reports import SankeyData

__all__ = ["BASIS_COLOURS", "MAX_NETWORK_LINES", "STAGE_COLOURS", "add_match_lines",
           "add_synergy_network", "network_graph_figure", "sankey_figure", "width_px"]

STAGE_COLOURS: Final = {"idea": "#9e9ac8", "identified": "#3182bd", "in progress": "#d94801",
                        "implemented": "#41ab5d", "completed": "#005a32",
                        "abandoned": "#969696"}
"""Colour of each stage (distinct from the base map's pale road and land-use colours)."""
_FATE_COLOUR: Final = "#d6604d"
_OTHER_COLOUR: Final = "#bdbdbd"
BASIS_COLOURS: Final = {"exact": "#005a32", "family": "#3182bd", "class": "#6a51a3",
                        "sector": "#d94801", "knowledge": "#ce1256"}
"""Colour of a proposed match's line by the basis it was found on."""


MAX_NETWORK_LINES: Final = 500
"""Links drawn at most on the synergy network map: the largest by tonnes (the page says how
many of how many; 15,000 links of a 20,000-synergy book made every rerun 3.5 MB)."""


def width_px(tonnes: pd.Series, *, min_px: float = 1.5, max_px: float = 12.0) -> pd.Series:
    """Line width (pixels) growing with the square root of tonnes, scaled to the largest.

    Examples
    --------
    >>> width_px(pd.Series([0.0, 25.0, 100.0])).round(2).tolist()
    [1.5, 6.75, 12.0]
    """
    t = pd.to_numeric(tonnes, errors="coerce").fillna(0.0).clip(lower=0)
    top = float(np.sqrt(t.max())) if len(t) and t.max() > 0 else 1.0
    return min_px + (max_px - min_px) * np.sqrt(t) / top


def _numbers(values: pd.Series, *, digits: int = 0) -> list[str]:
    """Figures of a tooltip as this session's language writes them ("—" where missing)."""
    return [format_number(None if pd.isna(v) else float(v), digits=digits) for v in values]


def add_synergy_network(m: folium.Map, edges: gpd.GeoDataFrame, *,
                        name: str | None = None) -> tuple[folium.GeoJson | None, int]:
    """Lines between sites (or parks) in one GeoJson layer; returns the layer and lines drawn.

    Rows without a geometry (an unlocated site) or marked ``suppressed`` (confidentiality)
    are not drawn, and of the rest the :data:`MAX_NETWORK_LINES` largest by tonnes; the page
    says how many. ``name`` is the layer's name in the layer control
    (default "Synergy network" in the session's language).
    """
    drawable = edges[edges.geometry.notna() & ~edges.geometry.is_empty]
    if "suppressed" in drawable.columns:
        drawable = drawable[~drawable["suppressed"].astype(bool)]
    if drawable.empty:
        return None, 0
    width = width_px(drawable["tonnes_per_year"])  # scaled to the largest of all links
    if len(drawable) > MAX_NETWORK_LINES:
        drawable = drawable.loc[pd.to_numeric(drawable["tonnes_per_year"], errors="coerce")
                                .fillna(0.0).nlargest(MAX_NETWORK_LINES).index]
    data = drawable.assign(width=width.loc[drawable.index].round(1),
                           colour=[STAGE_COLOURS.get(s, "#555") for s in drawable["stage"]],
                           tonnes=_numbers(drawable["tonnes_per_year"], digits=1),
                           count=_numbers(drawable["synergies"]),
                           stage_shown=[stage_label(s) for s in drawable["stage"]],
                           route=drawable["from_name"].fillna(drawable["from"]).astype(str)
                           + " → " + drawable["to_name"].fillna(drawable["to"]).astype(str))
    cols = ["route", "count", "tonnes", "stage_shown", "codes", "colour", "width"]
    layer = GeoJson(
        frame_to_geojson(data, columns=cols, decimals=5),
        name=name or _("Synergy network"),
        fixed_style={"opacity": 0.85}, style_from={"color": "colour", "weight": "width"},
        tooltip=folium.GeoJsonTooltip(fields=cols[:5],
                                      aliases=[_("Flow"), _("Synergies"), _("t/yr"),
                                               _("Stage"), _("Codes")]),
    )
    layer.add_to(m)
    return layer, len(drawable)


def add_match_lines(m: folium.Map, matches: pd.DataFrame, sites: gpd.GeoDataFrame, *,
                    name: str | None = None) -> int:
    """Straight lines from each match's have site to its want site (one GeoJson layer),
    coloured by basis, with both ends drawn as site markers. Returns the lines drawn.

    The lines only show who is matched with whom; the distance in the table is the haul
    distance (by road where a network exists). ``name`` defaults to "Proposed matches" in
    the session's language.
    """
    pts = sites.drop_duplicates("site_id").set_index("site_id").geometry
    a = pts.reindex(matches["have_site_id"]).to_numpy()
    b = pts.reindex(matches["want_site_id"]).to_numpy()
    ok = ~(shapely.is_missing(a) | shapely.is_missing(b) | shapely.is_empty(a)
           | shapely.is_empty(b))
    if not ok.any():
        return 0
    coords = np.stack([shapely.get_coordinates(a[ok]), shapely.get_coordinates(b[ok])], axis=1)
    shown = matches.loc[ok, ["rank", "have_site", "want_site", "basis", "score",
                             "distance_km"]].reset_index(drop=True)
    lines = gpd.GeoDataFrame(
        shown.assign(basis_shown=[_(BASIS_LABELS[b]) if b in BASIS_LABELS else str(b)
                                  for b in shown["basis"]],
                     score_shown=_numbers(shown["score"], digits=3),
                     km=_numbers(shown["distance_km"], digits=1)),
        geometry=shapely.linestrings(coords), crs=4326)
    cols = ["rank", "have_site", "want_site", "basis_shown", "score_shown", "km", "basis"]
    GeoJson(
        frame_to_geojson(lines, columns=cols), name=name or _("Proposed matches"),
        style_function=lambda f: {"color": BASIS_COLOURS.get(f["properties"]["basis"], "#555"),
                                  "weight": 3, "opacity": 0.8, "dashArray": "6 4"},
        tooltip=folium.GeoJsonTooltip(fields=cols[:6],
                                      aliases=[_("Rank"), _("From"), _("To"), _("Basis"),
                                               _("Score"), _("km")]),
    ).add_to(m)
    ends = sites[sites["site_id"].isin(matches["want_site_id"]) |
                 sites["site_id"].isin(matches["have_site_id"])]
    add_sites(m, ends, name=_("Matched sites"), radius=6)
    return int(ok.sum())


def network_graph_figure(edges: pd.DataFrame, layout: pd.DataFrame, *,
                         height: int = 520) -> go.Figure:
    """The synergy network as a graph: nodes placed by ``layout`` (see
    :func:`geo.synergies.reports.graph_layout`), edges as lines of width by tonnes."""
    fig = go.Figure()
    pos = layout.set_index("node")
    shown = edges
    if "suppressed" in shown.columns:
        shown = shown[~shown["suppressed"].astype(bool)]
    widths = width_px(shown["tonnes_per_year"], max_px=10.0)
    for row, w in zip(shown.itertuples(index=False), widths, strict=True):
        a, b = row[0], row[1]
        if a not in pos.index or b not in pos.index:
            continue
        fig.add_trace(go.Scatter(
            x=[pos.at[a, "x"], pos.at[b, "x"]], y=[pos.at[a, "y"], pos.at[b, "y"]],
            mode="lines", line={"width": float(w), "color": STAGE_COLOURS.get(row.stage, "#555")},
            hoverinfo="text", showlegend=False,
            # Translators: a synergy link between two sites or parks in the network graph.
            text=escape_text(_("{origin} → {destination}: {tonnes} ({stage})").format(
                origin=row.from_name, destination=row.to_name,
                tonnes=format_tonnes(row.tonnes_per_year, digits=0, per_year=True),
                stage=stage_label(row.stage)))))
    size = 8 + 20 * np.sqrt(layout["tonnes_out"] + layout["tonnes_in"]) / max(
        1.0, float(np.sqrt((layout["tonnes_out"] + layout["tonnes_in"]).max() or 1.0)))
    fig.add_trace(go.Scatter(
        x=layout["x"], y=layout["y"], mode="markers+text", showlegend=False,
        marker={"size": size, "color": "#1f6f8b", "line": {"width": 1, "color": "#fff"}},
        text=[escape_text(n) for n in layout["name"]], textposition="top center",
        hovertext=[escape_text(_("{name}: gives {given}, receives {received}").format(
                       name=n, given=format_tonnes(o, digits=0, per_year=True),
                       received=format_tonnes(i, digits=0, per_year=True)))
                   for n, o, i in zip(layout["name"], layout["tonnes_out"], layout["tonnes_in"],
                                      strict=True)],
        hoverinfo="text"))
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"visible": False}, yaxis={"visible": False},
                      plot_bgcolor="white")
    return fig


def _sankey_colour(key: str, column: int) -> str:
    """Stages in their colours, current fates in red, the rest in the programme's blues
    (by the node's key: ``stage:<stage>``, ``fate:<fate>``, ``other:…``)."""
    kind, _sep, code = key.partition(":")
    if kind == "stage":
        return STAGE_COLOURS.get(code, "#74c476")
    if kind == "fate":
        return _FATE_COLOUR
    if kind == "other":
        return _OTHER_COLOUR
    return "#1f6f8b" if column == 0 else "#7fa7b5"


def sankey_figure(sankey: SankeyData, *, height: int = 560) -> go.Figure:
    """The Sankey of :func:`geo.synergies.reports.sankey_data` (t/yr): practitioners' All haves
    → stream → synergy stage or current fate, or viewers' All synergies → stage → stream.

    Nodes are coloured by their ``key`` and named by their ``label``; figures are written
    with the session's decimal and thousands separators."""
    colours = [_sankey_colour(str(key), int(col))
               for key, col in zip(sankey.nodes["key"], sankey.nodes["column"], strict=True)]
    n = sankey.nodes
    labels = [escape_text(lab) for lab in n["label"]]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        valueformat=",.0f", valuesuffix=" " + _("t/yr"),
        node={"label": labels, "color": colours, "pad": 12, "thickness": 14},
        link={"source": sankey.links["source"].tolist(),
              "target": sankey.links["target"].tolist(),
              "value": sankey.links["tonnes"].round(3).tolist(),
              "color": "rgba(120,120,120,0.25)"},
    ))
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      separators="".join(number_symbols()))
    return fig
