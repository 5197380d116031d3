"""Streaming parse: results in input order, each as soon as it is parsed, few articles held."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import ClassVar

import pytest

from geo.parse import batch
from geo.parse.batch import BATCH_SIZE, TASKS_PER_WORKER, ParserSettings, parse_in_order
from tests.conftest import ROOT

TOWNS = ["Aleppo", "Mosul", "Kharkiv", "Tripoli", "Mogadishu", "Kabul", "Sanaa", "Goma", "Bamako", "Juba"]


def articles(count: int, pulled: list[int]):
    """Yield ``count`` short articles, recording how many were taken so far."""
    for number in range(count):
        pulled.append(number)
        town = TOWNS[number % len(TOWNS)]
        yield f"doc{number}", f"Shelling was reported in {town} on day {number}, officials said."


def test_one_process_yields_in_order_before_reading_everything(geoparser):
    pulled: list[int] = []
    stream = parse_in_order(articles(200, pulled), settings=ParserSettings(), geoparser=geoparser)
    name, result = next(stream)
    assert name == "doc0" and result.places[0].place.name == "Aleppo"
    assert len(pulled) <= BATCH_SIZE + 1  # one batch of the model's read-ahead, not all 200
    names = [name] + [n for n, _ in stream]
    assert names == [f"doc{i}" for i in range(200)]


@pytest.mark.slow
def test_worker_processes_keep_input_order_and_hold_few_articles(geoparser):
    pulled: list[int] = []
    stream = parse_in_order(articles(120, pulled), settings=ParserSettings(), jobs=2)
    first_name, first = next(stream)
    assert first_name == "doc0" and first.places[0].place.name == "Aleppo"
    assert len(pulled) <= 2 * TASKS_PER_WORKER * BATCH_SIZE + 1  # bounded, not all 120
    assert batch._worker_parser is None  # the workers have the parser; this process let go of it
    rest = list(stream)
    assert [n for n, _ in rest] == [f"doc{i}" for i in range(1, 120)]
    # The same places as one process finds.
    alone = dict(parse_in_order(articles(120, []), settings=ParserSettings(), geoparser=geoparser))
    for name, result in [(first_name, first), *rest]:
        assert [p.place.place_id for p in result.places] == [p.place.place_id for p in alone[name].places]


@pytest.mark.slow
def test_cli_jobs_give_the_same_output_as_one_process(tmp_path):
    paths = []
    for name, text in articles(24, []):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    (tmp_path / "empty.txt").write_text("")
    paths.insert(5, str(tmp_path / "empty.txt"))

    def run(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "geo", "parse", *options, *paths],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )

    one, two = run("--jobs", "1"), run("--jobs", "2", "--format", "jsonl")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and one.stdout.count("\n") >= 24
    assert [json.loads(line)["doc"] for line in one.stdout.splitlines()][:2] == paths[:2]
    assert two.stderr.count("empty.txt") == 1  # the unreadable file named once, the rest parsed
    collection = json.loads(run("--jobs", "2", "--format", "geojson").stdout)
    assert len(collection["features"]) == 24


class CountingSettings(ParserSettings):
    """Settings whose build is counted rather than run (the worker start-up's decision alone)."""

    built: ClassVar[list[str]] = []

    def build(self):
        self.built.append("built")
        return "a parser"


def test_a_worker_builds_a_parser_only_when_it_inherited_none(monkeypatch):
    settings = CountingSettings()
    settings.built.clear()
    monkeypatch.setattr(batch, "_worker_parser", "inherited")
    batch._start_worker(settings)
    assert batch._worker_parser == "inherited" and settings.built == []
    monkeypatch.setattr(batch, "_worker_parser", None)  # a worker started after the parent let go
    batch._start_worker(settings)
    assert batch._worker_parser == "a parser" and settings.built == ["built"]
