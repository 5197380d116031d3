"""Marker colours by article and by date (geo.map.tints), and their way into the map's data."""

from __future__ import annotations

import datetime as dt
import json

from geo.core.values import MappedPlace, PlaceMention
from geo.inputs.metadata import ArticleMeta
from geo.map.mapview import places_geojson
from geo.map.tints import ARTICLE_COLOURS, DATE_RAMP, OTHER, by_article, by_date, tints


def results_of(make_mention, make_place, named: dict[str, list[str]]) -> dict[str, list[PlaceMention]]:
    """Return each article's mentions of the places it names (a place per name, the same key throughout)."""
    return {
        article: [PlaceMention(make_mention(name, " ".join(names)), make_place(name)) for name in names]
        for article, names in named.items()
    }


def test_by_article_the_newest_article_colours_a_place_and_the_legend_names_them(make_mention, make_place):
    results = results_of(
        make_mention, make_place, {"old": ["Kidal", "Gao"], "new": ["Gao", "Mopti"], "undated": ["Tessalit"]}
    )
    metas = {
        "old": ArticleMeta(title="Convoy reaches Kidal", date=dt.date(2023, 1, 5)),
        "new": ArticleMeta(title="Talks in Mopti", date=dt.date(2023, 2, 9)),
        "undated": ArticleMeta(),
    }
    found = by_article(results, metas, ["old", "new", "undated"])
    colour = dict(found.by_place)
    key = {name: make_place(name).place_id for name in ("Kidal", "Gao", "Mopti", "Tessalit")}
    assert colour[key["Gao"]] == colour[key["Mopti"]] == ARTICLE_COLOURS[0]  # the newest article's
    assert colour[key["Kidal"]] == ARTICLE_COLOURS[1]
    assert colour[key["Tessalit"]] == ARTICLE_COLOURS[2]  # undated articles come last
    assert found.legend == (
        ("Talks in Mopti", ARTICLE_COLOURS[0]),
        ("Convoy reaches Kidal", ARTICLE_COLOURS[1]),
        ("undated", ARTICLE_COLOURS[2]),
    )


def test_by_article_beyond_the_palette_articles_share_grey(make_mention, make_place):
    names = [f"a{n}" for n in range(len(ARTICLE_COLOURS) + 3)]
    results = {
        name: [PlaceMention(make_mention("Gao", "In Gao."), make_place(f"Gao{n}"))] for n, name in enumerate(names)
    }
    found = by_article(results, {}, names)
    assert [c for _, c in found.by_place].count(OTHER) == 3
    assert found.legend[-1] == ("3 more articles", OTHER)


def test_by_date_runs_from_the_oldest_to_the_newest_and_undated_is_grey(make_mention, make_place):
    results = results_of(make_mention, make_place, {"a": ["Goma"], "b": ["Bukavu"], "c": ["Uvira"], "d": ["Beni"]})
    metas = {
        "a": ArticleMeta(date=dt.date(2024, 1, 1)),
        "b": ArticleMeta(date=dt.date(2024, 1, 20)),
        "c": ArticleMeta(date=dt.date(2024, 3, 1)),
        "d": ArticleMeta(),
    }
    found = by_date(results, metas, list(metas))
    colour = {k: c for k, c in found.by_place}
    assert colour[make_place("Goma").place_id] == DATE_RAMP[0]
    assert colour[make_place("Uvira").place_id] == DATE_RAMP[-1]
    assert colour[make_place("Bukavu").place_id] not in (DATE_RAMP[0], DATE_RAMP[-1], OTHER)
    assert colour[make_place("Beni").place_id] == OTHER
    assert found.legend[0] == ("2024-01-01", DATE_RAMP[0]) and found.legend[-1] == ("no date", OTHER)
    assert tints("category", results, metas, list(metas)).by_place == ()


def test_the_map_data_carries_only_the_apps_own_colours(make_mention, make_place):
    places = (
        MappedPlace(make_place("Goma"), (make_mention("Goma", "In Goma."),)),
        MappedPlace(make_place("Beni"), (make_mention("Beni", "In Beni."),)),
    )
    hostile = ((places[0].place.place_id, DATE_RAMP[1]), (places[1].place.place_id, "red'><script>alert(1)</script>"))
    features = json.loads(places_geojson(places, hostile))["features"]
    assert features[0]["properties"]["tint"] == DATE_RAMP[1]
    assert "tint" not in features[1]["properties"]
    assert "tint" not in json.loads(places_geojson(places))["features"][0]["properties"]
