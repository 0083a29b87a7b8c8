"""Disclosure rules per programme (minimum contributors, dominance).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Written out by hand so that revision 0005 never changes when the models of
:mod:`geo.store.disclosure_tables` do.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the disclosure_rules table."""
    op.create_table(
        "disclosure_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("p_percent", sa.Float(), nullable=False),
        sa.Column("by_administrator", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.String(255), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_rules")),
        sa.UniqueConstraint("programme", name=op.f("uq_disclosure_rules_programme")),
    )


def downgrade() -> None:
    """Drop it (programmes fall back to the installation's defaults)."""
    op.drop_table("disclosure_rules")
