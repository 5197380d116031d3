from geo.core.values import Candidate, MappedPlace, Mention, Place, PlaceMention
from geo.parse.places import (
    correction_targets,
    filter_places,
    mentions_in,
    mentions_of,
    other_readings,
    place_at,
    unplaced_names,
)

ARTICLE = "Jets hit Aleppo. Aleppo burned. Talks in Geneva. Nowhereland said nothing."
OTHER = "Geneva hosted talks; geneva again."


def place(name, kind="city", country="SY", lat=36.2, lon=37.16):
    return Place(f"test:{name}", name, lat, lon, kind, country, "PPL", "test")


def mention(text, name, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(start, start + len(name), text[start : start + len(name)], "GPE", "ner", 0, len(text), text)


def candidate(name, ref, country="US", source="geonames"):
    return Candidate(1, name, "PPL", country, "Illinois", 41.0, -88.0, 100, source, ref=ref)


ALEPPO = place("Aleppo")
GENEVA = place("Geneva", "venue", "CH", 46.2, 6.15)
ILLINOIS = candidate("Geneva", "4893591")
NEW_YORK = candidate("Geneva", "5117425")
RESULTS = {
    "first": [
        PlaceMention(mention(ARTICLE, "Aleppo"), ALEPPO),
        PlaceMention(mention(ARTICLE, "Aleppo", 1), ALEPPO),
        PlaceMention(mention(ARTICLE, "Geneva"), GENEVA, (ILLINOIS, candidate("Geneva", "Geneva", "CH", "test"))),
        PlaceMention(mention(ARTICLE, "Nowhereland"), None),
    ],
    "second": [
        PlaceMention(mention(OTHER, "Geneva"), GENEVA, (NEW_YORK, ILLINOIS)),
        PlaceMention(mention(OTHER, "geneva"), GENEVA),
    ],
}
TEXTS = {"first": ARTICLE, "second": OTHER}


def mapped(p, count=1):
    return MappedPlace(p, tuple(Mention(0, 1, p.name, "GPE", "ner", 0, 1, p.name) for _ in range(count)))


def test_filter_places_by_kind_country_and_mentions_keeps_the_order():
    places = [mapped(ALEPPO, 3), mapped(GENEVA, 2), mapped(place("Damascus", "city", "SY"), 1)]
    names = lambda found: [m.place.name for m in found]  # noqa: E731
    assert names(filter_places(places, kinds={"city"}, countries=(), min_mentions=1)) == ["Aleppo", "Damascus"]
    assert names(filter_places(places, kinds=("city", "venue"), countries=["CH"], min_mentions=1)) == ["Geneva"]
    assert names(filter_places(places, kinds=("city", "venue"), countries=[], min_mentions=2)) == ["Aleppo", "Geneva"]
    assert filter_places(places, kinds=(), countries=[], min_mentions=1) == []


def test_mentions_in_follows_the_articles_asked_for():
    assert [i.mention.text for i in mentions_in(RESULTS, ["second", "missing"])] == ["Geneva", "geneva"]
    assert len(list(mentions_in(RESULTS, ["first", "second"]))) == 6


def test_mentions_of_a_place_per_article_once_each():
    assert mentions_of("test:Aleppo", RESULTS, ["first", "second"]) == {
        "first": [mention(ARTICLE, "Aleppo"), mention(ARTICLE, "Aleppo", 1)]
    }
    repeated = {"first": RESULTS["first"] + RESULTS["first"][:1]}
    assert len(mentions_of("test:Aleppo", repeated, ["first"])["first"]) == 2
    assert list(mentions_of("test:Geneva", RESULTS, ["second", "first"])) == ["second", "first"]
    assert mentions_of("test:Geneva", RESULTS, ["first"]) == {"first": [mention(ARTICLE, "Geneva")]}
    assert mentions_of("test:Nowhere", RESULTS, ["first", "second"]) == {}


def test_a_correction_applies_to_every_name_of_the_place_in_the_shown_articles():
    assert correction_targets("test:Geneva", RESULTS, TEXTS, ["first", "second"]) == {
        (ARTICLE, "geneva"),
        (OTHER, "geneva"),
    }
    assert correction_targets("test:Geneva", RESULTS, TEXTS, ["second"]) == {(OTHER, "geneva")}
    assert correction_targets("test:Aleppo", RESULTS, TEXTS, ["second"]) == set()


def test_other_readings_leave_out_the_place_itself_and_repeats():
    assert other_readings("test:Geneva", RESULTS, ["first", "second"]) == [ILLINOIS, NEW_YORK]
    assert other_readings("test:Geneva", RESULTS, ["second"]) == [NEW_YORK, ILLINOIS]
    assert other_readings("test:Aleppo", RESULTS, ["first", "second"]) == []


def test_unplaced_names():
    assert unplaced_names(RESULTS, ["first", "second"]) == ["Nowhereland"]
    assert unplaced_names(RESULTS, ["second"]) == []


def test_place_at_finds_the_nearest_marker():
    aleppo, geneva = mapped(ALEPPO), mapped(GENEVA)
    assert place_at([aleppo, geneva], 36.2, 37.16) is aleppo
    assert place_at([aleppo, geneva], 46.0, 6.0) is geneva
    assert place_at([], 46.0, 6.0) is None
