"""The waste catalogue: codes, chapters, hazardous marks, stream groups, and its file format.

- :mod:`~geo.catalogue.catalogue` — :class:`Catalogue` and :func:`load_catalogue`;
- :mod:`~geo.catalogue.fileformat` — the CSV format: columns, code normalisation, validation;
- :mod:`~geo.catalogue.info` — :class:`CatalogueInfo`, a catalogue's description
  (``NAME.meta.json``: id, edition, validity, status, the notice the app shows);
- :mod:`~geo.catalogue.registry` — the catalogues a programme can choose, by id;
- :mod:`~geo.catalogue.crosswalk` — :class:`Crosswalk` between catalogues (exact, broader,
  narrower, related; reviewed or not), for selection and matching across catalogues;
- :mod:`~geo.catalogue.ibama` — Brazil's IBAMA list (IN 13/2012), shipped as a transcription;
- :mod:`~geo.catalogue.china` (row checks in :mod:`~geo.catalogue.china_rows`) — China's
  National Catalogue of Hazardous Wastes read from the official table a programme supplies.
"""

from __future__ import annotations

from geo.catalogue.catalogue import Catalogue, load_catalogue
from geo.catalogue.china import ChinaListReport, read_china_hw_list
from geo.catalogue.crosswalk import CROSSWALK_COLUMNS, RELATIONS, Crosswalk, load_crosswalk
from geo.catalogue.fileformat import CATALOGUE_COLUMNS, LEVELS, STREAM_COLUMNS
from geo.catalogue.info import CatalogueInfo
from geo.catalogue.registry import available_catalogues, catalogue_path

__all__ = [
    "CATALOGUE_COLUMNS",
    "CROSSWALK_COLUMNS",
    "LEVELS",
    "RELATIONS",
    "STREAM_COLUMNS",
    "Catalogue",
    "CatalogueInfo",
    "ChinaListReport",
    "Crosswalk",
    "available_catalogues",
    "catalogue_path",
    "load_catalogue",
    "load_crosswalk",
    "read_china_hw_list",
]
