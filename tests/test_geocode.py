import sqlite3

import pytest
from geopy.location import Location

from geo.core.errors import GeocoderTimeout
from geo.core.provenance import Match
from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder, candidate_location, location_candidate


class CountingGeocoder:
    """A real geocoder (the gazetteer) that counts how often it is asked."""

    cache_namespace = "counting"

    def __init__(self, inner=None, fail=False):
        self.inner, self.fail, self.calls = inner, fail, []

    def geocode(self, query, *, country_codes=None):
        self.calls.append(query)
        if self.fail:
            raise GeocoderTimeout("no answer in 1 s")
        return self.inner.geocode(query, country_codes=country_codes) if self.inner else None


def test_gazetteer_geocoder_exact_fuzzy_and_bias(gazetteer):
    geocoder = GazetteerGeocoder(gazetteer)
    assert location_candidate(geocoder.geocode("Geneva")).country == "CH"
    assert location_candidate(geocoder.geocode("Geneva", country_codes=["US"])).country == "US"
    tartus = location_candidate(geocoder.geocode("Tartou", country_codes=["SY"]))
    assert tartus.match is Match.NEAR_MISS and tartus.country == "SY"
    assert geocoder.geocode("Qwertzuiopstan") is None
    assert geocoder.geocode("") is None


def test_cache_answers_repeats_and_survives_a_restart(gazetteer, tmp_path):
    inner = CountingGeocoder(GazetteerGeocoder(gazetteer))
    path = tmp_path / "geocode.sqlite"
    first = CachedGeocoder(inner, path=path).geocode("Geneva")
    again = CachedGeocoder(inner, path=path)  # a new process would open it like this
    second = again.geocode("geneva")  # same normalised query
    assert inner.calls == ["Geneva"]
    assert isinstance(second, Location)
    assert (second.latitude, second.longitude, second.address) == (first.latitude, first.longitude, first.address)
    assert second.raw == first.raw
    again.geocode("Geneva", country_codes=["US"])  # a different bias is a different question
    assert len(inner.calls) == 2


def test_not_found_is_cached_but_errors_are_not(tmp_path):
    inner = CountingGeocoder()
    cached = CachedGeocoder(inner, path=tmp_path / "c.sqlite")
    assert cached.geocode("Nowhere") is None
    assert cached.geocode("Nowhere") is None
    assert inner.calls == ["Nowhere"]
    failing = CachedGeocoder(CountingGeocoder(fail=True), path=tmp_path / "c.sqlite")
    for _ in range(2):
        with pytest.raises(GeocoderTimeout):
            failing.geocode("Aleppo")
    assert failing.geocoder.calls == ["Aleppo", "Aleppo"]
    rows = sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT query FROM answers").fetchall()
    assert rows == [("nowhere",)]


def test_a_foreign_file_in_place_of_the_cache_is_moved_aside(tmp_path, caplog):
    path = tmp_path / "geocode.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cached = CachedGeocoder(CountingGeocoder(), path=path)
    assert cached.recovered and "moved it to geocode.sqlite.broken-" in cached.recovered
    assert "not a usable geocode cache" in caplog.text
    aside = list(tmp_path.glob("geocode.sqlite.broken-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert cached.geocode("Nowhere") is None  # the fresh cache works
    assert CachedGeocoder(CountingGeocoder(), path=path).recovered is None  # and opens cleanly next time


def test_expired_answers_are_asked_again(tmp_path):
    inner = CountingGeocoder()
    CachedGeocoder(inner, path=tmp_path / "c.sqlite").geocode("Nowhere")
    with sqlite3.connect(tmp_path / "c.sqlite") as conn:
        conn.execute("UPDATE answers SET created = created - 3 * 86400")
    CachedGeocoder(inner, path=tmp_path / "c.sqlite", max_age_days=7).geocode("Nowhere")
    assert len(inner.calls) == 1
    CachedGeocoder(inner, path=tmp_path / "c.sqlite", max_age_days=1).geocode("Nowhere")
    assert len(inner.calls) == 2


def test_a_candidate_survives_the_round_trip_through_a_location_and_the_cache(gazetteer, tmp_path):
    syria = gazetteer.candidates("syria")[0]
    assert location_candidate(candidate_location(syria)) == syria
    cached = CachedGeocoder(GazetteerGeocoder(gazetteer), path=tmp_path / "geocode.sqlite")
    cached.geocode("Tartou", country_codes=["SY"])
    again = location_candidate(cached.geocode("Tartou", country_codes=["SY"]))  # from the cache this time
    assert again.match is Match.NEAR_MISS and again.dataset == "geonames" and again.rowid is not None
    # A Location from elsewhere (no News Atlas fields) still becomes a candidate.
    foreign = location_candidate(Location("Somewhere", (1.5, 2.5), {"osm_id": 7}))
    assert (foreign.name, foreign.lat, foreign.dataset, foreign.rowid) == ("Somewhere", 1.5, "geocoder", None)
