"""Tests of the offline base map and shared layers."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from branca.element import Element, Figure
from shapely.geometry import LineString, Point, Polygon

from geo.demo import demo_region
from geo.programme import Programme
from geo.settings import Settings
from layers.base import Attribution, add_parks, add_sites, base_map, map_figure
from layers.basemap import basemap_geojson, install_static_assets, write_basemap
from layers.geojson import GeoJson, escape_text, frame_to_geojson


def _scripts(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)


def test_map_loads_no_script_or_style_from_the_internet(demo_programme: Programme) -> None:
    """Every script and stylesheet of the map is a local /app/static path."""
    region = demo_region()
    m = base_map(bounds=demo_programme.sites.total_bounds, roads=region.roads,
                 landuse=region.landuse)
    add_parks(m, demo_programme.parks)
    add_sites(m, demo_programme.sites)
    html = m.get_root().render()
    urls = _scripts(html)
    assert urls, "the map must load Leaflet"
    assert all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert "cdn" not in " ".join(urls).lower()


def test_vector_base_map_draws_roads_and_landuse(demo_programme: Programme) -> None:
    """Without a tile server the map carries the region's roads and land use, and no tiles."""
    region = demo_region()
    m = base_map(bounds=demo_programme.sites.total_bounds, roads=region.roads,
                 landuse=region.landuse)
    html = m.get_root().render()
    assert "tileLayer" not in html
    assert html.count('"highway"') >= len(region.roads)
    assert "OpenStreetMap contributors" in html


def test_tile_url_setting_switches_to_tiles(tmp_path: Path) -> None:
    """A tile URL in settings is used as the base layer (users in China set their own)."""
    s = Settings(data_dir=tmp_path, tile_url="https://tiles.example.cn/{z}/{x}/{y}.png")
    html = base_map(bounds=(26.9, 60.5, 27.0, 60.6), settings=s).get_root().render()
    assert "tiles.example.cn" in html


def test_site_names_are_text_not_markup() -> None:
    """A company called <img src=x onerror=alert(1)> is escaped in the map's data."""
    sites = gpd.GeoDataFrame({"name": ["<img src=x onerror=alert(1)>"], "sector_nace": ["1"]},
                             geometry=[Point(26.95, 60.53)], crs=4326)
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    _, n = add_sites(m, sites)
    html = m.get_root().render()
    assert n == 1
    assert "<img src=x" not in html
    # JSON escapes "&" as \u0026: the text arrives as "&lt;img …&gt;", shown literally.
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in html


def test_many_sites_are_counted_per_hexagon_not_sent_one_by_one(
        demo_programme: Programme) -> None:
    """Above the cap (10 here) the 69 demo sites arrive as at most 10 hexagon circles labelled
    with their counts, which add up to 69; no site's name is sent; the count says 69 shown."""
    m = base_map(bounds=demo_programme.sites.total_bounds)
    layer, n = add_sites(m, demo_programme.sites, max_features=10)
    features = layer.data["features"]
    assert n == 69 and 1 <= len(features) <= 10
    assert sum(int(f["properties"]["sites"].split()[0]) for f in features) == 69
    html = m.get_root().render()
    assert not [s for s in demo_programme.sites["name"] if s in html]


def test_few_sites_are_drawn_one_by_one(demo_programme: Programme) -> None:
    """Under the cap every located site is a point with its name."""
    m = base_map(bounds=demo_programme.sites.total_bounds)
    _, n = add_sites(m, demo_programme.sites)
    html = m.get_root().render()
    assert n == 69 and html.count('"type":"Point"') == 69
    assert demo_programme.sites["name"].iloc[0] in html


def test_escape_text_handles_missing() -> None:
    """None and NaN become empty text."""
    assert escape_text(None) == "" and escape_text(float("nan")) == ""


