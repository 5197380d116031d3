"""The parse cache on disk (geo.parse.cache, issue 16): what it stores reads back equal, anything
that changes a parse changes the key, a damaged entry or file is parsed again, its size is
bounded, and the app started afresh on a filled cache maps its articles without the model."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.core.config import ENV_ARTICLES, ENV_CACHE_DIR, ENV_PUBLIC
from geo.core.provenance import Step
from geo.gazetteer import Gazetteer
from geo.inputs.articles import load_folder
from geo.parse.batch import ParserSettings
from geo.parse.cache import (
    MODEL_DISTRIBUTIONS,
    ParseCache,
    decode,
    edits_digest,
    encode,
    identity,
    parse_key,
    ranker_digest,
)
from geo.parse.pipeline import Geoparser, ParseResult
from geo.recognize import extract
from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder
from geo.resolve.ranker import Ranker
from geo.store.corrections import Correction, Corrections, Edits, article_id
from tests.conftest import ROOT, SEED
from tests.test_app import APP, map_features, table_places


@pytest.fixture(scope="module")
def seed_parse(geoparser, seed_text) -> ParseResult:
    return geoparser.parse(seed_text)


@pytest.fixture(scope="module")
def ident(gazetteer) -> str:
    return identity(gazetteer, ranker_digest(Ranker.load()))


def test_a_stored_parse_reads_back_equal(tmp_path, geoparser, seed_text, seed_parse, ident):
    assert any(item.candidates for item in seed_parse.mentions)  # the other readings travel too
    cache = ParseCache(tmp_path / "parses.sqlite")
    key = parse_key(seed_text, ParserSettings(), Edits(), ident)
    assert cache.get(key, seed_text) is None
    cache.put(key, seed_parse)
    back = ParseCache(tmp_path / "parses.sqlite").get(key, seed_text)  # another process's view
    assert back == seed_parse
    assert back.places == seed_parse.places
    assert [item.place.provenance for item in back.mentions if item.place] == [
        item.place.provenance for item in seed_parse.mentions if item.place
    ]


def test_a_corrected_article_with_demonyms_reads_back_equal(tmp_path, gazetteer, nlp, seed_text):
    # Places from a correction, from a name added by hand, and demonyms: every kind of provenance.
    store = Corrections(tmp_path / "corrections.sqlite")
    article = article_id(seed_text)
    store.set(article, "latakia", Correction("Latakia port", 35.52, 35.78))
    store.add(article, "Kremlin", Correction("Kremlin Senate", 55.752, 37.618))
    geocoder = CachedGeocoder(GazetteerGeocoder(gazetteer), path=tmp_path / "geocode.sqlite")
    parser = Geoparser(gazetteer=gazetteer, nlp=nlp, geocoder=geocoder, corrections=store, demonyms=True)
    result = parser.parse(seed_text)
    steps = {item.place.provenance.step for item in result.mentions if item.place}
    assert {Step.CORRECTION, Step.ADDED, Step.GAZETTEER} <= steps
    assert decode(encode(result), seed_text) == result


def test_anything_that_changes_a_parse_changes_the_key(tmp_path, gazetteer, seed_text, ident):
    base = parse_key(seed_text, ParserSettings(), Edits(), ident)
    assert parse_key(seed_text, ParserSettings(), Edits(), ident) == base  # stable
    ranker = Ranker.load()
    heavier = dataclasses.replace(ranker, weights=ranker.weights._replace(prior=ranker.weights.prior + 0.1))
    copy = tmp_path / "gazetteer.sqlite"
    shutil.copy(gazetteer.path, copy)  # the same sources, another build: row ids may differ
    corrected = Edits(placed={"latakia": Correction("Latakia", 35.5, 35.8)})
    changed = {
        "text": parse_key(seed_text + " ", ParserSettings(), Edits(), ident),
        "demonyms": parse_key(seed_text, ParserSettings(demonyms=True), Edits(), ident),
        "service": parse_key(seed_text, ParserSettings(service="nominatim:https://x"), Edits(), ident),
        "ask online": parse_key(seed_text, ParserSettings(ask_online="all"), Edits(), ident),
        "a correction": parse_key(seed_text, ParserSettings(), corrected, ident),
        "a name removed": parse_key(seed_text, ParserSettings(), Edits(removed=frozenset({"geneva"})), ident),
        "the ranker": parse_key(seed_text, ParserSettings(), Edits(), identity(gazetteer, ranker_digest(heavier))),
        "the gazetteer": parse_key(
            seed_text, ParserSettings(), Edits(), identity(Gazetteer(copy), ranker_digest(ranker))
        ),
    }
    assert base not in changed.values()
    assert len(set(changed.values())) == len(changed)
    # The edits' content, not the order they were read in, decides.
    two = {"a": Correction("A", 1.0, 2.0), "b": Correction("B", 3.0, 4.0)}
    assert edits_digest(Edits(placed=two)) == edits_digest(Edits(placed=dict(reversed(two.items()))))


def test_a_changed_setting_misses_in_the_store(tmp_path, seed_text, seed_parse, ident):
    cache = ParseCache(tmp_path / "parses.sqlite")
    cache.put(parse_key(seed_text, ParserSettings(), Edits(), ident), seed_parse)
    assert cache.get(parse_key(seed_text, ParserSettings(demonyms=True), Edits(), ident), seed_text) is None
    edits = Edits(removed=frozenset({"geneva"}))
    assert cache.get(parse_key(seed_text, ParserSettings(), edits, ident), seed_text) is None


def test_every_model_package_is_in_the_identity():
    installed = importlib.metadata.packages_distributions()
    found = [dist for package in extract.MODEL_PACKAGES for dist in installed.get(package, [])]
    assert found, "no model package installed"
    names = {re.sub(r"[-_.]+", "-", name).lower() for name in MODEL_DISTRIBUTIONS}
    assert {re.sub(r"[-_.]+", "-", dist).lower() for dist in found} <= names


def _tamper(path: Path, value: bytes) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE parses SET value = ?", (value,))


def _inflated(record: object) -> bytes:
    return zlib.compress(json.dumps(record).encode())


@pytest.mark.parametrize(
    "damage",
    [
        "not compressed",
        "cut short",
        "not JSON",
        "another format",
        "a mention not in the text",
        "a field of the wrong type",
        "an unknown feature",
        "a reference to nothing",
        "too large",
    ],
)
def test_a_damaged_entry_is_dropped_and_parsed_again(tmp_path, seed_text, seed_parse, ident, damage, caplog):
    path = tmp_path / "parses.sqlite"
    cache = ParseCache(path)
    key = parse_key(seed_text, ParserSettings(), Edits(), ident)
    cache.put(key, seed_parse)
    good = json.loads(zlib.decompress(encode(seed_parse)))
    if damage == "not compressed":
        value = b"\x00\x01 not zlib"
    elif damage == "cut short":
        value = encode(seed_parse)[:-20]
    elif damage == "not JSON":
        value = zlib.compress(b"{'mentions': ")
    elif damage == "another format":
        value = _inflated({**good, "format": 0})
    elif damage == "a mention not in the text":
        good["mentions"][0][1] += 3
        value = _inflated(good)
    elif damage == "a field of the wrong type":
        good["candidates"][0][5] = "35.0"
        value = _inflated(good)
    elif damage == "an unknown feature":
        good["places"][0][6] = "<script>"
        value = _inflated(good)
    elif damage == "a reference to nothing":
        good["mentions"][0][8] = len(good["places"])
        value = _inflated(good)
    else:  # a small value that would inflate past the bound
        value = zlib.compress(b"[" + b" " * 70_000_000 + b"]", 9)
    _tamper(path, value)
    assert cache.get(key, seed_text) is None
    assert "could not be read" in caplog.text
    assert len(cache) == 0  # dropped: the next parse replaces it
    cache.put(key, seed_parse)
    assert cache.get(key, seed_text) == seed_parse


def test_a_file_that_is_not_a_cache_is_started_afresh(tmp_path, seed_text, seed_parse, ident):
    path = tmp_path / "parses.sqlite"
    path.write_bytes(b"not a database at all " * 200)
    cache = ParseCache(path)
    key = parse_key(seed_text, ParserSettings(), Edits(), ident)
    assert cache.get(key, seed_text) is None
    cache.put(key, seed_parse)
    assert cache.get(key, seed_text) == seed_parse
    # A table of another shape in its place (an older or foreign file) is replaced too.
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE parses (key TEXT, stuff TEXT)")
    assert ParseCache(other).get(key, seed_text) is None
    ParseCache(other).put(key, seed_parse)
    assert ParseCache(other).get(key, seed_text) == seed_parse


def test_a_folder_that_cannot_be_written_leaves_the_cache_off(tmp_path, seed_text, seed_parse, ident):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    cache = ParseCache(blocked / "parses.sqlite")
    key = parse_key(seed_text, ParserSettings(), Edits(), ident)
    cache.put(key, seed_parse)  # skipped, not raised
    assert cache.get(key, seed_text) is None
    assert len(cache) == 0


def test_the_oldest_entries_go_beyond_the_bounds(tmp_path, seed_text, seed_parse, ident):
    keys = [parse_key(seed_text, ParserSettings(url=str(n)), Edits(), ident) for n in range(12)]
    by_count = ParseCache(tmp_path / "count.sqlite", max_entries=5)
    for key in keys:
        by_count.put(key, seed_parse)
    assert 4 <= len(by_count) <= 5
    assert by_count.get(keys[-1], seed_text) == seed_parse
    assert by_count.get(keys[0], seed_text) is None
    one = len(encode(seed_parse))
    by_size = ParseCache(tmp_path / "size.sqlite", max_bytes=3 * one + 10)
    for key in keys:
        by_size.put(key, seed_parse)
    assert by_size.size() <= 3 * one + 10
    assert by_size.get(keys[-1], seed_text) == seed_parse
    assert by_size.get(keys[0], seed_text) is None


def test_threads_share_the_store(tmp_path, seed_text, seed_parse, ident):
    # Streamlit parses in a worker thread per article: each thread has its own connection.
    cache = ParseCache(tmp_path / "parses.sqlite")
    keys = [parse_key(seed_text, ParserSettings(url=str(n)), Edits(), ident) for n in range(24)]

    def work(part: list[str]) -> bool:
        for key in part:
            cache.put(key, seed_parse)
        return all(cache.get(key, seed_text) == seed_parse for key in part)

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, [keys[n::4] for n in range(4)]))
    assert len(cache) == len(keys)


def test_a_new_server_maps_cached_articles_without_the_model(
    tmp_path, monkeypatch, gazetteer, geoparser, seed_text, fresh_caches
):
    # Three real articles (the seed, and its two halves as articles of their own).
    articles = tmp_path / "articles"
    articles.mkdir()
    middle = seed_text.index("\n", len(seed_text) // 2)
    texts = {"seed.txt": seed_text, "first.txt": seed_text[:middle], "second.txt": seed_text[middle:].strip()}
    for name, text in texts.items():
        (articles / name).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv(ENV_CACHE_DIR, str(cache))
    monkeypatch.setenv(ENV_ARTICLES, str(articles))
    loads = []
    real_load = extract.load_pipeline

    def counted(*args, **kwargs):
        loads.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(extract, "load_pipeline", counted)

    def started() -> AppTest:
        return AppTest.from_file(APP, default_timeout=300).run()  # every sample article chosen

    first = started()
    assert not first.exception
    assert len(loads) == 1  # nothing on disk: the model is loaded and every article parsed
    assert len(ParseCache(cache / "parses.sqlite")) == len(texts)

    st.cache_resource.clear()  # a new server process: nothing in memory
    second = started()
    assert not second.exception
    assert len(loads) == 1  # every article from disk: the model never loaded
    assert map_features(second) == map_features(first)
    assert table_places(second) == table_places(first)

    # What the app kept is what a fresh parse of each article gives.
    ident = identity(gazetteer, ranker_digest(Ranker.load()))
    stored = ParseCache(cache / "parses.sqlite")
    for text in [article.text for article in load_folder(articles)]:  # as the app reads them (front matter cut)
        key = parse_key(text, ParserSettings(service="offline"), Edits(), ident)
        assert stored.get(key, text) == geoparser.parse(text)


#: Run in a fresh process: the app over the folder of ``NEWS_ATLAS_ARTICLES``; prints whether spaCy
#: was imported and how many places the map shows.
_START = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.test_app import APP, map_features
at = AppTest.from_file(APP, default_timeout=300).run()
print(json.dumps({"spacy": "spacy" in sys.modules, "places": len(map_features(at)), "errors": len(at.exception)}))
"""


