"""Read API benchmark: handler latency vs raw SQL, queries per request, cold-start imports.

Run: .venv/bin/python -m benchmarks.api [--requests 300] [--python python3.13 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from alpha_monday.db import batches as batch_sql
from alpha_monday.db import connection as db_connection
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.layer_build import build_dashboard, build_layer, runtime_python
from alpha_monday_local.query_counter import CountingCursor, statements_during
from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import (
    ApiRoute,
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

# The same handler with what every read needs: a resolver that validates (as the read API's
# does), a pydantic model at the boundary and the psycopg driver. No read handler can start
# faster than this: it is the floor the read functions are measured against.
FLOOR_HANDLER = """
import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel
app = APIGatewayRestResolver(enable_validation=True)

class Hello(BaseModel):
    hello: str

@app.get("/hello")
def hello() -> Hello:
    return Hello(hello="world")

def lambda_handler(event, context):
    return app.resolve(event, context)
"""

PAGES = "DashboardFunction"
HEALTH = "HealthFunction"
FLOOR = "floor: validating resolver + pydantic + psycopg"
# The bar, each function's first response against the floor's (docs/scale.md).
TARGET = {"json": 1.15, "pages": 1.40}

# Runs in a fresh interpreter: import the handler file, then answer one request, as a cold
# Lambda does; prints both times (ms) since the import began.
COLD_START_SCRIPT = """
import importlib.util, json, sys, time
class Context:
    function_name = "bench"
    aws_request_id = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:bench"
event = json.loads(sys.stdin.read())
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
imported = time.perf_counter()
response = module.lambda_handler(event, Context())
answered = time.perf_counter()
assert response["statusCode"] == 200, response
print(json.dumps([(imported - started) * 1000, (answered - started) * 1000]))
"""


@dataclass(frozen=True)
class Measured:
    label: str
    handler: Path
    event: dict[str, Any]
    # Empty the answer store before each run: the answer is rendered, not served stored.
    forget: bool = False


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


def cold_start_once(
    handler: Path, event: dict[str, Any], layer: Path, python: str, database_url: str
) -> tuple[float, float]:
    """Milliseconds to import a handler file in a fresh interpreter, and to that plus its
    first response: its own folder and the layer on the path as Lambda puts /var/task and
    /opt/python, writing no bytecode (-B: both are read-only)."""
    ran = subprocess.run(
        [python, "-B", "-c", COLD_START_SCRIPT, str(handler)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        check=True,
        env={"DATABASE_URL": database_url, "PYTHONPATH": f"{handler.parent}{os.pathsep}{layer}"},
    )
    imported, answered = json.loads(ran.stdout.splitlines()[-1])
    return float(imported), float(answered)


def shipped_layer(folder: Path, python: str) -> Path:
    """The layer as `sam build` makes it, for this machine's CPU (x86_64 wheels, the same
    requirements, compile step and release file)."""
    return build_layer(
        folder / "layer", platform=f"manylinux2014_{os.uname().machine}", python=python
    )


def forget_stored_answers(url: str) -> None:
    """Empty the answer store, as the next write does for every answer it changes."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM stored_answers")


def import_times(handler: Path, layer: Path, python: str, database_url: str) -> dict[str, int]:
    """Each module a fresh interpreter imports for `handler`, with its own import time (us),
    from `python -X importtime` on the same path as a cold start."""
    ran = subprocess.run(
        [python, "-B", "-X", "importtime", "-c", "import app"],
        capture_output=True,
        text=True,
        check=True,
        cwd=handler.parent,
        env={"DATABASE_URL": database_url, "PYTHONPATH": f"{handler.parent}{os.pathsep}{layer}"},
    )
    own: dict[str, int] = {}
    for line in ran.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            self_us, _, name = line.removeprefix("import time:").split("|")
            own[name.strip()] = int(self_us)
    return own


