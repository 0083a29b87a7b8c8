"""The synergy figures a viewer may see: one protected tree per programme data version.

Viewers (park authorities, investors) never see a synergy. They read one
:class:`SynergyRelease`, built once per data version from **all** of a programme's synergies:

    all synergies → stage → release stream → park pair (from park → to park)

with several figures on the same tree — the number of synergies, their tonnes per year (t/yr
synergies) and every outcome the programme tracks, summed over all reporting years — each
protected by :func:`geo.synergies.disclosure.protect_synergy_tree` (givers and receivers both
as contributors, and insiders). Every viewer figure of the Reports page, the network, the
Sankey, the funders' workbook and ``python -m geo report --role viewer`` is a released node or
a sum of released nodes, so no combination of them tells a viewer more than the release.

- **Streams** are the partition of :func:`geo.disclosure.release_streams`, as everywhere else
  a viewer looks.
- **Parks**: the giving and the receiving site's park, or ``(outside parks)``.
- **CO2e avoided** is computed from landfill diverted; were both released for the same node,
  their ratio would tell the tonnage-weighted haul distance, an equation over the synergies'
  diverted tonnes with known coefficients. So viewers get CO2e as the released landfill
  diverted times one programme-wide factor (the disposal factor less the haul over the mean
  distance of the synergies that report), never a figure of its own.
- What viewers cannot see: a single synergy, a company, outcomes by year or by sector (groupings
  outside the tree, which could be differenced against it).

Examples
--------
>>> from geo.catalogue import load_catalogue
>>> from geo.demo import load_demo_programme
>>> from geo.factors import load_factors
>>> from geo.synergies.demo import demo_synergy_book
>>> prog = load_demo_programme()
>>> rel = build_synergy_release(prog, demo_synergy_book(prog), catalogue=load_catalogue(),
...                             factors=load_factors())
>>> rel.figures(depth=1)["stage"].tolist()
['idea', 'identified', 'in progress', 'implemented', 'completed', 'abandoned']
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from geo.disclosure import DEFAULT_RULES, OUTSIDE_PARKS, DisclosureRules, release_streams
from geo.disclosure.release import OTHER_STREAM
from geo.errors import ConfidentialityError
from geo.i18n import N_, _
from geo.programme import tonnes_per_year
from geo.synergies.disclosure import SynergyTree, protect_synergy_tree
from geo.synergies.lifecycle import ALL_STAGES, STAGES
from geo.synergies.outcomes import OUTCOME_TYPES, OutcomeConfig, outcomes_wide
from geo.synergies.text import Note

if TYPE_CHECKING:
    from geo.catalogue import Catalogue
    from geo.factors import Factors
    from geo.programme import Programme
    from geo.synergies.book import SynergyBook

__all__ = ["COUNT", "LEVELS", "OTHER_STAGES", "OTHER_STREAMS", "PAIR_SEP", "TONNES",
           "SynergyRelease", "build_synergy_release", "release_from_records",
           "synergy_records"]

logger = logging.getLogger(__name__)

LEVELS: Final = ("stage", "stream", "park_pair")
COUNT: Final = "synergies"
TONNES: Final = "tonnes_per_year"
PAIR_SEP: Final = " → "
OTHER_STAGES: Final = N_("Other stages")
OTHER_STREAMS: Final = N_("Other streams")
"""Where the viewers' Sankey sends withheld mass: values of :meth:`SynergyRelease.sankey_flows`
(codes), shown translated with ``_``."""
_CO2E: Final = "co2e_avoided_t"
_LANDFILL: Final = "landfill_diverted_t"


@dataclass(frozen=True)
class SynergyRelease:
    """Everything a viewer may see of a programme's synergies (see the module docstring).

    Attributes
    ----------
    programme : str
    rules : DisclosureRules
    measures : tuple of str
        The protected figures: :data:`COUNT`, :data:`TONNES` and the entered outcomes.
    labels, units : dict
        Measure → label (English, shown translated: :meth:`label`) and unit code (derived
        measures included).
    derived : dict
        Derived measure → (protected measure, factor): released where that one is.
    stream_labels, park_names : dict
        As the catalogue and the programme name them (:meth:`stream_names` and the figures
        translate our own: the rest stream, "outside parks").
    trees : dict
        Measure → :class:`~geo.synergies.disclosure.SynergyTree` (true totals inside:
        use the methods, which show released figures only).
    notes : tuple of Note or str
        A release is shared by sessions of several languages, so its notes are translated
        when shown (:meth:`shown_notes`).
    """

    programme: str
    rules: DisclosureRules
    measures: tuple[str, ...]
    labels: dict[str, str]
    units: dict[str, str]
    derived: dict[str, tuple[str, float]]
    stream_labels: dict[str, str]
    park_names: dict[str, str]
    trees: dict[str, SynergyTree] = field(repr=False)
    notes: tuple[Note | str, ...] = ()

    def label(self, measure: str) -> str:
        """A measure's label in this session's language."""
        return _(self.labels[measure])

    def shown_notes(self) -> tuple[str, ...]:
        """The notes in this session's language."""
        return tuple(str(n) for n in self.notes)

    def co2e_note(self) -> str:
        """How viewers' CO2e avoided is derived, in this session's language ("" if not)."""
        return next((str(n) for n in self.notes
                     if (n.message if isinstance(n, Note) else n).startswith("CO2e")), "")

    def stream_names(self) -> dict[str, str]:
        """Stream → label shown: the catalogue's labels, ours translated."""
        return {s: _(lab) if s == OTHER_STREAM else lab for s, lab in self.stream_labels.items()}

    def _park_names(self) -> dict[str, str]:
        return {OUTSIDE_PARKS: _(OUTSIDE_PARKS), **self.park_names}

    @property
    def all_measures(self) -> tuple[str, ...]:
        """Protected and derived measures, in display order."""
        out = list(self.measures)
        for name, (base, _factor) in self.derived.items():
            out.insert(out.index(base) + 1, name)
        return tuple(out)

    def _released(self, measure: str) -> pd.Series:
        """Released values of ``measure`` by node key and depth (``key#depth``)."""
        base, factor = self.derived.get(measure, (measure, 1.0))
        if base not in self.trees:
            msg = _("No figure {measure} in the release; choose from {measures}.").format(
                measure=repr(measure), measures=", ".join(self.all_measures))
            raise ConfidentialityError(msg)
        if self.trees[base].nodes.empty:
            return pd.Series({"#0": 0.0})  # nothing recorded anywhere: the total is 0
        rel = self.trees[base].released()
        return pd.Series(rel["value"].to_numpy(float) * factor,
                         index=rel["key"] + "#" + rel["depth"].astype(str))

    def figures(self, *, depth: int | None = None, parks: Sequence[str] = ()) -> pd.DataFrame:
        """Released figures, one row per node (NaN: withheld).

        Rows: the total (depth 0), every stage (1), and those stage × stream (2) and
        stage × stream × park pair (3) nodes with at least one released figure. With
        ``parks``, park pairs touching none of them are left out (a park authority's view).
        Columns: ``depth``, ``stage``, ``stream``, ``stream_label``, ``from_park``,
        ``to_park``, ``from_name``, ``to_name``, then one per measure (:attr:`all_measures`).
        """
        nodes = self.trees[COUNT].nodes
        rows = nodes[["depth", *LEVELS, "key"]].copy()
        keys = rows["key"] + "#" + rows["depth"].astype(str)
        for m in self.all_measures:
            rows[m] = keys.map(self._released(m)).to_numpy(float)
        any_fig = rows[list(self.all_measures)].notna().any(axis=1)
        rows = rows[(rows["depth"] <= 1) | any_fig]
        split = [str(p).split(PAIR_SEP, 1) if d == 3 else [None, None]
                 for p, d in zip(rows["park_pair"], rows["depth"], strict=True)]
        rows["from_park"] = [a for a, _b in split]
        rows["to_park"] = [b for _a, b in split]
        if parks:
            keep = {str(p) for p in parks}
            touches = rows["from_park"].isin(keep) | rows["to_park"].isin(keep)
            rows = rows[(rows["depth"] < 3) | touches]
        names = self._park_names()
        rows["stream_label"] = rows["stream"].map(self.stream_names())
        rows["from_name"] = rows["from_park"].map(names).fillna(rows["from_park"])
        rows["to_name"] = rows["to_park"].map(names).fillna(rows["to_park"])
        rows["_s"] = rows["stage"].map({s: i for i, s in enumerate(ALL_STAGES)})
        rows = rows.sort_values(["depth", "_s", "stream", "park_pair"], kind="stable",
                                na_position="first")
        if depth is not None:
            rows = rows[rows["depth"] == depth]
        cols = ["depth", "stage", "stream", "stream_label", "from_park", "to_park",
                "from_name", "to_name", *self.all_measures]
        return rows[cols].reset_index(drop=True)

    def total(self, measure: str, *, stages: Sequence[str] | None = None) -> float | None:
        """A released total of ``measure``: all synergies, or the sum over ``stages``.

        The sum over stages is the sum of the released stage figures, or the total less the
        released figures of the other stages; None when neither is released in full.
        """
        rel = self._released(measure)
        if stages is None:
            return float(rel["#0"]) if "#0" in rel.index else None
        nodes = self.trees[COUNT].nodes
        present = set(nodes.loc[nodes["depth"] == 1, "stage"])
        want = [f"{s}#1" for s in stages if s in present]
        if all(k in rel.index for k in want):
            return float(rel[want].sum())
        rest = [f"{s}#1" for s in present if s not in stages]
        if "#0" in rel.index and all(k in rel.index for k in rest):
            return float(rel["#0"] - rel[rest].sum())
        return None

    def sankey_flows(self, measure: str = TONNES, *,
                     by: Sequence[str] = ("stage", "stream")) -> pd.DataFrame:
        """Flows of the viewers' Sankey: all synergies → stage → stream.

        Each synergy under some released node flows through its stage where that stage's
        figure is released (else :data:`OTHER_STAGES`) and on to its stream where the
        stage × stream figure is released (else :data:`OTHER_STREAMS`). Every flow is then a
        released figure, or a released figure less released figures below it (a remainder
        that passes the rules), or a sum of such. Synergies under no released node are not
        drawn. Returns the ``by`` columns (labels), ``value`` and ``givers`` (distinct giving
        companies behind the flow).
        """
        base, factor = self.derived.get(measure, (measure, 1.0))
        tree = self.trees[base]
        pub = tree.nodes["published"].to_numpy(bool)
        recs = tree.records
        shown = recs["assigned"].to_numpy() >= 0
        stage = np.where(pub[tree.node_at[1]], recs["stage"].to_numpy(object), OTHER_STAGES)
        stream_lab = recs["stream"].map(self.stream_names()).fillna(recs["stream"])
        stream = np.where(pub[tree.node_at[2]], stream_lab.to_numpy(object), OTHER_STREAMS)
        flows = pd.DataFrame({"stage": stage[shown], "stream": stream[shown],
                              "value": recs[tree.value].to_numpy(float)[shown] * factor,
                              "giver": recs["from_site_id"].to_numpy()[shown]})
        if not by:
            return pd.DataFrame({"value": [float(flows["value"].sum())],
                                 "givers": [int(flows["giver"].nunique())]})
        out = flows.groupby(list(by), sort=False).agg(
            value=("value", "sum"), givers=("giver", "nunique")).reset_index()
        if "stage" not in by:
            return out.sort_values("value", ascending=False, kind="stable").reset_index(
                drop=True)
        order = {s: i for i, s in enumerate(ALL_STAGES)}
        return (out.assign(_s=out["stage"].map(order).fillna(len(order)))
                .sort_values(["_s", "value"], ascending=[True, False], kind="stable")
                .drop(columns="_s").reset_index(drop=True))

    def totals_by(self, level: str) -> pd.DataFrame:
        """Totals by ``stream`` or ``park_pair`` over all stages: sums of released figures.

        A total is the sum of the released stage × stream (or stage × stream × park pair)
        figures, shown only when every one of them is released (NaN otherwise). A stream or
        pair with no figure released at all has no row: listing it would say that a synergy
        runs between two parks (whose few firms are public) when nothing of it passes.
        """
        depth = {"stream": 2, "park_pair": 3}.get(level)
        if depth is None:
            msg = _("Totals are by 'stream' or 'park_pair', got {level}.").format(
                level=repr(level))
            raise ConfidentialityError(msg)
        count = self.trees[COUNT].nodes
        groups = sorted(set(count.loc[count["depth"] == depth, level].astype(str)))
        out = pd.DataFrame({level: groups})
        for m in self.all_measures:
            base, factor = self.derived.get(m, (m, 1.0))
            n = self.trees[base].nodes
            n = n[n["depth"] == depth]
            agg = n.groupby(n[level].astype(str)).agg(value=("value", "sum"),
                                                      complete=("published", "all"))
            total = (agg["value"] * factor).where(agg["complete"])
            out[m] = out[level].map(total)
        if level == "stream":
            out.insert(1, "stream_label", out["stream"].map(self.stream_names()))
        else:
            names = self._park_names()
            pairs = out["park_pair"].str.split(PAIR_SEP, n=1, regex=False)
            out.insert(1, "from_name", pairs.str[0].map(names).fillna(pairs.str[0]))
            out.insert(2, "to_name", pairs.str[1].map(names).fillna(pairs.str[1]))
        return out[out[list(self.all_measures)].notna().any(axis=1)].reset_index(drop=True)

    def park_links(self, *, stages: Sequence[str] = STAGES, measure: str = TONNES,
                   parks: Sequence[str] = ()) -> pd.DataFrame:
        """Park-to-park links: released park-pair figures summed over ``stages`` and streams.

        Returns ``from_park``, ``to_park``, ``from_name``, ``to_name``, ``value`` (sum of the
        released figures), ``synergies`` (sum of the released counts; NaN unless every one is
        released), ``stage`` (the most advanced chosen stage with a released figure).
        """
        fig = self.figures(depth=3, parks=parks)
        fig = fig[fig["stage"].isin(list(stages)) & fig[measure].notna()]
        cols = ["from_park", "to_park", "from_name", "to_name", "value", "synergies", "stage"]
        if fig.empty:
            return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "synergies")
                                              else object) for c in cols})
        fig = fig.assign(_r=fig["stage"].map({s: i for i, s in enumerate(ALL_STAGES)}))
        out = fig.groupby(["from_park", "to_park"], sort=True).agg(
            from_name=("from_name", "first"), to_name=("to_name", "first"),
            value=(measure, "sum"), synergies=(COUNT, lambda s: s.sum(min_count=len(s))),
            _r=("_r", "max")).reset_index()
        out["stage"] = [ALL_STAGES[int(r)] for r in out["_r"]]
        return out[cols]

    def share_released(self, measure: str, depth: int) -> float:
        """Share (0–1) of the measure's true total that released nodes at ``depth`` hold.

        For audits and reports on protection (it uses the true total): not a viewer figure.
        """
        tree = self.trees[self.derived.get(measure, (measure, 1.0))[0]]
        n = tree.nodes
        total = float(n.loc[n["depth"] == 0, "value"].sum())
        at = n[(n["depth"] == depth) & n["published"]]
        return float(at["value"].sum()) / total if total > 0 else 0.0


