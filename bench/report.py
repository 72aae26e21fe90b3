"""Targets checked against the figures, and the Markdown tables of bench/results/."""

from __future__ import annotations

from typing import Any

LIST_SHAPES = [
    "list: first page",
    "list: status",
    "list: mode",
    "list: dataset_key",
    "list: dataset_key+status",
    "list: all filters",
]
HEALTH_RATIO_MAX = 3.0
GROWTH_MAX = 1.5
KEYSET_FLAT_MAX = 1.5
DRY_RUN_P95_MAX_MS = 100.0
LOCAL_OVERHEAD_MAX = 1.15
BUSY_HEALTH_MAX = 3.0


def _target(name: str, value: float, limit: float) -> dict[str, Any]:
    return {"target": name, "value": round(value, 3), "limit": limit, "met": value <= limit}


def targets(results: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for dialect, data in results["dialects"].items():
        checks: list[dict[str, Any]] = []
        sizes = sorted(data["sizes"], key=int)
        small, large = data["sizes"][sizes[0]]["reads"], data["sizes"][sizes[-1]]["reads"]
        health, small_health = large["health"]["p95"], small["health"]["p95"]
        for shape in [*LIST_SHAPES, "detail"]:
            p95 = large[shape]["p95"]
            checks.append(
                _target(f"{shape} p95 ÷ health p95 at {sizes[-1]}", p95 / health, HEALTH_RATIO_MAX)
            )
            # Growth compares ×health figures: the sizes are measured minutes apart, and on a
            # shared machine the floor itself moves between them.
            growth = _target(
                f"{shape} (p95 ÷ health) at {sizes[-1]} ÷ same at {sizes[0]}",
                (p95 / health) / (small[shape]["p95"] / small_health),
                GROWTH_MAX,
            )
            growth["raw_p95_growth"] = round(p95 / small[shape]["p95"], 3)
            checks.append(growth)
        first = large["list: first page"]["p95"]
        for shape in ("list: deep cursor", "list: cursor at middle"):
            checks.append(
                _target(
                    f"{shape} p95 ÷ first page p95 at {sizes[-1]}",
                    large[shape]["p95"] / first,
                    KEYSET_FLAT_MAX,
                )
            )
        if "dry_run" in data:
            checks.append(
                _target("dry-run p95 ms (1,000 traces)", data["dry_run"]["p95"], DRY_RUN_P95_MAX_MS)
            )
        if "local_run" in data:
            local = data["local_run"]
            checks.append(
                _target(
                    "local run wall time: API ÷ direct runner (medians)",
                    local["overhead_ratio"],
                    LOCAL_OVERHEAD_MAX,
                )
            )
            health_by = local["health"]
            if "api run" in health_by and "idle" in health_by:
                checks.append(
                    _target(
                        "health p95 during a local run ÷ idle",
                        health_by["api run"]["p95"] / health_by["idle"]["p95"],
                        BUSY_HEALTH_MAX,
                    )
                )
        out[dialect] = checks
    return out


def _size_label(size: str) -> str:
    n = int(size)
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Run registry benchmark",
        "",
        f"Command: `{results['command']}`  ",
        f"Started {results['started']}, finished {results.get('finished', '?')}; "
        f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"{results['machine']['platform']}; load average at start "
        f"{results['machine']['load_at_start']['load1']}.",
        "",
        "Latencies in ms over HTTP on loopback (one keep-alive client, requests round-robin over "
        "the shapes); ×h = p95 ÷ the health p95 of the same size.",
    ]
    for dialect, data in results["dialects"].items():
        sizes = sorted(data["sizes"], key=int)
        lines += ["", f"## {dialect}", ""]
        header = (
            "| request | "
            + " | ".join(f"{_size_label(s)}: p50 / p95 / p99 (×h)" for s in sizes)
            + " |"
        )
        lines += [header, "|---|" + "---|" * len(sizes)]
        for shape in data["sizes"][sizes[0]]["reads"]:
            cells = []
            for size in sizes:
                stats = data["sizes"][size]["reads"][shape]
                health = data["sizes"][size]["reads"]["health"]["p95"]
                cells.append(
                    f"{stats['p50']:.2f} / {stats['p95']:.2f} / {stats['p99']:.2f} "
                    f"({stats['p95'] / health:.1f})"
                )
            lines.append(f"| {shape} | " + " | ".join(cells) + " |")
        cells = []
        for size in sizes:
            stats = data["sizes"][size]["offset_middle"]
            cells.append(
                f"{stats['p50']:.2f} / {stats['p95']:.2f} / {stats['p99']:.2f} (n={stats['n']})"
            )
        lines.append("| list: offset at middle (contrast) | " + " | ".join(cells) + " |")
        lines += [
            "",
            "Deep pages start after "
            + ", ".join(f"{data['sizes'][s]['deep_depth']:,}" for s in sizes)
            + " runs; the middle after "
            + ", ".join(f"{data['sizes'][s]['middle_depth']:,}" for s in sizes)
            + " runs. Seeding took "
            + ", ".join(f"{data['sizes'][s]['seed_seconds']} s" for s in sizes)
            + " (each size adds to the previous). Load average (1 min) before/after reads: "
            + ", ".join(
                f"{data['sizes'][s]['load_before']['load1']}/{data['sizes'][s]['load_after']['load1']}"
                for s in sizes
            )
            + ".",
        ]
        if "dry_run" in data:
            d = data["dry_run"]
            lines += [
                "",
                f"Dry-run on a {d['traces']:,}-trace dataset (n={d['n']}): "
                f"p50 {d['p50']:.1f} ms, p95 {d['p95']:.1f} ms, p99 {d['p99']:.1f} ms.",
            ]
        if "local_run" in data:
            r = data["local_run"]
            lines += [
                "",
                f"Local run (tiny-gemma3, {r['steps']} steps, 64 traces), wall seconds — "
                f"through the API: {r['api_seconds']} (median {r['api_median_s']}); "
                f"runner invoked directly: {r['direct_seconds']} (median {r['direct_median_s']}); "
                f"ratio **{r['overhead_ratio']}**.",
                "",
                "| /api/health while | n | p50 | p95 | p99 |",
                "|---|---|---|---|---|",
            ]
            for phase, s in r["health"].items():
                lines.append(
                    f"| {phase} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} |"
                )
    lines += [
        "",
        "## Targets",
        "",
        "Growth rows: (p95 ÷ health p95) at the largest size over the same at the smallest; "
        "the raw p95 growth is in brackets.",
        "",
        "| database | target | value | limit | met |",
        "|---|---|---|---|---|",
    ]
    for dialect, checks in results.get("targets", {}).items():
        for check in checks:
            raw = f" (raw {check['raw_p95_growth']})" if "raw_p95_growth" in check else ""
            lines.append(
                f"| {dialect} | {check['target']} | {check['value']}{raw} | "
                f"{check['limit']} | {'yes' if check['met'] else '**no**'} |"
            )
    lines += ["", "## Query plans at the largest size", ""]
    for dialect, data in results["dialects"].items():
        largest = sorted(data["sizes"], key=int)[-1]
        lines += [f"### {dialect}, {int(largest):,} runs", ""]
        for shape, plan in data["sizes"][largest]["plans"].items():
            verdict = "; ".join(plan["problems"]) or "index in list order, no sort"
            lines += [
                f"- **{shape}** — {verdict}",
                "",
                "  ```",
                *(f"  {line}" for line in plan["plan"]),
                "  ```",
                "",
            ]
    return "\n".join(lines) + "\n"
