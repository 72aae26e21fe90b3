"""Dataset fixtures: traces stored through the API with a known, strictly increasing created_at."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tunix_rt.traces.models import Trace

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

AddTraces = Callable[..., Awaitable[list[uuid.UUID]]]


@pytest.fixture
async def session(app: FastAPI) -> AsyncIterator[AsyncSession]:
    async with app.state.session_factory() as s:
        yield s


@pytest.fixture
def add_traces(app: FastAPI, client: httpx.AsyncClient) -> AddTraces:
    """Store traces in one batch; each is one second newer than the one before it.

    Batch rows can share a timestamp, and "latest" order must not depend on the clock.
    """
    count = 0

    async def add(*bodies: dict[str, Any]) -> list[uuid.UUID]:
        nonlocal count
        response = await client.post("/api/traces/batch", json={"traces": list(bodies)})
        assert response.status_code == 201, response.text
        ids = [uuid.UUID(i) for i in response.json()["ids"]]
        async with app.state.session_factory() as s, s.begin():
            for trace_id in ids:
                count += 1
                created = EPOCH + dt.timedelta(seconds=count)
                await s.execute(
                    update(Trace).where(Trace.id == trace_id).values(created_at=created)
                )
        return ids

    return add


@pytest.fixture
def delete_traces(app: FastAPI) -> Callable[[list[uuid.UUID]], Awaitable[None]]:
    async def delete(ids: list[uuid.UUID]) -> None:
        async with app.state.session_factory() as s, s.begin():
            for trace_id in ids:
                await s.delete(await s.get(Trace, trace_id))

    return delete