def synergy_records(programme: Programme, book: SynergyBook, *, catalogue: Catalogue,
                    factors: Factors, config: OutcomeConfig | None = None) -> pd.DataFrame:
    """One row per synergy with its tree path, companies and figures.

    Columns: ``synergy_id``, ``from_site_id``, ``to_site_id``, ``from_park``, ``to_park``,
    the :data:`LEVELS`, :data:`COUNT` (1), :data:`TONNES` (0 for other units) and each entered
    outcome (all years), plus ``distance_km``.
    """
    config = config or OutcomeConfig()
    syn = book.synergies.reset_index(drop=True)
    park = programme.sites.drop_duplicates("site_id").set_index("site_id")["park_id"]
    park = park.astype("string").replace("", pd.NA)

    def park_of(site: pd.Series) -> np.ndarray:
        return np.asarray(site.map(park).fillna(OUTSIDE_PARKS).astype(str).to_numpy())

    streams = release_streams(catalogue)
    code_stream = {c: s for s, codes in zip(streams["stream"], streams["codes"], strict=True)
                   for c in codes}
    stream = catalogue.normalise_codes(syn["ewc_code"]).map(code_stream).fillna(OTHER_STREAM)
    frm, to = park_of(syn["from_site_id"]), park_of(syn["to_site_id"])
    out = pd.DataFrame({
        "synergy_id": syn["synergy_id"].astype(str).to_numpy(),
        "from_site_id": syn["from_site_id"].astype(str).to_numpy(),
        "to_site_id": syn["to_site_id"].astype(str).to_numpy(),
        "from_park": frm, "to_park": to,
        "stage": syn["stage"].astype(str).to_numpy(),
        "stream": stream.astype(str).to_numpy(),
        "park_pair": [f"{a}{PAIR_SEP}{b}" for a, b in zip(frm, to, strict=True)],
        COUNT: 1.0,
        TONNES: tonnes_per_year(syn).fillna(0.0).clip(lower=0).to_numpy(float),
        "distance_km": pd.to_numeric(syn["distance_km"], errors="coerce").to_numpy(float),
    })
    entered = config.entered()
    wide = outcomes_wide(book, factors=factors,
                         config=OutcomeConfig(tracked=entered, currency=config.currency))
    sums = wide.groupby("synergy_id")[list(entered)].sum()
    for name in entered:
        out[name] = out["synergy_id"].map(sums[name]).fillna(0.0).to_numpy(float)
    return out


