"""Synergies in the programme database: load the book, create and change synergies safely.

Every change runs in one transaction: the synergy is read fresh, the rule of
:mod:`geo.synergies.lifecycle` (or :mod:`~geo.synergies.outcomes`) is applied to it, and the
new state is written with ``UPDATE … WHERE version = <the version the change was made on>``
— so of two practitioners saving the same synergy, the later one is refused with a clear
message instead of silently overwriting (optimistic locking), even across processes. History
rows (events, outcome entries) are only inserted.

Synergies created without a haul distance (workshop entries) get the straight-line × detour
distance between their stored sites, labelled ``straight-line``.

Synergies point at stored sites and resources. The embedded demo programme is not stored
until a synergy is first created for it; :func:`ensure_programme` saves it then.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import aliased

from geo.demo import DEMO_NAME
from geo.errors import StoreError, SynergyError
from geo.i18n import _
from geo.store.synergy_tables import (
    SynergyEventRow,
    SynergyOutcomeRow,
    SynergyRow,
    SynergySettingsRow,
)
from geo.store.tables import Resource, Site
from geo.store.versions import bump_synergy_version
from geo.store.writes import find_programme, require_programme
from geo.synergies import lifecycle, outcomes, workshop
from geo.synergies.book import (
    EVENT_COLUMNS,
    OUTCOME_COLUMNS,
    SYNERGY_COLUMNS,
    SynergyBook,
    empty_book,
)
from geo.synergies.demo import demo_synergy_book
from geo.synergies.distances import SiteDistances
from geo.synergies.lifecycle import stage_label
from geo.synergies.outcomes import OutcomeConfig

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from geo.programme import Programme
    from geo.store import Store

__all__ = [
    "add_note",
    "assign",
    "attach_case_study",
    "change_stage",
    "create_synergies",
    "create_synergy",
    "ensure_programme",
    "load_book",
    "load_outcome_config",
    "record_outcome",
    "save_book",
    "save_outcome_config",
    "synergies_for_site",
]

logger = logging.getLogger(__name__)

_HAVE, _WANT = aliased(Resource), aliased(Resource)
_FROM, _TO = aliased(Site), aliased(Site)
_DATA_COLS = [c for c in SYNERGY_COLUMNS if c not in (
    "synergy_id", "have_resource_id", "want_resource_id", "from_site_id", "to_site_id")]


def ensure_programme(store: Store, programme: Programme) -> None:
    """Store ``programme`` if no programme of its name is stored yet (the demo, typically).

    The embedded demo is stored with its illustrative synergy book
    (:func:`geo.synergies.demo.demo_synergy_book`), so that new synergies join those.
    """
    demo = programme.illustrative and programme.name == DEMO_NAME
    if programme.name not in store.programme_names():
        logger.info("storing programme %r so that its synergies can be recorded",
                    programme.name)
        try:
            store.save_programme(programme)
        except StoreError:
            if programme.name not in store.programme_names():
                raise  # else another session stored it a moment ago
    if demo and load_book(store, programme.name).synergies.empty:
        # the demo's illustrative book, also when a run stopped between the two writes
        with contextlib.suppress(SynergyError):  # another session wrote it a moment ago
            save_book(store, programme.name, demo_synergy_book(programme))


def save_book(store: Store, programme: str, book: SynergyBook) -> int:
    """Write a whole synergy book into a stored programme that has no synergies yet.

    Returns the number of synergies written.

    Raises
    ------
    SynergyError
        When the programme already holds synergies (books are merged one synergy at a time).
    """
    with store.transaction(
            # Translators: completes "Could not …" in a database error.
            _("save the synergies of {programme}").format(programme=repr(programme))) as conn:
        pid = require_programme(conn, programme)
        bump_synergy_version(conn, pid)  # first: writers of a programme take turns
        if conn.execute(select(SynergyRow.id).where(SynergyRow.programme_id == pid)
                        .limit(1)).first() is not None:
            msg = _("{programme} already holds synergies; add new ones one at a time instead "
                    "of saving a whole book over them.").format(programme=repr(programme))
            raise SynergyError(msg)
        _write(conn, pid, empty_book(), book)
    return len(book.synergies)


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True)


def _read_book(conn: Connection, pid: int, *, keys: list[str] | None = None) -> SynergyBook:
    stmt = (select(SynergyRow.id, SynergyRow.synergy_key, _HAVE.resource_key,
                   _WANT.resource_key, _FROM.site_key, _TO.site_key,
                   *[getattr(SynergyRow, c) for c in _DATA_COLS])
            .join(_HAVE, SynergyRow.have_resource_id == _HAVE.id)
            .join(_WANT, SynergyRow.want_resource_id == _WANT.id)
            .join(_FROM, SynergyRow.from_site_id == _FROM.id)
            .join(_TO, SynergyRow.to_site_id == _TO.id)
            .where(SynergyRow.programme_id == pid).order_by(SynergyRow.id))
    if keys is not None:
        stmt = stmt.where(SynergyRow.synergy_key.in_(keys))
    syn = pd.DataFrame(conn.execute(stmt).all(), columns=["_pk", *SYNERGY_COLUMNS])
    pk = dict(zip(syn["_pk"], syn["synergy_id"], strict=True))
    for col in ("created_at", "updated_at"):
        syn[col] = _utc(syn[col])
    syn["quantity"] = pd.to_numeric(syn["quantity"], errors="coerce")
    syn["distance_km"] = pd.to_numeric(syn["distance_km"], errors="coerce")
    ev = pd.DataFrame(conn.execute(
        select(SynergyEventRow.id, SynergyEventRow.synergy_id,
               *[getattr(SynergyEventRow, c) for c in EVENT_COLUMNS[2:]])
        .where(SynergyEventRow.synergy_id.in_(list(pk))).order_by(SynergyEventRow.id)).all(),
        columns=EVENT_COLUMNS)
    ev["synergy_id"] = ev["synergy_id"].map(pk)
    ev["at"] = _utc(ev["at"])
    out = pd.DataFrame(conn.execute(
        select(SynergyOutcomeRow.id, SynergyOutcomeRow.synergy_id,
               *[getattr(SynergyOutcomeRow, c) for c in OUTCOME_COLUMNS[2:]])
        .where(SynergyOutcomeRow.synergy_id.in_(list(pk))).order_by(SynergyOutcomeRow.id)).all(),
        columns=OUTCOME_COLUMNS)
    out["synergy_id"] = out["synergy_id"].map(pk)
    out["recorded_at"] = _utc(out["recorded_at"])
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    return SynergyBook(syn.drop(columns="_pk"), ev, out)


def load_book(store: Store, programme: str) -> SynergyBook:
    """Every synergy of a programme with its full history and outcome entries.

    A programme that is not stored (the demo before its first synergy) has an empty book.
    """
    with store.read(_("load the synergies")) as conn:
        pid = find_programme(conn, programme)
        if pid is None:
            return empty_book()
        return _read_book(conn, pid)


def _none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if value is pd.NaT:
        return None
    return value.item() if isinstance(value, np.generic) else value


def _write(conn: Connection, pid: int, old: SynergyBook, new: SynergyBook) -> None:
    """Insert new synergies, update changed ones under their old version, append history."""
    res_ids = dict(conn.execute(select(Resource.resource_key, Resource.id)
                                .where(Resource.programme_id == pid)).all())
    site_ids = dict(conn.execute(select(Site.site_key, Site.id)
                                 .where(Site.programme_id == pid)).all())
    before = old.synergies.set_index("synergy_id")
    for row in new.synergies.to_dict("records"):
        sid = row["synergy_id"]
        values = {c: _none(row[c]) for c in _DATA_COLS}
        if sid not in before.index:
            try:
                refs = {"have_resource_id": res_ids[row["have_resource_id"]],
                        "want_resource_id": res_ids[row["want_resource_id"]],
                        "from_site_id": site_ids[row["from_site_id"]],
                        "to_site_id": site_ids[row["to_site_id"]]}
            except KeyError as exc:
                msg = _("Synergy {synergy} refers to {record}, which is not stored in this "
                        "programme; save the programme's new records first.").format(
                    synergy=sid, record=repr(exc.args[0]))
                raise SynergyError(msg) from exc
            conn.execute(insert(SynergyRow).values(programme_id=pid, synergy_key=sid,
                                                   **refs, **values))
        elif int(row["version"]) != int(before.at[sid, "version"]):
            done = conn.execute(update(SynergyRow).where(
                SynergyRow.programme_id == pid, SynergyRow.synergy_key == sid,
                SynergyRow.version == int(before.at[sid, "version"])).values(**values))
            if done.rowcount != 1:
                msg = _("Synergy {synergy} was saved by someone else a moment ago; your change "
                        "was not saved. Reload it and apply your change again.").format(
                    synergy=sid)
                raise SynergyError(msg)
    pks = dict(conn.execute(select(SynergyRow.synergy_key, SynergyRow.id)
                            .where(SynergyRow.programme_id == pid)).all())
    events = new.events.iloc[len(old.events):]
    if len(events):
        conn.execute(insert(SynergyEventRow), [
            {"synergy_id": pks[e["synergy_id"]], **{c: _none(e[c]) for c in EVENT_COLUMNS[2:]}}
            for e in events.to_dict("records")])
    outs = new.outcomes.iloc[len(old.outcomes):]
    if len(outs):
        conn.execute(insert(SynergyOutcomeRow), [
            {"synergy_id": pks[o["synergy_id"]], **{c: _none(o[c]) for c in OUTCOME_COLUMNS[2:]}}
            for o in outs.to_dict("records")])


def _apply(store: Store, programme: str, synergy_id: str,
           change: Callable[[SynergyBook, Connection, int], SynergyBook]) -> SynergyBook:
    with store.transaction(
            _("save synergy {synergy}").format(synergy=synergy_id)) as conn:
        pid = require_programme(conn, programme)
        bump_synergy_version(conn, pid)  # first: writers of a programme take turns
        old = _read_book(conn, pid, keys=[synergy_id])
        new = change(old, conn, pid)
        _write(conn, pid, old, new)
    logger.info("synergy %s of %r changed", synergy_id, programme)
    return new


def _resources(conn: Connection, pid: int, keys: list[str] | None = None) -> pd.DataFrame:
    stmt = (select(Resource.resource_key, Site.site_key, Resource.direction,
                   Resource.resource_class, Resource.ewc_code, Resource.hazardous,
                   Resource.description, Resource.quantity, Resource.unit,
                   Resource.archived | Site.archived)
            .join(Site, Resource.site_id == Site.id).where(Resource.programme_id == pid))
    if keys is not None:
        stmt = stmt.where(Resource.resource_key.in_(keys))
    cols = ["resource_id", "site_id", "direction", "resource_class", "ewc_code", "hazardous",
            "description", "quantity", "unit", "archived"]
    return pd.DataFrame(conn.execute(stmt).all(), columns=cols)


def _fill_distances(conn: Connection, pid: int, old: SynergyBook,
                    new: SynergyBook) -> SynergyBook:
    """New synergies without a distance get the straight-line × detour one between their
    stored sites, labelled ``straight-line`` (sites without a location keep none)."""
    syn = new.synergies
    fresh = ~syn["synergy_id"].isin(old.synergies["synergy_id"])
    todo = fresh & pd.to_numeric(syn["distance_km"], errors="coerce").isna()
    if not todo.any():
        return new
    rows = conn.execute(select(Site.site_key, Site.lon, Site.lat)
                        .where(Site.programme_id == pid)).all()
    pos = {str(k): i for i, (k, _lon, _lat) in enumerate(rows)}
    lon = np.array([np.nan if r[1] is None else r[1] for r in rows], float)
    lat = np.array([np.nan if r[2] is None else r[2] for r in rows], float)
    sub = syn[todo]
    km, method = SiteDistances.straight_line(lon, lat).pairs(
        sub["from_site_id"].map(pos).to_numpy(np.int64), sub["to_site_id"].map(pos)
        .to_numpy(np.int64))
    syn = syn.copy()
    syn.loc[todo, "distance_km"] = km
    syn.loc[todo, "distance_method"] = np.where(method == 1, "straight-line", "")
    return replace(new, synergies=syn)


def _next_number(conn: Connection, pid: int) -> int:
    keys = pd.Series(list(conn.execute(select(SynergyRow.synergy_key)
                                       .where(SynergyRow.programme_id == pid)).scalars()),
                     dtype=object)
    nums = pd.to_numeric(keys.str.extract(r"(\d+)$")[0], errors="coerce")
    return int(nums.max()) + 1 if nums.notna().any() else 1


def create_synergy(store: Store, programme: Programme, *, have_id: str, want_id: str,
                   practitioner: str, **options: Any) -> str:
    """Record a new synergy from a match (see :func:`geo.synergies.lifecycle.create_synergy`
    for ``options``: stage, quantity, note, proposed_because, distance_km, distance_method).

    Returns the new synergy's id. Records of archived sites cannot start new synergies.
    """
    ensure_programme(store, programme)
    with store.transaction(_("create a synergy")) as conn:
        pid = require_programme(conn, programme.name)
        bump_synergy_version(conn, pid)
        res = _resources(conn, pid, [have_id, want_id]).set_index("resource_id")
        for rid in (have_id, want_id):
            if rid not in res.index:
                msg = _("Record {record} is not stored in programme {programme}.").format(
                    record=repr(rid), programme=repr(programme.name))
                raise SynergyError(msg)
            if bool(res.at[rid, "archived"]):
                msg = _("Record {record} belongs to an archived site or was archived; "
                        "restore it first.").format(record=repr(rid))
                raise SynergyError(msg)
        live = pd.DataFrame(conn.execute(
            select(SynergyRow.synergy_key, SynergyRow.stage)
            .join(_HAVE, SynergyRow.have_resource_id == _HAVE.id)
            .join(_WANT, SynergyRow.want_resource_id == _WANT.id)
            .where(SynergyRow.programme_id == pid, _HAVE.resource_key == have_id,
                   _WANT.resource_key == want_id, SynergyRow.stage != "abandoned")).all(),
            columns=["synergy_id", "stage"])
        if len(live):
            msg = _("{have} → {want} is already tracked as {synergy} ({stage}); update that "
                    "one.").format(have=repr(have_id), want=repr(want_id),
                                   synergy=live["synergy_id"].iloc[0],
                                   stage=stage_label(live["stage"].iloc[0]))
            raise SynergyError(msg)
        old = empty_book()
        new, sid = lifecycle.create_synergy(
            old, have=res.loc[have_id].to_dict() | {"resource_id": have_id},
            want=res.loc[want_id].to_dict() | {"resource_id": want_id},
            practitioner=practitioner, synergy_id=f"SYN-{_next_number(conn, pid):05d}",
            **options)
        _write(conn, pid, old, _fill_distances(conn, pid, old, new))
    return sid


def create_synergies(store: Store, programme: Programme, links: pd.DataFrame, *,
                     practitioner: str) -> pd.DataFrame:
    """Bulk-create synergies at the idea stage from a workshop's proposed links.

    Returns the row-by-row report of :func:`geo.synergies.workshop.links_to_synergies`;
    valid rows are stored together in one transaction, refused rows are only reported.
    """
    ensure_programme(store, programme)
    with store.transaction(_("create the workshop's synergies")) as conn:
        pid = require_programme(conn, programme.name)
        bump_synergy_version(conn, pid)
        res = _resources(conn, pid)
        res = res[~res["archived"].astype(bool)]
        old = _read_book(conn, pid)
        new, report = workshop.links_to_synergies(old, links, res, practitioner=practitioner)
        _write(conn, pid, old, _fill_distances(conn, pid, old, new))
    return report


def change_stage(store: Store, programme: str, synergy_id: str, to_stage: str, *,
                 expected_version: int, practitioner: str, note: str = "",
                 reason: str = "") -> SynergyBook:
    """Move a synergy to another stage (rules of :func:`geo.synergies.lifecycle.change_stage`)."""
    return _apply(store, programme, synergy_id, lambda b, _c, _p: lifecycle.change_stage(
        b, synergy_id, to_stage, expected_version=expected_version, practitioner=practitioner,
        note=note, reason=reason))


def add_note(store: Store, programme: str, synergy_id: str, note: str, *,
             expected_version: int, practitioner: str) -> SynergyBook:
    """Add a dated note to a synergy's history."""
    return _apply(store, programme, synergy_id, lambda b, _c, _p: lifecycle.add_note(
        b, synergy_id, note, expected_version=expected_version, practitioner=practitioner))


