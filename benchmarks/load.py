"""A bounded load test of the local read server, on loopback only (docs/scale.md).

A crowd of clients (50 by default, for 30 s) asks for what visitors ask for, in the mix
docs/scale.md assumes, against a year of seeded batches; it prints each route's
throughput and p50/p99 latency. With --edge it asks through a shared cache that keeps
answers as the functions' Cache-Control tells a CDN (s-maxage, one copy per Origin), and
counts the requests that still reach the functions: the scale model's other half.

Run: .venv/bin/python -m benchmarks.load [--clients 50] [--seconds 30] [--edge]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import psycopg

from benchmarks.seed import fresh_bench_database, seed_year

# The share of visits each kind of request takes (docs/scale.md): most visitors open the
# dashboard, some a week's page, fewer the JSON, the feed readers poll.
MIX = {
    "/": 40,
    "/weeks/{run_date}": 20,
    "/latest": 8,
    "/batches": 8,
    "/batches/{batch_id}": 8,
    "/track-record": 8,
    "/feed.atom": 8,
}
# The local server, in a process of its own (the clients must not share its interpreter).
SERVER = """
import os, sys
from alpha_monday_local.server import LocalApi, make_server
from alpha_monday_local.template import load_template
server = make_server(LocalApi(load_template()), "127.0.0.1", 0)
print(server.server_port, flush=True)
server.serve_forever()
"""
S_MAXAGE = re.compile(r"s-maxage=(\d+)")


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)


class EdgeCache:
    """A shared cache as the template's CloudFront behaves: it keeps a 200 for its
    s-maxage, keyed by path, query and Origin, and keeps nothing without one."""

    def __init__(self, origin: str) -> None:
        self._origin = origin
        self._kept: dict[tuple[str, str], tuple[float, int, dict[str, str], bytes]] = {}
        self._lock = threading.Lock()
        self.origin_requests: Counter[str] = Counter()

    def answer(self, path: str, origin_header: str) -> tuple[int, dict[str, str], bytes]:
        key = (path, origin_header)
        kept = self._kept.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1], kept[2], kept[3]
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] > time.monotonic():
                return kept[1], kept[2], kept[3]
            # One request per key reaches the functions at a time (CloudFront collapses
            # simultaneous misses for the same object), under this lock.
            self.origin_requests[_route_of(path)] += 1
            headers = {"Origin": origin_header} if origin_header else {}
            response = httpx.get(self._origin + path, headers=headers, timeout=30)
            kept_headers = {k: v for k, v in response.headers.items() if k != "content-length"}
            ttl = S_MAXAGE.search(response.headers.get("cache-control", ""))
            if response.status_code == 200 and ttl:
                expires = time.monotonic() + int(ttl.group(1))
                self._kept[key] = (expires, response.status_code, kept_headers, response.content)
            return response.status_code, kept_headers, response.content


def _edge_server(cache: EdgeCache) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = cache.answer(self.path, self.headers.get("Origin", ""))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _route_of(path: str) -> str:
    bare = path.split("?", 1)[0]
    if bare.startswith("/weeks/"):
        return "/weeks/{run_date}"
    if bare.startswith("/batches/"):
        return "/batches/{batch_id}"
    return bare


def _paths(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Each route's concrete paths: every week and batch of the seeded year."""
    rows = conn.execute("SELECT id, run_date FROM batches ORDER BY run_date").fetchall()
    return {
        "/": ["/"],
        "/weeks/{run_date}": [f"/weeks/{run_date}" for _, run_date in rows],
        "/latest": ["/latest"],
        "/batches": ["/batches"],
        "/batches/{batch_id}": [f"/batches/{batch_id}" for batch_id, _ in rows],
        "/track-record": ["/track-record"],
        "/feed.atom": ["/feed.atom"],
    }


async def _client(
    base: str, paths: dict[str, list[str]], until: float, seed: int, samples: Samples
) -> None:
    draw = random.Random(seed)
    routes, weights = list(MIX), list(MIX.values())
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        while time.monotonic() < until:
            route = draw.choices(routes, weights)[0]
            path = draw.choice(paths[route])
            started = time.perf_counter()
            response = await client.get(path)
            samples.latencies[route].append((time.perf_counter() - started) * 1000)
            samples.statuses[route, response.status_code] += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _report(samples: Samples, seconds: float, cache: EdgeCache | None) -> None:
    total = sum(len(v) for v in samples.latencies.values())
    print(f"{'route':<22} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'non-200':>8}{' origin':>8}")  # fmt: skip
    for route in MIX:
        values = samples.latencies.get(route, [])
        if not values:
            continue
        errors = sum(
            n for (r, status), n in samples.statuses.items() if r == route and status != 200
        )
        origin = f"{cache.origin_requests[route]:>8}" if cache else ""
        print(f"{route:<22} {len(values):>9} {len(values) / seconds:>7.1f} "
              f"{statistics.median(values):>8.1f} {_percentile(values, 0.99):>8.1f} "
              f"{errors:>8}{origin}")  # fmt: skip
    every = [v for values in samples.latencies.values() for v in values]
    line = (
        f"{'all':<22} {total:>9} {total / seconds:>7.1f} {statistics.median(every):>8.1f} "
        f"{_percentile(every, 0.99):>8.1f}"
    )
    print(line)
    if cache:
        reached = sum(cache.origin_requests.values())
        print(f"requests that reached the functions: {reached} of {total} "
              f"({reached / total:.2%}); the rest the edge answered")  # fmt: skip


async def _crowd(base: str, paths: dict[str, list[str]], clients: int, seconds: float) -> Samples:
    samples = Samples()
    until = time.monotonic() + seconds
    await asyncio.gather(*(_client(base, paths, until, n, samples) for n in range(clients)))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--seconds", type=float, default=30, help="how long they ask (30)")
    parser.add_argument("--edge", action="store_true", help="ask through a shared cache")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.seconds <= 300:
        parser.error("keep it bounded: 1-200 clients for 1-300 s")

    url = fresh_bench_database()
    with psycopg.connect(url, autocommit=True) as conn:
        seed_year(conn)
        paths = _paths(conn)
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        env={**os.environ, "DATABASE_URL": url, "POWERTOOLS_LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        origin = f"http://127.0.0.1:{int(server.stdout.readline())}"
        cache = EdgeCache(origin) if args.edge else None
        base = f"http://127.0.0.1:{_edge_server(cache).server_port}" if cache else origin
        where = "through the edge cache" if cache else "straight to the local server"
        print(f"{args.clients} clients for {args.seconds:.0f} s, {where} (one handler at a time,")
        print(f"as one Lambda container), loopback only; the mix: {json.dumps(MIX)}")
        samples = asyncio.run(_crowd(base, paths, args.clients, args.seconds))
        _report(samples, args.seconds, cache)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
