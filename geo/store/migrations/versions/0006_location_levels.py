"""Location-level preset per programme (Country / Region / City / Park, China, Brazil).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Written out by hand so that revision 0006 never changes when the models of
:mod:`geo.store.location_tables` do.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the location_presets table."""
    op.create_table(
        "location_presets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("preset", sa.String(20), nullable=False),
        sa.Column("set_by", sa.String(255), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_presets")),
        sa.UniqueConstraint("programme", name=op.f("uq_location_presets_programme")),
    )


def downgrade() -> None:
    """Drop it (programmes fall back to the default levels)."""
    op.drop_table("location_presets")
