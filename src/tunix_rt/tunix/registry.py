"""The run registry: the stored record of every run, written at its start and at its end."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only

from tunix_rt.db import utcnow
from tunix_rt.errors import NotFound, Unprocessable
from tunix_rt.tunix.logs import truncate_bytes
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.schemas import RunMode, RunPage, RunPagination, RunStatus, RunSummary

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


@dataclass(frozen=True)
class RunCursor:
    """The last row of a page, (started_at, run_id): the next page starts strictly after it."""

    started_at: dt.datetime
    run_id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps({"started_at": self.started_at.isoformat(), "run_id": str(self.run_id)})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> RunCursor:
        """The cursor a page returned as next_cursor; anything else is a 422."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            fields = json.loads(raw)
            started_at = dt.datetime.fromisoformat(fields["started_at"])
            run_id = uuid.UUID(fields["run_id"])
            if started_at.tzinfo is None:
                raise ValueError("naive time")
            started_at = started_at.astimezone(dt.UTC)
        except (binascii.Error, ValueError, TypeError, KeyError, OverflowError) as exc:
            raise Unprocessable(
                "cursor is malformed: pass the next_cursor of a previous page unchanged"
            ) from exc
        return cls(started_at=started_at, run_id=run_id)


def list_runs_query(
    *,
    limit: int,
    offset: int = 0,
    after: RunCursor | None = None,
    status: RunStatus | None = None,
    dataset_key: str | None = None,
    mode: RunMode | None = None,
) -> Select[TunixRun]:
    """The list query, newest first; up to limit + 1 rows so the caller sees a next page.

    Kept apart from its execution so the query-plan test checks exactly what the API runs.
    """
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
    if after is not None:
        # A row-value comparison is one range on every index ending in (started_at, run_id),
        # so a page deep in the list costs what the first page costs.
        query = query.where(
            tuple_(TunixRun.started_at, TunixRun.run_id) < (after.started_at, after.run_id)
        )
    # run_id breaks ties between equal start times, so pages never overlap or skip a row.
    query = query.order_by(TunixRun.started_at.desc(), TunixRun.run_id.desc()).limit(limit + 1)
    return query.offset(offset) if offset else query


async def list_runs(
    session: AsyncSession,
    *,
    limit: int,
    offset: int = 0,
    cursor: str | None = None,
    status: RunStatus | None = None,
    dataset_key: str | None = None,
    mode: RunMode | None = None,
) -> RunPage:
    """One page of stored runs, by offset or (for deep pages) by a cursor from the last page."""
    if cursor is not None and offset:
        raise Unprocessable("Give cursor or offset, not both: a cursor already marks the position")
    after = RunCursor.decode(cursor) if cursor is not None else None
    query = list_runs_query(
        limit=limit, offset=offset, after=after, status=status, dataset_key=dataset_key, mode=mode
    )
    rows = list((await session.scalars(query)).all())
    page, has_more = rows[:limit], len(rows) > limit
    last = page[-1] if page else None
    next_cursor = (
        RunCursor(last.started_at, last.run_id).encode() if has_more and last is not None else None
    )
    return RunPage(
        data=[RunSummary.model_validate(r) for r in page],
        pagination=RunPagination(
            limit=limit,
            offset=offset,
            # A cursor page does not know its absolute position; its next page is by cursor.
            next_offset=offset + limit if has_more and after is None else None,
            next_cursor=next_cursor,
        ),
    )


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
