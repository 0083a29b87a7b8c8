"""The one reader for files users upload: content checked before any parser sees it.

Every uploader of the app and every file the CLI reads on a user's behalf passes through here.
A file is accepted by its **content**, not its name: :func:`sniff` recognises GeoJSON, a
GeoPackage, a zipped Shapefile, CSV, an Excel workbook (XLSX) and an OpenStreetMap PBF extract
from their first bytes and structure; a name whose extension says otherwise is refused
(:func:`check_upload`). Sizes are capped before and after decompression, zip members are
checked (count, names, compression ratio, no nested archives), XML inside a workbook may not
declare entities, and geodata is opened so that nothing outside the upload can be reached:

- GeoJSON is parsed in Python (:func:`json.loads` + shapely), GDAL never sees it;
- a GeoPackage or Shapefile is written under a name of ours in a fresh temporary folder and
  opened by that path alone, so GDAL's virtual formats (``VRT``), virtual file systems
  (``/vsicurl/``, ``/vsizip/`` chains) and sibling files cannot be named by the upload;
- remote and external access are switched off in GDAL for the read.

Examples
--------
>>> sniff(b'{"type": "FeatureCollection", "features": []}')
'geojson'
>>> sniff(b'<OGRVRTDataSource><OGRVRTLayer name="x"/></OGRVRTDataSource>') is None
True
"""

from __future__ import annotations

from geo.uploads.checks import (
    GEODATA_KINDS,
    KIND_LABELS,
    OSM_KINDS,
    TABLE_KINDS,
    Kind,
    UploadLimits,
    check_upload,
    describe_content,
    discard_upload,
    safe_member_name,
    save_upload,
    sniff,
    store_osm_extract,
)
from geo.uploads.geodata import read_geodata

__all__ = [
    "GEODATA_KINDS",
    "KIND_LABELS",
    "OSM_KINDS",
    "TABLE_KINDS",
    "Kind",
    "UploadLimits",
    "check_upload",
    "describe_content",
    "discard_upload",
    "read_geodata",
    "safe_member_name",
    "save_upload",
    "sniff",
    "store_osm_extract",
]
