"""The waste catalogue: codes, chapters, hazardous marks, stream groups, and its file format.

- :mod:`~geo.catalogue.catalogue` — :class:`Catalogue` and :func:`load_catalogue`;
- :mod:`~geo.catalogue.fileformat` — the CSV format: columns, code normalisation, validation.
"""

from __future__ import annotations

from geo.catalogue.catalogue import Catalogue, load_catalogue
from geo.catalogue.fileformat import CATALOGUE_COLUMNS, LEVELS, STREAM_COLUMNS

__all__ = ["CATALOGUE_COLUMNS", "LEVELS", "STREAM_COLUMNS", "Catalogue", "load_catalogue"]
