"""Which data version wrote each record, and the last version that was not only additions.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Written out by hand so that revision 0007 never changes when the models do.

- ``sites.written_version``, ``resources.written_version``, ``contacts.written_version``: the
  programme's data version of the transaction that added the row (0 for rows stored before).
- ``programmes.records_reset_version``: the newest data version whose write did more than add
  rows (an update, an archive, a placement, a replace). A programme loaded at version *v* with
  ``records_reset_version <= v`` is brought up to date by reading only the rows written after
  *v* (:meth:`geo.store.Store.programme_snapshot`); existing programmes start at 0, and a
  process loads each programme whole once before it reads only additions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("sites", "resources", "contacts")


def upgrade() -> None:
    """Add the columns (every existing row at 0)."""
    op.add_column("programmes", sa.Column("records_reset_version", sa.Integer(), nullable=False,
                                          server_default="0"))
    for table in _TABLES:
        op.add_column(table, sa.Column("written_version", sa.Integer(), nullable=False,
                                       server_default="0"))


def downgrade() -> None:
    """Drop them again."""
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("written_version")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("records_reset_version")
