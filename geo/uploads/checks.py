"""Checking what a user uploads before any parser sees it: its kind by content, its size, the
members of a zip, and keeping a file (see :mod:`geo.uploads`)."""


from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
import struct
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final, Literal

from geo.errors import UploadError
from geo.i18n import N_, _, format_number

if TYPE_CHECKING:
    pass

__all__ = [
    "GEODATA_KINDS",
    "KIND_LABELS",
    "OSM_KINDS",
    "SHAPEFILE_PARTS",
    "TABLE_KINDS",
    "Kind",
    "UploadLimits",
    "check_upload",
    "describe_content",
    "discard_upload",
    "safe_member_name",
    "save_upload",
    "sniff",
    "store_osm_extract",
]

logger = logging.getLogger(__name__)

Kind = Literal["geojson", "gpkg", "shapefile_zip", "csv", "xlsx", "osm_pbf"]
KIND_LABELS: Final[dict[str, str]] = {
    "geojson": N_("GeoJSON"), "gpkg": N_("GeoPackage"), "shapefile_zip": N_("zipped Shapefile"),
    "csv": N_("CSV"), "xlsx": N_("Excel workbook (.xlsx)"),
    "osm_pbf": N_("OpenStreetMap extract (.osm.pbf)"),
}
"""Kind → its name for people (marked; translate with ``_`` where shown)."""
GEODATA_KINDS: Final[tuple[Kind, ...]] = ("geojson", "gpkg", "shapefile_zip")
OSM_KINDS: Final[tuple[Kind, ...]] = ("osm_pbf",)
TABLE_KINDS: Final[tuple[Kind, ...]] = ("csv", "xlsx")

_EXTENSIONS: Final[dict[str, tuple[Kind, ...]]] = {
    ".geojson": ("geojson",), ".json": ("geojson",), ".gpkg": ("gpkg",),
    ".zip": ("shapefile_zip",), ".csv": ("csv",), ".txt": ("csv",), ".tsv": ("csv",),
    ".xlsx": ("xlsx",), ".pbf": ("osm_pbf",),
}
SHAPEFILE_PARTS: Final = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_GPKG_APPLICATION_IDS: Final = (0x47504B47, 0x47503130)  # "GPKG", "GP10" (GeoPackage 1.0)


@dataclass(frozen=True)
class UploadLimits:
    """Caps on one upload.

    Attributes
    ----------
    max_bytes : int
        Largest file, as uploaded.
    max_uncompressed_bytes : int
        Largest total size of an archive's members once decompressed (zip bombs).
    max_ratio : float
        Largest compression ratio of any archive member.
    max_members : int
        Most members in an archive.
    max_features : int
        Most features (rows) read from a geodata file.
    """

    max_bytes: int = 200 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20
    max_ratio: float = 200.0
    max_members: int = 2_000
    max_features: int = 1_000_000

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.max_uncompressed_bytes, self.max_members,
               self.max_features) <= 0 or self.max_ratio <= 1:
            msg = _("Upload limits must be positive (ratio above 1), got {limits!r}.").format(
                limits=self)
            raise ValueError(msg)

    @classmethod
    def from_megabytes(cls, max_mb: float) -> UploadLimits:
        """Limits for a largest upload of ``max_mb`` MB (archives may unpack to 2.5×)."""
        size = int(max_mb * 2**20)
        return cls(max_bytes=size, max_uncompressed_bytes=int(size * 2.5))


def _mb(n: int) -> str:
    # Translators: a file size in megabytes.
    return _("{size} MB").format(size=format_number(n / 2**20, digits=1))


def _accepted(accept: Collection[Kind]) -> str:
    return ", ".join(_(KIND_LABELS[k]) for k in accept)


_TEXT_BOMS: Final = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
"""Byte order marks of UTF-32 and UTF-16 text (UTF-32 LE first: it starts like UTF-16 LE)."""


