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
import pyarrow as pa
import pyarrow.compute as pc

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

    r_site, r_park = rec["site"].to_numpy(), rec["park_code"].to_numpy()
    r_q, r_unit, r_freq = (rec["quantity"].to_numpy(float), rec["unit_code"].to_numpy(),
                           rec["freq"].to_numpy())
    w_site, w_park = wants["site"].to_numpy(), wants["park_code"].to_numpy()
    w_q, w_unit, w_freq = (wants["quantity"].to_numpy(float), wants["unit_code"].to_numpy(),
                           wants["freq"].to_numpy())

    out: list[tuple[np.ndarray, ...]] = []
    for key, hs, hc in zip(keys, h_start, h_count, strict=True):
        if key not in l_at:
            continue
        ls, lc = l_at[key]
        lw = l_want[ls:ls + lc]
        ws, wq, wu, wf, wp = w_site[lw], w_q[lw], w_unit[lw], w_freq[lw], w_park[lw]
        strength = l_strength[ls:ls + lc][None, :]
        rows_per = max(1, p.block_cells // lc)
        for c0 in range(hs, hs + hc, rows_per):
            chunk = have_rows[c0:min(c0 + rows_per, hs + hc)]
            nh = len(chunk)
            hsite, hq = r_site[chunk], r_q[chunk]
            d_km, meth = dist.block(hsite, ws)
            q_fit = quantity_fit(hq[:, None], wq[None, :],
                                 r_unit[chunk][:, None] == wu[None, :])
            f_fit = frequency_fit(r_freq[chunk][:, None], wf[None, :])
            score = score_pairs(strength, q_fit, f_fit, d_km, p)
            invalid = hsite[:, None] == ws[None, :]
            if p.scope != "all":
                same = (r_park[chunk][:, None] == wp[None, :]) & (wp[None, :] >= 0)
                invalid |= ~same if p.scope == "same park" else same
            if p.max_distance_km is not None:
                invalid |= d_km > p.max_distance_km
            score[invalid] = -np.inf
            if top_k is not None and lc > top_k:
                best = np.argpartition(-score, top_k - 1, axis=1)[:, :top_k]
                ri = np.repeat(np.arange(nh), top_k)
                ci = best.ravel()
            else:
                ri, ci = np.divmod(np.arange(nh * lc), lc)
            keep = np.isfinite(score[ri, ci])
            ri, ci = ri[keep], ci[keep]
            out.append((chunk[ri], lw[ci], ls + ci, score[ri, ci], q_fit[ri, ci], f_fit[ri, ci],
                        d_km[ri, ci], meth[ri, ci]))
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
        "transport_cost_per_year": np.round(tonnes * dist * m.cost_per_tkm, 0),
        "transport_co2e_t_per_year": np.round(tonnes * dist * m.co2e_kg_per_tkm / 1000, 3),
        "other_park": other_park, "hazardous": hv["hazardous"].to_numpy(bool),
        "score": pairs["score"].round(4),
    })
    have = pairs["have"].to_numpy(np.int64)
    first = np.r_[True, have[1:] != have[:-1]] if len(have) else np.zeros(0, bool)
    starts = np.maximum.accumulate(np.where(first, np.arange(len(have)), 0))
    table["rank"] = np.arange(len(have)) - starts + 1
    used = np.unique(pairs["link"].to_numpy(np.int64))
    link_text = _link_reasons(m, links.iloc[used], wants).set_axis(used)
    table["reasons"] = _reasons(m, table, link_text.reindex(pairs["link"]).to_numpy())
    return table


def _num(values: pd.Series, decimals: int) -> pd.Series:
    """Numbers as short text in one Arrow cast: ``12.0`` → ``"12"``, ``0.25`` → ``"0.25"``
    (missing stays missing); pandas' own float → str conversion loops in Python."""
    rounded = np.round(values.to_numpy(dtype=float, na_value=np.nan), decimals)
    text = pc.cast(pa.array(rounded, from_pandas=True), pa.string())
    return pd.Series(pd.array(text, dtype="str"), index=values.index)


def _part(mask: np.ndarray | pd.Series, text: pd.Series | str, index: pd.Index) -> pd.Series:
    """``text`` (with a trailing separator) where ``mask``, else empty."""
    full = pd.Series(text, index=index, dtype="str") if isinstance(text, str) else text
    return (full + "; ").where(np.asarray(mask, bool), "")


def _link_reasons(m: Matcher, links: pd.DataFrame, wants: pd.DataFrame) -> pd.Series:
    """The basis part of the reasons, once per link (a code and a want), not per pair."""
    idx = links.index
    rules = m.rules.table
    rule_text = dict(zip(rules["rule_id"], "rule " + rules["rule_id"] + " (" + rules["kind"]
                         + "): " + rules["rationale"], strict=True))
    kind = links["rule_id"].map(dict(zip(rules["rule_id"], rules["kind"], strict=True)))
    code = links["key"].astype("str")
    desc = code.map(m.descriptions).fillna("")
    sector = pd.Series(wants["sector"].to_numpy()[links["want"].to_numpy(np.int64)],
                       index=idx).astype("str").fillna("?")
    bases = links["bases"].to_numpy(np.int64)
    exact = "same catalogue code " + code + (" (" + desc + ")").where(desc != "", "")
    rule = links["rule_id"].astype("str").fillna("")
    rationale = rule.map(rule_text).fillna("") + (" — receiver is sector " + sector).where(
        kind == "sector", "")
    kb_n = links["kb_n"].astype(int)
    kb = ("knowledge base: sector " + sector + " completed " + kb_n.astype("str")
          + " synergies with code " + code)
    return (_part((bases & 1) > 0, exact, idx) + _part(rule != "", rationale, idx)
            + _part(kb_n > 0, kb, idx))


def _reasons(m: Matcher, t: pd.DataFrame, link_text: np.ndarray) -> pd.Series:
    """Why each pair was proposed, in words: the link's basis, then the pair's fit,
    distance, cost and park, built column-wise."""
    idx = t.index
    if len(t) == 0:
        return pd.Series([], index=idx, dtype="str")
    qty_ok = t["have_quantity"].notna() & t["want_quantity"].notna()
    qty = ("quantity fit " + _num(t["quantity_fit"] * 100, 0) + "% ("
           + _num(t["have_quantity"], 2) + " offered, " + _num(t["want_quantity"], 2)
           + " wanted, " + t["unit"].astype("str").fillna("") + ")")
    d = _num(t["distance_km"], 1)
    meth = t["distance_method"]
    dist = pd.Series("a site is not located: distance unknown", index=idx, dtype="str")
    dist = dist.where(meth != "road", d + " km by road")
    dist = dist.where(meth != "straight-line",
                      "≈" + d + f" km (straight line × {m.params.detour_factor:g}, "
                                "not measured on roads)")
    cost = t["transport_cost_per_year"]
    cost_s = "transport ≈ " + _num(cost, 0) + " per year"
    park = ("a solution in another park ("
            + t["want_park"].astype("str").fillna("outside any park") + ")")
    text = (pd.Series(link_text, index=idx, dtype="str")
            + _part(qty_ok, qty, idx) + _part(np.ones(len(t), bool), dist, idx)
            + _part(cost.notna(), cost_s, idx) + _part(t["other_park"], park, idx)
            + _part(t["hazardous"], "hazardous: the receiver needs a permit", idx))
    return text.str.removesuffix("; ")
