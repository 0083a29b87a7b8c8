"""The Streamlit UI layer of ``app.py`` and the pages: ``geo/`` computes, ``ui`` caches and renders.

- :mod:`~ui.access` — sign-in (server mode), the programmes a person may pick, page checks;
- :mod:`~ui.language` — this session's language (URL, profile, browser) and its picker;
- :mod:`~ui.state` — the session-state :class:`Key` enum and typed getters (role, versions);
- :mod:`~ui.legacy_pages` — keeps every page inside ``app.py``'s frame despite ``pages/``;
- :mod:`~ui.data` — the store, the programme and its synergy book, keyed by
  :class:`ProgrammeRef`;
- :mod:`~ui.network` — which road network a programme uses, its loading, the sidebar panel;
- :mod:`~ui.maps` — the offline base map, rendering, bounds;
- :mod:`~ui.widgets` — domain errors, the illustrative-data note, downloads built on click;
- :mod:`~ui.runs` — typed cached runs (concentrations, site finder, matcher, workbook);
- :mod:`~ui.context` — :class:`PageContext`, what a page needs on this rerun.

Pages start with ``ctx = ui.page_context()``. Only ``ui``, ``app.py`` and ``pages/`` import
Streamlit.
"""

from __future__ import annotations

from geo.access import Page
from ui import runs
from ui.access import (
    grant_creator,
    grant_name,
    may_create_programme,
    programmes_for,
    refuse,
    require_import_target,
    sign_out_button,
    writable_programmes,
)
from ui.context import PageContext, page_context
from ui.data import ProgrammeRef
from ui.language import language_picker
from ui.legacy_pages import leave_legacy_pages_mode
from ui.maps import STATIC_DIR, base_map, located_bounds, show_map
from ui.network import NetworkSource, road_network_panel, straight_line_warning
from ui.state import (
    DEMO_PROGRAMME,
    DataVersions,
    Key,
    begin_run,
    end_run,
    profile_key,
)
from ui.widgets import (
    LazyText,
    column_config,
    domain_errors,
    download_button,
    download_buttons,
    illustrative_note,
    pick_record,
    plain,
    progress_bar,
    url_host,
)

__all__ = [
    "DEMO_PROGRAMME",
    "STATIC_DIR",
    "DataVersions",
    "Key",
    "LazyText",
    "NetworkSource",
    "Page",
    "PageContext",
    "ProgrammeRef",
    "base_map",
    "begin_run",
    "column_config",
    "domain_errors",
    "download_button",
    "download_buttons",
    "end_run",
    "grant_creator",
    "grant_name",
    "illustrative_note",
    "language_picker",
    "leave_legacy_pages_mode",
    "located_bounds",
    "may_create_programme",
    "page_context",
    "pick_record",
    "plain",
    "profile_key",
    "programmes_for",
    "progress_bar",
    "refuse",
    "require_import_target",
    "road_network_panel",
    "runs",
    "show_map",
    "sign_out_button",
    "straight_line_warning",
    "url_host",
    "writable_programmes",
]
