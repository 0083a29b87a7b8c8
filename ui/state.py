"""Session state: every shared key in one enum, and the typed getters that read it.

The only module that reads or writes the app-wide keys (programme, role, data versions,
settings). Two reads have one function each so their source can change in one place:

- :func:`preview_role` — the sidebar's *Viewing as*, which can only take rights away (the
  person's role comes from the database, see :mod:`ui.access`);
- the data versions are read from the database on every rerun (:func:`ui.data.data_versions`),
  never kept in the session.

Widget keys that only one page uses stay in that page; a key also used by tests or by another
module is a :class:`Key` member (``Key.CONC_VIEW == "conc_view"``), so a rename cannot
leave a test driving a widget that no longer exists or setting state nobody reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum, unique
from typing import TYPE_CHECKING, Final

import streamlit as st

from geo.settings import ROLES, Role, Settings, get_settings

if TYPE_CHECKING:
    from geo.disclosure import DisclosureRules
    from geo.errors import StoreError

DEMO_PROGRAMME: Final = "__demo__"
"""The programme name that stands for the embedded demo (not a stored programme)."""


@unique
class Key(StrEnum):
    """Session-state keys used by more than one module or by tests.

    A member's name is its value in upper case (``_settings`` → ``SETTINGS``).
    """

    # The frame and the ui package
    PROGRAMME_NAME = "programme_name"
    SWITCH_PROGRAMME = "switch_programme"  # picked in the sidebar at the next run (a new import)
    VIEWER_ROLE = "viewer_role"
    SETTINGS = "_settings"
    # Site
    SITE_PICK = "site_pick"
    SITE_FIND = "site_find"
    SITE_ARCHIVE_PICK = "site_archive_pick"
    SITE_ARCHIVE_GO = "site_archive_go"
    SITE_ARCHIVE_SURE = "site_archive_sure"
    SITE_ARCHIVE_SITE = "site_archive_site"
    # Browse & export
    BR_DIRECTION = "br_direction"
    BR_SELECTORS = "br_selectors"
    BR_QMIN = "br_qmin"
    BR_QMAX = "br_qmax"
    BR_UNIT = "br_unit"
    # Import
    IMP_NEW_NAME = "imp_new_name"
    IMP_FILE = "imp_file"
    IMP_GO = "imp_go"
    IMP_REJECTS_DL = "imp_rejects_dl"
    IMP_STORED_REJECTS_DL = "imp_stored_rejects_dl"
    IMP_STORED_REJECTS = "imp_stored_rejects"
    IMP_SAVE_DEMO = "imp_save_demo"
    # Locate records
    GC_RUN = "gc_run"
    GC_MANUAL_LAT = "gc_manual_lat"
    GC_MANUAL_LON = "gc_manual_lon"
    GC_MANUAL_TYPED = "gc_manual_typed"
    GC_FILE = "gc_file"
    GC_FILE_GO = "gc_file_go"
    GC_FILE_DL = "gc_file_dl"
    # Concentrations
    CONC_STREAMS = "conc_streams"
    CONC_VIEW = "conc_view"
    CONC_BANDWIDTH_M = "conc_bandwidth_m"
    CONC_DL_TIF = "conc_dl_tif"
    CONC_DL_PNG = "conc_dl_png"
    CONC_H3_RES = "conc_h3_res"
    CONC_MIN_CLUSTER_T = "conc_min_cluster_t"
    CONC_CLUSTER = "conc_cluster"
    # Site finder (per-profile fields: profile_key())
    SF_PROFILE = "sf_profile"
    SF_RELAX = "sf_relax"
    SF_OBJECTIVE = "sf_objective"
    SF_MEMO_MD = "sf_memo_md"
    SF_MEMO_HTML = "sf_memo_html"
    # Milk round
    MR_STREAM = "mr_stream"
    MR_ACCEPTS = "mr_accepts"
    MR_DAYS = "mr_days"
    MR_DEPOT = "mr_depot"
    MR_VEHICLES = "mr_vehicles"
    MR_CAPACITY = "mr_capacity"
    MR_TIME = "mr_time"
    MR_SUBMIT = "mr_submit"
    MR_ROUTE = "mr_route"
    MR_DL_GPX = "mr_dl_gpx"
    # Synergies
    SYN_RECORD = "syn_record"
    SYN_FIND = "syn_find"
    SYN_PICK = "syn_pick"
    SYN_PICK_FIND = "syn_pick_find"
    SYN_CREATE = "syn_create"
    SYN_TO_STAGE = "syn_to_stage"
    SYN_NOTE = "syn_note"
    SYN_STAGE_SAVE = "syn_stage_save"
    # Workshop
    WS_ENTRIES = "ws_entries"
    WS_SAVE_ENTRIES = "ws_save_entries"
    WS_ADDED = "ws_added"
    WS_LINKS = "ws_links"
    WS_CREATE = "ws_create"
    # Reports
    REP_VIEW = "rep_view"
    REP_XLSX = "rep_xlsx"


def profile_key(field: str, profile_id: str) -> str:
    """Key of a site-finder profile field's widget, e.g. ``profile_key("home", "composting")``.

    One key per field and technology, so each technology keeps its own edits.
    """
    return f"sf_{field}_{profile_id}"


@dataclass(frozen=True)
class DataVersions:
    """Versions of the data in use; part of the cache key of everything read from the store.

    Held in the database and bumped in the same transaction as each write, by any session or
    process (:meth:`geo.store.Store.data_versions`), so every session sees every write at its
    next rerun.
    """

    programme: int = 0
    """Bumped by every write to the programme's sites, resources or contacts."""
    synergies: int = 0
    """Bumped by every write to its synergies, their stages or outcomes."""


