"""Tests of the concentration map layers (layers.concentration): rendered HTML, no CDN."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geo.catalogue import load_catalogue
from geo.concentrations import viewer as cv
from geo.concentrations.hotspots import hot_spots_from_hexagons
from geo.concentrations.raster import display_image
from geo.concentrations.selection import (
    ConcentrationQuery,
    clusters_for_selection,
    heat_for_selection,
    hexagons_for_selection,
    park_totals,
    select_resources,
)
from geo.disclosure import build_release
from layers.base import base_map
from layers.concentration import (
    add_clusters,
    add_heat,
    add_hexagons,
    add_hot_spots,
    add_park_totals,
    add_released_hexagons,
    add_resource_points,
    add_selection_points,
    add_table_layer,
)

XSS = "<img src=x onerror=alert(1)>"


def _html(m) -> str:
    return str(m.get_root().render())


def _no_remote_scripts(html: str) -> None:
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("/app/static/") for s in srcs), srcs
    assert "cdn" not in " ".join(srcs).lower() and "https://" not in " ".join(srcs)


@pytest.fixture(scope="module")
def selection(demo_programme):
    """All the demo's haves."""
    return select_resources(demo_programme, ConcentrationQuery())


@pytest.fixture(scope="module")
def release(demo_programme):
    """The demo's protected release (what viewers' layers are drawn from)."""
    return build_release(demo_programme, catalogue=load_catalogue())


def _map(sel) -> object:
    return base_map(bounds=sel.located.total_bounds)


def test_heat_is_one_image_overlay_with_a_legend(selection) -> None:
    """The heat layer is one PNG data-URL overlay whose legend top is the surface maximum."""
    surf = heat_for_selection(selection, bandwidth_m=200)
    m = _map(selection)
    add_heat(m, display_image(surf))
    html = _html(m)
    assert html.count("L.imageOverlay(") == 1
    assert "data:image/png;base64," in html
    assert f"{np.nanmax(surf.values):,.0f}" in html
    assert "t/yr per km" in html  # the legend title (² is JSON-escaped)
    _no_remote_scripts(html)


def test_practitioner_hexagons_show_every_cell(selection) -> None:
    """A practitioner's hexagon layer draws every occupied cell with its tonnes."""
    raw = hexagons_for_selection(selection, resolution=10)
    m = _map(selection)
    add_hexagons(m, raw, k=3)
    html = _html(m)
    assert html.count('"fill":') == len(raw)
    _no_remote_scripts(html)


def test_released_hexagons_carry_released_figures_only(release, selection) -> None:
    """A viewer's hexagon layer draws only released cells; no withheld figure is in the HTML."""
    cells = cv.viewer_cells(release, cv.release_query(release, direction="have"), level="middle")
    assert len(cells) > 0
    m = _map(selection)
    add_released_hexagons(m, cells)
    html = _html(m)
    assert html.count('"fill":') == len(cells)
    nodes = release.trees["have"].nodes
    withheld = nodes.loc[(nodes["depth"] >= 3) & ~nodes["published"], "tonnes"]
    shown = {f"{t:,.0f} t/yr" for t in cells["tonnes"]}
    assert not [t for t in withheld if f"{t:,.0f} t/yr" not in shown
                and f'"{t:,.0f} t/yr"' in html]
    assert "Tonnes (released)" in html
    # counts read as counts: "figures": "3", never "3.0"
    assert not re.search(r'"(figures|producers)":\s*"\d+\.0"', html)
    assert re.search(r'"figures":\s*"\d+"', html)
    _no_remote_scripts(html)


def test_hot_spot_layer_draws_only_significant_cells(selection) -> None:
    """Not-significant cells are left out of the layer; the count drawn is returned."""
    hot = hot_spots_from_hexagons(hexagons_for_selection(selection, resolution=9))
    m = _map(selection)
    _, drawn = add_hot_spots(m, hot)
    assert drawn == int((hot["gi_bin"] != 0).sum())
    assert _html(m).count('"fill":') == drawn


def test_cluster_names_are_escaped(selection) -> None:
    """A cluster named after a park called <img …> shows that text, not markup."""
    cl = clusters_for_selection(selection, eps_m=300, min_tonnes=500)
    assert len(cl) > 0
    cl.loc[0, "name"] = XSS
    m = _map(selection)
    add_clusters(m, cl)
    html = _html(m)
    assert "<img src=x" not in html
    assert html.count("circleMarker") >= 1 or "CircleMarker" in html


