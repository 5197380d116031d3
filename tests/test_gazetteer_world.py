"""The places war reports name (issue #25): villages, reefs, shoals, straits, ports and breakaway
regions from Who's On First, GeoNames' no-country features, the World Port Index and the landmark
table, and the many romanisations of Arabic, Persian and Cyrillic names (the folded key). Every
sentence here is written for these tests."""

from __future__ import annotations

import gzip
import json

import pytest

from geo.core.features import Feature
from geo.core.normalize import FOLDED_KEY, folded_key, name_key
from geo.core.provenance import Match
from geo.gazetteer import build, derive, derive_world, sources, store
from geo.gazetteer.sources import Entry
from tests.conftest import km


def places(geoparser, text):
    """Return {mention text: place} for the mentions of ``text`` the geoparser placed."""
    return {m.mention.text: m.place for m in geoparser.parse(text).mentions if m.place is not None}


def near(place, lat, lon, within=30.0):
    return place is not None and km(place.lat, place.lon, lat, lon) <= within


# --- the folded key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Qamishli", "Al Qamishli"),  # an article before the name
        ("Deir ez-Zor", "Dayr az Zawr"),  # an article inside it, ei/ay, o/aw
        ("Kharkov", "Kharkiv"),  # Russian against Ukrainian; kh
        ("Zaporozhye", "Zaporizhzhia"),  # zh, doubled letters, -ye/-ia
        ("Lugansk", "Luhansk"),  # Russian g, Ukrainian h
        ("Homs", "Hims"),
        ("Mosul", "Al Mawsil"),
        ("Tartous", "Tartus"),  # ou/u
        ("Raqqa", "Ar-Raqqah"),  # doubled letters, a final h
        ("Hasakah", "al-Hasakeh"),
        ("Beit Lahia", "Bayt Lahiya"),  # ei/ay, -ia/-iya
        ("Souran", "Suran"),
        ("Kiev", "Kyiv"),  # y/i
        ("Yevpatoriya", "Evpatoria"),
        ("Sheikh Maqsoud", "Shaykh Maqsud"),  # q/k, ei/ay, ou/u
        ("Maʿarrat al-Nuʿman", "Ma'arrat an-Nu'man"),  # ʿayn and hamza marks, apostrophes
    ],
)
def test_the_folded_key_joins_the_common_romanisations(one, other):
    assert folded_key(name_key(one)) == folded_key(name_key(other))


def test_the_folded_key_keeps_different_names_apart():
    assert folded_key(name_key("Hamas")) != folded_key(name_key("Homs"))
    assert folded_key(name_key("Hama")) != folded_key(name_key("Homs"))
    assert folded_key(name_key("Aleppo")) != folded_key(name_key("Idlib"))


def test_ayn_and_hamza_marks_are_apostrophes_in_the_name_key():
    assert name_key("Saʿdah") == name_key("Sa'dah") == name_key("Sa`dah") == "sadah"


def _gazetteer(tmp_path, *entries):
    return store.Gazetteer(build.build(tmp_path / "g.sqlite", entries=list(entries)))


def test_a_folded_match_is_weaker_and_only_when_the_exact_key_names_nothing(tmp_path):
    gaz = _gazetteer(
        tmp_path,
        Entry("Qamishli", Feature.CITY, "SY", 37.05, 41.22, 184_000, "test"),
        Entry("Kamishly", Feature.CITY, "XX", 1.0, 1.0, 1_000, "test"),  # an exact name elsewhere
        Entry("Gardenton", Feature.CITY, "US", 40.0, -90.0, 200_000, "test"),  # not romanised
    )
    (found,) = gaz.candidates("qamishly")
    assert (found.name, found.match) == ("Qamishli", Match.FOLDED)
    exact = gaz.candidates("qamishli")[0]
    assert found.prior == pytest.approx(exact.prior - build.FOLDED_PENALTY)
    # The exact key is preferred: a place of that very name hides the folded ones.
    assert [c.name for c in gaz.candidates("kamishly")] == ["Kamishly"]
    # Only names romanised from Arabic, Persian or Cyrillic are folded.
    assert gaz.candidates("gardentan") == []
    # Recognition's evidence is the exact key's alone.
    assert gaz.best_priors(["qamishly"]) == {}


