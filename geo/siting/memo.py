"""A one-page site-finder summary for an investment memo, as Markdown and as HTML.

The memo is built once as blocks (headings, paragraphs, lists, tables) and rendered to both
formats, so they say the same thing; every text is escaped in the HTML. Figures pass through
:func:`geo.siting.finder.ranking_for_role` and :func:`geo.siting.catchments.best_sites_for_role`,
so a viewer's memo stands on the protected release only (banded, hexagons not suppliers).

The memo is written in the session's language (:func:`geo.i18n.current_locale`): its
sentences, headings and table headers are translated, its figures formatted for the
language, and the HTML page names its language and a font stack with CJK fonts.
"""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import SymbiosisError
from geo.export import markdown_text
from geo.i18n import N_, _, column_label, current_locale, format_date, format_number, ngettext
from geo.siting.catchments import best_sites_for_role, plant_label
from geo.siting.finder import ranking_for_role, viewer_only_released
from geo.siting.locate import OBJECTIVE_LABELS
from geo.siting.released import released_note
from geo.siting.scoring import describe_sensitivity, status_label

if TYPE_CHECKING:
    from geo.settings import Role
    from geo.siting.catchments import BestSites
    from geo.siting.pipeline import SiteFinderRun
    from geo.siting.profiles import TechnologyProfile

__all__ = ["FONT_STACK", "MEMO_COLUMNS", "memo_blocks", "memo_html", "memo_markdown"]

Block = tuple[str, Any]

MEMO_COLUMNS: Final = {"rank": N_("Rank"), "name": N_("Site"), "score": N_("Score"),
                       "feedstock_t": N_("t/yr in reach"), "suppliers": N_("Suppliers"),
                       "cells": N_("Hexagons"), "mean_haul_km": N_("Mean haul km"),
                       "status": N_("Status")}
"""Headers of the memo's table of top candidates (translated where the memo is written)."""

FONT_STACK: Final = ('"Helvetica Neue", Helvetica, Arial, "Noto Sans", "Liberation Sans", '
                     '"Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", '
                     '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
                     '"WenQuanYi Micro Hei", sans-serif')
"""The memo's fonts: Latin ones first, then CJK ones so Chinese prints without missing glyphs."""


