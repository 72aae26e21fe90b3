"""The run registry: the stored record of every run, written at its start and at its end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only

from tunix_rt.db import utcnow
from tunix_rt.errors import NotFound
from tunix_rt.tunix.logs import truncate_bytes
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.schemas import RunMode, RunStatus

SERVER_STOPPED_LINE = "The server stopped while this run was in progress; its outcome is unknown."


@dataclass
class RunOutcome:
    """How a run ended, as the execution code saw it (logs already truncated)."""

    status: RunStatus
    exit_code: int | None
    stdout: str
    stderr: str
    message: str


async def start_run(
    factory: async_sessionmaker[AsyncSession],
    *,
    run_id: uuid.UUID,
    dataset_key: str,
    model_id: str,
    mode: RunMode,
    output_dir: str | None,
    config: dict[str, Any],
) -> TunixRun:
    """Commit a `running` record in its own transaction, so other requests see it at once."""
    now = utcnow()
    run = TunixRun(
        run_id=run_id,
        dataset_key=dataset_key,
        model_id=model_id,
        mode=mode,
        status="running",
        started_at=now,
        created_at=now,
        stdout="",
        stderr="",
        output_dir=output_dir,
        message="Run started",
        config=config,
    )
    async with factory() as session, session.begin():
        session.add(run)
    return run


async def finish_run(
    factory: async_sessionmaker[AsyncSession], run: TunixRun, outcome: RunOutcome
) -> TunixRun:
    """Store the outcome on the record, in its own committed transaction."""
    completed = utcnow()
    run.status = outcome.status
    run.exit_code = outcome.exit_code
    run.stdout = outcome.stdout
    run.stderr = outcome.stderr
    run.message = outcome.message
    run.completed_at = completed
    run.duration_seconds = max(0.0, (completed - run.started_at).total_seconds())
    async with factory() as session, session.begin():
        await session.merge(run)
    return run


async def get_run(session: AsyncSession, run_id: uuid.UUID) -> TunixRun:
    run = await session.get(TunixRun, run_id)
    if run is None:
        raise NotFound("run", run_id)
    return run


async def list_runs(
    session: AsyncSession,
    *,
    limit: int,
    offset: int,
    status: RunStatus | None = None,
    dataset_key: str | None = None,
    mode: RunMode | None = None,
) -> list[TunixRun]:
    """Newest first, summary columns only; up to limit + 1 rows so the caller sees a next page."""
    query = select(TunixRun).options(
        load_only(
            TunixRun.dataset_key,
            TunixRun.model_id,
            TunixRun.mode,
            TunixRun.status,
            TunixRun.exit_code,
            TunixRun.started_at,
            TunixRun.completed_at,
            TunixRun.duration_seconds,
        )
    )
    if status is not None:
        query = query.where(TunixRun.status == status)
    if dataset_key is not None:
        query = query.where(TunixRun.dataset_key == dataset_key)
    if mode is not None:
        query = query.where(TunixRun.mode == mode)
    # run_id breaks ties between equal start times, so pages never overlap or skip a row.
    query = (
        query.order_by(TunixRun.started_at.desc(), TunixRun.run_id.desc())
        .limit(limit + 1)
        .offset(offset)
    )
    return list((await session.scalars(query)).all())


async def fail_stale_runs(session: AsyncSession, log_max_bytes: int) -> list[uuid.UUID]:
    """Mark runs a previous server left `running` as failed; they can no longer finish.

    Assumes one server process per database: a second live server's runs would look stale.
    """
    stale = (await session.scalars(select(TunixRun).where(TunixRun.status == "running"))).all()
    now = utcnow()
    for run in stale:
        run.status = "failed"
        run.completed_at = now
        run.duration_seconds = max(0.0, (now - run.started_at).total_seconds())
        stderr = run.stderr + ("\n" if run.stderr and not run.stderr.endswith("\n") else "")
        run.stderr = truncate_bytes(f"{stderr}{SERVER_STOPPED_LINE}\n".encode(), log_max_bytes)
        run.message = SERVER_STOPPED_LINE
    await session.flush()
    return [run.run_id for run in stale]