def assign(store: Store, programme: str, synergy_id: str, new_practitioner: str, *,
           expected_version: int, practitioner: str) -> SynergyBook:
    """Hand a synergy to another practitioner."""
    return _apply(store, programme, synergy_id, lambda b, _c, _p: lifecycle.assign(
        b, synergy_id, new_practitioner, expected_version=expected_version,
        practitioner=practitioner))


def attach_case_study(store: Store, programme: str, synergy_id: str, reference: str, *,
                      expected_version: int, practitioner: str) -> SynergyBook:
    """Attach a case-study link or document reference to a completed synergy."""
    return _apply(store, programme, synergy_id, lambda b, _c, _p: lifecycle.attach_case_study(
        b, synergy_id, reference, expected_version=expected_version, practitioner=practitioner))


def record_outcome(store: Store, programme: str, synergy_id: str, outcome_type: str,
                   value: float, *, period: int, expected_version: int, practitioner: str,
                   note: str = "") -> SynergyBook:
    """Enter an outcome figure (rules of :func:`geo.synergies.outcomes.record_outcome`)."""
    config = load_outcome_config(store, programme)

    def change(book: SynergyBook, conn: Connection, pid: int) -> SynergyBook:
        have_id = str(book.get(synergy_id)["have_resource_id"])
        have = _resources(conn, pid, [have_id]).iloc[0].to_dict()
        return outcomes.record_outcome(book, synergy_id, outcome_type, value, period=period,
                                       have=have, expected_version=expected_version,
                                       practitioner=practitioner, config=config, note=note)

    return _apply(store, programme, synergy_id, change)


