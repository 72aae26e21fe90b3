"""tunix_runs: the persistent run registry

Revision ID: 0003_tunix_runs
Revises: 0002_datasets
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from tunix_rt.db import UTCDateTime

revision: str = "0003_tunix_runs"
down_revision: str | None = "0002_datasets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")

INDEXES = {
    "ix_tunix_runs_started_at_run_id": ["started_at", "run_id"],
    "ix_tunix_runs_status_started_at": ["status", "started_at", "run_id"],
    "ix_tunix_runs_mode_started_at": ["mode", "started_at", "run_id"],
    "ix_tunix_runs_dataset_key_started_at": ["dataset_key", "started_at", "run_id"],
    "ix_tunix_runs_status_mode_started_at": ["status", "mode", "started_at", "run_id"],
    "ix_tunix_runs_dataset_key_status_started_at": [
        "dataset_key",
        "status",
        "started_at",
        "run_id",
    ],
    "ix_tunix_runs_dataset_key_mode_started_at": ["dataset_key", "mode", "started_at", "run_id"],
    "ix_tunix_runs_dataset_key_status_mode_started_at": [
        "dataset_key",
        "status",
        "mode",
        "started_at",
        "run_id",
    ],
}


def upgrade() -> None:
    op.create_table(
        "tunix_runs",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("dataset_key", sa.String(200), nullable=False),
        sa.Column("model_id", sa.String(512), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("stdout", sa.Text(), nullable=False),
        sa.Column("stderr", sa.Text(), nullable=False),
        sa.Column("output_dir", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("config", JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_tunix_runs")),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "tunix_runs", columns)


def downgrade() -> None:
    for name in reversed(list(INDEXES)):
        op.drop_index(name, table_name="tunix_runs")
    op.drop_table("tunix_runs")
