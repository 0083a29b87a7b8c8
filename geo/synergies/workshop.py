"""Workshop mode: fast entry of haves and wants, then bulk creation of synergies.

A business-opportunity workshop of 50–60 members logs 200–300 potential synergies in a day.
Practitioners type haves and wants into a table (:func:`entries_to_resources`) and pair them
up in another (:func:`links_to_synergies`); every row is checked, good rows are taken, bad
rows are reported with the rule they break and kept for correction, never dropped silently.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import SynergyError
from geo.i18n import _
from geo.programme import DIRECTIONS, FREQUENCIES, RESOURCE_COLUMNS, UNITS, is_blank
from geo.synergies.book import (
    EVENT_COLUMNS,
    SYNERGY_COLUMNS,
    SynergyBook,
    append_rows,
    event_row,
    utc_timestamp,
)
from geo.synergies.lifecycle import ABANDONED, check_pair

if TYPE_CHECKING:
    from collections.abc import Iterable

    from geo.catalogue import Catalogue

__all__ = ["ENTRY_COLUMNS", "LINK_COLUMNS", "entries_to_resources", "links_to_synergies"]

logger = logging.getLogger(__name__)

ENTRY_COLUMNS: Final = ["site_id", "direction", "ewc_code", "description", "quantity", "unit",
                        "frequency"]
"""Columns of the fast-entry table (one have or want per row)."""
LINK_COLUMNS: Final = ["have_id", "want_id", "quantity", "note"]
"""Columns of the proposed-links table (``quantity`` optional, in the have's unit)."""


def _shown(value: object) -> str:
    """A cell's value quoted in a message; an empty cell says so (not 'nan' or 'None')."""
    return _("(empty)") if is_blank(value) else repr(value)


def entries_to_resources(
    entries: pd.DataFrame,
    *,
    site_ids: Iterable[str],
    taken_ids: Iterable[str],
    catalogue: Catalogue | None = None,
    recorded_on: date | None = None,
    id_prefix: str = "WS",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check fast-entry rows and turn the good ones into resource records.

    Parameters
    ----------
    entries : DataFrame
        :data:`ENTRY_COLUMNS`; empty rows (no site, no description) are ignored.
    site_ids : iterable of str
        The programme's member sites (entries must name one).
    taken_ids : iterable of str
        Resource ids already used (new ids avoid them).
    catalogue : Catalogue, optional
        Normalises codes (``"15 01 02"`` → ``"150102"``), checks they exist and marks
        hazardous ones; without it codes must already be 6 digits.

    Returns
    -------
    (DataFrame, DataFrame)
        New resources (:data:`geo.programme.RESOURCE_COLUMNS`, provenance ``workshop``) and
        a report with one row per entry: ``row``, ``status`` (``ok``/``error``),
        ``resource_id`` and ``message``.
    """
    missing = [c for c in ENTRY_COLUMNS if c not in entries.columns]
    if missing:
        msg = _("The entry table lacks columns {missing}; expected {expected}.").format(
            missing=missing, expected=ENTRY_COLUMNS)
        raise SynergyError(msg)
    sites = set(site_ids)
    taken = {str(t) for t in taken_ids}
    day = (recorded_on or date.today()).isoformat()
    n = 0
    rows: list[dict[str, Any]] = []
    report: list[dict[str, Any]] = []
    for i, e in enumerate(entries[ENTRY_COLUMNS].to_dict("records")):
        if all(is_blank(e[c]) for c in ("site_id", "description", "ewc_code")):
            continue
        problems: list[str] = []
        if e["site_id"] not in sites:
            problems.append(_("site {site} is not a member site; pick one from the "
                              "list").format(site=_shown(e["site_id"])))
        if e["direction"] not in DIRECTIONS:
            problems.append(_("direction {direction} must be 'have' or 'want'").format(
                direction=_shown(e["direction"])))
        code = None if is_blank(e["ewc_code"]) else str(e["ewc_code"]).strip()
        hazardous = False
        if code is not None:
            if catalogue is not None:
                norm = catalogue.normalise_code(code)
                if norm is None or not catalogue.is_entry(norm):
                    problems.append(_("code {code} is not an entry of the waste "
                                      "catalogue").format(code=repr(code)))
                else:
                    code, hazardous = norm, catalogue.is_hazardous(norm)
            elif not (code.isdigit() and len(code) == 6):
                problems.append(_("code {code} must have 6 digits like '150102'").format(
                    code=repr(code)))
        unit = e["unit"] if not is_blank(e["unit"]) else "t/yr"
        if unit not in UNITS:
            problems.append(_("unit {unit} must be one of {units}").format(
                unit=repr(unit), units=", ".join(UNITS)))
        klass = ("material" if code is not None or unit == "t/yr"
                 else "energy" if unit == "MWh/yr" else "water")
        qty = pd.to_numeric(pd.Series([e["quantity"]]), errors="coerce").iloc[0]
        if not np.isfinite(qty) or qty <= 0:
            problems.append(_("quantity {quantity} must be a positive number").format(
                quantity=_shown(e["quantity"])))
        freq = e["frequency"] if not is_blank(e["frequency"]) else None
        if freq is not None and freq not in FREQUENCIES:
            problems.append(_("frequency {frequency} must be one of {frequencies}").format(
                frequency=repr(freq), frequencies=", ".join(FREQUENCIES)))
        if klass == "material" and code is None:
            problems.append(_("a material needs a catalogue code to be matched"))
        if problems:
            report.append({"row": i + 1, "status": "error", "resource_id": None,
                           "message": "; ".join(problems) + "."})
            continue
        n += 1
        rid = f"{id_prefix}-{day}-{n:03d}"
        while rid in taken:
            n += 1
            rid = f"{id_prefix}-{day}-{n:03d}"
        taken.add(rid)
        rows.append({"resource_id": rid, "site_id": e["site_id"], "direction": e["direction"],
                     "resource_class": klass, "ewc_code": code, "hazardous": hazardous,
                     "description": str(e["description"] or "").strip(), "quantity": float(qty),
                     "unit": unit, "frequency": freq,
                     "fate": "unknown" if e["direction"] == "have" else None,
                     "disposal_cost_per_year": None, "provenance": "workshop",
                     "recorded_on": day})
        report.append({"row": i + 1, "status": "ok", "resource_id": rid, "message": ""})
    return (pd.DataFrame(rows, columns=RESOURCE_COLUMNS),
            pd.DataFrame(report, columns=["row", "status", "resource_id", "message"]))


def links_to_synergies(
    book: SynergyBook,
    links: pd.DataFrame,
    resources: pd.DataFrame,
    *,
    practitioner: str,
    at: datetime | None = None,
) -> tuple[SynergyBook, pd.DataFrame]:
    """Create a synergy at the ``idea`` stage for every valid proposed link, in one step.

    Each row is checked like :func:`~geo.synergies.lifecycle.create_synergy` (a have and a
    want, two sites, quantity within the have's) and against the other rows (the same pair
    twice) and the book (already tracked). Valid rows are appended together.

    Returns
    -------
    (SynergyBook, DataFrame)
        The new book and a report: ``row``, ``status``, ``synergy_id``, ``message``.
    """
    if not str(practitioner).strip():
        msg = _("Name the practitioner responsible for the workshop's synergies.")
        raise SynergyError(msg)
    missing = [c for c in ("have_id", "want_id") if c not in links.columns]
    if missing:
        msg = _("The links table lacks columns {missing}; expected {expected}.").format(
            missing=missing, expected=LINK_COLUMNS)
        raise SynergyError(msg)
    by_id = resources.drop_duplicates("resource_id").set_index("resource_id")
    live = book.synergies[book.synergies["stage"] != ABANDONED]
    tracked = dict(zip(zip(live["have_resource_id"], live["want_resource_id"], strict=True),
                       live["synergy_id"], strict=True))
    ts = utc_timestamp(at)
    nums = pd.to_numeric(book.synergies["synergy_id"].str.extract(r"(\d+)$")[0], errors="coerce")
    next_num = int(nums.max()) + 1 if nums.notna().any() else 1
    syn_rows: list[dict[str, Any]] = []
    ev_rows: list[dict[str, Any]] = []
    report: list[dict[str, Any]] = []
    for i, link in enumerate(links.to_dict("records")):
        h_id, w_id = link.get("have_id"), link.get("want_id")
        if is_blank(h_id) and is_blank(w_id):
            if not (is_blank(link.get("quantity")) and is_blank(link.get("note"))):
                report.append({"row": i + 1, "status": "error", "synergy_id": None,
                               "message": _("a link needs a have and a want")})
            continue
        try:
            for rid in (h_id, w_id):
                if rid not in by_id.index:
                    msg = _("record {record} is not in the programme").format(
                        record=_shown(rid))
                    raise SynergyError(msg)
            have = by_id.loc[h_id].to_dict() | {"resource_id": h_id}
            want = by_id.loc[w_id].to_dict() | {"resource_id": w_id}
            q_raw = link.get("quantity")
            q_num = pd.to_numeric(pd.Series([q_raw]), errors="coerce").iloc[0]
            if not is_blank(q_raw) and not np.isfinite(q_num):
                msg = _("quantity {quantity} must be a number").format(quantity=repr(q_raw))
                raise SynergyError(msg)
            q = check_pair(have, want, None if is_blank(q_raw) else float(q_num))
            if (h_id, w_id) in tracked:
                msg = _("already tracked as {synergy}").format(synergy=tracked[(h_id, w_id)])
                raise SynergyError(msg)
        except (SynergyError, ValueError) as exc:
            report.append({"row": i + 1, "status": "error", "synergy_id": None,
                           "message": str(exc)})
            continue
        sid = f"SYN-{next_num:05d}"
        next_num += 1
        tracked[(h_id, w_id)] = sid
        note = "" if is_blank(link.get("note")) else str(link["note"]).strip()
        syn_rows.append({
            "synergy_id": sid, "have_resource_id": h_id, "want_resource_id": w_id,
            "from_site_id": have["site_id"], "to_site_id": want["site_id"],
            "resource_class": have.get("resource_class"), "ewc_code": have.get("ewc_code"),
            "description": have.get("description"), "quantity": q, "unit": have.get("unit"),
            "stage": "idea", "practitioner": practitioner,
            "proposed_because": note or "proposed at a workshop", "distance_km": np.nan,
            "distance_method": "", "abandon_reason": None, "case_study": None,
            "created_at": ts, "updated_at": ts, "updated_by": practitioner, "version": 1})
        ev_rows.append(event_row(book, sid, ts, "created", practitioner=practitioner,
                                 version=1, note="workshop" + (f": {note}" if note else ""),
                                 to_stage="idea", offset=len(ev_rows)))
        report.append({"row": i + 1, "status": "ok", "synergy_id": sid, "message": ""})
    logger.info("workshop: %d synergies created, %d rows refused", len(syn_rows),
                sum(r["status"] == "error" for r in report))
    new = replace(book, synergies=append_rows(book.synergies, syn_rows, SYNERGY_COLUMNS),
                  events=append_rows(book.events, ev_rows, EVENT_COLUMNS)) if syn_rows else book
    return new, pd.DataFrame(report, columns=["row", "status", "synergy_id", "message"])
