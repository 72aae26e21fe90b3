"""Liveness plus a real round trip to the database."""

from __future__ import annotations

import logging
from typing import Literal

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from tunix_rt.deps import SessionFactoryDep

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])

HEALTH_DB_TIMEOUT_SECONDS = 5


class Health(BaseModel):
    status: Literal["healthy", "unhealthy"]
    database: str


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database cannot be reached"}},
)
async def health(factory: SessionFactoryDep) -> Health | JSONResponse:
    """Whether the service and its database answer."""
    try:
        # A database that accepts connections but never answers must not hang the check.
        with anyio.fail_after(HEALTH_DB_TIMEOUT_SECONDS):
            async with factory() as session:
                await session.execute(text("SELECT 1"))
    except TimeoutError:
        logger.warning(
            "health check: no answer from the database in %s s", HEALTH_DB_TIMEOUT_SECONDS
        )
        body = Health(
            status="unhealthy",
            database=f"no answer from the database within {HEALTH_DB_TIMEOUT_SECONDS} s",
        )
        return JSONResponse(body.model_dump(), status_code=503)
    except Exception as exc:  # any failure to reach the database is the answer, not an error
        logger.warning("health check failed: %s", exc)
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()
        body = Health(status="unhealthy", database=reason.rstrip(": "))
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="healthy", database="ok")
