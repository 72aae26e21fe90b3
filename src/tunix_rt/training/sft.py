"""The training runner: `python -m tunix_rt.training.sft --config <manifest.yaml>`.

Prints one `step N loss X` line per step and a final one-line JSON summary on stdout.
Exit codes: 0 trained, 2 the config, dataset or model cannot be used (message on stderr),
1 anything unexpected (traceback on stderr). Input is checked before JAX is imported, so a
bad request fails in well under a second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pydantic
import yaml

from tunix_rt.training.config import TINY_MODEL_ID, RunnerConfig
from tunix_rt.training.dataset import (
    batch_indices,
    encode_all,
    make_batch,
    read_jsonl,
    sequence_length,
    steps_per_epoch,
)
from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.model_ids import local_checkpoint_dir, model_id_problem

EXIT_BAD_INPUT = 2


def load_config(path: Path) -> RunnerConfig:
    if not path.is_file():
        raise RunnerInputError(f"config file {path} does not exist")
    try:
        return RunnerConfig.load(path)
    except yaml.YAMLError as exc:
        raise RunnerInputError(f"{path} is not valid YAML: {exc}") from exc
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}"
            for err in exc.errors()
        )
        raise RunnerInputError(f"{path} is not a valid runner config: {problems}") from exc


def run(config_path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    config = load_config(config_path)
    problem = model_id_problem(config.model_id)
    if problem:
        raise RunnerInputError(problem)
    examples = read_jsonl(config.resolve(config_path, config.dataset_path))
    output_dir = config.resolve(config_path, config.output_dir)
    checkpoint_dir = (output_dir / "checkpoints").resolve()
    if checkpoint_dir.is_dir() and any(checkpoint_dir.iterdir()):
        # Tunix would silently resume from these and train fewer (or no) steps.
        raise RunnerInputError(f"{checkpoint_dir} already holds checkpoints; use a new output_dir")

    # Never reach for a model hub: local checkpoints only.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from tunix_rt.training import models, trainer

    if config.model_id == TINY_MODEL_ID:
        loaded = models.build_tiny_gemma3(config.seed)
    else:
        checkpoint = local_checkpoint_dir(config.model_id)
        assert checkpoint is not None  # model_id_problem accepted it
        loaded = models.load_local_checkpoint(checkpoint)

    encoded = encode_all(loaded.tokenizer, examples, config.max_seq_length)
    length = sequence_length(encoded)
    steps = config.max_steps or steps_per_epoch(len(encoded), config.batch_size) * config.num_epochs
    batches = (
        make_batch(encoded, indices, length, loaded.tokenizer.pad_id)
        for indices in batch_indices(len(encoded), config.batch_size, config.seed, steps)
    )
    print(
        f"training {config.model_id} ({loaded.family}) on {len(encoded)} examples: "
        f"{steps} steps, batch {config.batch_size}, sequence length {length}",
        flush=True,
    )
    train_started = time.perf_counter()
    losses = trainer.train(
        loaded.model,
        batches,
        steps=steps,
        learning_rate=config.learning_rate,
        checkpoint_dir=checkpoint_dir,
    )
    return {
        "steps": len(losses),
        "first_loss": losses[0] if losses else None,
        "final_loss": losses[-1] if losses else None,
        "duration_seconds": round(time.perf_counter() - started, 3),
        "train_seconds": round(time.perf_counter() - train_started, 3),
        "model_id": config.model_id,
        "examples": len(encoded),
        "sequence_length": length,
        "checkpoint_dir": str(checkpoint_dir),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fine-tune a model with Tunix SFT.")
    parser.add_argument("--config", required=True, type=Path, help="runner YAML manifest")
    args = parser.parse_args(argv)
    try:
        summary = run(args.config)
    except RunnerInputError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
