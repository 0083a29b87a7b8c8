"""The Reports page's parts, drawn from ``pages/reports.py``: the headline KPIs
(:mod:`~ui.reports.kpis`) and the five views — resource pool, network map and graph, gaps and
the funders' workbook (:mod:`~ui.reports.views`)."""

from ui.reports.common import ReportsView
from ui.reports.kpis import kpis
from ui.reports.views import VIEWS, show_view

__all__ = ["VIEWS", "ReportsView", "kpis", "show_view"]
