"""The Synergies page's tabs, drawn from ``pages/synergies.py``: find matches for a record and
create a synergy (:mod:`~ui.synergies.find`), the pipeline by stage and one synergy's stage
changes, outcomes and history (:mod:`~ui.synergies.track`)."""

from ui.synergies.common import SynergiesView
from ui.synergies.find import find_matches
from ui.synergies.track import one_synergy, pipeline

__all__ = ["SynergiesView", "find_matches", "one_synergy", "pipeline"]
