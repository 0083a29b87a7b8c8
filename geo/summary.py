"""Programme summaries shown on the overview page and in reports."""

from __future__ import annotations

import pandas as pd

__all__ = ["tonnes_by_chapter"]


def tonnes_by_chapter(resources: pd.DataFrame) -> pd.DataFrame:
    """Tonnes per year of haves and wants per waste-catalogue chapter.

    Parameters
    ----------
    resources : DataFrame
        With ``ewc_code``, ``direction`` and ``tonnes_per_year`` (see
        :func:`geo.programme.resources_with_sites`).

    Returns
    -------
    DataFrame
        ``chapter``, ``title``, ``have_t``, ``want_t``, ``records``; sorted by haves, largest
        first. Records without a code or not in t/yr are left out (they carry no tonnage).

    Examples
    --------
    >>> df = pd.DataFrame({"ewc_code": ["020304", "020202", "150101"],
    ...                    "direction": ["have", "want", "have"],
    ...                    "tonnes_per_year": [10.0, 5.0, 2.0]})
    >>> tonnes_by_chapter(df)[["chapter", "have_t", "want_t"]].values.tolist()
    [['02', 10.0, 5.0], ['15', 2.0, 0.0]]
    """
    from geo.catalogue import load_catalogue

    res = resources[resources["ewc_code"].notna() & resources["tonnes_per_year"].notna()]
    if res.empty:
        return pd.DataFrame(columns=["chapter", "title", "have_t", "want_t", "records"])
    chapter = res["ewc_code"].astype(str).str[:2]
    table = (res.assign(chapter=chapter)
             .pivot_table(index="chapter", columns="direction", values="tonnes_per_year",
                          aggfunc="sum", fill_value=0.0)
             .reindex(columns=["have", "want"], fill_value=0.0)
             .rename(columns={"have": "have_t", "want": "want_t"}))
    table["records"] = chapter.value_counts()
    table = table.reset_index()
    table.columns.name = None
    cat = load_catalogue()
    table.insert(1, "title", table["chapter"].map(cat.chapter_label))
    return table.sort_values("have_t", ascending=False, kind="stable").reset_index(drop=True)