def test_a_folded_look_up_leaves_english_words_alone(tmp_path):
    gaz = _gazetteer(tmp_path, Entry("Tetouan", Feature.CITY, "MA", 35.57, -5.37, 380_000, "test"))
    assert folded_key("titan") == folded_key("tetouan")
    assert gaz.candidates("titan") == []
    assert gaz.candidates("tetuan")[0].match is Match.FOLDED


def test_a_village_is_no_evidence_that_a_word_is_a_place_but_is_a_candidate(tmp_path):
    gaz = _gazetteer(
        tmp_path,
        Entry("Marjanka", Feature.CITY, "UA", 47.5, 35.8, 0, "whosonfirst"),
        Entry("Brightwell", Feature.CITY, "GB", 51.6, -1.1, 1_200, "geonames"),
    )
    assert gaz.best_priors(["marjanka", "brightwell"]).keys() == {"brightwell"}
    assert [c.name for c in gaz.candidates("marjanka")] == ["Marjanka"]


def test_folded_keys_are_written_for_well_known_places_of_romanised_countries(tmp_path):
    gaz = _gazetteer(
        tmp_path,
        Entry("Homs", Feature.CITY, "SY", 34.72, 36.73, 775_000, "test"),
        Entry("Small Homs", Feature.CITY, "SY", 34.0, 36.0, 2_000, "test"),
    )
    rows = gaz._rows("SELECT key, match FROM names WHERE key LIKE ?", (FOLDED_KEY + "%",))
    assert rows == [(FOLDED_KEY + folded_key("homs"), "folded")]


# --- derived tables -----------------------------------------------------------------------------


def _no_country_line(geonameid, name, alternates, lat, lon, fclass, fcode, population=0):
    cols = [str(geonameid), name, name, ",".join(alternates), str(lat), str(lon), fclass, fcode]
    cols += ["", "", "", "", "", "", str(population), "", "0", "", "2024-01-01"]
    return "\t".join(cols)


def test_no_country_features_keep_reefs_shoals_straits_and_regions(tmp_path):
    source = tmp_path / "no-country.txt"
    source.write_text(
        "\n".join(
            [
                _no_country_line(1, "Pearl Shoal", ["Banc Perle", "Black"], 9.75, 115.87, "H", "RF"),
                _no_country_line(2, "Pearl Shoal", [], 9.7436, 115.8675, "U", "RFU"),  # the undersea copy
                _no_country_line(3, "Narrow Strait", ["Narrows"], 26.5, 56.3, "H", "STRT"),
                _no_country_line(4, "The Channel", [], 17.4, -62.9, "H", "CHN"),  # a generic word alone
                _no_country_line(5, "Greater Levantia", [], 33.1, 35.9, "L", "RGN", 371_000_000),
                _no_country_line(6, "Deep Hollow Seamount", [], 10.0, 10.0, "U", "SMU"),  # undersea: left out
                _no_country_line(7, "North Glassic Ocean", [], 40.0, -40.0, "H", "OCN"),
            ]
        ),
        encoding="utf-8",
    )
    assert derive_world.derive_no_country(source, tmp_path) == 4
    rows = {row.split(",")[0]: row for row in (tmp_path / derive_world.FEATURES_CSV).read_text().splitlines()[1:]}
    assert set(rows) == {"Pearl Shoal", "Narrow Strait", "Greater Levantia", "North Glassic Ocean"}
    assert rows["Pearl Shoal"].startswith("Pearl Shoal,Banc Perle,RF,9.7500,115.8700,")  # "Black" is a word
    assert rows["Greater Levantia"].endswith(",0,5")  # a region's population would outrank every town
    assert rows["North Glassic Ocean"].startswith("North Glassic Ocean,Glassic;Glassic Ocean;North Glassic,OCN,")


def test_ports_without_a_town_of_their_name_and_terminals_by_their_short_name(tmp_path):
    source = tmp_path / "WPI.csv"
    header = "Main Port Name,Alternate Port Name,UN/LOCODE,Latitude,Longitude"
    source.write_text(
        "\n".join(
            [
                header,
                "Ras Zuwayr Marine Terminal, ,YE RZW,15.13,42.60",
                "Homs, ,SY HMS,34.72,36.72",  # a cities500 town at the same place stands for it
                "Liberty, ,US LBT,30.0,-90.0",  # an English word
            ]
        ),
        encoding="utf-8",
    )
    assert derive_world.derive_ports(source, tmp_path) == 1
    (row,) = (tmp_path / derive_world.PORTS_CSV).read_text().splitlines()[1:]
    assert row.startswith("Ras Zuwayr Marine Terminal,Ras Zuwayr;Port of Ras Zuwayr;Ras Zuwayr port;")
    assert ",YE,15.1300,42.6000,YE RZW," in row


