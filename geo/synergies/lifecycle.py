"""The life of a synergy: idea → identified → in progress → implemented → completed.

A synergy links one *have* (a resource a site gives away) to one *want* (a resource another
site seeks). Its state lives in a :class:`~geo.synergies.book.SynergyBook` — three frames: the
current state of each synergy, an **append-only** event log (creation, stage changes with notes
and reasons, notes, reassignment, case studies, outcome entries) and the outcome entries
themselves (their schema is :mod:`geo.synergies.book`). Every operation here
is pure: it validates, then returns a new book; nothing is ever overwritten or deleted, so the
history of a synergy survives anything that happens to its sites.

Rules enforced (each refusal is a :class:`~geo.errors.SynergyError` that names the rule):

- a synergy joins a have to a want (never want to want or have to have) of two different sites;
- the agreed quantity is positive and no more than the have's quantity;
- a stage change to an earlier stage, to ``abandoned``, or out of ``abandoned`` needs a reason;
- optimistic locking: each change names the version it was made on; if the synergy has
  changed since (another practitioner saved first), the change is refused with who and when.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from geo.errors import SynergyError
from geo.i18n import N_, _
from geo.synergies.book import (
    EVENT_COLUMNS,
    SYNERGY_COLUMNS,
    SynergyBook,
    append_rows,
    event_row,
    record_change,
    utc_timestamp,
)
from geo.synergies.text import figure, unit_label

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

__all__ = [
    "ABANDONED",
    "ALL_STAGES",
    "STAGES",
    "STAGE_LABELS",
    "add_note",
    "assign",
    "attach_case_study",
    "change_stage",
    "check_pair",
    "create_synergy",
    "history",
    "stage_label",
    "stage_rank",
]

logger = logging.getLogger(__name__)

STAGES: Final = ("idea", "identified", "in progress", "implemented", "completed")
"""The stages of a live synergy, in order."""
ABANDONED: Final = "abandoned"
ALL_STAGES: Final = (*STAGES, ABANDONED)
# Translators: the stages of a synergy (a have of one company matched to a want of
# another), lower case as they appear inside sentences ("In synergy: idea").
STAGE_LABELS: Final = {"idea": N_("idea"), "identified": N_("identified"),
                       "in progress": N_("in progress"), "implemented": N_("implemented"),
                       "completed": N_("completed"), "abandoned": N_("abandoned")}
"""Display label of each stage code (translate with :func:`stage_label` where shown; the
codes are the stored values and the options of widgets)."""


def stage_label(stage: object) -> str:
    """A stage code as shown in this session's language (an unknown stage as it is).

    Examples
    --------
    >>> stage_label("in progress")
    'in progress'
    """
    label = STAGE_LABELS.get(str(stage))
    return _(label) if label is not None else str(stage)


def stage_rank(stage: pd.Series | str) -> Any:
    """Position of a stage in :data:`STAGES` (``abandoned`` = -1; unknown = NaN).

    Examples
    --------
    >>> stage_rank("idea"), stage_rank("completed"), stage_rank("abandoned")
    (0, 4, -1)
    """
    order = {s: i for i, s in enumerate(STAGES)} | {ABANDONED: -1}
    if isinstance(stage, str):
        return order.get(stage, np.nan)
    return stage.map(order)


def check_pair(have: Mapping[str, Any], want: Mapping[str, Any],
               quantity: float | None = None) -> float:
    """Validate that a have and a want can form a synergy; return the agreed quantity.

    The quantity defaults to the smaller of the two records' quantities when their units
    agree, else to the have's.

    Raises
    ------
    SynergyError
        Want matched to want (or have to have), a site matched to itself, or a quantity that
        is not positive or exceeds the have's quantity.
    """
    if have.get("direction") != "have" or want.get("direction") != "want":
        msg = _("A synergy joins a have to a want; got {have} ({have_direction}) and {want} "
                "({want_direction}). Pick one have and one want.").format(
            have=repr(have.get("resource_id")), have_direction=repr(have.get("direction")),
            want=repr(want.get("resource_id")), want_direction=repr(want.get("direction")))
        raise SynergyError(msg)
    if have.get("site_id") == want.get("site_id"):
        msg = _("A synergy joins two different sites, but {have} and {want} are both at site "
                "{site}; record internal reuse on the site itself.").format(
            have=repr(have.get("resource_id")), want=repr(want.get("resource_id")),
            site=repr(have.get("site_id")))
        raise SynergyError(msg)
    q_have = pd.to_numeric(pd.Series([have.get("quantity")]), errors="coerce").iloc[0]
    q_want = pd.to_numeric(pd.Series([want.get("quantity")]), errors="coerce").iloc[0]
    if quantity is None:
        same_unit = have.get("unit") == want.get("unit")
        candidates = [q for q in (q_have, q_want if same_unit else np.nan) if np.isfinite(q)]
        quantity = float(min(candidates)) if candidates else float("nan")
    q = float(quantity)
    if np.isfinite(q) and q <= 0:
        msg = _("The agreed quantity must be positive, got {quantity}; enter the quantity "
                "moved.").format(quantity=figure(q))
        raise SynergyError(msg)
    if np.isfinite(q) and np.isfinite(q_have) and q > q_have * (1 + 1e-9):
        msg = _("The agreed quantity {quantity} {unit} exceeds the have's quantity "
                "{have_quantity} {unit} ({have}); enter at most {have_quantity} or update the "
                "have first.").format(
            quantity=figure(q), have_quantity=figure(float(q_have)),
            unit=unit_label(have.get("unit")), have=repr(have.get("resource_id")))
        raise SynergyError(msg)
    return q


def create_synergy(
    book: SynergyBook,
    *,
    have: Mapping[str, Any],
    want: Mapping[str, Any],
    practitioner: str,
    stage: str = "idea",
    quantity: float | None = None,
    note: str = "",
    proposed_because: str = "",
    distance_km: float | None = None,
    distance_method: str = "",
    at: datetime | None = None,
    synergy_id: str | None = None,
) -> tuple[SynergyBook, str]:
    """Record a new synergy between a have and a want (one action from a match).

    Parameters
    ----------
    have, want : mapping
        Resource records (rows of ``programme.resources``): ``resource_id``, ``site_id``,
        ``direction``, ``quantity``, ``unit``, ``ewc_code``, ``resource_class``,
        ``description``.
    practitioner : str
        Who is responsible.
    stage : str
        Starting stage (``idea`` for workshop entries, later stages for ones already found).
    quantity : float, optional
        Agreed quantity in the have's unit (default: see :func:`check_pair`).
    proposed_because, distance_km, distance_method : optional
        Why the match was proposed and how far apart the sites are (km; ``road`` or
        ``straight-line``), copied from the match.

    Returns
    -------
    (SynergyBook, str)
        The new book and the new synergy's id.
    """
    if not str(practitioner).strip():
        msg = _("Every synergy needs a responsible practitioner; enter a name.")
        raise SynergyError(msg)
    if stage not in STAGES:
        msg = _("A new synergy starts at one of the stages {stages}; got {stage}.").format(
            stages=", ".join(stage_label(s) for s in STAGES), stage=repr(stage))
        raise SynergyError(msg)
    q = check_pair(have, want, quantity)
    live = book.synergies[(book.synergies["have_resource_id"] == have["resource_id"])
                          & (book.synergies["want_resource_id"] == want["resource_id"])
                          & (book.synergies["stage"] != ABANDONED)]
    if not live.empty:
        msg = _("{have} → {want} is already tracked as {synergy} ({stage}); update that "
                "one.").format(have=repr(have["resource_id"]), want=repr(want["resource_id"]),
                               synergy=live["synergy_id"].iloc[0],
                               stage=stage_label(live["stage"].iloc[0]))
        raise SynergyError(msg)
    ts = utc_timestamp(at)
    sid = synergy_id or book.next_id()
    if (book.synergies["synergy_id"] == sid).any():
        msg = _("Synergy id {synergy} is taken; leave synergy_id empty to get a fresh "
                "one.").format(synergy=repr(sid))
        raise SynergyError(msg)
    row = {
        "synergy_id": sid, "have_resource_id": have["resource_id"],
        "want_resource_id": want["resource_id"], "from_site_id": have["site_id"],
        "to_site_id": want["site_id"], "resource_class": have.get("resource_class"),
        "ewc_code": have.get("ewc_code"), "description": have.get("description"),
        "quantity": q, "unit": have.get("unit"), "stage": stage,
        "practitioner": practitioner, "proposed_because": proposed_because,
        "distance_km": np.nan if distance_km is None else float(distance_km),
        "distance_method": distance_method, "abandon_reason": None, "case_study": None,
        "created_at": ts, "updated_at": ts, "updated_by": practitioner, "version": 1,
    }
    text = note or (f"created at stage {stage!r}" + (f": {proposed_because}"
                                                      if proposed_because else ""))
    event = event_row(book, sid, ts, "created", practitioner=practitioner, version=1,
                      note=text, to_stage=stage)
    logger.info("synergy %s created: %s -> %s", sid, have["resource_id"], want["resource_id"])
    return replace(book, synergies=append_rows(book.synergies, [row], SYNERGY_COLUMNS),
                   events=append_rows(book.events, [event], EVENT_COLUMNS)), sid


def change_stage(
    book: SynergyBook,
    synergy_id: str,
    to_stage: str,
    *,
    expected_version: int,
    practitioner: str,
    note: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> SynergyBook:
    """Move a synergy to another stage, recording a dated event with the note and reason.

    Moving forward (even skipping stages) needs nothing more; moving back to an earlier
    stage, abandoning, or reopening an abandoned synergy needs a ``reason``.

    Examples
    --------
    >>> have = {"resource_id": "R1", "site_id": "S1", "direction": "have", "quantity": 10,
    ...         "unit": "t/yr"}
    >>> want = {"resource_id": "R2", "site_id": "S2", "direction": "want", "quantity": 4,
    ...         "unit": "t/yr"}
    >>> from geo.synergies.book import empty_book
    >>> book, sid = create_synergy(empty_book(), have=have, want=want, practitioner="Aino")
    >>> book = change_stage(book, sid, "in progress", expected_version=1, practitioner="Aino")
    >>> book.get(sid)["stage"], int(book.get(sid)["version"]), len(history(book, sid))
    ('in progress', 2, 2)
    """
    if to_stage not in ALL_STAGES:
        msg = _("Unknown stage {stage}; choose one of {stages}.").format(
            stage=repr(to_stage), stages=", ".join(stage_label(s) for s in ALL_STAGES))
        raise SynergyError(msg)
    current = book.get(synergy_id)
    from_stage = str(current["stage"])
    if to_stage == from_stage:
        msg = _("Synergy {synergy} is already at stage '{stage}'; pick another stage.").format(
            synergy=synergy_id, stage=stage_label(to_stage))
        raise SynergyError(msg)
    reason = reason.strip()
    if to_stage == ABANDONED and not reason:
        msg = _("Abandoning synergy {synergy} needs a reason (e.g. 'quality not accepted', "
                "'company closed'); enter one.").format(synergy=synergy_id)
        raise SynergyError(msg)
    if from_stage == ABANDONED and not reason:
        msg = _("Reopening abandoned synergy {synergy} needs a reason; enter one.").format(
            synergy=synergy_id)
        raise SynergyError(msg)
    backwards = stage_rank(to_stage) < stage_rank(from_stage)
    if ABANDONED not in (to_stage, from_stage) and backwards and not reason:
        msg = _("Moving synergy {synergy} back from '{from_stage}' to '{to_stage}' needs a "
                "reason (stages normally only move forward); enter why it went back.").format(
            synergy=synergy_id, from_stage=stage_label(from_stage),
            to_stage=stage_label(to_stage))
        raise SynergyError(msg)
    changes: dict[str, Any] = {"stage": to_stage}
    if to_stage == ABANDONED:
        changes["abandon_reason"] = reason
    elif from_stage == ABANDONED:
        changes["abandon_reason"] = None
    text = " — ".join(t for t in (note.strip(), f"reason: {reason}" if reason else "") if t)
    return record_change(book, synergy_id, changes, kind="stage", practitioner=practitioner,
                         expected_version=expected_version, at=at, note=text,
                         from_stage=from_stage, to_stage=to_stage)


def add_note(book: SynergyBook, synergy_id: str, note: str, *, expected_version: int,
             practitioner: str, at: datetime | None = None) -> SynergyBook:
    """Add a dated note to a synergy's history (the stage does not change)."""
    if not note.strip():
        msg = _("A note needs some text; write what happened.")
        raise SynergyError(msg)
    return record_change(book, synergy_id, {}, kind="note", practitioner=practitioner,
                         expected_version=expected_version, at=at, note=note.strip())


