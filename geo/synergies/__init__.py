"""Synergies: match haves to wants, track each synergy, account for outcomes, report.

- :mod:`~geo.synergies.rules` — compatibility rules (``data/matching/compatibility.csv``);
- :mod:`~geo.synergies.knowledge` — what completed synergies teach;
- :mod:`~geo.synergies.matching` — ranked matches with reasons, all-pairs by code;
- :mod:`~geo.synergies.gaps` — streams with no want anywhere; flows between parks;
- :mod:`~geo.synergies.lifecycle` — stages, history, optimistic locking;
- :mod:`~geo.synergies.outcomes` — outcome figures, CO2e with cited factors, totals;
- :mod:`~geo.synergies.workshop` — fast entry and bulk creation at the idea stage;
- :mod:`~geo.synergies.reports` — Sankey, network, KPIs; :mod:`~geo.synergies.workbook` — Excel;
- :mod:`~geo.synergies.repository` — the synergies in the programme database.
"""
