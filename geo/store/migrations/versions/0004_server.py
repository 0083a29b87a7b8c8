"""Server store: per-programme data versions, and an index for spatial queries on sites.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Written out by hand so that revision 0004 never changes when the models do.

- ``programmes.data_version`` and ``programmes.synergy_version``: counters bumped in the
  same transaction as every write (:mod:`geo.store.versions`); existing programmes start at 0.
- ``ix_sites_programme_lon_lat``: the bounding-box query of the spatial filters on databases
  without PostGIS (:mod:`geo.store.spatial`). The PostGIS geometry columns are not made here:
  they depend on the server, and :func:`geo.store.migrate.upgrade` adds them where it can.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the version counters and the sites' lon/lat index."""
    for column in ("data_version", "synergy_version"):
        op.add_column("programmes", sa.Column(column, sa.Integer(), nullable=False,
                                              server_default="0"))
    op.create_index("ix_sites_programme_lon_lat", "sites", ["programme_id", "lon", "lat"])


def downgrade() -> None:
    """Drop them again (the PostGIS columns, where present, stay)."""
    op.drop_index("ix_sites_programme_lon_lat", table_name="sites")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("synergy_version")
        batch.drop_column("data_version")
