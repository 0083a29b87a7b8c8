"""Initial schema: programmes, location hierarchy, parks, sites, contacts, resources, imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Written out by hand (not generated at run time) so that the schema of revision 0001 never
changes when the models do; ``tests/geo/store/test_repository.py`` checks that it matches the
models.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _programme_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                   name=op.f(f"fk_{table}_programme_id_programmes"),
                                   ondelete="CASCADE")


def _programme_id() -> sa.Column[int]:
    return sa.Column("programme_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    """Create every table of the initial schema."""
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "programmes",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("region_name", sa.Text(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("name", name=op.f("uq_programmes_name")),
    )
    op.create_table(
        "import_batches",
        _id(),
        _programme_id(),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("provenance", sa.String(40), nullable=True),
        sa.Column("at", tz, nullable=False),
        _programme_fk("import_batches"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(op.f("ix_import_batches_sha256"), "import_batches", ["sha256"])
    op.create_table(
        "location_levels",
        _id(),
        _programme_id(),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(20), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        _programme_fk("location_levels"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_levels")),
        sa.UniqueConstraint("programme_id", "rank",
                            name=op.f("uq_location_levels_programme_id_rank")),
    )
    op.create_table(
        "locations",
        _id(),
        _programme_id(),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["locations.id"],
                                name=op.f("fk_locations_parent_id_locations"),
                                ondelete="CASCADE"),
        _programme_fk("locations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    op.create_index("ix_locations_programme_level_name", "locations",
                    ["programme_id", "level", "name"])
    op.create_table(
        "import_rejects",
        _id(),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("reject_key", sa.String(64), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", tz, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"],
                                name=op.f("fk_import_rejects_batch_id_import_batches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_rejects")),
    )
    op.create_index(op.f("ix_import_rejects_batch_id"), "import_rejects", ["batch_id"])
    op.create_index(op.f("ix_import_rejects_reject_key"), "import_rejects", ["reject_key"])
    op.create_table(
        "parks",
        _id(),
        _programme_id(),
        sa.Column("park_key", sa.String(100), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("boundary_wkb", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["location_id"], ["locations.id"],
                                name=op.f("fk_parks_location_id_locations")),
        _programme_fk("parks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parks")),
        sa.UniqueConstraint("programme_id", "park_key",
                            name=op.f("uq_parks_programme_id_park_key")),
    )
    op.create_table(
        "sites",
        _id(),
        _programme_id(),
        sa.Column("site_key", sa.String(100), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("sector_nace", sa.String(20), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("location_precision", sa.String(20), nullable=True),
        sa.Column("location_source", sa.Text(), nullable=True),
        sa.Column("provenance", sa.String(40), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("archived_at", tz, nullable=True),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_sites_park_id_parks")),
        _programme_fk("sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("programme_id", "site_key",
                            name=op.f("uq_sites_programme_id_site_key")),
    )
    op.create_table(
        "contacts",
        _id(),
        _programme_id(),
        sa.Column("contact_key", sa.String(100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        _programme_fk("contacts"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_contacts_site_id_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("programme_id", "contact_key",
                            name=op.f("uq_contacts_programme_id_contact_key")),
    )
    op.create_table(
        "resources",
        _id(),
        _programme_id(),
        sa.Column("resource_key", sa.String(100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("resource_class", sa.String(20), nullable=True),
        sa.Column("ewc_code", sa.String(40), nullable=True),
        sa.Column("hazardous", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(10), nullable=True),
        sa.Column("frequency", sa.String(20), nullable=True),
        sa.Column("fate", sa.String(20), nullable=True),
        sa.Column("disposal_cost_per_year", sa.Float(), nullable=True),
        sa.Column("provenance", sa.String(40), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("import_key", sa.String(80), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["import_batch_id"], ["import_batches.id"],
                                name=op.f("fk_resources_import_batch_id_import_batches"),
                                ondelete="SET NULL"),
        _programme_fk("resources"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_resources_site_id_sites"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("programme_id", "import_key",
                            name=op.f("uq_resources_programme_id_import_key")),
        sa.UniqueConstraint("programme_id", "resource_key",
                            name=op.f("uq_resources_programme_id_resource_key")),
    )
    op.create_index("ix_resources_programme_ewc_code", "resources", ["programme_id", "ewc_code"])
    op.create_index(op.f("ix_resources_site_id"), "resources", ["site_id"])


def downgrade() -> None:
    """Drop every table of the initial schema (all data is lost)."""
    for table in ("resources", "contacts", "sites", "parks", "import_rejects", "locations",
                  "location_levels", "import_batches", "programmes"):
        op.drop_table(table)
