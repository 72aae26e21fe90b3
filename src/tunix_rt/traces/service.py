"""Trace store logic: create, read, list, score, compare."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tunix_rt.errors import NotFound, PayloadTooLarge
from tunix_rt.traces import scoring
from tunix_rt.traces.models import Score, Trace
from tunix_rt.traces.schemas import TraceCreate


def _to_row(data: TraceCreate) -> Trace:
    payload = data.model_dump(mode="json", exclude_none=True)
    return Trace(id=uuid.uuid4(), trace_version=data.trace_version, payload=payload)


async def create_trace(session: AsyncSession, data: TraceCreate) -> Trace:
    trace = _to_row(data)
    session.add(trace)
    await session.flush()
    return trace


async def create_traces(
    session: AsyncSession, items: Sequence[TraceCreate], max_bytes: int
) -> list[Trace]:
    """All or nothing: one flush in the request's transaction, ids in input order."""
    for index, item in enumerate(items):
        size = len(json.dumps(item.model_dump(mode="json")).encode())
        if size > max_bytes:
            raise PayloadTooLarge(f"traces[{index}] is {size} bytes; the limit is {max_bytes}")
    rows = [_to_row(item) for item in items]
    session.add_all(rows)
    await session.flush()
    return rows


async def get_trace(session: AsyncSession, trace_id: uuid.UUID) -> Trace:
    trace = await session.get(Trace, trace_id)
    if trace is None:
        raise NotFound("trace", trace_id)
    return trace


async def list_traces(session: AsyncSession, limit: int, offset: int) -> list[Trace]:
    """Newest first; returns up to limit + 1 rows so the caller can tell a next page exists."""
    query = (
        select(Trace)
        .order_by(Trace.created_at.desc(), Trace.id.desc())
        .limit(limit + 1)
        .offset(offset)
    )
    return list((await session.scalars(query)).all())


async def score_trace(session: AsyncSession, trace_id: uuid.UUID, criteria: str) -> Score:
    trace = await get_trace(session, trace_id)
    value, details = scoring.baseline(trace.payload)
    score = Score(trace_id=trace.id, criteria=criteria, score=value, details=details)
    session.add(score)
    await session.flush()
    return score


async def compare_traces(
    session: AsyncSession, base_id: uuid.UUID, other_id: uuid.UUID
) -> tuple[tuple[Trace, float], tuple[Trace, float]]:
    rows = {
        t.id: t
        for t in await session.scalars(select(Trace).where(Trace.id.in_([base_id, other_id])))
    }
    for label, key in (("base", base_id), ("other", other_id)):
        if key not in rows:
            raise NotFound(f"{label} trace", key)
    base, other = rows[base_id], rows[other_id]
    return (base, scoring.baseline(base.payload)[0]), (other, scoring.baseline(other.payload)[0])
