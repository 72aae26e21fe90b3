"""What the Tunix domain does when the server starts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tunix_rt.settings import Settings


async def on_startup(factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """Placeholder: stale-run reconciliation lands with the run registry."""
    return None
