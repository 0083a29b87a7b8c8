"""A one-page site-finder summary for an investment memo, as Markdown and as HTML.

The memo is built once as blocks (headings, paragraphs, lists, tables) and rendered to both
formats, so they say the same thing; every text is escaped in the HTML. Figures pass through
:func:`geo.siting.finder.ranking_for_role` and :func:`geo.siting.catchments.best_sites_for_role`,
so a viewer's memo stands on the protected release only (banded, hexagons not suppliers).
"""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.export import markdown_text
from geo.siting.catchments import best_sites_for_role
from geo.siting.finder import ranking_for_role, viewer_only_released
from geo.siting.released import released_note
from geo.siting.scoring import describe_sensitivity

if TYPE_CHECKING:
    from geo.settings import Role
    from geo.siting.catchments import BestSites
    from geo.siting.pipeline import SiteFinderRun

__all__ = ["memo_blocks", "memo_html", "memo_markdown"]

Block = tuple[str, Any]


def _fmt(value: object, unit: str = "", digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "suppressed" if isinstance(value, float) and np.isnan(value) else "–"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        return f"{float(value):,.{digits}f}{(' ' + unit) if unit else ''}"
    return str(value)


def memo_blocks(run: SiteFinderRun, *, role: Role, programme_name: str,
                illustrative: bool, best: BestSites | None = None,
                sensitivity: dict[str, float] | None = None, top: int = 5) -> list[Block]:
    """The memo's content as blocks: ``("h1"|"h2"|"p", text)``, ``("ul", [text])``,
    ``("table", DataFrame)``.

    A viewer's memo needs a run on the protected release (refused otherwise)."""
    prof = run.profile
    sc = run.scored
    viewer_only_released(role, released=run.released, what="memo")
    table = ranking_for_role(pd.DataFrame(sc.sites.drop(columns="geometry")), role=role,
                             released=run.released)
    ranked = table[table["rank"].notna()]
    method = ("road distances over the OpenStreetMap network" if sc.method == "road" else
              f"straight-line distances × {sc.haul.detour_factor:g} (no road network: an "
              "estimate)")
    n_sup = len(run.suppliers.sites)
    supply = (f"Accepted feedstock recorded: {_fmt(run.feedstock.total_t, 't/yr')} from "
              f"{n_sup} supplier sites")
    if run.released:
        supply = released_note(run.feedstock)
    who = "hexagons" if run.released else "suppliers"
    blocks: list[Block] = [
        ("h1", f"Site finder: {prof.name}"),
        ("p", f"{programme_name} · {date.today().isoformat()} · hauls measured as {method}."
              + (" Quantities are illustrative demo figures." if illustrative else "")),
        ("h2", "The opportunity"),
        ("ul", [
            supply,
            f"Viable plant size {_fmt(prof.min_throughput_t)}–{_fmt(prof.max_throughput_t)} "
            f"t/yr; feedstock hauled at most {prof.max_haul_km:g} km",
            f"Transport {prof.transport_cost_per_tkm:g} EUR/t·km and "
            f"{prof.co2e_kg_per_tkm:g} kg CO2e/t·km; gate fee {prof.gate_fee_eur_per_t:g} EUR/t",
            f"Candidates: {run.screen.explain()}",
        ]),
    ]
    if len(ranked):
        lead = ranked.iloc[0]
        blocks += [
            ("h2", f"Best site: {lead.get('name', lead.name)}"),
            ("ul", [
                f"Score {_fmt(lead['score'], digits=1)} of 100 ({lead['status']})",
                f"Feedstock within reach {_fmt(lead['feedstock_t'], 't/yr')} from "
                f"{_fmt(lead.get('suppliers', lead.get('cells')))} {who}",
                f"Mean haul {_fmt(lead['mean_haul_km'], 'km', 1)}; transport "
                f"{_fmt(lead['transport_cost_eur'], 'EUR/yr')} and "
                f"{_fmt(lead['transport_co2e_t'], 't CO2e/yr', 1)}",
                f"Output {_fmt(lead['output'], prof.output_unit)} of {prof.output}; gate fees "
                f"{_fmt(lead['gate_fee_eur'], 'EUR/yr')}",
            ]),
        ]
        cols = {"rank": "Rank", "name": "Site", "score": "Score", "feedstock_t": "t/yr in reach",
                "suppliers": "Suppliers", "cells": "Hexagons", "mean_haul_km": "Mean haul km",
                "status": "Status"}
        show = ranked.head(top)[[c for c in cols if c in ranked.columns]].rename(columns=cols)
        blocks += [("h2", f"Top {len(show)} candidates"), ("table", show)]
    if sensitivity:
        blocks += [("h2", "Robustness"), ("p", describe_sensitivity(sensitivity))]
    if best is not None:
        plants = best_sites_for_role(best, role=role)[0].drop(columns="geometry")
        blocks += [("h2", f"{len(plants)} plants ({best.allocation.objective})"),
                   ("p", best.describe()),
                   ("table", plants[[c for c in ("plant", "name", "tonnes_per_year", "suppliers",
                                                 "cells", "meets_minimum") if c in plants]])]
    blocks += [("h2", "Sources and caveats"),
               ("ul", [*prof.sources, f"Transport cost: {prof.cost_source}",
                       f"CO2e: {prof.co2e_source}",
                       "Screening figures, not engineering data: confirm yields, costs and "
                       "permits before an investment decision."])]
    return blocks


def _md(text: object) -> str:
    return markdown_text(text, for_file=True)


def _md_table(frame: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        return _md(_fmt(v, digits=1) if isinstance(v, float) else _fmt(v))

    head = "| " + " | ".join(_md(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
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


def memo_html(blocks: list[Block]) -> str:
    """Render memo blocks as a standalone HTML page (all text escaped)."""
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
                "<tr>" + "".join(f"<td>{e(_fmt(v, digits=1) if isinstance(v, float) else _fmt(v))}"
                                 "</td>" for v in row) + "</tr>"
                for row in content.itertuples(index=False))
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    style = ("body{font:14px/1.45 sans-serif;max-width:52em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:left}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.2em}")
    title = e(str(blocks[0][1])) if blocks else "Site finder"
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