def load_outcome_config(store: Store, programme: str) -> OutcomeConfig:
    """The programme's outcome configuration (the tonnage preset until one is saved)."""
    with store.read(_("read the outcome settings")) as conn:
        pid = find_programme(conn, programme)
        row = None if pid is None else conn.execute(
            select(SynergySettingsRow.tracked, SynergySettingsRow.currency)
            .where(SynergySettingsRow.programme_id == pid)).first()
    if row is None:
        return OutcomeConfig()
    return OutcomeConfig(tracked=tuple(row[0]), currency=str(row[1]))


def save_outcome_config(store: Store, programme: Programme, config: OutcomeConfig) -> None:
    """Save which outcome types the programme tracks, and its currency."""
    ensure_programme(store, programme)
    with store.transaction(_("save the outcome settings")) as conn:
        pid = require_programme(conn, programme.name)
        bump_synergy_version(conn, pid)
        done = conn.execute(update(SynergySettingsRow)
                            .where(SynergySettingsRow.programme_id == pid)
                            .values(tracked=list(config.tracked), currency=config.currency))
        if done.rowcount == 0:
            conn.execute(insert(SynergySettingsRow).values(
                programme_id=pid, tracked=list(config.tracked), currency=config.currency))


def synergies_for_site(store: Store, programme: str, site_id: str) -> pd.DataFrame:
    """The synergies a site gives to or receives from others, archived partners included.

    Columns: ``synergy_id``, ``role`` (gives/receives), ``partner_site_id``,
    ``partner``, ``description``, ``quantity``, ``unit``, ``stage``, ``practitioner``,
    ``updated_at``.
    """
    cols = ["synergy_id", "role", "partner_site_id", "partner", "description", "quantity",
            "unit", "stage", "practitioner", "updated_at"]
    with store.read(_("read the site's synergies")) as conn:
        pid = find_programme(conn, programme)
        if pid is None:
            return pd.DataFrame(columns=cols)
        rows = conn.execute(
            select(SynergyRow.synergy_key, _FROM.site_key, _FROM.name, _TO.site_key, _TO.name,
                   SynergyRow.description, SynergyRow.quantity, SynergyRow.unit,
                   SynergyRow.stage, SynergyRow.practitioner, SynergyRow.updated_at)
            .join(_FROM, SynergyRow.from_site_id == _FROM.id)
            .join(_TO, SynergyRow.to_site_id == _TO.id)
            .where(SynergyRow.programme_id == pid,
                   or_(_FROM.site_key == site_id, _TO.site_key == site_id))
            .order_by(SynergyRow.id)).all()
    raw = pd.DataFrame(rows, columns=["synergy_id", "from_id", "from_name", "to_id", "to_name",
                                      "description", "quantity", "unit", "stage",
                                      "practitioner", "updated_at"])
    gives = raw["from_id"] == site_id
    out = pd.DataFrame({
        "synergy_id": raw["synergy_id"], "role": np.where(gives, "gives", "receives"),
        "partner_site_id": raw["to_id"].where(gives, raw["from_id"]),
        "partner": raw["to_name"].where(gives, raw["from_name"]),
        "description": raw["description"], "quantity": raw["quantity"], "unit": raw["unit"],
        "stage": raw["stage"], "practitioner": raw["practitioner"],
        "updated_at": pd.to_datetime(raw["updated_at"], utc=True)
        .dt.tz_convert(UTC).dt.strftime("%Y-%m-%d %H:%M"),
    })
    return out[cols]
