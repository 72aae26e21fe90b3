"""Dataset logic: build a frozen selection of traces, read it back, export it as JSON Lines."""

from __future__ import annotations

import hashlib
import heapq
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only

from tunix_rt.datasets import formats
from tunix_rt.datasets.formats import ExportFormat
from tunix_rt.datasets.models import Dataset
from tunix_rt.datasets.schemas import DatasetBuildRequest, DatasetStats, NumberSummary
from tunix_rt.errors import Conflict, NotFound
from tunix_rt.traces.models import Trace

# Rows read per query while scanning or exporting: bounds memory whatever the table size.
CHUNK_SIZE = 500


def dataset_key(name: str, version: str) -> str:
    return f"{name}-{version}"


async def build_dataset(session: AsyncSession, request: DatasetBuildRequest) -> Dataset:
    key = dataset_key(request.dataset_name, request.dataset_version)
    existing = await session.scalar(select(Dataset.build_id).where(Dataset.dataset_key == key))
    if existing is not None:
        raise _exists(key)
    candidates = _matching_ids(session, request.filters)
    if request.selection_strategy == "random":
        assert request.seed is not None  # enforced by the request schema
        trace_ids = await _random_sample(candidates, request.limit, request.seed)
    else:
        trace_ids = await _first(candidates, request.limit)
    dataset = Dataset(
        dataset_key=key,
        name=request.dataset_name,
        version=request.dataset_version,
        filters=request.filters,
        selection_strategy=request.selection_strategy,
        seed=request.seed if request.selection_strategy == "random" else None,
        trace_ids=[str(i) for i in trace_ids],
        trace_count=len(trace_ids),
        stats=(await _stats(session, trace_ids)).model_dump(),
    )
    session.add(dataset)
    try:
        await session.flush()
    except IntegrityError:
        # A concurrent build took the key between the check and the insert.
        raise _exists(key) from None
    return dataset


def _exists(key: str) -> Conflict:
    return Conflict(f"Dataset {key} already exists; build it under a new version")


async def get_dataset(session: AsyncSession, dataset_key: str) -> Dataset:
    dataset = await session.scalar(select(Dataset).where(Dataset.dataset_key == dataset_key))
    if dataset is None:
        raise NotFound("dataset", dataset_key)
    return dataset


async def list_datasets(session: AsyncSession, limit: int, offset: int) -> list[Dataset]:
    """Newest first, summary columns only; up to limit + 1 rows so a next page shows."""
    query = (
        select(Dataset)
        .options(
            load_only(
                Dataset.dataset_key,
                Dataset.name,
                Dataset.version,
                Dataset.created_at,
                Dataset.trace_count,
                Dataset.selection_strategy,
            )
        )
        .order_by(Dataset.created_at.desc(), Dataset.build_id.desc())
        .limit(limit + 1)
        .offset(offset)
    )
    return list((await session.scalars(query)).all())


# --- selection -------------------------------------------------------------------------------


async def _matching_ids(session: AsyncSession, filters: dict[str, Any]) -> AsyncIterator[uuid.UUID]:
    """Ids of traces whose meta matches `filters`, newest first, read in keyset-paged chunks.

    Matching happens in Python so that it means the same on SQLite and PostgreSQL; only the
    meta object is read, never whole payloads.
    """
    meta = Trace.payload["meta"]
    after: tuple[Any, uuid.UUID] | None = None
    while True:
        query = (
            select(Trace.id, Trace.created_at, meta)
            .order_by(Trace.created_at.desc(), Trace.id.desc())
            .limit(CHUNK_SIZE)
        )
        if after is not None:
            created, last_id = after
            query = query.where(
                or_(
                    Trace.created_at < created,
                    and_(Trace.created_at == created, Trace.id < last_id),
                )
            )
        rows = (await session.execute(query)).all()
        for trace_id, _, trace_meta in rows:
            if _meta_matches(trace_meta, filters):
                yield trace_id
        if len(rows) < CHUNK_SIZE:
            return
        after = (rows[-1][1], rows[-1][0])


def _meta_matches(meta: Any, filters: dict[str, Any]) -> bool:
    if not filters:
        return True
    if not isinstance(meta, dict):
        return False
    return all(key in meta and json_equal(meta[key], value) for key, value in filters.items())


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: unlike Python's ==, true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


