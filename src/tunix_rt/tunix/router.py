"""Tunix endpoints (filled in by the Tunix work)."""

from fastapi import APIRouter

router = APIRouter(prefix="/tunix", tags=["tunix"])
