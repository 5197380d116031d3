"""The kinds of place Natural Earth adds, the phrases that choose a reading, leashed near misses,
one sense per article and English display names: each with texts written for these tests."""

import json

import pytest

from geo.core.features import Feature, Group
from geo.core.normalize import transliteration_variants
from geo.core.provenance import Match
from geo.gazetteer import derive
from geo.gazetteer.points import contains
from geo.recognize.kind_cues import cue_groups
from geo.resolve.categorize import categorize
from geo.resolve.geocode import GazetteerGeocoder, location_candidate
from geo.resolve.ranker import Ranker
from geo.resolve.resolver import resolve as resolve_with
from tests.conftest import km


def resolve(text, gazetteer, *names):
    from tests.conftest import mention_in

    mentions, seen = [], {}
    for name in names:
        mentions.append(mention_in(name, text, occurrence=seen.get(name, 0)))
        seen[name] = seen.get(name, 0) + 1
    mentions.sort(key=lambda m: m.start)
    return resolve_with(mentions, text, gazetteer, Ranker.load())


# --- the derived tables -------------------------------------------------------------------------


def test_label_point_lies_inside_a_concave_polygon():
    # A "C" shape: its centroid falls in the gap, the label point must not.
    ring = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 8], [10, 8], [10, 10], [0, 10], [0, 0]]
    lon, lat = derive.label_point([ring])
    assert contains([ring], lat, lon)


def test_names_are_cleaned_and_keep_their_generic_word():
    assert derive.clean_name("ZAGROS  MOUNTAINS") == "Zagros Mountains"
    assert derive.clean_name("Zagros Mts.") == "Zagros Mountains"
    name, aliases = derive.name_variants("Oostende (Ostend)", Feature.PORT)
    assert name == "Ostend" and "Oostende" in aliases
    name, aliases = derive.name_variants("Orontes", Feature.RIVER)
    assert {"Orontes River", "River Orontes"} <= set(aliases)
    _name, aliases = derive.name_variants("Tyrrhenian Sea", Feature.SEA)
    assert "Tyrrhenian" in aliases
    _name, aliases = derive.name_variants("South Pacific Ocean", Feature.OCEAN)
    assert {"South Pacific", "Pacific", "Pacific Ocean"} <= set(aliases)


def test_an_ocean_is_named_without_its_half_or_its_generic_word(gazetteer):
    text = "The convoy crossed the North Atlantic before storms closed the Pacific routes."
    for name in ("North Atlantic", "Pacific"):
        (out,) = resolve(text, gazetteer, name)
        assert out.chosen.feature is Feature.OCEAN, name


def test_america_alone_is_the_united_states(gazetteer):
    text = "Exports from America to Brazil fell in the spring."
    out = resolve(text, gazetteer, "America", "Brazil")
    assert (out[0].chosen.feature, out[0].chosen.country) == (Feature.COUNTRY, "US")


