"""Corpus mode on a real dask.distributed cluster (worker processes on loopback): the same mentions as
``geo parse``, a rerun that resumes, a bad file recorded, and a cluster joined by its address."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pyarrow.dataset as ds
import pytest

from geo.cli import main
from geo.corpus.query import open_corpus
from geo.corpus.run import done_batches, run_corpus
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.slow

ARTICLES = {
    "aleppo.txt": "Shelling hit Aleppo on Sunday, monitors in Beirut said. Talks resume in Geneva next week.",
    "ankara.txt": "Turkish officials in Ankara condemned the raids near Idlib.",
    "kyiv.md": "Drones struck Kyiv overnight; Ukraine's air force said Odesa was also targeted.",
    "sahel.txt": "French troops left Mali, and Niger closed its border with Burkina Faso.",
    "ports.txt": "The port of Tartus and the Hmeymim airbase in Latakia province remain Russian.",
    "talks.txt": "Delegations met in Vienna and then in Doha, Qatar, before returning to Washington.",
    "quiet.txt": "Nothing happened today, the committee said, and the meeting was adjourned.",
    "sudan.txt": "Fighting spread from Khartoum to El Fasher in Darfur, the UN said from New York.",
    "gaza.txt": "Aid trucks crossed into Gaza at Rafah after talks in Cairo.",
}
#: The mention fields ``geo parse --format jsonl`` prints.
FIELDS = ("start", "end", "text", "name", "lat", "lon", "kind", "country", "excerpt", "source")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    shutil.copy(SEED, root / "seed.txt")
    (root / "broken.txt").write_bytes(b"\x00\xff\x00\xfe" * 30)  # binary: recorded, not fatal
    return root


@pytest.fixture(scope="module")
def first_run(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    report = run_corpus(folder, out, workers=2, batch_size=3)
    return out, report


def _mentions(out) -> list[dict]:
    table = ds.dataset(out / "mentions", format="parquet", partitioning="hive").to_table()
    return table.to_pylist()


def test_a_corpus_run_gives_the_mentions_geo_parse_gives(folder, first_run, capsys):
    out, report = first_run
    assert (report.articles, report.failed, report.workers) == (len(ARTICLES) + 1, 1, 2)
    # Each worker process loaded the model and the gazetteer once, for all its batches.
    assert report.loads and set(report.loads.values()) == {1}
    assert report.cpu_seconds > 0 and report.words_per_cpu_second > 0
    paths = sorted(p for p in folder.iterdir() if p.name != "broken.txt")
    assert main(["parse", "--format", "jsonl", *map(str, paths)]) == 0
    expected = sorted(
        (os.path.relpath(r["doc"], folder), *(r[f] for f in FIELDS))
        for r in map(json.loads, capsys.readouterr().out.splitlines())
    )
    got = sorted((r["article_id"], *(r[f] for f in FIELDS)) for r in _mentions(out))
    assert got == expected
    assert len(got) > 40


def test_each_mention_carries_the_events_geo_parse_gives(folder, first_run, capsys):
    out, _ = first_run
    paths = sorted(p for p in folder.iterdir() if p.name != "broken.txt")
    assert main(["parse", "--format", "jsonl", *map(str, paths)]) == 0
    expected = sorted(
        (os.path.relpath(r["doc"], folder), r["start"], r["events"], r["triggers"], r["actors"], r["event_date"])
        for r in map(json.loads, capsys.readouterr().out.splitlines())
    )
    rows = _mentions(out)
    got = sorted(
        (
            r["article_id"], r["start"], r["event_types"], r["triggers"], r["actors"],
            r["event_date"].isoformat() if r["event_date"] else None,
        )
        for r in rows
    )  # fmt: skip
    assert got == expected
    # The seed reads naturally: a withdrawal from Hmeymim, talks in Geneva; each row its main type.
    seed = [r for r in rows if r["article_id"] == "seed.txt"]
    hmeymim = [r for r in seed if r["name"].startswith("Hmeymim")]
    assert any(r["event_type"] == "movements" and "Russian" in r["actors"] for r in hmeymim)
    assert {r["event_date"] for r in hmeymim} == {dt.date(2016, 3, 14)}
    assert any(r["event_type"] == "diplomacy" and "talks" in r["triggers"] for r in seed if r["name"] == "Geneva")
    aleppo = next(r for r in rows if r["article_id"] == "aleppo.txt" and r["name"] == "Aleppo")
    assert aleppo["event_type"] == "strikes" and aleppo["event_date"] is None  # "on Sunday" of an undated article
    # The dashboard's events per day: the event days, by main type.
    per_day = open_corpus(out).events_per_day()
    seed_day = {kind: n for day, kind, n in per_day if day == dt.date(2016, 3, 14)}
    assert seed_day["movements"] >= 4 and seed_day["diplomacy"] >= 5
    assert sum(n for _, _, n in per_day) == sum(1 for r in rows if r["event_date"] is not None)


def test_the_corpus_dashboard_draws_events_per_day_by_type(first_run, monkeypatch):
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    out, _ = first_run
    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: None)  # no browser: no map report
    monkeypatch.setenv("NEWS_ATLAS_CORPUS", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any(c.value.startswith("Events per day, by type") for c in at.caption)
    charts = [json.loads(e.proto.spec) for e in at.main if e.type == "vega_lite_chart"]
    events = [c for c in charts if c.get("encoding", {}).get("color", {}).get("title") == "Event type"]
    assert len(events) == 1
    assert {"Movements", "Diplomacy"} <= set(events[0]["encoding"]["color"]["scale"]["domain"])


def test_a_bad_file_is_recorded_with_its_reason(first_run):
    out, _ = first_run
    failures = ds.dataset(out / "failures", format="parquet").to_table().to_pylist()
    assert [f["article_id"] for f in failures] == ["broken.txt"]
    assert "binary" in failures[0]["reason"]
    summary = ds.dataset(out / "places.parquet", format="parquet").to_table().to_pylist()
    assert {"Aleppo", "Geneva", "Ankara", "Hmeymim Air Base"} <= {r["name"] for r in summary}


def test_a_rerun_resumes_where_the_last_one_stopped(folder, first_run, tmp_path):
    out, report = first_run
    resumed = tmp_path / "out"
    shutil.copytree(out, resumed)
    keys = sorted(done_batches(resumed))
    assert len(keys) == report.batches == 4
    # As if the run had been stopped before its last batch finished.
    (resumed / "_done" / f"{keys[-1]}.json").unlink()
    again = run_corpus(folder, resumed, workers=1, batch_size=3)
    assert (again.batches, again.skipped) == (1, 3)
    assert sorted(done_batches(resumed)) == keys
    assert len(_mentions(resumed)) == len(_mentions(out))  # the batch's files were replaced, not doubled


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cluster_started_apart_is_joined_by_its_address(folder, first_run, tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    bin_dir = os.path.dirname(sys.executable)
    scheduler = subprocess.Popen(
        [f"{bin_dir}/dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = [f"{bin_dir}/dask", "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
    workers = [
        subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        out = tmp_path / "out"
        report = run_corpus(folder, out, scheduler=address, batch_size=3)
        assert (report.workers, report.articles, report.failed) == (2, len(ARTICLES) + 1, 1)
        assert set(report.loads.values()) == {1}
        original = sorted((r["article_id"], r["start"], r["name"]) for r in _mentions(first_run[0]))
        assert sorted((r["article_id"], r["start"], r["name"]) for r in _mentions(out)) == original
    finally:
        for process in (*workers, scheduler):
            process.terminate()
        deadline = time.monotonic() + 20
        for process in (*workers, scheduler):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
