"""Input the runner refuses fails fast with a message and exit code 2, before loading JAX."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from tests.training.helpers import run_runner, write_run_dir

# Far below the tens of seconds that importing JAX and Tunix and training would take.
FAST_SECONDS = 8


class TestRefusedInput:
    def test_hub_model_id_fails_fast(self, tmp_path: Path) -> None:
        started = time.monotonic()
        result = run_runner(write_run_dir(tmp_path, model_id="google/gemma-2b-it"), timeout=60)
        assert time.monotonic() - started < FAST_SECONDS
        assert result.returncode == 2
        assert "google/gemma-2b-it" in result.stderr
        assert "tiny-gemma3" in result.stderr  # the message names what works instead
        assert "Traceback" not in result.stderr
        assert result.stdout == ""

    def test_invalid_config_names_the_field(self, tmp_path: Path) -> None:
        result = run_runner(write_run_dir(tmp_path, batch_size=0, learning_rate="fast"), 60)
        assert result.returncode == 2
        assert "batch_size" in result.stderr
        assert "learning_rate" in result.stderr
        assert "Traceback" not in result.stderr

    def test_unknown_field_is_refused(self, tmp_path: Path) -> None:
        result = run_runner(write_run_dir(tmp_path, epochs=3), timeout=60)
        assert result.returncode == 2
        assert "epochs" in result.stderr

    def test_yaml_that_does_not_parse(self, tmp_path: Path) -> None:
        path = write_run_dir(tmp_path)
        path.write_text("model_id: [unclosed\n")
        result = run_runner(path, timeout=60)
        assert result.returncode == 2
        assert "not valid YAML" in result.stderr

    def test_missing_dataset_file(self, tmp_path: Path) -> None:
        path = write_run_dir(tmp_path, dataset_path="missing.jsonl")
        result = run_runner(path, timeout=60)
        assert result.returncode == 2
        assert "missing.jsonl does not exist" in result.stderr

    def test_dataset_path_is_relative_to_the_config(self, tmp_path: Path) -> None:
        path = write_run_dir(tmp_path / "run", dataset_path="../elsewhere.jsonl")
        (tmp_path / "elsewhere.jsonl").write_text("not json\n")
        result = run_runner(path, timeout=60)
        assert result.returncode == 2
        assert "elsewhere.jsonl line 1: not JSON" in result.stderr

    def test_missing_config_file(self, tmp_path: Path) -> None:
        result = run_runner(tmp_path / "manifest.yaml", timeout=60)
        assert result.returncode == 2
        assert "does not exist" in result.stderr

    def test_model_directory_without_checkpoint(self, tmp_path: Path) -> None:
        empty = tmp_path / "empty-model"
        empty.mkdir()
        path = write_run_dir(tmp_path / "run", model_id=str(empty))
        assert yaml.safe_load(path.read_text())["model_id"] == str(empty)
        result = run_runner(path, timeout=60)
        assert result.returncode == 2
        assert "not a Hugging Face checkpoint" in result.stderr