def test_practitioner_park_shading_shows_every_park(demo_programme, selection) -> None:
    """Practitioners see every park's tonnes and producers in the tooltips."""
    totals = park_totals(demo_programme, select_resources(
        demo_programme, ConcentrationQuery(selectors=("plastics",))))
    m = _map(selection)
    add_park_totals(m, totals)
    html = _html(m)
    assert "Producers" in html and "withheld" not in html


def test_viewer_park_shading_keeps_haves_and_wants_apart(release, selection) -> None:
    """A viewer's parks: haves and wants apart, each with whether it is complete; parks with
    nothing released are grey and say 'withheld'."""
    parks = cv.viewer_parks(release, cv.release_query(release, direction="both"))
    m = _map(selection)
    add_park_totals(m, parks)
    html = _html(m)
    assert "Haves complete" in html and "Wants complete" in html
    assert '"Tonnes"' not in html  # no sum of haves and wants in the tooltip
    if parks.loc[parks.geometry.notna(), "tonnes"].isna().any():
        assert "#b0b0b0" in html and "withheld" in html


def test_classed_heat_legend_lists_classes(release, selection) -> None:
    """A viewer's heat image has one legend row per class, with its limits."""
    surf = cv.viewer_heat(release, cv.release_query(release, direction="have"),
                          bandwidth_m=500.0)
    m = _map(selection)
    add_heat(m, display_image(surf), note=surf.units)
    html = _html(m)
    assert html.count("L.imageOverlay(") == 1
    for label in surf.class_labels():
        assert json.dumps(label.split(" ")[0])[1:-1] in html


def test_table_layer_picks_the_layer_of_each_view(release, selection) -> None:
    """Hexagons, hot spots, clusters and parks of a viewer each draw one kind of layer."""
    q = cv.release_query(release, direction="have")
    tables = {"Hexagons": cv.viewer_cells(release, q, level="middle"),
              "Hot spots": cv.viewer_hot_spots(release, q),
              "Clusters": cv.viewer_clusters(release, q, eps_m=3000, min_tonnes=10),
              "Parks": cv.viewer_parks(release, q)}
    for view, table in tables.items():
        m = _map(selection)
        add_table_layer(m, view, table, note="From released figures.")
        assert "L.geoJson(" in _html(m), view
    m = _map(selection)
    add_table_layer(m, "Clusters", tables["Clusters"])
    html = _html(m)
    assert "Released hexagons" in html and "By chapter" not in html


def test_few_points_are_raw_and_many_are_aggregated() -> None:
    """Up to the cap points go raw; above it at most `max_points` aggregated circles are sent."""
    rng = np.random.default_rng(0)
    n = 5000
    gdf = gpd.GeoDataFrame({
        "site_id": [f"S{i}" for i in range(n)], "site_name": [XSS] * n,
        "description": ["x"] * n, "tonnes_per_year": rng.lognormal(2, 1, n)},
        geometry=[Point(x, y) for x, y in zip(rng.normal(26.95, 0.05, n),
                                              rng.normal(60.5, 0.03, n), strict=True)],
        crs=4326)
    m = base_map(bounds=gdf.total_bounds)
    _, drawn, aggregated = add_resource_points(m, gdf.head(100))
    assert (drawn, aggregated) == (100, False)
    m2 = base_map(bounds=gdf.total_bounds)
    _, drawn2, aggregated2 = add_resource_points(m2, gdf, max_points=2000)
    assert aggregated2 and drawn2 <= 2000
    assert "<img src=x" not in _html(m) and XSS not in _html(m2)


def test_selection_points_use_prepared_cells_above_the_cap(selection) -> None:
    """A selection above the cap is aggregated from its pre-indexed cells, tonnes conserved."""
    m = _map(selection)
    _, drawn, aggregated = add_selection_points(m, selection, max_points=10)
    assert aggregated and drawn <= 10
    m2 = _map(selection)
    _, drawn2, aggregated2 = add_selection_points(m2, selection)
    assert (drawn2, aggregated2) == (selection.n_used, False)


