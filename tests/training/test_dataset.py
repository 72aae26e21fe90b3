"""Reading, tokenising, masking and batching the tunix_sft JSONL (no JAX needed)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.training.helpers import sft_row, write_dataset
from tunix_rt.training.dataset import (
    SftExample,
    batch_indices,
    encode_all,
    encode_example,
    make_batch,
    read_jsonl,
    sequence_length,
)
from tunix_rt.training.errors import RunnerInputError
from tunix_rt.training.tokenizer import ByteTokenizer

BYTES = ByteTokenizer()


class TestReadJsonl:
    def test_reads_every_exported_line(self, tmp_path: Path) -> None:
        rows = write_dataset(tmp_path / "d.jsonl", copies=1)
        examples = read_jsonl(tmp_path / "d.jsonl")
        assert [e.id for e in examples] == [r["id"] for r in rows]
        assert examples[0].completion == "2+3 = 5\n5<end_of_turn>"

    def test_names_the_bad_line(self, tmp_path: Path) -> None:
        path = tmp_path / "d.jsonl"
        path.write_text(json.dumps(sft_row(0, "q", ["s"], "a")) + "\n{not json\n")
        with pytest.raises(RunnerInputError, match="line 2: not JSON"):
            read_jsonl(path)

    def test_requires_a_completion(self, tmp_path: Path) -> None:
        path = tmp_path / "d.jsonl"
        path.write_text(json.dumps({"prompt": "p", "completion": ""}) + "\n")
        with pytest.raises(RunnerInputError, match="line 1: needs string fields"):
            read_jsonl(path)

    def test_empty_file_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "d.jsonl").write_text("\n")
        with pytest.raises(RunnerInputError, match="holds no examples"):
            read_jsonl(tmp_path / "d.jsonl")

    def test_missing_file_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(RunnerInputError, match="does not exist"):
            read_jsonl(tmp_path / "nope.jsonl")


class TestEncodeExample:
    def test_loss_only_on_completion_and_eos(self) -> None:
        example = SftExample("1", "Q: hi\n", "A: yo")
        encoded = encode_example(BYTES, example, max_len=100)
        assert encoded.tokens == [BYTES.bos_id, *b"Q: hi\n", *b"A: yo", BYTES.eos_id]
        scored = [t for t, m in zip(encoded.tokens, encoded.loss_mask, strict=True) if m]
        assert scored == [*b"A: yo", BYTES.eos_id]

    def test_truncates_to_max_len(self) -> None:
        encoded = encode_example(BYTES, SftExample("1", "prompt", "completion"), max_len=10)
        assert len(encoded.tokens) == len(encoded.loss_mask) == 10
        assert sum(encoded.loss_mask) == 3  # bos + 6 prompt bytes leave room for "com"

    def test_refuses_when_every_completion_is_cut_off(self) -> None:
        with pytest.raises(RunnerInputError, match="max_seq_length 8 cuts off every"):
            encode_all(BYTES, [SftExample("1", "a long prompt", "x")], max_len=8)

    def test_refuses_ids_outside_the_vocabulary(self) -> None:
        small = ByteTokenizer(vocab_size=100)
        with pytest.raises(RunnerInputError, match="outside the model's vocabulary"):
            encode_all(small, [SftExample("1", "p", "zzz")], max_len=50)


class TestBatching:
    def test_pads_to_the_longest_example(self) -> None:
        examples = [SftExample("1", "ab", "c"), SftExample("2", "abcd", "efg")]
        encoded = encode_all(BYTES, examples, max_len=64)
        length = sequence_length(encoded)
        batch = make_batch(encoded, [0, 1], length, BYTES.pad_id)
        assert length == 9
        assert batch.tokens[0][-4:] == [BYTES.pad_id] * 4
        assert batch.valid_mask[0] == [1] * 5 + [0] * 4
        assert batch.loss_mask[0] == [0, 0, 0, 1, 1, 0, 0, 0, 0]
        assert batch.valid_mask[1] == [1] * 9

    def test_every_epoch_covers_every_example_in_full_batches(self) -> None:
        steps = list(batch_indices(10, 4, seed=3, steps=6))  # two epochs of three batches
        assert all(len(b) == 4 for b in steps)
        for epoch in (steps[:3], steps[3:]):
            assert set().union(*epoch) == set(range(10))
        assert steps[:3] != steps[3:]  # reshuffled

    def test_same_seed_same_order_other_seed_other_order(self) -> None:
        first = list(batch_indices(20, 4, seed=1, steps=5))
        assert first == list(batch_indices(20, 4, seed=1, steps=5))
        assert first != list(batch_indices(20, 4, seed=2, steps=5))

    def test_fewer_examples_than_batch_size_repeat(self) -> None:
        (only,) = list(batch_indices(3, 8, seed=0, steps=1))
        assert len(only) == 8
        assert Counter(only).keys() == {0, 1, 2}

    def test_stops_at_the_step_count(self) -> None:
        assert len(list(batch_indices(5, 2, seed=0, steps=7))) == 7
