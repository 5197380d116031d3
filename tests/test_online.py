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


# ---------------------------------------------------------------------------------------------
# A budget of online look-ups (public mode): per article, per session, nothing after it ends


def test_the_online_budget_is_the_operators_to_set(caplog):
    from geo.core.config import ENV_ONLINE_PER_ARTICLE, ENV_ONLINE_PER_SESSION, settings

    assert (settings({}).online_per_article, settings({}).online_per_session) == (25, 100)
    chosen = settings({ENV_ONLINE_PER_ARTICLE: "5", ENV_ONLINE_PER_SESSION: "0"})
    assert (chosen.online_per_article, chosen.online_per_session) == (5, 0)
    with caplog.at_level("WARNING"):
        typo = settings({ENV_ONLINE_PER_ARTICLE: "lots", ENV_ONLINE_PER_SESSION: "-3"})
    assert (typo.online_per_article, typo.online_per_session) == (25, 100)  # a typo lifts nothing
    assert ENV_ONLINE_PER_ARTICLE in caplog.text


def test_an_article_sends_at_most_its_budget_and_the_rest_are_left_offline(server, gazetteer, nlp, seed_text):
    from geo.resolve.online import BudgetedGeocoder, LookupBudget

    online = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0)
    budget, answers = LookupBudget(3), {}

    def parse(text):
        article = BudgetedGeocoder(online, budget, per_article=2, answers=answers)
        return Geoparser(gazetteer=gazetteer, nlp=nlp, online=article, ask_online="all").parse(text)

    offline = Geoparser(gazetteer=gazetteer, nlp=nlp).parse(seed_text)
    names = {m.mention.text for m in offline.mentions}
    first = parse(seed_text)
    assert len(server.searches()) == 2  # the article's budget
    assert first.offline_only == len(names) - 2 and not first.warnings  # not a failure: kept, not asked again
    assert len(first.places) == len(offline.places)  # nothing lost: the gazetteer placed the rest
    again = parse(seed_text)
    assert len(server.searches()) == 3  # the session's budget: one more, the two answered before are free
    assert again.offline_only == len(names) - 3
    parse(seed_text)
    assert len(server.searches()) == 3  # spent


def test_nothing_is_sent_after_the_session_ends(server, gazetteer, nlp, seed_text):
    import threading
    import time

    from geo.resolve.online import BudgetedGeocoder, LookupBudget

    online = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=0.3)
    budget = LookupBudget(1000)
    article = BudgetedGeocoder(online, budget, per_article=None)
    parser = Geoparser(gazetteer=gazetteer, nlp=nlp, online=article, ask_online="all")
    results = []
    parsing = threading.Thread(target=lambda: results.append(parser.parse(seed_text)))
    parsing.start()
    while len(server.requests) < 2:  # the parse is asking, one name every 0.3 s
        time.sleep(0.02)
    budget.close()  # the session ended
    ended = time.monotonic()
    parsing.join(30)
    (result,) = results
    assert not [r for r in server.requests if r.at > ended + 0.05]  # nothing sent after
    assert result.offline_only > 0 and not result.warnings


def test_a_look_up_waiting_at_the_rate_limit_is_withdrawn_when_its_session_ends(server):
    import threading
    import time

    from geo.core.errors import OverBudget
    from geo.resolve.online import BudgetedGeocoder, LookupBudget

    online = OnlineGeocoder("nominatim", url=server.url, min_delay_seconds=1.5)
    other, leaving = LookupBudget(10), LookupBudget(10)
    BudgetedGeocoder(online, other, per_article=None).geocode("Aleppo")  # another session's: the clock starts
    outcome = []

    def ask():
        try:
            outcome.append(BudgetedGeocoder(online, leaving, per_article=None).geocode("Tartou"))
        except OverBudget as err:
            outcome.append(err)

    waiting = threading.Thread(target=ask)
    waiting.start()
    time.sleep(0.3)  # it waits its turn at the shared rate limit
    leaving.close()
    waiting.join(5)
    assert isinstance(outcome[0], OverBudget) and server.searches() == ["Aleppo"]


def test_public_answers_are_kept_in_memory_bounded():
    from geo.resolve.geocode import MemoryCachedGeocoder

    asked = []

    class Counting:
        cache_namespace = "counting"

        def geocode(self, query, *, country_codes=None):
            asked.append(query)
            return None

    cached = MemoryCachedGeocoder(Counting(), max_entries=2)
    for name in ("a", "b", "a", "c", "a"):
        cached.geocode(name)
    assert asked == ["a", "b", "c"] and len(cached) == 2
