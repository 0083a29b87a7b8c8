"""Typed cached runs of the analyses: concentrations, the site finder, matching, the workbook.

Every function here receives everything that determines its result as arguments — the
programme (a :class:`~ui.data.ProgrammeRef`: name, database, data version), the road network
(a :class:`~ui.network.NetworkSource`) and the parameters — and reads no session state, so
its cache key is exactly its arguments and it can run outside a page (a deferred download,
a test). Results are shared or copied as Streamlit's cache decides: never modify them.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from geo.i18n import N_
from ui.data import ProgrammeRef, data_versions, demo_ref_name, programme, store, synergy_book
from ui.network import NetworkSource, region_layers, road_graph
from ui.widgets import LazyText

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.concentrations.density import Surface
    from geo.concentrations.selection import ConcentrationQuery, PreparedResources, Selection
    from geo.disclosure import DisclosureRules, ProgrammeRelease
    from geo.importer.worker import PreparedRelease
    from geo.settings import Role, Settings
    from geo.siting import CandidateScreen, ScoreWeights, SiteFinderRun, TechnologyProfile
    from geo.siting.pipeline import CandidateSource
    from geo.synergies.matching import Matcher
    from geo.synergies.protected import SynergyRelease
    from geo.synergies.reports import SankeyData

logger = logging.getLogger(__name__)

# Releases built by the import worker, by (database URL, programme, data version, rules),
# waiting for release() to ask for them (see offer_release).
_PREPARED: dict[tuple[str, str, int, DisclosureRules], ProgrammeRelease] = {}
_PREPARED_LOCK = threading.Lock()
_PREPARED_MAX = 4

# --- Concentrations -----------------------------------------------------------------------

@st.cache_resource(max_entries=4, show_spinner=LazyText(N_("Preparing the records…")))
def prepared_resources(ref: ProgrammeRef) -> PreparedResources:
    """The programme's records as arrays for concentration maps (once per data version)."""
    from geo.concentrations.selection import prepare_resources

    return prepare_resources(programme(ref))


@st.cache_resource(max_entries=16, show_spinner=False)
def selection(ref: ProgrammeRef, query: ConcentrationQuery) -> Selection:
    """The records of the programme that ``query`` selects (see ``select_resources``)."""
    from geo.catalogue import load_catalogue
    from geo.concentrations.selection import select_resources

    return select_resources(prepared_resources(ref), query, catalogue=load_catalogue())


@st.cache_resource(max_entries=32, show_spinner=LazyText(N_("Computing…")))
def heat_surface(ref: ProgrammeRef, query: ConcentrationQuery, *, bandwidth_m: float
                 ) -> Surface:
    """Heat surface (t/yr per km²) of the selection (practitioners; viewers read the release)."""
    from geo.concentrations.selection import heat_for_selection

    return heat_for_selection(selection(ref, query), bandwidth_m=bandwidth_m)


@st.cache_resource(max_entries=32, show_spinner=LazyText(N_("Computing…")))
def within_radius_surface(ref: ProgrammeRef, query: ConcentrationQuery, *, radius_m: float
                          ) -> Surface:
    """Tonnes (t/yr) of the selection within ``radius_m`` metres of every cell."""
    from geo.concentrations.selection import within_radius_for_selection

    return within_radius_for_selection(selection(ref, query), radius_m=radius_m)


@st.cache_resource(max_entries=32, show_spinner=LazyText(N_("Computing…")))
def hexagon_totals(ref: ProgrammeRef, query: ConcentrationQuery, *,
                   resolution: int | None) -> gpd.GeoDataFrame:
    """Unprotected H3 hexagon totals of the selection (protect them per viewer before showing).

    ``resolution`` None picks one from the records' extent.
    """
    from geo.concentrations.selection import hexagons_for_selection

    return hexagons_for_selection(selection(ref, query), resolution=resolution)


@st.cache_resource(max_entries=32, show_spinner=LazyText(N_("Computing…")))
def clusters(ref: ProgrammeRef, query: ConcentrationQuery, *, eps_m: float,
             min_tonnes: float) -> gpd.GeoDataFrame:
    """Named resource clusters of the selection (neighbourhood ``eps_m`` metres)."""
    from geo.concentrations.selection import clusters_for_selection

    return clusters_for_selection(selection(ref, query), eps_m=eps_m, min_tonnes=min_tonnes)


