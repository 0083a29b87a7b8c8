"""The contract between the chain and each geocoder step.

A step is any object with a ``name``, the ``best_precision`` it can ever give, a ``notes`` list
for batch-level status messages (said once, e.g. "Nominatim is offline"), and a
``locate(records)`` method. ``locate`` receives tidy records (:mod:`geo.geocode.records`) and
returns a frame on the same index with :data:`STEP_COLUMNS`:

- ``lon``, ``lat``: WGS84 degrees (NaN when not found);
- ``precision``: one of :data:`geo.programme.PRECISIONS` (``not_found`` when not found);
- ``candidate``: the name matched, with ``[1 of N]`` when N candidates matched;
- ``reason``: why the step could not place the record (kept only if no step places it);
- ``note``: a warning about the record's own data, always kept (e.g. swapped coordinates);
- ``source`` (optional): the source to record when it is not the step's name (the coordinates
  step keeps the source an earlier run recorded).
"""

from __future__ import annotations

from typing import Final, Protocol

import numpy as np
import pandas as pd

from geo.i18n import _, format_number
from geo.programme import PRECISIONS

__all__ = ["PRECISION_RANK", "STEP_COLUMNS", "Geocoder", "candidate_label", "empty_output"]

STEP_COLUMNS: Final = ("lon", "lat", "precision", "candidate", "reason", "note")
PRECISION_RANK: Final[dict[str, int]] = {p: i for i, p in enumerate(PRECISIONS)}
"""Rank of each precision label, 0 = best (``manual``)."""


class Geocoder(Protocol):
    """One step of the chain (see the module docstring)."""

    name: str
    best_precision: str
    notes: list[str]

    def locate(self, records: pd.DataFrame) -> pd.DataFrame:
        """Place the records it can; return :data:`STEP_COLUMNS` on ``records.index``."""
        ...


def empty_output(index: pd.Index) -> pd.DataFrame:
    """A step output where nothing is found and nothing is said."""
    n = len(index)

    def text(value: str) -> pd.Series:
        # object dtype on purpose: steps fill these row by row, and inferring Arrow strings for
        # every intermediate frame costs more than the look-ups themselves
        return pd.Series(np.full(n, value, dtype=object), index=index, dtype=object)

    return pd.DataFrame({
        "lon": np.full(n, np.nan),
        "lat": np.full(n, np.nan),
        "precision": text("not_found"),
        "candidate": text(""),
        "reason": text(""),
        "note": text(""),
    }, index=index)


def candidate_label(name: str, country: str, n_candidates: int) -> str:
    """How a matched name is shown: ``"Birmingham, GB [1 of 3]"``.

    Examples
    --------
    >>> candidate_label("Birmingham", "GB", 3), candidate_label("Kotka", "FI", 1)
    ('Birmingham, GB [1 of 3]', 'Kotka, FI')
    """
    label = f"{name}, {country}" if country else name
    if n_candidates <= 1:
        return label
    # Translators: a matched place name and how many places had that name, e.g.
    # "Birmingham, GB [1 of 3]".
    return _("{label} [1 of {n}]").format(label=label, n=format_number(n_candidates))
