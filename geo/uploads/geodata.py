"""Reading uploaded geodata (GeoJSON, GeoPackage, zipped Shapefile) so that nothing outside
the upload can be reached (see :mod:`geo.uploads`)."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import UploadError
from geo.i18n import _, format_number, ngettext
from geo.uploads.checks import (
    GEODATA_KINDS,
    KIND_LABELS,
    SHAPEFILE_PARTS,
    UploadLimits,
    check_upload,
)

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["read_geodata"]

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def _gdal_sealed() -> Iterator[None]:
    """GDAL options that keep a read inside the one file we name (restored afterwards)."""
    import pyogrio

    sealed = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
              "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".symbiomap-none",
              "GDAL_HTTP_TIMEOUT": "1", "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
              "GDAL_SKIP": "VRT"}
    before = {k: pyogrio.get_gdal_config_option(k) for k in sealed}
    pyogrio.set_gdal_config_options(sealed)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


def _geojson(data: bytes, limits: UploadLimits) -> gpd.GeoDataFrame:
    import geopandas as gpd

    try:
        obj: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = _("The GeoJSON file cannot be read as UTF-8 JSON ({reason}); export it "
                "again.").format(reason=exc)
        raise UploadError(msg) from None
    features = obj.get("features") if obj.get("type") == "FeatureCollection" else [obj]
    if not isinstance(features, list):
        msg = _("The GeoJSON FeatureCollection has no list of features.")
        raise UploadError(msg)
    if len(features) > limits.max_features:
        msg = _("The file has {n} features; at most {limit} are read. Upload a smaller "
                "selection.").format(n=format_number(len(features)),
                                     limit=format_number(limits.max_features))
        raise UploadError(msg)
    crs_name = (((obj.get("crs") or {}).get("properties") or {}).get("name")
                if isinstance(obj.get("crs"), dict) else None)
    try:
        return gpd.GeoDataFrame.from_features(features, crs=crs_name or "EPSG:4326")
    except Exception as exc:  # shapely/pyproj raise several kinds on bad geometry or CRS
        msg = _("The GeoJSON features could not be read ({reason}).").format(
            reason=f"{type(exc).__name__}: {exc}")
        raise UploadError(msg) from None


def _check_gpkg(path: Path) -> None:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            objects = con.execute("SELECT type, name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError as exc:
        msg = _("The GeoPackage cannot be read ({reason}); export it again.").format(
            reason=exc)
        raise UploadError(msg) from None
    if ("table", "gpkg_contents") not in objects:
        msg = _("The file is an SQLite database but not a GeoPackage (no gpkg_contents "
                "table).")
        raise UploadError(msg)
    active = sorted(name for kind, name in objects if kind == "view")
    if active:
        # A view's SQL runs when the layer is read: only plain tables are accepted.
        msg = _("The GeoPackage holds SQL views ({views}); upload a GeoPackage whose layers are "
                "plain tables (export the layer again).").format(views=", ".join(active[:3]))
        raise UploadError(msg)


def _shapefile(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        shps = [i for i in zf.infolist() if i.filename.lower().endswith(".shp")]
        if len(shps) != 1:
            msg = ngettext("The archive holds {n} .shp file; upload one layer per archive (its "
                           ".shp, .shx, .dbf and .prj).",
                           "The archive holds {n} .shp files; upload one layer per archive (its "
                           ".shp, .shx, .dbf and .prj).", len(shps)).format(n=len(shps))
            raise UploadError(msg)
        stem = shps[0].filename[:-4].lower()
        for info in zf.infolist():
            low = info.filename.lower()
            ext = low[len(stem):] if low.startswith(stem) else ""
            if ext in SHAPEFILE_PARTS:
                (folder / f"upload{ext}").write_bytes(zf.read(info))
    for need in (".shx", ".dbf"):
        if not (folder / f"upload{need}").exists():
            msg = _("The zipped Shapefile has no {part} file beside its .shp; add it to the "
                    "zip.").format(part=need)
            raise UploadError(msg)
    return folder / "upload.shp"


def _degrees(value: float) -> str:
    return format_number(value, digits=0 if abs(value) >= 1000 else 2)


def _check_lon_lat(gdf: gpd.GeoDataFrame, name: str) -> None:
    """Refuse a layer read as lon/lat whose coordinates are not degrees (projected metres in
    a GeoJSON without ``crs``, or a wrong ``.prj``), instead of placing it off the map."""
    import numpy as np

    if gdf.crs is None or not gdf.crs.is_geographic:
        return
    bounds = np.asarray(gdf.total_bounds, dtype="float64")
    if np.isnan(bounds).all():  # no geometry has coordinates; nothing to check
        return
    xmin, ymin, xmax, ymax = bounds.tolist()
    if np.isfinite(bounds).all() and -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90:
        return
    msg = _("{name!r} is read as longitude/latitude ({crs}), but its coordinates reach x "
            "{xmin}…{xmax}, y {ymin}…{ymax}, beyond -180…180 and -90…90 degrees: it looks "
            "projected (in metres) without saying so (a GeoJSON without a \"crs\" member is read "
            "as EPSG:4326). Save it in EPSG:4326 (WGS84), or with its coordinate reference "
            "system (in GeoJSON, a \"crs\" member such as EPSG:3067), and upload it "
            "again.").format(name=name, crs=gdf.crs.to_string(), xmin=_degrees(xmin),
                             xmax=_degrees(xmax), ymin=_degrees(ymin), ymax=_degrees(ymax))
    raise UploadError(msg)


def read_geodata(data: bytes, *, name: str, limits: UploadLimits | None = None
                 ) -> gpd.GeoDataFrame:
    """Read an uploaded GeoJSON, GeoPackage or zipped Shapefile safely, in EPSG:4326.

    Raises
    ------
    UploadError
        When the file is refused (see :func:`check_upload`), has no CRS, no features, or too
        many; or when its coordinates are not degrees though its CRS (or a GeoJSON without
        ``crs``) says longitude/latitude, or cannot be converted to longitude/latitude.
    """
    limits = limits or UploadLimits()
    kind = check_upload(data, name=name, accept=GEODATA_KINDS, limits=limits)
    if kind == "geojson":
        gdf = _geojson(data, limits)
    else:
        import pyogrio

        with tempfile.TemporaryDirectory(prefix="symbiomap-upload-") as tmp:
            folder = Path(tmp)
            if kind == "gpkg":
                path = folder / "upload.gpkg"
                path.write_bytes(data)
                _check_gpkg(path)
            else:
                path = _shapefile(data, folder)
            try:
                with _gdal_sealed():
                    info = pyogrio.read_info(path)
                    if int(info.get("features") or 0) > limits.max_features:
                        msg = _("The layer has {n} features; at most {limit} are read.").format(
                            n=format_number(int(info["features"])),
                            limit=format_number(limits.max_features))
                        raise UploadError(msg)
                    gdf = pyogrio.read_dataframe(path)
            except UploadError:
                raise
            except Exception as exc:  # GDAL reports bad files with several exception types
                # Translators: {kind} is a kind of file, e.g. GeoPackage.
                msg = _("The file ({kind}) could not be read ({reason}).").format(
                    kind=_(KIND_LABELS[kind]), reason=f"{type(exc).__name__}: {exc}")
                raise UploadError(msg) from None
    if gdf.crs is None:
        msg = _("The layer has no coordinate reference system; save it with one (for example "
                "EPSG:4326) and upload it again.")
        raise UploadError(msg)
    if len(gdf) == 0:
        msg = _("The layer has no features.")
        raise UploadError(msg)
    shown = Path(str(name)).name
    _check_lon_lat(gdf, shown)
    out = gdf.to_crs(4326)
    bounds = out.total_bounds
    if any(b in (float("inf"), float("-inf")) for b in bounds.tolist()):
        msg = _("{name!r}: some coordinates cannot be converted from {crs} to longitude/"
                "latitude (they lie outside the area that coordinate reference system covers); "
                "check that the layer's CRS is the right one, save it again and upload "
                "it.").format(name=shown, crs=gdf.crs.to_string())
        raise UploadError(msg)
    logger.info("Read an uploaded %s: %d features", KIND_LABELS[kind], len(gdf))
    return out
