"""Runs Tunix's PeftTrainer over our batches and reports each step's loss as it happens.

Masking: Tunix's default loss takes `input_mask` as the set of *scored* target tokens, while
the example script derives attention and positions from that same mask. Using one mask for
both would either hide the prompt from attention or score the prompt. So each batch carries
two masks and `model_inputs` splits them: attention and positions follow the valid-token mask
(everything but padding), and `input_mask`, which the default loss reads, is the completion
mask. The default loss is then exactly masked next-token cross-entropy over the completion.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jax
import numpy as np
import optax
import orbax.checkpoint as ocp
from flax import nnx
from tunix.sft import hooks, peft_trainer
from tunix.sft import utils as sft_utils

from tunix_rt.training.dataset import Batch


def to_arrays(batch: Batch) -> dict[str, np.ndarray]:
    return {
        "tokens": np.asarray(batch.tokens, np.int32),
        "valid_mask": np.asarray(batch.valid_mask, np.int32),
        "loss_mask": np.asarray(batch.loss_mask, np.int32),
    }


def model_inputs(batch: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for Tunix's default loss; see the module docstring for the masks."""
    valid = batch["valid_mask"]
    return {
        "input_tokens": batch["tokens"],
        "input_mask": batch["loss_mask"],
        "positions": sft_utils.build_positions_from_mask(valid),
        "attention_mask": sft_utils.make_causal_attn_mask(valid),
    }


class StepPrinter(hooks.TrainingHooks):  # type: ignore[misc]
    """Prints `step N loss X` per step (Tunix logs losses only through absl at INFO)."""

    def __init__(self) -> None:
        self.losses: list[float] = []

    def on_train_step_end(self, train_ctx: Any, train_step: int, train_loss: Any) -> None:
        loss = float(jax.device_get(train_loss))
        self.losses.append(loss)
        print(f"step {train_step} loss {loss:.4f}", flush=True)

    # The base class declares every hook abstract; the rest have nothing to do here.
    def on_train_start(self, train_ctx: Any) -> None:
        pass

    def on_train_end(self, train_ctx: Any) -> None:
        pass

    def on_train_step_start(self, train_ctx: Any) -> None:
        pass

    def on_eval_step_start(self, train_ctx: Any) -> None:
        pass

    def on_eval_step_end(self, train_ctx: Any, eval_loss: Any) -> None:
        pass


def train(
    model: nnx.Module,
    batches: Iterable[Batch],
    *,
    steps: int,
    learning_rate: float,
    checkpoint_dir: Path,
) -> list[float]:
    """Trains for `steps` steps, saves one Orbax checkpoint at the end, returns the losses."""
    optimizer = optax.chain(optax.clip_by_global_norm(1.0), optax.adamw(learning_rate))
    config = peft_trainer.TrainingConfig(
        eval_every_n_steps=steps + 1,  # no eval set; keep the trainer from asking for one
        max_steps=steps,
        checkpoint_root_directory=str(checkpoint_dir),
        # Only the final step is worth the disk time for a short local run.
        checkpointing_options=ocp.CheckpointManagerOptions(
            save_decision_policy=ocp.checkpoint_managers.FixedIntervalPolicy(steps),
            max_to_keep=1,
        ),
    )
    trainer = peft_trainer.PeftTrainer(model, optimizer, config)
    trainer.with_gen_model_input_fn(model_inputs)
    printer = StepPrinter()
    trainer.with_training_hooks(printer)  # returns None, so not chained
    arrays: Iterator[dict[str, np.ndarray]] = (to_arrays(b) for b in batches)
    trainer.train(arrays)
    sys.stdout.flush()
    return printer.losses