def test_static_assets_are_copied_from_packages(tmp_path: Path) -> None:
    """Leaflet's JS and CSS and jQuery are installed into the static folder."""
    vendor = install_static_assets(tmp_path)
    assert (vendor / "leaflet" / "leaflet.js").stat().st_size > 100_000
    assert (vendor / "leaflet" / "leaflet.css").exists()
    assert (vendor / "jquery" / "jquery.min.js").exists()


def test_empty_layers_render() -> None:
    """A programme with no parks or located sites still renders a map (no tooltip error)."""
    empty = gpd.GeoDataFrame({"name": []}, geometry=[], crs=4326)
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    add_parks(m, empty)
    _, n = add_sites(m, empty)
    assert n == 0
    assert "leaflet" in m.get_root().render()


def test_empty_layer_with_tooltip_renders() -> None:
    """A filter matching nothing gives an empty layer, not folium's 'field not available' error."""
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    GeoJson({"type": "FeatureCollection", "features": []},
            tooltip=folium.GeoJsonTooltip(fields=["label"])).add_to(m)
    assert "leaflet" in m.get_root().render()


def test_attribution_is_added_as_text() -> None:
    """An attribution line reaches the map's attribution control as a JSON string, not markup."""
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    Attribution("Towns: GeoNames <CC BY 4.0>").add_to(m)
    html = m.get_root().render()
    assert ".attributionControl.addAttribution(\"Towns: GeoNames \\u003cCC BY 4.0\\u003e\")" in html


def test_map_figure_is_the_page_of_the_map() -> None:
    """A map's figure is the branca page it renders in; a map outside a figure is refused."""
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    assert isinstance(map_figure(m), Figure) and map_figure(m) is m.get_root()
    elsewhere = folium.Map(tiles=None)
    Element().add_child(elsewhere)  # re-parented under a plain element: no page to draw on
    with pytest.raises(TypeError, match="not drawn in a branca Figure"):
        map_figure(elsewhere)


def _tiny_region() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    roads = gpd.GeoDataFrame(
        {"highway": ["primary", "residential"], "name": ["Main St", "Back Lane"]},
        geometry=[LineString([(26.9, 60.5), (26.95, 60.52)]),
                  LineString([(26.91, 60.51), (26.912344, 60.512346)])], crs=4326)
    landuse = gpd.GeoDataFrame(
        {"landuse": ["industrial"]},
        geometry=[Polygon([(26.9, 60.5), (26.92, 60.5), (26.92, 60.51)])], crs=4326)
    return roads, landuse


def test_basemap_file_holds_land_use_then_roads_and_nothing_else() -> None:
    """One feature per polygon and line, land use first; only the styling property is kept
    (no road names) and coordinates are rounded to 5 decimals (26.912344 → 26.91234)."""
    roads, landuse = _tiny_region()
    data = json.loads(basemap_geojson(roads=roads, landuse=landuse))
    features = data["features"]
    assert [f["properties"] for f in features] == [
        {"landuse": "industrial"}, {"highway": "primary"}, {"highway": "residential"}]
    assert features[2]["geometry"]["coordinates"][1] == [26.91234, 60.51235]
    assert b"Main St" not in basemap_geojson(roads=roads, landuse=landuse)


def test_basemap_file_is_named_by_its_content_and_written_once(tmp_path: Path) -> None:
    """The file name is the SHA-256 of its bytes; a second call keeps the file; another region
    gets another name; no roads and no land use give no file."""
    roads, landuse = _tiny_region()
    name = write_basemap(tmp_path, roads=roads, landuse=landuse)
    data = basemap_geojson(roads=roads, landuse=landuse)
    assert name == f"basemaps/{hashlib.sha256(data).hexdigest()[:20]}.geojson"
    path = tmp_path / name
    assert path.read_bytes() == data
    stamp = path.stat().st_mtime_ns
    assert write_basemap(tmp_path, roads=roads, landuse=landuse) == name
    assert path.stat().st_mtime_ns == stamp
    other = write_basemap(tmp_path, roads=roads.iloc[:1])
    assert other is not None and other != name
    assert write_basemap(tmp_path) is None
    assert write_basemap(tmp_path, roads=roads.iloc[:0]) is None
    assert not list((tmp_path / "basemaps").glob("*.part"))


