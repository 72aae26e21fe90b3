"""Reads the tunix_sft JSONL and turns it into fixed-shape, loss-masked batches.

Pure Python (no NumPy or JAX) so it can be tested anywhere and fails before heavy imports.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.tokenizer import Tokenizer


@dataclass(frozen=True)
class SftExample:
    id: str
    prompt: str
    completion: str


@dataclass(frozen=True)
class EncodedExample:
    """Token ids and, per token, whether it counts towards the loss (completion only)."""

    tokens: list[int]
    loss_mask: list[int]

    @property
    def trains(self) -> bool:
        return any(self.loss_mask)


@dataclass(frozen=True)
class Batch:
    """Rows of equal length: ids, 1 where a token is real (not padding), 1 where it is scored."""

    tokens: list[list[int]]
    valid_mask: list[list[int]]
    loss_mask: list[list[int]]


def read_jsonl(path: Path) -> list[SftExample]:
    """Every line must be a JSON object with string prompt and non-empty string completion."""
    if not path.is_file():
        raise RunnerInputError(f"dataset file {path} does not exist")
    examples: list[SftExample] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RunnerInputError(f"{path.name} line {number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise RunnerInputError(f"{path.name} line {number}: expected a JSON object")
            prompt, completion = row.get("prompt"), row.get("completion")
            if not isinstance(prompt, str) or not isinstance(completion, str) or not completion:
                raise RunnerInputError(
                    f"{path.name} line {number}: needs string fields 'prompt' and 'completion' "
                    "(completion non-empty)"
                )
            examples.append(SftExample(str(row.get("id", number)), prompt, completion))
    if not examples:
        raise RunnerInputError(f"dataset file {path} holds no examples")
    return examples


def encode_example(tokenizer: Tokenizer, example: SftExample, max_len: int) -> EncodedExample:
    """[bos] prompt completion [eos], cut to max_len; only completion and eos are scored."""
    prompt = ([tokenizer.bos_id] if tokenizer.bos_id is not None else []) + tokenizer.encode(
        example.prompt
    )
    completion = tokenizer.encode(example.completion)
    if tokenizer.eos_id is not None:
        completion.append(tokenizer.eos_id)
    tokens = (prompt + completion)[:max_len]
    loss_mask = ([0] * len(prompt) + [1] * len(completion))[:max_len]
    return EncodedExample(tokens, loss_mask)


def encode_all(
    tokenizer: Tokenizer, examples: list[SftExample], max_len: int
) -> list[EncodedExample]:
    """Encodes every example; refuses a dataset where truncation leaves nothing to learn."""
    encoded = [encode_example(tokenizer, e, max_len) for e in examples]
    if not any(e.trains for e in encoded):
        raise RunnerInputError(
            f"max_seq_length {max_len} cuts off every completion; raise it or shorten prompts"
        )
    top = max(max(e.tokens) for e in encoded)
    if top >= tokenizer.vocab_size:
        raise RunnerInputError(
            f"token id {top} is outside the model's vocabulary of {tokenizer.vocab_size}"
        )
    return encoded


def sequence_length(encoded: list[EncodedExample]) -> int:
    """One length for every batch: the longest example, so a single train step is compiled."""
    return max(len(e.tokens) for e in encoded)


def steps_per_epoch(num_examples: int, batch_size: int) -> int:
    return -(-num_examples // batch_size)


def batch_indices(num_examples: int, batch_size: int, seed: int, steps: int) -> Iterator[list[int]]:
    """Example indices for each step: a seeded shuffle per epoch, batches always full.

    A short last batch is topped up with the epoch's first examples, since a batch of another
    shape would force a second compilation of the train step.
    """
    per_epoch = steps_per_epoch(num_examples, batch_size)
    done = 0
    epoch = 0
    while done < steps:
        order = list(range(num_examples))
        random.Random(f"{seed}:{epoch}").shuffle(order)  # noqa: S311 - data order, not secrets
        padded = order * -(-per_epoch * batch_size // num_examples)
        for start in range(0, per_epoch * batch_size, batch_size):
            if done == steps:
                return
            yield padded[start : start + batch_size]
            done += 1
        epoch += 1


def make_batch(
    encoded: list[EncodedExample], indices: list[int], length: int, pad_id: int
) -> Batch:
    """Right-pads the chosen examples to `length`."""
    tokens, valid, loss = [], [], []
    for i in indices:
        example = encoded[i]
        pad = length - len(example.tokens)
        tokens.append(example.tokens + [pad_id] * pad)
        valid.append([1] * len(example.tokens) + [0] * pad)
        loss.append(example.loss_mask + [0] * pad)
    return Batch(tokens, valid, loss)
