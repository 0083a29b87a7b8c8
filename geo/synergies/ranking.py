"""The ranked match table: ids, sites, parks, codes, basis, fits, distance, cost, reasons.

:func:`match_table` turns the scored pairs of :func:`geo.synergies.scoring.score_block` into
the table a practitioner reads, one row per (have, want) pair, with the reasons it was
proposed in words. The reasons are built column-wise (once per link for the basis, then per
pair for fit, distance, cost and park), never row by row: each clause is one sentence
translated once into the session's language and filled with a column per placeholder
(:func:`geo.synergies.text.fill`), its figures formatted the same way
(:func:`geo.synergies.text.figures`). Codes, ids, descriptions and rule rationales are data
and stay as recorded.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from geo.i18n import _, ngettext
from geo.synergies.distances import METHODS
from geo.synergies.rules import RULE_KIND_LABELS
from geo.synergies.scoring import BASIS_BITS
from geo.synergies.text import figure, figures, fill, unit_label

__all__ = ["match_table"]

logger = logging.getLogger(__name__)

_BASIS_ORDER = tuple((name, BASIS_BITS[name])
                     for name in ("exact", "family", "class", "sector", "knowledge"))
"""Bases in the order a pair's primary basis is chosen."""


def _basis_labels(bases: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    primary = np.full(len(bases), "", dtype=object)
    every = np.full(len(bases), "", dtype=object)
    for name, bit in _BASIS_ORDER:
        has = (bases & bit) > 0
        primary[(primary == "") & has] = name
        every[has] = every[has] + np.where(every[has] == "", "", "+") + name
    return primary, every


def match_table(
    records: pd.DataFrame,
    pairs: pd.DataFrame,
    links: pd.DataFrame,
    wants: pd.DataFrame,
    *,
    rules: pd.DataFrame,
    descriptions: dict[str, str],
    cost_per_tkm: float,
    co2e_kg_per_tkm: float,
    detour_factor: float,
) -> pd.DataFrame:
    """The match table: ids, sites, parks, codes, basis, fits, distance, cost, reasons, rank.

    Parameters
    ----------
    records : DataFrame
        The matcher's record table; ``pairs["have"]`` are positions in it.
    pairs : DataFrame
        Scored pairs from :func:`geo.synergies.scoring.score_block`.
    links, wants : DataFrame
        The links and wants the pairs were scored on.
    rules : DataFrame
        The compatibility rules as loaded (``rule_id``, ``kind``, ``rationale``), for reasons.
    descriptions : dict
        Catalogue description of each code, for reasons (missing codes get none).
    cost_per_tkm, co2e_kg_per_tkm : float
        Transport cost per tonne-km and haul CO2e (kg per tonne-km).
    detour_factor : float
        Road ÷ straight-line factor of the stand-in distances, quoted in reasons.

    Returns
    -------
    DataFrame
        Sorted by have then score (best first), with ``rank`` 1.. within each have; the
        transport cost and CO2e per year are for t/yr records only.
    """
    rec = records
    # Best first within each have, haves in record order (integer sort, no string sort).
    pairs = pairs.iloc[np.lexsort((pairs["want"].to_numpy(), -pairs["score"].to_numpy(),
                                   pairs["have"].to_numpy()))].reset_index(drop=True)
    hv = rec.iloc[pairs["have"].to_numpy(np.int64)].reset_index(drop=True)
    wv = wants.iloc[pairs["want"].to_numpy(np.int64)].reset_index(drop=True)
    lv = links.iloc[pairs["link"].to_numpy(np.int64)].reset_index(drop=True)
    dist = pairs["distance_km"].to_numpy(float)
    same_unit = (hv["unit"] == wv["unit"]).to_numpy()
    qh, qw = hv["quantity"].to_numpy(float), wv["quantity"].to_numpy(float)
    matched = np.where(same_unit & np.isfinite(qw), np.fmin(qh, qw), qh)
    tonnes = np.where(hv["unit"].to_numpy() == "t/yr", matched, np.nan)
    primary, every = _basis_labels(lv["bases"].to_numpy(np.int64))
    park_h = hv["park"].astype(object)
    park_w = wv["park"].astype(object)
    other_park = (park_h.fillna("(none)") != park_w.fillna("(none)")).to_numpy()
    table = pd.DataFrame({
        "have_id": hv["resource_id"], "want_id": wv["resource_id"],
        "have_site_id": hv["site_id"], "want_site_id": wv["site_id"],
        "have_site": hv["site_name"], "want_site": wv["site_name"],
        "have_park": park_h, "want_park": park_w,
        "have_code": hv["code"], "want_code": wv["code"], "want_sector": wv["sector"],
        "have_description": hv["description"], "want_description": wv["description"],
        "basis": primary, "bases": every, "rule_id": lv["rule_id"],
        "kb_completed": lv["kb_n"].astype(int), "strength": lv["strength"].round(3),
        "quantity_fit": pairs["q_fit"].round(3), "frequency_fit": pairs["f_fit"].round(3),
        "distance_km": np.round(dist, 2),
        "distance_method": np.asarray(METHODS, dtype=object)[pairs["method"].to_numpy(int)],
        "have_quantity": qh, "want_quantity": qw, "matched_quantity": matched,
        "unit": hv["unit"],
        "transport_cost_per_year": np.round(tonnes * dist * cost_per_tkm, 0),
        "transport_co2e_t_per_year": np.round(tonnes * dist * co2e_kg_per_tkm / 1000, 3),
        "other_park": other_park, "hazardous": hv["hazardous"].to_numpy(bool),
        "score": pairs["score"].round(4),
    })
    have = pairs["have"].to_numpy(np.int64)
    first = np.r_[True, have[1:] != have[:-1]] if len(have) else np.zeros(0, bool)
    starts = np.maximum.accumulate(np.where(first, np.arange(len(have)), 0))
    table["rank"] = np.arange(len(have)) - starts + 1
    used = np.unique(pairs["link"].to_numpy(np.int64))
    link_text = _link_reasons(links.iloc[used], wants, rules=rules,
                              descriptions=descriptions).set_axis(used)
    table["reasons"] = _reasons(table, link_text.reindex(pairs["link"]).to_numpy(),
                                detour_factor=detour_factor)
    return table


def _part(mask: np.ndarray | pd.Series, text: pd.Series | str, index: pd.Index) -> pd.Series:
    """``text`` (with a trailing separator) where ``mask``, else empty."""
    full = pd.Series(text, index=index, dtype="str") if isinstance(text, str) else text
    return (full.fillna("") + "; ").where(np.asarray(mask, bool), "")


def _text(values: pd.Series) -> pd.Series:
    """A column as text, missing values empty."""
    return values.astype(object).where(values.notna(), "").astype("str")


def _by_count(templates: dict[int, str], counts: pd.Series,
              **values: pd.Series | str) -> pd.Series:
    """A sentence per row in the plural form of that row's count (``{n}``): ``templates``
    holds the form of each distinct count, each filled column-wise."""
    idx = counts.index
    out = pd.Series("", index=idx, dtype="str")
    shown = figures(counts, 0)
    for n, template in templates.items():
        rows = (counts == n).to_numpy()
        if rows.any():
            part = fill(template, idx[rows], n=shown[rows],
                        **{k: v if isinstance(v, str) else v[rows] for k, v in values.items()})
            out[rows] = part.to_numpy()
    return out


def _crosswalk_rationale(rules: pd.DataFrame) -> pd.Series:
    """The rationale of each rule, in words for the crosswalk's rows (``relation`` set):
    "crosswalk row 12: the want's code is broader than the have's"."""
    rationale = _text(rules["rationale"]) if "rationale" in rules else pd.Series(
        "", index=rules.index, dtype="str")
    if "relation" not in rules:
        return rationale
    relation = rules["relation"].astype(object).fillna("")
    templates = {
        "exact": _("crosswalk row {row}: {want} is the same as {have}"),
        "broader": _("crosswalk row {row}: {want} is broader than {have}"),
        "narrower": _("crosswalk row {row}: {want} is narrower than {have}"),
        "related": _("crosswalk row {row}: {want} is related to {have}"),
    }
    for rel, template in templates.items():
        rows = (relation == rel).to_numpy()
        if rows.any():
            sub = rules[rows]
            rationale[rows] = fill(template, sub.index, row=_text(sub["crosswalk_row"]),
                                   want=_text(sub["want"]), have=_text(sub["have"])).to_numpy()
    return rationale


def _link_reasons(links: pd.DataFrame, wants: pd.DataFrame, *, rules: pd.DataFrame,
                  descriptions: dict[str, str]) -> pd.Series:
    """The basis part of the reasons, once per link (a code and a want), not per pair."""
    idx = links.index
    rule_ids = rules["rule_id"].astype(str)
    kinds = dict(zip(rule_ids, rules["kind"].astype(str), strict=True))
    rationales = dict(zip(rule_ids, _crosswalk_rationale(rules), strict=True))
    kind_shown = {k: _(label) for k, label in RULE_KIND_LABELS.items()}
    code = links["key"].astype("str")
    desc = code.map(descriptions).fillna("")
    sector = pd.Series(wants["sector"].to_numpy()[links["want"].to_numpy(np.int64)],
                       index=idx).astype(object).fillna("?").astype("str")
    bases = links["bases"].to_numpy(np.int64)
    exact = fill(_("same catalogue code {code}"), idx, code=code).where(
        desc == "", fill(_("same catalogue code {code} ({description})"), idx, code=code,
                         description=desc))
    rule = links["rule_id"].astype(object).fillna("").astype("str")
    kind = rule.map(kinds)
    parts = {"rule": rule, "kind": _text(kind.map(kind_shown).fillna(kind)),
             "rationale": _text(rule.map(rationales))}
    rationale = fill(_("rule {rule} ({kind}): {rationale}"), idx, **parts).where(
        kind != "sector",
        fill(_("rule {rule} ({kind}): {rationale} — receiver is sector {sector}"), idx,
             sector=sector, **parts))
    kb_n = links["kb_n"].astype(int)
    kb_templates = {int(n): ngettext(
        "knowledge base: sector {sector} completed {n} synergy with code {code}",
        "knowledge base: sector {sector} completed {n} synergies with code {code}", int(n))
        for n in pd.unique(kb_n[kb_n > 0])}
    kb = _by_count(kb_templates, kb_n, sector=sector, code=code)
    return (_part((bases & 1) > 0, exact, idx) + _part(rule != "", rationale, idx)
            + _part(kb_n > 0, kb, idx))


def _reasons(t: pd.DataFrame, link_text: np.ndarray, *, detour_factor: float) -> pd.Series:
    """Why each pair was proposed, in words: the link's basis, then the pair's fit,
    distance, cost and park, built column-wise (each clause one translated template)."""
    idx = t.index
    if len(t) == 0:
        return pd.Series([], index=idx, dtype="str")
    qty_ok = t["have_quantity"].notna() & t["want_quantity"].notna()
    units = {u: unit_label(u) for u in pd.unique(t["unit"].dropna())}
    qty = fill(_("quantity fit {fit}% ({offered} offered, {wanted} wanted, {unit})"), idx,
               fit=figures(t["quantity_fit"] * 100, 0), offered=figures(t["have_quantity"], 2),
               wanted=figures(t["want_quantity"], 2), unit=_text(t["unit"].map(units)))
    d = figures(t["distance_km"], 1)
    meth = t["distance_method"]
    dist = pd.Series(_("a site is not located: distance unknown"), index=idx, dtype="str")
    dist = dist.where(meth != "road", fill(_("{km} km by road"), idx, km=d))
    dist = dist.where(meth != "straight-line",
                      fill(_("≈{km} km (straight line × {detour}, not measured on roads)"), idx,
                           km=d, detour=figure(detour_factor)))
    cost = t["transport_cost_per_year"]
    cost_s = fill(_("transport ≈ {cost} EUR per year"), idx, cost=figures(cost, 0))
    # Translators: where a partner in another park is, when it is in no park at all.
    park = fill(_("a solution in another park ({park})"), idx,
                park=_text(t["want_park"]).where(t["want_park"].notna(),
                                                 _("outside any park")))
    text = (pd.Series(link_text, index=idx, dtype="str")
            + _part(qty_ok, qty, idx) + _part(np.ones(len(t), bool), dist, idx)
            + _part(cost.notna(), cost_s, idx) + _part(t["other_park"], park, idx)
            + _part(t["hazardous"], _("hazardous: the receiver needs a permit"), idx))
    return text.str.removesuffix("; ")
