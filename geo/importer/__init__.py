"""Importing member lists (CSV, Excel) into a programme: read, match headers, validate, store.

- :func:`~geo.importer.read.read_table` — any supported file as a frame of text.
- :func:`~geo.importer.headers.match_headers` — tolerant header → field matching.
- :func:`~geo.importer.validate.validate_rows` — the pandera schema and its row-by-row report.
- :func:`~geo.importer.run.import_file` — the whole job, returning an
  :class:`~geo.importer.run.ImportReport`.

Example::

    from geo.importer import import_file
    from geo.store import open_store
    report = import_file("members.xlsx", store=open_store(), programme="Kotka")
    print(report.rows, report.imported, report.rejected)
    report.write_rejects("members_rejects.csv")   # correct, then import that file
"""

from __future__ import annotations

from geo.importer.headers import HeaderMatch, match_headers
from geo.importer.read import read_table
from geo.importer.run import ImportReport, import_file
from geo.importer.validate import Validation, validate_rows

__all__ = ["HeaderMatch", "ImportReport", "Validation", "import_file", "match_headers",
           "read_table", "validate_rows"]