def release_from_records(records: pd.DataFrame, *, measures: Sequence[str] = (COUNT, TONNES),
                         rules: DisclosureRules = DEFAULT_RULES,
                         co2e_per_t_diverted: float | None = None,
                         labels: dict[str, str] | None = None,
                         units: dict[str, str] | None = None,
                         stream_labels: dict[str, str] | None = None,
                         park_names: dict[str, str] | None = None, programme: str = "",
                         notes: Sequence[Note | str] = ()) -> SynergyRelease:
    """Protect synergy records (see :func:`synergy_records` for the columns).

    ``co2e_per_t_diverted`` (t CO2e per t of landfill diverted) adds the derived CO2e figure.
    """
    if COUNT not in measures:
        msg = _("The release needs the {measure} figure (its tree holds every "
                "synergy).").format(measure=repr(COUNT))
        raise ConfidentialityError(msg)
    trees = {m: protect_synergy_tree(records, LEVELS, value=m, rules=rules) for m in measures}
    derived: dict[str, tuple[str, float]] = {}
    if co2e_per_t_diverted is not None and _LANDFILL in measures:
        derived[_CO2E] = (_LANDFILL, float(co2e_per_t_diverted))
    default_labels = {COUNT: N_("Synergies"), TONNES: N_("Tonnes per year")} | {
        n: t.label for n, t in OUTCOME_TYPES.items()}
    default_units = {COUNT: "count", TONNES: "t/yr"} | {
        n: t.unit for n, t in OUTCOME_TYPES.items()}
    every = [*measures, *derived]
    return SynergyRelease(
        programme=programme, rules=rules, measures=tuple(measures),
        labels={m: (labels or {}).get(m, default_labels.get(m, m)) for m in every},
        units={m: (units or {}).get(m, default_units.get(m, "")) for m in every},
        derived=derived,
        stream_labels=dict(stream_labels or {}) or {
            s: s for s in records["stream"].astype(str).unique()},
        park_names=dict(park_names or {}), trees=trees, notes=tuple(notes))


