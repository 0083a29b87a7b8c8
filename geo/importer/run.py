"""Importing a member list: read → match headers → validate → store, with a row-by-row report.

Every data row ends up counted once: ``rows == imported + duplicates + rejected``.

- *imported*: a valid row that added something new (a resource record; for a site-only row,
  a new site).
- *duplicates*: a valid row already in the store (same ``import_key``: same site, have/want,
  code, description, quantity, unit, frequency, fate — see :mod:`geo.store.keys`), so
  importing the same file twice adds nothing.
- *rejected*: a row with at least one error; it is kept in the store's rejects table and in
  :attr:`ImportReport.rejects`, which :meth:`ImportReport.write_rejects` writes as a CSV with
  the original columns plus ``_row`` and ``_errors``: correct it and import it as is.

The reasons (``message``, ``_errors``) are written in the language of the session or command
that imports, for the person who corrects the file; the codes (``field``) stay English.

Sites are matched by name + postcode + country (case, accents of width and spacing ignored);
a site not yet stored is created with a deterministic ``site_id``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import ImportFileError
from geo.export import neutralise_formulas
from geo.i18n import _
from geo.importer.contacts import contact_headers, contacts_from_rows
from geo.importer.headers import META_COLUMNS, HeaderMatch, match_headers
from geo.importer.plausibility import (
    changed_quantities,
    implausible_quantities,
    outside_their_country,
    repeated_rows,
)
from geo.importer.read import EXTRA_VALUES, read_table, source_bytes
from geo.importer.validate import Validation, validate_rows
from geo.programme import PROVENANCES, RESOURCE_COLUMNS, SITE_COLUMNS, WGS84
from geo.store.keys import resource_import_keys, text_key

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.store import Store

__all__ = ["ImportReport", "import_file", "stored_rejects_file"]

_SITE_KEY = ["name", "postcode", "country"]


@dataclass(frozen=True, eq=False)
class ImportReport:
    """What an import did, row by row.

    Attributes
    ----------
    file_name, programme : str
    rows : int
        Data rows read (blank rows are not counted).
    imported, duplicates, rejected : int
        See the module docstring; they add up to ``rows``.
    errors : list of dict
        One per bad cell: ``row`` (1-based file row, header = 1), ``column`` (as headed in the
        file), ``field``, ``value`` (as written) and ``message``.
    rejects : DataFrame
        The rejected rows as read (original columns) plus ``_row``, ``_errors`` and
        ``_reject_key``; ready for :func:`geo.export.to_csv_bytes` or :meth:`write_rejects`.
    sites_added : int
        New member sites.
    columns : dict
        Field → header it was read from. ``extra_columns`` match no field (kept in
        ``rejects``, not stored); ``ignored_columns`` repeat a field already read.
    header_units : dict
        Units read from headers (``{"quantity": "t/yr"}``).
    encoding, delimiter, format, sha256 : str
        How the file was read, and the SHA-256 of its bytes.
    sheet : str
        The title of the workbook sheet read (``""`` for a CSV): the first whose header
        names the site, so a notes sheet in front of the member list is passed over.
    dry_run : bool
        True when nothing was written.
    batch_id : int or None
        The store's import batch.
    resolved : int
        Earlier rejects that this import corrected.
    contacts_added : int
        New contact people stored for the sites (personal data, practitioners only).
    warnings : list of dict
        Rows stored as written whose figures are to check (:mod:`geo.importer.plausibility`:
        a quantity above what one site plausibly has; a record the programme already holds
        with another quantity, which this import adds beside it), with the keys of
        ``errors``.
    """

    file_name: str
    programme: str
    rows: int
    imported: int
    duplicates: int
    rejected: int
    errors: list[dict[str, Any]]
    rejects: pd.DataFrame
    sites_added: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    extra_columns: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    header_units: dict[str, str] = field(default_factory=dict)
    encoding: str = ""
    delimiter: str = ""
    format: str = ""
    sha256: str = ""
    sheet: str = ""
    dry_run: bool = False
    batch_id: int | None = None
    resolved: int = 0
    contacts_added: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (without the rejects frame)."""
        return {
            "file": self.file_name, "programme": self.programme, "rows": self.rows,
            "imported": self.imported, "duplicates": self.duplicates,
            "rejected": self.rejected, "sites_added": self.sites_added,
            "errors": self.errors, "columns": self.columns,
            "extra_columns": list(self.extra_columns),
            "ignored_columns": list(self.ignored_columns), "header_units": self.header_units,
            "encoding": self.encoding, "delimiter": self.delimiter, "format": self.format,
            "sheet": self.sheet, "sha256": self.sha256, "dry_run": self.dry_run,
            "batch_id": self.batch_id, "resolved": self.resolved,
            "contacts_added": self.contacts_added, "warnings": self.warnings,
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """The report as one JSON object (text kept exact: no escaping beyond JSON's)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def write_rejects(self, path: str | Path) -> Path:
        """Write the rejected rows as a CSV (UTF-8 with BOM) to correct and import again.

        Cells that a spreadsheet would run as formulas get a ``'`` prefix, which the importer
        removes again.
        """
        out = Path(path)
        data = neutralise_formulas(self.rejects.reset_index(drop=True))
        data.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return out


def _canonical(frame: pd.DataFrame, match: HeaderMatch) -> pd.DataFrame:
    """Field columns of text: stripped, an export's ``'`` before a formula sign removed."""
    canon = pd.DataFrame(index=frame.index)
    for f, header in match.fields.items():
        text = frame[header].astype("str").str.strip()
        quoted = text.str.startswith("'")
        if quoted.any():
            text[quoted] = text[quoted].str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
        canon[f] = text
    for f, unit in match.units.items():
        if f == "quantity":
            given = canon["unit"] if "unit" in canon.columns else pd.Series("", canon.index)
            canon["unit"] = given.where((given != "") | (canon["quantity"] == ""), unit)
    if EXTRA_VALUES in frame.columns:
        canon[EXTRA_VALUES] = frame[EXTRA_VALUES].astype("str").str.strip()
    return canon


def _names_a_site(headers: list[str]) -> bool:
    """Whether a header row has a column for the site name (a member list's header)."""
    return "name" in match_headers(headers).fields


def _no_name_errors(frame: pd.DataFrame) -> pd.DataFrame:
    shown = ", ".join(repr(a) for a in ("Company", "Company name", "Site", "Empresa", "企业名称"))
    found = ", ".join(repr(c) for c in frame.columns[:12])
    message = _("no column for the site name; expected a header such as {examples} (the "
                "file has: {found})").format(examples=shown, found=found)
    return pd.DataFrame({"row": frame.index.astype("int64"), "column": "", "field": "name",
                         "value": "", "message": message})


def stored_rejects_file(stored: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows kept in the database (:meth:`geo.store.Store.rejects`) as the file an
    import offers right after it ran: each row as read, then ``_row``, ``_errors`` and
    ``_reject_key``; corrected and imported again, it resolves them.

    Rows from several files share one table: their columns in the order first seen.
    """
    raws = [r if isinstance(r, dict) else {} for r in stored["raw"]]
    columns = list(dict.fromkeys(k for r in raws for k in r if k not in META_COLUMNS))
    out = pd.DataFrame([[str(r.get(c, "") or "") for c in columns] for r in raws],
                       columns=columns, dtype="str")
    out["_row"] = stored["row"].to_numpy()
    out["_errors"] = stored["message"].astype("str").to_numpy()
    out["_reject_key"] = stored["reject_key"].astype("str").to_numpy()
    return out


def _rejects(frame: pd.DataFrame, errors: pd.DataFrame, meta: tuple[str, ...]) -> pd.DataFrame:
    rows = pd.Index(errors["row"].unique())
    raw = frame.loc[rows, [c for c in frame.columns if c not in meta]].astype("str")
    # Translators: one problem of a rejected row: the column as headed in the file, then what
    # is wrong with its value and how to fix it.
    each = _("{column}: {message}")
    where = errors["column"].where(errors["column"] != "", errors["field"])
    texts = [each.format(column=c, message=m)
             for c, m in zip(where.tolist(), errors["message"].tolist(), strict=True)]
    joined = errors.assign(text=pd.Series(texts, index=errors.index, dtype="str")).groupby(
        "row", sort=False)["text"]
    out = raw.copy()
    out["_row"] = rows.to_numpy()
    out["_errors"] = joined.agg("; ".join).reindex(rows).to_numpy()
    out["_reject_key"] = [hashlib.sha256(json.dumps(r, ensure_ascii=False, sort_keys=True)
                                         .encode("utf-8")).hexdigest()
                          for r in raw.to_dict("records")]
    return out.reset_index(drop=True)


def _sites(clean: pd.DataFrame, existing: gpd.GeoDataFrame, programme: str,
           file_name: str) -> tuple[pd.Series, gpd.GeoDataFrame, pd.Series]:
    """(site_id per clean row, new sites frame, whether each row's site is new).

    Rows match active sites only; a row for an archived site creates a new site (with an id
    the archived one does not have), so its records are not hidden with the archived site.
    """
    keys = text_key(clean, _SITE_KEY)
    active = existing[~existing["archived"]] if "archived" in existing.columns else existing
    known = dict(zip(text_key(active, _SITE_KEY), active["site_id"], strict=True)) \
        if len(active) else {}
    is_new = ~keys.isin(list(known))
    first = clean[is_new & ~keys.duplicated()]
    new_keys = keys[first.index]
    taken = set(existing["site_id"]) if len(existing) else set()
    prog = hashlib.sha256(programme.encode("utf-8")).hexdigest()[:4]
    ids = {k: f"S-{prog}{k[:16]}" for k in new_keys}
    if taken & set(ids.values()) or len(set(ids.values())) < len(ids):  # ~never: 64 bits
        ids = {k: f"S-{prog}{k}" for k in new_keys}
    site_id = keys.map({**known, **ids})
    located = first["lon"].notna() & first["lat"].notna()
    geoms = np.full(len(first), None, dtype=object)
    if located.any():
        geoms[located.to_numpy()] = shapely.points(first.loc[located, "lon"].to_numpy(),
                                                   first.loc[located, "lat"].to_numpy())
    sites = gpd.GeoDataFrame({
        "site_id": site_id[first.index].to_numpy(), "name": first["name"].to_numpy(),
        "sector_nace": first["sector_nace"].to_numpy(), "address": first["address"].to_numpy(),
        "postcode": first["postcode"].to_numpy(), "city": first["city"].to_numpy(),
        "country": first["country"].to_numpy(), "park_id": None,
        "location_precision": pd.Series("exact", index=first.index).where(located).to_numpy(),
        "location_source": pd.Series(f"import file {file_name}", index=first.index)
        .where(located).to_numpy(),
        "provenance": first["provenance"].to_numpy(),
        "recorded_on": first["recorded_on"].to_numpy(),
    }, geometry=gpd.GeoSeries(geoms, crs=WGS84), crs=WGS84)
    return site_id, sites[[*SITE_COLUMNS, "geometry"]], is_new & ~keys.duplicated()


def _resources(clean: pd.DataFrame, site_id: pd.Series) -> pd.DataFrame:
    rows = clean[clean["is_resource"]]
    res = rows.assign(site_id=site_id[rows.index])
    res["import_key"] = resource_import_keys(res)
    sha, nth = res["import_key"].str[:16], res["import_key"].str[64:].str.replace(":", "-")
    res["resource_id"] = "R-" + sha + nth
    return res[[*RESOURCE_COLUMNS, "import_key"]]


def import_file(path: str | Path | IO[bytes], *, store: Store | None, programme: str,
                provenance: str = "import file", catalogue: Catalogue | None = None,
                dry_run: bool = False, filename: str | None = None,
                today: dt.date | None = None) -> ImportReport:
    """Import a CSV or ``.xlsx`` member list into a programme.

    Parameters
    ----------
    path : str, Path or binary file-like
        The file (an upload works too).
    store : Store or None
        Where valid rows go, bad rows are kept, and the batch is recorded. None validates
        only (counts as if the store were empty).
    programme : str
        The programme to import into (created when new).
    provenance : str
        Provenance of rows that give none; one of :data:`geo.programme.PROVENANCES`.
    catalogue : Catalogue, optional
        Waste catalogue for code checks (default: the settings' catalogue).
    dry_run : bool
        Read the store (to count duplicates) but write nothing.
    filename : str, optional
        Name shown in messages and recorded (default: the file's name).
    today : date, optional
        ``recorded_on`` of rows without a date (default: today).

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFileError
        When nothing could be read (empty file, a header without data rows, not a table,
        unreadable path); nothing is written then, and no programme is created.
    """
    if provenance not in PROVENANCES:
        msg = _("provenance must be one of {choices}, got {value!r}.").format(
            choices=", ".join(PROVENANCES), value=provenance)
        raise ImportFileError(msg)
    if catalogue is None:
        from geo.catalogue import load_catalogue

        catalogue = load_catalogue()
    data, name = source_bytes(path, filename)
    frame = read_table(io.BytesIO(data), filename=name, is_header=_names_a_site)
    match = match_headers([str(c) for c in frame.columns])
    headers = {**match.fields, EXTRA_VALUES: _("(extra values)")}
    if "name" not in match.fields:
        errors = _no_name_errors(frame)
        valid = Validation(clean=pd.DataFrame(), errors=errors)
    else:
        valid = validate_rows(_canonical(frame, match), catalogue=catalogue, headers=headers,
                              provenance=provenance, today=today)
    clean = valid.clean
    rejects = _rejects(frame, valid.errors, match.meta)
    existing = (store.sites(programme, include_archived=True) if store is not None
                else gpd.GeoDataFrame({"site_id": []}, geometry=[], crs=WGS84))
    new_rows_imported = 0
    contact_cols = contact_headers([str(c) for c in frame.columns])
    contacts = pd.DataFrame()
    if len(clean):
        site_id, sites, first_new = _sites(clean, existing, programme, name)
        contacts = contacts_from_rows(frame, site_id, contact_cols)
        resources = _resources(clean, site_id)
        site_only_new = int((first_new & ~clean["is_resource"]).sum())
        resolves = (frame.loc[clean.index, "_reject_key"].astype("str").tolist()
                    if "_reject_key" in frame.columns else [])
    else:
        sites, resources, site_only_new, resolves = None, None, 0, []
    n_res = 0 if resources is None else len(resources)
    quantity_column = match.fields.get("quantity", "quantity")
    warnings = implausible_quantities(clean, column=quantity_column)
    warnings += outside_their_country(clean, column=match.fields.get("lat", "lat"))
    # resource rows only: two identical rows naming a site alone are one site, not two
    warnings += repeated_rows(frame, ignore=match.meta, column=match.fields.get("name", "name"),
                              imported=resources.index if resources is not None
                              else clean.index[:0])
    if store is not None and resources is not None and n_res:  # before this import lands
        warnings += changed_quantities(
            resources, store.resources_of_sites(programme, resources["site_id"]),
            column=quantity_column)
    warnings.sort(key=lambda w: int(w["row"]))
    sha = hashlib.sha256(data).hexdigest()
    batch_id, sites_added, resolved = None, 0, 0
    if store is not None and not dry_run:
        store_rejects = pd.DataFrame({
            "row": rejects["_row"],
            "raw": rejects.drop(columns=["_row", "_errors", "_reject_key"]).to_dict("records"),
            "errors": _grouped_errors(valid.errors, rejects["_row"]),
            "reject_key": rejects["_reject_key"]})
        # One transaction: sites, resources, contacts and rejects are stored together or not.
        outcome = store.record_import(programme, file_name=name, sha256=sha, rows=len(frame),
                                      sites=sites, resources=resources, rejects=store_rejects,
                                      provenance=provenance, resolves=resolves,
                                      contacts=contacts if len(contacts) else None)
        new_rows_imported, dups = outcome.imported, outcome.duplicates
        batch_id, sites_added, resolved = outcome.batch_id, outcome.sites_added, outcome.resolved
        contacts_added = outcome.contacts_added
    else:
        stored = (store.existing_import_keys(programme, resources["import_key"])
                  if store is not None and resources is not None else set())
        dups = len(stored)
        new_rows_imported = n_res - dups
        sites_added = 0 if sites is None else len(sites)
        contacts_added = 0
    site_only = len(clean) - n_res
    reported = valid.errors[["row", "column", "field", "value", "message"]]
    if "name" not in match.fields:  # one error for the header, not one per row
        reported = reported.iloc[:1].assign(row=1)
    return ImportReport(
        file_name=name, programme=programme, rows=len(frame),
        imported=new_rows_imported + site_only_new,
        duplicates=dups + (site_only - site_only_new), rejected=len(rejects),
        errors=reported.to_dict("records"),
        rejects=rejects, sites_added=sites_added, columns=dict(match.fields),
        extra_columns=tuple(c for c in match.extras if c not in contact_cols.values()),
        ignored_columns=tuple(match.duplicates),
        header_units=dict(match.units), encoding=frame.attrs.get("encoding", ""),
        delimiter=frame.attrs.get("delimiter", ""), format=frame.attrs.get("format", ""),
        sheet=frame.attrs.get("sheet", ""), sha256=sha, dry_run=store is None or dry_run,
        batch_id=batch_id, resolved=resolved, contacts_added=contacts_added,
        warnings=warnings)


def _grouped_errors(errors: pd.DataFrame, rows: pd.Series) -> list[list[dict[str, Any]]]:
    by_row: dict[int, list[dict[str, Any]]] = {}
    for row, column, field_, value, message in zip(
            errors["row"].tolist(), errors["column"].tolist(), errors["field"].tolist(),
            errors["value"].tolist(), errors["message"].tolist(), strict=True):
        by_row.setdefault(row, []).append(
            {"column": column, "field": field_, "value": value, "message": message})
    return [by_row.get(r, []) for r in rows.tolist()]

