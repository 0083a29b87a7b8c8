"""The Concentrations page's parts, drawn from ``pages/concentrations.py``: the filters of
practitioners and of viewers (:mod:`~ui.concentrations.filters`), each map view's settings
and table (:mod:`~ui.concentrations.views`) and the map (:mod:`~ui.concentrations.map`)."""

from ui.concentrations.filters import Filtered, Records, Released, filters
from ui.concentrations.map import show_map
from ui.concentrations.views import VIEWS, ViewResult, view_settings

__all__ = ["VIEWS", "Filtered", "Records", "Released", "ViewResult", "filters", "show_map",
           "view_settings"]