async def _first(ids: AsyncIterator[uuid.UUID], limit: int) -> list[uuid.UUID]:
    selected: list[uuid.UUID] = []
    async for trace_id in ids:
        selected.append(trace_id)
        if len(selected) == limit:
            break
    return selected


async def _random_sample(ids: AsyncIterator[uuid.UUID], limit: int, seed: int) -> list[uuid.UUID]:
    """A uniform sample of `limit` ids, in random order, fixed by the seed and the candidates.

    Each id is ranked by a keyed hash of (seed, id) and the lowest ranks win: the result does
    not depend on the order rows arrive in, and memory stays at `limit` ids however many match.
    """
    key = seed.to_bytes(8, "big", signed=True)
    heap: list[tuple[int, str]] = []  # max-heap by rank, through negation
    async for trace_id in ids:
        rank = int.from_bytes(hashlib.blake2b(trace_id.bytes, digest_size=8, key=key).digest())
        entry = (-rank, str(trace_id))
        if len(heap) < limit:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)
    return [uuid.UUID(trace_id) for _, trace_id in sorted(heap, reverse=True)]


class _Summary:
    """Running min / max / mean, so stats never hold the dataset in memory."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.low: int | None = None
        self.high: int | None = None

    def add(self, value: int) -> None:
        self.count += 1
        self.total += value
        self.low = value if self.low is None else min(self.low, value)
        self.high = value if self.high is None else max(self.high, value)

    def result(self) -> NumberSummary:
        mean = round(self.total / self.count, 2) if self.count else None
        return NumberSummary(min=self.low, max=self.high, mean=mean)


async def _stats(session: AsyncSession, trace_ids: Sequence[uuid.UUID]) -> DatasetStats:
    steps, prompt, step_chars, answer = _Summary(), _Summary(), _Summary(), _Summary()
    async for trace in iter_traces_by_ids(session, trace_ids, CHUNK_SIZE):
        contents = formats.step_contents(trace.payload)
        steps.add(len(contents))
        prompt.add(len(trace.payload.get("prompt", "")))
        step_chars.add(sum(len(c) for c in contents))
        answer.add(len(trace.payload.get("final_answer", "")))
    return DatasetStats(
        step_count=steps.result(),
        prompt_chars=prompt.result(),
        step_chars=step_chars.result(),
        final_answer_chars=answer.result(),
    )


# --- reading traces back ---------------------------------------------------------------------


async def iter_traces_by_ids(
    session: AsyncSession, trace_ids: Sequence[uuid.UUID], chunk_size: int = CHUNK_SIZE
) -> AsyncIterator[Trace]:
    """Traces in the given order, read `chunk_size` at a time; ids no longer stored are skipped."""
    for start in range(0, len(trace_ids), chunk_size):
        chunk = trace_ids[start : start + chunk_size]
        rows = await session.scalars(select(Trace).where(Trace.id.in_(set(chunk))))
        by_id = {trace.id: trace for trace in rows}
        for trace_id in chunk:
            trace = by_id.get(trace_id)
            if trace is not None:
                yield trace


async def iter_dataset_traces(
    session: AsyncSession, dataset: Dataset, chunk_size: int = CHUNK_SIZE
) -> AsyncIterator[Trace]:
    """The dataset's traces in dataset order; traces deleted since the build are skipped."""
    trace_ids = [uuid.UUID(trace_id) for trace_id in dataset.trace_ids]
    async for trace in iter_traces_by_ids(session, trace_ids, chunk_size):
        yield trace


async def export_lines(
    session: AsyncSession, traces: AsyncIterator[Trace], fmt: ExportFormat
) -> AsyncIterator[str]:
    """One newline-terminated JSON line per trace, in the order `traces` yields them.

    `traces` is expected to read through `session` (e.g. `iter_dataset_traces(session, ...)`).
    """
    async for trace in traces:
        yield formats.to_jsonl(formats.render(fmt, trace.id, trace.payload))


async def stream_export(
    factory: async_sessionmaker[AsyncSession], dataset: Dataset, fmt: ExportFormat
) -> AsyncIterator[str]:
    """The export body, read through its own session: the request's one ends with the handler."""
    async with factory() as session:
        traces = iter_dataset_traces(session, dataset, CHUNK_SIZE)
        async for line in export_lines(session, traces, fmt):
            yield line
