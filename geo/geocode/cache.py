"""A persistent on-disk cache of geocoder answers (SQLite), so no query is ever sent twice.

Keys are SHA-256 digests of the canonical JSON of the request (the normalised query text and its
parameters), so the same address asked in another run, another order or another letter case
hits the same entry. Values are JSON text. Only answers are stored — an empty list ("nothing
found") is an answer; errors and timeouts are not.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

__all__ = ["GeocodeCache", "cache_key"]


def cache_key(request: Mapping[str, object]) -> str:
    """Deterministic key of a request: SHA-256 of its canonical JSON.

    Examples
    --------
    >>> cache_key({"q": "kotka", "countrycodes": "fi"}) == cache_key({"countrycodes": "fi",
    ...                                                               "q": "kotka"})
    True
    """
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class GeocodeCache:
    """Key → JSON answers in an SQLite file (created on first write, with its folder).

    Parameters
    ----------
    path
        The SQLite file, e.g. ``settings.cache_dir / "geocode.sqlite3"``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, service TEXT, "
                     "request TEXT, answer TEXT, saved_at REAL)")
        return conn

    def get(self, key: str) -> object | None:
        """The stored answer (decoded JSON), or None when the key was never stored."""
        if not self.path.exists():
            return None
        conn = self._connect()
        try:
            row = conn.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return None if row is None else json.loads(row[0])

    def put(self, key: str, answer: object, *, service: str, request: Mapping[str, object]
            ) -> None:
        """Store an answer (JSON-serialisable) under ``key``, replacing any older one."""
        conn = self._connect()
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                             (key, service, json.dumps(dict(request), ensure_ascii=False,
                                                       sort_keys=True),
                              json.dumps(answer, ensure_ascii=False), time.time()))
        finally:
            conn.close()

    def __len__(self) -> int:
        if not self.path.exists():
            return 0
        conn = self._connect()
        try:
            return int(conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
        finally:
            conn.close()
