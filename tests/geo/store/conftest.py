"""Fixtures of the store tests: ``store`` and ``database_url`` run each test on SQLite and on
PostgreSQL with PostGIS (see :mod:`tests.geo.store.databases`)."""

from __future__ import annotations

from tests.geo.store.databases import database_url, postgres, store, target_url

__all__ = ["database_url", "postgres", "store", "target_url"]
