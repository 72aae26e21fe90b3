"""Export formats: one pure function per format from a stored trace payload to a JSON record.

Each format is pinned by a pydantic record; docs/DATASET_FORMATS.md shows one line of each.
"""

from __future__ import annotations

import json
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class ExportFormat(StrEnum):
    trace = "trace"
    tunix_sft = "tunix_sft"
    training_example = "training_example"


# Gemma chat template. The model-turn header closes the prompt, so a loss mask over the
# completion covers exactly what the model is trained to write.
USER_TURN = "<start_of_turn>user\n{prompt}<end_of_turn>\n"
MODEL_TURN_START = "<start_of_turn>model\n"
END_OF_TURN = "<end_of_turn>"


class StepRecord(BaseModel):
    i: int
    type: str
    content: str


class TraceRecord(BaseModel):
    """`trace`: the stored trace as it was uploaded, plus its id."""

    # Stored payloads are kept whole, including any keys a later trace version adds.
    model_config = ConfigDict(extra="allow")

    id: str
    trace_version: str
    prompt: str
    final_answer: str
    steps: list[StepRecord]
    meta: dict[str, Any] | None = None


class TunixSftRecord(BaseModel):
    """`tunix_sft`: Gemma-templated prompt and completion; train with loss on completion only."""

    id: str
    prompt: str
    completion: str
    text: str
    meta: dict[str, Any]


class TrainingExampleRecord(BaseModel):
    """`training_example`: plain prompt and response, no chat template."""

    id: str
    prompt: str
    response: str
    metadata: dict[str, Any]


def _step_number(step: dict[str, Any]) -> int:
    number: int = step.get("i", 0)
    return number


def step_contents(payload: dict[str, Any]) -> list[str]:
    """Step contents ordered by step number `i`, whatever order they were uploaded in."""
    steps = sorted(payload.get("steps") or [], key=_step_number)
    return [str(step.get("content", "")) for step in steps]


def response_text(payload: dict[str, Any]) -> str:
    """The steps one per line, then the final answer on the last line."""
    return "\n".join([*step_contents(payload), str(payload.get("final_answer", ""))])


def render_trace(trace_id: uuid.UUID | str, payload: dict[str, Any]) -> dict[str, Any]:
    record = TraceRecord.model_validate({**payload, "id": str(trace_id)})
    # exclude_unset: a payload without meta stays without meta rather than gaining "meta": null.
    return record.model_dump(mode="json", exclude_unset=True)


def render_tunix_sft(trace_id: uuid.UUID | str, payload: dict[str, Any]) -> dict[str, Any]:
    # Built as a plain dict: this runs once per trace on every dry-run, and the pydantic round
    # trip cost as much as the rendering. Its shape is TunixSftRecord (the tests pin that).
    prompt = USER_TURN.format(prompt=payload.get("prompt", "")) + MODEL_TURN_START
    completion = response_text(payload) + END_OF_TURN
    return {
        "id": str(trace_id),
        "prompt": prompt,
        "completion": completion,
        "text": prompt + completion,
        "meta": payload.get("meta") or {},
    }


def render_training_example(trace_id: uuid.UUID | str, payload: dict[str, Any]) -> dict[str, Any]:
    record = TrainingExampleRecord(
        id=str(trace_id),
        prompt=str(payload.get("prompt", "")),
        response=response_text(payload),
        metadata=payload.get("meta") or {},
    )
    return record.model_dump(mode="json")


_RENDERERS = {
    ExportFormat.trace: render_trace,
    ExportFormat.tunix_sft: render_tunix_sft,
    ExportFormat.training_example: render_training_example,
}


def render(
    fmt: ExportFormat | str, trace_id: uuid.UUID | str, payload: dict[str, Any]
) -> dict[str, Any]:
    """One trace as a record of the given format."""
    return _RENDERERS[ExportFormat(fmt)](trace_id, payload)


def to_jsonl(record: dict[str, Any]) -> str:
    """One JSON Lines line: compact, UTF-8 text kept as is, newline-terminated."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
