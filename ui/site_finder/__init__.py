"""The Site finder page's parts, drawn from ``pages/site_finder.py``: the technology, candidate
and weight inputs (:mod:`~ui.site_finder.inputs`) and the screened or scored results
(:mod:`~ui.site_finder.results`)."""

from ui.site_finder.inputs import SiteFinderInputs, site_finder_inputs
from ui.site_finder.results import no_candidates, scored_results

__all__ = ["SiteFinderInputs", "no_candidates", "scored_results", "site_finder_inputs"]
