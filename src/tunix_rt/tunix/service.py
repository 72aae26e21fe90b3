"""Tunix SFT export and manifest: what a run trains on, rendered from a dataset's traces."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.datasets import formats
from tunix_rt.datasets import service as datasets
from tunix_rt.datasets.models import Dataset
from tunix_rt.errors import BadRequest
from tunix_rt.settings import Settings
from tunix_rt.traces.models import Trace
from tunix_rt.training.config import Hyperparameters, RunnerConfig
from tunix_rt.training.model_ids import model_id_problem
from tunix_rt.tunix.paths import resolve_output_dir
from tunix_rt.tunix.schemas import ManifestRequest, ManifestResponse, SftExportRequest

MANIFEST_FILE = "manifest.yaml"
# Traces read per query: one round trip per thousand rows, memory bounded by one chunk.
READ_CHUNK = 1000


@dataclass(frozen=True)
class ExportSource:
    """What an SFT export reads, settled (and checked) before the response starts streaming."""

    trace_ids: list[uuid.UUID]


async def sft_export_source(session: AsyncSession, request: SftExportRequest) -> ExportSource:
    if request.dataset_key is None and request.trace_ids is None:
        raise BadRequest("Give dataset_key or trace_ids")
    if request.dataset_key is not None and request.trace_ids is not None:
        raise BadRequest("Give dataset_key or trace_ids, not both")
    if request.dataset_key is not None:
        dataset = await datasets.get_dataset(session, request.dataset_key)
        ids = [uuid.UUID(i) for i in dataset.trace_ids[: request.limit]]
    else:
        assert request.trace_ids is not None
        ids = request.trace_ids[: request.limit]
    return ExportSource(trace_ids=ids)


async def stream_sft_export(
    factory: async_sessionmaker[AsyncSession], source: ExportSource
) -> AsyncIterator[str]:
    """tunix_sft lines, read through a session of its own: the request's ends with the handler."""
    async with factory() as session:
        async for line in sft_lines(session, source.trace_ids):
            yield line


async def sft_lines(session: AsyncSession, trace_ids: Sequence[uuid.UUID]) -> AsyncIterator[str]:
    """tunix_sft JSON lines for the given traces, in order; ids no longer stored are skipped.

    Reads only (id, payload) columns, a chunk at a time: a dry-run renders a whole dataset
    on every click, and skipping ORM objects makes that several times faster.
    """
    for start in range(0, len(trace_ids), READ_CHUNK):
        chunk = trace_ids[start : start + READ_CHUNK]
        rows = await session.execute(
            select(Trace.id, Trace.payload).where(Trace.id.in_(set(chunk)))
        )
        payloads: dict[uuid.UUID, dict[str, Any]] = {row.id: row.payload for row in rows}
        for trace_id in chunk:
            payload = payloads.get(trace_id)
            if payload is not None:
                yield formats.to_jsonl(formats.render_tunix_sft(trace_id, payload))


def dataset_trace_ids(dataset: Dataset) -> list[uuid.UUID]:
    return [uuid.UUID(trace_id) for trace_id in dataset.trace_ids]


def runner_config(
    hyper: Hyperparameters, dataset_key: str, model_id: str, output_dir: str
) -> RunnerConfig:
    return RunnerConfig(
        **hyper.model_dump(include=set(Hyperparameters.model_fields)),
        dataset_key=dataset_key,
        model_id=model_id,
        output_dir=output_dir,
    )


async def build_manifest(
    session: AsyncSession, settings: Settings, request: ManifestRequest
) -> ManifestResponse:
    dataset = await datasets.get_dataset(session, request.dataset_key)
    if request.output_dir is None:
        # Relative to the manifest's own folder, like dataset_path: save both side by side.
        output_dir = "."
    else:
        resolved = await anyio.to_thread.run_sync(
            resolve_output_dir, settings.tunix_rt_output_root, request.output_dir, uuid.uuid4()
        )
        output_dir = str(resolved)
    config = runner_config(request, request.dataset_key, request.model_id, output_dir)
    message = (
        f"Runner config for dataset {dataset.dataset_key} ({dataset.trace_count} traces). "
        f"Save it as {MANIFEST_FILE} beside the tunix_sft export saved as {config.dataset_path}."
    )
    problem = await anyio.to_thread.run_sync(model_id_problem, request.model_id)
    if problem:
        message += f" Warning: {problem}."
    return ManifestResponse(
        manifest_yaml=config.to_yaml(),
        dataset_key=request.dataset_key,
        model_id=request.model_id,
        message=message,
    )
