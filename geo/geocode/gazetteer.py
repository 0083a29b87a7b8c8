"""Step 2: the programme's own gazetteer — parks, estates, ports and known sites.

A gazetteer is a table with :data:`GAZETTEER_COLUMNS`: a ``name``; ``aliases`` separated by
``|``; an ISO-2 ``country`` (blank: any country); ``lon``, ``lat`` in WGS84 degrees; and the
``precision`` the point stands for (a known building, a park's centre as ``district``, a town).
A programme extends it from a CSV of the same shape (:func:`read_gazetteer`) or from its parks
(:func:`gazetteer_from_parks`). The demo gazetteer for the Karhula/Kotka programme ships in
``data/gazetteer/``.

A record matches an entry when its ``name`` equals the entry's name or an alias, or when its
``city`` or ``address`` contains one as whole words (after :func:`normalise_names`), in the same
country. Among several matches the finer precision wins, then the longer name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import CRSError, GeocodingError
from geo.geocode.base import PRECISION_RANK, candidate_label, empty_output
from geo.geocode.countries import country_codes
from geo.geocode.text import normalise_names
from geo.i18n import _
from geo.settings import DATA_DIR

__all__ = [
    "DEMO_GAZETTEER_PATH",
    "GAZETTEER_COLUMNS",
    "GAZETTEER_PRECISIONS",
    "GazetteerGeocoder",
    "default_gazetteer",
    "gazetteer_from_parks",
    "read_gazetteer",
    "validate_gazetteer",
]

GAZETTEER_COLUMNS: Final = ("name", "aliases", "country", "lon", "lat", "precision")
GAZETTEER_PRECISIONS: Final = ("building", "postcode", "street", "district", "town")
DEMO_GAZETTEER_PATH: Final = DATA_DIR / "gazetteer" / "karhula_demo.csv"


def validate_gazetteer(frame: pd.DataFrame) -> pd.DataFrame:
    """Check a gazetteer table and return a clean copy (countries as ISO-2, floats, ``""``).

    Raises
    ------
    GeocodingError
        Listing every bad row (1-based, as in a spreadsheet after its header) and the fix.

    Examples
    --------
    >>> validate_gazetteer(pd.DataFrame({"name": ["Kotka"], "country": ["Finland"],
    ...     "lon": [26.94], "lat": [60.47], "precision": ["town"]})).loc[0, "country"]
    'FI'
    """
    missing = [c for c in ("name", "lon", "lat") if c not in frame.columns]
    if missing:
        msg = _("A gazetteer needs the columns {columns}; {missing} are missing (found "
                "{found}). Add them to the CSV header.").format(
            columns=list(GAZETTEER_COLUMNS), missing=missing, found=list(frame.columns))
        raise GeocodingError(msg)
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for col in ("name", "aliases", "country", "precision"):
        values = frame[col] if col in frame.columns else pd.Series("", index=frame.index)
        out[col] = values.fillna("").astype(str).str.strip().to_numpy(dtype=object)
    out["precision"] = out["precision"].str.lower().replace("", "district")
    out["lon"] = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    out["lat"] = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    codes, unknown = country_codes(out["country"])
    problems: list[str] = []
    for i in range(len(out)):
        row = out.iloc[i]
        where = {"row": i + 1, "name": row["name"]}
        if not row["name"]:
            problems.append(_("row {row} ({name!r}): the name is blank").format(**where))
        if not (-180 <= row["lon"] <= 180 and -90 <= row["lat"] <= 90):
            problems.append(_("row {row} ({name!r}): lon/lat ({lon!r}, {lat!r}) are not WGS84 "
                              "degrees in range").format(**where, lon=frame["lon"].iloc[i],
                                                         lat=frame["lat"].iloc[i]))
        if row["precision"] not in GAZETTEER_PRECISIONS:
            problems.append(_("row {row} ({name!r}): precision {precision!r} is not one of "
                              "{choices}").format(**where, precision=row["precision"],
                                                  choices=", ".join(GAZETTEER_PRECISIONS)))
        if unknown[i]:
            problems.append(_("row {row} ({name!r}): country {country!r} is not recognised; "
                              "use ISO-2").format(**where, country=row["country"]))
    if problems:
        msg = _("The gazetteer has bad rows: {problems}.").format(problems="; ".join(problems))
        raise GeocodingError(msg)
    out["country"] = codes
    return out[list(GAZETTEER_COLUMNS)]


def read_gazetteer(paths: Path | str | Iterable[Path | str]) -> pd.DataFrame:
    """Read and validate one or more gazetteer CSV files (UTF-8) into one table."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    frames = []
    for path in items:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            msg = _("Cannot read the gazetteer {path!r}: {reason}. Save it as a UTF-8 "
                    "CSV.").format(path=str(path), reason=exc)
            raise GeocodingError(msg) from exc
        frames.append(validate_gazetteer(frame))
    if not frames:
        return validate_gazetteer(pd.DataFrame(columns=list(GAZETTEER_COLUMNS)))
    return pd.concat(frames, ignore_index=True)