def test_map_with_a_basemap_url_fetches_it_instead_of_carrying_the_roads(
        demo_programme: Programme) -> None:
    """With ``basemap_url`` the map's HTML has no road or land-use feature, only a fetch of that
    URL drawn in a pane beneath the overlays, and is far smaller than the inlined map."""
    region = demo_region()
    bounds = demo_programme.sites.total_bounds
    inline = base_map(bounds=bounds, roads=region.roads, landuse=region.landuse)
    url = "/app/static/basemaps/0123456789abcdef0123.geojson"
    linked = base_map(bounds=bounds, roads=region.roads, landuse=region.landuse,
                      basemap_url=url)
    html = linked.get_root().render()
    assert '"highway"' not in html and '"landuse"' not in html
    assert f'fetch("{url}", {{cache: "force-cache"}})' in html
    assert 'createPane("symbiomapBasemap")' in html and "pane.style.zIndex = 250" in html
    assert "OpenStreetMap contributors" in html
    assert len(html) * 4 < len(inline.get_root().render())


def test_static_and_inline_base_maps_style_alike() -> None:
    """The fetched base map's JavaScript carries the inline layers' colours and weights."""
    html = base_map(bounds=(26.9, 60.5, 27.0, 60.6),
                    basemap_url="/app/static/basemaps/x.geojson").get_root().render()
    assert '"industrial": "#e6d3e8"' in html and '"motorway": 4.0' in html


def _circle_park(lon: float, lat: float, name: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [name], "park_id": [name]},
                            geometry=[Point(lon, lat).buffer(0.004, quad_segs=16)], crs=4326)


def _park_vertices(layer: folium.GeoJson) -> int:
    """Coordinate pairs of the outline of the first park a parks layer sends."""
    return len(layer.data["features"][0]["geometry"]["coordinates"][0])


def test_parks_are_simplified_to_the_map_scale() -> None:
    """A 65-vertex park outline keeps every vertex on a district map (1 m tolerance) and
    loses most of them on a country-wide map, where the park is a pixel or two."""
    park = _circle_park(-4.0, 56.0, "P1")
    district = add_parks(base_map(bounds=(-4.01, 55.995, -3.99, 56.005)), park)
    country = add_parks(base_map(bounds=(-7.0, 54.8, -1.5, 58.6)), park)
    assert _park_vertices(district) == 65
    assert _park_vertices(country) < 20


def test_parks_far_outside_the_view_are_not_sent() -> None:
    """On a map of one site, a park 50 km away is not sent; one beside the site is."""
    parks = pd.concat([_circle_park(-4.0, 56.0, "Near park"),
                       _circle_park(-3.2, 56.0, "Far park")])
    m = base_map(bounds=(-4.01, 55.995, -3.99, 56.005))
    add_parks(m, parks)
    html = m.get_root().render()
    assert "Near park" in html and "Far park" not in html


def test_geojson_of_a_frame_equals_geopandas_own() -> None:
    """Escaped text, numbers, booleans, NaN as null, points, polygons and multipolygons, and
    rows without geometry left out: the same features as geopandas' to_json (rounded)."""
    from shapely.geometry import MultiPolygon

    square = Polygon([(26.9, 60.5), (26.95, 60.5), (26.95, 60.55), (26.9, 60.5)])
    gdf = gpd.GeoDataFrame(
        {"name": ["<i>x</i>", None, "c", "d"], "n": [1, 2, 3, 4],
         "t": [1.5, float("nan"), 2.25, 0.0], "ok": [True, False, True, True]},
        geometry=[Point(26.9123456, 60.5), square, MultiPolygon([square]), None], crs=4326)
    ours = frame_to_geojson(gdf, columns=["name", "n", "t", "ok"], decimals=5)
    ref = gdf[gdf.geometry.notna()].copy()
    ref["name"] = ref["name"].map(escape_text)
    ref["geometry"] = ref.geometry.set_precision(1e-5, mode="pointwise")
    assert ours == json.loads(ref.to_json(na="null", drop_id=True))
    assert ours["features"][1]["properties"] == {"name": "", "n": 2, "t": None, "ok": False}


