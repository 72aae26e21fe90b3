"""The runner's YAML config: written by the server (manifest, run), read by the child process.

Kept free of web and database imports so the training child starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

TINY_MODEL_ID = "tiny-gemma3"


class Hyperparameters(BaseModel):
    """Training knobs shared by the manifest and run requests."""

    learning_rate: Annotated[float, Field(gt=0, le=1)] = 2e-5
    num_epochs: Annotated[int, Field(ge=1, le=1000)] = 3
    batch_size: Annotated[int, Field(ge=1, le=1024)] = 8
    max_seq_length: Annotated[int, Field(ge=8, le=32768)] = 2048
    max_steps: Annotated[int | None, Field(ge=1, le=10_000_000)] = None
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 0


class RunnerConfig(Hyperparameters):
    """Everything the runner needs; relative paths are taken from the config file's folder."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    format: Literal["tunix_sft"] = "tunix_sft"
    dataset_key: str
    model_id: str
    dataset_path: str = "dataset.jsonl"
    output_dir: str

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False)

    @classmethod
    def from_yaml(cls, text: str) -> RunnerConfig:
        return cls.model_validate(yaml.safe_load(text))

    @classmethod
    def load(cls, path: Path) -> RunnerConfig:
        return cls.from_yaml(path.read_text(encoding="utf-8"))

    def resolve(self, config_path: Path, value: str) -> Path:
        candidate = Path(value)
        return candidate if candidate.is_absolute() else config_path.parent / candidate