# --- Site finder --------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteFinderQuery:
    """What the site finder screens: a technology profile, where candidates come from.

    Attributes
    ----------
    profile_json : str
        The (edited) profile as JSON (:meth:`TechnologyProfile.to_dict`).
    source : str
        Candidate source (``parks``, ``industrial``, ``hexagons`` or ``user``).
    resolution : int
        H3 resolution of grid candidates.
    upload : bytes or None
        The user's candidate layer file (GeoJSON, GeoPackage, zipped Shapefile) for source
        ``user``; read only through :func:`geo.uploads.read_geodata`.
    upload_name : str
        Its file name (checked against its content).
    """

    profile_json: str
    source: CandidateSource
    resolution: int
    upload: bytes | None = None
    upload_name: str = ""

    @classmethod
    def of(cls, profile: TechnologyProfile, source: CandidateSource, *, resolution: int,
           upload: bytes | None = None, upload_name: str = "") -> SiteFinderQuery:
        """The query for ``profile`` (serialised, so the cache key is plain text)."""
        return cls(json.dumps(profile.to_dict()), source, resolution, upload, upload_name)

    def profile(self) -> TechnologyProfile:
        """The profile this query screens with."""
        from geo.siting import profile_from_dict

        return profile_from_dict(json.loads(self.profile_json))


def _read_layer(data: bytes | None, name: str) -> gpd.GeoDataFrame | None:
    """An uploaded layer, through the one safe reader (content checked, GDAL sealed)."""
    from geo.uploads import read_geodata

    return read_geodata(data, name=name or "upload") if data else None


@st.cache_data(show_spinner=LazyText(N_("Screening and scoring candidate sites…")), max_entries=8)
def site_finder_run(ref: ProgrammeRef, network: NetworkSource, query: SiteFinderQuery, *,
                    weights: ScoreWeights, plants: bytes | None, plants_name: str = "",
                    release_rules: DisclosureRules | None = None, parks: tuple[str, ...] = ()
                    ) -> tuple[CandidateScreen, SiteFinderRun | None]:
    """Screened and scored candidates (see :func:`geo.siting.find_sites`).

    ``plants`` is an optional layer file of existing plants of this kind (``plants_name`` its
    file name). With ``release_rules`` the run is a viewer's: feedstock and output users come
    from the programme's protected release under those rules (limited to ``parks`` where
    given). The run is None when no candidate passes the siting rules.
    """
    from geo import siting

    region = region_layers(network)
    return siting.find_sites(
        programme(ref), query.profile(), query.source, graph=road_graph(network),
        landuse=region.landuse, roads=region.roads, resolution=query.resolution,
        uploaded=_read_layer(query.upload, query.upload_name), weights=weights,
        competitor_layer=_read_layer(plants, plants_name),
        release=release(ref, release_rules) if release_rules is not None else None,
        parks=parks)


@st.cache_data(show_spinner=LazyText(N_("Looking for a rule that lets candidates through…")),
               max_entries=8)
def housing_relaxation(ref: ProgrammeRef, network: NetworkSource,
                       query: SiteFinderQuery) -> float | None:
    """Largest distance from housing (m) that lets a candidate through (None if none does)."""
    from geo import siting

    region = region_layers(network)
    return siting.largest_housing_distance(
        programme(ref), query.profile(), query.source, landuse=region.landuse,
        roads=region.roads, resolution=query.resolution,
        uploaded=_read_layer(query.upload, query.upload_name))


# --- Synergies ----------------------------------------------------------------------------

@st.cache_resource(show_spinner=LazyText(N_("Preparing matches…")), max_entries=4)
def matcher(ref: ProgrammeRef, *, synergy_version: int, network: NetworkSource | None
            ) -> Matcher:
    """Have–want matcher of the programme: road distances on ``network``, straight-line if None."""
    from geo.catalogue import load_catalogue
    from geo.synergies.matching import Matcher

    book = synergy_book(ref, synergy_version=synergy_version)
    return Matcher.from_programme(programme(ref), synergies=book.synergies,
                                  graph=road_graph(network) if network else None,
                                  catalogue=load_catalogue())


@st.cache_data(show_spinner=LazyText(N_("Building the workbook…")), max_entries=4)
def funder_workbook(ref: ProgrammeRef, *, synergy_version: int, locale: str, role: Role,
                    k: int) -> bytes:
    """The funders' workbook (``.xlsx``) of the programme's synergies, for ``role``, in
    ``locale`` (its sheet and column names are translated: the language keys the cache)."""
    from geo.catalogue import load_catalogue
    from geo.factors import load_factors
    from geo.i18n import use_locale
    from geo.synergies import repository
    from geo.synergies.workbook import funder_workbook as build

    prog = programme(ref)
    config = repository.load_outcome_config(store(ref.database_url), prog.name)
    with use_locale(locale):
        return build(prog, synergy_book(ref, synergy_version=synergy_version),
                     factors=load_factors(), config=config, catalogue=load_catalogue(),
                     role=role, k=k)


