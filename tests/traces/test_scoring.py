"""The baseline criterion, as a pure function."""

from __future__ import annotations

import pytest

from tunix_rt.traces.scoring import baseline


def _payload(step_count: int, chars: int) -> dict[str, object]:
    return {"steps": [{"i": n, "type": "t", "content": "c" * chars} for n in range(step_count)]}


class TestBaseline:
    @pytest.mark.parametrize(
        ("steps", "chars", "expected"),
        [(1, 1, 5.1), (10, 500, 100.0), (20, 5000, 100.0), (5, 500, 75.0), (10, 100, 60.0)],
    )
    def test_formula(self, steps: int, chars: int, expected: float) -> None:
        score, details = baseline(_payload(steps, chars))
        assert score == pytest.approx(expected)
        assert details["step_score"] + details["length_score"] == pytest.approx(expected)
        assert details["step_count"] == steps

    def test_empty_steps_score_zero(self) -> None:
        assert baseline({"steps": []})[0] == 0.0
