"""In-process checks of the Tunix-facing pieces: checkpoint loading and the loss/attention masks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.helpers import write_hf_gemma3_checkpoint
from tunix_rt.training.dataset import SftExample, encode_all, make_batch
from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.tokenizer import ByteTokenizer

pytestmark = pytest.mark.tunix


class TestLoadLocalCheckpoint:
    def test_saved_weights_land_where_tunix_expects_them(self, tmp_path: Path) -> None:
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

    def test_missing_tensor_is_reported_as_bad_input(self, tmp_path: Path) -> None:
        from tunix_rt.training.models import load_local_checkpoint

        write_hf_gemma3_checkpoint(tmp_path / "ckpt", drop="model.layers.1.mlp.up_proj.weight")
        with pytest.raises(RunnerInputError, match="ckpt"):
            load_local_checkpoint(tmp_path / "ckpt")

    def test_unknown_model_type_is_refused(self, tmp_path: Path) -> None:
        from tunix_rt.training.models import load_local_checkpoint

        write_hf_gemma3_checkpoint(tmp_path / "ckpt")
        config = tmp_path / "ckpt" / "config.json"
        config.write_text(config.read_text().replace("gemma3_text", "mamba"))
        with pytest.raises(RunnerInputError, match="model_type 'mamba'"):
            load_local_checkpoint(tmp_path / "ckpt")


def test_prompt_is_attended_but_only_completion_is_scored() -> None:
    import numpy as np

    from tunix_rt.training.trainer import model_inputs, to_arrays

    tokenizer = ByteTokenizer()
    encoded = encode_all(tokenizer, [SftExample("1", "ab", "c"), SftExample("2", "abcd", "e")], 64)
    inputs = model_inputs(to_arrays(make_batch(encoded, [0, 1], 7, tokenizer.pad_id)))
    # Row 0 is [bos a b c eos pad pad]: only "c" and eos are scored.
    np.testing.assert_array_equal(inputs["input_mask"][0], [0, 0, 0, 1, 1, 0, 0])
    attention = np.asarray(inputs["attention_mask"][0])
    # The last real token sees bos and the whole prompt, never the padding.
    np.testing.assert_array_equal(attention[4], [1, 1, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(np.asarray(inputs["positions"][0][:5]), [0, 1, 2, 3, 4])
