"""The one error the runner reports as bad input (exit code 2) rather than as a crash."""

from __future__ import annotations


class RunnerInputError(Exception):
    """The config, dataset or model directory cannot be used; the message says why."""
