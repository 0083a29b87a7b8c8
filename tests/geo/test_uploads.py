"""Tests of geo.uploads: files are accepted by content, capped, and read without reaching out."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import Point

from geo.errors import UploadError
from geo.uploads import (
    GEODATA_KINDS,
    TABLE_KINDS,
    UploadLimits,
    check_upload,
    read_geodata,
    safe_member_name,
    sniff,
)

SECRET = "secret-company@example.org"


@pytest.fixture
def secret_db(tmp_path: Path) -> Path:
    """An SQLite file standing in for the programme database, holding a secret."""
    db = tmp_path / "symbiomap.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE contacts (email TEXT, x REAL, y REAL)")
        con.execute("INSERT INTO contacts VALUES (?, 26.9, 60.5)", (SECRET,))
    return db


def _points(n: int = 3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [f"p{i}" for i in range(n)]},
                            geometry=[Point(26.9 + i / 100, 60.5) for i in range(n)], crs=4326)


def _gpkg_bytes(tmp_path: Path, gdf: gpd.GeoDataFrame) -> bytes:
    path = tmp_path / "ok.gpkg"
    gdf.to_file(path, driver="GPKG")
    return path.read_bytes()


def _shapefile_zip(tmp_path: Path, gdf: gpd.GeoDataFrame, *, extra: dict[str, bytes] | None = None
                   ) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    gdf.to_file(folder / "plots.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in folder.iterdir():
            zf.write(f, f"parcels/{f.name}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_geojson_is_read_in_python_in_wgs84() -> None:
    """A GeoJSON FeatureCollection is read with its properties, in EPSG:4326."""
    data = _points().to_json().encode()
    gdf = read_geodata(data, name="sites.geojson")
    assert list(gdf["name"]) == ["p0", "p1", "p2"]
    assert gdf.crs.to_epsg() == 4326


def test_geopackage_and_zipped_shapefile_are_read(tmp_path: Path) -> None:
    """A GeoPackage and a zipped Shapefile (in a sub-folder of the zip) are read."""
    gdf = _points(4).to_crs(3067)
    assert len(read_geodata(_gpkg_bytes(tmp_path, gdf), name="parcels.gpkg")) == 4
    read = read_geodata(_shapefile_zip(tmp_path, gdf), name="parcels.zip")
    assert len(read) == 4 and read.crs.to_epsg() == 4326


def test_vrt_naming_the_database_is_refused_and_reads_nothing(secret_db: Path) -> None:
    """A GDAL virtual layer pointing at the database is refused before GDAL sees it."""
    vrt = (f'<OGRVRTDataSource><OGRVRTLayer name="c"><SrcDataSource>{secret_db}'
           '</SrcDataSource><SrcSQL>SELECT * FROM contacts</SrcSQL>'
           '<GeometryType>wkbPoint</GeometryType>'
           '<GeometryField encoding="PointFromColumns" x="x" y="y"/></OGRVRTLayer>'
           '</OGRVRTDataSource>').encode()
    for name in ("evil.vrt", "evil.geojson", "evil.gpkg", "evil.csv"):
        with pytest.raises(UploadError, match="not a kind of file") as err:
            read_geodata(vrt, name=name)
        assert SECRET not in str(err.value)


@pytest.mark.parametrize("path", ["/vsicurl/http://127.0.0.1:9/x.geojson",
                                  "/vsizip//vsicurl/http://x/a.zip/a.shp"])
def test_virtual_file_system_paths_are_refused_as_content(path: str) -> None:
    """A file whose content is a GDAL virtual path is not geodata."""
    with pytest.raises(UploadError):
        read_geodata(path.encode(), name="layer.geojson")


def test_zip_holding_a_vrt_or_a_nested_archive_is_refused(tmp_path: Path) -> None:
    """A zipped Shapefile may not carry a virtual layer or an archive inside it."""
    data = _shapefile_zip(tmp_path, _points(), extra={"inner.vrt": b"<OGRVRTDataSource/>"})
    with pytest.raises(UploadError, match="nested archives and virtual layers"):
        read_geodata(data, name="layer.zip")


@pytest.mark.parametrize("member", ["../../etc/passwd.shp", "/etc/passwd.shp"])
def test_zip_member_with_a_path_outside_is_refused(member: str) -> None:
    """Archive members with parent or absolute paths are refused (no path traversal)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, b"x")
    with pytest.raises(UploadError, match="absolute or parent path"):
        check_upload(buf.getvalue(), name="layer.zip", accept=GEODATA_KINDS)


