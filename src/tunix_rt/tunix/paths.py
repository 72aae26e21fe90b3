"""Where a run writes: always a folder inside TUNIX_RT_OUTPUT_ROOT."""

from __future__ import annotations

import uuid
from pathlib import Path

from tunix_rt.errors import Unprocessable


def resolve_output_dir(root: Path, given: str | None, run_id: uuid.UUID) -> Path:
    """The run's output folder, absolute; a requested folder must stay inside the root.

    Resolution follows symlinks that already exist, so a link pointing out of the root is
    refused like `..` is. Touches the filesystem: call it from a worker thread.
    """
    base = root.expanduser().resolve()
    if given is None:
        return base / str(run_id)
    requested = Path(given)
    if requested.is_absolute() or given.startswith("~"):
        raise Unprocessable(
            f"output_dir {given!r} must be a folder relative to the output root {base}"
        )
    target = (base / requested).resolve()
    if target == base or not target.is_relative_to(base):
        raise Unprocessable(f"output_dir {given!r} leads outside the output root {base}")
    return target


def holds_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())
