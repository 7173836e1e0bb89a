"""Read API benchmark: handler latency vs raw SQL, queries per request, cold-start imports.

Run: .venv/bin/python -m benchmarks.api [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from alpha_monday.db import batches as batch_sql
from alpha_monday.db import connection as db_connection
from alpha_monday_local.lambda_context import LocalLambdaContext
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


def import_ms(path: Path, repeat: int = 5) -> float:
    """Median wall time of importing a handler file in a fresh interpreter."""
    script = (
        "import importlib.util, time\n"
        "t = time.perf_counter()\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(path)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "print((time.perf_counter() - t) * 1000)\n"
    )
    environment = {**os.environ, "DATABASE_URL": "postgresql://unused/unused"}
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                check=True,
                env=environment,
            ).stdout
        )
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
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

    print("\ncold start: import time of each handler file in a fresh interpreter (median of 5)")
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO_HANDLER)
        print(f"{'bare Powertools hello handler':<40} {import_ms(hello):>7.1f} ms")
    for name in sorted({r.function_name for r in routes}):
        path, _ = handler_file(properties[name])
        print(f"{name:<40} {import_ms(path):>7.1f} ms")


if __name__ == "__main__":
    main()