def _fmt(value: object, digits: int = 0) -> str:
    """A cell or figure as the reader's language writes it ("suppressed", "–", yes/no)."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        # Translators: a figure withheld from a viewer to protect members' data.
        return _("suppressed") if isinstance(value, float) and np.isnan(value) else "–"
    if isinstance(value, bool | np.bool_):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | np.integer | np.floating):
        return format_number(float(value), digits=digits)
    return str(value)


def _method(run: SiteFinderRun) -> str:
    sc = run.scored
    if sc.method == "road":
        return _("hauls measured as road distances over the OpenStreetMap network")
    # Translators: {factor} is the detour factor applied to straight lines, e.g. 1.3.
    return _("hauls measured as straight-line distances × {factor} (no road network: an "
             "estimate)").format(factor=format_number(sc.haul.detour_factor, digits=2))


def _supply(run: SiteFinderRun) -> str:
    if run.released:
        return released_note(run.feedstock)
    n_sup = len(run.suppliers.sites)
    return ngettext("Accepted feedstock recorded: {tonnes} t/yr from {n} supplier site",
                    "Accepted feedstock recorded: {tonnes} t/yr from {n} supplier sites",
                    n_sup).format(tonnes=_fmt(run.feedstock.total_t), n=format_number(n_sup))


def _opportunity(run: SiteFinderRun) -> list[str]:
    prof = run.profile
    return [
        _supply(run),
        _("Viable plant size {low}–{high} t/yr; feedstock hauled at most {km} km").format(
            low=_fmt(prof.min_throughput_t), high=_fmt(prof.max_throughput_t),
            km=format_number(prof.max_haul_km, digits=_digits(prof.max_haul_km))),
        _("Transport {cost} EUR/t·km and {co2e} kg CO2e/t·km; gate fee {fee} EUR/t").format(
            cost=_num(prof.transport_cost_per_tkm), co2e=_num(prof.co2e_kg_per_tkm),
            fee=_num(prof.gate_fee_eur_per_t)),
        _rules(prof),
        _("Candidates: {screening}").format(screening=run.screen.explain()),
    ]


def _shipped(profile_id: str) -> TechnologyProfile | None:
    """The shipped profile ``profile_id`` (``None`` for a profile of the user's own)."""
    from geo.siting.profiles import load_profiles

    try:
        return load_profiles().get(profile_id)
    except SymbiosisError:
        return None


def _rule(text: str, value: float, default: float | None) -> str:
    """``text`` with the distance ``value`` in metres, and the profile's own distance after it
    where the run changed it: ``at least 150 m from housing (the profile says 250 m)``."""
    shown = text.format(distance=_("{m} m").format(m=_num(value)))
    if default is None or abs(default - value) < 1e-9:
        return shown
    # Translators: {rule} is a siting rule as the run applied it, {default} the profile's own
    # distance, e.g. "at least 150 m from housing (the profile says 250 m)".
    return _("{rule} (the profile says {default})").format(
        rule=shown, default=_("{m} m").format(m=_num(default)))


def _rules(prof: TechnologyProfile) -> str:
    """The siting rules the run applied, each marked where it differs from the shipped
    profile (a memo passed on must not quote a buffer the ranking did not use)."""
    rules, shipped = prof.rules, _shipped(prof.id)
    base = shipped.rules if shipped is not None else None
    parts = []
    if rules.inside_industrial:
        parts.append(_("on industrial land or in a park"))
    elif base is not None and base.inside_industrial:  # the run dropped the profile's rule
        parts.append(_("not only on industrial land (the profile asks for industrial land or "
                       "a park)"))
    home = None if base is None else base.min_residential_distance_m
    if rules.min_residential_distance_m > 0:
        parts.append(_rule(_("at least {distance} from housing"),
                           rules.min_residential_distance_m, home))
    elif home:  # the run dropped the profile's housing rule
        parts.append(_("no distance from housing (the profile says {default})").format(
            default=_("{m} m").format(m=_num(home))))
    road = None if base is None else base.max_main_road_distance_m
    if rules.max_main_road_distance_m is not None:
        parts.append(_rule(_("at most {distance} from a main road"),
                           rules.max_main_road_distance_m, road))
    elif road is not None:  # the run dropped the profile's rule
        parts.append(_("no distance to a main road (the profile says {default})").format(
            default=_("{m} m").format(m=_num(road))))
    if prof.land_ha > 0:
        parts.append(_("{ha} ha of land").format(ha=_num(prof.land_ha)))
    return _("Siting rules applied: {rules}").format(
        rules="; ".join(parts) if parts else _("none"))


def _digits(value: float) -> int:
    """Decimals to show ``value`` without losing any (up to three)."""
    for d in range(4):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return 3


def _num(value: float) -> str:
    return format_number(value, digits=_digits(value))


def _lead(run: SiteFinderRun, lead: pd.Series) -> list[Block]:
    prof = run.profile
    count = lead.get("suppliers", lead.get("cells"))
    n = int(count) if isinstance(count, int | float | np.integer | np.floating) and np.isfinite(
        count) else 0
    reach = (ngettext("Feedstock within reach {tonnes} t/yr from {n} hexagon",
                      "Feedstock within reach {tonnes} t/yr from {n} hexagons", n)
             if run.released else
             ngettext("Feedstock within reach {tonnes} t/yr from {n} supplier",
                      "Feedstock within reach {tonnes} t/yr from {n} suppliers", n))
    return [
        ("h2", _("Best site: {name}").format(name=lead.get("name", lead.name))),
        ("ul", [
            _("Score {score} of 100 ({status})").format(score=_fmt(lead["score"], digits=1),
                                                         status=status_label(lead["status"])),
            reach.format(tonnes=_fmt(lead["feedstock_t"]), n=_fmt(count)),
            _("Mean haul {km} km; transport {cost} EUR/yr and {co2e} t CO2e/yr").format(
                km=_fmt(lead["mean_haul_km"], 1), cost=_fmt(lead["transport_cost_eur"]),
                co2e=_fmt(lead["transport_co2e_t"], 1)),
            # Translators: {output} is what the plant makes (e.g. biogas energy), {unit} its
            # unit (e.g. MWh/yr).
            _("Output {amount} {unit} of {output}; gate fees {fees} EUR/yr").format(
                amount=_fmt(lead["output"]), unit=prof.output_unit, output=_(prof.output),
                fees=_fmt(lead["gate_fee_eur"])),
        ]),
    ]


def _top_table(ranked: pd.DataFrame, top: int) -> list[Block]:
    show = ranked.head(top)[[c for c in MEMO_COLUMNS if c in ranked.columns]].copy()
    if "rank" in show:  # a whole number ("1", not "1.0")
        show["rank"] = show["rank"].astype("Int64")
    if "status" in show:
        show["status"] = show["status"].map(status_label)
    n = len(show)
    show = show.rename(columns={c: _(MEMO_COLUMNS[c]) for c in show.columns})
    return [("h2", ngettext("Top {n} candidate", "Top {n} candidates", n).format(
        n=format_number(n))), ("table", show)]


def _best_sites(best: BestSites, role: Role) -> list[Block]:
    plants = best_sites_for_role(best, role=role)[0].drop(columns="geometry")
    plants = plants[[c for c in ("plant", "name", "tonnes_per_year", "suppliers", "cells",
                                 "meets_minimum") if c in plants]]
    if "plant" in plants:
        plants = plants.assign(plant=plants["plant"].map(plant_label))
    n, obj = len(plants), best.allocation.objective
    # Translators: {objective} is the solver's model, e.g. p-median or capacitated.
    heading = ngettext("{n} plant ({objective})", "{n} plants ({objective})", n).format(
        n=format_number(n), objective=_(OBJECTIVE_LABELS.get(obj, obj)))
    return [("h2", heading), ("p", best.describe()),
            ("table", plants.rename(columns={c: column_label(c) for c in plants.columns}))]


def memo_blocks(run: SiteFinderRun, *, role: Role, programme_name: str,
                illustrative: bool, best: BestSites | None = None,
                sensitivity: dict[str, float] | None = None, top: int = 5) -> list[Block]:
    """The memo's content as blocks: ``("h1"|"h2"|"p", text)``, ``("ul", [text])``,
    ``("table", DataFrame)``, in the session's language.

    A viewer's memo needs a run on the protected release (refused otherwise)."""
    prof = run.profile
    sc = run.scored
    viewer_only_released(role, released=run.released, what="memo")
    table = ranking_for_role(pd.DataFrame(sc.sites.drop(columns="geometry")), role=role,
                             released=run.released)
    ranked = table[table["rank"].notna()]
    # Translators: programme name · date · how hauls were measured.
    intro = _("{programme} · {date} · {method}.").format(
        programme=programme_name, date=format_date(date.today()), method=_method(run))
    if illustrative:
        intro = _("{text} Quantities are illustrative demo figures.").format(text=intro)
    blocks: list[Block] = [
        ("h1", _("Site finder: {profile}").format(profile=_(prof.name))),
        ("p", intro),
        ("h2", _("The opportunity")),
        ("ul", _opportunity(run)),
    ]
    if len(ranked):
        blocks += _lead(run, ranked.iloc[0])
        blocks += _top_table(ranked, top)
    if sensitivity:
        blocks += [("h2", _("Robustness")), ("p", describe_sensitivity(sensitivity))]
    if best is not None:
        blocks += _best_sites(best, role)
    blocks += [("h2", _("Sources and caveats")),
               # the profile's citations are of its own figures; the rules the run
               # applied are listed under "The opportunity"
               ("ul", [*prof.sources,
                       _("Transport cost: {source}").format(source=prof.cost_source),
                       _("CO2e: {source}").format(source=prof.co2e_source),
                       _("Screening figures, not engineering data: confirm yields, costs and "
                         "permits before an investment decision.")])]
    return blocks


def _md(text: object) -> str:
    return markdown_text(text, for_file=True)


def _cell(v: object) -> str:
    return _fmt(v, digits=1) if isinstance(v, float) else _fmt(v)


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(_md(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_md(_cell(v)) for v in row) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def memo_markdown(blocks: list[Block]) -> str:
    """Render memo blocks as Markdown (all text escaped: names show literally)."""
    e = _md
    out = []
    for kind, content in blocks:
        if kind == "h1":
            out.append(f"# {e(content)}")
        elif kind == "h2":
            out.append(f"## {e(content)}")
        elif kind == "p":
            out.append(e(content))
        elif kind == "ul":
            out.append("\n".join(f"- {e(item)}" for item in content))
        elif kind == "table":
            out.append(_md_table(content))
    return "\n\n".join(out) + "\n"


def html_lang(locale: str | None = None) -> str:
    """The BCP 47 tag of ``locale`` (default: the session's) for ``<html lang>``: ``zh-CN``."""
    return (locale or current_locale()).replace("_", "-")


def memo_html(blocks: list[Block]) -> str:
    """Render memo blocks as a standalone HTML page in the session's language (text escaped).

    The page's ``lang`` is the session's language and its fonts fall back to CJK fonts, so
    Chinese prints without missing glyphs.
    """
    e = html.escape
    parts = []
    for kind, content in blocks:
        if kind in ("h1", "h2", "p"):
            parts.append(f"<{kind}>{e(str(content))}</{kind}>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in content) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(str(c))}</th>" for c in content.columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in row) + "</tr>"
                for row in content.itertuples(index=False))
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    style = (f"body{{font-size:14px;line-height:1.45;font-family:{FONT_STACK};max-width:52em;"
             "margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid "
             "#ccc;padding:2px 6px;text-align:left}h1{font-size:1.5em}"
             "h2{font-size:1.15em;margin-top:1.2em}")
    title = e(str(blocks[0][1])) if blocks else e(_("Site finder"))
    return (f"<!doctype html><html lang='{e(html_lang())}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{style}</style></head>"
            f"<body>{''.join(parts)}</body></html>")
