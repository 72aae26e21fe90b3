"""Scoring criteria: pure functions of a trace payload."""

from __future__ import annotations

from typing import Any

STEP_TARGET = 10
CHARS_TARGET = 500


def baseline(payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """0–100: half for reaching 10 steps, half for steps averaging 500 characters."""
    steps = payload.get("steps") or []
    count = len(steps)
    avg_chars = sum(len(s.get("content", "")) for s in steps) / count if count else 0.0
    step_part = min(count / STEP_TARGET, 1.0) * 50
    length_part = min(avg_chars / CHARS_TARGET, 1.0) * 50
    details = {
        "step_count": count,
        "avg_step_chars": round(avg_chars, 2),
        "step_score": round(step_part, 4),
        "length_score": round(length_part, 4),
    }
    return round(step_part + length_part, 4), details
