"""Site finder for new reprocessing technology.

Where should a plant for a technology go, and is there enough feedstock for it? The pieces,
each usable on its own:

- :mod:`~geo.siting.profiles` — technology profiles (accepted streams, throughput, haul,
  costs, land, siting rules), shipped with sources in ``data/technologies/profiles.json``;
- :mod:`~geo.siting.candidates` — candidate sites and the siting-rule screen;
- :mod:`~geo.siting.feedstock` — accepted haves, wanters of the output, competing plants;
- :mod:`~geo.siting.released` — the same from a protected release, for viewers (pseudo-suppliers
  at released hexagons, banding);
- :mod:`~geo.siting.haul` — road (or labelled straight-line) haul matrices;
- :mod:`~geo.siting.scoring` — transparent scores on arrays, weights and sensitivity;
- :mod:`~geo.siting.finder` — the GeoDataFrame adapter and what a viewer's ranking shows;
- :mod:`~geo.siting.pmedian` — the p-median solver with its certified lower bound;
- :mod:`~geo.siting.locate`, :mod:`~geo.siting.catchments` — best p sites (p-median,
  maximal covering, capacitated), flows and catchment polygons;
- :mod:`~geo.siting.screening` — a national 1 km straight-line screening grid;
- :mod:`~geo.siting.memo` — the one-page summary; :mod:`~geo.siting.pipeline` — end to end.
"""

from geo.siting.candidates import (
    RULE_LABELS,
    CandidateScreen,
    SitingLayers,
    far_from_sites,
    rule_label,
    screen_candidates,
    siting_layers,
)
from geo.siting.catchments import (
    BestSites,
    best_sites_for_role,
    best_sites_from_scored,
    road_reach_polygon,
)
from geo.siting.feedstock import (
    competitor_sites,
    feedstock_records,
    output_wanters,
    supplier_points,
)
from geo.siting.finder import (
    ScoredSites,
    ranking_for_role,
    score_sites_from_gdf,
    suppliers_in_reach,
    viewer_only_released,
)
from geo.siting.locate import OBJECTIVE_LABELS, OBJECTIVES, Allocation, solve_best_sites
from geo.siting.memo import memo_blocks, memo_html, memo_markdown
from geo.siting.pipeline import (
    CANDIDATE_SOURCES,
    SiteFinderRun,
    candidate_set,
    find_sites,
    largest_housing_distance,
    run_site_finder,
)
from geo.siting.pmedian import PMedianParams, PMedianResult, solve_pmedian
from geo.siting.profiles import TechnologyProfile, load_profiles, profile_from_dict
from geo.siting.released import (
    RELEASED_SUPPLIER,
    RELEASED_WANTER,
    ReleaseStreams,
    feedstock_from_release,
    profile_release_streams,
    released_note,
    round_significant,
    viewer_notes,
    wanters_from_release,
)
from geo.siting.scoring import (
    CRITERIA,
    CRITERION_LABELS,
    STATUS_LABELS,
    ScoreWeights,
    ScoringParams,
    describe_sensitivity,
    score_sites,
    status_label,
    weight_sensitivity,
)
from geo.siting.screening import ScreeningGrid, screen_grid, separated_top_cells

__all__ = [
    "CANDIDATE_SOURCES",
    "CRITERIA",
    "CRITERION_LABELS",
    "OBJECTIVES",
    "OBJECTIVE_LABELS",
    "RELEASED_SUPPLIER",
    "RELEASED_WANTER",
    "RULE_LABELS",
    "STATUS_LABELS",
    "Allocation",
    "BestSites",
    "CandidateScreen",
    "PMedianParams",
    "PMedianResult",
    "ReleaseStreams",
    "ScoreWeights",
    "ScoredSites",
    "ScoringParams",
    "ScreeningGrid",
    "SiteFinderRun",
    "SitingLayers",
    "TechnologyProfile",
    "best_sites_for_role",
    "best_sites_from_scored",
    "candidate_set",
    "competitor_sites",
    "describe_sensitivity",
    "far_from_sites",
    "feedstock_from_release",
    "feedstock_records",
    "find_sites",
    "largest_housing_distance",
    "load_profiles",
    "memo_blocks",
    "memo_html",
    "memo_markdown",
    "output_wanters",
    "profile_from_dict",
    "profile_release_streams",
    "ranking_for_role",
    "released_note",
    "road_reach_polygon",
    "round_significant",
    "rule_label",
    "run_site_finder",
    "score_sites",
    "score_sites_from_gdf",
    "screen_candidates",
    "screen_grid",
    "separated_top_cells",
    "siting_layers",
    "solve_best_sites",
    "solve_pmedian",
    "status_label",
    "supplier_points",
    "suppliers_in_reach",
    "viewer_notes",
    "viewer_only_released",
    "wanters_from_release",
    "weight_sensitivity",
]