def test_hot_spot_and_cluster_layers_speak_the_session_language(selection) -> None:
    """In the pseudo-locale the legend, tooltip labels, class labels, layer names and cluster
    names are translated, while park names stay as recorded."""
    from geo.i18n import use_locale

    hot = hot_spots_from_hexagons(hexagons_for_selection(selection, resolution=9))
    clusters = clusters_for_selection(selection, eps_m=500, min_tonnes=1.0)
    with use_locale("qps_PLOC"):
        m = _map(selection)
        add_hot_spots(m, hot)
        add_clusters(m, clusters)
        html = _html(m)
    def shown(text: str) -> bool:
        return text in html or json.dumps(text)[1:-1] in html

    assert shown("⟦Hõt spõts (Gî*, FDR)⟧")
    assert shown("⟦Hõt spõt - 99% çõñfîdéñçé⟧")
    assert "Hot spots (Gi*, FDR)" not in html and "Not significant" not in html
    assert shown("⟦Çlüstér 1⟧") or shown("⟦Çlüstér 1 · ")
    assert '"Cluster 1' not in html


def test_many_hexagons_are_sent_as_one_picture(selection, monkeypatch) -> None:
    """Above the cap a hexagon layer (practitioner's, viewer's or hot spots) is one image
    overlay, not a shape per cell, with a legend that says so; below it, shapes."""
    import layers.concentration as lc

    raw = hexagons_for_selection(selection, resolution=10)
    hot = hot_spots_from_hexagons(raw).assign(gi_bin=1)  # every cell (and its ring) drawn
    monkeypatch.setattr(lc, "MAX_CELL_FEATURES", len(raw) - 1)
    for add, n in ((lambda m: add_hexagons(m, raw, k=3), len(raw)),
                   (lambda m: add_hot_spots(m, hot), len(hot))):
        m = _map(selection)
        add(m)
        html = _html(m)
        assert html.count("L.imageOverlay(") == 1 and '"fill":' not in html
        assert f"{n} hexagons, drawn as a picture" in html
    monkeypatch.setattr(lc, "MAX_CELL_FEATURES", len(raw))
    m = _map(selection)
    add_hexagons(m, raw, k=3)
    assert "L.imageOverlay(" not in _html(m)


def test_picture_of_hexagons_colours_each_cell_where_it_lies() -> None:
    """Each pixel of the picture takes the colour of the hexagon at that place: sampled at
    hexagon centres (through the overlay's own bounds in Web Mercator), the colours match."""
    import io

    import h3
    import pyproj
    from PIL import Image
    from shapely.geometry import Polygon

    from geo.concentrations.raster import polygons_image

    cells = sorted(h3.grid_disk(h3.latlng_to_cell(60.5, 26.9, 7), 6))
    polys = [Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in cells]
    colours = ["#ff0000" if i % 3 == 0 else "#0000ff" if i % 3 == 1 else "#00ff00"
               for i in range(len(cells))]
    image = polygons_image(gpd.GeoSeries(polys, crs=4326), colours, max_px=600, opacity=1.0)
    img = Image.open(io.BytesIO(image.png)).convert("RGBA")
    (s, w), (n, e) = image.bounds
    to_m = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = to_m.transform([w, e], [s, n])
    for cell, colour in zip(cells, colours, strict=True):
        lat, lng = h3.cell_to_latlng(cell)
        x, y = to_m.transform(lng, lat)
        px = int((x - x0) / (x1 - x0) * img.width)
        py = int((y1 - y) / (y1 - y0) * img.height)
        r, g, b, a = img.getpixel((px, py))
        assert a == 255 and f"#{r:02x}{g:02x}{b:02x}" == colour
    assert img.getpixel((0, 0))[3] == 0  # outside every hexagon: transparent


def test_long_descriptions_are_cut_in_point_tooltips() -> None:
    """A record's free text reaches the map tooltip cut to TOOLTIP_CHARS with an ellipsis
    (and still escaped), so a long description cannot bloat every rerun's map."""
    from layers.concentration import TOOLTIP_CHARS

    text = "<b>" + "Spent pickling acid " * 20
    gdf = gpd.GeoDataFrame({"site_name": ["S1"], "description": [text], "site_id": ["s1"],
                            "tonnes_per_year": [12.0]},
                           geometry=[Point(26.94, 60.52)], crs=4326)
    m = base_map(bounds=(26.93, 60.51, 26.95, 60.53))
    layer, drawn, aggregated = add_resource_points(m, gdf)
    shown = layer.data["features"][0]["properties"]["description"]
    assert drawn == 1 and not aggregated
    assert shown.startswith("&lt;b&gt;Spent pickling acid") and shown.endswith("…")
    assert len(shown.replace("&lt;", "<").replace("&gt;", ">")) <= TOOLTIP_CHARS
