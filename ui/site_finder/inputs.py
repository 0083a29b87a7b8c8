"""The Site finder's inputs: technology profile (with the user's edits), candidate source,
grid cell, uploads and the score's weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, cast

import streamlit as st

import ui
from geo import siting
from geo.i18n import _, format_number
from ui import Key, profile_key, runs

if TYPE_CHECKING:
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    from geo.siting import ScoreWeights, TechnologyProfile
    from geo.siting.pipeline import CandidateSource

__all__ = ["SiteFinderInputs", "site_finder_inputs"]

# H3 resolution → the area of one cell (ha) and the decimals to show it with.
GRID_CELL_HA: Final = {9: (10.0, 0), 10: (1.5, 1), 11: (0.2, 1)}
LAYER_TYPES: Final = ["geojson", "json", "gpkg", "zip"]


@dataclass(frozen=True)
class SiteFinderInputs:
    """What the user asked the site finder for.

    Attributes
    ----------
    profile_id : str
        The technology profile's id (file stems of downloads use it).
    profile : TechnologyProfile
        The profile with the user's edits of its figures and siting rules.
    weights : ScoreWeights
    query : runs.SiteFinderQuery
        Profile, candidate source, grid resolution and uploaded candidates: the run's key.
    plants : UploadedFile or None
        The user's layer of existing plants of this kind (competitors).
    """

    profile_id: str
    profile: TechnologyProfile
    weights: ScoreWeights
    query: runs.SiteFinderQuery
    plants: UploadedFile | None


@st.cache_data(show_spinner=False, max_entries=4)
def _layer_problem(data: bytes, name: str) -> str | None:
    """Why an uploaded layer cannot be read (through the one upload reader), or None; once
    per file, not on every rerun."""
    from geo.errors import SymbiosisError
    from geo.uploads import read_geodata

    try:
        read_geodata(data, name=name)
    except SymbiosisError as exc:
        return str(exc)
    return None


def _readable(layer: UploadedFile) -> bool:
    """Whether an optional layer can be read; if not, say why under its box and that the
    results leave it out."""
    problem = _layer_problem(layer.getvalue(), layer.name)
    if problem is not None:
        st.error(_("{problem} The results below leave this optional layer out.").format(
            problem=ui.plain(problem)), icon=":material/layers_clear:")
    return problem is None


def site_finder_inputs() -> SiteFinderInputs:
    """Draw the inputs (technology, candidates, profile figures and rules, weights) and read
    them; a profile edit the profile refuses is shown as an error and stops the page."""
    profiles = siting.load_profiles()
    c1, c2, c3 = st.columns([2, 2, 1])
    pid = c1.selectbox(_("Technology"), list(profiles), key=Key.SF_PROFILE,
                       format_func=lambda p: _(profiles[p].name))
    source = c2.selectbox(_("Candidate sites"), list(siting.CANDIDATE_SOURCES), index=2,
                          key="sf_source", format_func=lambda s: _(siting.CANDIDATE_SOURCES[s]))
    res = c3.select_slider(
        _("Grid cell"), [9, 10, 11], 10, key="sf_res",
        format_func=lambda r: _("{area} ha").format(
            area=format_number(GRID_CELL_HA[r][0], digits=GRID_CELL_HA[r][1])))
    upload = (st.file_uploader(_("Candidate points or parcels (GeoJSON, GeoPackage, zipped "
                                 "Shapefile)"), type=LAYER_TYPES, key="sf_upload")
              if source == "user" else None)
    plants = st.file_uploader(_("Existing plants of this kind (optional layer: GeoJSON, "
                                "GeoPackage, zipped Shapefile)"), type=LAYER_TYPES,
                              key="sf_plants_upload")
    if plants is not None and not _readable(plants):
        plants = None  # optional: the ranking goes on without it (the reason is shown above)
    base = profiles[pid]
    with st.expander(_("Profile: {profile} — figures and siting rules").format(
            profile=_(base.name))):
        e = st.columns(4)
        num = {"min_throughput_t": (e[0], _("Min t/yr")),
               "max_throughput_t": (e[0], _("Max t/yr")),
               "max_haul_km": (e[1], _("Max haul km")),
               "gate_fee_eur_per_t": (e[1], _("Gate fee EUR/t")),
               "land_ha": (e[2], _("Land ha")),
               "transport_cost_per_tkm": (e[2], _("EUR per t·km"))}
        edits = {f: col.number_input(label, value=float(getattr(base, f)),
                                     key=profile_key(f, pid))
                 for f, (col, label) in num.items()}
        r = base.rules
        # The housing distance is also set by the results' "Try … m from housing" button
        # (through its key): its default goes through the key too, never as value= beside it.
        st.session_state.setdefault(profile_key("home", pid),
                                    float(r.min_residential_distance_m))
        rules = {"min_residential_distance_m": e[3].number_input(
                     _("Min m from housing"), key=profile_key("home", pid)),
                 "max_main_road_distance_m": e[3].number_input(
                     _("Max m to a main road"), value=r.max_main_road_distance_m or 5000.0,
                     key=profile_key("road", pid)),
                 "inside_industrial": e[3].checkbox(_("On industrial land or in a park"),
                                                    r.inside_industrial,
                                                    key=profile_key("ind", pid))}
        # Translators: {sources} are the profile's citations (kept in their own language).
        st.caption(_("Sources: {sources}").format(sources=" · ".join(base.sources)))
    with st.expander(_("Weights of the score")):
        cols, default = st.columns(len(siting.CRITERIA)), siting.ScoreWeights()
        w = [col.slider(_(siting.CRITERION_LABELS[c]), 0.0, 1.0, getattr(default, c), 0.05,
                        key=f"sf_w_{c}") for col, c in zip(cols, siting.CRITERIA, strict=True)]
    with ui.domain_errors():
        profile = base.with_changes(**edits, rules=rules)
        weights = siting.ScoreWeights(*w)
        query = runs.SiteFinderQuery.of(profile, cast("CandidateSource", source), resolution=res,
                                        upload=upload.getvalue() if upload else None,
                                        upload_name=upload.name if upload else "")
    return SiteFinderInputs(profile_id=pid, profile=profile, weights=weights, query=query,
                            plants=plants)
