"""Gap analysis: streams with no want anywhere, and potential flows between parks.

A have is *without a want* when no active want at another site is linked to its code by any
basis (same code, rule, knowledge base). Summed by code and stream, by tonnes, these are the
opportunities a programme cannot place: the sectors to recruit (from the sector rules and the
knowledge base) and the openings for new technology.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.disclosure.release import OTHER_STREAM, code_streams
from geo.i18n import _
from geo.synergies.matching import build_links
from geo.synergies.rules import resolve_selectors, split_selectors
from geo.synergies.streams import stream_labels

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.disclosure import ProgrammeRelease
    from geo.synergies.matching import Matcher

__all__ = ["between_parks", "gap_analysis", "haves_without_want", "viewer_gaps"]

logger = logging.getLogger(__name__)


def haves_without_want(matcher: Matcher) -> pd.Series:
    """Boolean per record position (haves only): True when no want at another site fits.

    Records of archived sites and uncoded material haves are left out (see the matcher's
    notes for their counts).
    """
    rec = matcher.records
    haves = rec[(rec["direction"] == "have") & rec["active"] & (rec["key"] != "")]
    wants = rec[(rec["direction"] == "want") & rec["active"]]
    links = build_links(pd.Index(haves["key"].unique()), wants, matcher.rules, matcher.kb,
                        matcher.params)
    sites = pd.DataFrame({"key": links["key"].to_numpy(),
                          "site": wants["site"].to_numpy()[links["want"].to_numpy(np.int64)]})
    per_key = sites.drop_duplicates().groupby("key")["site"].agg(["nunique", "first"])
    n_sites = haves["key"].map(per_key["nunique"]).fillna(0).to_numpy()
    only = haves["key"].map(per_key["first"]).to_numpy()
    alone = (n_sites == 0) | ((n_sites == 1) & (only == haves["site"].to_numpy()))
    return pd.Series(alone, index=haves.index, name="without_want")


def _recruit(code: str, rules: pd.DataFrame, kb: pd.DataFrame,
             catalogue: Catalogue | None) -> str:
    """NACE prefixes that sector rules and past synergies say could use ``code``."""
    out: list[str] = []
    for row in rules[rules["kind"] == "sector"].itertuples(index=False):
        try:
            hit = code in resolve_selectors(split_selectors(row.have), universe=[code],
                                            catalogue=catalogue)
        except Exception:  # a group selector without a catalogue: the rule cannot tell
            hit = False
        if hit:
            out.extend(p for p in split_selectors(row.want) if p not in out)
    if len(kb):
        out.extend(s for s in kb.loc[kb["ewc_code"] == code, "sector_nace"] if s not in out)
    return " ".join(out)


def gap_analysis(matcher: Matcher, *, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Haves with no want anywhere in the programme, by code, largest tonnage first.

    Returns
    -------
    DataFrame
        One row per (code or class, unit) with unplaced haves, tonnes first, largest first:
        ``key``, ``stream``,
        ``description``, ``haves`` (records), ``producers`` (distinct sites),
        ``quantity_without_want`` and ``unit`` (t/yr, MWh/yr, m3/yr), ``share_of_stream``
        (of that code's have quantity), ``fates`` (current fates, most common first) and
        ``recruit_sectors`` (NACE prefixes of sectors that could use it).
    """
    rec = matcher.records
    alone = haves_without_want(matcher)
    haves = rec.loc[alone.index].assign(without_want=alone.to_numpy())
    gap = haves[haves["without_want"]]
    cols = ["key", "stream", "description", "haves", "producers", "quantity_without_want",
            "unit", "share_of_stream", "fates", "recruit_sectors"]
    if gap.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    total = haves.groupby(["key", "unit"])["quantity"].sum()
    g = gap.groupby(["key", "unit"], sort=False)
    out = g.agg(haves=("resource_id", "size"), producers=("site", "nunique"),
                quantity_without_want=("quantity", "sum"),
                description=("description", "first"),
                code=("code", "first"), klass=("klass", "first"))
    out["fates"] = g["fate"].agg(lambda f: ", ".join(f.dropna().value_counts().index.astype(str)))
    out["share_of_stream"] = (out["quantity_without_want"] / total.reindex(out.index)).round(3)
    out = out.reset_index()
    out["stream"] = stream_labels(out["code"], out["klass"], catalogue).to_numpy()
    if catalogue is not None:
        desc = {c: catalogue.describe(c) for c in out["code"].dropna()
                if catalogue.is_entry(c)}
        out["description"] = out["code"].map(desc).fillna(out["description"])
    table = matcher.rules.table
    out["recruit_sectors"] = [_recruit(c, table, matcher.kb, catalogue) if isinstance(c, str)
                              else "" for c in out["code"]]
    out = out.assign(_tonnes=out["unit"] != "t/yr").sort_values(
        ["_tonnes", "unit", "quantity_without_want"], ascending=[True, True, False],
        kind="stable")
    return out[cols].reset_index(drop=True)


