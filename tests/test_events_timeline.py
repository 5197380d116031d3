"""Events on the map and its timeline: a place's main type (the colouring's rule), the tints and
legend of "colour by event type", the counts per day, what a range of days and a choice of types
keep, and the timeline's chart. Real parses of the seed and of short articles."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.events import events_of
from geo.events.taxonomy import EVENT_TYPES, TYPES, label_of
from geo.events.timeline import DayCount, day_counts, event_days, keep_mention, keep_places, main_type
from geo.inputs.articles import article_of
from geo.map.mapview import places_geojson
from geo.map.tints import BY_EVENT_TYPE, COLOUR_BY, EVENT_COLOURS, OTHER, TINTS, by_event_type, tints
from geo.parse.places import group_places
from ui.events import events_html, timeline_spec

SEED_DAY = dt.date(2016, 3, 14)
#: Two short articles of different days: fighting, then talks, then strikes.
SHORT = {
    "homs": "---\ndate: 2016-05-02\n---\nGovernment forces clashed with rebels in Homs on Sunday.",
    "talks": "---\ndate: 2016-05-10\n---\nTalks resumed in Geneva today. Shelling hit Homs yesterday.",
}


def parsed(geoparser, name: str, raw: str):
    article = article_of(name, raw, "file")
    result = geoparser.parse(article.text)
    return result, events_of(article.text, result, article.meta.date)


@pytest.fixture(scope="module")
def seed(geoparser, seed_text):
    result, events = parsed(geoparser, "seed", seed_text)
    return group_places(result.mentions), events


@pytest.fixture(scope="module")
def short(geoparser):
    mentions, events = [], {}
    for name, raw in SHORT.items():
        result, found = parsed(geoparser, name, raw)
        mentions.extend(result.mentions)
        events.update(found)
    return group_places(mentions), events


def named(places, name):
    return next(p for p in places if p.place.name.startswith(name))


def test_the_main_type_is_the_most_reported_then_the_most_violent():
    assert main_type([("diplomacy",), ("diplomacy",), ("strikes",)]) == "diplomacy"
    assert main_type([("diplomacy",), ("strikes",)]) == "strikes"  # a tie: the taxonomy's more violent
    assert main_type([("fighting", "diplomacy"), ("diplomacy",)]) == "diplomacy"
    assert main_type([("mentioned",), ("humanitarian",), ("mentioned",)]) == "humanitarian"
    assert main_type([("mentioned",), ("mentioned",)]) == "mentioned"
    assert main_type([]) is None
    assert TYPES[0] == "fighting" and TYPES[-1] == "mentioned"  # the order the ties follow


def test_colour_by_event_type_gives_each_seed_place_its_main_types_colour_and_a_legend_of_them(seed):
    places, events = seed
    assert BY_EVENT_TYPE in COLOUR_BY and set(EVENT_COLOURS.values()) <= TINTS
    found = by_event_type(places, events)
    colour = dict(found.by_place)
    assert colour[named(places, "Hmeymim").place.place_id] == EVENT_COLOURS["movements"]
    assert colour[named(places, "Geneva").place.place_id] == EVENT_COLOURS["diplomacy"]
    assert colour[named(places, "New York").place.place_id] == EVENT_COLOURS["mentioned"]
    # One swatch per type that colours a place, in the taxonomy's order, and no other.
    used = set(colour.values())
    assert {c for _, c in found.legend} == used
    order = [label for label, _ in found.legend]
    assert order == [t.label for t in EVENT_TYPES if t.colour in used]
    assert tints(BY_EVENT_TYPE, {}, {}, [], places=places, events=events) == found


def test_a_place_without_events_is_grey_and_the_legend_says_so(seed):
    places, _ = seed
    found = by_event_type(places[:2], {})
    assert set(dict(found.by_place).values()) == {OTHER}
    assert found.legend == (("no events read", OTHER),)


def test_the_legend_travels_with_the_places_escaped(seed):
    places, events = seed
    found = by_event_type(places, events)
    hostile = (("<img src=x onerror=alert(1)>", EVENT_COLOURS["fighting"]), ("dropped", "red;background:url(x)"))
    data = places_geojson(tuple(places), found.by_place, found.legend + hostile)
    assert "<img" not in data
    legend = json.loads(data)["legend"]
    assert legend[-1] == [
        "&lt;img src=x onerror=alert(1)&gt;",
        EVENT_COLOURS["fighting"],
    ]  # a colour not a tint is left out
    assert [c for _, c in legend[:-1]] == [c for _, c in found.legend]
    assert "legend" not in json.loads(places_geojson(tuple(places), found.by_place))


def test_counts_per_day_and_type_follow_the_event_dates(short):
    places, events = short
    counts = day_counts(places, events)
    # "on Sunday" before 2 May 2016 (a Monday) is 1 May; "yesterday" before 10 May is 9 May.
    assert (dt.date(2016, 5, 1), "fighting") in {(c.day, c.type) for c in counts}
    assert (dt.date(2016, 5, 9), "strikes") in {(c.day, c.type) for c in counts}
    assert (dt.date(2016, 5, 10), "diplomacy") in {(c.day, c.type) for c in counts}
    assert event_days(counts) == sorted({c.day for c in counts})
    assert sum(c.count for c in counts) == sum(len(p.mentions) for p in places)
    assert counts == tuple(sorted(counts, key=lambda c: (c.day, TYPES.index(c.type))))


def test_a_range_of_days_and_a_choice_of_types_narrow_the_places_and_their_mentions(short):
    places, events = short
    homs = named(places, "Homs")
    assert len(homs.mentions) == 2
    assert keep_places(places, events) == list(places)  # nothing narrows: the same places
    may_9 = keep_places(places, events, days=(dt.date(2016, 5, 9), dt.date(2016, 5, 9)))
    assert [p.place.name for p in may_9] == [homs.place.name]
    assert [events[m].types for m in may_9[0].mentions] == [("strikes",)]
    talks = keep_places(places, events, types=frozenset({"diplomacy"}))
    assert named(talks, "Geneva") and not [p for p in talks if p.place.name.startswith("Homs")]
    assert keep_places(places, events, types=frozenset({"protests"})) == []
    assert keep_places(places, events, days=(dt.date(2016, 5, 1), dt.date(2016, 5, 10)), min_mentions=2) == [homs]
    assert not keep_mention(None, frozenset({"fighting"}))
    assert keep_mention(None)


def test_the_timeline_chart_draws_the_counts_in_the_taxonomys_colours_and_fades_the_days_outside():
    counts = (
        DayCount(dt.date(2016, 5, 1), "fighting", 2),
        DayCount(dt.date(2016, 5, 9), "strikes", 1),
        DayCount(dt.date(2016, 5, 10), "diplomacy", 3),
    )
    spec = timeline_spec(counts, (dt.date(2016, 5, 9), dt.date(2016, 5, 10)))
    rows = spec["data"]["values"]
    assert [(r["day"], r["type"], r["count"], r["shown"]) for r in rows] == [
        ("2016-05-01", "Fighting", 2, False),
        ("2016-05-09", "Strikes from afar", 1, True),
        ("2016-05-10", "Diplomacy", 3, True),
    ]
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == [label_of(k) for k in ("fighting", "strikes", "diplomacy")]
    assert scale["range"] == [EVENT_COLOURS[k] for k in ("fighting", "strikes", "diplomacy")]
    assert all(r["shown"] for r in timeline_spec(counts, None)["data"]["values"])


def test_a_places_events_are_listed_with_their_words_and_excerpts_escaped(seed):
    places, events = seed
    hmeymim = named(places, "Hmeymim")
    items = [(m, events[m]) for m in hmeymim.mentions]
    shown = events_html(items)
    assert "2016-03-14 (published)" in shown and "Movements" in shown
    assert "<q>withdrawal</q>" in shown and "Russian" in shown
    assert "<b>Hmeymim" in shown  # the place marked in its excerpt
    mention = hmeymim.mentions[0]
    hostile = type(mention)(
        mention.start, mention.end, mention.text, mention.label, mention.finder, 0, 0,
        f"<script>alert(1)</script> {mention.text}",
    )  # fmt: skip
    assert "<script>" not in events_html([(hostile, events[mention])])
    assert "&lt;script&gt;" in events_html([(hostile, events[mention])])
