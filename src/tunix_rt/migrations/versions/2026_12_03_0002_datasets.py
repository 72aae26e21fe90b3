"""datasets

Revision ID: 0002_datasets
Revises: 0001_traces
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from tunix_rt.db import UTCDateTime

revision: str = "0002_datasets"
down_revision: str | None = "0001_traces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("build_id", sa.Uuid(), nullable=False),
        sa.Column("dataset_key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("filters", JSON, nullable=False),
        sa.Column("selection_strategy", sa.String(16), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("trace_ids", JSON, nullable=False),
        sa.Column("trace_count", sa.Integer(), nullable=False),
        sa.Column("stats", JSON, nullable=False),
        sa.PrimaryKeyConstraint("build_id", name=op.f("pk_datasets")),
        sa.UniqueConstraint("dataset_key", name=op.f("uq_datasets_dataset_key")),
    )
    op.create_index(op.f("ix_datasets_created_at"), "datasets", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_datasets_created_at"), table_name="datasets")
    op.drop_table("datasets")
