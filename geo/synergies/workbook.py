"""The Excel workbook for funders: synergies, outcomes and totals, with cited factors.

Practitioners get the sheets ``About`` (programme, date, viewer, rules applied), ``KPIs``,
``Synergies``, ``Outcomes``, ``Totals by park|year|sector|stream`` and ``Factors``.

A viewer who may not see companies (:func:`geo.confidentiality.can_see_companies`) gets the
programme's :class:`~geo.synergies.protected.SynergyRelease` as a workbook, and nothing else:
``About``, ``KPIs`` (released totals), ``Totals by stage``, ``By stage and stream``,
``By park pair`` (released nodes of the tree; blank: withheld), ``Totals by stream`` and
``Totals by park pair`` (sums of released nodes, blank unless every one is released) and
``Factors``. Every figure is a released node or a sum of released nodes, so the sheets add up
to each other without isolating anyone; groupings outside the tree (year, sector) are for
practitioners only.

Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` …) are written
as text (:func:`geo.export.neutralise_formulas`).
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.confidentiality import can_see_companies
from geo.disclosure import MIN_K
from geo.export import neutralise_formulas
from geo.synergies.outcomes import OUTCOME_TYPES, OutcomeConfig, outcome_totals, outcomes_wide
from geo.synergies.protected import PAIR_SEP
from geo.synergies.reports import kpis, synergy_attributes

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.disclosure import DisclosureRules
    from geo.factors import Factors
    from geo.programme import Programme
    from geo.settings import Role
    from geo.synergies.book import SynergyBook
    from geo.synergies.protected import SynergyRelease

__all__ = ["FACTOR_NAMES", "funder_sheets", "funder_workbook", "read_workbook",
           "viewer_sheets", "workbook_bytes"]

logger = logging.getLogger(__name__)

FACTOR_NAMES: Final = ("landfill_co2e_kg_per_t", "hgv_co2e_kg_per_tkm", "transport_cost_per_tkm")
"""The factors behind the workbook's computed figures (cited on the ``Factors`` sheet)."""
_TOTALS: Final = {"park_id": "Totals by park", "period": "Totals by year",
                  "sector_nace": "Totals by sector", "stream": "Totals by stream"}


def _factor_sheet(factors: Factors) -> pd.DataFrame:
    rows = [factors.get(n) for n in FACTOR_NAMES]
    return pd.DataFrame(
        [(f.name, f.value, f.unit, f.description, f.source, f.version, f.url) for f in rows],
        columns=["name", "value", "unit", "description", "source", "version", "url"])


def _figure_columns(release: SynergyRelease, frame: pd.DataFrame) -> pd.DataFrame:
    """Measure columns renamed to ``label (unit)``."""
    names = {m: f"{release.labels[m]} ({release.units[m]})" for m in release.all_measures}
    return frame.rename(columns=names)


def viewer_sheets(release: SynergyRelease, *, factors: Factors, kpi: pd.DataFrame,
                  about: list[tuple[str, str]], parks: tuple[str, ...] = ()
                  ) -> dict[str, pd.DataFrame]:
    """A viewer's workbook sheets, all from ``release`` (see the module docstring).

    ``kpi`` is :func:`~geo.synergies.viewer.viewer_kpis` of the same release; ``parks``
    limits the park pairs to those touching a park authority's parks.
    """
    measures = list(release.all_measures)
    sheets: dict[str, pd.DataFrame] = {"About": pd.DataFrame(about, columns=["item", "value"]),
                                       "KPIs": kpi}
    stage = release.figures(depth=1)[["stage", *measures]]
    sheets["Totals by stage"] = _figure_columns(release, stage)
    by_stream = release.figures(depth=2)[["stage", "stream_label", *measures]]
    sheets["By stage and stream"] = _figure_columns(
        release, by_stream.rename(columns={"stream_label": "stream"}))
    pairs = release.figures(depth=3, parks=parks)
    sheets["By park pair"] = _figure_columns(release, pairs[[
        "stage", "stream_label", "from_name", "to_name", *measures]].rename(
        columns={"stream_label": "stream", "from_name": "from_park", "to_name": "to_park"}))
    streams = release.totals_by("stream").drop(columns="stream").rename(
        columns={"stream_label": "stream"})
    sheets["Totals by stream"] = _figure_columns(release, streams)
    totals = release.totals_by("park_pair")
    if parks:
        ends = totals["park_pair"].str.split(PAIR_SEP, n=1, regex=False)
        keep = ends.str[0].isin(parks) | ends.str[1].isin(parks)
        totals = totals[keep]
    sheets["Totals by park pair"] = _figure_columns(release, totals.drop(columns="park_pair")
                                                    .rename(columns={"from_name": "from_park",
                                                                     "to_name": "to_park"}))
    sheets["Factors"] = _factor_sheet(factors)
    return sheets


