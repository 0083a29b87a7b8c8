"""Access: users, grants (a role per user and programme) and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Written out by hand so that revision 0003 never changes when the models of
:mod:`geo.store.access_tables` do.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLES = ("administrator", "practitioner", "park_authority", "investor", "logistics_planner")


def upgrade() -> None:
    """Create the users, grants and audit_log tables."""
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(20), nullable=True),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("subject", name=op.f("uq_users_subject")),
    )
    op.create_index(op.f("ix_users_email"), "users", ["email"])
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("parks", sa.JSON(), nullable=False),
        sa.Column("granted_at", tz, nullable=False),
        sa.Column("granted_by", sa.String(255), nullable=False),
        sa.CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in _ROLES) + ")",
                           name=op.f("ck_grants_role")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_grants_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint("user_id", "programme", name=op.f("uq_grants_user_id_programme")),
    )
    op.create_index(op.f("ix_grants_user_id"), "grants", ["user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tz, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("programme", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])


def downgrade() -> None:
    """Drop the access tables (back up first: grants and the audit log go with them)."""
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_grants_user_id"), table_name="grants")
    op.drop_table("grants")
    op.drop_index(op.f("ix_users_email"), table_name="users")
    op.drop_table("users")
