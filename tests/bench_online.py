"""Benchmark: ``python -m tests.bench_online``: the seed article twice through a loopback Nominatim.

Nominatim's real limit (one request a second), every name asked (``ask_online="all"``), a fresh
cache: prints the wall time and the requests of each run (the second must make none), and the
median latency of a cache hit.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from geo.parse.pipeline import Geoparser
from geo.resolve.geocode import CachedGeocoder
from geo.resolve.online import OnlineGeocoder
from tests.conftest import SEED
from tests.nominatim_server import NominatimServer


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    text = SEED.read_text(encoding="utf-8")
    base = Geoparser.default()
    base.parse("Warm-up in Paris.")
    figures: dict[str, object] = {}
    with NominatimServer() as server, tempfile.TemporaryDirectory() as tmp:
        for run in (1, 2):
            # A new cache object each run, as after a restart; the same file.
            online = CachedGeocoder(OnlineGeocoder("nominatim", url=server.url), path=Path(tmp) / "geocode.sqlite")
            before = len(server.requests)
            started = time.perf_counter()
            base.with_online(online, "all").parse(text)
            figures[f"run{run}"] = {
                "seconds": round(time.perf_counter() - started, 2),
                "requests": len(server.requests) - before,
            }
        with sqlite3.connect(Path(tmp) / "geocode.sqlite") as conn:
            asked = conn.execute("SELECT query, params FROM answers").fetchall()
        requests_before = len(server.requests)
        latencies = []
        for _ in range(50):
            for name, params in asked:
                started = time.perf_counter()
                online.geocode(name, country_codes=params.split(",") if params else None)
                latencies.append((time.perf_counter() - started) * 1000)
        assert len(server.requests) == requests_before  # every one of them a hit
        figures["cache_hit_median_ms"] = round(statistics.median(latencies), 4)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