def where_the_time_goes(
    measured: list[tuple[str, Path, dict[str, Any]]], layer: Path, python: str, url: str
) -> None:
    """Per handler, the modules it imports beyond the floor's, grouped by package (a module's
    own time, medians of three runs: -X importtime itself adds overhead, the ranking holds)."""
    floor_path = next(path for label, path, _ in measured if label == FLOOR)
    floor = set(import_times(floor_path, layer, python, url))
    print("\nwhere the import time goes beyond the floor (python -X importtime, own time):")
    for label, path, _ in measured:
        if label in (FLOOR, "bare Powertools handler"):
            continue
        runs = [import_times(path, layer, python, url) for _ in range(3)]
        extra: dict[str, list[int]] = {}
        for run in runs:
            for name, micros in run.items():
                if name not in floor:
                    extra.setdefault(name, []).append(micros)
        by_package: dict[str, float] = {}
        for name, samples in extra.items():
            package = ".".join(name.split(".")[:2])
            by_package[package] = by_package.get(package, 0.0) + statistics.median(samples)
        top = sorted(by_package.items(), key=lambda item: -item[1])[:6]
        shown = ", ".join(f"{package} {micros / 1000:.1f}" for package, micros in top)
        print(f"  {label:<22} {sum(by_package.values()) / 1000:>5.1f} ms in {len(extra):>3} "
              f"modules: {shown}")  # fmt: skip


def cold_start(
    requests: dict[str, tuple[ApiRoute, str]],
    properties: dict[str, Any],
    python: str,
    url: str,
    *,
    rounds: int,
    explain: bool,
) -> None:
    print(f"\ncold start with {python}: a fresh interpreter imports the handler file and")
    print("answers its first request; the shipped layer on the path, no writable bytecode")
    print(f"cache (medians of {rounds} rounds; each ratio is to the floor measured the same way,")
    print("in the same round)")
    print("Each read function twice: 'stored', the answer is in the answer store (a path")
    print("some container answered since the last write); 'rendered', the store is empty (the")
    print("first request after a write, or a path with a query) and the routes render it")
    with tempfile.TemporaryDirectory() as folder:
        layer = shipped_layer(Path(folder), python)
        hello_route = ApiRoute("GET", "/hello", "hello")
        hello_event = proxy_event("GET", "/hello", {}, hello_route, b"")
        measured: list[Measured] = []
        for label, text in (("bare Powertools handler", HELLO_HANDLER), (FLOOR, FLOOR_HANDLER)):
            handler = Path(folder) / f"handler-{len(measured)}" / "app.py"
            handler.parent.mkdir()
            handler.write_text(text)
            measured.append(Measured(label, handler, hello_event))
        # The pages' function as `sam build` makes it: its handler beside Jinja2 and the
        # compiled templates.
        pages = build_dashboard(
            Path(folder) / "dashboard",
            platform=f"manylinux2014_{os.uname().machine}",
            python=python,
        )
        for name, (route, route_path) in sorted(requests.items()):
            event = proxy_event("GET", route_path, {}, route, b"")
            handler = pages / "app.py" if name == PAGES else handler_file(properties[name])[0]
            if name == HEALTH:  # never stored: it asks the database each time
                measured.append(Measured(name, handler, event))
                continue
            # Rendered first: it keeps the answer the stored run then finds.
            measured.append(Measured(f"{name} rendered", handler, event, forget=True))
            measured.append(Measured(f"{name} stored", handler, event))
        # Interleaved rounds, every handler once per round, and each ratio taken within
        # its round: a machine that slows down mid-run moves the baseline with it.
        samples: dict[str, list[tuple[float, float]]] = {run.label: [] for run in measured}
        for _ in range(rounds):
            for run in measured:
                if run.forget:
                    forget_stored_answers(url)
                samples[run.label].append(
                    cold_start_once(run.handler, run.event, layer, python, url)
                )
        print(
            f"{'handler':<48} {'import':>9} {'ratio':>5} {'1st response':>12} {'ratio':>5}  target"
        )
        floor = samples[FLOOR]
        for label, runs in samples.items():
            medians = [statistics.median(run[i] for run in runs) for i in range(2)]
            ratios = [
                statistics.median(run[i] / low[i] for run, low in zip(runs, floor, strict=True))
                for i in range(2)
            ]
            bar = TARGET["pages"] if label.startswith(PAGES) else TARGET["json"]
            verdict = (
                ""
                if label in (FLOOR, "bare Powertools handler")
                else (f"<= {bar:.2f} {'met' if ratios[1] <= bar else 'MISSED'}")
            )
            print(f"{label:<48} {medians[0]:>7.1f}ms {ratios[0]:>5.2f} "
                  f"{medians[1]:>10.1f}ms {ratios[1]:>5.2f}  {verdict}")  # fmt: skip
        size = sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) / 1e6
        print(f"layer size: {size:.0f} MB")
        if explain:
            # An import is the same whichever way the answer comes: the routes' modules are
            # imported when the first answer is rendered, inside the first response.
            where_the_time_goes(
                [(run.label, run.handler, run.event) for run in measured if not run.forget],
                layer,
                python,
                url,
            )