RUN_READS: Final = "_symbiomap_run_reads"
"""Session-state key of this run's :class:`RunReads` (set by :func:`begin_run`)."""


@dataclass
class RunReads:
    """What one script run read from the database, read once.

    ``app.py`` builds a page context up to three times before the page builds its own; each
    would read the programme's data versions and disclosure rules again (a transaction and
    four round trips to the database each, six per rerun, which a busy server waits for in
    turn). Kept in the session, so only this session's run shares it; replaced at the start
    of every run (:func:`begin_run`), so the next run — and so every rerun after someone
    else's write — reads the database again.

    ``down`` is the first "cannot be reached" of the run: the run's later reads give it at
    once instead of waiting for the connect timeout again (with the database host gone, a
    demo page would otherwise wait for it six times per rerun). The next run tries again, so
    the session recovers when the database is back.
    """

    versions: dict[str, DataVersions] = field(default_factory=dict)
    rules: dict[str, DisclosureRules] = field(default_factory=dict)
    down: StoreError | None = None

    def note_down(self, exc: StoreError) -> None:
        """Keep ``exc`` as :attr:`down` if it says the database cannot be reached (a
        refused write or a missing programme is not an outage)."""
        from geo.store.faults import DatabaseUnavailableError

        if self.down is None and isinstance(exc, DatabaseUnavailableError):
            self.down = exc


def note_down(exc: StoreError) -> None:
    """Tell this run (if ``app.py`` began one) that a read failed with ``exc``: where the
    database cannot be reached, :func:`ui.data.store` gives that answer at once for the rest
    of the run (:attr:`RunReads.down`)."""
    if (reads := run_reads()) is not None:
        reads.note_down(exc)


def begin_run() -> None:
    """Start a script run: its page contexts share their database reads (``app.py`` calls
    this first, and :func:`end_run` when the page has run)."""
    st.session_state[RUN_READS] = RunReads()


def end_run() -> None:
    """End the run :func:`begin_run` started (where the run can still touch its session:
    after ``st.stop`` Streamlit refuses, and the next run's :func:`begin_run` replaces
    them)."""
    st.session_state.pop(RUN_READS, None)


def run_reads() -> RunReads | None:
    """This run's shared reads, or None outside a run ``app.py`` began (a page run on its
    own: every context then reads for itself).

    Widget callbacks and ``st.fragment`` reruns do not start in ``app.py``: they would see
    the last full run's reads (none of them reads the database today). Code added there that
    reads should begin a run of its own.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:  # a background thread: no run
        return None
    reads = st.session_state.get(RUN_READS)
    return reads if isinstance(reads, RunReads) else None


def settings() -> Settings:
    """The settings, read from the environment once per session."""
    if Key.SETTINGS not in st.session_state:
        st.session_state[Key.SETTINGS] = get_settings()
    found: Settings = st.session_state[Key.SETTINGS]
    return found


def programme_name() -> str:
    """Name of the programme in use: :data:`DEMO_PROGRAMME` unless a stored one is picked."""
    return str(st.session_state.get(Key.PROGRAMME_NAME, DEMO_PROGRAMME))


def preview_role() -> Role:
    """What a person who may see companies chose to view as (the sidebar's *Viewing as*).

    ``practitioner`` (everything their role allows) or ``viewer`` (a preview of what park
    authorities and investors see), defaulting to the ``SYMBIOMAP_ROLE`` setting. It can only
    take rights away: people whose role does not see companies are always viewers
    (:func:`ui.context.page_context` decides). An unknown value falls back to ``viewer``.
    """
    chosen = st.session_state.get(Key.VIEWER_ROLE, settings().role)
    for known in ROLES:
        if chosen == known:
            return known
    return "viewer"
