"""`make bench`: seed the run registry, serve it, and measure it over HTTP on each database.

    python -m bench.run                       # 10k, 200k, 1M runs on SQLite and PostgreSQL
    python -m bench.run --quick               # 2k and 10k runs, fewer requests: a smoke run
    python -m bench.run --sizes 10000,200000 --dialects sqlite --requests 300

Writes bench/results/latest.json (every figure, the query plans) and latest.md (the tables).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shlex
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench import measure, report
from bench.plans import explain, plan_problems
from bench.seed import Seeder, create_database, drop_database, seed_postgres, seed_sqlite
from bench.server import Serve
from tunix_rt import migrations
from tunix_rt.db import create_engine
from tunix_rt.settings import Settings
from tunix_rt.tunix.registry import RunCursor, list_runs_query

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
RESULTS = Path(__file__).with_name("results")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,200000,1000000", help="runs to seed, ascending")
    parser.add_argument("--dialects", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per shape")
    parser.add_argument("--dry-runs", type=int, default=50, help="timed dry-runs (1,000 traces)")
    parser.add_argument("--local-runs", type=int, default=3, help="API and direct runs each")
    parser.add_argument("--local-steps", type=int, default=20, help="max_steps of a local run")
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG),
        help="PostgreSQL server to create (and drop) the scratch database on",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "latest", help="path without suffix")
    parser.add_argument("--quick", action="store_true", help="2k/10k runs, 50 requests, 1 run")
    parser.add_argument(
        "--render", type=Path, help="only rewrite the Markdown (and targets) of this results JSON"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.requests, args.dry_runs, args.local_runs = "2000,10000", 50, 10, 1
    args.sizes = sorted(int(s) for s in str(args.sizes).split(","))
    args.dialects = [d.strip() for d in str(args.dialects).split(",")]
    return args


def load() -> dict[str, float]:
    one, five, fifteen = os.getloadavg()
    return {"load1": round(one, 2), "load5": round(five, 2), "load15": round(fifteen, 2)}


async def capture_plans(url: str, size: int) -> dict[str, Any]:
    """EXPLAIN of each list shape the bench measures, from the query the API runs."""
    engine = create_engine(Settings(database_url=url))
    shapes: dict[str, dict[str, Any]] = {
        "first page": {},
        "status": {"status": measure.FILTER_VALUES["status"]},
        "mode": {"mode": measure.FILTER_VALUES["mode"]},
        "dataset_key": {"dataset_key": measure.FILTER_VALUES["dataset_key"]},
        "dataset_key+status": {
            "dataset_key": measure.FILTER_VALUES["dataset_key"],
            "status": "timeout",
        },
        "all filters": dict(measure.FILTER_VALUES),
    }
    # A cursor in the middle of the table: the rows after it are half of it.
    middle = RunCursor(
        started_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=size * 9 // 20),
        run_id=uuid.UUID(int=0),
    )
    plans: dict[str, Any] = {}
    try:
        async with engine.connect() as conn:
            for name, filters in shapes.items():
                for label, extra in (("", {}), (" + cursor", {"after": middle})):
                    lines = await explain(conn, list_runs_query(limit=20, **filters, **extra))
                    plans[name + label] = {
                        "plan": lines,
                        "problems": plan_problems(engine.dialect.name, lines),
                    }
    finally:
        await engine.dispose()
    return plans


def bench_dialect(dialect: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    name = f"tunix_rt_bench_{os.getpid()}"
    if dialect == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    else:
        url = asyncio.run(create_database(args.pg_admin_url, name))
    out: dict[str, Any] = {"sizes": {}}
    try:
        migrations.upgrade(url)
        seeder = Seeder()
        for size in args.sizes:
            started = time.perf_counter()
            if dialect == "sqlite":
                seed_sqlite(url, seeder, size - seeder.seeded)
            else:
                asyncio.run(seed_postgres(url, seeder, size - seeder.seeded))
            seeded_s = time.perf_counter() - started
            print(f"[{dialect}] {size} runs seeded in {seeded_s:.1f} s", flush=True)
            result: dict[str, Any] = {
                "seed_seconds": round(seeded_s, 1),
                "deep_depth": measure.deep_depth(size),
                "middle_depth": size // 2,
            }
            result["plans"] = asyncio.run(capture_plans(url, size))
            server = Serve(url, folder)
            try:
                with httpx.Client(base_url=server.url, timeout=300) as http:
                    result["load_before"] = load()
                    shapes = measure.read_shapes(http, size, seeder.sample_ids)
                    result["reads"] = measure.measure_reads(http, shapes, args.requests)
                    result["offset_middle"] = {
                        "offset": size // 2,
                        **measure.measure_offset(http, size // 2, max(10, args.requests // 10)),
                    }
                    result["load_after"] = load()
                    print(f"[{dialect}] {size} reads measured", flush=True)
                    if size == args.sizes[-1]:
                        out.update(bench_runs(http, args, folder, dialect))
            finally:
                server.stop()
            out["sizes"][str(size)] = result
    finally:
        if dialect == "postgresql":
            asyncio.run(drop_database(args.pg_admin_url, name))
    return out


def bench_runs(
    http: httpx.Client, args: argparse.Namespace, folder: Path, dialect: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    key = measure.make_dataset(http, 1000, f"bench-dry-{dialect}")
    out["dry_run"] = {"traces": 1000, **measure.measure_dry_runs(http, key, args.dry_runs)}
    print(f"[{dialect}] dry-runs measured", flush=True)
    if args.local_runs:
        small = measure.make_dataset(http, 64, f"bench-local-{dialect}")
        out["load_before_local"] = load()
        out["local_run"] = measure.measure_local_runs(
            http, small, args.local_runs, args.local_steps, folder / "direct"
        )
        out["load_after_local"] = load()
        print(f"[{dialect}] local runs measured", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text())
        results["targets"] = report.targets(results)
        args.render.write_text(json.dumps(results, indent=2) + "\n")
        args.render.with_suffix(".md").write_text(report.markdown(results))
        return 0
    command = "python -m bench.run " + shlex.join(argv if argv is not None else sys.argv[1:])
    results: dict[str, Any] = {
        "command": command.strip(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_at_start": load(),
        },
        "settings": {
            "sizes": args.sizes,
            "requests": args.requests,
            "dry_runs": args.dry_runs,
            "local_runs": args.local_runs,
            "local_steps": args.local_steps,
        },
        "dialects": {},
    }
    for dialect in args.dialects:
        with tempfile.TemporaryDirectory(prefix=f"tunix-rt-bench-{dialect}-") as tmp:
            results["dialects"][dialect] = bench_dialect(dialect, args, Path(tmp))
    results["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results["targets"] = report.targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(report.markdown(results))
    print(report.markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
