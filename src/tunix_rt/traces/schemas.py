"""Request and response bodies of the trace API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator

from tunix_rt.text import StorableStr, storable_json

Meta = Annotated[dict[str, Any], AfterValidator(storable_json)]


class TraceStep(BaseModel):
    i: Annotated[int, Field(ge=0, le=2**31 - 1, description="Step number, unique in the trace")]
    type: Annotated[StorableStr, Field(min_length=1, max_length=64)]
    content: Annotated[StorableStr, Field(min_length=1, max_length=20_000)]


class TraceCreate(BaseModel):
    """A reasoning trace: prompt, numbered steps, final answer."""

    trace_version: Annotated[StorableStr, Field(min_length=1, max_length=64)]
    prompt: Annotated[StorableStr, Field(min_length=1, max_length=50_000)]
    final_answer: Annotated[StorableStr, Field(min_length=1, max_length=50_000)]
    steps: Annotated[list[TraceStep], Field(min_length=1, max_length=1000)]
    meta: Meta | None = None

    @field_validator("steps")
    @classmethod
    def _unique_step_numbers(cls, steps: list[TraceStep]) -> list[TraceStep]:
        seen: set[int] = set()
        for step in steps:
            if step.i in seen:
                raise ValueError(f"step number i={step.i} appears more than once")
            seen.add(step.i)
        return steps


class TraceBatchCreate(BaseModel):
    traces: Annotated[list[TraceCreate], Field(min_length=1, max_length=1000)]


class TraceCreated(BaseModel):
    id: uuid.UUID
    created_at: dt.datetime
    trace_version: str


class TraceBatchCreated(BaseModel):
    created: int
    ids: list[uuid.UUID]


class TraceSummary(TraceCreated):
    pass


class TraceDetail(TraceCreated):
    payload: dict[str, Any]


class ScoreRequest(BaseModel):
    criteria: Literal["baseline"] = "baseline"


class ScoreResult(BaseModel):
    trace_id: uuid.UUID
    score: float
    details: dict[str, Any]


class ComparedTrace(TraceDetail):
    score: float


class TraceComparison(BaseModel):
    base: ComparedTrace
    other: ComparedTrace