def test_derive_writes_small_tables_from_geojson(tmp_path):
    folder = tmp_path / "ne"
    folder.mkdir()
    square = [[[30, 40], [40, 40], [40, 46], [30, 46], [30, 40]]]

    def collection(*features):
        return json.dumps({"type": "FeatureCollection", "features": list(features)})

    def feature(geometry, **props):
        return {"type": "Feature", "properties": props, "geometry": geometry}

    (folder / "ne_10m_geography_marine_polys.json").write_text(
        collection(feature({"type": "Polygon", "coordinates": square}, featurecla="sea", name="INKY  SEA"))
    )
    (folder / "ne_10m_geography_regions_polys.json").write_text(collection())
    (folder / "ne_10m_lakes.json").write_text(collection())
    (folder / "ne_10m_rivers_lake_centerlines.json").write_text(
        collection(
            feature(
                {"type": "LineString", "coordinates": [[0, 0], [0, 2], [0, 4]]},
                featurecla="River",
                name="Slowflow",
                rivernum=1,
            )
        )
    )
    (folder / "ne_10m_geography_regions_points.json").write_text(collection())
    (folder / "ne_10m_geography_regions_elevation_points.json").write_text(collection())
    (folder / "ne_10m_ports.json").write_text(
        collection(feature({"type": "Point", "coordinates": [12.5, 41.9]}, featurecla="Port", name="Harbourtown"))
    )
    (folder / "ne_10m_admin_1_label_points.json").write_text(
        collection(
            feature(
                {"type": "Point", "coordinates": [36.6, 35.9]},
                featurecla="Admin-1 scale rank",
                name="Greenvale (Al Khudra)",
                iso_a2="SY",
                adm1_code="SYR-1",
            )
        )
    )
    (folder / "ne_10m_populated_places.json").write_text(
        collection(feature({"type": "Point", "coordinates": [0, 0]}, GEONAMEID=42.0, NAME_EN="Plainsville", ADM0CAP=1))
    )
    assert derive.derive(folder, tmp_path) == (4, 1)
    rows = (tmp_path / derive.FEATURES_CSV).read_text().splitlines()
    assert any(row.startswith("Inky Sea,,SEA,") for row in rows)
    assert any(row.startswith("Slowflow,River Slowflow;Slowflow River,STM,2.000,0.000,") for row in rows)
    # and once more at its mouth, the end of the line Natural Earth draws downstream, without extent
    assert "Slowflow,River Slowflow;Slowflow River,STM,4.000,0.000,4.000,0.000,4.000,0.000,10" in rows
    assert "SY,Greenvale,Al Khudra,35.900,36.600,SYR-1" in (tmp_path / derive.ADMIN1_CSV).read_text()
    assert "42,Plainsville,capital" in (tmp_path / derive.ENGLISH_NAMES_CSV).read_text()


def test_data_tables_stay_small():
    total = sum(
        (derive.DATA_DIR / name).stat().st_size
        for name in (derive.FEATURES_CSV, derive.ADMIN1_CSV, derive.ENGLISH_NAMES_CSV)
    )
    assert total < 3_000_000


def test_reactor_units_merge_into_plants_that_borrow_their_towns_names():
    from geo.gazetteer import derive_nuclear as nuclear

    assert nuclear.plant_name("Rostov-1 (Volgodonsk-1)") == ("Rostov", {"Volgodonsk"})
    assert nuclear.plant_name("Kursk 2-1") == ("Kursk", set())

    def row(name, status, lat="50.0", lon="30.0", code="UA"):
        return {"Name": name, "Status": status, "Latitude": lat, "Longitude": lon, "CountryCode": code}

    rows = [
        row("Oldtown-1", "Shutdown", lat="50.0"),
        row("Oldtown-2", "Operational", lat="50.2"),
        row("Nevertown-1", "Cancelled Construction"),
        row("Nopoint-1", "Operational", lat=""),
    ]
    (plant,) = nuclear.plants(rows)
    assert (plant.name, plant.status, plant.lat) == ("Oldtown", "Operational", 50.1)
    towns = [
        ("Novotown", 50.3, 30.0, "UA", {"Oldtown", "Nowy Town", "Новотаун"}),  # 22 km: lends its names
        ("Oldtown", 55.0, 30.0, "UA", set()),  # 544 km: another town of the plant's old name
        ("Hostville", 50.12, 30.05, "UA", set()),  # 3 km, another name: keeps it to itself
    ]
    (named,) = nuclear.with_town_names([plant], towns)
    assert named.name == "Oldtown Nuclear Power Plant"
    assert set(named.aliases) == {"Oldtown", "Novotown", "Nowy Town"}


# --- the gazetteer holds them -------------------------------------------------------------------


