"""Trace endpoints: thin wrappers over the trace service."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from tunix_rt.deps import SessionDep, SettingsDep
from tunix_rt.errors import NotFound, PayloadTooLarge, responses
from tunix_rt.pagination import LimitQuery, OffsetQuery, Page, make_page
from tunix_rt.traces import service
from tunix_rt.traces.schemas import (
    ComparedTrace,
    ScoreRequest,
    ScoreResult,
    TraceBatchCreate,
    TraceBatchCreated,
    TraceComparison,
    TraceCreate,
    TraceCreated,
    TraceDetail,
    TraceSummary,
)

router = APIRouter(prefix="/traces", tags=["traces"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TraceCreated,
    responses=responses(PayloadTooLarge),
)
async def create_trace(body: TraceCreate, session: SessionDep) -> TraceCreated:
    """Store one reasoning trace."""
    trace = await service.create_trace(session, body)
    return TraceCreated.model_validate(trace, from_attributes=True)


@router.post(
    "/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=TraceBatchCreated,
    responses=responses(PayloadTooLarge),
)
async def create_traces(
    body: TraceBatchCreate, session: SessionDep, settings: SettingsDep
) -> TraceBatchCreated:
    """Store up to 1,000 traces at once, all or nothing; ids come back in input order."""
    rows = await service.create_traces(session, body.traces, settings.trace_max_bytes)
    return TraceBatchCreated(created=len(rows), ids=[r.id for r in rows])


@router.get("", response_model=Page[TraceSummary])
async def list_traces(
    session: SessionDep, limit: LimitQuery = 20, offset: OffsetQuery = 0
) -> Page[TraceSummary]:
    """Recent traces, newest first."""
    rows = await service.list_traces(session, limit, offset)
    items = [TraceSummary.model_validate(r, from_attributes=True) for r in rows]
    return make_page(items, limit, offset)


@router.get("/compare", response_model=TraceComparison, responses=responses(NotFound))
async def compare_traces(base: uuid.UUID, other: uuid.UUID, session: SessionDep) -> TraceComparison:
    """Two traces side by side with their baseline scores."""
    (b, b_score), (o, o_score) = await service.compare_traces(session, base, other)
    return TraceComparison(
        base=ComparedTrace.model_validate({**_fields(b), "score": b_score}),
        other=ComparedTrace.model_validate({**_fields(o), "score": o_score}),
    )


@router.get("/{trace_id}", response_model=TraceDetail, responses=responses(NotFound))
async def get_trace(trace_id: uuid.UUID, session: SessionDep) -> TraceDetail:
    """One trace with its full payload."""
    trace = await service.get_trace(session, trace_id)
    return TraceDetail.model_validate(trace, from_attributes=True)


@router.post(
    "/{trace_id}/score",
    status_code=status.HTTP_201_CREATED,
    response_model=ScoreResult,
    responses=responses(NotFound, PayloadTooLarge),
)
async def score_trace(trace_id: uuid.UUID, body: ScoreRequest, session: SessionDep) -> ScoreResult:
    """Score a trace by the given criteria and store the score."""
    score = await service.score_trace(session, trace_id, body.criteria)
    return ScoreResult(trace_id=score.trace_id, score=score.score, details=score.details)


def _fields(trace: object) -> dict[str, object]:
    return TraceDetail.model_validate(trace, from_attributes=True).model_dump()