def build_synergy_release(programme: Programme, book: SynergyBook, *, catalogue: Catalogue,
                          factors: Factors, config: OutcomeConfig | None = None,
                          rules: DisclosureRules = DEFAULT_RULES) -> SynergyRelease:
    """Compute the synergy release of a programme (once per data version).

    Parameters
    ----------
    programme : Programme
        The **whole** programme (a park authority reads its parks' part of the same release;
        a release per grant could be differenced against another).
    book : SynergyBook
        All of its synergies.
    catalogue, factors : Catalogue, Factors
    config : OutcomeConfig, optional
        The outcomes the programme tracks.
    rules : DisclosureRules
        The programme's rules.
    """
    config = config or OutcomeConfig()
    records = synergy_records(programme, book, catalogue=catalogue, factors=factors,
                              config=config)
    measures = (COUNT, TONNES, *config.entered())
    notes: list[Note] = []
    ratio = None
    if _CO2E in config.tracked:
        landfill = factors.get("landfill_co2e_kg_per_t")
        haul = factors.get("hgv_co2e_kg_per_tkm")
        reporting = records.loc[records[_LANDFILL] > 0, "distance_km"]
        mean_km = float(np.nan_to_num(reporting.to_numpy(float), nan=0.0).mean()) \
            if len(reporting) else 0.0
        ratio = (landfill.value - mean_km * haul.value) / 1000.0
        notes.append(Note.gettext(
            "CO2e avoided = released landfill diverted × {ratio} t CO2e/t (landfill "
            "{landfill}; transport {transport} over the mean haul of {km} km of the synergies "
            "that report).", ratio=round(ratio, 4), landfill=landfill.cite_here,
            transport=haul.cite_here, km=round(mean_km, 1)))
    streams = release_streams(catalogue)
    labels = {n: OUTCOME_TYPES[n].label for n in config.tracked}
    units = {n: config.unit_of(n) for n in config.tracked}
    parks = programme.parks.drop_duplicates("park_id")
    release = release_from_records(
        records, measures=measures, rules=rules, co2e_per_t_diverted=ratio, labels=labels,
        units=units, programme=programme.name, notes=notes,
        stream_labels=dict(zip(streams["stream"], streams["label"], strict=True)),
        park_names=dict(zip(parks["park_id"].astype(str), parks["name"].astype(str),
                            strict=True)))
    logger.info("Synergy release of %s: %s", programme.name,
                {m: int(t.nodes["published"].sum()) for m, t in release.trees.items()})
    return release
