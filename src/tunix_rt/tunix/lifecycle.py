"""What the Tunix domain does when the server starts."""

from __future__ import annotations

import logging
import uuid

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.db import session_scope
from tunix_rt.settings import Settings
from tunix_rt.tunix.logs import truncate_bytes
from tunix_rt.tunix.models import TunixRun
from tunix_rt.tunix.process import stop_leftovers
from tunix_rt.tunix.registry import fail_stale_runs

logger = logging.getLogger(__name__)


async def on_startup(factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """Close out runs a previous server left `running`, and stop what their child left alive."""
    try:
        async for session in session_scope(factory):
            stale = await fail_stale_runs(session, settings.tunix_run_log_max_bytes)
            if stale:
                await _stop_leftovers(session, stale, settings.tunix_run_log_max_bytes)
    except Exception as exc:  # an unreachable database must not stop the server starting
        logger.warning("could not check for interrupted Tunix runs: %s", exc)
        return
    if stale:
        logger.warning("marked %d interrupted Tunix run(s) as failed: %s", len(stale), stale)


async def _stop_leftovers(
    session: AsyncSession, stale: list[uuid.UUID], log_max_bytes: int
) -> None:
    """The runner died with the server, but a process it started may still be training."""
    stopped = await anyio.to_thread.run_sync(stop_leftovers, {str(i) for i in stale})
    for run_id, pids in stopped.items():
        logger.warning("stopped leftover processes %s of interrupted run %s", pids, run_id)
        run = await session.get(TunixRun, uuid.UUID(run_id))
        if run is None:
            continue
        line = (
            f"Processes of this run were still alive at start-up and have been stopped "
            f"(pids {', '.join(map(str, sorted(pids)))})."
        )
        run.stderr = truncate_bytes(f"{run.stderr}{line}\n".encode(), log_max_bytes)
