"""AppTest tests of the Overview page (pages/home.py), the app's default page.

:func:`page_text` (every element's content as text, maps included) is shared by the viewer
tests of the other pages.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.demo import load_demo_programme
from tests.pages.support import APP, open_page, page_text


@pytest.fixture
def app() -> AppTest:
    """The app, run once on its default page."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_shows_programme_figures(app: AppTest) -> None:
    """The overview shows the demo's member, park and resource counts and the illustrative label."""
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Member sites"]) >= 40
    assert int(metrics["Parks"]) >= 3
    assert int(metrics["Resource records"].replace(",", "")) >= 100
    assert any("illustrative" in c.value for c in app.caption)


def test_overview_lists_tonnes_by_chapter(app: AppTest) -> None:
    """The chapter table has named chapters whose haves add up to the headline figure."""
    table = app.dataframe[0].value
    assert {"chapter", "title", "have_t"} <= set(table.columns)
    assert table["title"].str.len().min() > 5
    # the chapter's code has its own column, not repeated in the title ("10 | Wastes from …")
    assert not any(t.startswith(c) for c, t in zip(table["chapter"], table["title"], strict=True))
    haves = float(app.metric[3].value.replace(",", ""))
    assert table["have_t"].sum() == pytest.approx(haves, abs=1.0)


def test_practitioner_park_table_keeps_haves_and_wants_apart(app: AppTest) -> None:
    """The park table's haves column holds haves only; wants have their own column (and the
    map draws the member sites as points)."""
    assert "Point" in page_text(app)
    parks = next(d.value for d in app.dataframe if "tonnes_have" in d.value.columns)
    assert "tonnes_want" in parks
    haves = float(app.metric[3].value.replace(",", ""))
    assert parks["tonnes_have"].sum() <= haves + 1.0


@pytest.fixture
def viewer() -> AppTest:
    """The overview as a viewer (a practitioner previewing 'Viewing as: viewer')."""
    return open_page("pages/home.py", role="viewer")


def test_viewer_overview_shows_no_site_and_no_sector(viewer: AppTest) -> None:
    """No member site's point, name, id or sector reaches a viewer's browser."""
    prog = load_demo_programme()
    text = page_text(viewer)
    leaked = [n for n in [*prog.sites["name"], *prog.sites["site_id"]] if n in text]
    assert not leaked, leaked[:3]
    assert "sector" not in text.lower()
    assert "Point" not in text  # member sites are the only point features of the map


def test_viewer_overview_shows_released_streams_and_parks(viewer: AppTest) -> None:
    """Streams carry producers where released and 'withheld' otherwise; parks split haves
    and wants and say whether they are complete."""
    streams = next(d.value for d in viewer.dataframe if "have_producers" in d.value.columns)
    shown = streams[streams["have_t"].notna()]
    assert (shown["have_producers"] >= 3).all()
    assert (streams.loc[streams["have_t"].isna(), "withheld"].str.contains("haves")).all()
    parks = next(d.value for d in viewer.dataframe if "have_complete" in d.value.columns)
    assert {"have_t", "want_t", "want_complete"} <= set(parks.columns)
    labels = {m.label for m in viewer.metric}
    assert "Resource records" not in labels and "Member sites" in labels
    # every release stream is listed (one no member has reads like a withheld one), and a
    # withheld figure is drawn as a dash, not Streamlit's "None"
    assert len(streams) == len(viewer_release_streams())
    assert all(d.proto.placeholder == "—" for d in viewer.dataframe
               if {"have_producers", "have_complete"} & set(d.value.columns))


def viewer_release_streams() -> list[str]:
    from geo.catalogue import load_catalogue
    from geo.disclosure.release import release_streams

    return release_streams(load_catalogue())["stream"].tolist()


def test_overview_and_sidebar_in_the_pseudo_locale() -> None:
    """In the pseudo-locale the frame (sidebar, menu) and the overview speak only marked
    text: metrics, the programme picker and its demo entry, the *Viewing as* choices."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "qps_PLOC"
    at.run()
    assert not at.exception, at.exception
    assert all(m.label.startswith("⟦") for m in at.metric)
    picker = at.sidebar.selectbox(key="programme_name")
    assert picker.label == "⟦Prõgràmmé⟧"
    assert picker.options[0] == "⟦Kàrhülà démõ (îllüstràtîvé)⟧"  # stored ones: their names
    viewing = at.sidebar.radio(key="viewer_role")
    assert viewing.options == ["⟦pràçtîtîõñér⟧", "⟦vîéwér⟧"]
    assert viewing.value == "practitioner"  # the value stays a code
    assert at.sidebar.caption[-1].value == "⟦Màp dàtà © ÕpéñStréétMàp çõñtrîbütõrs (ÕDbL 1.0)⟧"
