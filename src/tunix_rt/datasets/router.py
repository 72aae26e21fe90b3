"""Dataset endpoints: thin wrappers over the dataset service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse

from tunix_rt.datasets import service
from tunix_rt.datasets.formats import ExportFormat
from tunix_rt.datasets.schemas import (
    DatasetBuildRequest,
    DatasetBuilt,
    DatasetManifest,
    DatasetSummary,
)
from tunix_rt.deps import SessionDep, SessionFactoryDep
from tunix_rt.errors import Conflict, NotFound, PayloadTooLarge, responses
from tunix_rt.pagination import LimitQuery, OffsetQuery, Page, make_page

router = APIRouter(prefix="/datasets", tags=["datasets"])

NDJSON = "application/x-ndjson"

FormatQuery = Annotated[
    ExportFormat, Query(alias="format", description="Record layout of each line")
]


@router.post(
    "/build",
    status_code=status.HTTP_201_CREATED,
    response_model=DatasetBuilt,
    responses=responses(Conflict, PayloadTooLarge),
)
async def build_dataset(body: DatasetBuildRequest, session: SessionDep) -> DatasetBuilt:
    """Select traces by meta filters and freeze them, in order, as `{name}-{version}`."""
    dataset = await service.build_dataset(session, body)
    return DatasetBuilt.model_validate(dataset, from_attributes=True)


@router.get("", response_model=Page[DatasetSummary])
async def list_datasets(
    session: SessionDep, limit: LimitQuery = 20, offset: OffsetQuery = 0
) -> Page[DatasetSummary]:
    """Datasets, newest first."""
    rows = await service.list_datasets(session, limit, offset)
    items = [DatasetSummary.model_validate(r, from_attributes=True) for r in rows]
    return make_page(items, limit, offset)


@router.get("/{dataset_key}", response_model=DatasetManifest, responses=responses(NotFound))
async def get_dataset(dataset_key: str, session: SessionDep) -> DatasetManifest:
    """The dataset's manifest: how it was built, its ordered trace ids and stats."""
    dataset = await service.get_dataset(session, dataset_key)
    return DatasetManifest.model_validate(dataset, from_attributes=True)


@router.get(
    "/{dataset_key}/export.jsonl",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One JSON record per trace, in dataset order",
            "content": {NDJSON: {"schema": {"type": "string"}}},
        },
        **responses(NotFound),
    },
)
async def export_dataset(
    dataset_key: str,
    session: SessionDep,
    factory: SessionFactoryDep,
    fmt: FormatQuery = ExportFormat.trace,
) -> StreamingResponse:
    """Stream the dataset as JSON Lines; traces deleted since the build are left out."""
    # Looked up before streaming starts, so an unknown key is a 404 rather than a cut-off 200.
    dataset = await service.get_dataset(session, dataset_key)
    filename = f"{dataset.dataset_key}.{fmt.value}.jsonl"
    return StreamingResponse(
        service.stream_export(factory, dataset, fmt),
        media_type=NDJSON,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
