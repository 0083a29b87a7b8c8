"""The knowledge base: what completed synergies teach about where a resource can go.

"Which sectors have used this resource before?" Every completed synergy records that a
catalogue code went to a site of some sector; the knowledge base counts those by (code,
receiving sector), keeps the case studies attached to them, and grows as synergies complete.
The matcher proposes wants of those sectors for new haves of the same code.
"""

from __future__ import annotations

import logging
from typing import Final

import pandas as pd

__all__ = ["KB_COLUMNS", "knowledge_base", "sectors_that_used"]

logger = logging.getLogger(__name__)

KB_COLUMNS: Final = ["ewc_code", "sector_nace", "completed", "case_studies", "synergy_ids",
                     "last_completed"]


def knowledge_base(synergies: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Completed synergies counted by (catalogue code, receiving sector).

    Parameters
    ----------
    synergies : DataFrame
        ``SynergyBook.synergies`` (needs ``stage``, ``ewc_code``, ``to_site_id``,
        ``synergy_id``, ``case_study``, ``updated_at``).
    sites : DataFrame
        All sites ever recorded, archived ones included (``site_id``, ``sector_nace``), so
        that the knowledge of a closed site is not lost.

    Returns
    -------
    DataFrame
        :data:`KB_COLUMNS`: ``completed`` is the count, ``case_studies`` and ``synergy_ids``
        are ``"; "``-joined, sorted by code then count (most first).

    Examples
    --------
    >>> syn = pd.DataFrame({"synergy_id": ["A", "B", "C"], "stage": ["completed"] * 2 + ["idea"],
    ...     "ewc_code": ["030105"] * 3, "to_site_id": ["S1", "S2", "S1"],
    ...     "case_study": ["https://example.org/cs1", None, None],
    ...     "updated_at": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-07-01"], utc=True)})
    >>> sites = pd.DataFrame({"site_id": ["S1", "S2"], "sector_nace": ["35.3", "35.3"]})
    >>> kb = knowledge_base(syn, sites)
    >>> kb[["ewc_code", "sector_nace", "completed"]].values.tolist()
    [['030105', '35.3', 2]]
    """
    done = synergies[(synergies["stage"] == "completed") & synergies["ewc_code"].notna()]
    if done.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in KB_COLUMNS})
    sector = sites.drop_duplicates("site_id").set_index("site_id")["sector_nace"]
    done = done.assign(sector_nace=done["to_site_id"].map(sector))
    missing = int(done["sector_nace"].isna().sum())
    if missing:
        logger.warning("%d completed synergies go to sites of unknown sector; counted as "
                       "sector '(unknown)'", missing)
    done = done.assign(sector_nace=done["sector_nace"].fillna("(unknown)"),
                       case_study=done["case_study"].fillna("").astype(str))

    def _join(values: pd.Series) -> str:
        return "; ".join(sorted({v for v in values.astype(str) if v}))

    kb = done.groupby(["ewc_code", "sector_nace"], sort=True).agg(
        completed=("synergy_id", "size"),
        case_studies=("case_study", _join),
        synergy_ids=("synergy_id", _join),
        last_completed=("updated_at", "max"),
    ).reset_index()
    kb = kb.sort_values(["ewc_code", "completed", "sector_nace"],
                        ascending=[True, False, True], kind="stable")
    return kb[KB_COLUMNS].reset_index(drop=True)


def sectors_that_used(kb: pd.DataFrame, code: str) -> pd.DataFrame:
    """The sectors that completed synergies with ``code`` before, most often first."""
    return kb[kb["ewc_code"] == str(code)].reset_index(drop=True)
