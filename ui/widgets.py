"""Small widgets every page shares: domain errors, the illustrative-data note, downloads.

Downloads take a zero-argument builder (a function or :func:`functools.partial`), never
bytes: Streamlit runs it only when the button is clicked, so no page builds files on every
rerun.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import pandas as pd
import streamlit as st

from geo.errors import SymbiosisError
from geo.export import markdown_text
from geo.i18n import _, column_label, format_number

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.programme import Programme

def plain(text: object) -> str:
    """User text made safe for ``st.markdown``, ``st.title``, ``st.caption``, ``st.info``…

    A company name like ``![](http://host/p)`` or ``<img src=…>`` shows literally and never
    fetches anything (see :func:`geo.export.markdown_text`).
    """
    return markdown_text(text)


def url_host(url: str | None) -> str:
    """Only the scheme and host of ``url`` (``https://tiles.example.org``): what a setting
    may show to anyone, without a path or query that can hold a key.

    >>> url_host("https://u:p@tiles.example.org/{z}/{x}/{y}.png?apikey=SECRET")
    'https://tiles.example.org'
    >>> url_host("http://[::1]:8080/{z}/{x}/{y}.png"), url_host("http://[::1/x")
    ('http://[::1]', '(set)')
    >>> url_host(None)
    ''
    """
    from urllib.parse import urlsplit

    if not url:
        return ""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a malformed address (an unclosed IPv6 bracket)
        host = None
    if not host:
        return _("(set)")
    return f"{urlsplit(url).scheme}://" + (f"[{host}]" if ":" in host else host)


class LazyText(str):
    """A marked string translated each time it is shown (``str(text)``), not when defined.

    For texts fixed at import time that Streamlit shows later, such as the spinner of a cached
    function: ``@st.cache_data(show_spinner=LazyText(N_("Loading programme…")))``. Streamlit
    turns the message into text (``str()``) in the session's own run, so each session reads it
    in its own language.

    Examples
    --------
    >>> from geo.i18n import N_, use_locale
    >>> text = LazyText(N_("Computing…"))
    >>> with use_locale("qps_PLOC"):
    ...     str(text)
    '⟦Çõmpütîñg…⟧'
    """

    __slots__ = ()

    def __str__(self) -> str:
        return _(str.__str__(self))


Builder = Callable[[], bytes | str]
"""Makes a download's content when the button is clicked."""

TableFormat = Literal["csv", "xlsx", "gpkg", "geojson"]
TABLE_FORMATS: Final[tuple[TableFormat, ...]] = ("csv", "xlsx", "gpkg", "geojson")
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_config(columns: Iterable[object] | pd.DataFrame, *,
                  labels: Mapping[str, str] | None = None,
                  number_formats: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``st.dataframe``'s ``column_config`` that shows every column under its label.

    Labels come from :func:`geo.i18n.column_label` in this session's language, or from
    ``labels`` (already translated) where given; ``number_formats`` (column → printf-style
    format, e.g. ``"%.0f"``, or ``"localized"``) makes those columns number columns. Given the
    frame itself rather than its columns, its date-time columns are shown as the reader's
    browser writes dates and times, in the reader's time zone (not ``2024-02-01
    09:00:00+00:00``). The frame keeps its column names (tests and downloads read them); only
    the headers a person reads change.
    """
    times: set[str] = set()
    if isinstance(columns, pd.DataFrame):
        times = {str(c) for c in columns.columns
                 if pd.api.types.is_datetime64_any_dtype(columns.dtypes[c])}
        columns = columns.columns
    config: dict[str, Any] = {}
    for col in columns:
        name = str(col)
        label = (labels or {}).get(name) or column_label(name)
        fmt = (number_formats or {}).get(name)
        config[name] = (st.column_config.NumberColumn(label, format=fmt) if fmt
                        else st.column_config.DatetimeColumn(label, format="localized")
                        if name in times else st.column_config.Column(label))
    return config


def location_column_config(frame: object, preset: str, **config: Any) -> dict[str, Any]:
    """:func:`column_config` of a table whose park and location columns take the programme's
    level labels (省 / 市 / 园区 … of ``preset``); ``config`` overrides columns."""
    from geo.location_levels import location_headers

    columns = [str(c) for c in getattr(frame, "columns", [])]
    return {**column_config(columns, labels=location_headers(preset, columns)), **config}


@contextlib.contextmanager
def domain_errors(*, stop: bool = True) -> Iterator[None]:
    """Show a :class:`SymbiosisError` as an error box and stop the page; let bugs through.

    With ``stop=False`` the rest of the block is skipped but the page goes on below it: for
    a form whose refusal should leave the rest of the page (its history, other forms) in view.
    """
    try:
        yield
    except SymbiosisError as exc:
        st.error(plain(str(exc)))  # messages quote user input: show it literally
        if stop:
            st.stop()


@contextlib.contextmanager
def progress_bar(text: str | None = None) -> Iterator[Any]:
    """A progress bar for the block, removed when the block ends — also when it ends in an
    error (a bar left at "Building…" above an error misleads). Put it inside
    :func:`domain_errors` (``with ui.domain_errors(), ui.progress_bar(…) as bar:``): after
    ``st.stop()`` nothing more reaches the page, the bar's removal included."""
    bar = st.progress(0.0, text=text)
    try:
        yield bar
    finally:
        bar.empty()


def illustrative_note(prog: Programme) -> None:
    """Label generated demo figures as illustrative (nothing for real programmes)."""
    if prog.illustrative:
        # Translators: keep "© OpenStreetMap contributors" and "ODbL 1.0" exactly as they are.
        st.caption(":material/info: " + _(
            "Demo programme: the sites, parks and roads are real OpenStreetMap features "
            "(© OpenStreetMap contributors (ODbL 1.0)); company names, contacts and **all "
            "quantities are illustrative**, generated for demonstration."))


def download_button(label: str, build: Builder, *, file_name: str, key: str,
                    mime: str | None = None,
                    width: Literal["content", "stretch"] = "content") -> None:
    """A download button whose content ``build()`` makes only when it is clicked.

    A click does not rerun the page (``on_click="ignore"``): a rerun would hand every other
    download button of the page a new file while the browser still holds the old one, so the
    next click on one of them fetched a file that no longer existed and did nothing
    (``MediaFileStorageError: Deferred file … not found`` in the server log).
    """
    st.download_button(label, data=build, file_name=file_name, mime=mime, key=key, width=width,
                       on_click="ignore")


def download_buttons(frame: pd.DataFrame | gpd.GeoDataFrame, *, stem: str, key: str,
                     formats: Sequence[TableFormat] = TABLE_FORMATS) -> None:
    """Download buttons for a table: CSV and Excel always, GeoPackage/GeoJSON for geometry.

    Buttons are keyed ``{key}_{format}``; files are named ``{stem}.{format}``, and a
    GeoPackage's layer after the stem too (``site-ranking`` → ``site_ranking``), so that
    several downloads opened in QGIS are told apart.
    """
    import geopandas as gpd

    from geo import export

    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None
    layer = re.sub(r"[^0-9A-Za-z_]+", "_", stem).strip("_") or "layer"
    makers: dict[TableFormat, tuple[str, Callable[[pd.DataFrame], bytes], str]] = {
        "csv": ("CSV", export.to_csv_bytes, "text/csv"),
        "xlsx": ("Excel", export.to_excel_bytes, XLSX_MIME),
        "gpkg": ("GeoPackage", functools.partial(export.to_geopackage_bytes, layer=layer),
                 "application/geopackage+sqlite3"),
        "geojson": ("GeoJSON", export.to_geojson_bytes, "application/geo+json"),
    }
    chosen = [f for f in formats if is_geo or f in ("csv", "xlsx")]
    refused = {"xlsx": export.excel_problem(frame)} if "xlsx" in chosen else {}
    # two to a row: four in a narrow column cut "GeoPackage" and "GeoJSON" to "Ge…"
    cols = [c for i in range(0, len(chosen), 2) for c in st.columns(2)] or st.columns(1)
    for col, fmt in zip(cols, chosen, strict=False):
        label, make, mime = makers[fmt]
        with col:
            if (why := refused.get(fmt)) is not None:  # the click would bring no file
                st.button(label, key=f"{key}_{fmt}", disabled=True, help=why, width="stretch")
                continue
            download_button(label, functools.partial(make, frame), file_name=f"{stem}.{fmt}",
                            mime=mime, key=f"{key}_{fmt}", width="stretch")
    for why in filter(None, refused.values()):
        st.caption(why)


MAX_PICK_OPTIONS: Final = 200
"""Options a record picker lists at most; above, the user types to narrow them (a select box
of 100,000 records sent every option on every rerun and took 1.7 s to draw)."""


def pick_record(container: Any, label: str, labels: pd.Series, *, key: str, find_key: str,
                find_label: str | None = None, search: pd.Series | None = None) -> Any:
    """A select box of records (``labels``: the text of each, indexed by the record's id).

    Up to :data:`MAX_PICK_OPTIONS` records it is a plain select box. Above, a text box comes
    first and the select box lists the first records whose text (``search``, default the
    labels) contains what was typed (case-insensitive), the chosen record always among them,
    with a caption saying how many matched. Returns the chosen id.

    Keep ``labels`` free of what the page itself changes (a stage, a version): Streamlit
    identifies a select box by its option texts, and a new text makes a new box that
    falls back to the first record.
    """
    ids = list(labels.index)
    if len(ids) <= MAX_PICK_OPTIONS:
        return container.selectbox(label, ids, key=key, format_func=lambda r: labels[r])
    text = container.text_input(
        find_label or _("Find a record (id, site or description)"), key=find_key)
    haystack = labels if search is None else search.reindex(labels.index).fillna(labels)
    matched = labels[haystack.str.contains(text.strip(), case=False, regex=False)] \
        if text.strip() else labels
    options = list(matched.index[:MAX_PICK_OPTIONS])
    current = st.session_state.get(key)
    if current in labels.index and current not in options:
        options.insert(0, current)
    if not options:
        container.caption(_("No record contains “{text}”.").format(text=text.strip()))
        return None
    if len(matched) > len(options) or text.strip():
        container.caption(_("{n} of {total} records match; {shown} listed — type to narrow.")
                          .format(n=format_number(len(matched)),
                                  total=format_number(len(labels)),
                                  shown=format_number(min(len(matched), MAX_PICK_OPTIONS))))
    return container.selectbox(label, options, key=key, format_func=lambda r: labels[r])