def test_a_sea_beats_the_province_of_the_same_name(gazetteer):
    text = "Two cargo ships were attacked off the coast in the Red Sea on Tuesday."
    (out,) = resolve(text, gazetteer, "Red Sea")
    assert out.chosen.feature is Feature.SEA
    assert km(out.chosen.lat, out.chosen.lon, 20.0, 38.5) < 300
    assert categorize(out.chosen.feature, None, [out.mention], text) == "region"


def test_a_river_is_a_place(gazetteer):
    text = "Fighters crossed the Euphrates near the border on Sunday, officials in Iraq said."
    out = resolve(text, gazetteer, "Euphrates", "Iraq")
    river = out[0].chosen
    assert river.feature is Feature.RIVER and river.extent is not None
    south, west, north, east = river.extent
    assert south < 34 < north and west < 42 < east  # the river runs through Syria and Iraq


def test_a_province_gets_its_label_point(gazetteer):
    text = "Government forces shelled villages across Idlib province overnight."
    (out,) = resolve(text, gazetteer, "Idlib")
    assert out.chosen.feature is Feature.ADMIN1 and out.chosen.country == "SY"
    assert km(out.chosen.lat, out.chosen.lon, 35.85, 36.68) < 20  # Natural Earth's label point
    assert categorize(out.chosen.feature, None, [out.mention], text) == "region"


def test_a_nuclear_plant_phrase_places_the_plant_not_its_town(gazetteer):
    text = "Engineers at the Kursk nuclear power plant restored power; in Kursk, schools reopened."
    plant, town = resolve(text, gazetteer, "Kursk", "Kursk")
    assert plant.chosen.feature is Feature.NUCLEAR_PLANT and km(plant.chosen.lat, plant.chosen.lon, 51.67, 35.61) < 5
    assert town.chosen.feature is not Feature.NUCLEAR_PLANT
    assert categorize(plant.chosen.feature, None, [plant.mention], text) == "other"
    # Named in the town's current spelling, the plant in the data's older one (Chernobyl).
    text = "Staff rotated at the Chornobyl nuclear plant this week."
    (out,) = resolve(text, gazetteer, "Chornobyl")
    assert out.chosen.feature is Feature.NUCLEAR_PLANT and out.chosen.name == "Chernobyl Nuclear Power Plant"


def test_a_province_written_in_another_spelling_is_the_province(gazetteer):
    # GeoNames spells them "Hajjah" and "Al-Hasakah"; the area word says an area is meant.
    for text, name, code in (
        ("Air strikes hit Hajja province overnight.", "Hajja province", "YE"),
        ("Convoys crossed Hasakeh province on Sunday.", "Hasakeh province", "SY"),
    ):
        (out,) = resolve(text, gazetteer, name)
        assert (out.chosen.feature, out.chosen.country) == (Feature.ADMIN1, code), name


def test_a_port_known_only_as_a_port(gazetteer):
    text = "Aid ships docked at the port of Hodeidah after a week at anchor."
    (out,) = resolve(text, gazetteer, "Hodeidah")
    assert out.chosen is not None and km(out.chosen.lat, out.chosen.lon, 14.8, 42.95) < 30


# --- phrases that choose the reading --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "group"),
    [
        ("Shelling hit Kherson province.", "Kherson", Group.AREA),
        ("Crowds gathered in the city of Odesa.", "Odesa", Group.TOWN),
        ("Grain left Odesa port at dawn.", "Odesa", Group.PORT),
        ("Drones struck the Engels air base.", "Engels", Group.AIRFIELD),
        ("Inspectors reached the Enerhodar nuclear plant.", "Enerhodar", Group.POWER),
        ("Tankers slowed in the Hormuz strait at dawn.", "Hormuz", Group.WATER),
        ("Families fled to the Azraq refugee camp.", "Azraq", Group.CAMP),
        ("Trucks queued at the Rafah border crossing.", "Rafah", Group.CROSSING),
        ("Ferries crossed the Gulf of Aden.", "Gulf of Aden", Group.WATER),
        ("Boats sank in Lake Chad.", "Lake Chad", Group.LAKE),
    ],
)
def test_phrases_ask_for_kinds_of_place(text, name, group, make_mention):
    assert group in cue_groups(make_mention(name, text), text)


