"""Raster surfaces out: GeoTIFF, coloured PNG with a world file, and the web-map image.

- :func:`surface_to_geotiff_bytes`: the figures themselves (float32, NaN = hidden/no data) in
  the surface's metric CRS, with units and method as GeoTIFF tags — for QGIS/ArcGIS.
- :func:`surface_to_png_zip_bytes`: the coloured picture as PNG + world file (``.pgw``) +
  projection (``.prj``) + legend (``.csv``), which any GIS places without GeoTIFF support.
- :func:`display_image`: the picture warped to Web Mercator and encoded as a small palette
  PNG for a Leaflet ``ImageOverlay`` (the only thing sent to the browser for a heat map).
- ``classed_*``: the same three for a viewer's :class:`~geo.concentrations.classes.ClassedSurface`
  — class numbers (uint8 with a colour table) and class limits, never figures.

Colours come from one sequential ramp (:data:`RAMP`, ColorBrewer YlOrRd) on a square-root
scale by default, because tonnages are heavy-tailed; the legend gives the figure at each step.
"""

from __future__ import annotations

import base64
import io
import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import pandas as pd
import pyproj
from PIL import Image

from geo.concentrations.classes import ClassedSurface
from geo.concentrations.density import Surface
from geo.errors import SymbiosisError
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    from affine import Affine

    from geo.concentrations.grid import Grid

__all__ = [
    "RAMP",
    "ColourScale",
    "DisplayImage",
    "class_colours",
    "classed_display_image",
    "classed_surface_to_geotiff_bytes",
    "classed_surface_to_png_zip_bytes",
    "colour_scale",
    "colourise",
    "display_image",
    "encode_png",
    "polygons_image",
    "ramp_colour",
    "surface_rgba",
    "surface_to_geotiff_bytes",
    "surface_to_png_zip_bytes",
    "world_file_text",
    "write_surface_files",
]

RAMP: Final = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
               "#bd0026", "#800026")
"""ColorBrewer YlOrRd (9 classes), light = little, dark = much."""
LEVELS: Final = 64
Scale = Literal["linear", "sqrt", "log"]


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


@dataclass(frozen=True)
class ColourScale:
    """How figures map to colours: ``vmax`` at the darkest colour, ``scale`` in between.

    Attributes
    ----------
    vmax : float
        Figure at the top of the ramp (the largest shown).
    scale : str
        ``"linear"``, ``"sqrt"`` or ``"log"`` (log spans ``vmax/1000 … vmax``).
    floor_fraction : float
        Figures below ``floor_fraction · vmax`` are left transparent.
    units : str
    """

    vmax: float
    scale: Scale = "sqrt"
    floor_fraction: float = 0.02
    units: str = ""

    def __post_init__(self) -> None:
        if self.scale not in ("linear", "sqrt", "log"):
            msg = _("scale must be 'linear', 'sqrt' or 'log', got {value}.").format(
                value=repr(self.scale))
            raise SymbiosisError(msg)

    def position(self, values: np.ndarray) -> np.ndarray:
        """Position 0…1 on the ramp of each figure (NaN stays NaN)."""
        v = np.asarray(values, dtype=float)
        if self.vmax <= 0:
            return np.where(np.isnan(v), np.nan, 0.0)
        r = np.clip(v / self.vmax, 0.0, 1.0)
        if self.scale == "sqrt":
            return np.sqrt(r)
        if self.scale == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.clip(1 + np.log10(np.maximum(r, 1e-3)) / 3, 0.0, 1.0)
        return r

    def value_at(self, position: float) -> float:
        """The figure at a ramp position (inverse of :meth:`position`)."""
        p = min(max(float(position), 0.0), 1.0)
        if self.scale == "sqrt":
            return self.vmax * p * p
        if self.scale == "log":
            return self.vmax * 10 ** (3 * (p - 1))
        return self.vmax * p

    def legend(self, steps: int = 5) -> list[tuple[str, float]]:
        """(colour, figure) pairs from the bottom to the top of the ramp."""
        out = []
        for i in range(steps):
            p = i / (steps - 1)
            out.append((ramp_colour(p), self.value_at(p)))
        return out


def ramp_colour(position: float) -> str:
    """Hex colour of the ramp at a position 0…1."""
    rgb = _ramp_rgb(np.array([position]))[0]
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb))


