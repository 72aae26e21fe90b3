"""Request and response bodies of the dataset API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, model_validator

from tunix_rt.text import storable_json

# Names and versions end up in file names: no separators, no leading dot, nothing to escape.
NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$"
MAX_LIMIT = 10_000
MAX_SEED = 2**53 - 1

SelectionStrategy = Literal["latest", "random"]


class DatasetBuildRequest(BaseModel):
    """Freeze a selection of stored traces as a named, versioned dataset."""

    dataset_name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=128,
            pattern=NAME_PATTERN,
            description="Letters, digits, '.', '_' and '-'; must not start with '.'",
        ),
    ]
    dataset_version: Annotated[
        str,
        Field(
            min_length=1,
            max_length=64,
            pattern=NAME_PATTERN,
            description="Letters, digits, '.', '_' and '-'; must not start with '.'",
        ),
    ]
    filters: Annotated[
        dict[str, Any],
        AfterValidator(storable_json),
        Field(description="Keys of a trace's `meta` and the values they must equal"),
    ] = {}
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Most traces to select")] = 100
    selection_strategy: Annotated[
        SelectionStrategy,
        Field(description="`latest`: newest traces first; `random`: a seeded random sample"),
    ] = "latest"
    # Bounded to what a JavaScript client can send exactly.
    seed: Annotated[
        int | None,
        Field(ge=0, le=MAX_SEED, description="Required for `random`; unused by `latest`"),
    ] = None

    @model_validator(mode="after")
    def _random_needs_seed(self) -> DatasetBuildRequest:
        if self.selection_strategy == "random" and self.seed is None:
            raise ValueError("seed is required when selection_strategy is 'random'")
        return self


class DatasetBuilt(BaseModel):
    dataset_key: str
    build_id: uuid.UUID
    trace_count: int


class NumberSummary(BaseModel):
    """min / max / mean over the dataset's traces; null for an empty dataset."""

    min: int | None
    max: int | None
    mean: float | None


class DatasetStats(BaseModel):
    step_count: NumberSummary
    prompt_chars: NumberSummary
    step_chars: Annotated[NumberSummary, Field(description="Characters of all steps together")]
    final_answer_chars: NumberSummary


class DatasetSummary(BaseModel):
    dataset_key: str
    build_id: uuid.UUID
    name: str
    version: str
    created_at: dt.datetime
    trace_count: int
    selection_strategy: SelectionStrategy


class DatasetManifest(DatasetSummary):
    """Everything a build recorded, including the ordered trace ids."""

    filters: dict[str, Any]
    seed: int | None
    trace_ids: list[uuid.UUID]
    stats: DatasetStats
