"""The Overview page's two views, drawn from ``pages/home.py``: a practitioner's figures and
member sites (:mod:`~ui.home.records`) and a viewer's release figures
(:mod:`~ui.home.released`), with what they share (:mod:`~ui.home.common`)."""

from ui.home.records import overview_records
from ui.home.released import overview_release

__all__ = ["overview_records", "overview_release"]
