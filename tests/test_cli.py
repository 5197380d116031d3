"""The command-line contract, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED, km

pytestmark = pytest.mark.slow  # every test runs python -m geo

KEYS = {"doc", "start", "end", "text", "name", "lat", "lon", "kind", "country", "excerpt", "source"}
#: What each mention's sentence reports there (geo.events).
EVENT_KEYS = {"events", "triggers", "actors", "event_date", "event_date_source", "event_date_text"}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def seed_records():
    done = run("parse", str(SEED.relative_to(ROOT)), "--format", "jsonl")
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def near(records, lat, lon, within_km, kinds=None):
    return [
        r
        for r in records
        if r["lat"] is not None
        and km(r["lat"], r["lon"], lat, lon) <= within_km
        and (kinds is None or r["kind"] in kinds)
    ]


def test_jsonl_contract(seed_records, seed_text):
    assert seed_records
    for record in seed_records:
        # The article's title, date and url are added when known; the other keys never change.
        assert KEYS | EVENT_KEYS <= set(record) <= KEYS | EVENT_KEYS | {"title", "date", "url"}
        assert record["date"] == "2016-03-14"  # the seed's front matter
        assert record["doc"] == "seeds/russia-withdraws-from-syria-2016.txt"
        assert seed_text[record["start"] : record["end"]] == record["text"]
        assert record["kind"] in {"base", "city", "venue", "region", "country", "other"}


def test_seed_events_read_naturally(seed_records):
    # A withdrawal from Hmeymim, talks in Geneva, a statement from the Kremlin.
    def types(name):
        return [set(r["events"]) for r in seed_records if r["text"].startswith(name)]

    assert any("movements" in found for found in types("Hmeymim"))
    assert any("diplomacy" in found for found in types("Geneva"))
    assert any("diplomacy" in found for found in types("Kremlin"))
    assert {r["event_date"] for r in seed_records if r["text"].startswith("Hmeymim")} == {"2016-03-14"}
    # "the truce that began on February 26": a day the sentence gives, read against the article's date
    pairs = {(r["event_date"], r["event_date_source"]) for r in seed_records}
    assert {day for day, _ in pairs} == {"2016-03-14", "2016-02-26"}
    assert ("2016-02-26", "text") in pairs and ("2016-03-14", "published") in pairs


def test_seed_places(seed_records):
    assert near(seed_records, 35.41, 35.95, 10, {"base"}), "Hmeymim airbase"
    tartus = near(seed_records, 34.89, 35.88, 10, {"base"})
    assert tartus and tartus[0]["text"] == "Tartou"
    assert near(seed_records, 35.6, 36.0, 60, {"region", "city"}), "Latakia"
    assert near(seed_records, 46.20, 6.14, 10, {"venue"}), "Geneva"
    assert near(seed_records, 55.75, 37.62, 5), "Kremlin or Moscow"
    assert near(seed_records, 40.75, -73.97, 25), "New York"
    countries = {r["country"] for r in seed_records if r["kind"] == "country"}
    assert {"SY", "RU", "GB", "US"} <= countries
    republic = [r for r in seed_records if r["text"] == "Syrian Arab Republic"]
    assert republic and republic[0]["country"] == "SY"


def test_seed_non_places(seed_records):
    placed = [r["text"] for r in seed_records if r["lat"] is not None]
    for bad in ("West", "Islamic State", "Isil", "Levantine Group", "Photo / AP", "al-Nusra Front", "al-Qaeda"):
        assert not any(bad in text for text in placed), bad


def test_geojson_is_lon_lat(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Ministers met in Nairobi, Kenya.")
    done = run("parse", str(article), "--format", "geojson")
    collection = json.loads(done.stdout)
    assert collection["type"] == "FeatureCollection"
    nairobi = next(f for f in collection["features"] if f["properties"]["name"] == "Nairobi")
    lon, lat = nairobi["geometry"]["coordinates"]
    assert km(lat, lon, -1.29, 36.82) < 20


def test_bad_files_get_one_line_each_and_the_rest_are_parsed(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Zürich".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text("Troops moved from Aleppo.")
    done = run("parse", str(bad), str(tmp_path / "missing.txt"), str(good), "--format", "jsonl")
    assert done.returncode == 0
    errors = done.stderr.decode().strip().splitlines()
    assert any("latin1.txt" in e and "UTF-8" in e for e in errors)
    assert any("missing.txt" in e for e in errors)
    assert "Traceback" not in done.stderr.decode()
    assert [json.loads(line)["name"] for line in done.stdout.decode().splitlines()] == ["Aleppo"]


def test_nothing_readable_is_an_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    done = run("parse", str(empty))
    assert done.returncode != 0
    assert "empty" in done.stderr.decode()


def test_stdin_and_table():
    done = run("parse", "-", "--format", "table", stdin=b"The summit opened in Vienna.")
    assert done.returncode == 0
    assert "Vienna" in done.stdout.decode() and "venue" in done.stdout.decode()
