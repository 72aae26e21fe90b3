"""Input the runner refuses fails fast with a message and exit code 2, before loading JAX."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from tests.training.helpers import run_runner, write_run_dir

# Exit status of a stand-in `jax` package: importing it at all ends the process.
JAX_IMPORTED = 97


def env_without_jax(tmp_path: Path) -> dict[str, str]:
    """An environment whose `jax` ends the process, so refusing before loading JAX is visible."""
    poison = tmp_path / "poison" / "jax"
    poison.mkdir(parents=True)
    (poison / "__init__.py").write_text(f"import os\nos._exit({JAX_IMPORTED})\n")
    path = os.pathsep.join(filter(None, [str(poison.parent), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


class TestRefusedInput:
    def test_hub_model_id_is_refused_before_loading_jax(self, tmp_path: Path) -> None:
        config = write_run_dir(tmp_path / "run", model_id="google/gemma-2b-it")
        result = run_runner(config, timeout=60, env=env_without_jax(tmp_path))
        assert result.returncode == 2, "the runner loaded JAX before refusing the model id"
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
