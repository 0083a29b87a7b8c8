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

The workbook is written by :func:`geo.export.workbook_bytes`: sheet names and headers in the
session's language (the sheet names below are the English ones, marked with ``N_``), numbers
with number formats, text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` …) written as text. :func:`read_workbook` gives the sheets back under these names.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import pandas as pd

from geo.confidentiality import can_see_companies
from geo.disclosure import MIN_K
from geo.export import read_workbook, workbook_bytes
from geo.i18n import N_, _
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
_TOTALS: Final = {"park_id": N_("Totals by park"), "period": N_("Totals by year"),
                  "sector_nace": N_("Totals by sector"), "stream": N_("Totals by stream")}


def _factor_sheet(factors: Factors) -> pd.DataFrame:
    rows = [factors.get(n) for n in FACTOR_NAMES]
    return pd.DataFrame(
        [(f.name, f.value, f.unit, f.description, f.source, f.version, f.url) for f in rows],
        columns=["name", "value", "unit", "description", "source", "version", "url"])


def _figure_columns(release: SynergyRelease, frame: pd.DataFrame) -> pd.DataFrame:
    """Measure columns renamed to ``label (unit)``, the label in this session's language."""
    # Translators: a workbook column header, e.g. "Landfill diverted (t)".
    header = _("{label} ({unit})")
    names = {m: header.format(label=_(release.labels[m]), unit=release.units[m])
             for m in release.all_measures}
    return frame.rename(columns=names)


def viewer_sheets(release: SynergyRelease, *, factors: Factors, kpi: pd.DataFrame,
                  about: list[tuple[str, str]], parks: tuple[str, ...] = ()
                  ) -> dict[str, pd.DataFrame]:
    """A viewer's workbook sheets, all from ``release`` (see the module docstring).

    ``kpi`` is :func:`~geo.synergies.viewer.viewer_kpis` of the same release; ``parks``
    limits the park pairs to those touching a park authority's parks.
    """
    measures = list(release.all_measures)
    sheets: dict[str, pd.DataFrame] = {
        N_("About"): pd.DataFrame(about, columns=["item", "value"]), N_("KPIs"): kpi}
    stage = release.figures(depth=1)[["stage", *measures]]
    sheets[N_("Totals by stage")] = _figure_columns(release, stage)
    by_stream = release.figures(depth=2)[["stage", "stream_label", *measures]]
    sheets[N_("By stage and stream")] = _figure_columns(
        release, by_stream.rename(columns={"stream_label": "stream"}))
    pairs = release.figures(depth=3, parks=parks)
    sheets[N_("By park pair")] = _figure_columns(release, pairs[[
        "stage", "stream_label", "from_name", "to_name", *measures]].rename(
        columns={"stream_label": "stream", "from_name": "from_park", "to_name": "to_park"}))
    streams = release.totals_by("stream").drop(columns="stream").rename(
        columns={"stream_label": "stream"})
    sheets[N_("Totals by stream")] = _figure_columns(release, streams)
    totals = release.totals_by("park_pair")
    if parks:
        ends = totals["park_pair"].str.split(PAIR_SEP, n=1, regex=False)
        keep = ends.str[0].isin(parks) | ends.str[1].isin(parks)
        totals = totals[keep]
    sheets[N_("Totals by park pair")] = _figure_columns(release, totals.drop(columns="park_pair")
                                                    .rename(columns={"from_name": "from_park",
                                                                     "to_name": "to_park"}))
    sheets[N_("Factors")] = _factor_sheet(factors)
    return sheets


def _quantities(programme: Programme) -> str:
    return (_("illustrative demo figures") if programme.illustrative
            else _("as recorded by the programme"))


def _viewer_about(programme: Programme, release: SynergyRelease, *, role: Role,
                  config: OutcomeConfig) -> list[tuple[str, str]]:
    return [(_("Programme"), programme.name),
            (_("Generated"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
            (_("Viewer"), role),
            (_("Disclosure rules"), _(
                "{rules}, for the giving and for the receiving companies, and no company "
                "party to several synergies can work out another's figure").format(
                    rules=release.rules.describe())),
            (_("What is shown"), _(
                "the released figures of one tree: all synergies → stage → stream → park "
                "pair; blank cells are withheld; totals add up across sheets")),
            (_("Not shown to viewers"), _(
                "single synergies and companies; outcomes by year or by sector (groupings "
                "outside the tree could be subtracted from it)")),
            *((_("Note"), n) for n in release.shown_notes()),
            (_("Outcome types"), ", ".join(OUTCOME_TYPES[t].shown() for t in config.tracked)),
            (_("Currency"), config.currency),
            (_("Quantities"), _quantities(programme))]


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
        kpi = viewer_kpis(release, member_sites=len(programme.sites)).drop(columns="key")
        return viewer_sheets(release, factors=factors, kpi=kpi, parks=parks,
                             about=_viewer_about(programme, release, role=role, config=config))
    attrs = synergy_attributes(book, programme, catalogue)
    wide = outcomes_wide(book, factors=factors, config=config)
    sheets: dict[str, pd.DataFrame] = {}
    about = [(_("Programme"), programme.name),
             (_("Generated"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
             (_("Viewer"), role),
             (_("Confidentiality"), _("full detail (practitioner)")),
             (_("Outcome types"), ", ".join(OUTCOME_TYPES[t].shown() for t in config.tracked)),
             (_("Currency"), config.currency),
             (_("Quantities"), _quantities(programme))]
    sheets[N_("About")] = pd.DataFrame(about, columns=["item", "value"])
    sheets[N_("KPIs")] = kpis(programme, book, factors=factors, config=config,
                              role=role).drop(columns="key")
    names = programme.sites.drop_duplicates("site_id").set_index("site_id")["name"]
    syn = book.synergies.merge(attrs[["synergy_id", "park_id", "to_park_id", "stream"]],
                               on="synergy_id", how="left")
    syn.insert(5, "from_site", syn["from_site_id"].map(names))
    syn.insert(6, "to_site", syn["to_site_id"].map(names))
    for col in ("created_at", "updated_at"):
        syn[col] = pd.to_datetime(syn[col], utc=True).dt.strftime("%Y-%m-%d %H:%M")
    sheets[N_("Synergies")] = syn
    sheets[N_("Outcomes")] = wide.merge(attrs[["synergy_id", "park_id", "stream"]],
                                    on="synergy_id", how="left")
    for by, title in _TOTALS.items():
        sheets[title] = outcome_totals(book, attrs, by=by, factors=factors, config=config)
    sheets[N_("Factors")] = _factor_sheet(factors)
    return sheets


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
    data = workbook_bytes(sheets, currency=(config or OutcomeConfig()).currency)
    logger.info("funder workbook for %r (%s): %d sheets", programme.name, role, len(sheets))
    return data