def test_zip_bomb_is_refused_before_unpacking() -> None:
    """An archive whose members unpack far beyond the limit is refused by its directory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.shp", b"\0" * 20_000_000)
    limits = UploadLimits(max_uncompressed_bytes=5_000_000)
    with pytest.raises(UploadError, match="zip bomb"):
        check_upload(buf.getvalue(), name="a.zip", accept=GEODATA_KINDS, limits=limits)


def test_oversized_upload_is_refused_with_the_limit() -> None:
    """A file over the size limit is refused with both sizes in the message."""
    limits = UploadLimits(max_bytes=1000)
    with pytest.raises(UploadError, match=r"largest upload accepted is 0\.0 MB"):
        check_upload(b"a,b\n" * 1000, name="big.csv", accept=TABLE_KINDS, limits=limits)


def test_xlsx_with_entity_declarations_is_refused() -> None:
    """A workbook whose XML declares entities (billion laughs) is refused unopened."""
    wb = openpyxl.Workbook()
    wb.active.append(["site", "ewc_code"])
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                doctype = b'<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
                data = (data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml")
                        else doctype + data)
            zf.writestr(info, data)
    assert check_upload(raw.getvalue(), name="ok.xlsx", accept=TABLE_KINDS) == "xlsx"
    with pytest.raises(UploadError, match="declares XML entities"):
        check_upload(out.getvalue(), name="members.xlsx", accept=TABLE_KINDS)


@pytest.mark.parametrize(("data", "name"), [
    (b"site,ewc_code\nA,150102\n", "members.xlsx"),
    (b'{"type": "FeatureCollection", "features": []}', "members.csv"),
])
def test_extension_that_lies_about_the_content_is_refused(data: bytes, name: str) -> None:
    """A file whose extension and content disagree is refused, naming both."""
    with pytest.raises(UploadError, match="its name says"):
        check_upload(data, name=name, accept=(*TABLE_KINDS, *GEODATA_KINDS))


def test_geodata_without_crs_is_refused(tmp_path: Path) -> None:
    """A layer with no CRS is refused with how to fix it."""
    gdf = _points().set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="crs"):
        data = _gpkg_bytes(tmp_path, gdf)
    with pytest.raises(UploadError, match="no coordinate reference system"):
        read_geodata(data, name="nocrs.gpkg")


def test_sqlite_database_that_is_not_a_geopackage_is_refused(secret_db: Path) -> None:
    """An SQLite file (the programme database, say) is not accepted as a GeoPackage."""
    with pytest.raises(UploadError):
        read_geodata(secret_db.read_bytes(), name="data.gpkg")


def test_osm_pbf_is_recognised_by_its_header() -> None:
    """The pyrosm test extract is recognised as an OSM PBF from its first blob header."""
    import pyrosm

    data = Path(pyrosm.get_data("test_pbf")).read_bytes()
    assert sniff(data) == "osm_pbf"
    assert sniff(data[:3]) is None


def test_safe_member_name_keeps_only_plain_relative_names() -> None:
    """Member names are reduced to a base name; traversal and drive paths give None."""
    assert safe_member_name("a/b/c.dbf") == "c.dbf"
    assert safe_member_name("C:/x.shp") is None
    assert safe_member_name("a\\..\\x.shp") is None


def test_geojson_feature_limit() -> None:
    """More features than the limit are refused, not truncated."""
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                            "coordinates": [0, 0]}}] * 5})
    with pytest.raises(UploadError, match="at most 2"):
        read_geodata(data.encode(), name="x.geojson", limits=UploadLimits(max_features=2))


def test_geopackage_with_a_view_is_refused(tmp_path: Path) -> None:
    """A GeoPackage whose SQL views would run on reading is refused."""
    path = tmp_path / "v.gpkg"
    _points().to_file(path, driver="GPKG")
    with sqlite3.connect(path) as con:
        con.execute("CREATE VIEW leak AS SELECT sqlite_version() AS v")
    with pytest.raises(UploadError, match="SQL views"):
        read_geodata(path.read_bytes(), name="v.gpkg")


UNICODE_TEXT = ("Company\tCountry\tHave/Want\tEWC code\tQuantity\tUnit\n"
                "Ääkkönen Öljy Oy\tFI\thave\t130205*\t5\tt/yr\n"
                "上海华谊化工有限公司\tCN\t供\t070101\t12.5\tt/yr\n")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("name", ["members.csv", "members.txt"])
def test_unicode_text_with_a_bom_is_a_table(encoding: str, name: str) -> None:
    """Excel's "Unicode Text" (UTF-16 with a BOM) and UTF-32 with a BOM pass the content
    check as CSV, and the importer reads them to the same table as UTF-8."""
    from geo.importer import read_table

    data = ("\ufeff" + UNICODE_TEXT).encode(encoding)
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff"
    assert check_upload(data, name=name, accept=TABLE_KINDS) == "csv"
    frame = read_table(io.BytesIO(data), filename=name)
    expected = read_table(io.BytesIO(UNICODE_TEXT.encode()), filename=name)
    assert frame.equals(expected) and len(frame) == 2


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + b"\x00\x00" * 200,  # UTF-16 BOM over NUL characters
    b"\xff\xfe" + "<html><body>x</body></html>".encode("utf-16-le"),
    b"\xff\xfe" + '{"type": "FeatureCollection"}'.encode("utf-16-le"),
])
def test_unicode_text_that_is_not_a_table_is_still_refused(data: bytes) -> None:
    """A BOM does not make binary, markup or JSON content a table."""
    with pytest.raises(UploadError, match="not a kind of file SymbioMap reads"):
        check_upload(data, name="members.csv", accept=TABLE_KINDS)


def _geojson_point(x: float, y: float, crs: str | None = None) -> bytes:
    obj: dict[str, object] = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Plant A"},
         "geometry": {"type": "Point", "coordinates": [x, y]}}]}
    if crs:
        obj["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(obj).encode()


@pytest.mark.parametrize(("x", "y"), [(497000, 6712000), (26.9, 6712000), (200.0, 60.5),
                                      (26.9, -90.5)])
def test_geojson_in_metres_without_crs_is_refused(x: float, y: float) -> None:
    """A GeoJSON without a crs member whose coordinates are not degrees (projected metres)
    is refused, saying it looks projected and how to fix it, not read as lon/lat."""
    with pytest.raises(UploadError, match="projected") as err:
        read_geodata(_geojson_point(x, y), name="plants.geojson")
    assert "'plants.geojson'" in str(err.value) and "EPSG:4326" in str(err.value)


def test_geojson_with_its_crs_is_reprojected() -> None:
    """A GeoJSON in EPSG:3067 that says so is reprojected to lon/lat (Kotka, Finland)."""
    gdf = read_geodata(_geojson_point(497000, 6712000, "urn:ogc:def:crs:EPSG::3067"),
                       name="plants.geojson")
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].x == pytest.approx(26.9453, abs=1e-3)
    assert gdf.geometry.iloc[0].y == pytest.approx(60.5440, abs=1e-3)


def test_geopackage_declaring_degrees_over_metres_is_refused(tmp_path: Path) -> None:
    """A GeoPackage whose CRS says lon/lat but whose coordinates are metres is refused."""
    wrong = _points().to_crs(3067).set_crs(4326, allow_override=True)
    with pytest.raises(UploadError, match="projected"):
        read_geodata(_gpkg_bytes(tmp_path, wrong), name="plants.gpkg")


def test_coordinates_outside_the_crs_area_are_refused() -> None:
    """Coordinates that cannot be converted to lon/lat (infinite after reprojection) are
    refused rather than returned as inf."""
    with pytest.raises(UploadError, match="cannot be converted"):
        read_geodata(_geojson_point(1e12, 1e12, "urn:ogc:def:crs:EPSG::3067"),
                     name="plants.geojson")


def test_a_road_network_upload_is_checked_then_kept_whole(tmp_path: Path) -> None:
    """The sidebar's .osm.pbf passes the upload checks before it is written: a CSV named
    .osm.pbf leaves the previous network in place; a real extract replaces it."""
    import pyrosm

    from geo.errors import UploadError
    from geo.uploads import store_osm_extract

    target = tmp_path / "networks" / "abc.osm.pbf"
    with pytest.raises(UploadError, match="recognised as CSV"):
        store_osm_extract(b"a,b\n1,2\n", name="roads.osm.pbf", path=target)
    assert not target.exists()
    data = Path(pyrosm.get_data("test_pbf")).read_bytes()
    assert store_osm_extract(data, name="karhula.osm.pbf", path=target) == target
    assert target.read_bytes() == data and not target.with_suffix(".part").exists()
    with pytest.raises(UploadError):
        store_osm_extract(b"\x89PNG\r\n\x1a\n" + b"0" * 64, name="x.osm.pbf", path=target)
    assert target.read_bytes() == data  # the previous network stays