def test_phrases_set_the_category(make_mention):
    text = "Sailors at the naval base walked through the city of Sevastopol."
    assert categorize(Feature.CITY, None, [make_mention("Sevastopol", text)], text) == "city"
    text = "Engineers warned about the Zaporizhzhia nuclear plant again."
    assert categorize(Feature.CITY, None, [make_mention("Zaporizhzhia", text)], text) == "other"
    text = "Troops moved into Hama province."
    assert categorize(Feature.CITY, None, [make_mention("Hama", text)], text) == "region"
    text = "The port of Tartus, where the navy keeps a naval base, was busy."
    assert categorize(Feature.CITY, None, [make_mention("Tartus", text)], text) == "base"


# --- near misses on a leash -------------------------------------------------------------------------


def test_transliteration_variants():
    assert "hasakah" in transliteration_variants("al hasakeh")
    assert "tartus" in transliteration_variants("tartous")
    assert "hama" in transliteration_variants("hammah")


def test_near_miss_needs_context(gazetteer):
    geocoder = GazetteerGeocoder(gazetteer)
    # A misspelt Syrian town: placed in Syria when the article is about Syria...
    found = geocoder.geocode("Tartuus", country_codes=["SY"])
    assert found is not None
    place = location_candidate(found)
    assert place.country == "SY" and place.match is Match.NEAR_MISS
    # ...and left unplaced rather than sent to another continent when nothing supports it.
    for country_codes in (["BR"], None):
        found = geocoder.geocode("Tartuus", country_codes=country_codes)
        assert found is None or location_candidate(found).country in (country_codes or [])


def test_variant_spelling_found_before_edit_distance(gazetteer):
    found = GazetteerGeocoder(gazetteer).geocode("Al-Hasakeh", country_codes=["SY"])
    assert found is not None and location_candidate(found).country == "SY"


# --- one sense per article, no drift --------------------------------------------------------------


def test_a_repeated_name_keeps_one_place(gazetteer):
    text = (
        "Delegations met in Geneva on Monday. Diplomats from Syria and Iran attended. "
        "Later in Chicago and Ohio, analysts said Geneva had changed little."
    )
    out = resolve(text, gazetteer, "Geneva", "Syria", "Iran", "Chicago", "Ohio", "Geneva")
    genevas = [r.chosen for r in out if r.mention.text == "Geneva"]
    assert len(genevas) == 2 and genevas[0].place_id == genevas[1].place_id


def test_a_qualified_name_sets_the_sense_of_its_repeats(gazetteer):
    text = "A fair opened in Geneva, Illinois on Friday. Geneva expects many visitors."
    out = resolve(text, gazetteer, "Geneva", "Illinois", "Geneva")
    genevas = [r.chosen for r in out if r.mention.text == "Geneva"]
    assert {g.country for g in genevas} == {"US"}


def test_a_capital_is_not_overturned_by_a_weak_lean(gazetteer):
    text = (
        "Bankers in London reacted calmly. Traders in Texas and Chicago were nervous, "
        "while markets in Paris, Berlin and Tokyo rose."
    )
    out = resolve(text, gazetteer, "London", "Texas", "Chicago", "Paris", "Berlin", "Tokyo")
    assert out[0].chosen.country == "GB"


# --- names readers use ------------------------------------------------------------------------------


def test_english_display_names_keep_the_written_form(gazetteer):
    best = gazetteer.candidates("tartus")[0]
    assert best.name == "Tartus" and best.country == "SY"
    latakia = gazetteer.candidates("al ladhiqiyah")
    assert any(c.name == "Latakia" for c in latakia)  # the written form still finds it