def _wof_record(wof_id, placetype, name, lat, lon, country="SY", **props):
    properties = {
        "wof:id": wof_id,
        "wof:placetype": placetype,
        "wof:name": name,
        "wof:country": country,
        "geom:latitude": lat,
        "geom:longitude": lon,
        "mz:is_current": 1,
        **props,
    }
    return json.dumps({"id": wof_id, "type": "Feature", "properties": properties, "geometry": None})


def test_who_is_on_first_villages_regions_and_romanisations(tmp_path):
    repo = tmp_path / "whosonfirst-data-admin-sy"
    folder = repo / "data" / "123"
    folder.mkdir(parents=True)
    records = [
        _wof_record(1, "locality", "Tall Zuhur", 36.66, 40.37, **{"name:und_x_variant": ["Tell Zouhour"]}),
        # Homs is a cities500 town: the names WOF adds become its aliases.
        _wof_record(2, "locality", "Homs", 34.72, 36.73, **{"gn:geonameid": 169577, "name:eng_x_variant": ["Hemesa"]}),
        _wof_record(3, "locality", "Games", 35.0, 37.0),  # an English word: left out
        _wof_record(4, "locality", "Dayr Nowhere", 0.25, 0.78),  # far outside Syria's towns
        _wof_record(5, "locality", "Old Tall", 35.0, 37.0, **{"mz:is_current": 0}),  # no longer current
        _wof_record(6, "country", "Freeland", 9.4, 46.7, country="XS"),  # a de facto state
    ]
    for number, record in enumerate(records):
        (folder / f"{number}.geojson").write_text(record, encoding="utf-8")
    counts = derive_world.derive_wof([repo], tmp_path)
    with gzip.open(tmp_path / derive_world.PLACES_CSV, "rt", encoding="utf-8") as handle:
        rows = handle.read().splitlines()[1:]
    assert rows == [
        "SO,Freeland,,RGN,9.4000,46.7000,0,,6",
        "SY,Tall Zuhur,Tell Zouhour,PPL,36.6600,40.3700,0,,1",
    ]
    with gzip.open(tmp_path / derive_world.ALIASES_CSV, "rt", encoding="utf-8") as handle:
        assert handle.read().splitlines()[1:] == ["169577,Hemesa"]
    assert counts["SY dropped"] == 1 and counts["SY misplaced"] == 1


@pytest.mark.parametrize(
    ("name", "city", "short"),
    [
        ("London Heathrow Airport", "London", "Heathrow"),
        ("Amsterdam Airport Schiphol", "Amsterdam", "Schiphol"),
        ("Boryspil International Airport", "Kyiv", "Boryspil"),
        ("Dubai International Airport", "Dubai", None),
        ("Liverpool John Lennon Airport", "Liverpool", None),  # a person's name
        ("Newport News/Williamsburg International Airport", "Newport News", None),
        ("Halliburton Field", "Duncan", None),
        ("Mora Airport", "", None),
    ],
)
def test_an_airports_own_name(name, city, short):
    assert derive_world.airport_short_name(name, city) == short


def test_a_rivers_mouth_is_the_end_of_its_main_stem():
    main = [[0.0, 10.0], [0.0, 5.0], [0.0, 0.0]]  # drawn downstream, to the sea at 0, 0
    tributary = [[3.0, 6.0], [0.0, 5.0]]
    lake = [[0.0, 12.0], [0.0, 10.0]]  # a lake centerline, drawn either way
    assert derive.river_mouth([main, tributary, lake], [main, tributary]) == (0.0, 0.0)
    assert derive.river_mouth([lake], []) is None


def test_the_shipped_tables_stay_compact():
    data = sources.DATA_DIR
    sizes = {path.name: path.stat().st_size for path in data.iterdir()}
    assert sizes["wof_places.csv.gz"] < 25_000_000
    assert sum(sizes.values()) < 40_000_000


# --- the real gazetteer, in sentences written for these tests ----------------------------------------


