"""Bulk-seed the run registry straight into the database: realistic rows, no HTTP, no ORM.

SQLite: stdlib sqlite3 executemany in large transactions, durability off while seeding only
(the server is stopped then and sets its own pragmas when it connects). PostgreSQL: COPY.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.schema import CreateIndex

from tunix_rt.tunix.models import TunixRun

LOG_CAP = 64 * 1024
DATASET_KEYS = [f"bench-ds-{k:03d}-v1" for k in range(100)]
STATUSES = ["completed"] * 14 + ["failed"] * 5 + ["timeout"]
BATCH = 50_000
# Runs are spread one second apart; every tenth shares its start time with the one before.
BASE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
COLUMNS = [
    "run_id",
    "dataset_key",
    "model_id",
    "mode",
    "status",
    "exit_code",
    "started_at",
    "completed_at",
    "duration_seconds",
    "stdout",
    "stderr",
    "output_dir",
    "message",
    "config",
    "created_at",
]


def _capped_log(rng: random.Random) -> str:
    """A training log cut to the cap the way the registry cuts it: head, marker, tail."""
    lines = [f"step {i} loss {rng.uniform(0.1, 3.0):.4f}" for i in range(1, 4000)]
    text = "\n".join(lines)
    half = (LOG_CAP - 64) // 2
    return f"{text[:half]}\n[... 9437184 bytes truncated ...]\n{text[-half:]}"


@dataclass
class Seeder:
    """Generates rows in seeded-random order; remembers a sample of ids for detail requests."""

    seed: int = 7
    seeded: int = 0
    sample_ids: list[uuid.UUID] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311  (reproducible test data)
        self.capped = _capped_log(self.rng)
        local_lines = [f"step {i} loss {2.5 - i * 0.01:.4f}" for i in range(1, 41)]
        self.local_log = "\n".join(local_lines) + '\n{"steps": 40, "final_loss": 2.1}\n'
        self.dry_log = (
            "[ok] dataset: exists with 1000 traces\n[ok] tunix_sft export: 1000 lines\n"
            "[ok] manifest: 212 bytes of runner config rendered\n"
            "[ok] model: 'tiny-gemma3' can be loaded by the runner\nDry run passed.\n"
        )
        self.config = json.dumps(
            {
                "learning_rate": 2e-5,
                "num_epochs": 3,
                "batch_size": 8,
                "max_seq_length": 2048,
                "max_steps": 40,
                "seed": 0,
                "timeout_seconds": 1800.0,
            }
        )

    def rows(self, count: int) -> Iterator[list[tuple[Any, ...]]]:
        """`count` more rows, newer than every row seeded so far, in batches."""
        rng = self.rng
        batch: list[tuple[Any, ...]] = []
        for i in range(self.seeded, self.seeded + count):
            run_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            started = BASE + dt.timedelta(seconds=i - i // 10)
            mode = "local" if rng.random() < 0.4 else "dry_run"
            status = rng.choice(STATUSES)
            if rng.random() < 0.002:
                stdout = self.capped  # a long local run, cut at the cap
            else:
                stdout = self.local_log if mode == "local" else self.dry_log
            stderr = "" if status == "completed" else "error: the runner exited with code 1\n"
            duration = rng.uniform(0.05, 0.3) if mode == "dry_run" else rng.uniform(10, 600)
            batch.append(
                (
                    run_id,
                    rng.choice(DATASET_KEYS),
                    "tiny-gemma3",
                    mode,
                    status,
                    0 if status == "completed" else 1,
                    started,
                    started + dt.timedelta(seconds=duration),
                    duration,
                    stdout,
                    stderr,
                    f"/srv/tunix-rt/runs/{run_id}",
                    "Run finished",
                    self.config,
                    started,
                )
            )
            if rng.random() < 0.001 and len(self.sample_ids) < 2000:
                self.sample_ids.append(run_id)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch
        self.seeded += count


def _index_ddl(dialect: Dialect) -> list[tuple[str, str]]:
    """(DROP, CREATE) for each list index, as the models (and the migrations) define them."""
    return [
        (f"DROP INDEX IF EXISTS {ix.name}", str(CreateIndex(ix).compile(dialect=dialect)))
        for ix in sorted(TunixRun.__table__.indexes, key=lambda ix: str(ix.name))
    ]


def _sqlite_time(value: dt.datetime) -> str:
    # How UTCDateTime stores time on SQLite: naive UTC text that sorts lexically.
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def seed_sqlite(url: str, seeder: Seeder, count: int) -> None:
    path = make_url(url).database
    assert path
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB: index pages stay in memory
        # Building each index once after the insert is several times faster than updating
        # six of them row by row; the result is the same index.
        ddl = _index_ddl(sqlite_dialect.dialect())
        for drop, _ in ddl:
            conn.execute(drop)
        placeholders = ", ".join("?" for _ in COLUMNS)
        sql = f"INSERT INTO tunix_runs ({', '.join(COLUMNS)}) VALUES ({placeholders})"
        for batch in seeder.rows(count):
            rows = [
                (
                    r[0].hex,
                    *r[1:6],
                    _sqlite_time(r[6]),
                    _sqlite_time(r[7]),
                    *r[8:14],
                    _sqlite_time(r[14]),
                )
                for r in batch
            ]
            with conn:
                conn.executemany(sql, rows)
        for _, create in ddl:
            conn.execute(create)
        conn.commit()
    finally:
        conn.close()


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL as a plain DSN asyncpg accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def seed_postgres(url: str, seeder: Seeder, count: int) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        ddl = _index_ddl(pg_dialect.dialect())
        for drop, _ in ddl:
            await conn.execute(drop)
        for batch in seeder.rows(count):
            await conn.copy_records_to_table("tunix_runs", records=batch, columns=COLUMNS)
        await conn.execute("SET maintenance_work_mem = '256MB'")
        for _, create in ddl:
            await conn.execute(create)
        # What autovacuum would soon do on a live server; the planner needs the statistics.
        await conn.execute("ANALYZE tunix_runs")
    finally:
        await conn.close()


async def create_database(admin_url: str, name: str) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