def between_parks(matches: pd.DataFrame) -> pd.DataFrame:
    """Potential flows between parks: the best match of each have, summed by park pair.

    Parameters
    ----------
    matches : DataFrame
        ``MatchResult.table`` of :meth:`Matcher.all_pairs`.

    Returns
    -------
    DataFrame
        ``from_park``, ``to_park``, ``haves`` (records whose best partner is there),
        ``producers``, ``tonnes_per_year`` (matched t/yr), ``median_distance_km``,
        ``other_park`` — the "solution in another park" rows first, then by tonnes.
    """
    best = matches[matches["rank"] == 1]
    cols = ["from_park", "to_park", "haves", "producers", "tonnes_per_year",
            "median_distance_km", "other_park"]
    if best.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    outside = _("(outside parks)")
    best = best.assign(from_park=best["have_park"].fillna(outside),
                       to_park=best["want_park"].fillna(outside),
                       tonnes=best["matched_quantity"].where(best["unit"] == "t/yr"))
    out = best.groupby(["from_park", "to_park"]).agg(
        haves=("have_id", "size"), producers=("have_site_id", "nunique"),
        tonnes_per_year=("tonnes", "sum"), median_distance_km=("distance_km", "median"),
        other_park=("other_park", "first")).reset_index()
    out = out.sort_values(["other_park", "tonnes_per_year"], ascending=[False, False],
                          kind="stable")
    return out[cols].reset_index(drop=True)


def viewer_gaps(matcher: Matcher, release: ProgrammeRelease, *, k: int,
                catalogue: Catalogue | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gaps and park pairs a viewer may see: no code, quantity, count or ranking.

    A company's unplaced waste code (and how its tonnage ranks) is its own business, so
    viewers get the release's streams, not codes: a stream is listed when its haves without a
    want come from at least ``k`` companies, with the sectors to recruit that at least ``k``
    of those companies' codes point to; a pair of parks is listed when at least ``k``
    companies give and at least ``k`` receive across it. Both tables are in alphabetical
    order, not by tonnes.

    Returns
    -------
    (streams, park_pairs) : DataFrames
        ``stream`` (label), ``recruit_sectors``; and ``from_park``, ``to_park``,
        ``other_park``.
    """
    rec = matcher.records
    alone = haves_without_want(matcher)
    gap = rec.loc[alone.index[alone.to_numpy()]]
    labels = release.stream_labels()
    stream = gap["code"].map(code_streams(release.streams)).fillna(OTHER_STREAM).map(labels)
    rows = []
    rules = matcher.rules.table
    for label, part in gap.assign(stream=stream.to_numpy()).groupby("stream", sort=True):
        if part["site"].nunique() < k:
            continue
        backers: dict[str, set[object]] = {}
        for code, sites in part.groupby("code")["site"]:
            for sector in _recruit(str(code), rules, matcher.kb, catalogue).split():
                backers.setdefault(sector, set()).update(sites)
        rows.append({"stream": label, "recruit_sectors": " ".join(
            sorted(sec for sec, who in backers.items() if len(who) >= k))})
    streams = pd.DataFrame(rows, columns=["stream", "recruit_sectors"])
    best = matcher.all_pairs(top_k=1).table
    best = best[best["rank"] == 1]
    cols = ["from_park", "to_park", "other_park"]
    if best.empty:
        return streams, pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    outside = _("(outside parks)")
    best = best.assign(from_park=best["have_park"].fillna(outside),
                       to_park=best["want_park"].fillna(outside))
    pairs = best.groupby(["from_park", "to_park"]).agg(
        givers=("have_site_id", "nunique"), receivers=("want_site_id", "nunique"),
        other_park=("other_park", "first")).reset_index()
    pairs = pairs[(pairs["givers"] >= k) & (pairs["receivers"] >= k)]
    return streams, pairs.sort_values(["from_park", "to_park"])[cols].reset_index(drop=True)
