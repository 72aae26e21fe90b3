"""The one settings object. Every knob has a laptop default, a bound and a doc line."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KIB = 1024
MIB = 1024 * KIB


class Settings(BaseSettings):
    """Configuration read from the environment (and `.env` when present)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: Annotated[
        str,
        Field(
            description="SQLAlchemy async URL: sqlite+aiosqlite:///... or postgresql+asyncpg://..."
        ),
    ] = "sqlite+aiosqlite:///./data/tunix_rt.db"
    db_pool_size: Annotated[int, Field(ge=1, le=50, description="PostgreSQL pool size")] = 5
    db_max_overflow: Annotated[int, Field(ge=0, le=50, description="PostgreSQL pool overflow")] = 10
    db_pool_timeout: Annotated[
        float, Field(ge=1, le=300, description="Seconds to wait for a PostgreSQL connection")
    ] = 30
    trace_max_bytes: Annotated[
        int, Field(ge=KIB, le=10 * MIB, description="Largest accepted trace request body, bytes")
    ] = MIB
    tunix_rt_output_root: Annotated[
        Path, Field(description="Folder under which every run gets its output directory")
    ] = Path("./data/runs")
    tunix_run_timeout_seconds: Annotated[
        float, Field(gt=0, le=7 * 24 * 3600, description="Longest a local run may take")
    ] = 1800
    tunix_run_log_max_bytes: Annotated[
        int, Field(ge=KIB, le=16 * MIB, description="stdout/stderr kept per run in the registry")
    ] = 64 * KIB
    tunix_runner_module: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
            description="Python module run as the training child process",
        ),
    ] = "tunix_rt.training.sft"
    tunix_runner_script: Annotated[
        Path | None,
        Field(
            description="A Python script run instead of tunix_runner_module, with the same "
            "arguments (the tests' stand-in runner)"
        ),
    ] = None
    tunix_python: Annotated[
        str | None, Field(description="Python that runs training; defaults to the server's own")
    ] = None
    tunix_status_cache_seconds: Annotated[
        float, Field(ge=0, le=3600, description="How long a Tunix availability check is reused")
    ] = 30

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def training_python(self) -> str:
        """The interpreter that runs (and is probed for) Tunix training."""
        return self.tunix_python or sys.executable


@lru_cache
def get_settings() -> Settings:
    return Settings()
