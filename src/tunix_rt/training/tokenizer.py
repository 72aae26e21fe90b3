"""Tokenizers the runner can use: built-in bytes, or a checkpoint's own tokenizer.json.

Both expose the same small surface (encode without specials, plus pad/bos/eos ids) so the
dataset code does not care which one it has. Nothing here imports JAX.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tunix_rt.training.errors import RunnerInputError


class Tokenizer(Protocol):
    @property
    def pad_id(self) -> int: ...
    @property
    def bos_id(self) -> int | None: ...
    @property
    def eos_id(self) -> int | None: ...
    @property
    def vocab_size(self) -> int: ...

    def encode(self, text: str) -> list[int]: ...


@dataclass(frozen=True)
class ByteTokenizer:
    """UTF-8 bytes are ids 0..255; the specials sit just above them."""

    pad_id: int = 256
    bos_id: int | None = 257
    eos_id: int | None = 258
    # One spare id keeps the embedding table a multiple of four rows.
    vocab_size: int = 260

    def encode(self, text: str) -> list[int]:
        return list(text.encode("utf-8"))

    def decode(self, ids: list[int]) -> str:
        return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")


class HfTokenizer:
    """A checkpoint directory's tokenizer.json, read with the `tokenizers` library (offline)."""

    def __init__(self, checkpoint_dir: Path, model_config: dict[str, Any]) -> None:
        path = checkpoint_dir / "tokenizer.json"
        if not path.is_file():
            raise RunnerInputError(f"{checkpoint_dir} has no tokenizer.json")
        from tokenizers import Tokenizer as _Tokenizer  # only needed for local checkpoints

        try:
            self._tok = _Tokenizer.from_file(str(path))
        except Exception as exc:  # the library raises plain Exceptions for bad files
            raise RunnerInputError(f"cannot read {path}: {exc}") from exc
        self.vocab_size = int(model_config.get("vocab_size") or self._tok.get_vocab_size())
        special = _special_ids(checkpoint_dir, model_config)
        self.bos_id = special.get("bos")
        self.eos_id = special.get("eos")
        pad = special.get("pad")
        # Padding never reaches attention or the loss, so any in-vocabulary id will do.
        self.pad_id = pad if pad is not None else (self.eos_id or 0)
        if model_config.get("model_type", "").startswith("qwen"):
            # Qwen chat models are trained without a leading BOS token.
            self.bos_id = None

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self._tok.encode(text, add_special_tokens=False).ids
        return ids


def _first_int(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, int) else None


def _special_ids(checkpoint_dir: Path, model_config: dict[str, Any]) -> dict[str, int | None]:
    """bos/eos/pad ids from config.json, else generation_config.json."""
    sources = [model_config.get("text_config") or {}, model_config]
    gen_path = checkpoint_dir / "generation_config.json"
    if gen_path.is_file():
        sources.append(json.loads(gen_path.read_text(encoding="utf-8")))
    found: dict[str, int | None] = {}
    for name in ("bos", "eos", "pad"):
        found[name] = next(
            (v for s in sources if (v := _first_int(s.get(f"{name}_token_id"))) is not None),
            None,
        )
    return found
