"""Score candidate (have, want) pairs block by block and assemble the ranked match table.

Haves are grouped by matching key; all haves of a key share the same candidate wants (the
links of that key), so each group is scored as one dense block of ``haves × wants`` arrays,
chunked to ``MatchParams.block_cells``, and only the best ``top_k`` per have are kept.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.synergies.distances import METHODS

if TYPE_CHECKING:
    from geo.synergies.distances import SiteDistances
    from geo.synergies.matching import Matcher

__all__ = ["assemble", "score_block"]

logger = logging.getLogger(__name__)

_BASIS_ORDER = (("exact", 1), ("family", 2), ("class", 16), ("sector", 4), ("knowledge", 8))


def score_block(m: Matcher, have_rows: np.ndarray, links: pd.DataFrame, wants: pd.DataFrame,
                dist: SiteDistances, *, top_k: int | None) -> pd.DataFrame:
    """Score every linked pair of the given haves; keep the best ``top_k`` per have.

    Returns a frame of ``have`` (record position), ``want`` (position in ``wants``),
    ``link`` (row of ``links``), ``score``, ``q_fit``, ``f_fit``, ``distance_km``, ``method``.
    """
    from geo.synergies.matching import frequency_fit, quantity_fit, score_pairs

    rec = m.records
    p = m.params
    cols = ("have", "want", "link", "score", "q_fit", "f_fit", "distance_km", "method")
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    if len(have_rows) == 0 or links.empty:
        return empty
    h_key = rec["key"].to_numpy()[have_rows]
    order = np.argsort(h_key, kind="stable")
    have_rows = np.asarray(have_rows)[order]
    h_key = h_key[order]
    keys, h_start, h_count = np.unique(h_key, return_index=True, return_counts=True)
    l_key = links["key"].to_numpy()
    l_keys, l_start, l_count = np.unique(l_key, return_index=True, return_counts=True)
    l_at = {k: (int(s), int(c)) for k, s, c in zip(l_keys, l_start, l_count, strict=True)}
    l_want = links["want"].to_numpy(np.int64)
    l_strength = links["strength"].to_numpy(float)

    r_site, r_park = rec["site"].to_numpy(), rec["park"].to_numpy(object)
    r_q, r_unit, r_freq = rec["quantity"].to_numpy(float), rec["unit"].to_numpy(object), \
        rec["freq"].to_numpy()
    w_site, w_park = wants["site"].to_numpy(), wants["park"].to_numpy(object)
    w_q, w_unit, w_freq = wants["quantity"].to_numpy(float), wants["unit"].to_numpy(object), \
        wants["freq"].to_numpy()

    out: list[tuple[np.ndarray, ...]] = []
    for key, hs, hc in zip(keys, h_start, h_count, strict=True):
        if key not in l_at:
            continue
        ls, lc = l_at[key]
        lw = l_want[ls:ls + lc]
        rows_per = max(1, p.block_cells // lc)
        for c0 in range(hs, hs + hc, rows_per):
            chunk = have_rows[c0:min(c0 + rows_per, hs + hc)]
            nh = len(chunk)
            hh = np.repeat(chunk, lc)
            wi = np.tile(lw, nh)
            li = np.tile(np.arange(ls, ls + lc), nh)
            d_km, meth = dist.pairs(r_site[hh], w_site[wi])
            q_fit = quantity_fit(r_q[hh], w_q[wi], r_unit[hh] == w_unit[wi])
            f_fit = frequency_fit(r_freq[hh], w_freq[wi])
            score = score_pairs(l_strength[li], q_fit, f_fit, d_km, p)
            invalid = r_site[hh] == w_site[wi]
            if p.scope != "all":
                same = (r_park[hh] == w_park[wi]) & pd.notna(r_park[hh])
                invalid |= ~same if p.scope == "same park" else same
            if p.max_distance_km is not None:
                invalid |= d_km > p.max_distance_km
            score[invalid] = -np.inf
            if top_k is not None and lc > top_k:
                mat = score.reshape(nh, lc)
                best = np.argpartition(-mat, top_k - 1, axis=1)[:, :top_k]
                sel = (best + (np.arange(nh) * lc)[:, None]).ravel()
            else:
                sel = np.arange(nh * lc)
            sel = sel[np.isfinite(score[sel])]
            out.append((hh[sel], wi[sel], li[sel], score[sel], q_fit[sel], f_fit[sel],
                        d_km[sel], meth[sel]))
    if not out:
        return empty
    arrays = [np.concatenate(parts) for parts in zip(*out, strict=True)]
    return pd.DataFrame(dict(zip(cols, arrays, strict=True)))


def _basis_labels(bases: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    primary = np.full(len(bases), "", dtype=object)
    every = np.full(len(bases), "", dtype=object)
    for name, bit in _BASIS_ORDER:
        has = (bases & bit) > 0
        primary[(primary == "") & has] = name
        every[has] = every[has] + np.where(every[has] == "", "", "+") + name
    return primary, every


def assemble(m: Matcher, pairs: pd.DataFrame, links: pd.DataFrame,
             wants: pd.DataFrame) -> pd.DataFrame:
    """The match table: ids, sites, parks, codes, basis, fits, distance, cost, reasons, rank.

    Rows are sorted by have then score (best first), with ``rank`` 1.. within each have.
    """
    rec = m.records
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
        "transport_cost_per_year": np.round(tonnes * dist * m.cost_per_tkm, 0),
        "transport_co2e_t_per_year": np.round(tonnes * dist * m.co2e_kg_per_tkm / 1000, 3),
        "other_park": other_park, "hazardous": hv["hazardous"].to_numpy(bool),
        "score": pairs["score"].round(4),
    })
    table = table.sort_values(["have_id", "score", "want_id"], ascending=[True, False, True],
                              kind="stable").reset_index(drop=True)
    table["rank"] = table.groupby("have_id", sort=False).cumcount() + 1
    table["reasons"] = _reasons(m, table)
    return table


def _reasons(m: Matcher, t: pd.DataFrame) -> list[str]:
    """Why each pair was proposed, in words (one string per row)."""
    n = len(t)
    if n == 0:
        return []
    rules = m.rules.table.set_index("rule_id")
    bases = t["bases"].to_numpy(object)
    code = t["have_code"].astype(object).fillna("").to_numpy()
    desc = np.array([m.descriptions.get(c, "") for c in code], dtype=object)
    exact = np.where([("exact" in b) for b in bases],
                     "same catalogue code " + code.astype(str)
                     + np.where(desc != "", " (" + desc.astype(str) + ")", ""), "")
    rid = t["rule_id"].astype(str).to_numpy()
    rationale = rid.copy().astype(object)
    has_rule = rid != ""
    rationale[has_rule] = [f"rule {r} ({rules.at[r, 'kind']}): {rules.at[r, 'rationale']}"
                           for r in rid[has_rule]]
    sector_rule = has_rule & np.array([("sector" in b) for b in bases])
    rationale[sector_rule] = (rationale[sector_rule] + " — receiver is sector "
                              + t["want_sector"].astype(str).to_numpy()[sector_rule])
    kb_n = t["kb_completed"].to_numpy(int)
    kb = np.where(kb_n > 0, "knowledge base: sector " + t["want_sector"].astype(str).to_numpy()
                  + " completed " + kb_n.astype(str) + " synergies with code "
                  + code.astype(str), "")
    qf = t["quantity_fit"].to_numpy(float)
    qty = np.array([f"quantity fit {f:.0%} ({a:g} offered, {b:g} wanted, {u})"
                    if np.isfinite(a) and np.isfinite(b) else ""
                    for f, a, b, u in zip(qf, t["have_quantity"].to_numpy(float),
                                          t["want_quantity"].to_numpy(float),
                                          t["unit"].astype(str), strict=True)], dtype=object)
    d = t["distance_km"].to_numpy(float)
    meth = t["distance_method"].to_numpy(object)
    dist = np.where(meth == "road", np.char.add(np.round(d, 1).astype(str), " km by road"),
                    np.where(meth == "straight-line",
                             np.char.add(np.char.add("≈", np.round(d, 1).astype(str)),
                                         f" km (straight line × {m.params.detour_factor:g}, "
                                         "not measured on roads)"),
                             "a site is not located: distance unknown"))
    cost = t["transport_cost_per_year"].to_numpy(float)
    cost_s = np.array([f"transport ≈ {c:,.0f} per year" if np.isfinite(c) else "" for c in cost],
                      dtype=object)
    park = np.where(t["other_park"].to_numpy(bool),
                    "a solution in another park (" + t["want_park"].astype(object).fillna(
                        "outside any park").astype(str).to_numpy() + ")", "")
    haz = np.where(t["hazardous"].to_numpy(bool), "hazardous: the receiver needs a permit", "")
    parts = zip(exact, rationale, kb, qty, dist, cost_s, park, haz, strict=True)
    return ["; ".join(str(x) for x in row if x) for row in parts]
