"""The Locate records page's tabs, drawn from ``pages/geocode.py``: location quality
(:mod:`~ui.locate.quality`), the geocoder chain over the programme or a file
(:mod:`~ui.locate.batch`) and placement by hand (:mod:`~ui.locate.manual`)."""

from ui.locate.batch import locate_file, locate_programme
from ui.locate.manual import place_by_hand
from ui.locate.quality import gazetteer_licences, location_quality

__all__ = ["gazetteer_licences", "locate_file", "locate_programme", "location_quality",
           "place_by_hand"]
