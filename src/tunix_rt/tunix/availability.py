"""Whether Tunix is installed in the Python that runs training.

Asked of that interpreter in a short child process: importing Tunix (and JAX) into the server
would cost seconds and hundreds of megabytes, and the training Python may not be the server's.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass

import anyio

from tunix_rt.tunix.schemas import TunixStatus

INSTALL_HINT = "install it with `make install` or `uv sync --extra tunix`"
PROBE_TIMEOUT_SECONDS = 30

# find_spec locates the package without importing it (and so without loading JAX).
_PROBE = """
import importlib.metadata, importlib.util, json
found = importlib.util.find_spec("tunix") is not None
version = None
if found:
    try:
        version = importlib.metadata.version("google-tunix")
    except importlib.metadata.PackageNotFoundError:
        pass
print(json.dumps({"found": found, "version": version}))
"""


@dataclass(frozen=True)
class _Cached:
    status: TunixStatus
    at: float


_cache: dict[str, _Cached] = {}


def clear_cache() -> None:
    _cache.clear()


def _probe(python: str) -> TunixStatus:
    try:
        done = subprocess.run(
            [python, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return TunixStatus(
            available=False,
            version=None,
            message=f"The training Python {python} could not be run ({exc}); "
            "set TUNIX_PYTHON to a working interpreter",
        )
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return TunixStatus(
            available=False,
            version=None,
            message=f"The training Python {python} did not answer the Tunix check "
            f"(exit code {done.returncode}): {done.stderr.strip()[-500:]}",
        )
    if not answer.get("found"):
        return TunixStatus(
            available=False,
            version=None,
            message=f"Tunix is not installed in {python}; {INSTALL_HINT}. "
            "Dry-runs, exports and manifests work without it.",
        )
    version = answer.get("version")
    return TunixStatus(
        available=True,
        version=version,
        message=f"Tunix {version or '(unknown version)'} is installed in {python}",
    )


async def tunix_status(python: str, ttl_seconds: float) -> TunixStatus:
    """The (briefly cached) answer for `python`; the probe runs in a worker thread."""
    cached = _cache.get(python)
    now = time.monotonic()
    if cached is not None and now - cached.at < ttl_seconds:
        return cached.status
    status = await anyio.to_thread.run_sync(_probe, python)
    _cache[python] = _Cached(status, time.monotonic())
    return status
