"""The SynergyBook: the schema of a programme's synergies and the primitives that change it.

A :class:`SynergyBook` holds three frames: the current state of each synergy
(:data:`SYNERGY_COLUMNS`), an **append-only** event log (:data:`EVENT_COLUMNS`) and the
append-only outcome entries (:data:`OUTCOME_COLUMNS`). This module owns those columns and the
few primitives every change is made of — a UTC timestamp (:func:`utc_timestamp`), an event
row (:func:`event_row`), appending rows (:func:`append_rows`) and a versioned change of one
synergy with its event (:func:`record_change`, which applies the optimistic lock of
:func:`check_version`). The rules of what may change live in
:mod:`~geo.synergies.lifecycle` (stages), :mod:`~geo.synergies.outcomes` (figures) and
:mod:`~geo.synergies.workshop` (bulk creation), which all build on this module.

Examples
--------
>>> book = empty_book()
>>> len(book.synergies), book.next_id(), list(book.outcomes.columns) == OUTCOME_COLUMNS
(0, 'SYN-00001', True)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

import pandas as pd

from geo.errors import SynergyError
from geo.i18n import N_, _

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_KINDS",
    "EVENT_KIND_LABELS",
    "OUTCOME_COLUMNS",
    "SYNERGY_COLUMNS",
    "SynergyBook",
    "append_rows",
    "check_version",
    "empty_book",
    "event_row",
    "record_change",
    "utc_timestamp",
]

logger = logging.getLogger(__name__)

SYNERGY_COLUMNS: Final = [
    "synergy_id", "have_resource_id", "want_resource_id", "from_site_id", "to_site_id",
    "resource_class", "ewc_code", "description", "quantity", "unit", "stage", "practitioner",
    "proposed_because", "distance_km", "distance_method", "abandon_reason", "case_study",
    "created_at", "updated_at", "updated_by", "version",
]
"""Columns of :attr:`SynergyBook.synergies`, one row per synergy."""
EVENT_COLUMNS: Final = [
    "event_id", "synergy_id", "at", "kind", "from_stage", "to_stage", "note", "practitioner",
    "version",
]
"""Columns of :attr:`SynergyBook.events`, the append-only history."""
EVENT_KINDS: Final = ("created", "stage", "note", "assigned", "case study", "outcome")
"""The kinds of event in the history."""
# Translators: kinds of event in a synergy's history.
EVENT_KIND_LABELS: Final = {"created": N_("created"), "stage": N_("stage change"),
                            "note": N_("note"), "assigned": N_("reassigned"),
                            "case study": N_("case study"), "outcome": N_("outcome")}
"""Display label of each event kind (the ``kind`` column holds the codes)."""
OUTCOME_COLUMNS: Final = ["outcome_id", "synergy_id", "outcome_type", "period", "value",
                          "unit", "note", "practitioner", "recorded_at"]
"""Columns of :attr:`SynergyBook.outcomes`, the append-only outcome entries."""


@dataclass(frozen=True)
class SynergyBook:
    """The synergies of a programme: current state, event history and outcome entries.

    Attributes
    ----------
    synergies : DataFrame
        One row per synergy (:data:`SYNERGY_COLUMNS`), indexed 0..n-1.
    events : DataFrame
        Append-only history (:data:`EVENT_COLUMNS`); ``at`` is a UTC timestamp.
    outcomes : DataFrame
        Append-only outcome entries (:data:`OUTCOME_COLUMNS`).
    """

    synergies: pd.DataFrame
    events: pd.DataFrame
    outcomes: pd.DataFrame

    def __post_init__(self) -> None:
        for label, frame, cols in (("synergies", self.synergies, SYNERGY_COLUMNS),
                                   ("events", self.events, EVENT_COLUMNS)):
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                msg = _("SynergyBook.{frame} lacks columns {missing}; build books with "
                        "empty_book() and the functions of geo.synergies.lifecycle.").format(
                    frame=label, missing=missing)
                raise SynergyError(msg)

    def get(self, synergy_id: str) -> pd.Series:
        """The current row of one synergy (raises with the known ids if absent)."""
        rows = self.synergies[self.synergies["synergy_id"] == synergy_id]
        if rows.empty:
            known = self.synergies["synergy_id"].tolist()
            msg = _("No synergy with id {synergy}; known ids: {known}.").format(
                synergy=repr(synergy_id),
                known=repr(known[:10]) + (" …" if len(known) > 10 else ""))
            raise SynergyError(msg)
        return rows.iloc[0]

    def next_id(self) -> str:
        """A fresh ``SYN-00001``-style id, one above the highest in the book."""
        nums = pd.to_numeric(self.synergies["synergy_id"].str.extract(r"(\d+)$")[0],
                             errors="coerce")
        top = int(nums.max()) if nums.notna().any() else 0
        return f"SYN-{top + 1:05d}"


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def empty_book() -> SynergyBook:
    """A book with no synergies, events or outcomes (all columns present)."""
    return SynergyBook(_empty(SYNERGY_COLUMNS), _empty(EVENT_COLUMNS), _empty(OUTCOME_COLUMNS))


def utc_timestamp(at: datetime | None) -> pd.Timestamp:
    """``at`` as a UTC timestamp (a naive time is taken as UTC); now when None.

    Examples
    --------
    >>> str(utc_timestamp(datetime(2026, 1, 5, 12, 0)))
    '2026-01-05 12:00:00+00:00'
    """
    ts = pd.Timestamp(at if at is not None else datetime.now(UTC))
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def append_rows(frame: pd.DataFrame, rows: list[dict[str, Any]],
                columns: list[str]) -> pd.DataFrame:
    """A new frame: ``frame`` with ``rows`` (dicts keyed by ``columns``) appended, index 0..n-1."""
    new = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return new.reset_index(drop=True)
    return pd.concat([frame, new], ignore_index=True)


def event_row(book: SynergyBook, synergy_id: str, at: pd.Timestamp, kind: str, *,
              practitioner: str, version: int, note: str = "", from_stage: str | None = None,
              to_stage: str | None = None, offset: int = 0) -> dict[str, Any]:
    """One history row (:data:`EVENT_COLUMNS`) numbered after the book's events.

    ``offset`` counts rows already prepared for the same append (bulk creation).
    """
    return {"event_id": len(book.events) + 1 + offset, "synergy_id": synergy_id, "at": at,
            "kind": kind, "from_stage": from_stage, "to_stage": to_stage, "note": note,
            "practitioner": practitioner, "version": version}


def check_version(current: pd.Series, expected_version: int) -> None:
    """Refuse a change made on a stale copy of a synergy (optimistic locking).

    Raises
    ------
    SynergyError
        When ``expected_version`` is not the synergy's current version: says who saved the
        newer version, when, and what to do.
    """
    have = int(current["version"])
    if int(expected_version) != have:
        when = pd.Timestamp(current["updated_at"]).strftime("%Y-%m-%d %H:%M UTC")
        msg = _("Synergy {synergy} was changed by {who} at {when} while you were editing it "
                "(you edited version {edited}, it is now version {version}). Your change was "
                "not saved: reload the synergy, check their change, and apply yours "
                "again.").format(synergy=current["synergy_id"], who=current["updated_by"],
                                 when=when, edited=repr(expected_version), version=have)
        raise SynergyError(msg)


def record_change(book: SynergyBook, synergy_id: str, changes: dict[str, Any], *, kind: str,
                  practitioner: str, expected_version: int, at: datetime | None,
                  note: str = "", from_stage: str | None = None,
                  to_stage: str | None = None) -> SynergyBook:
    """A new book with ``changes`` applied to one synergy, its version raised, and an event.

    The change is refused if ``expected_version`` is stale (:func:`check_version`) or no
    practitioner is named; ``updated_at``, ``updated_by`` and ``version`` are set here.
    """
    current = book.get(synergy_id)
    check_version(current, expected_version)
    if not str(practitioner).strip():
        msg = _("Every change names the practitioner making it; enter a name.")
        raise SynergyError(msg)
    ts = utc_timestamp(at)
    version = int(current["version"]) + 1
    syn = book.synergies.copy()
    pos = syn.index[syn["synergy_id"] == synergy_id][0]
    for col, value in {**changes, "updated_at": ts, "updated_by": practitioner,
                       "version": version}.items():
        syn.at[pos, col] = value
    event = event_row(book, synergy_id, ts, kind, practitioner=practitioner, version=version,
                      note=note, from_stage=from_stage, to_stage=to_stage)
    return replace(book, synergies=syn, events=append_rows(book.events, [event], EVENT_COLUMNS))
