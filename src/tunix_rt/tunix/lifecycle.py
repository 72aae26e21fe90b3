"""What the Tunix domain does when the server starts."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.db import session_scope
from tunix_rt.settings import Settings
from tunix_rt.tunix.registry import fail_stale_runs

logger = logging.getLogger(__name__)


async def on_startup(factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """Close out runs a previous server left `running`: their child died with it."""
    try:
        async for session in session_scope(factory):
            stale = await fail_stale_runs(session, settings.tunix_run_log_max_bytes)
    except Exception as exc:  # an unreachable database must not stop the server starting
        logger.warning("could not check for interrupted Tunix runs: %s", exc)
        return
    if stale:
        logger.warning("marked %d interrupted Tunix run(s) as failed: %s", len(stale), stale)
