"""The training child process: started without a shell, in its own process group, waited for
in a worker thread, and killed with everything it spawned when it outlives its timeout.

Output goes straight to files, so a child printing megabytes costs the server no memory and
can never block on a full pipe.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Time a child gets to exit after SIGTERM before the whole group is SIGKILLed.
KILL_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class ChildOutcome:
    returncode: int
    timed_out: bool

    @property
    def signal_name(self) -> str | None:
        """The signal that killed the child, if one did (Popen reports it as -signum)."""
        if self.returncode >= 0:
            return None
        try:
            return signal.Signals(-self.returncode).name
        except ValueError:
            return f"signal {-self.returncode}"


def run_child(
    argv: Sequence[str],
    *,
    cwd: Path,
    stdout_path: Path,
    stderr_path: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> ChildOutcome:
    """Blocking: run `argv` to completion or timeout. Call it through a worker thread."""
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        child = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            # Its own session and process group: the timeout kills grandchildren too, and a
            # Ctrl-C meant for the server does not reach the run.
            start_new_session=True,
        )
    try:
        timed_out = not _exited(child.pid, timeout)
        if timed_out:
            _signal_group(child.pid, signal.SIGTERM)
            _exited(child.pid, KILL_GRACE_SECONDS)
    finally:
        # The leader is exited but not yet reaped, so its pid (the group id) cannot have been
        # reused: this SIGKILL reaches only what the run left behind, grandchildren included.
        _signal_group(child.pid, signal.SIGKILL)
        returncode = child.wait()
    return ChildOutcome(returncode, timed_out=timed_out)


def _exited(pid: int, timeout: float) -> bool:
    """Whether `pid` exits within `timeout` seconds; leaves it unreaped (a zombie) either way."""
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.1)


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
