"""Read API benchmark: handler latency vs raw SQL, queries per request, cold-start imports.

Run: .venv/bin/python -m benchmarks.api [--requests 300] [--python python3.13 ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from alpha_monday.db import batches as batch_sql
from alpha_monday.db import connection as db_connection
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.layer_build import build_layer, runtime_python
from alpha_monday_local.query_counter import CountingCursor, statements_during
from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import (
    api_routes,
    functions,
    handler_file,
    load_handler,
    load_template,
)
from benchmarks.seed import fresh_bench_database, seed_year

HELLO_HANDLER = """
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
app = APIGatewayRestResolver()

@app.get("/hello")
def hello():
    return {"hello": "world"}

def lambda_handler(event, context):
    return app.resolve(event, context)
"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def import_ms(handler: Path, layer: Path, python: str, repeat: int = 7) -> float:
    """Median wall time of importing a handler file in a fresh interpreter, the layer on its
    path as Lambda puts /opt/python, writing no bytecode (-B: /opt is read-only)."""
    script = (
        "import importlib.util, time\n"
        "t = time.perf_counter()\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(handler)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "print((time.perf_counter() - t) * 1000)\n"
    )
    environment = {"DATABASE_URL": "postgresql://unused/unused", "PYTHONPATH": str(layer)}
    runs = [
        float(
            subprocess.run(
                [python, "-B", "-c", script],
                capture_output=True,
                text=True,
                check=True,
                env=environment,
            ).stdout
        )
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def shipped_layers(folder: Path, python: str) -> tuple[Path, Path]:
    """The layer as `sam build` makes it, for this machine's CPU (x86_64 wheels, the same
    requirements and compile step), and the same without any bytecode."""
    platform = f"manylinux2014_{os.uname().machine}"
    with_bytecode = build_layer(folder / "layer", platform=platform, python=python)
    without = folder / "layer-without-bytecode"
    shutil.copytree(with_bytecode, without, ignore=shutil.ignore_patterns("__pycache__"))
    return with_bytecode, without


def cold_start(routes: list[Any], properties: dict[str, Any], python: str) -> None:
    print(f"\ncold start with {python}: import of each handler file in a fresh interpreter,")
    print("the shipped layer on the path, no writable bytecode cache (median of 7)")
    with tempfile.TemporaryDirectory() as folder:
        layer, bare_layer = shipped_layers(Path(folder), python)
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO_HANDLER)
        base = import_ms(hello, layer, python)
        base_without = import_ms(hello, bare_layer, python)
        print(f"{'handler':<32} {'bytecode':>9} {'ratio':>6} {'without':>9} {'ratio':>6}")
        print(f"{'bare Powertools hello handler':<32} {base:>7.1f}ms {1:>6.2f} "
              f"{base_without:>7.1f}ms {1:>6.2f}")  # fmt: skip
        for name in sorted({r.function_name for r in routes} - {"DashboardFunction"}):
            path, _ = handler_file(properties[name])
            with_pyc = import_ms(path, layer, python)
            without = import_ms(path, bare_layer, python)
            print(f"{name:<32} {with_pyc:>7.1f}ms {with_pyc / base:>6.2f} "
                  f"{without:>7.1f}ms {without / base_without:>6.2f}")  # fmt: skip
        size = sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) / 1e6
        bare = sum(f.stat().st_size for f in bare_layer.rglob("*") if f.is_file()) / 1e6
        print(f"layer size: {size:.0f} MB with bytecode, {bare:.0f} MB without")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--python",
        action="append",
        help="an interpreter to measure the cold start with (repeatable; default python3.11)",
    )
    args = parser.parse_args()

    url = fresh_bench_database()
    os.environ["DATABASE_URL"] = url
    with psycopg.connect(url, autocommit=True) as conn:
        seed_year(conn)
        row = conn.execute("SELECT id FROM batches ORDER BY run_date LIMIT 1 OFFSET 26").fetchone()
        assert row is not None
        some_batch_id = row[0]
    # The handlers' warm connection, counting the statements it sends.
    db_connection._connection = psycopg.connect(url, autocommit=True, cursor_factory=CountingCursor)

    raw_queries: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "/latest": [
            (batch_sql._BATCH_WITH_PICKS_SQL, {"batch_id": None}),
            (batch_sql._CHECKPOINTS_SQL, {"batch_id": some_batch_id}),
        ],
        "/batches?limit=20": [
            (batch_sql._PAGE_SQL, {"before": None, "limit": 21}),
            (batch_sql._LATEST_COMPUTED_SQL, {"batch_ids": [some_batch_id] * 20}),
        ],
        f"/batches/{some_batch_id}": [
            (batch_sql._BATCH_WITH_PICKS_SQL, {"batch_id": some_batch_id}),
            (batch_sql._CHECKPOINTS_SQL, {"batch_id": some_batch_id}),
        ],
        "/health": [("SELECT 1", {})],
    }

    template = load_template()
    routes = api_routes(template)
    properties = functions(template)
    print(f"read API, {args.requests} requests per route, 52 seeded batches, in-process")
    print(f"{'route':<52} {'p50 ms':>7} {'p95 ms':>7} {'raw p50':>8} {'ratio':>6} {'queries':>8}")
    with psycopg.connect(url, autocommit=True) as raw:
        for path, statements in raw_queries.items():
            route = next(r for r in routes if r.pattern.match(path.split("?")[0]))
            handler = load_handler(properties[route.function_name])
            event = proxy_event("GET", path, {}, route, b"")
            context = LocalLambdaContext(route.function_name, "bench")

            def call(handler: Any = handler, event: Any = event, context: Any = context) -> None:
                result = handler(event, context)
                assert result["statusCode"] == 200, result

            call()  # warm
            p50, p95 = percentiles(timed(call, args.requests))

            def run_raw(statements: Any = statements) -> None:
                for sql, params in statements:
                    raw.execute(sql, params).fetchall()

            raw_p50, _ = percentiles(timed(run_raw, args.requests))
            queries = statements_during(call)
            label = path if len(path) < 50 else path[:47] + "..."
            print(
                f"{label:<52} {p50:>7.2f} {p95:>7.2f} {raw_p50:>8.2f} "
                f"{p50 / raw_p50:>6.1f} {queries:>8}"
            )

    for python in args.python or [runtime_python()]:
        cold_start(routes, properties, python)


if __name__ == "__main__":
    main()