def warm_latency(
    url: str,
    some_batch_id: object,
    routes: list[ApiRoute],
    properties: dict[str, Any],
    requests: int,
) -> None:
    """Each JSON route answered in-process, warm, against the same statements run raw."""
    # The handlers' warm connection, counting the statements it sends.
    db_connection._connection = psycopg.connect(url, autocommit=True, cursor_factory=CountingCursor)

    raw_queries: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "/latest": [
            (batch_sql._BATCH_WITH_PICKS_SQL, {"batch_id": None, "run_date": None}),
            (batch_sql._CHECKPOINTS_SQL, {"batch_id": some_batch_id}),
        ],
        "/batches?limit=20": [
            (batch_sql._PAGE_SQL, {"before": None, "limit": 20}),
        ],
        f"/batches/{some_batch_id}": [
            (batch_sql._BATCH_WITH_PICKS_SQL, {"batch_id": some_batch_id, "run_date": None}),
            (batch_sql._CHECKPOINTS_SQL, {"batch_id": some_batch_id}),
        ],
        "/health": [("SELECT 1", {})],
    }

    print(f"read API, {requests} requests per route, 52 seeded batches, in-process")
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
            p50, p95 = percentiles(timed(call, requests))

            def run_raw(statements: Any = statements) -> None:
                for sql, params in statements:
                    raw.execute(sql, params).fetchall()

            raw_p50, _ = percentiles(timed(run_raw, requests))
            queries = statements_during(call)
            label = path if len(path) < 50 else path[:47] + "..."
            print(
                f"{label:<52} {p50:>7.2f} {p95:>7.2f} {raw_p50:>8.2f} "
                f"{p50 / raw_p50:>6.1f} {queries:>8}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=9, help="cold-start rounds (default 9)")
    parser.add_argument(
        "--cold-start-only", action="store_true", help="skip the warm latency table"
    )
    parser.add_argument(
        "--no-importtime", action="store_true", help="skip the -X importtime breakdown"
    )
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
    template = load_template()
    routes = api_routes(template)
    properties = functions(template)
    if not args.cold_start_only:
        warm_latency(url, some_batch_id, routes, properties, args.requests)

    # One request per read function; the pages' function answers its dashboard.
    requests = {
        route.function_name: (route, route.path.replace("{batch_id}", str(some_batch_id)))
        for route in routes
        if route.method == "GET" and (route.function_name != PAGES or route.path == "/")
    }
    for python in args.python or [runtime_python()]:
        cold_start(
            requests, properties, python, url, rounds=args.rounds, explain=not args.no_importtime
        )


if __name__ == "__main__":
    main()
