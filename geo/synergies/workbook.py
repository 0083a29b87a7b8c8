"""The Excel workbook for funders: synergies, outcomes and totals, with cited factors.

Sheets: ``About`` (programme, date, viewer, rules applied), ``KPIs``, ``Synergies``,
``Outcomes``, ``Totals by park|year|sector|stream`` and ``Factors``. For a viewer who may not
see companies (:func:`geo.confidentiality.can_see_companies`), the synergy and outcome sheets
are aggregated by stream and stage and every group over fewer than ``k`` producers is blanked.
Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) are written
as text (:func:`geo.export.neutralise_formulas`).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.confidentiality import can_see_companies, suppress_small_groups
from geo.export import neutralise_formulas
from geo.synergies.outcomes import OUTCOME_TYPES, OutcomeConfig, outcome_totals, outcomes_wide
from geo.synergies.reports import kpis, synergy_attributes

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.factors import Factors
    from geo.programme import Programme
    from geo.settings import Role
    from geo.synergies.book import SynergyBook

__all__ = ["FACTOR_NAMES", "funder_sheets", "funder_workbook", "read_workbook"]

logger = logging.getLogger(__name__)

FACTOR_NAMES: Final = ("landfill_co2e_kg_per_t", "hgv_co2e_kg_per_tkm", "transport_cost_per_tkm")
"""The factors behind the workbook's computed figures (cited on the ``Factors`` sheet)."""
_TOTALS: Final = {"park_id": "Totals by park", "period": "Totals by year",
                  "sector_nace": "Totals by sector", "stream": "Totals by stream"}


def funder_sheets(programme: Programme, book: SynergyBook, *, factors: Factors,
                  config: OutcomeConfig | None = None, catalogue: Catalogue | None = None,
                  role: Role = "practitioner", k: int = 3) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as frames (sheet name → table), confidentiality applied."""
    config = config or OutcomeConfig()
    attrs = synergy_attributes(book, programme, catalogue)
    wide = outcomes_wide(book, factors=factors, config=config)
    tracked = list(config.tracked)
    sheets: dict[str, pd.DataFrame] = {}
    about = [("Programme", programme.name),
             ("Generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
             ("Viewer", role),
             ("Confidentiality", "full detail (practitioner)" if can_see_companies(role) else
              f"aggregates over at least {k} producing sites; smaller groups blanked"),
             ("Outcome types", ", ".join(OUTCOME_TYPES[t].label for t in tracked)),
             ("Currency", config.currency),
             ("Quantities", "illustrative demo figures" if programme.illustrative
              else "as recorded by the programme")]
    sheets["About"] = pd.DataFrame(about, columns=["item", "value"])
    sheets["KPIs"] = kpis(programme, book, factors=factors, config=config, role=role, k=k)
    if can_see_companies(role):
        names = programme.sites.drop_duplicates("site_id").set_index("site_id")["name"]
        syn = book.synergies.merge(attrs[["synergy_id", "park_id", "to_park_id", "stream"]],
                                   on="synergy_id", how="left")
        syn.insert(5, "from_site", syn["from_site_id"].map(names))
        syn.insert(6, "to_site", syn["to_site_id"].map(names))
        for col in ("created_at", "updated_at"):
            syn[col] = pd.to_datetime(syn[col], utc=True).dt.strftime("%Y-%m-%d %H:%M")
        sheets["Synergies"] = syn
        sheets["Outcomes"] = wide.merge(attrs[["synergy_id", "park_id", "stream"]],
                                        on="synergy_id", how="left")
    else:
        grouped = attrs.groupby(["stream", "stage"], dropna=False).agg(
            synergies=("synergy_id", "size"), producers=("from_site_id", "nunique"),
            tonnes_per_year=("tonnes_per_year", "sum")).reset_index()
        sheets["Synergies"] = suppress_small_groups(
            grouped, producers_col="producers", k=k, value_cols=["synergies", "tonnes_per_year"])
        merged = wide.merge(attrs[["synergy_id", "stream", "from_site_id"]], on="synergy_id")
        out = merged.groupby(["stream", "period"])[tracked].sum()
        out["producers"] = merged.groupby(["stream", "period"])["from_site_id"].nunique()
        sheets["Outcomes"] = suppress_small_groups(out.reset_index(), producers_col="producers",
                                                   k=k, value_cols=tracked)
    for by, title in _TOTALS.items():
        totals = outcome_totals(book, attrs, by=by, factors=factors, config=config)
        if not can_see_companies(role):
            totals = suppress_small_groups(totals, producers_col="producers", k=k,
                                           value_cols=[*tracked, "synergies"])
        sheets[title] = totals
    rows = [factors.get(n) for n in FACTOR_NAMES]
    sheets["Factors"] = pd.DataFrame(
        [(f.name, f.value, f.unit, f.description, f.source, f.version, f.url) for f in rows],
        columns=["name", "value", "unit", "description", "source", "version", "url"])
    return sheets


def funder_workbook(programme: Programme, book: SynergyBook, *, factors: Factors,
                    config: OutcomeConfig | None = None, catalogue: Catalogue | None = None,
                    role: Role = "practitioner", k: int = 3) -> bytes:
    """The funders' workbook as ``.xlsx`` bytes (see :func:`funder_sheets` for the sheets).

    Examples
    --------
    >>> from geo.demo import load_demo_programme
    >>> from geo.factors import load_factors
    >>> from geo.synergies.book import empty_book
    >>> data = funder_workbook(load_demo_programme(), empty_book(), factors=load_factors())
    >>> sorted(read_workbook(data))[:3]
    ['About', 'Factors', 'KPIs']
    """
    sheets = funder_sheets(programme, book, factors=factors, config=config,
                           catalogue=catalogue, role=role, k=k)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            clean = neutralise_formulas(frame)
            for col in clean.columns:
                if isinstance(clean[col].dtype, pd.DatetimeTZDtype):
                    clean[col] = clean[col].dt.tz_localize(None)
            clean.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            for i, col in enumerate(clean.columns, start=1):
                width = max([len(str(col)), *(len(str(v)) for v in clean[col].head(200))])
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width + 2)
            ws.freeze_panes = "A2"
    logger.info("funder workbook for %r (%s): %d sheets", programme.name, role, len(sheets))
    return buf.getvalue()


def read_workbook(data: bytes) -> dict[str, pd.DataFrame]:
    """Read a workbook's sheets back (for checks and for re-import)."""
    frames: dict[str, pd.DataFrame] = pd.read_excel(io.BytesIO(data), sheet_name=None)
    return frames
