"""The Browse & export page's two views, drawn from ``pages/browse.py``: a practitioner's
record search (:mod:`~ui.browse.records`) and a viewer's release figures
(:mod:`~ui.browse.released`), with what they share (:mod:`~ui.browse.common`)."""

from ui.browse.common import BrowseView
from ui.browse.records import browse_records
from ui.browse.released import browse_release

__all__ = ["BrowseView", "browse_records", "browse_release"]