@pytest.mark.slow
def test_a_start_with_every_article_cached_does_not_import_spacy(tmp_path, gazetteer):
    articles, cache = tmp_path / "articles", tmp_path / "cache"
    articles.mkdir()
    cache.mkdir()
    shutil.copy(SEED, articles / SEED.name)
    (cache / "gazetteer.sqlite").symlink_to(gazetteer.path)
    env = os.environ | {ENV_CACHE_DIR: str(cache), ENV_ARTICLES: str(articles), "PYTHONPATH": str(ROOT)}

    def start() -> dict:
        done = subprocess.run(
            [sys.executable, "-c", _START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = start()
    assert first == {"spacy": True, "places": first["places"], "errors": 0} and first["places"] > 5
    assert start() == {"spacy": False, "places": first["places"], "errors": 0}


def test_a_public_visitors_own_article_is_not_kept_on_disk(tmp_path, monkeypatch, gazetteer, seed_text, fresh_caches):
    # On a hosted app the sample articles are kept for every visitor; what a visitor pastes stays
    # in the server's memory (its names and excerpts are theirs).
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "seed.txt").write_text(seed_text, encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv(ENV_CACHE_DIR, str(cache))
    monkeypatch.setenv(ENV_ARTICLES, str(articles))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input("Ferry operators met in Mombasa on Thursday to plan a route to Zanzibar.").run()
    assert not at.exception
    assert "Mombasa" in {feature["properties"]["name"] for feature in map_features(at)}
    stored = ParseCache(cache / "parses.sqlite")
    assert len(stored) == 1  # the sample article only
    ident = identity(gazetteer, ranker_digest(Ranker.load()))
    (sample,) = [article.text for article in load_folder(articles)]  # as the app reads it (front matter cut)
    assert stored.get(parse_key(sample, ParserSettings(service="offline"), Edits(), ident), sample) is not None
