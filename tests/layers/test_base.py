"""Tests of the offline base map and shared layers."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from branca.element import Element, Figure
from shapely.geometry import Point

from geo.demo import demo_region
from geo.programme import Programme
from geo.settings import Settings
from layers.base import (
    Attribution,
    GeoJson,
    add_parks,
    add_sites,
    base_map,
    escape_text,
    install_static_assets,
    map_figure,
)


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


def test_site_layer_caps_features_and_counts_them(demo_programme: Programme) -> None:
    """With a cap of 10 only 10 points are sent, and the count says so."""
    m = base_map(bounds=demo_programme.sites.total_bounds)
    _, n = add_sites(m, demo_programme.sites, max_features=10)
    assert n == 10
    assert m.get_root().render().count('"type": "Point"') == 10


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