def _text_head(data: bytes) -> str | None:
    """The first 64 KiB of an upload as text, or None when it is not text.

    UTF-16 and UTF-32 need their byte order mark (Excel's "Unicode Text" has one); other text
    may hold no NUL byte and must decode as UTF-8, GB18030 or Latin-1.
    """
    head = data[:65536]
    for bom, enc in _TEXT_BOMS:
        if head.startswith(bom):
            body = head[len(bom):]
            size = 4 if enc.startswith("utf-32") else 2
            text = body[:len(body) - len(body) % size].decode(enc, errors="replace")
            return None if "\x00" in text else text
    if b"\x00" in head[:4096]:
        return None
    for enc in ("utf-8-sig", "gb18030", "latin-1"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _looks_like_text_table(head: bytes) -> bool:
    text = _text_head(head)
    if text is None:
        return False
    lines = [ln for ln in text.splitlines() if ln.strip()][:20]
    if not lines:
        return False
    first = lines[0].lstrip()
    if first.startswith(("<", "{", "[")):  # XML (a VRT, HTML, KML…) or JSON is not a table
        return False
    try:
        csv.Sniffer().sniff("\n".join(lines[:10]), delimiters=",;\t|")
    except csv.Error:
        return len(lines) >= 1 and len(lines[0]) < 10_000
    return True


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _is_osm_pbf(data: bytes) -> bool:
    """The first blob of an OSM PBF file is a BlobHeader of type ``OSMHeader``."""
    if len(data) < 16:
        return False
    (size,) = struct.unpack(">I", data[:4])
    if not 8 <= size <= 64 * 1024:
        return False
    header = data[4:4 + size]
    # BlobHeader field 1 (type, string): tag 0x0A, then a varint length (< 128 here).
    return header[:1] == b"\x0a" and header[2:2 + header[1]] == b"OSMHeader"


def sniff(data: bytes) -> Kind | None:
    """The kind of an upload, from its content alone (None: none of the accepted kinds).

    Examples
    --------
    >>> sniff(b"site,ewc_code,quantity\\nA,150102,3\\n")
    'csv'
    >>> sniff(b"") is None
    True
    """
    if not data:
        return None
    head = data[:4096]
    if head.startswith(b"SQLite format 3\x00") and len(data) >= 72:
        (app_id,) = struct.unpack(">I", data[68:72])
        return "gpkg" if app_id in _GPKG_APPLICATION_IDS else None
    if head.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return None
        lower = [n.lower() for n in names]
        if "[content_types].xml" in lower and "xl/workbook.xml" in lower:
            return "xlsx"
        if any(n.endswith(".shp") for n in lower):
            return "shapefile_zip"
        return None
    if _is_osm_pbf(data):
        return "osm_pbf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "geojson" if re.search(rb'"type"\s*:\s*"(FeatureCollection|Feature)"',
                                      data[:1_000_000]) else None
    return "csv" if _looks_like_text_table(data) else None


_MAGIC: Final = ((b"\x89PNG", N_("a PNG image")), (b"\xff\xd8\xff", N_("a JPEG image")),
                 (b"GIF8", N_("a GIF image")), (b"%PDF", N_("a PDF document")),
                 (b"SQLite format 3\x00", N_("an SQLite database")),
                 (b"PK\x03\x04", N_("a zip archive")),
                 (b"\xd0\xcf\x11\xe0", N_("an old Office file (.xls)")),
                 (b"<?xml", N_("an XML document")), (b"<", N_("an XML or HTML document")),
                 (b"{", N_("a JSON document")))


def describe_content(data: bytes) -> str:
    """What an upload that is none of the accepted kinds looks like, for the message (a noun
    phrase in this session's language, e.g. ``a PNG image``)."""
    if not data:
        return _("empty")
    head = data[:16].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, label in _MAGIC:
        if head.startswith(magic):
            return _(label)
    return _("unrecognised content")


def safe_member_name(name: str) -> str | None:
    """An archive member's file name if it is a plain relative path, else None.

    Examples
    --------
    >>> safe_member_name("parcels/plots.shp"), safe_member_name("../../etc/passwd")
    ('plots.shp', None)
    """
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    path = PurePosixPath(name)
    if any(part in ("..", "") for part in path.parts) or not path.name:
        return None
    return path.name


def _check_zip(data: bytes, kind: Kind, limits: UploadLimits) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            msg = _("The archive has {n} members; at most {limit} are accepted.").format(
                n=format_number(len(infos)), limit=format_number(limits.max_members))
            raise UploadError(msg)
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio or total > limits.max_uncompressed_bytes:
                msg = _("The archive would unpack to more than {size} (member {member!r} is "
                        "compressed {ratio}:1); it looks like a zip bomb and was not opened. "
                        "Upload the file itself, or a smaller archive.").format(
                    size=_mb(limits.max_uncompressed_bytes), member=info.filename,
                    ratio=format_number(ratio))
                raise UploadError(msg)
            if safe_member_name(info.filename) is None:
                msg = _("The archive member {member!r} has an absolute or parent path; archives "
                        "must hold plain relative file names.").format(member=info.filename)
                raise UploadError(msg)
            lower = info.filename.lower()
            if kind == "shapefile_zip" and lower.endswith((".zip", ".vrt", ".gz", ".tar")):
                msg = _("The archive holds {member!r}: nested archives and virtual layers are "
                        "not accepted. Zip only the .shp, .shx, .dbf and .prj files.").format(
                    member=info.filename)
                raise UploadError(msg)
            if kind == "xlsx" and lower.endswith((".xml", ".rels")):
                with zf.open(info) as member:
                    head = member.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    msg = _("The workbook's part {member!r} declares XML entities (a known way "
                            "to attack XML readers); it was not opened. Save the file again "
                            "from Excel or LibreOffice.").format(member=info.filename)
                    raise UploadError(msg)


