"""Dataset endpoints (filled in by the datasets work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/datasets", tags=["datasets"])