def _ramp_rgb(position: np.ndarray) -> np.ndarray:
    stops = np.array([_hex_rgb(c) for c in RAMP], dtype=float)
    xs = np.linspace(0.0, 1.0, len(RAMP))
    p = np.clip(np.nan_to_num(position), 0.0, 1.0)
    return np.stack([np.interp(p, xs, stops[:, i]) for i in range(3)], axis=-1)


def colour_scale(surface: Surface, *, scale: Scale = "sqrt") -> ColourScale:
    """The scale of a surface: its largest *shown* figure at the top of the ramp.

    Hidden cells (NaN) never set the legend extremes, so a suppressed figure cannot be
    read off the legend.
    """
    _vmin, vmax = surface.value_range()
    return ColourScale(vmax=vmax, scale=scale, units=surface.units)


def colourise(values: np.ndarray, cs: ColourScale, *, opacity: float = 0.8
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Palette image of figures: (index array uint8, palette RGB (LEVELS×3), alpha (LEVELS)).

    Index 0 is transparent (hidden, NaN, or below the floor); 1…LEVELS-1 run up the ramp.
    """
    pos = cs.position(values)
    floor = cs.position(np.array([cs.floor_fraction * cs.vmax]))[0]
    shown = np.isfinite(pos) & (pos > floor) & (np.nan_to_num(values) > 0)
    idx = np.zeros(np.shape(values), dtype=np.uint8)
    idx[shown] = 1 + np.minimum((pos[shown] * (LEVELS - 1)).astype(int), LEVELS - 2)
    palette = np.zeros((LEVELS, 3), dtype=np.uint8)
    palette[1:] = _ramp_rgb(np.linspace(0.0, 1.0, LEVELS - 1)).round().astype(np.uint8)
    alpha = np.full(LEVELS, round(255 * opacity), dtype=np.uint8)
    alpha[0] = 0
    return idx, palette, alpha


def encode_png(index: np.ndarray, palette: np.ndarray, alpha: np.ndarray) -> bytes:
    """A compact palette PNG (with per-entry transparency) of an index image."""
    img = Image.fromarray(np.ascontiguousarray(index, dtype=np.uint8), mode="P")
    img.putpalette(np.asarray(palette, dtype=np.uint8).reshape(-1).tolist())
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=3,
             transparency=bytes(np.asarray(alpha).tolist()))
    return buf.getvalue()


def _rio_crs(crs: pyproj.CRS) -> object:
    import rasterio.crs

    return rasterio.crs.CRS.from_wkt(pyproj.CRS(crs).to_wkt())


@dataclass(frozen=True, eq=False)
class DisplayImage:
    """The web-map picture of a surface (Web Mercator PNG) and where it goes.

    Attributes
    ----------
    png : bytes
        Palette PNG.
    bounds : tuple
        ((south, west), (north, east)) in degrees, as Leaflet wants them.
    scale : ColourScale
        For the legend.
    legend_items : tuple of (colour, label)
        A classed surface's legend, top class first (empty: use :attr:`scale`).
    """

    png: bytes
    bounds: tuple[tuple[float, float], tuple[float, float]]
    scale: ColourScale
    legend_items: tuple[tuple[str, str], ...] = ()

    def data_url(self) -> str:
        """``data:image/png;base64,…`` for an ``ImageOverlay`` (no file served)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _warp_to_mercator(values: np.ndarray, grid: Grid, *, max_px: int, categorical: bool
                      ) -> tuple[np.ndarray, Affine]:
    """``values`` (NaN = nothing) warped to EPSG:3857, at most ``max_px`` across."""
    from affine import Affine
    from rasterio.warp import Resampling, reproject

    g = grid
    src = np.asarray(values, dtype=np.float32)
    dst_crs = _rio_crs(pyproj.CRS.from_epsg(3857))
    to_merc = pyproj.Transformer.from_crs(g.crs, 3857, always_xy=True)
    left, bottom, right, top = to_merc.transform_bounds(*g.bounds_m, densify_pts=21)
    res = max((right - left) / g.nx, (top - bottom) / g.ny)
    res *= max(1.0, max(right - left, top - bottom) / res / max_px)
    width = max(1, math.ceil((right - left) / res))
    height = max(1, math.ceil((top - bottom) / res))
    transform = Affine(res, 0.0, left, 0.0, -res, top)
    dst = np.full((height, width), np.nan, dtype=np.float32)
    shrunk = width * height * 2 < g.nx * g.ny
    # the surface is smooth at its own cell size: nearest is enough unless shrunk
    resampling = (Resampling.mode if categorical else Resampling.average) if shrunk \
        else Resampling.nearest
    reproject(src, dst, src_transform=g.transform, src_crs=_rio_crs(g.crs),
              dst_transform=transform, dst_crs=dst_crs, src_nodata=np.nan, dst_nodata=np.nan,
              resampling=resampling)
    return dst, transform


def _leaflet_bounds(transform: Affine, shape: tuple[int, ...]
                    ) -> tuple[tuple[float, float], tuple[float, float]]:
    x0, y1 = transform.c, transform.f
    x1, y0 = x0 + transform.a * shape[1], y1 + transform.e * shape[0]
    to_deg = pyproj.Transformer.from_crs(3857, 4326, always_xy=True)
    (w_, e_), (s_, n_) = to_deg.transform([x0, x1], [y0, y1])
    return ((float(s_), float(w_)), (float(n_), float(e_)))


def display_image(surface: Surface | ClassedSurface, *, scale: Scale = "sqrt",
                  max_px: int = 800, opacity: float = 0.7) -> DisplayImage:
    """Warp a surface to Web Mercator (at most ``max_px`` across) and encode it as a PNG.

    Leaflet stretches an image overlay linearly in Web Mercator, so the picture is warped to
    EPSG:3857 first; its corners are then exact in degrees. A classed surface is drawn by
    :func:`classed_display_image`.
    """
    if isinstance(surface, ClassedSurface):
        return classed_display_image(surface, max_px=max_px, opacity=opacity)
    dst, transform = _warp_to_mercator(surface.values, surface.grid, max_px=max_px,
                                       categorical=False)
    cs = colour_scale(surface, scale=scale)
    png = encode_png(*colourise(dst, cs, opacity=opacity))
    return DisplayImage(png=png, bounds=_leaflet_bounds(transform, dst.shape), scale=cs)


def class_colours(n_classes: int) -> list[str]:
    """Colours of classes 1 … ``n_classes`` along the ramp, light to dark."""
    return [ramp_colour(i / max(n_classes - 1, 1)) for i in range(n_classes)]


def _class_palette(n_classes: int, opacity: float) -> tuple[np.ndarray, np.ndarray]:
    palette = np.zeros((n_classes + 1, 3), dtype=np.uint8)
    for i, colour in enumerate(class_colours(n_classes), start=1):
        palette[i] = _hex_rgb(colour)
    alpha = np.full(n_classes + 1, round(255 * opacity), dtype=np.uint8)
    alpha[0] = 0
    return palette, alpha


def classed_display_image(surface: ClassedSurface, *, max_px: int = 800,
                          opacity: float = 0.7) -> DisplayImage:
    """The web-map picture of a classed surface: one colour per class, class 0 transparent."""
    values = np.where(surface.classes > 0, surface.classes, np.nan)
    dst, transform = _warp_to_mercator(values, surface.grid, max_px=max_px, categorical=True)
    index = np.nan_to_num(dst, nan=0.0).round().astype(np.uint8)
    png = encode_png(index, *_class_palette(surface.n_classes, opacity))
    top = surface.breaks[-1] if surface.breaks else 0.0
    items = tuple(zip(class_colours(surface.n_classes), surface.class_labels(), strict=True))
    return DisplayImage(png=png, bounds=_leaflet_bounds(transform, dst.shape),
                        scale=ColourScale(vmax=top, units=surface.units),
                        legend_items=items[::-1])


def polygons_image(polygons: gpd.GeoSeries, colours: Sequence[str], *, max_px: int = 1600,
                   opacity: float = 0.8) -> DisplayImage:
    """Polygons filled with their ``colours`` as one Web Mercator picture for a map.

    For layers of so many cells (hexagons) that sending each as a vector feature would
    make every rerun megabytes: the picture is at most ``max_px`` across, each pixel the
    colour of the polygon covering its centre (transparent elsewhere), a palette PNG of a
    few tens of kilobytes. At most 255 distinct colours.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoSeries([box(26.90, 60.50, 26.91, 60.51), box(26.92, 60.50, 26.93, 60.51)],
    ...                       crs=4326)
    >>> image = polygons_image(cells, ["#ff0000", "#0000ff"], max_px=60)
    >>> image.png[:4], [round(v, 2) for v in (*image.bounds[0], *image.bounds[1])]
    (b'\x89PNG', [60.5, 26.9, 60.51, 26.93])
    """
    from affine import Affine
    from rasterio.features import rasterize

    codes, uniques = pd.factorize(pd.Series(list(colours), dtype=object))
    if len(uniques) > 255:
        msg = f"A picture of polygons takes at most 255 colours, not {len(uniques)}."
        raise ValueError(msg)
    merc = polygons.to_crs(3857) if polygons.crs is not None else polygons.set_crs(3857)
    left, bottom, right, top = (float(v) for v in merc.total_bounds)
    res = max(right - left, top - bottom, 1.0) / max_px
    width, height = max(1, math.ceil((right - left) / res)), max(1, math.ceil((top - bottom) / res))
    transform = Affine(res, 0.0, left, 0.0, -res, top)
    index = rasterize(zip(merc.values, (codes + 1).tolist(), strict=True),
                      out_shape=(height, width), transform=transform, fill=0, dtype="uint8")
    palette = np.zeros((len(uniques) + 1, 3), dtype=np.uint8)
    for i, colour in enumerate(uniques, start=1):
        palette[i] = _hex_rgb(str(colour))
    alpha = np.full(len(uniques) + 1, round(255 * opacity), dtype=np.uint8)
    alpha[0] = 0
    return DisplayImage(png=encode_png(index, palette, alpha),
                        bounds=_leaflet_bounds(transform, index.shape),
                        scale=ColourScale(vmax=0.0))


def surface_rgba(surface: Surface | ClassedSurface, *, scale: Scale = "sqrt",
                 opacity: float = 1.0) -> np.ndarray:
    """The coloured surface on its own grid as RGBA (ny, nx, 4) uint8, transparent where
    nothing is drawn: the ramp of :func:`colourise` for figures, one colour per class for a
    classed surface (its classes only, never figures)."""
    if isinstance(surface, ClassedSurface):
        index = np.asarray(surface.classes, dtype=np.uint8)
        palette, alpha = _class_palette(surface.n_classes, opacity)
    else:
        index, palette, alpha = colourise(surface.values, colour_scale(surface, scale=scale),
                                          opacity=opacity)
    return np.concatenate([palette[index], alpha[index][..., None]], axis=-1)


def surface_to_geotiff_bytes(surface: Surface | ClassedSurface) -> bytes:
    """The surface's figures as a float32 GeoTIFF (metric CRS, NaN = no data / hidden).

    A classed surface gives its classes (:func:`classed_surface_to_geotiff_bytes`).
    """
    if isinstance(surface, ClassedSurface):
        return classed_surface_to_geotiff_bytes(surface)
    from rasterio.io import MemoryFile

    g = surface.grid
    profile = {"driver": "GTiff", "width": g.nx, "height": g.ny, "count": 1,
               "dtype": "float32", "crs": _rio_crs(g.crs), "transform": g.transform,
               "nodata": float("nan"), "compress": "deflate"}
    with MemoryFile() as mem:
        with mem.open(**profile) as dst:
            dst.write(np.asarray(surface.values, dtype=np.float32), 1)
            dst.update_tags(units=surface.units, label=surface.label, method=surface.method,
                            distance_m=f"{surface.distance_m:g}",
                            total_tonnes=f"{surface.total_tonnes:.6g}",
                            hidden_cells=str(surface.hidden_cells))
            dst.set_band_description(1, f"{surface.label} ({surface.units})")
        return bytes(mem.read())


def world_file_text(surface: Surface | ClassedSurface) -> str:
    """ESRI world file (six lines) placing the PNG's pixel centres in the metric CRS."""
    t = surface.transform
    return "\n".join(f"{v:.10f}" for v in (t.a, t.d, t.b, t.e, t.c + t.a / 2,
                                           t.f + t.e / 2)) + "\n"


def surface_to_png_zip_bytes(surface: Surface | ClassedSurface, *, stem: str = "heat",
                             scale: Scale = "sqrt") -> bytes:
    """ZIP of ``stem.png`` (coloured), ``stem.pgw`` (world file), ``stem.prj`` (WKT) and
    ``stem_legend.csv`` (colour → figure in the surface's units); for a classed surface
    :func:`classed_surface_to_png_zip_bytes`."""
    if isinstance(surface, ClassedSurface):
        return classed_surface_to_png_zip_bytes(surface, stem=stem)
    cs = colour_scale(surface, scale=scale)
    png = encode_png(*colourise(surface.values, cs, opacity=1.0))
    legend = "colour,value,units\n" + "".join(
        f"{c},{v:.6g},{surface.units}\n" for c, v in cs.legend(9))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.png", png)
        z.writestr(f"{stem}.pgw", world_file_text(surface))
        z.writestr(f"{stem}.prj", pyproj.CRS(surface.crs).to_wkt(version="WKT1_ESRI"))
        z.writestr(f"{stem}_legend.csv", legend)
        z.writestr(f"{stem}_about.json", json.dumps({
            "label": surface.label, "units": surface.units, "method": surface.method,
            "crs": pyproj.CRS(surface.crs).to_string(), "scale": scale}, indent=1))
    return buf.getvalue()


def write_surface_files(surface: Surface | ClassedSurface, out_dir: str | Path, *,
                        stem: str) -> list[Path]:
    """Write ``stem.tif`` and ``stem.png`` + ``.pgw`` + ``.prj`` + legend into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tif = out / f"{stem}.tif"
    tif.write_bytes(surface_to_geotiff_bytes(surface))
    written = [tif]
    with zipfile.ZipFile(io.BytesIO(surface_to_png_zip_bytes(surface, stem=stem))) as z:
        for name in z.namelist():
            path = out / name
            path.write_bytes(z.read(name))
            written.append(path)
    return written


def classed_surface_to_geotiff_bytes(surface: ClassedSurface) -> bytes:
    """A classed surface as a uint8 GeoTIFF of class numbers (0 = nothing) with a colour table.

    Its tags say what the classes are and carry only figures a viewer may see (the selection's
    total only when every figure in it is released).
    """
    from rasterio.io import MemoryFile

    g = surface.grid
    profile = {"driver": "GTiff", "width": g.nx, "height": g.ny, "count": 1,
               "dtype": "uint8", "crs": _rio_crs(g.crs), "transform": g.transform,
               "nodata": 0, "compress": "deflate"}
    palette, _alpha = _class_palette(surface.n_classes, 1.0)
    with MemoryFile() as mem:
        with mem.open(**profile) as dst:
            dst.write(np.asarray(surface.classes, dtype=np.uint8), 1)
            dst.update_tags(**surface.tags())
            dst.set_band_description(1, f"{surface.label}: class (see the classes tag)")
            dst.write_colormap(1, {i: (*map(int, palette[i]), 255 if i else 0)
                                   for i in range(surface.n_classes + 1)})
        return bytes(mem.read())


def classed_surface_to_png_zip_bytes(surface: ClassedSurface, *, stem: str = "heat") -> bytes:
    """ZIP of ``stem.png`` (one colour per class), world file, ``.prj``, the class legend
    (``stem_legend.csv``: class, colour, from, to, units) and ``stem_about.json`` (the tags)."""
    png = encode_png(surface.classes, *_class_palette(surface.n_classes, 1.0))
    b = surface.breaks
    legend = "class,colour,from,to,units\n" + "".join(
        f"{i},{c},{b[i - 1]:.6g},{b[i]:.6g},{surface.units}\n"
        for i, c in enumerate(class_colours(surface.n_classes), start=1))
    about = {**surface.tags(), "crs": pyproj.CRS(surface.grid.crs).to_string()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.png", png)
        z.writestr(f"{stem}.pgw", world_file_text(surface))
        z.writestr(f"{stem}.prj", pyproj.CRS(surface.grid.crs).to_wkt(version="WKT1_ESRI"))
        z.writestr(f"{stem}_legend.csv", legend)
        z.writestr(f"{stem}_about.json", json.dumps(about, indent=1))
    return buf.getvalue()

