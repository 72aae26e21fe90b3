"""The real runner in a child process, training tiny models with Tunix on the CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.helpers import RunResult, run_runner, write_hf_gemma3_checkpoint, write_run_dir

pytestmark = pytest.mark.tunix

STEPS = 8


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """One tiny-gemma3 run shared by the checks below (each run costs seconds of CPU)."""
    return run_runner(write_run_dir(tmp_path_factory.mktemp("tiny") / "run", max_steps=STEPS))


class TestTinyGemma3Run:
    def test_exits_zero_with_one_line_per_step(self, tiny_run: RunResult) -> None:
        assert tiny_run.returncode == 0, tiny_run.stderr
        assert [line.split()[1] for line in tiny_run.step_lines] == [
            str(i) for i in range(1, STEPS + 1)
        ]

    def test_loss_falls(self, tiny_run: RunResult) -> None:
        losses = tiny_run.losses
        assert losses[-1] < losses[0] - 0.5, losses

    def test_ends_with_json_summary(self, tiny_run: RunResult) -> None:
        summary = tiny_run.summary
        assert summary["steps"] == STEPS
        assert summary["final_loss"] == pytest.approx(tiny_run.losses[-1], abs=1e-4)
        assert summary["first_loss"] == pytest.approx(tiny_run.losses[0], abs=1e-4)
        assert summary["duration_seconds"] > 0
        assert summary["model_id"] == "tiny-gemma3"

    def test_writes_orbax_checkpoint_for_last_step(self, tiny_run: RunResult) -> None:
        checkpoints = tiny_run.output_dir / "checkpoints"
        assert (checkpoints / str(STEPS) / "model_params").is_dir()
        assert Path(tiny_run.summary["checkpoint_dir"]) == checkpoints.resolve()

    def test_same_seed_gives_same_losses(self, tiny_run: RunResult, tmp_path: Path) -> None:
        again = run_runner(write_run_dir(tmp_path / "again", max_steps=STEPS))
        assert again.returncode == 0, again.stderr
        assert again.step_lines == tiny_run.step_lines

    def test_refuses_to_resume_into_used_output_dir(self, tiny_run: RunResult) -> None:
        result = run_runner(tiny_run.output_dir / "manifest.yaml", timeout=60)
        assert result.returncode == 2
        assert "already holds checkpoints" in result.stderr


class TestLocalCheckpointRun:
    def test_hf_gemma3_checkpoint_loads_and_trains(self, tmp_path: Path) -> None:
        checkpoint = tmp_path / "gemma3-tiny-hf"
        write_hf_gemma3_checkpoint(checkpoint)
        result = run_runner(write_run_dir(tmp_path / "run", model_id=str(checkpoint)))
        assert result.returncode == 0, result.stderr
        assert len(result.losses) == STEPS
        assert result.losses[-1] < result.losses[0]
        # BPE merges make the sequences far shorter than the byte-level ones.
        assert result.summary["sequence_length"] < 60
        assert (tmp_path / "run" / "checkpoints" / str(STEPS)).is_dir()
