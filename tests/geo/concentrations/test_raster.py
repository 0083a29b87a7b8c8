"""Tests of raster exports: GeoTIFF, PNG + world file, web-map image (geo.concentrations.raster)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pyproj
import pytest
from rasterio.io import MemoryFile

from geo.concentrations.classes import classed_surface
from geo.concentrations.density import KDEParams, kde_surface
from geo.concentrations.raster import (
    ColourScale,
    display_image,
    surface_to_geotiff_bytes,
    surface_to_png_zip_bytes,
    write_surface_files,
)

UTM35 = pyproj.CRS.from_epsg(32635)


@pytest.fixture
def surface():
    """A heat surface of three records near Kotka (UTM 35N)."""
    return kde_surface(np.array([500_000.0, 501_000.0, 503_000.0]),
                       np.array([6_710_000.0, 6_710_500.0, 6_709_000.0]),
                       np.array([100.0, 50.0, 10.0]), crs=UTM35,
                       params=KDEParams(bandwidth_m=600))


def test_geotiff_round_trips_values_crs_and_units(surface) -> None:
    """The GeoTIFF holds the same figures, CRS, transform and units as the surface."""
    with MemoryFile(surface_to_geotiff_bytes(surface)) as mem, mem.open() as src:
        np.testing.assert_allclose(src.read(1), surface.values, rtol=1e-6)
        assert src.crs.to_epsg() == 32635
        assert src.transform == surface.transform
        assert src.tags()["units"] == "t/yr per km²"


def test_png_zip_has_world_file_placing_the_first_pixel(surface) -> None:
    """The world file's last two lines are the centre of the top-left pixel in metres."""
    with zipfile.ZipFile(io.BytesIO(surface_to_png_zip_bytes(surface, stem="heat"))) as z:
        assert {"heat.png", "heat.pgw", "heat.prj", "heat_legend.csv"} <= set(z.namelist())
        lines = [float(v) for v in z.read("heat.pgw").decode().split()]
        assert z.read("heat.png")[:8] == b"\x89PNG\r\n\x1a\n"
    g = surface.grid
    assert lines[0] == pytest.approx(g.cell_m) and lines[3] == pytest.approx(-g.cell_m)
    assert lines[4] == pytest.approx(g.x0 + g.cell_m / 2)
    assert lines[5] == pytest.approx(g.y1 - g.cell_m / 2)


def test_display_image_is_small_and_placed_in_degrees(surface) -> None:
    """The overlay PNG is compact and its bounds enclose the records in lat/lon."""
    img = display_image(surface)
    (s, w), (n, e) = img.bounds
    assert s < 60.5 < n and w < 27.0 < e  # 500 km E in UTM 35N is the 27°E meridian
    assert len(img.png) < 50_000
    assert img.data_url().startswith("data:image/png;base64,")
    assert img.scale.vmax == pytest.approx(float(np.nanmax(surface.values)))


def test_hidden_cells_never_set_the_legend_maximum(surface) -> None:
    """Masking the peak (a hidden cell) lowers the legend's top to the largest shown figure."""
    vals = surface.values.copy()
    vals[vals == vals.max()] = np.nan
    from dataclasses import replace

    masked = replace(surface, values=vals)
    assert display_image(masked).scale.vmax == pytest.approx(float(np.nanmax(vals)))


def test_colour_scale_inverts() -> None:
    """value_at(position(v)) gives v back on each scale."""
    for scale in ("linear", "sqrt", "log"):
        cs = ColourScale(vmax=1000.0, scale=scale)
        assert cs.value_at(float(cs.position(np.array([250.0]))[0])) == pytest.approx(250.0)


def test_write_surface_files(tmp_path, surface) -> None:
    """The CLI writer creates the GeoTIFF, PNG, world file and projection."""
    names = {p.name for p in write_surface_files(surface, tmp_path, stem="heat")}
    assert {"heat.tif", "heat.png", "heat.pgw", "heat.prj"} <= names


def test_classed_geotiff_holds_class_numbers_and_their_description(surface) -> None:
    """A classed surface's GeoTIFF is uint8 classes with a colour table; its tags describe them."""
    classed = classed_surface(surface, total_tonnes=None, unplaced_tonnes=0.0)
    with MemoryFile(surface_to_geotiff_bytes(classed)) as mem, mem.open() as src:
        band = src.read(1)
        tags = src.tags()
        assert src.dtypes[0] == "uint8" and src.colormap(1)[1][:3] != (0, 0, 0)
    np.testing.assert_array_equal(band, classed.classes)
    assert set(np.unique(band)) <= set(range(classed.n_classes + 1))
    assert "class numbers" in tags["values"] and "total_tonnes" not in tags


def test_classed_png_zip_has_a_class_legend(surface) -> None:
    """The PNG set of a classed surface has one legend row per class, with its limits."""
    classed = classed_surface(surface, total_tonnes=160.0, unplaced_tonnes=0.0)
    with zipfile.ZipFile(io.BytesIO(surface_to_png_zip_bytes(classed, stem="heat"))) as z:
        legend = z.read("heat_legend.csv").decode().splitlines()
        assert {"heat.png", "heat.pgw", "heat.prj", "heat_about.json"} <= set(z.namelist())
    assert legend[0] == "class,colour,from,to,units" and len(legend) == classed.n_classes + 1


def test_classed_display_image_lists_its_classes(surface) -> None:
    """The web-map picture of a classed surface carries its class legend, top class first."""
    classed = classed_surface(surface, total_tonnes=None, unplaced_tonnes=0.0)
    img = display_image(classed)
    assert [label for _, label in img.legend_items] == classed.class_labels()[::-1]
    assert img.png[:8] == b"\x89PNG\r\n\x1a\n"
