"""Dataset service: selection across chunk boundaries, reading traces back, export lines."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import make_trace
from tests.datasets.conftest import AddTraces
from tunix_rt.datasets import service
from tunix_rt.datasets.formats import ExportFormat
from tunix_rt.datasets.schemas import DatasetBuildRequest
from tunix_rt.errors import Conflict, NotFound
from tunix_rt.traces.models import Trace


def request(**overrides: Any) -> DatasetBuildRequest:
    body: dict[str, Any] = {"dataset_name": "math", "dataset_version": "v1"}
    body.update(overrides)
    return DatasetBuildRequest.model_validate(body)


async def stream(items: list[uuid.UUID]) -> AsyncIterator[uuid.UUID]:
    for item in items:
        yield item


class TestBuildDataset:
    async def test_latest_pages_through_equal_timestamps_by_id(
        self,
        app: FastAPI,
        session: AsyncSession,
        add_traces: AddTraces,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(service, "CHUNK_SIZE", 2)
        ids = await add_traces(*(make_trace() for _ in range(7)))
        async with app.state.session_factory() as s, s.begin():
            same = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
            await s.execute(update(Trace).values(created_at=same))

        dataset = await service.build_dataset(session, request(limit=7))

        assert dataset.trace_ids == sorted((str(i) for i in ids), reverse=True)

    async def test_filters_apply_across_chunks(
        self, session: AsyncSession, add_traces: AddTraces, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(service, "CHUNK_SIZE", 2)
        ids = await add_traces(*(make_trace(meta={"keep": n % 3 == 0, "n": n}) for n in range(9)))

        dataset = await service.build_dataset(session, request(filters={"keep": True}))

        assert dataset.trace_ids == [str(ids[n]) for n in (6, 3, 0)]

    async def test_random_sample_spans_every_chunk(
        self, session: AsyncSession, add_traces: AddTraces, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(service, "CHUNK_SIZE", 2)
        ids = await add_traces(*(make_trace() for _ in range(9)))

        dataset = await service.build_dataset(
            session, request(limit=9, selection_strategy="random", seed=0)
        )

        assert sorted(dataset.trace_ids) == sorted(str(i) for i in ids)
        assert dataset.seed == 0

    async def test_key_taken_by_a_concurrent_build_is_a_conflict(
        self, app: FastAPI, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        async with app.state.session_factory() as other, other.begin():
            await service.build_dataset(other, request())

        async def check_ran_before_the_other_commit(*_: Any, **__: Any) -> None:
            return None

        monkeypatch.setattr(session, "scalar", check_ran_before_the_other_commit)

        with pytest.raises(Conflict, match="Dataset math-v1 already exists"):
            await service.build_dataset(session, request())


class TestRandomSample:
    async def test_does_not_depend_on_arrival_order(self) -> None:
        ids = [uuid.uuid4() for _ in range(50)]

        forward = await service._random_sample(stream(ids), 10, seed=123)
        backward = await service._random_sample(stream(ids[::-1]), 10, seed=123)

        assert forward == backward
        assert len(set(forward)) == 10

    async def test_a_larger_limit_extends_a_smaller_one(self) -> None:
        ids = [uuid.uuid4() for _ in range(50)]

        small = await service._random_sample(stream(ids), 5, seed=9)
        large = await service._random_sample(stream(ids), 20, seed=9)

        assert large[:5] == small


class TestJsonEqual:
    @pytest.mark.parametrize(
        ("a", "b", "equal"),
        [
            ("x", "x", True),
            (1, 1.0, True),
            (True, 1, False),
            (False, 0, False),
            (True, True, True),
            (None, None, True),
            (None, "null", False),
            ("1", 1, False),
            ([1, {"a": True}], [1, {"a": True}], True),
            ([1, {"a": True}], [1, {"a": 1}], False),
            ([1, 2], [1, 2, 3], False),
            ({"a": 1}, {"a": 1, "b": 2}, False),
        ],
    )
    def test_json_semantics(self, a: Any, b: Any, equal: bool) -> None:
        assert service.json_equal(a, b) is equal


class TestGetDataset:
    async def test_unknown_key_raises_not_found(self, session: AsyncSession) -> None:
        with pytest.raises(NotFound, match="Dataset nope-v1 not found"):
            await service.get_dataset(session, "nope-v1")


class TestIterTracesByIds:
    async def test_given_order_skipping_missing(
        self, session: AsyncSession, add_traces: AddTraces
    ) -> None:
        a, b, c = await add_traces(make_trace(), make_trace(), make_trace())
        wanted = [c, uuid.uuid4(), a, b, a]

        got = [t.id async for t in service.iter_traces_by_ids(session, wanted, chunk_size=2)]

        assert got == [c, a, b, a]

    async def test_no_ids_yields_nothing(self, session: AsyncSession) -> None:
        assert [t async for t in service.iter_traces_by_ids(session, [])] == []


class TestIterDatasetTraces:
    async def test_dataset_order_without_deleted_traces(
        self,
        session: AsyncSession,
        add_traces: AddTraces,
        delete_traces: Callable[[list[uuid.UUID]], Awaitable[None]],
    ) -> None:
        ids = await add_traces(*(make_trace() for _ in range(5)))
        dataset = await service.build_dataset(
            session, request(limit=5, selection_strategy="random", seed=5)
        )
        await session.commit()
        kept = [uuid.UUID(i) for i in dataset.trace_ids if uuid.UUID(i) != ids[0]]
        await delete_traces([ids[0]])

        got = [t.id async for t in service.iter_dataset_traces(session, dataset, chunk_size=2)]

        assert got == kept


class TestExportLines:
    async def test_one_json_line_per_trace(
        self, session: AsyncSession, add_traces: AddTraces
    ) -> None:
        ids = await add_traces(make_trace(prompt="first"), make_trace(prompt="second"))
        traces = service.iter_traces_by_ids(session, ids)

        lines = [line async for line in service.export_lines(session, traces, ExportFormat.trace)]

        assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
        records = [json.loads(line) for line in lines]
        assert [(r["id"], r["prompt"]) for r in records] == [
            (str(ids[0]), "first"),
            (str(ids[1]), "second"),
        ]