def check_upload(data: bytes, *, name: str, accept: Collection[Kind],
                 limits: UploadLimits | None = None) -> Kind:
    """Check an upload's size, content and archive structure; return its kind.

    Parameters
    ----------
    data : bytes
        The file as uploaded.
    name : str
        The file name the user gave (used only to compare its extension with the content).
    accept : collection of Kind
        The kinds this uploader takes.
    limits : UploadLimits, optional

    Raises
    ------
    UploadError
        With what was found, why it was refused and what is accepted.

    Examples
    --------
    >>> check_upload(b"a,b\\n1,2\\n", name="list.csv", accept=TABLE_KINDS)
    'csv'
    >>> check_upload(b"a,b\\n1,2\\n", name="list.xlsx", accept=TABLE_KINDS)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    geo.errors.UploadError: 'list.xlsx': its name says Excel workbook (.xlsx) but its content ...
    """
    limits = limits or UploadLimits()
    shown = Path(str(name)).name
    if len(data) > limits.max_bytes:
        msg = _("{name!r} is {size}; the largest upload accepted is {limit}. Split the file or "
                "upload a smaller extract.").format(name=shown, size=_mb(len(data)),
                                                    limit=_mb(limits.max_bytes))
        raise UploadError(msg)
    kind = sniff(data)
    if kind is None or kind not in accept:
        if kind:
            # Translators: {kind} and {accepted} are kinds of file, e.g. GeoPackage, CSV.
            msg = _("{name!r} is recognised as {kind}, so it was not opened. Accepted here: "
                    "{accepted}.").format(name=shown, kind=_(KIND_LABELS[kind]),
                                          accepted=_accepted(accept))
        else:
            # Translators: {content} says what the file looks like, e.g. "a PNG image".
            msg = _("{name!r} is {content}, not a kind of file SymbioMap reads, so it was not "
                    "opened. Accepted here: {accepted}.").format(
                name=shown, content=describe_content(data), accepted=_accepted(accept))
        raise UploadError(msg)
    suffix = "".join(Path(shown.lower()).suffixes[-2:]) if shown.lower().endswith(".osm.pbf") \
        else Path(shown.lower()).suffix
    named = _EXTENSIONS.get(suffix if suffix != ".osm.pbf" else ".pbf")
    if named is not None and kind not in named:
        msg = _("{name!r}: its name says {named} but its content is {kind}; a file whose name "
                "and content disagree is refused. Rename it, or upload the file you meant. "
                "Accepted here: {accepted}.").format(
            name=shown, named=_(KIND_LABELS[named[0]]), kind=_(KIND_LABELS[kind]),
            accepted=_accepted(accept))
        raise UploadError(msg)
    if kind in ("xlsx", "shapefile_zip"):
        _check_zip(data, kind, limits)
    return kind


def save_upload(data: bytes, *, name: str, root: Path) -> Path:
    """Keep an accepted upload under a folder of its own; never overwrites another upload.

    The file goes to ``root/<UTC time>-<first 12 hex of its SHA-256>/<safe name>``: two uploads
    with the same name stay apart, and the same file uploaded twice lands in two batches.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> a = save_upload(b"x,y\\n1,2\\n", name="../list.csv", root=root)
    >>> b = save_upload(b"x,y\\n3,4\\n", name="list.csv", root=root)
    >>> a != b and a.name == b.name == "list.csv" and a.parent.parent == root
    True
    """
    import datetime as dt
    import hashlib

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(str(name)).name).strip("._") or "upload"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = Path(root) / f"{stamp}-{hashlib.sha256(data).hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=False)
    path = folder / safe
    path.write_bytes(data)
    return path


def store_osm_extract(data: bytes, *, name: str, path: Path,
                      limits: UploadLimits | None = None) -> Path:
    """Check an uploaded road network (``.osm.pbf``) and keep it at ``path``, replacing the
    previous one only once the new file is whole (readers never see half a file).

    Raises
    ------
    UploadError
        When the file is too large or is not an OpenStreetMap extract (nothing is written).
    """
    check_upload(data, name=name, accept=OSM_KINDS, limits=limits)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_bytes(data)
    part.replace(path)
    return path


def discard_upload(path: Path) -> None:
    """Delete an upload kept by :func:`save_upload` (an import that did not land): the file and
    its folder, so that no copy of a member list stays on the server for nothing."""
    path = Path(path)
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty or already gone: leave it
        path.parent.rmdir()  # its own folder, empty now
