"""Database failures as errors a person can act on: down, busy, or something else.

Every store operation turns a database exception into a :class:`~geo.errors.StoreError`
whose message says what could not be done, why, and what to do; nothing half-done is kept
(each operation is one transaction). Two kinds get their own class, so that a caller (the
app's frame) can tell them apart:

- :class:`DatabaseUnavailableError` — the server is down, unreachable or restarting, or the
  SQLite file cannot be opened. The next operation reconnects by itself once it is back.
- :class:`DatabaseBusyError` — another writer held the rows too long (SQLite's busy timeout,
  PostgreSQL's lock timeout, a deadlock or serialisation failure). Trying again works.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from geo.errors import StoreError
from geo.i18n import _

__all__ = ["DatabaseBusyError", "DatabaseUnavailableError", "database_error", "is_unavailable"]

_UNAVAILABLE_SQLSTATES: Final = ("08", "57P01", "57P02", "57P03", "3D000")
_BUSY_SQLSTATES: Final = ("55P03", "40P01", "40001")
_SQLITE_UNAVAILABLE: Final = ("unable to open database file", "disk i/o error")
_SQLITE_BUSY: Final = ("database is locked", "database is busy")


class DatabaseUnavailableError(StoreError):
    """The programme database cannot be reached; nothing was read or saved."""


class DatabaseBusyError(StoreError):
    """Another change held the data for too long; nothing was saved, try again."""


def _orig(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _reason(exc: BaseException) -> str:
    text = str(_orig(exc)).strip().splitlines()
    first = text[0] if text else exc.__class__.__name__
    return first[:240]


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached (as opposed to a bad statement)."""
    if isinstance(exc, DatabaseUnavailableError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = _orig(exc)
    kind = orig.__class__.__name__
    sqlstate = getattr(orig, "sqlstate", "")
    if sqlstate is None and kind == "OperationalError":  # psycopg: no server answer at all
        return True
    if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    text = str(orig).lower()
    return (orig.__class__.__module__.startswith("sqlite3")
            and any(t in text for t in _SQLITE_UNAVAILABLE))


def _is_busy(exc: BaseException) -> bool:
    orig = _orig(exc)
    sqlstate = getattr(orig, "sqlstate", "")
    if isinstance(sqlstate, str) and sqlstate.startswith(_BUSY_SQLSTATES):
        return True
    text = str(orig).lower()
    return any(t in text for t in _SQLITE_BUSY)


def database_error(exc: BaseException, action: str, *, where: str) -> StoreError:
    """The :class:`StoreError` to raise for a database exception.

    Parameters
    ----------
    exc : BaseException
        What the database layer raised (usually a :class:`sqlalchemy.exc.SQLAlchemyError`).
    action : str
        Completes "Could not …" (``"save programme 'Kotka'"``), in this session's language:
        callers pass ``_("save programme {name!r}").format(...)``.
    where : str
        The database, as shown to people (a URL without its password).

    Examples
    --------
    >>> from sqlalchemy.exc import OperationalError
    >>> import sqlite3
    >>> err = database_error(OperationalError("INSERT", {}, sqlite3.OperationalError(
    ...     "database is locked")), "add sites", where="sqlite:///x.db")
    >>> type(err).__name__, "try again" in str(err)
    ('DatabaseBusyError', True)
    """
    if isinstance(exc, StoreError):
        return exc
    reason = _reason(exc)
    if is_unavailable(exc):
        # Translators: {action} is what could not be done, a translated verb phrase such as
        # "save programme 'Kotka'".
        msg = _("The programme database {database!r} cannot be reached ({reason}), so SymbioMap "
                "could not {action}. Nothing was read or saved. Check that the database server "
                "is running and that SYMBIOMAP_DATABASE_URL names it; SymbioMap reconnects by "
                "itself as soon as it answers again.").format(database=where, reason=reason,
                                                              action=action)
        return DatabaseUnavailableError(msg)
    if _is_busy(exc):
        # Translators: {action} is what could not be done, a translated verb phrase.
        msg = _("Could not {action}: another change to the same data was being saved and did "
                "not finish in time ({reason}). Nothing was saved; try again in a "
                "moment.").format(action=action, reason=reason)
        return DatabaseBusyError(msg)
    kind = exc.__class__.__name__ if isinstance(exc, SQLAlchemyError) else _("error")
    # Translators: {action} is what could not be done, a translated verb phrase; {kind} is the
    # name of the database error.
    msg = _("Could not {action}: {kind}: {reason}. Nothing was saved. If the database was "
            "changed by a newer SymbioMap, upgrade the code; otherwise report this.").format(
        action=action, kind=kind, reason=reason)
    return StoreError(msg)
