"""Tokenizers: the built-in byte one, and a checkpoint's tokenizer.json read offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.tokenizer import ByteTokenizer, HfTokenizer


def test_byte_tokenizer_round_trips_utf8() -> None:
    tokenizer = ByteTokenizer()
    text = "<start_of_turn>user\n√2 ≈ 1.414<end_of_turn>"
    ids = tokenizer.encode(text)
    assert max(ids) < 256 < tokenizer.vocab_size
    # Specials are not bytes, so decoding drops them.
    assert tokenizer.decode([tokenizer.bos_id or 0, *ids, tokenizer.eos_id or 0]) == text
    assert len({tokenizer.pad_id, tokenizer.bos_id, tokenizer.eos_id}) == 3


def test_hf_tokenizer_takes_special_ids_from_config(tmp_path: Path) -> None:
    pytest.importorskip("tokenizers")
    from tests.training.helpers import write_hf_gemma3_checkpoint

    write_hf_gemma3_checkpoint(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    tokenizer = HfTokenizer(tmp_path, config)
    assert (tokenizer.bos_id, tokenizer.eos_id, tokenizer.pad_id) == (
        config["bos_token_id"],
        config["eos_token_id"],
        config["pad_token_id"],
    )
    assert tokenizer.vocab_size == config["vocab_size"]
    # The chat markers are single tokens, and no BOS is slipped in by the tokenizer itself.
    assert len(tokenizer.encode("<start_of_turn>")) == 1
    assert config["bos_token_id"] not in tokenizer.encode("What is 2+3?")


def test_hf_tokenizer_needs_tokenizer_json(tmp_path: Path) -> None:
    with pytest.raises(RunnerInputError, match=r"has no tokenizer\.json"):
        HfTokenizer(tmp_path, {})
