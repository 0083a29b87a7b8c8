"""Synergies: match haves to wants, track each synergy, account for outcomes, report.

- :mod:`~geo.synergies.rules` — compatibility rules (``data/matching/compatibility.csv``);
- :mod:`~geo.synergies.knowledge` — what completed synergies teach;
- :mod:`~geo.synergies.records` — a programme as the flat record table the matcher uses;
- :mod:`~geo.synergies.scoring` — fits, nearness and pair scores on arrays (:class:`MatchParams`);
- :mod:`~geo.synergies.ranking` — the ranked match table with its reasons in words;
- :mod:`~geo.synergies.matching` — :class:`Matcher`: ranked matches, all-pairs by code;
- :mod:`~geo.synergies.distances` — haul distances between sites (road or labelled stand-in);
- :mod:`~geo.synergies.gaps` — streams with no want anywhere; flows between parks;
- :mod:`~geo.synergies.book` — the :class:`SynergyBook` schema and its change primitives;
- :mod:`~geo.synergies.lifecycle` — stages, history, optimistic locking;
- :mod:`~geo.synergies.outcomes` — outcome figures, CO2e with cited factors, totals;
- :mod:`~geo.synergies.workshop` — fast entry and bulk creation at the idea stage;
- :mod:`~geo.synergies.streams` — stream labels of codes for tables and charts;
- :mod:`~geo.synergies.text` — figures, units and notes in the reader's language (codes stay
  codes: stage, basis, scope and outcome *labels* are translated where shown);
- :mod:`~geo.synergies.reports` — Sankey, network, KPIs; :mod:`~geo.synergies.workbook` — Excel;
- :mod:`~geo.synergies.disclosure` — the rule for synergy figures (givers, receivers, insiders);
- :mod:`~geo.synergies.protected` — :class:`SynergyRelease`, the protected synergy tree;
- :mod:`~geo.synergies.viewer` — the viewers' Sankey, park links and KPIs from the release;
- :mod:`~geo.synergies.demo` — the demo's illustrative synergies;
- :mod:`~geo.synergies.repository` — the synergies in the programme database.

The pure API is re-exported here. :mod:`~geo.synergies.repository` is not: its functions carry
the names of the pure ones they apply in a database transaction (``create_synergy``,
``change_stage``, …, taking a store), so import the module (``from geo.synergies import
repository``).
"""

from __future__ import annotations

from geo.synergies.book import (
    EVENT_COLUMNS,
    OUTCOME_COLUMNS,
    SYNERGY_COLUMNS,
    SynergyBook,
    check_version,
    empty_book,
)
from geo.synergies.gaps import between_parks, gap_analysis, haves_without_want
from geo.synergies.knowledge import KB_COLUMNS, knowledge_base, sectors_that_used
from geo.synergies.lifecycle import (
    ABANDONED,
    ALL_STAGES,
    STAGE_LABELS,
    STAGES,
    add_note,
    assign,
    attach_case_study,
    change_stage,
    check_pair,
    create_synergy,
    history,
    stage_label,
    stage_rank,
)
from geo.synergies.matching import Matcher, MatchResult, build_links
from geo.synergies.outcomes import (
    OUTCOME_TYPES,
    PRESETS,
    OutcomeConfig,
    OutcomeType,
    co2e_avoided,
    effective_outcomes,
    outcome_totals,
    outcomes_wide,
    record_outcome,
)
from geo.synergies.ranking import match_table
from geo.synergies.records import archived_mask, prepare_records, record_key, site_lonlat
from geo.synergies.reports import (
    SankeyData,
    allocate_tonnes,
    conservation_errors,
    graph_layout,
    kpis,
    network_edges,
    sankey_data,
    synergy_attributes,
)
from geo.synergies.rules import (
    RULE_KINDS,
    RULES_PATH,
    CodeCatalogue,
    ExpandedRules,
    expand_rules,
    load_rules,
    resolve_selectors,
    sector_matches,
    split_selectors,
)
from geo.synergies.scoring import (
    BASIS_BITS,
    BASIS_LABELS,
    SCOPE_LABELS,
    MatchParams,
    Scope,
    frequency_fit,
    quantity_fit,
    score_block,
    score_pairs,
)
from geo.synergies.streams import UNCODED_LABELS, stream_labels
from geo.synergies.workbook import FACTOR_NAMES, funder_sheets, funder_workbook, read_workbook
from geo.synergies.workshop import (
    ENTRY_COLUMNS,
    LINK_COLUMNS,
    entries_to_resources,
    links_to_synergies,
)

__all__ = [
    "ABANDONED",
    "ALL_STAGES",
    "BASIS_BITS",
    "BASIS_LABELS",
    "ENTRY_COLUMNS",
    "EVENT_COLUMNS",
    "FACTOR_NAMES",
    "KB_COLUMNS",
    "LINK_COLUMNS",
    "OUTCOME_COLUMNS",
    "OUTCOME_TYPES",
    "PRESETS",
    "RULES_PATH",
    "RULE_KINDS",
    "SCOPE_LABELS",
    "STAGES",
    "STAGE_LABELS",
    "SYNERGY_COLUMNS",
    "UNCODED_LABELS",
    "CodeCatalogue",
    "ExpandedRules",
    "MatchParams",
    "MatchResult",
    "Matcher",
    "OutcomeConfig",
    "OutcomeType",
    "SankeyData",
    "Scope",
    "SynergyBook",
    "add_note",
    "allocate_tonnes",
    "archived_mask",
    "assign",
    "attach_case_study",
    "between_parks",
    "build_links",
    "change_stage",
    "check_pair",
    "check_version",
    "co2e_avoided",
    "conservation_errors",
    "create_synergy",
    "effective_outcomes",
    "empty_book",
    "entries_to_resources",
    "expand_rules",
    "frequency_fit",
    "funder_sheets",
    "funder_workbook",
    "gap_analysis",
    "graph_layout",
    "haves_without_want",
    "history",
    "knowledge_base",
    "kpis",
    "links_to_synergies",
    "load_rules",
    "match_table",
    "network_edges",
    "outcome_totals",
    "outcomes_wide",
    "prepare_records",
    "quantity_fit",
    "read_workbook",
    "record_key",
    "record_outcome",
    "resolve_selectors",
    "sankey_data",
    "score_block",
    "score_pairs",
    "sector_matches",
    "sectors_that_used",
    "site_lonlat",
    "split_selectors",
    "stage_label",
    "stage_rank",
    "stream_labels",
    "synergy_attributes",
]
