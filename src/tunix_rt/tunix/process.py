"""The training child process: started without a shell, in its own process group, waited for
in a worker thread, and killed with everything it spawned when it outlives its timeout.

Output goes straight to files, so a child printing megabytes costs the server no memory and
can never block on a full pipe.

If the server itself dies (SIGKILL, OOM killer), the child gets SIGKILL from the kernel
(parent-death signal); whatever it spawned carries the run id in its environment, so the next
start-up finds and stops it (`stop_leftovers`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Time a child gets to exit after SIGTERM before the whole group is SIGKILLed.
KILL_GRACE_SECONDS = 5.0
# Set in the child's environment, and so inherited by everything it starts: the one mark a
# leftover process of a run keeps after its parent, the runner, has died.
RUN_ID_ENV = "TUNIX_RT_RUN_ID"
# Rounds of scanning for leftovers: each catches what the previous round's victims forked.
LEFTOVER_SCAN_ROUNDS = 5
_PR_SET_PDEATHSIG = 1


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
    """Blocking: run `argv` to completion or timeout. Call it through a worker thread.

    The calling thread must stay alive as long as the child: the kernel sends the parent-death
    signal when the *thread* that forked exits, not the process. This function blocks until
    the child has exited, so that holds for every caller.
    """
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
            preexec_fn=_die_with_parent(),
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


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking the kernel to SIGKILL the child when the server dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    # Resolved here, in the parent: the hook runs between fork and exec, where it should do as
    # little as possible (no imports, no allocation-heavy work).
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()
    sigkill = int(signal.SIGKILL)

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        # The server may have died between fork and prctl; then nothing would signal us.
        if os.getppid() != parent:
            os._exit(1)

    return hook


def stop_leftovers(run_ids: Collection[str]) -> dict[str, list[int]]:
    """SIGKILL every process still carrying one of these run ids; returns the pids, per run.

    For runs a dead server left behind: the runner itself died with the server, but a process
    it started may live on. Matching the environment (not a pid file) cannot hit an unrelated
    process that happens to reuse a pid. Linux /proc only; elsewhere nothing is found.
    """
    wanted = {f"{RUN_ID_ENV}={run_id}".encode(): run_id for run_id in run_ids}
    stopped: dict[str, list[int]] = {}
    for _ in range(LEFTOVER_SCAN_ROUNDS):
        found = [(pid, run_id) for pid, run_id in _processes_with(wanted) if pid != os.getpid()]
        if not found:
            break
        for pid, run_id in found:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                stopped.setdefault(run_id, []).append(pid)
        time.sleep(0.05)
    return stopped


def _processes_with(wanted: Mapping[bytes, str]) -> list[tuple[int, str]]:
    matches = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                variables = handle.read().split(b"\0")
        except OSError:  # gone, or another user's process
            continue
        for variable in variables:
            run_id = wanted.get(variable)
            if run_id is not None:
                matches.append((int(entry), run_id))
                break
    return matches