def test_a_front_line_village_is_found_and_placed(geoparser):
    found = places(
        geoparser, "Ukrainian troops said on Tuesday they had pushed into Robotyne, a village south of Orikhiv."
    )
    assert near(found.get("Robotyne"), 47.45, 35.83, 10)
    assert found["Robotyne"].provenance.dataset == "whosonfirst"


def test_a_reef_a_shoal_and_a_strait(geoparser):
    found = places(geoparser, "A Philippine patrol plane flew over Mischief Reef and Second Thomas Shoal on Monday.")
    assert near(found.get("Mischief Reef"), 9.9, 115.53)
    assert near(found.get("Second Thomas Shoal"), 9.75, 115.87)
    assert found["Second Thomas Shoal"].feature is Feature.REEF
    found = places(geoparser, "The Chinese navy has built an airstrip on Fiery Cross Reef, far from the mainland.")
    assert near(found.get("Fiery Cross Reef"), 9.63, 112.95)
    found = places(geoparser, "Tehran again threatened to close the Strait of Hormuz to tankers this week.")
    assert near(found.get("Strait of Hormuz"), 26.57, 56.25)
    assert found["Strait of Hormuz"].feature is Feature.STRAIT


def test_a_port_terminal(geoparser):
    found = places(geoparser, "Houthi drones struck a tanker loading at the Ras Isa terminal north of the city.")
    assert near(found.get("Ras Isa"), 15.13, 42.6, 15)
    assert found["Ras Isa"].feature is Feature.PORT
    found = places(geoparser, "Ships diverted to the Doraleh port in Djibouti after the attacks.")
    assert near(found.get("Doraleh"), 11.6, 43.09, 10)


def test_a_breakaway_region(geoparser):
    found = places(geoparser, "Voters in Somaliland went to the polls on Wednesday, though no country recognises it.")
    assert near(found.get("Somaliland"), 9.4, 46.7, 200)
    assert found["Somaliland"].country == "SO"


@pytest.mark.parametrize(
    ("text", "name", "lat", "lon"),
    [
        ("Government forces shelled Al Qamishli and the villages around it overnight.", "Al Qamishli", 37.05, 41.23),
        ("Residents fled Kharkov as the bombardment intensified, officials said.", "Kharkov", 49.98, 36.25),
        ("Russian troops near Zaporozhye were reinforced last week.", "Zaporozhye", 47.85, 35.12),
        ("Shells fell on the outskirts of Nikolayev overnight.", "Nikolayev", 46.98, 31.99),
        ("Shells fell on the outskirts of Lugansk overnight.", "Lugansk", 48.57, 39.31),
        ("Rebels in Hims said the ceasefire had collapsed.", "Hims", 34.72, 36.73),
        ("The army said Al Mawsil had been cleared of fighters.", "Al Mawsil", 36.34, 43.12),
        ("Clashes erupted near Raqqah on Monday.", "Raqqah", 35.95, 39.01),
        ("Clashes erupted near al-Hasakeh on Monday.", "al-Hasakeh", 36.5, 40.75),
        ("Families returned to Tartous after the storm.", "Tartous", 34.89, 35.89),
        ("Protesters gathered in Qamishly on Friday.", "Qamishly", 37.05, 41.23),  # through the folded key
    ],
)
def test_every_romanisation_is_found_and_placed(geoparser, text, name, lat, lon):
    assert near(places(geoparser, text).get(name), lat, lon)


def test_romanisations_the_model_may_miss_are_in_the_gazetteer(gazetteer):
    for name, lat, lon in [
        ("Dayr az Zawr", 35.34, 40.14),
        ("Deir ez-Zor", 35.34, 40.14),
        ("Latakiya", 35.52, 35.79),
        ("Ma'arrat an-Nu'man", 35.65, 36.68),
    ]:
        best = gazetteer.candidates(name_key(name))
        assert best and km(best[0].lat, best[0].lon, lat, lon) < 30, name


def test_a_common_word_that_is_also_a_village_stays_unplaced(geoparser, gazetteer):
    assert places(geoparser, "Games resumed after the break, the organisers said.") == {}
    assert all(c.dataset != "whosonfirst" for c in gazetteer.candidates("games"))
    # A village's name alone is no evidence of a place for recognition.
    assert "robotyne" not in gazetteer.best_priors(["robotyne"])