@st.cache_resource(show_spinner=False, max_entries=8)
def record_labels(ref: ProgrammeRef, *, parks: tuple[str, ...] = (), have: str = "have",
                  want: str = "want") -> pd.Series:
    """The text of each resource record for a record picker, indexed by its id, sorted by
    direction and id: ``id · have · site · description`` (``have`` and ``want`` as the
    session's language writes them). Once per data version; a shared object: do not change.
    """
    prog = programme(ref).restricted_to_parks(parks)
    res = prog.resources.sort_values(["direction", "resource_id"])
    names = prog.sites.set_index("site_id")["name"]
    words = {"have": have, "want": want}
    return (res["resource_id"].astype(str) + " · "
            + res["direction"].map(lambda d: words.get(d, str(d))) + " · "
            + res["site_id"].map(names).fillna("?").astype(str) + " · "
            + res["description"].fillna("").astype(str)
            ).str.rstrip(" ·").set_axis(res["resource_id"].to_numpy())


# The synergy reports carry labels and notes in the session's language: ``locale`` (the
# session's, :func:`geo.i18n.current_locale`) is part of each cache key below.

@st.cache_data(show_spinner=False, max_entries=16)
def synergy_kpis(ref: ProgrammeRef, *, synergy_version: int, locale: str,
                 parks: tuple[str, ...] = ()) -> pd.DataFrame:
    """The practitioners' dashboard (:func:`geo.synergies.reports.kpis`) of the programme,
    limited to ``parks`` when given; once per data and synergy version and language."""
    from geo.factors import load_factors
    from geo.synergies import repository
    from geo.synergies.reports import kpis

    _ = locale  # cache key
    prog = programme(ref).restricted_to_parks(parks)
    config = repository.load_outcome_config(store(ref.database_url), prog.name)
    return kpis(prog, synergy_book(ref, synergy_version=synergy_version),
                factors=load_factors(), config=config)


@st.cache_resource(show_spinner=False, max_entries=8)
def synergy_sankey(ref: ProgrammeRef, *, synergy_version: int, locale: str,
                   parks: tuple[str, ...] = ()) -> SankeyData:
    """The practitioners' resource-pool Sankey (:func:`geo.synergies.reports.sankey_data`);
    once per data and synergy version and language (a shared object: do not change)."""
    from geo.catalogue import load_catalogue
    from geo.synergies.reports import sankey_data

    _ = locale  # cache key
    prog = programme(ref).restricted_to_parks(parks)
    return sankey_data(prog, synergy_book(ref, synergy_version=synergy_version),
                       catalogue=load_catalogue())