def _viewer_about(programme: Programme, release: SynergyRelease, *, role: Role,
                  config: OutcomeConfig) -> list[tuple[str, str]]:
    return [("Programme", programme.name),
            ("Generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("Viewer", role),
            ("Disclosure rules", release.rules.describe() + ", for the giving and for the "
             "receiving companies, and no company party to several synergies can work out "
             "another's figure"),
            ("What is shown", "the released figures of one tree: all synergies → stage → "
             "stream → park pair; blank cells are withheld; totals add up across sheets"),
            ("Not shown to viewers", "single synergies and companies; outcomes by year or by "
             "sector (groupings outside the tree could be subtracted from it)"),
            *(("Note", n) for n in release.notes),
            ("Outcome types", ", ".join(OUTCOME_TYPES[t].label for t in config.tracked)),
            ("Currency", config.currency),
            ("Quantities", "illustrative demo figures" if programme.illustrative
             else "as recorded by the programme")]


def funder_sheets(programme: Programme, book: SynergyBook, *, factors: Factors,
                  config: OutcomeConfig | None = None, catalogue: Catalogue | None = None,
                  role: Role = "practitioner", k: int = MIN_K,
                  rules: DisclosureRules | None = None, release: SynergyRelease | None = None,
                  parks: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as frames (sheet name → table), disclosure control applied.

    For viewers, ``release`` (the page's) or else one built with ``rules`` (or ``k``) on
    ``programme`` — pass the **whole** programme — and ``parks`` for a park authority.
    """
    config = config or OutcomeConfig()
    if not can_see_companies(role):
        from geo.synergies.viewer import viewer_kpis, viewer_release

        release = release or viewer_release(programme, book, catalogue=catalogue, k=k,
                                            rules=rules, factors=factors, config=config)
        kpi = viewer_kpis(release, member_sites=len(programme.sites))
        return viewer_sheets(release, factors=factors, kpi=kpi, parks=parks,
                             about=_viewer_about(programme, release, role=role, config=config))
    attrs = synergy_attributes(book, programme, catalogue)
    wide = outcomes_wide(book, factors=factors, config=config)
    sheets: dict[str, pd.DataFrame] = {}
    about = [("Programme", programme.name),
             ("Generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
             ("Viewer", role),
             ("Confidentiality", "full detail (practitioner)"),
             ("Outcome types", ", ".join(OUTCOME_TYPES[t].label for t in config.tracked)),
             ("Currency", config.currency),
             ("Quantities", "illustrative demo figures" if programme.illustrative
              else "as recorded by the programme")]
    sheets["About"] = pd.DataFrame(about, columns=["item", "value"])
    sheets["KPIs"] = kpis(programme, book, factors=factors, config=config, role=role)
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
    for by, title in _TOTALS.items():
        sheets[title] = outcome_totals(book, attrs, by=by, factors=factors, config=config)
    sheets["Factors"] = _factor_sheet(factors)
    return sheets


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Sheets as ``.xlsx`` bytes: formulas neutralised, widths fitted, header frozen."""
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
    return buf.getvalue()


def funder_workbook(programme: Programme, book: SynergyBook, *, factors: Factors,
                    config: OutcomeConfig | None = None, catalogue: Catalogue | None = None,
                    role: Role = "practitioner", k: int = MIN_K,
                    rules: DisclosureRules | None = None,
                    release: SynergyRelease | None = None,
                    parks: tuple[str, ...] = ()) -> bytes:
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
                           catalogue=catalogue, role=role, k=k, rules=rules, release=release,
                           parks=parks)
    data = workbook_bytes(sheets)
    logger.info("funder workbook for %r (%s): %d sheets", programme.name, role, len(sheets))
    return data


def read_workbook(data: bytes) -> dict[str, pd.DataFrame]:
    """Read a workbook's sheets back (for checks and for re-import)."""
    frames: dict[str, pd.DataFrame] = pd.read_excel(io.BytesIO(data), sheet_name=None)
    return frames
