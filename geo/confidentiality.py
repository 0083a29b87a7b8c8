"""The confidentiality rule: what a viewer who may not see individual companies can see.

Programme data is commercially sensitive. Practitioners see everything; other viewers (park
authorities, investors) see only aggregates over at least ``k`` distinct producers
(``Settings.k_anonymity``, default 3): an aggregate over fewer producers could reveal one
company's figure. Every view and export that a non-practitioner can see passes through
:func:`suppress_small_groups` or :func:`redact_companies`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.errors import ConfidentialityError
from geo.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from geo.settings import Role

__all__ = [
    "COMPANY_COLUMNS",
    "PERSONAL_COLUMNS",
    "can_see_companies",
    "check_k",
    "redact_companies",
    "suppress_small_groups",
]

COMPANY_COLUMNS = ("site_id", "site_name", "name", "address", "postcode", "resource_id",
                   "description", "contact_id", "email", "phone", "supplier_names")
"""Columns that identify a company or its records."""

PERSONAL_COLUMNS = ("contact_id", "email", "phone", "role")
"""Personal data of contacts: practitioners only."""


def can_see_companies(role: Role) -> bool:
    """Whether a viewer of this role may see individual companies and their figures.

    Examples
    --------
    >>> can_see_companies("practitioner"), can_see_companies("viewer")
    (True, False)
    """
    return role == "practitioner"


def check_k(k: int) -> int:
    """Validate the k of the rule (at least 1)."""
    if int(k) < 1:
        msg = _("The confidentiality k must be at least 1 producer, got {k!r}; the default is "
                "3.").format(k=k)
        raise ConfidentialityError(msg)
    return int(k)


def suppress_small_groups(
    frame: pd.DataFrame,
    *,
    producers_col: str,
    k: int,
    value_cols: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Blank every figure of rows aggregated over fewer than ``k`` distinct producers.

    Parameters
    ----------
    frame : DataFrame
        One row per aggregate (a hexagon, park, cluster, candidate site…) with the number of
        distinct producers behind it in ``producers_col``.
    producers_col : str
        Column with the distinct-producer count.
    k : int
        Minimum producers for a figure to be shown.
    value_cols : sequence of str, optional
        The figures to blank; default every numeric column except ``producers_col``.

    Returns
    -------
    DataFrame
        A copy: suppressed rows have NaN in ``value_cols`` and in ``producers_col`` (so
        not even "1 producer" is revealed), and a boolean ``suppressed`` column is added.
        Geometry and identifiers of the aggregate are kept so the map can grey the cell out.

    Examples
    --------
    >>> df = pd.DataFrame({"cell": ["a", "b"], "producers": [5, 2], "tonnes": [10.0, 99.0]})
    >>> out = suppress_small_groups(df, producers_col="producers", k=3)
    >>> out["tonnes"].tolist()[1] != out["tonnes"].tolist()[1], out["suppressed"].tolist()
    (True, [False, True])
    """
    k = check_k(k)
    if producers_col not in frame.columns:
        msg = _("Cannot apply the confidentiality rule: no producer-count column {column!r} "
                "among {columns!r}.").format(column=producers_col, columns=list(frame.columns))
        raise ConfidentialityError(msg)
    out = frame.copy()
    counts = pd.to_numeric(out[producers_col], errors="coerce").fillna(0)
    small = (counts < k).to_numpy()
    if value_cols is None:
        value_cols = [c for c in out.select_dtypes(include=[np.number]).columns
                      if c != producers_col]
    for col in [*value_cols, producers_col]:
        out[col] = out[col].astype(float) if pd.api.types.is_numeric_dtype(out[col]) else out[col]
        out.loc[small, col] = np.nan
    out["suppressed"] = small
    return out


def redact_companies(frame: pd.DataFrame, *, role: Role) -> pd.DataFrame:
    """Drop company- and person-identifying columns for viewers who may not see them.

    Practitioners get the frame unchanged. For others, columns in :data:`COMPANY_COLUMNS` and
    :data:`PERSONAL_COLUMNS` are removed; use on record-level tables only after aggregation.
    """
    if can_see_companies(role):
        return frame
    drop = [c for c in (*COMPANY_COLUMNS, *PERSONAL_COLUMNS) if c in frame.columns]
    return frame.drop(columns=drop)
