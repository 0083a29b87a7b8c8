"""Match haves to wants: ranked complementary records, each with the reasons it was proposed.

Candidates come from four sources, joined by catalogue code (never a Python double loop over
records):

1. **exact** — the want has the have's catalogue code;
2. **family** and **sector** rules of ``data/matching/compatibility.csv``
   (:mod:`geo.synergies.rules`), and **class** rules for uncoded energy, water and logistics;
3. the **knowledge base** of completed synergies (:mod:`geo.synergies.knowledge`): wants of
   sectors that used the code before.

Records coded in another catalogue than the programme's (an optional ``catalogue`` column of
the resources, holding catalogue ids) are keyed ``"<id>:<code>"``, so that codes of two
catalogues never meet by their digits; a :class:`~geo.catalogue.crosswalk.Crosswalk` given to
:meth:`Matcher.from_programme` links them through its reviewed rows (want's code the same as
or broader than the have's), as family-kind links ``XW<row>/<catalogue>`` whose reason names
the crosswalk row.

Each candidate pair is scored (0–1) by a weighted sum of the basis strength, the fit of
quantities and of frequencies, and nearness (``exp(-distance / scale)``); the haul distance is
over roads where a network exists and a straight-line × detour stand-in otherwise, and the pair
says which (``distance_method``). The estimated transport cost and CO2e of the haul use the
cost per tonne-km and the HGV factor of :mod:`geo.factors`.

The core works on arrays and plain frames: :func:`build_links` (here) finds the candidate
wants of each matching key, :mod:`geo.synergies.scoring` scores the pairs
(:class:`~geo.synergies.scoring.MatchParams`, :func:`~geo.synergies.scoring.score_pairs`, …)
and :mod:`geo.synergies.ranking` writes the
ranked table with its reasons. :class:`Matcher` is the adapter that prepares a
:class:`~geo.programme.Programme` once (:mod:`geo.synergies.records`) and answers
:meth:`Matcher.for_record` and :meth:`Matcher.all_pairs` queries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.catalogue import load_catalogue
from geo.catalogue.crosswalk import record_keys
from geo.errors import SynergyError
from geo.factors import load_factors
from geo.i18n import _, format_number, ngettext
from geo.synergies.book import SYNERGY_COLUMNS
from geo.synergies.distances import SiteDistances
from geo.synergies.knowledge import knowledge_base
from geo.synergies.ranking import match_table
from geo.synergies.records import prepare_records
from geo.synergies.rules import RULES_CATALOGUE, expand_rules, load_rules
from geo.synergies.scoring import (
    BASIS_BITS,
    MatchParams,
    Scope,
    score_block,
)
from geo.synergies.text import Note, figure

if TYPE_CHECKING:
    from geo.catalogue import Crosswalk
    from geo.factors import Factors
    from geo.network import RoadGraph
    from geo.programme import Programme
    from geo.synergies.rules import CodeCatalogue, ExpandedRules

__all__ = [
    "MatchResult",
    "Matcher",
    "build_links",
]

logger = logging.getLogger(__name__)

def build_links(
    have_keys: pd.Index,
    wants: pd.DataFrame,
    rules: ExpandedRules,
    kb: pd.DataFrame,
    params: MatchParams,
) -> pd.DataFrame:
    """Which wants each have key may meet, with the strongest basis and every basis bit.

    Parameters
    ----------
    have_keys : Index of str
        Keys of the haves to link: a catalogue code, or ``class:<resource_class>`` for
        uncoded resources.
    wants : DataFrame
        One row per want (position = want number), with ``code``, ``klass``, ``sector``,
        ``site`` and ``quantity``.
    rules : ExpandedRules
        From :func:`geo.synergies.rules.expand_rules`.
    kb : DataFrame
        The knowledge base (``ewc_code``, ``sector_nace``, ``completed``).

    Returns
    -------
    DataFrame
        ``key``, ``want``, ``strength`` (max over bases), ``bases`` (bit mask of
        :data:`BASIS_BITS`), ``rule_id`` (the strongest rule, "" if none), ``kb_n``
        (completed synergies of the want's sector with the key, 0 if none).
    """
    keys = pd.Index(have_keys).unique()
    w = wants.assign(want=np.arange(len(wants)))
    coded = w[w["code"].notna() & (w["code"] != "")]
    parts: list[pd.DataFrame] = []
    exact = coded[coded["code"].isin(keys)]
    parts.append(pd.DataFrame({"key": exact["code"].to_numpy(), "want": exact["want"].to_numpy(),
                               "strength": params.exact_strength, "bit": BASIS_BITS["exact"],
                               "rule_id": "", "kb_n": 0}))
    fam = rules.family[rules.family["have_code"].isin(keys)]
    if len(fam):
        m = fam.merge(coded[["code", "want"]], left_on="want_code", right_on="code")
        parts.append(pd.DataFrame({"key": m["have_code"], "want": m["want"],
                                   "strength": m["strength"], "bit": BASIS_BITS["family"],
                                   "rule_id": m["rule_id"], "kb_n": 0}))
    sec = rules.sector[rules.sector["have_code"].isin(keys)]
    material = coded[coded["klass"] == "material"]
    if len(sec):
        m = _one_per_site(sec.merge(material[["sector", "want", "site", "quantity"]],
                                    on="sector"), "have_code")
        parts.append(pd.DataFrame({"key": m["have_code"], "want": m["want"],
                                   "strength": m["strength"], "bit": BASIS_BITS["sector"],
                                   "rule_id": m["rule_id"], "kb_n": 0}))
    kbk = kb[kb["ewc_code"].isin(keys)] if len(kb) else kb
    if len(kbk):
        m = _one_per_site(kbk.merge(material[["sector", "want", "site", "quantity"]],
                                    left_on="sector_nace", right_on="sector"), "ewc_code")
        n = m["completed"].to_numpy(float)
        strength = np.minimum(params.kb_strength + params.kb_step * (n - 1), params.kb_max)
        parts.append(pd.DataFrame({"key": m["ewc_code"], "want": m["want"],
                                   "strength": strength, "bit": BASIS_BITS["knowledge"],
                                   "rule_id": "", "kb_n": m["completed"].astype(int)}))
    class_keys = [k[len("class:"):] for k in keys if str(k).startswith("class:")]
    cls = rules.klass[rules.klass["have_class"].isin(class_keys)]
    if len(cls):
        uncoded = w[w["code"].isna() | (w["code"] == "")]
        m = cls.merge(uncoded[["klass", "want"]], left_on="want_class", right_on="klass")
        parts.append(pd.DataFrame({"key": "class:" + m["have_class"], "want": m["want"],
                                   "strength": m["strength"], "bit": BASIS_BITS["class"],
                                   "rule_id": m["rule_id"], "kb_n": 0}))
    links = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    if links.empty:
        return links.rename(columns={"bit": "bases"})[
            ["key", "want", "strength", "bases", "rule_id", "kb_n"]]
    grouped = links.groupby(["key", "want"], sort=False)
    bases = links.drop_duplicates(["key", "want", "bit"]).groupby(["key", "want"],
                                                                  sort=False)["bit"].sum()
    out = grouped.agg(strength=("strength", "max"), kb_n=("kb_n", "max"))
    out["bases"] = bases
    ruled = links[links["rule_id"] != ""].sort_values("strength", ascending=False,
                                                      kind="stable")
    best_rule = ruled.drop_duplicates(["key", "want"]).set_index(["key", "want"])["rule_id"]
    out["rule_id"] = best_rule.reindex(out.index).fillna("")
    out = out.reset_index().sort_values(["key", "want"], kind="stable").reset_index(drop=True)
    return out[["key", "want", "strength", "bases", "rule_id", "kb_n"]]


def _one_per_site(links: pd.DataFrame, key: str) -> pd.DataFrame:
    """Sector and knowledge-base links point at a receiving *site*: keep one want per site
    (its largest), so a site with many wants is proposed once, not once per want."""
    return (links.sort_values(["quantity", "want"], ascending=[False, True], kind="stable")
            .drop_duplicates([key, "site"]))


@dataclass(frozen=True)
class MatchResult:
    """Ranked matches and the notes a reader needs (how distances were measured, exclusions).

    ``table`` has one row per (have, want) pair, its ``reasons`` in the language of the
    session that asked; ``notes`` are in that language too. ``query`` is ``have`` or ``want``
    for a single-record query and ``all`` for all-pairs matching.
    """

    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    query: str = "all"


@dataclass(frozen=True)
class Matcher:
    """A programme prepared for matching (build once with :meth:`from_programme`, query often).

    Attributes
    ----------
    records : DataFrame
        Every resource with its site's position index, park, sector, quantity, unit,
        frequency rank and matching key (positional index 0..n-1).
    distances : SiteDistances
        Site positions (and road rows when computed).
    rules : ExpandedRules
    kb : DataFrame
        Knowledge base at preparation time.
    params : MatchParams
    cost_per_tkm, co2e_kg_per_tkm : float
        Transport cost and CO2e factors used (cited in ``notes``).
    messages : tuple of Note
        How distances are measured and what was left out, untranslated: a matcher is shared
        by sessions of several languages, so :attr:`notes` translates them when asked.
    """

    records: pd.DataFrame
    distances: SiteDistances
    rules: ExpandedRules
    kb: pd.DataFrame
    params: MatchParams
    cost_per_tkm: float
    co2e_kg_per_tkm: float
    graph: RoadGraph | None = field(default=None, repr=False)
    descriptions: dict[str, str] = field(default_factory=dict, repr=False)
    messages: tuple[Note, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes in this session's language (see :attr:`messages`)."""
        return tuple(str(n) for n in self.messages)

    @classmethod
    def from_programme(
        cls,
        programme: Programme,
        *,
        synergies: pd.DataFrame | None = None,
        graph: RoadGraph | None = None,
        rules: pd.DataFrame | None = None,
        catalogue: CodeCatalogue | None = None,
        factors: Factors | None = None,
        params: MatchParams | None = None,
        crosswalk: Crosswalk | None = None,
    ) -> Matcher:
        """Prepare a programme for matching.

        Parameters
        ----------
        programme : Programme
            Sites EPSG:4326 (checked by the Programme itself).
        synergies : DataFrame, optional
            ``SynergyBook.synergies``; its completed ones form the knowledge base.
        graph : RoadGraph, optional
            The region's road network; without it distances are straight-line × detour.
        rules : DataFrame, optional
            Compatibility rules (default the shipped file).
        catalogue : CodeCatalogue, optional
            For stream-group selectors and code descriptions in the reasons.
        factors : Factors, optional
            Default :func:`geo.factors.load_factors`.
        crosswalk : Crosswalk, optional
            Links records coded in other catalogues (resources' ``catalogue`` column) to the
            programme's (``catalogue``, default :func:`~geo.catalogue.load_catalogue`).
        """
        params = params or MatchParams()
        factors = factors or load_factors()
        records, lon, lat, notes = prepare_records(programme)
        xw_family = xw_table = None
        foreign_desc: dict[str, str] = {}
        if crosswalk is not None or "catalogue" in programme.resources.columns:
            records, xw_family, xw_table, foreign_desc = _cross_catalogue(
                records, programme.resources, catalogue=catalogue, crosswalk=crosswalk,
                params=params, notes=notes)
        codes = records["code"].dropna().unique().tolist()
        rule_table = load_rules() if rules is None else rules
        home = getattr(catalogue, "catalogue_id", None) or load_catalogue().catalogue_id
        if rules is None and home != RULES_CATALOGUE:
            rule_table = rule_table[rule_table["kind"] == "class"].reset_index(drop=True)
            notes.append(Note.gettext(
                "The shipped compatibility rules name {rules} codes; only their class rules "
                "are used with the {home} catalogue (codes of two catalogues are never "
                "compared by their digits).", rules=RULES_CATALOGUE, home=home))
        expanded = expand_rules(rule_table, codes=codes,
                                sectors=records["sector"].dropna().unique(), catalogue=catalogue)
        if xw_family is not None and xw_table is not None and len(xw_family):
            family = pd.concat([expanded.family, xw_family], ignore_index=True)
            family = (family.sort_values("strength", ascending=False, kind="stable")
                      .drop_duplicates(["have_code", "want_code"]).reset_index(drop=True))
            expanded = replace(expanded, family=family,
                               table=pd.concat([expanded.table, xw_table], ignore_index=True))
        kb = knowledge_base(synergies if synergies is not None else _no_synergies(),
                            programme.sites)
        if graph is None:
            dist = SiteDistances.straight_line(lon, lat, detour_factor=params.detour_factor)
            notes.append(Note.gettext(
                "Distances are straight-line × {detour} (no road network for this "
                "programme).", detour=float(params.detour_factor)))
        else:
            dist = SiteDistances(lon, lat, detour_factor=params.detour_factor)
            notes.append(Note.gettext("Distances are by road ({source}) where a route exists.",
                                      source=graph.source))
        cost = (params.cost_per_tkm if params.cost_per_tkm is not None
                else factors.value("transport_cost_per_tkm"))
        co2 = factors.get("hgv_co2e_kg_per_tkm")
        notes.append(Note.gettext("Transport cost {cost} EUR per tonne-km; haul CO2e {factor}.",
                                  cost=float(cost), factor=co2.cite_here))
        descriptions: dict[str, str] = {}
        if catalogue is not None:
            for code in set(codes) | set(expanded.family["want_code"]):
                try:
                    descriptions[code] = str(catalogue.describe(code))
                except Exception:  # an unknown code keeps the record's own description
                    logger.debug("no catalogue description for %r", code)
        descriptions.update(foreign_desc)
        return cls(records=records, distances=dist, rules=expanded, kb=kb, params=params,
                   cost_per_tkm=float(cost), co2e_kg_per_tkm=co2.value, graph=graph,
                   descriptions=descriptions, messages=tuple(notes))

    # -- queries -------------------------------------------------------------------------

    def _wants(self) -> pd.DataFrame:
        r = self.records
        return r[(r["direction"] == "want") & r["active"]]

    def _haves(self) -> pd.DataFrame:
        r = self.records
        return r[(r["direction"] == "have") & r["active"] & (r["key"] != "")]

    def for_record(self, resource_id: str, *, top_k: int | None = None,
                   scope: Scope | None = None) -> MatchResult:
        """Ranked complementary records for one have (its wants) or one want (its haves).

        ``top_k`` and ``scope`` override the matcher's parameters for this query.
        """
        if scope is not None and scope != self.params.scope:
            return replace(self, params=replace(self.params, scope=scope)).for_record(
                resource_id, top_k=top_k)
        r = self.records
        hit = np.flatnonzero(r["resource_id"].to_numpy() == resource_id)
        if len(hit) == 0:
            msg = _("No resource record {record} in this programme; pick an id from the "
                    "resources table.").format(record=repr(resource_id))
            raise SynergyError(msg)
        rec = r.iloc[hit[0]]
        k = top_k or self.params.top_k
        notes = list(self.notes)
        if not rec["active"]:
            msg = _("{record} belongs to an archived site; restore the site to match "
                    "it.").format(record=repr(resource_id))
            raise SynergyError(msg)
        if rec["key"] == "":
            msg = _("{record} is a material record without a catalogue code, so nothing can "
                    "be matched to it; code it first.").format(record=repr(resource_id))
            raise SynergyError(msg)
        wants = self._wants()
        if rec["direction"] == "have":
            links = build_links(pd.Index([rec["key"]]), wants, self.rules, self.kb, self.params)
            have_rows = np.array([hit[0]])
            dist = self._dist_from(int(rec["site"]))
        else:
            one = wants[wants["resource_id"] == resource_id]
            haves = self._haves()
            links = build_links(pd.Index(haves["key"].unique()), one, self.rules, self.kb,
                                self.params)
            links["want"] = int(np.flatnonzero(wants["resource_id"].to_numpy()
                                               == resource_id)[0])
            have_rows = haves.index[haves["key"].isin(links["key"])].to_numpy()
            dist = self._dist_to(int(rec["site"]))
        pairs = score_block(self.records, have_rows, links, wants, dist, params=self.params,
                            top_k=k if rec["direction"] == "have" else None)
        table = self._table(pairs, links, wants)
        if rec["direction"] == "want":
            table = table.sort_values("score", ascending=False, kind="stable").head(k)
            table["rank"] = np.arange(1, len(table) + 1)
        return MatchResult(table.reset_index(drop=True), tuple(notes),
                           query=str(rec["direction"]))

    def all_pairs(self, *, top_k: int | None = None) -> MatchResult:
        """The best ``top_k`` wants of every have in the programme (grouped by code)."""
        haves = self._haves()
        wants = self._wants()
        notes = list(self.notes)
        links = build_links(pd.Index(haves["key"].unique()), wants, self.rules, self.kb,
                            self.params)
        dist = self.distances
        have_sites = haves["site"].unique()
        if self.graph is not None:
            if len(have_sites) <= self.params.road_max_sites:
                dist = SiteDistances.by_road(self.graph, dist.lon, dist.lat, origins=have_sites,
                                             detour_factor=self.params.detour_factor)
            else:
                n = len(have_sites)
                notes.append(ngettext(
                    "{n} producing site exceeds road_max_sites={limit}: all-pairs distances "
                    "are straight-line × {detour}; single-record matches use roads.",
                    "{n} producing sites exceed road_max_sites={limit}: all-pairs distances "
                    "are straight-line × {detour}; single-record matches use roads.", n).format(
                    n=format_number(n), limit=self.params.road_max_sites,
                    detour=figure(self.params.detour_factor)))
        pairs = score_block(self.records, haves.index.to_numpy(), links, wants, dist,
                            params=self.params, top_k=top_k or self.params.top_k)
        return MatchResult(self._table(pairs, links, wants), tuple(notes), query="all")

    def _table(self, pairs: pd.DataFrame, links: pd.DataFrame,
               wants: pd.DataFrame) -> pd.DataFrame:
        return match_table(self.records, pairs, links, wants, rules=self.rules.table,
                           descriptions=self.descriptions, cost_per_tkm=self.cost_per_tkm,
                           co2e_kg_per_tkm=self.co2e_kg_per_tkm,
                           detour_factor=self.params.detour_factor)

    def _dist_from(self, site: int) -> SiteDistances:
        if self.graph is None:
            return self.distances
        return SiteDistances.by_road(self.graph, self.distances.lon, self.distances.lat,
                                     origins=np.array([site]),
                                     detour_factor=self.params.detour_factor)

    def _dist_to(self, site: int) -> SiteDistances:
        if self.graph is None:
            return self.distances
        return SiteDistances.by_road_to(self.graph, self.distances.lon, self.distances.lat,
                                        destination=site,
                                        detour_factor=self.params.detour_factor)


def _cross_catalogue(records: pd.DataFrame, resources: pd.DataFrame, *,
                     catalogue: CodeCatalogue | None, crosswalk: Crosswalk | None,
                     params: MatchParams, notes: list[Note]
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Key records of other catalogues ``"<id>:<code>"``; the crosswalk's links as family rows
    (``have_code``, ``want_code``, ``rule_id``, ``strength``), their rule-table rows, and the
    descriptions of the foreign codes."""
    home = getattr(catalogue, "catalogue_id", None) or load_catalogue().catalogue_id
    ids = (resources["catalogue"].reset_index(drop=True) if "catalogue" in resources.columns
           else None)
    keyed = record_keys(records["code"], ids, home=home)
    foreign = keyed.notna() & (keyed != records["code"])
    records = records.assign(code=keyed, key=records["key"].where(~foreign, keyed))
    fam_cols = ["have_code", "want_code", "rule_id", "strength"]
    if not foreign.any():
        return records, pd.DataFrame(columns=fam_cols), pd.DataFrame(), {}
    others = sorted({str(k).split(":", 1)[0] for k in keyed[foreign]})
    if crosswalk is None:
        notes.append(Note.ngettext(
            "{n} record is coded in another catalogue ({catalogues}); without a crosswalk it "
            "meets only records of the same catalogue.",
            "{n} records are coded in another catalogue ({catalogues}); without a crosswalk "
            "they meet only records of the same catalogue.", int(foreign.sum()),
            catalogues=", ".join(others)))
        return records, pd.DataFrame(columns=fam_cols), pd.DataFrame(), {}
    notes.append(Note.ngettext(
        "{n} record coded in {catalogues} is matched with {home} records through the "
        "crosswalk's reviewed rows.",
        "{n} records coded in {catalogues} are matched with {home} records through the "
        "crosswalk's reviewed rows.", int(foreign.sum()), catalogues=", ".join(others),
        home=home))
    haves = records.loc[records["direction"] == "have", "key"]
    links = crosswalk.matching_links(haves[haves != ""].unique(), home=home)
    rule_id = "XW" + links["row"].astype(str) + "/" + links["have_catalogue"]
    fam = pd.DataFrame({"have_code": links["have_key"], "want_code": links["want_key"],
                        "rule_id": rule_id, "strength": params.exact_strength})
    # The rationale of a crosswalk row is put in words when a match shows it (in the
    # reader's language, from ``relation`` and ``crosswalk_row``).
    table = pd.DataFrame({
        "rule_id": rule_id, "kind": "family", "have": links["have_key"],
        "want": links["want_key"], "strength": params.exact_strength, "rationale": "",
        "source": links["source"], "relation": links["relation"],
        "crosswalk_row": links["row"].astype(str)})
    desc: dict[str, str] = {}
    for key in keyed[foreign].unique():
        cat_id, code = str(key).split(":", 1)
        cat = crosswalk.catalogues.get(cat_id)
        if cat is not None and cat.has_code(code):
            desc[str(key)] = cat.describe(code)
    return records, fam, table, desc


def _no_synergies() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in SYNERGY_COLUMNS})

