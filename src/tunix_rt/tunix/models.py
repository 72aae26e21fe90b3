"""The run registry: one row per Tunix run, dry-run or local."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Float, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from tunix_rt.db import Base, JSONType, UTCDateTime, utcnow


class TunixRun(Base):
    __tablename__ = "tunix_runs"

    run_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    dataset_key: Mapped[str] = mapped_column(String(200))
    model_id: Mapped[str] = mapped_column(String(512))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    exit_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    stdout: Mapped[str] = mapped_column(Text, default="")
    stderr: Mapped[str] = mapped_column(Text, default="")
    output_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The list is ordered by (started_at, run_id) newest first. Each of the eight filter
    # combinations has an index that starts with exactly its columns and ends in that order,
    # so any filtered page is one range read, whatever share of the table the filter matches.
    __table_args__ = (
        Index("ix_tunix_runs_started_at_run_id", "started_at", "run_id"),
        Index("ix_tunix_runs_status_started_at", "status", "started_at", "run_id"),
        Index("ix_tunix_runs_mode_started_at", "mode", "started_at", "run_id"),
        Index("ix_tunix_runs_dataset_key_started_at", "dataset_key", "started_at", "run_id"),
        Index("ix_tunix_runs_status_mode_started_at", "status", "mode", "started_at", "run_id"),
        Index(
            "ix_tunix_runs_dataset_key_status_started_at",
            "dataset_key",
            "status",
            "started_at",
            "run_id",
        ),
        Index(
            "ix_tunix_runs_dataset_key_mode_started_at",
            "dataset_key",
            "mode",
            "started_at",
            "run_id",
        ),
        Index(
            "ix_tunix_runs_dataset_key_status_mode_started_at",
            "dataset_key",
            "status",
            "mode",
            "started_at",
            "run_id",
        ),
    )
