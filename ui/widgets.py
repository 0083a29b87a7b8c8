"""Small widgets every page shares: domain errors, the illustrative-data note, downloads.

Downloads take a zero-argument builder (a function or :func:`functools.partial`), never
bytes: Streamlit runs it only when the button is clicked, so no page builds files on every
rerun.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Literal

import streamlit as st

from geo.errors import SymbiosisError
from geo.export import markdown_text
from geo.settings import OSM_ATTRIBUTION

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.programme import Programme

def plain(text: object) -> str:
    """User text made safe for ``st.markdown``, ``st.title``, ``st.caption``, ``st.info``…

    A company name like ``![](http://host/p)`` or ``<img src=…>`` shows literally and never
    fetches anything (see :func:`geo.export.markdown_text`).
    """
    return markdown_text(text)


Builder = Callable[[], bytes | str]
"""Makes a download's content when the button is clicked."""

TableFormat = Literal["csv", "xlsx", "gpkg", "geojson"]
TABLE_FORMATS: Final[tuple[TableFormat, ...]] = ("csv", "xlsx", "gpkg", "geojson")
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Show a :class:`SymbiosisError` as an error box and stop the page; let bugs through."""
    try:
        yield
    except SymbiosisError as exc:
        st.error(plain(str(exc)))  # messages quote user input: show it literally
        st.stop()


def illustrative_note(prog: Programme) -> None:
    """Label generated demo figures as illustrative (nothing for real programmes)."""
    if prog.illustrative:
        st.caption(":material/info: Demo programme: the sites, parks and roads are real "
                   f"OpenStreetMap features ({OSM_ATTRIBUTION}); company names, contacts and "
                   "**all quantities are illustrative**, generated for demonstration.")


def download_button(label: str, build: Builder, *, file_name: str, key: str,
                    mime: str | None = None,
                    width: Literal["content", "stretch"] = "content") -> None:
    """A download button whose content ``build()`` makes only when it is clicked."""
    st.download_button(label, data=build, file_name=file_name, mime=mime, key=key, width=width)


def download_buttons(frame: pd.DataFrame | gpd.GeoDataFrame, *, stem: str, key: str,
                     formats: Sequence[TableFormat] = TABLE_FORMATS) -> None:
    """Download buttons for a table: CSV and Excel always, GeoPackage/GeoJSON for geometry.

    Buttons are keyed ``{key}_{format}``; files are named ``{stem}.{format}``.
    """
    import geopandas as gpd

    from geo import export

    is_geo = isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None
    makers: dict[TableFormat, tuple[str, Callable[[pd.DataFrame], bytes], str]] = {
        "csv": ("CSV", export.to_csv_bytes, "text/csv"),
        "xlsx": ("Excel", export.to_excel_bytes, XLSX_MIME),
        "gpkg": ("GeoPackage", export.to_geopackage_bytes, "application/geopackage+sqlite3"),
        "geojson": ("GeoJSON", export.to_geojson_bytes, "application/geo+json"),
    }
    chosen = [f for f in formats if is_geo or f in ("csv", "xlsx")]
    cols = st.columns(len(chosen) or 1)
    for col, fmt in zip(cols, chosen, strict=False):
        label, make, mime = makers[fmt]
        with col:
            download_button(label, functools.partial(make, frame), file_name=f"{stem}.{fmt}",
                            mime=mime, key=f"{key}_{fmt}", width="stretch")