def test_layer_styles_send_pixel_sizes_to_a_tenth() -> None:
    """Radii computed to 15 digits reach the browser as 7.3 px, so features of about the same
    size share one style instead of one each; other style values are kept as given."""
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"r": r}, "geometry": {
            "type": "Point", "coordinates": [26.9, 60.5]}} for r in (7.3452, 7.2987, 9.0)]}
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    GeoJson(data, marker=folium.CircleMarker(radius=5),
            style_function=lambda f: {"radius": f["properties"]["r"], "fillOpacity": 0.8512}
            ).add_to(m)
    styler = m.get_root().render().split("switch(feature.id)")[1].split("}\n")[0]
    assert 'case "0": case "1":' in styler
    assert '{"fillOpacity": 0.8512, "radius": 7.3}' in styler and '"radius": 9.0' in styler


def test_property_style_is_read_in_the_browser_not_sent_per_feature() -> None:
    """A style that reads a property is written once (no ``switch`` over feature ids, no ids
    added to the features), with the fixed part, and the features are compact JSON."""
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"fill": c, "r": r}, "geometry": {
            "type": "Point", "coordinates": [26.9, 60.5]}}
        for c, r in (("#ff0000", 3.0), ("#00ff00", 7.5), ("#0000ff", 9.0))]}
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    layer = GeoJson(data, marker=folium.CircleMarker(radius=5),
                    fixed_style={"weight": 0.5}, style_from={"fillColor": "fill", "radius": "r"})
    layer.add_to(m)
    script = m.get_root().render()
    styler = script.split(f"function {layer.get_name()}_styler(feature)")[1].split("}\n")[0]
    assert "case " not in styler
    assert ('{"weight":0.5,"fillColor":feature.properties["fill"],'
            '"radius":feature.properties["r"]}') in styler
    assert f"{layer.get_name()}_pointToLayer" in script  # markers take the style too
    assert '"id"' not in script.split(f"{layer.get_name()}_add(")[-1]
    assert ('{"type":"Feature","properties":{"fill":"#00ff00","r":7.5},'
            '"geometry":{"type":"Point","coordinates":[26.9,60.5]}}') in script


def test_compact_features_cannot_close_the_script() -> None:
    """A name holding ``</script>`` reaches the page escaped, like jinja's tojson escapes it."""
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "</script><script>alert(1)</script>"},
         "geometry": {"type": "Point", "coordinates": [26.9, 60.5]}}]}
    m = base_map(bounds=(26.9, 60.5, 27.0, 60.6))
    GeoJson(data, fixed_style={"color": "#000"}).add_to(m)
    html = m.get_root().render()
    assert "alert(1)" in html and "</script><script>alert" not in html


def test_property_style_refuses_a_style_function_too() -> None:
    with pytest.raises(TypeError, match="style_function"):
        GeoJson({"type": "FeatureCollection", "features": []}, fixed_style={"weight": 1},
                style_function=lambda f: {})


def test_parks_view_draws_each_outline_once() -> None:
    """On the Parks view the shaded parks replace the plain outlines (sent once, simplified);
    on the other views the outlines are drawn under the view's layers."""
    from layers.concentration import add_view_layers

    park = _circle_park(-4.0, 56.0, "P1")
    totals = park.assign(tonnes=[120.0], producers=[4])
    country = (-7.0, 54.8, -1.5, 58.6)
    m = base_map(bounds=country)
    add_view_layers(m, "Parks", parks=park, table=totals)
    shaded = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(shaded) == 1
    assert len(shaded[0].data["features"][0]["geometry"]["coordinates"][0]) < 20
    m = base_map(bounds=country)
    add_view_layers(m, "Hexagons", parks=park)
    assert len([c for c in m._children.values() if isinstance(c, folium.GeoJson)]) == 1
