"""Loading a Hugging Face-format checkpoint puts each saved tensor where Tunix expects it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.helpers import write_hf_gemma3_checkpoint

pytestmark = pytest.mark.tunix


def test_local_gemma3_weights_land_in_the_model(tmp_path: Path) -> None:
    import numpy as np

    from tunix_rt.training.models import load_local_checkpoint

    saved = write_hf_gemma3_checkpoint(tmp_path / "ckpt")
    loaded = load_local_checkpoint(tmp_path / "ckpt")
    model = loaded.model
    np.testing.assert_allclose(
        np.asarray(model.embedder.input_embedding[...]), saved["model.embed_tokens.weight"]
    )
    # HF stores q_proj as [heads * head_dim, hidden]; Tunix keeps [heads, hidden, head_dim].
    q = saved["model.layers.1.self_attn.q_proj.weight"].T.reshape(64, 2, 32).transpose(1, 0, 2)
    np.testing.assert_allclose(np.asarray(model.layers[1].attn.q_einsum.w[...]), q)
    assert loaded.family == "gemma3"
    assert loaded.tokenizer.bos_id is not None
    assert loaded.tokenizer.encode("<start_of_turn>user") == loaded.tokenizer.encode(
        "<start_of_turn>"
    ) + loaded.tokenizer.encode("user")