def default_gazetteer() -> pd.DataFrame:
    """The gazetteer used when none is given: the shipped demo (Karhula/Kotka, Finland)."""
    return _demo_gazetteer().copy()


@cache
def _demo_gazetteer() -> pd.DataFrame:
    return read_gazetteer([DEMO_GAZETTEER_PATH] if DEMO_GAZETTEER_PATH.exists() else [])


def gazetteer_from_parks(parks: gpd.GeoDataFrame, *, precision: str = "district"
                         ) -> pd.DataFrame:
    """Gazetteer entries for a programme's parks: a point inside each park polygon.

    Parameters
    ----------
    parks
        Programme parks (EPSG:4326) with ``name`` and ``country`` columns.
    precision
        The precision a park's point stands for (default ``district``).

    Returns
    -------
    pandas.DataFrame
        :data:`GAZETTEER_COLUMNS`; parks without a name or geometry are left out.
    """
    if parks.crs is None or not parks.crs.equals("EPSG:4326"):
        msg = _("Parks must be in EPSG:4326 to become gazetteer entries, got {crs}; use "
                "parks.to_crs('EPSG:4326').").format(crs=parks.crs)
        raise CRSError(msg)
    usable = parks[parks.geometry.notna() & ~parks.geometry.is_empty
                   & parks["name"].fillna("").astype(str).str.strip().ne("")]
    points = usable.geometry.representative_point()
    return validate_gazetteer(pd.DataFrame({
        "name": usable["name"].to_numpy(dtype=object), "aliases": "",
        "country": usable["country"].to_numpy(dtype=object) if "country" in usable else "",
        "lon": points.x.to_numpy(), "lat": points.y.to_numpy(), "precision": precision,
    }))


class GazetteerGeocoder:
    """Place records that name a gazetteer entry (see the module docstring)."""

    name = "gazetteer"
    best_precision = "building"

    def __init__(self, gazetteer: pd.DataFrame) -> None:
        self.entries = validate_gazetteer(gazetteer)
        self.notes: list[str] = []
        self._by_name: dict[str, list[int]] = defaultdict(list)
        owners: list[int] = []
        names: list[str] = []
        for i, (name, aliases) in enumerate(zip(self.entries["name"], self.entries["aliases"],
                                                strict=True)):
            for text in [name, *str(aliases).split("|")]:
                owners.append(i)
                names.append(text)
        for i, norm in dict.fromkeys(zip(owners, normalise_names(names), strict=True)):
            if norm:
                self._by_name[str(norm)].append(i)
        alternatives = sorted(self._by_name, key=len, reverse=True)
        self._pattern = (re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, alternatives))
                                    + r")(?!\S)") if alternatives else None)

    def _best(self, matched: Sequence[str], country: str) -> tuple[int, int]:
        entries = {e for n in matched for e in self._by_name[n]
                   if not country or self.entries.at[e, "country"] in ("", country)}
        if not entries:
            return -1, 0
        best = min(entries, key=lambda e: (PRECISION_RANK[self.entries.at[e, "precision"]],
                                           -len(self.entries.at[e, "name"]), e))
        return best, len(entries)

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """See :class:`geo.geocode.base.Geocoder`."""
        out = empty_output(records.index)
        if self._pattern is None:
            return out
        country = records["country"].to_numpy(dtype=object)
        countries = set(self.entries["country"])
        todo = np.flatnonzero(("" in countries) | (country == "")
                              | np.isin(country, list(countries)))
        if not len(todo):
            return out
        sub = records.iloc[todo]
        name = normalise_names(sub["name"])
        city = normalise_names(sub["city"])
        address = normalise_names(sub["address"])
        for k, i in enumerate(todo):
            matched = [name[k]] if name[k] in self._by_name else []
            for text in (city[k], address[k]):
                if text:
                    matched += [m.group(0) for m in self._pattern.finditer(text)]
            if not matched:
                continue
            best, count = self._best(matched, country[i])
            if best < 0:
                continue
            entry = self.entries.iloc[best]
            row = records.index[i]
            out.loc[row, ["lon", "lat", "precision", "candidate"]] = [
                entry["lon"], entry["lat"], entry["precision"],
                candidate_label(entry["name"], entry["country"], count)]
        return out
