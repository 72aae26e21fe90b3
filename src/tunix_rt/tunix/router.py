"""Tunix endpoints: status, SFT export and manifest, runs and the run registry."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from tunix_rt.deps import SessionDep, SessionFactoryDep, SettingsDep
from tunix_rt.errors import (
    BadRequest,
    Conflict,
    NotFound,
    NotImplementedYet,
    PayloadTooLarge,
    ServiceUnavailable,
    Unprocessable,
    responses,
)
from tunix_rt.pagination import LimitQuery, OffsetQuery
from tunix_rt.text import StorableStr
from tunix_rt.tunix import execution, registry, service
from tunix_rt.tunix.availability import tunix_status
from tunix_rt.tunix.schemas import (
    ManifestRequest,
    ManifestResponse,
    RunDetail,
    RunMode,
    RunPage,
    RunRequest,
    RunResponse,
    RunStatus,
    SftExportRequest,
    TunixStatus,
)

router = APIRouter(prefix="/tunix", tags=["tunix"])

NDJSON = "application/x-ndjson"


@router.get("/status", response_model=TunixStatus)
async def get_status(settings: SettingsDep) -> TunixStatus:
    """Whether Tunix is installed in the Python that runs training."""
    return await tunix_status(settings.training_python, settings.tunix_status_cache_seconds)


@router.post(
    "/sft/export",
    response_class=StreamingResponse,
    responses={
        200: {"description": "One tunix_sft JSON line per trace", "content": {NDJSON: {}}},
        **responses(BadRequest, NotFound, PayloadTooLarge),
    },
)
async def export_sft(
    body: SftExportRequest, session: SessionDep, factory: SessionFactoryDep
) -> StreamingResponse:
    """Traces of a dataset, or given trace ids, as Tunix SFT JSON Lines (streamed)."""
    source = await service.sft_export_source(session, body)
    return StreamingResponse(service.stream_sft_export(factory, source), media_type=NDJSON)


@router.post(
    "/sft/manifest",
    status_code=201,
    response_model=ManifestResponse,
    responses=responses(NotFound, Unprocessable, PayloadTooLarge),
)
async def create_manifest(
    body: ManifestRequest, session: SessionDep, settings: SettingsDep
) -> ManifestResponse:
    """The YAML config the Tunix runner reads, for a dataset and model."""
    return await service.build_manifest(session, settings, body)


@router.post(
    "/run",
    status_code=202,
    response_model=RunResponse,
    responses=responses(
        Conflict, Unprocessable, NotImplementedYet, ServiceUnavailable, PayloadTooLarge
    ),
)
async def run(body: RunRequest, factory: SessionFactoryDep, settings: SettingsDep) -> RunResponse:
    """Run Tunix SFT (dry-run or local) and wait for it; the run is stored in the registry."""
    # No request session: the registry commits on its own, and a local run can take minutes.
    record = await execution.execute_run(factory, settings, body)
    return RunResponse.model_validate(record)


@router.get("/runs", response_model=RunPage, responses=responses(Unprocessable))
async def list_runs(
    session: SessionDep,
    limit: LimitQuery = 20,
    offset: OffsetQuery = 0,
    cursor: Annotated[
        str | None,
        Query(
            max_length=200,
            description="next_cursor of the previous page: the rows after it (not with offset)",
        ),
    ] = None,
    status: Annotated[RunStatus | None, Query(description="Only runs in this state")] = None,
    dataset_key: Annotated[StorableStr | None, Query(max_length=200)] = None,
    mode: Annotated[RunMode | None, Query(description="Only dry-runs or local runs")] = None,
) -> RunPage:
    """Stored runs, newest first."""
    return await registry.list_runs(
        session,
        limit=limit,
        offset=offset,
        cursor=cursor,
        status=status,
        dataset_key=dataset_key,
        mode=mode,
    )


@router.get("/runs/{run_id}", response_model=RunDetail, responses=responses(NotFound))
async def get_run(run_id: uuid.UUID, session: SessionDep) -> RunDetail:
    """One stored run with its logs and config."""
    return RunDetail.model_validate(await registry.get_run(session, run_id))
