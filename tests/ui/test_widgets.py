"""ui/widgets.py: downloads built only on click, domain errors, the illustrative note.

The ``_``-functions are small apps run by ``AppTest.from_function``, which executes their
source alone: they import what they use and carry no annotations.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from tests.pages.support import RecordingMediaFileManager, click_download, downloads
from ui.widgets import plain


@pytest.fixture(autouse=True)
def _media_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep each AppTest run's media files so that a test can click a download."""
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingMediaFileManager)


@dataclass
class Spy:
    """A download builder that counts its calls."""

    calls: int = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return b"built"


def _one_button(build):
    import ui

    ui.download_button("Data", build, file_name="data.bin", key="dl")


def test_download_is_built_only_when_clicked() -> None:
    """Reruns never call the builder; a click calls it once and downloads what it returned."""
    spy = Spy()
    at = AppTest.from_function(_one_button, args=(spy,))
    at.run()
    at.run()
    assert not at.exception, at.exception
    assert spy.calls == 0
    assert downloads(at) == {"dl": True}
    assert click_download(at, "dl") == b"built"
    assert spy.calls == 1


def _table_buttons(frame):
    import ui

    ui.download_buttons(frame, stem="table", key="t")


def test_table_downloads_offer_geodata_formats_only_for_geodata(monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """A plain table gets CSV and Excel; a GeoDataFrame also GeoPackage and GeoJSON; all lazy."""
    from geo import export

    calls: list[str] = []
    monkeypatch.setattr(export, "to_csv_bytes", lambda f: calls.append("csv") or b"a,b\n")
    plain = pd.DataFrame({"a": [1], "b": [2]})
    geo = gpd.GeoDataFrame(plain, geometry=[Point(26.9, 60.5)], crs="EPSG:4326")

    at = AppTest.from_function(_table_buttons, args=(plain,))
    at.run()
    assert downloads(at) == {"t_csv": True, "t_xlsx": True}
    at = AppTest.from_function(_table_buttons, args=(geo,))
    at.run()
    assert downloads(at) == {"t_csv": True, "t_xlsx": True, "t_gpkg": True, "t_geojson": True}
    assert calls == []
    assert click_download(at, "t_csv") == b"a,b\n" and calls == ["csv"]
    gdf = gpd.read_file(io.BytesIO(click_download(at, "t_geojson")))
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 1


def test_excel_is_refused_on_the_page_when_a_cell_is_too_long() -> None:
    """A click on a download whose file cannot be built brings nothing and says nothing (the
    error is raised outside the page): the Excel button is disabled and the reason shown."""
    frame = pd.DataFrame({"description": ["x" * 40_000], "t": [1.0]})
    at = AppTest.from_function(_table_buttons, args=(frame,))
    at.run()
    assert downloads(at) == {"t_csv": True}
    button = next(b for b in at.button if b.key == "t_xlsx")
    assert button.disabled and "32,767" in button.help
    assert any("40,000" in c.value for c in at.caption)
    assert click_download(at, "t_csv").startswith(b"\xef\xbb\xbf")  # the CSV still comes


def _fails(error):
    import streamlit as st

    import ui

    with ui.domain_errors():
        raise error
    st.write("not reached")


def test_domain_errors_show_the_message_and_stop_the_page() -> None:
    """A SymbiosisError becomes an error box and nothing after it runs."""
    from geo.errors import SymbiosisError

    at = AppTest.from_function(_fails, args=(SymbiosisError("Expected k ≥ 1; got 'a_b'."),))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [plain("Expected k ≥ 1; got 'a_b'.")]
    assert not at.markdown


def test_domain_errors_let_bugs_through() -> None:
    """Any other exception is not dressed up as a user error: the page shows the exception."""
    at = AppTest.from_function(_fails, args=(KeyError("bug"),))
    at.run()
    assert at.exception and not at.error


def _note(illustrative):
    import ui
    from geo.demo import load_demo_programme

    prog = load_demo_programme()
    prog.illustrative = illustrative
    ui.illustrative_note(prog)


@pytest.mark.parametrize("illustrative", [True, False])
def test_illustrative_note_only_for_generated_figures(illustrative: bool) -> None:
    """The demo's generated figures are labelled illustrative; a real programme's are not."""
    at = AppTest.from_function(_note, args=(illustrative,))
    at.run()
    assert not at.exception, at.exception
    assert any("illustrative" in c.value for c in at.caption) is illustrative


@pytest.mark.parametrize("text", ["![beacon](http://beacon.invalid/p.png)",
                                  '<img src="http://beacon.invalid/p.png">',
                                  "[click](javascript:alert(1))", ":red[alarm] $x^2$",
                                  "=HYPERLINK(\"http://x\")", "see www.beacon.invalid now"])
def test_plain_text_renders_literally_in_markdown(text: str) -> None:
    """Escaped user text renders to exactly itself: no image, link, HTML, colour or maths."""
    import markdown_it

    html = markdown_it.MarkdownIt("gfm-like").render(plain(text))
    assert "<img" not in html and "<a " not in html
    shown = html.strip().replace("\u200b", "")
    assert shown == f"<p>{markdown_it.common.utils.escapeHtml(text)}</p>"


def test_lazy_text_is_translated_when_shown_not_when_defined() -> None:
    """A spinner text defined at import time reads in the language of the run showing it."""
    from geo.i18n import use_locale
    from ui.widgets import LazyText

    text = LazyText("Loading programme…")
    assert str(text) == "Loading programme…"
    with use_locale("qps_PLOC"):
        assert str(text) == "⟦Lõàdîñg prõgràmmé…⟧"


def test_column_config_labels_the_headers_in_the_session_language() -> None:
    """Headers get their labels (given ones first, else ``column_label``), numbers a format;
    the column names themselves are untouched."""
    from geo.i18n import use_locale
    from ui.widgets import column_config

    with use_locale("qps_PLOC"):
        config = column_config(["site_id", "have_t", "title"], labels={"title": "Titre"},
                               number_formats={"have_t": "%.0f"})
    assert config["site_id"]["label"] == "⟦Sîté ÎD⟧"
    assert config["have_t"]["label"] == "⟦Hàvés (t/ýr)⟧"
    assert config["have_t"]["type_config"]["format"] == "%.0f"
    assert config["title"]["label"] == "Titre"


def test_the_illustrative_note_keeps_the_osm_attribution_in_every_language() -> None:
    """The note's English matches the attribution setting; in the pseudo-locale it is one
    translated sentence that still names OpenStreetMap's contributors."""
    from geo.settings import OSM_ATTRIBUTION

    at = AppTest.from_function(_note, args=(True,))
    at.run()
    assert f"({OSM_ATTRIBUTION})" in at.caption[0].value
    at = AppTest.from_function(_pseudo_note)
    at.run()
    assert not at.exception, at.exception
    note = at.caption[0].value
    assert note.startswith(":material/info: ⟦") and note.endswith("⟧")


def _pseudo_note():
    import ui
    from geo.demo import load_demo_programme
    from geo.i18n import set_locale

    set_locale("qps_PLOC")
    ui.illustrative_note(load_demo_programme())


def _picker(n):
    import pandas as pd
    import streamlit as st

    import ui

    ids = [f"R{i:04d}" for i in range(n)]
    labels = pd.Series([f"{r} · have · Site {i} · {'acid' if i % 2 else 'oil'}"
                        for i, r in enumerate(ids)], index=ids)
    st.session_state["picked"] = ui.pick_record(st, "Record", labels, key="rec",
                                                find_key="find")


def test_record_picker_is_a_select_box_up_to_its_limit() -> None:
    """Up to MAX_PICK_OPTIONS records every one is listed and no search box is shown."""
    from ui.widgets import MAX_PICK_OPTIONS

    at = AppTest.from_function(_picker, args=(MAX_PICK_OPTIONS,)).run()
    assert not at.exception, at.exception
    assert len(at.selectbox(key="rec").options) == MAX_PICK_OPTIONS
    assert not at.text_input


def test_record_picker_lists_what_matches_what_was_typed_above_its_limit() -> None:
    """Above the limit the first MAX_PICK_OPTIONS records are listed; typing narrows them to
    the records containing the text (any case), the chosen one kept, and any can be picked."""
    from ui.widgets import MAX_PICK_OPTIONS

    at = AppTest.from_function(_picker, args=(5000,)).run()
    assert len(at.selectbox(key="rec").options) == MAX_PICK_OPTIONS
    assert "5,000 of 5,000 records match" in at.caption[0].value
    at.text_input(key="find").set_value("r4321").run()
    options = at.selectbox(key="rec").options
    assert options[0].startswith("R0000")  # the chosen record stays listed
    assert [o for o in options if o.startswith("R4321")] and len(options) == 2
    at.selectbox(key="rec").set_value("R4321").run()
    assert at.session_state["picked"] == "R4321" and not at.exception
    at.text_input(key="find").set_value("no such text").run()
    assert at.selectbox(key="rec").options == [at.selectbox(key="rec").options[0]]
    assert at.session_state["picked"] == "R4321"


def test_column_config_shows_times_as_the_reader_writes_them() -> None:
    """Given the frame, its date-time columns (time-zone aware or not) are date-time columns
    in the reader's format; text and numbers keep their configuration; given only the column
    names, nothing is a date-time column."""
    import pandas as pd

    from ui.widgets import column_config

    frame = pd.DataFrame({"at": pd.to_datetime(["2024-02-01 09:00"], utc=True),
                          "updated_at": pd.to_datetime(["2024-02-01"]), "note": ["x"],
                          "quantity": [1.5]})
    config = column_config(frame, number_formats={"quantity": "localized"})
    kinds = {c: (v.get("type_config") or {}).get("type") for c, v in config.items()}
    assert kinds == {"at": "datetime", "updated_at": "datetime", "note": None,
                     "quantity": "number"}
    assert config["at"]["type_config"]["format"] == "localized"
    plain = column_config(frame.columns)
    assert all((v.get("type_config") or {}).get("type") is None for v in plain.values())