def assign(book: SynergyBook, synergy_id: str, new_practitioner: str, *,
           expected_version: int, practitioner: str,
           at: datetime | None = None) -> SynergyBook:
    """Hand a synergy to another responsible practitioner (recorded in the history)."""
    if not new_practitioner.strip():
        msg = _("Name the practitioner who takes the synergy over.")
        raise SynergyError(msg)
    old = book.get(synergy_id)["practitioner"]
    return record_change(book, synergy_id, {"practitioner": new_practitioner.strip()},
                         kind="assigned", practitioner=practitioner,
                         expected_version=expected_version, at=at,
                         note=f"responsibility {old!s} → {new_practitioner.strip()}")


def attach_case_study(book: SynergyBook, synergy_id: str, reference: str, *,
                      expected_version: int, practitioner: str,
                      at: datetime | None = None) -> SynergyBook:
    """Attach a case-study document or link to a completed synergy (shown by the knowledge base)."""
    current = book.get(synergy_id)
    if current["stage"] != "completed":
        msg = _("Case studies belong to completed synergies; {synergy} is at stage '{stage}'. "
                "Complete it first.").format(synergy=synergy_id,
                                             stage=stage_label(current["stage"]))
        raise SynergyError(msg)
    if not reference.strip():
        msg = _("Give the case study's link or document reference.")
        raise SynergyError(msg)
    return record_change(book, synergy_id, {"case_study": reference.strip()},
                         kind="case study", practitioner=practitioner,
                         expected_version=expected_version, at=at, note=reference.strip())


def history(book: SynergyBook, synergy_id: str) -> pd.DataFrame:
    """All events of one synergy, oldest first (the record is never overwritten)."""
    book.get(synergy_id)
    ev = book.events[book.events["synergy_id"] == synergy_id]
    return ev.sort_values(["at", "event_id"], kind="stable").reset_index(drop=True)