@st.cache_data(show_spinner=False, max_entries=32)
def synergy_network(ref: ProgrammeRef, *, synergy_version: int, locale: str,
                    stages: tuple[str, ...], parks: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """The practitioners' synergy links of ``stages`` as lines
    (:func:`geo.synergies.reports.network_edges`); once per versions, stages and language."""
    from geo.synergies.reports import network_edges

    _ = locale  # cache key
    prog = programme(ref).restricted_to_parks(parks)
    return network_edges(synergy_book(ref, synergy_version=synergy_version), prog,
                         stages=stages)


@st.cache_data(show_spinner=False, max_entries=16)
def viewer_synergy_kpis(ref: ProgrammeRef, *, synergy_version: int, locale: str,
                        rules: DisclosureRules, member_sites: int | None = None
                        ) -> pd.DataFrame:
    """The viewers' dashboard (:func:`geo.synergies.viewer.viewer_kpis`) from the protected
    synergy release; once per versions, rules and language."""
    from geo.synergies.viewer import viewer_kpis

    _ = locale  # cache key
    released = synergy_release(ref, synergy_version=synergy_version, rules=rules)
    return viewer_kpis(released, member_sites=member_sites)


@st.cache_data(show_spinner=False, max_entries=32)
def viewer_synergy_network(ref: ProgrammeRef, *, synergy_version: int, locale: str,
                           rules: DisclosureRules, stages: tuple[str, ...],
                           parks: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Viewers' park-to-park links of ``stages`` from the protected synergy release
    (:func:`geo.synergies.viewer.viewer_network_edges`); once per versions, rules, stages
    and language."""
    from geo.synergies.viewer import park_points, viewer_network_edges

    _ = locale  # cache key
    released = synergy_release(ref, synergy_version=synergy_version, rules=rules)
    return viewer_network_edges(released, park_points(programme(ref)), stages=stages,
                                parks=parks)


# --- Disclosure ---------------------------------------------------------------------------

@st.cache_resource(show_spinner=LazyText(N_("Protecting the figures viewers may see…")),
                   max_entries=8)
def release(ref: ProgrammeRef, rules: DisclosureRules) -> ProgrammeRelease:
    """The programme's protected release at this data version and these rules.

    Built once per version on the **whole** programme (a park authority then reads only its
    parks' figures from it): every viewer figure of every page derives from this one object.
    """
    from geo.catalogue import load_catalogue
    from geo.disclosure import build_release

    with _PREPARED_LOCK:  # built by the import worker after the write that made this version
        prepared = _PREPARED.pop((ref.database_url, ref.stored_name, ref.version, rules), None)
    if prepared is not None:
        return prepared
    return build_release(programme(ref), catalogue=load_catalogue(), rules=rules)


def offer_release(database_url: str, prepared: PreparedRelease) -> None:
    """Keep a release the import worker built (:func:`geo.importer.worker.import_and_prepare`)
    for :func:`release` to use at its version and rules instead of building it here; the
    newest few are kept, and one nobody asked for is dropped."""
    with _PREPARED_LOCK:
        _PREPARED[(database_url, prepared.programme, prepared.version, prepared.rules)] = \
            prepared.release
        while len(_PREPARED) > _PREPARED_MAX:
            del _PREPARED[next(iter(_PREPARED))]


@st.cache_resource(show_spinner=LazyText(N_("Protecting the synergy figures viewers may see…")),
                   max_entries=8)
def synergy_release(ref: ProgrammeRef, *, synergy_version: int,
                    rules: DisclosureRules) -> SynergyRelease:
    """The programme's protected synergy release at these data versions and rules.

    Built once per version on the **whole** programme and all its synergies (a park authority
    reads its park pairs from the same release).
    """
    from geo.catalogue import load_catalogue
    from geo.factors import load_factors
    from geo.synergies import repository
    from geo.synergies.protected import build_synergy_release

    prog = programme(ref)
    config = repository.load_outcome_config(store(ref.database_url), prog.name)
    return build_synergy_release(prog, synergy_book(ref, synergy_version=synergy_version),
                                 catalogue=load_catalogue(), factors=load_factors(),
                                 config=config, rules=rules)


def warm_after_write(name: str, settings: Settings) -> threading.Thread:
    """Load programme ``name`` and build its protected release (with the haves' tree, which
    every viewer page reads first) at the data version a write just made, in a background
    thread; the thread (tests join it).

    Every session's next rerun needs both at the new version, and all of them wait for the one
    build (:func:`ui.data.programme` and :func:`release` compute once per key): started as
    soon as an import has landed, that build is under way — or done — before the first reader
    arrives, instead of starting with it. Nothing is shown from here; a failure is logged and
    the next page builds them as before.
    """
    from geo.disclosure.settings import rules_in_force
    from ui.access import grant_name

    def work() -> None:
        try:
            versions = data_versions(name, settings.database_url)
            # the key the pages read (the demo's stored copy: the demo's key)
            ref = ProgrammeRef(demo_ref_name(name, demo=settings.demo), settings.database_url,
                               versions.programme)
            programme(ref)
            if data_versions(name, settings.database_url).programme != ref.version:
                return  # another write came meanwhile: its own warm-up builds the newer one
            rules = rules_in_force(store(settings.database_url), grant_name(name), settings)
            # the haves' tree too: every viewer page opens on haves (the wants' tree is
            # built by the first page that reads wants)
            _ = release(ref, rules).trees["have"]  # protected here, not in a reader's rerun
            # No gc.collect() here: a full collection holds the interpreter lock for ~0.3 s
            # while every session waits for this very build, and a sampling of twenty
            # sessions found it a tenth of the app's time during imports. The previous
            # version's frames are freed by reference counting when the caches drop them.
        except Exception:  # a background convenience: the pages build them when needed
            logger.warning("Could not prepare %r after a write; the next page will",
                           name, exc_info=True)

    thread = threading.Thread(target=work, name="symbiomap-warm-after-write", daemon=True)
    thread.start()
    return thread
