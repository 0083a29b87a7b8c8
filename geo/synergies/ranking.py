"""The ranked match table: ids, sites, parks, codes, basis, fits, distance, cost, reasons.

:func:`match_table` turns the scored pairs of :func:`geo.synergies.scoring.score_block` into
the table a practitioner reads, one row per (have, want) pair, with the reasons it was
proposed in words. The reasons are built column-wise (once per link for the basis, then per
pair for fit, distance, cost and park), never row by row.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.synergies.distances import METHODS
from geo.synergies.scoring import BASIS_BITS

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


def _link_reasons(links: pd.DataFrame, wants: pd.DataFrame, *, rules: pd.DataFrame,
                  descriptions: dict[str, str]) -> pd.Series:
    """The basis part of the reasons, once per link (a code and a want), not per pair."""
    idx = links.index
    rule_text = dict(zip(rules["rule_id"], "rule " + rules["rule_id"] + " (" + rules["kind"]
                         + "): " + rules["rationale"], strict=True))
    kind = links["rule_id"].map(dict(zip(rules["rule_id"], rules["kind"], strict=True)))
    code = links["key"].astype("str")
    desc = code.map(descriptions).fillna("")
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


def _reasons(t: pd.DataFrame, link_text: np.ndarray, *, detour_factor: float) -> pd.Series:
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
                      "≈" + d + f" km (straight line × {detour_factor:g}, "
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
