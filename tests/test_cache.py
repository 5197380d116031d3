"""The geocode cache loses nothing: many writers at once, a writer killed mid-write, the CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading

import pytest

from geo.core.normalize import name_key
from geo.resolve.geocode import CachedGeocoder
from tests.cache_writer import Echo, write
from tests.conftest import ROOT


def entries(path) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        return {row[0]: row[1:] for row in conn.execute("SELECT query, found, address, lat, lon, raw FROM answers")}


def writer_process(path, prefix, count):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cache_writer", str(path), prefix, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
def test_eight_threads_and_two_processes_write_at_once(tmp_path):
    path = tmp_path / "geocode.sqlite"
    processes = [writer_process(path, f"proc{i}", 150) for i in range(2)]
    threads = [threading.Thread(target=write, args=(path, f"thread{i}", 150)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in processes:
        process.communicate(timeout=120)
        assert process.returncode == 0
    found = entries(path)
    expected = [f"{who}-{n}" for who in [f"thread{i}" for i in range(8)] + ["proc0", "proc1"] for n in range(150)]
    assert len(found) == len(expected) == 1500
    for name in expected:
        found_flag, address, lat, lon, raw = found[name_key(name)]
        number = int(name.rsplit("-", 1)[1])
        assert (found_flag, address, lat, lon) == (1, name, number % 90, number % 180)
        assert json.loads(raw) == {"query": name}


@pytest.mark.slow
def test_a_writer_killed_mid_write_loses_nothing_it_committed(tmp_path):
    path = tmp_path / "geocode.sqlite"
    process = writer_process(path, "victim", 0)
    committed = [process.stdout.readline().strip() for _ in range(300)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    found = entries(path)
    assert all(name_key(name) in found for name in committed)
    cache = CachedGeocoder(Echo(), path=path)  # opens cleanly, no recovery needed
    assert cache.recovered is None
    assert cache.geocode(committed[-1]).address == committed[-1]


@pytest.mark.slow
def test_cache_command_stats_export_clear(tmp_path):
    write(tmp_path / "geocode.sqlite", "x", 5)

    def geo(*args):
        return subprocess.run(
            [sys.executable, "-m", "geo", "cache", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ | {"GEO_CACHE_DIR": str(tmp_path)},
        )

    assert "echo: 5 answers (5 found, 0 not found)" in geo("stats").stdout
    exported = [json.loads(line) for line in geo("export").stdout.splitlines()]
    assert sorted(r["address"] for r in exported) == [f"x-{n}" for n in range(5)]
    assert "removed 5 answers" in geo("clear").stdout
    assert "empty" in geo("stats").stdout
    # The stored parses beside it are counted and cleared too.
    from geo.parse.cache import ParseCache
    from geo.parse.parsed import ParseResult

    ParseCache(tmp_path / "parses.sqlite").put("k", ParseResult((), ()))
    assert "parses: 1 articles" in geo("stats").stdout
    assert "removed 1 stored parses" in geo("clear").stdout
    assert len(ParseCache(tmp_path / "parses.sqlite")) == 0
