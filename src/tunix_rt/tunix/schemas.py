"""Request and response bodies of the Tunix API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tunix_rt.pagination import Pagination
from tunix_rt.text import StorableStr
from tunix_rt.training.config import Hyperparameters

RunStatus = Literal["pending", "running", "completed", "failed", "timeout"]
RunMode = Literal["dry_run", "local"]

MAX_EXPORT_LIMIT = 10_000

DatasetKey = Annotated[StorableStr, Field(min_length=1, max_length=200)]
ModelId = Annotated[
    StorableStr,
    Field(
        min_length=1,
        max_length=512,
        description="`tiny-gemma3` or the absolute path of a local Hugging Face checkpoint",
    ),
]
OutputDir = Annotated[
    StorableStr,
    Field(
        min_length=1,
        max_length=1024,
        description="Folder relative to TUNIX_RT_OUTPUT_ROOT; must stay inside it",
    ),
]


class TunixStatus(BaseModel):
    available: bool = Field(description="Whether Tunix imports in the Python that runs training")
    version: str | None
    runtime_required: bool = Field(
        default=False, description="Dry-runs, exports and manifests work without Tunix"
    )
    message: str


class SftExportRequest(BaseModel):
    """Traces to export in tunix_sft format: a dataset or explicit trace ids, not both."""

    dataset_key: DatasetKey | None = None
    trace_ids: Annotated[list[uuid.UUID] | None, Field(max_length=MAX_EXPORT_LIMIT)] = None
    limit: Annotated[int, Field(ge=1, le=MAX_EXPORT_LIMIT)] = 100


class ManifestRequest(Hyperparameters):
    """The runner config for a dataset and model."""

    model_config = ConfigDict(protected_namespaces=())

    dataset_key: DatasetKey
    model_id: ModelId
    output_dir: OutputDir | None = None


class ManifestResponse(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    manifest_yaml: str
    dataset_key: str
    model_id: str
    format: Literal["tunix_sft"] = "tunix_sft"
    message: str


class RunRequest(Hyperparameters):
    """A Tunix SFT run: validated only (dry_run) or trained in a child process (local)."""

    model_config = ConfigDict(protected_namespaces=())

    dataset_key: DatasetKey
    model_id: ModelId
    dry_run: bool = True
    output_dir: OutputDir | None = None
    timeout_seconds: Annotated[
        float | None,
        Field(gt=0, description="At most TUNIX_RUN_TIMEOUT_SECONDS, which is also the default"),
    ] = None


class RunResponse(BaseModel):
    """The outcome of one run, as stored in the registry."""

    model_config = ConfigDict(from_attributes=True, protected_namespaces=())

    run_id: uuid.UUID
    status: RunStatus
    mode: RunMode
    dataset_key: str
    model_id: str
    output_dir: str | None
    exit_code: int | None
    stdout: str
    stderr: str
    duration_seconds: float | None
    started_at: dt.datetime
    completed_at: dt.datetime | None
    message: str


class RunSummary(BaseModel):
    """One row of the run list: no logs."""

    model_config = ConfigDict(from_attributes=True, protected_namespaces=())

    run_id: uuid.UUID
    dataset_key: str
    model_id: str
    mode: RunMode
    status: RunStatus
    exit_code: int | None
    started_at: dt.datetime
    completed_at: dt.datetime | None
    duration_seconds: float | None


class RunDetail(RunResponse):
    """Everything stored about a run."""

    config: dict[str, Any]
    created_at: dt.datetime


class RunPagination(Pagination):
    """Offset paging as for every list, plus a cursor whose cost does not grow with depth."""

    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page (null on the last page). Pages by "
        "cursor read only their own rows, however deep; their next_offset is null."
    )


class RunPage(BaseModel):
    data: list[RunSummary]
    pagination: RunPagination
