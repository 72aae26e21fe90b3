"""Helpers for the runner tests: a small SFT dataset, run folders, a local HF checkpoint."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

QUESTIONS = [
    ("What is 2+3?", ["2+3 = 5"], "5"),
    ("What is 4*6?", ["4*6 = 24"], "24"),
    ("What is 10-7?", ["10-7 = 3"], "3"),
    ("What is 9+9?", ["9+9 = 18"], "18"),
    ("What is 12/4?", ["12/4 = 3"], "3"),
    ("What is 7*8?", ["7*8 = 56"], "56"),
]


def sft_row(index: int, question: str, steps: list[str], answer: str) -> dict[str, Any]:
    """One line of the tunix_sft export, rendered the way the server renders it."""
    prompt = f"<start_of_turn>user\n{question}<end_of_turn>\n<start_of_turn>model\n"
    completion = "\n".join(steps) + f"\n{answer}<end_of_turn>"
    return {
        "id": f"trace-{index}",
        "prompt": prompt,
        "completion": completion,
        "text": prompt + completion,
        "meta": {"source": "test"},
    }


def write_dataset(path: Path, copies: int = 2) -> list[dict[str, Any]]:
    rows = [sft_row(i, *q) for i, q in enumerate(QUESTIONS * copies)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


@dataclass
class RunResult:
    returncode: int
    stdout: str
    stderr: str
    output_dir: Path

    @property
    def losses(self) -> list[float]:
        return [float(line.split()[3]) for line in self.step_lines]

    @property
    def step_lines(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.startswith("step ")]

    @property
    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = json.loads(self.stdout.strip().splitlines()[-1])
        return summary


def run_runner(
    config_path: Path, timeout: float = 240, env: dict[str, str] | None = None
) -> RunResult:
    """The runner as the server starts it: a child process, cwd = the run's folder."""
    proc = subprocess.run(
        [sys.executable, "-m", "tunix_rt.training.sft", "--config", str(config_path)],
        cwd=config_path.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return RunResult(proc.returncode, proc.stdout, proc.stderr, config_path.parent)


def write_run_dir(run_dir: Path, **overrides: Any) -> Path:
    """A run folder as the server prepares it: dataset.jsonl and manifest.yaml."""
    run_dir.mkdir(parents=True, exist_ok=True)
    write_dataset(run_dir / "dataset.jsonl")
    manifest = {
        "format": "tunix_sft",
        "dataset_key": "arith-v1",
        "model_id": "tiny-gemma3",
        "output_dir": str(run_dir),
        "learning_rate": 0.01,
        "num_epochs": 1,
        "batch_size": 4,
        "max_seq_length": 256,
        "max_steps": 8,
        "seed": 7,
        **overrides,
    }
    path = run_dir / "manifest.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


# A Gemma 3 text model small enough to save, load and train in seconds.
TINY_HF_GEMMA3 = {
    "model_type": "gemma3_text",
    "architectures": ["Gemma3ForCausalLM"],
    "num_hidden_layers": 2,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_attention_heads": 2,
    "num_key_value_heads": 1,
    "head_dim": 32,
    "query_pre_attn_scalar": 32,
    "sliding_window": 512,
    "rope_theta": 1000000.0,
    "rope_local_base_freq": 10000.0,
    "rms_norm_eps": 1e-6,
    "torch_dtype": "float32",
}
SPECIALS = ["<pad>", "<eos>", "<bos>", "<start_of_turn>", "<end_of_turn>"]


def hf_gemma3_tensors(config: dict[str, Any], seed: int = 0) -> dict[str, Any]:
    """Random weights under the names and (torch) shapes of a HF Gemma 3 checkpoint."""
    import numpy as np

    rng = np.random.default_rng(seed)
    d, hidden = config["hidden_size"], config["intermediate_size"]
    heads, kv, hd = config["num_attention_heads"], config["num_key_value_heads"], config["head_dim"]

    def w(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    tensors = {"model.embed_tokens.weight": w(config["vocab_size"], d), "model.norm.weight": w(d)}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        tensors |= {
            p + "self_attn.q_proj.weight": w(heads * hd, d),
            p + "self_attn.k_proj.weight": w(kv * hd, d),
            p + "self_attn.v_proj.weight": w(kv * hd, d),
            p + "self_attn.o_proj.weight": w(d, heads * hd),
            p + "self_attn.q_norm.weight": w(hd),
            p + "self_attn.k_norm.weight": w(hd),
            p + "mlp.gate_proj.weight": w(hidden, d),
            p + "mlp.up_proj.weight": w(hidden, d),
            p + "mlp.down_proj.weight": w(d, hidden),
            p + "input_layernorm.weight": w(d),
            p + "post_attention_layernorm.weight": w(d),
            p + "pre_feedforward_layernorm.weight": w(d),
            p + "post_feedforward_layernorm.weight": w(d),
        }
    return tensors


def write_hf_gemma3_checkpoint(directory: Path, drop: str | None = None) -> dict[str, Any]:
    """config.json, model.safetensors and a locally trained byte-level BPE tokenizer.json."""
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    corpus = [sft_row(i, *q)["text"] for i, q in enumerate(QUESTIONS)]
    trainer = trainers.BpeTrainer(
        vocab_size=320,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    tokenizer.save(str(directory / "tokenizer.json"))
    config = {
        **TINY_HF_GEMMA3,
        "vocab_size": tokenizer.get_vocab_size(),
        "pad_token_id": tokenizer.token_to_id("<pad>"),
        "eos_token_id": tokenizer.token_to_id("<eos>"),
        "bos_token_id": tokenizer.token_to_id("<bos>"),
    }
    (directory / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    tensors = hf_gemma3_tensors(config)
    if drop:
        tensors.pop(drop)
    save_file(tensors, str(directory / "model.safetensors"))
    return tensors
