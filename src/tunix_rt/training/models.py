"""Builds the model to train: the built-in tiny Gemma 3, or a local Hugging Face checkpoint.

Imports JAX and Tunix, so only the runner's training path imports this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
from flax import nnx
from tunix.models.dummy_model_creator import create_dummy_model
from tunix.models.gemma3 import model as gemma3

from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.tokenizer import ByteTokenizer, HfTokenizer, Tokenizer

# CPU training: bfloat16 is slower than float32 there and loses precision for no gain.
DTYPE = jnp.float32


@dataclass
class LoadedModel:
    model: nnx.Module
    tokenizer: Tokenizer
    family: str


def tiny_gemma3_config(vocab_size: int) -> Any:
    """Two layers, width 64: big enough to learn a byte pattern, small enough for seconds."""
    return gemma3.ModelConfig(
        num_layers=2,
        num_embed=vocab_size,
        embed_dim=64,
        hidden_dim=128,
        num_heads=2,
        head_dim=32,
        num_kv_heads=1,
        sliding_window_size=512,
        param_dtype=DTYPE,
    )


def build_tiny_gemma3(seed: int) -> LoadedModel:
    tokenizer = ByteTokenizer()
    config = tiny_gemma3_config(tokenizer.vocab_size)
    model = create_dummy_model(gemma3.Gemma3, config, dtype=DTYPE, random_seed=seed)
    return LoadedModel(model, tokenizer, "gemma3")


def _gemma3_config(hf: dict[str, Any]) -> Any:
    heads = hf["num_attention_heads"]
    head_dim = hf.get("head_dim") or hf["hidden_size"] // heads
    scalar = hf.get("query_pre_attn_scalar", head_dim)
    norm = gemma3.QueryPreAttentionNormalisation
    rope_scaling = hf.get("rope_scaling") or {}
    return gemma3.ModelConfig(
        num_layers=hf["num_hidden_layers"],
        num_embed=hf["vocab_size"],
        embed_dim=hf["hidden_size"],
        hidden_dim=hf["intermediate_size"],
        num_heads=heads,
        head_dim=head_dim,
        num_kv_heads=hf.get("num_key_value_heads", heads),
        sliding_window_size=hf.get("sliding_window"),
        local_base_frequency=int(hf.get("rope_local_base_freq", 10_000)),
        global_base_frequency=int(hf.get("rope_theta", 1_000_000)),
        global_scale_factor=float(rope_scaling.get("factor", 1.0)),
        query_pre_attn_norm=(
            norm.BY_ONE_OVER_SQRT_HEAD_DIM
            if scalar == head_dim
            else norm.BY_ONE_OVER_SQRT_EMBED_DIM_DIV_NUM_HEADS
        ),
        param_dtype=DTYPE,
    )


def _common_fields(hf: dict[str, Any]) -> dict[str, Any]:
    """The fields Tunix's Llama 3 and Qwen configs share, read from a HF config.json."""
    heads = hf["num_attention_heads"]
    return {
        "num_layers": hf["num_hidden_layers"],
        "vocab_size": hf["vocab_size"],
        "embed_dim": hf["hidden_size"],
        "hidden_dim": hf["intermediate_size"],
        "num_heads": heads,
        "head_dim": hf.get("head_dim") or hf["hidden_size"] // heads,
        "num_kv_heads": hf.get("num_key_value_heads", heads),
        "rope_theta": int(hf.get("rope_theta", 10_000)),
        "norm_eps": float(hf.get("rms_norm_eps", 1e-6)),
    }


def _model_and_loader(family: str, hf: dict[str, Any]) -> tuple[Any, Any]:
    """Tunix's config for the family and its create_model_from_safe_tensors function."""
    if family == "gemma3":
        from tunix.models.gemma3 import params_safetensors

        return _gemma3_config(hf), params_safetensors.create_model_from_safe_tensors
    tied = bool(hf.get("tie_word_embeddings", False))
    if family == "llama3":
        from tunix.models.llama3 import model as llama3
        from tunix.models.llama3 import params as llama3_params

        config = llama3.ModelConfig(**_common_fields(hf), weight_tying=tied)
        return config, llama3_params.create_model_from_safe_tensors
    if family == "qwen2":
        from tunix.models.qwen2 import model as qwen2
        from tunix.models.qwen2 import params as qwen2_params

        config = qwen2.ModelConfig(**_common_fields(hf), use_tied_embedding=tied)
        return config, qwen2_params.create_model_from_safe_tensors
    from tunix.models.qwen3 import model as qwen3
    from tunix.models.qwen3 import params as qwen3_params

    config = qwen3.ModelConfig(**_common_fields(hf), use_tied_embedding=tied)
    return config, qwen3_params.create_model_from_safe_tensors


# Hugging Face `model_type` values and the Tunix family that loads them.
FAMILIES = {
    "gemma3": "gemma3",
    "gemma3_text": "gemma3",
    "llama": "llama3",
    "qwen2": "qwen2",
    "qwen3": "qwen3",
}


def load_local_checkpoint(checkpoint_dir: Path) -> LoadedModel:
    """Reads config.json, maps it to Tunix's config, loads *.safetensors with Tunix's loader."""
    try:
        hf = json.loads((checkpoint_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RunnerInputError(f"cannot read {checkpoint_dir}/config.json: {exc}") from exc
    model_type = str(hf.get("model_type", ""))
    family = FAMILIES.get(model_type)
    if family is None:
        known = ", ".join(sorted(FAMILIES))
        raise RunnerInputError(
            f"{checkpoint_dir}: model_type {model_type!r} is not one the runner loads ({known})"
        )
    # Multimodal Gemma 3 checkpoints nest the language model's settings.
    text = {**hf, **hf["text_config"]} if isinstance(hf.get("text_config"), dict) else hf
    tokenizer = HfTokenizer(checkpoint_dir, text)
    try:
        config, create = _model_and_loader(family, text)
    except (KeyError, TypeError, ValueError) as exc:
        raise RunnerInputError(f"{checkpoint_dir}/config.json is incomplete: {exc}") from exc
    try:
        model = create(file_dir=str(checkpoint_dir), config=config, dtype=DTYPE)
    except (AssertionError, ValueError, RuntimeError, AttributeError, TypeError) as exc:
        # Tunix's loader fails this way on missing or misshapen tensors.
        raise RunnerInputError(f"cannot load weights from {checkpoint_dir}: {exc}") from exc
    missing = [
        ".".join(str(getattr(k, "key", k)) for k in path)
        for path, leaf in jax.tree_util.tree_leaves_with_path(nnx.state(model, nnx.Param))
        if not isinstance(leaf, jax.Array)
    ]
    if missing:
        raise RunnerInputError(
            f"{checkpoint_dir} lacks weights for {len(missing)} parameters, e.g. {missing[0]}"
        )
    return LoadedModel(model, tokenizer, family)
