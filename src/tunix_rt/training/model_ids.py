"""Which model ids the runner can load, decided without importing JAX or Tunix."""

from __future__ import annotations

from pathlib import Path

from tunix_rt.training.config import TINY_MODEL_ID

CHECKPOINT_MARKERS = ("config.json",)


def local_checkpoint_dir(model_id: str) -> Path | None:
    """The directory of a local Hugging Face-format checkpoint, if model_id names one."""
    path = Path(model_id).expanduser()
    if not path.is_absolute():
        return None
    has_markers = path.is_dir() and all((path / m).is_file() for m in CHECKPOINT_MARKERS)
    return path if has_markers and any(path.glob("*.safetensors")) else None


def model_id_problem(model_id: str) -> str | None:
    """None when the runner can load model_id here; otherwise why it cannot."""
    if model_id == TINY_MODEL_ID:
        return None
    path = Path(model_id).expanduser()
    if path.is_absolute():
        if not path.is_dir():
            return f"model directory {model_id} does not exist"
        if local_checkpoint_dir(model_id) is None:
            return (
                f"model directory {model_id} is not a Hugging Face checkpoint "
                "(needs config.json and *.safetensors)"
            )
        return None
    return (
        f"model id {model_id!r} is neither {TINY_MODEL_ID!r} nor the absolute path of a local "
        "checkpoint; hub ids need a download, which the runner does not attempt offline"
    )
