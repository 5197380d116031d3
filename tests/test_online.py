"""Online geocoding through geopy's real code path, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from geo.core.errors import GeocoderTimeout, GeocoderUnavailable
from geo.core.features import Feature
from geo.core.provenance import source_text
from geo.parse.pipeline import Geoparser
from geo.resolve.geocode import CachedGeocoder, location_candidate
from geo.resolve.online import USER_AGENT, OnlineGeocoder, from_environment
from tests.browser import free_port  # a port nothing listens on: no network
from tests.conftest import ROOT, SEED
from tests.nominatim_server import NominatimServer


@pytest.fixture
def server():
    with NominatimServer() as running:
        yield running


def test_asks_politely_and_answers_with_a_location(server):
    geocoder = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0.2)
    location = geocoder.geocode("Aleppo", country_codes=["SY", "TR"])
    place = location_candidate(location)
    assert round(location.latitude, 2) == 36.20 and place.dataset == "nominatim"
    assert place.feature is Feature.CITY and place.country == "SY"
    (request,) = server.requests
    assert request.path == "/search" and request.params["q"] == ["Aleppo"]
    assert request.params["countrycodes"] == ["sy,tr"]
    assert request.user_agent == USER_AGENT and "NewsAtlas" in USER_AGENT
    assert geocoder.geocode("Atlantis") is None


@pytest.mark.slow  # waits on the rate limiter: seconds
def test_requests_are_spaced_for_the_whole_process(server):
    first = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0.3)
    second = OnlineGeocoder("nominatim", url=server.url)  # another session: same limiter
    for geocoder, name in ((first, "Aleppo"), (second, "Tartou"), (first, "Atlantis"), (second, "Hmeymim airbase")):
        geocoder.geocode(name)
    times = [r.at for r in server.requests]
    assert len(times) == 4
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.28


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("slow", GeocoderTimeout),
        ("ratelimit", GeocoderUnavailable),
        ("error", GeocoderUnavailable),
        ("malformed", GeocoderUnavailable),
    ],
)
def test_service_faults_become_geocoder_errors(mode, error):
    with NominatimServer(mode=mode, delay=1.5) as server:
        geocoder = OnlineGeocoder("nominatim", url=server.url, timeout=0.5, min_delay_seconds=0)
        with pytest.raises(error):
            geocoder.geocode("Aleppo")


def test_no_network_is_a_geocoder_error():
    geocoder = OnlineGeocoder("nominatim", url=f"http://127.0.0.1:{free_port()}", timeout=1, min_delay_seconds=0)
    with pytest.raises(GeocoderUnavailable):
        geocoder.geocode("Aleppo")


def test_retry_after_is_respected(tmp_path):
    with NominatimServer(mode="ratelimit") as server:
        geocoder = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0)
        with pytest.raises(GeocoderUnavailable, match="429"):
            geocoder.geocode("Aleppo")
        with pytest.raises(GeocoderUnavailable, match="wait"):
            geocoder.geocode("Tartou")
        assert len(server.requests) == 1  # the second name was not sent within Retry-After


def test_seed_twice_sends_each_name_once_ever(server, gazetteer, nlp, seed_text, tmp_path):
    def parser():
        online = CachedGeocoder(
            OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0.05), path=tmp_path / "c.sqlite"
        )
        return Geoparser(gazetteer=gazetteer, nlp=nlp, online=online, ask_online="all")

    first = parser().parse(seed_text)
    sent = server.searches()
    assert len(sent) == len(set(sent)) == len({m.mention.text for m in first.mentions})
    hmeymim = next(p for p in first.mentions if p.mention.text == "Hmeymim airbase")
    assert source_text(hmeymim.place.provenance) == "nominatim" and hmeymim.place.kind == "base"
    assert hmeymim.place.provenance.online
    syria = next(p for p in first.mentions if p.mention.text == "Syria")
    assert source_text(syria.place.provenance) == "countryinfo"  # not found online: the gazetteer's answer stands
    assert not first.warnings
    parser().parse(seed_text)  # a restart: a new process would build the same objects
    assert server.searches() == sent  # zero new requests


@pytest.mark.parametrize("mode", ["slow", "ratelimit", "error", "malformed", "down"])
def test_faults_fall_back_to_offline_and_are_not_cached(mode, gazetteer, nlp, seed_text, tmp_path):
    with NominatimServer(mode="ok" if mode == "down" else mode, delay=1.0) as server:
        url = f"http://127.0.0.1:{free_port()}" if mode == "down" else server.url
        online = CachedGeocoder(
            OnlineGeocoder("nominatim", url=url, timeout=0.3, min_delay_seconds=0), path=tmp_path / "c.sqlite"
        )
        result = Geoparser(gazetteer=gazetteer, nlp=nlp, online=online).parse(seed_text)
    tartus = next(p for p in result.mentions if p.mention.text == "Tartou")
    assert tartus.place is not None and tartus.place.provenance.fallback
    assert source_text(tartus.place.provenance) == "geonames:fuzzy:offline-fallback"
    assert len(result.warnings) == 1 and "offline" in result.warnings[0]
    assert len(result.places) == 11  # nothing lost
    rows = sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT count(*) FROM answers").fetchone()[0]
    assert rows == 0  # a failure is not an answer: the next run asks again


def test_online_place_names_are_escaped_on_the_map(server, gazetteer, nlp, tmp_path):
    from geo.map.mapview import build_map

    online = CachedGeocoder(
        OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0), path=tmp_path / "c.sqlite"
    )
    text = "Shelling was reported near <img src=x onerror=alert(1)> in Bauchi, said Tartou officials."
    result = Geoparser(gazetteer=gazetteer, nlp=nlp, online=online, ask_online="all").parse(text)
    html = build_map(result.places).get_root().render()
    assert "<img src=x onerror=parent.pwned" not in html and "${1}" not in html


@pytest.mark.slow
def test_cli_geocoder_flags_and_one_line_on_failure(tmp_path, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)  # a fresh geocode cache, the built gazetteer
    with NominatimServer(mode="error") as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "parse",
                str(SEED),
                "--format",
                "jsonl",
                "--geocoder",
                "nominatim",
                "--geocoder-url",
                server.url,
            ],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
            env=os.environ | {"GEO_CACHE_DIR": str(tmp_path)},
        )
        assert server.searches() == ["Tartou"]  # only the name the gazetteer cannot place
    assert done.returncode == 0
    errors = done.stderr.decode().splitlines()
    assert len(errors) == 1 and "offline" in errors[0] and "Traceback" not in done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert any(r["text"] == "Tartou" and r["source"].endswith(":offline-fallback") for r in records)


def test_environment_chooses_the_geocoder(monkeypatch, server):
    monkeypatch.setenv("GEO_GEOCODER", "nominatim")
    monkeypatch.setenv("GEO_GEOCODER_URL", server.url)
    geocoder = from_environment()
    assert geocoder.cache_namespace == f"nominatim:{server.url}"
    monkeypatch.setenv("GEO_GEOCODER", "offline")
    assert from_environment() is None
