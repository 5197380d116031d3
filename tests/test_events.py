"""Events per place mention (geo.events): types by clause, the words that decided, actors and
dates. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.core.values import Entity, Mention
from geo.eval import events as scorer
from geo.events.annotate import annotate
from geo.events.dates import find_date
from tests.conftest import ROOT

TUESDAY = dt.date(2016, 3, 15)


def mentions_of(text: str, *names: str) -> list[Mention]:
    """Return a Mention of each name's first occurrence, the whole text as its sentence."""
    out = []
    for name in names:
        at = text.index(name)
        out.append(Mention(at, at + len(name), name, "GPE", "ner", 0, len(text), text))
    return out


def types_of(text: str, *names: str, published: dt.date = TUESDAY) -> dict[str, tuple[str, ...]]:
    found = annotate(text, mentions_of(text, *names), published)
    return {name: events.types for name, events in zip(names, found, strict=True)}


def test_each_clause_gives_its_own_places_their_events():
    text = "Talks resumed in Geneva, while shelling hit the outskirts of Idlib."
    assert types_of(text, "Geneva", "Idlib") == {"Geneva": ("diplomacy",), "Idlib": ("strikes",)}


def test_an_event_carries_the_words_that_decided_it():
    text = "Russian forces withdrew from Hmeymim air base on Monday."
    (events,) = annotate(text, mentions_of(text, "Hmeymim"), TUESDAY)
    assert events.types == ("movements",)
    assert events.triggers == ("withdrew",)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Rebels and soldiers clashed for hours on the road into Sirte.", "Sirte", "fighting"),
        ("A drone hit a fuel depot outside Belgorod overnight.", "Belgorod", "strikes"),
        ("Gunmen abducted a dozen farmers near Zamfara.", "Zamfara", "civilians"),
        ("Thousands of students rallied in Santiago against the new law.", "Santiago", "protests"),
        ("The navy deployed two frigates to Crete.", "Crete", "movements"),
        ("The two foreign ministers signed an agreement in Baku.", "Baku", "diplomacy"),
        ("Families fled Gao as food ran short.", "Gao", "humanitarian"),
        ("The singer, who was born in Lagos, toured Europe.", "Lagos", "mentioned"),
    ],
)
def test_each_type_from_its_words(text, name, kind):
    assert types_of(text, name)[name] == (kind,)


def test_the_place_that_speaks_is_diplomacy_not_what_it_reports():
    text = "A missile hit a port on the Black Sea, Ankara said."
    assert types_of(text, "Ankara")["Ankara"] == ("diplomacy",)


def test_a_place_that_only_locates_another_is_mentioned():
    text = "Rebels shelled the outskirts of Masisi, west of Goma."
    assert types_of(text, "Masisi", "Goma") == {"Masisi": ("strikes",), "Goma": ("mentioned",)}


def test_actors_are_the_organisations_and_nationalities_of_the_sentence_not_the_place():
    text = "Houthi forces fired at a tanker off Hodeidah, the UN said."
    entities = [Entity(0, 6, "Houthi", "NORP"), Entity(51, 53, "UN", "ORG"), Entity(36, 44, "Hodeidah", "GPE")]
    (events,) = annotate(text, mentions_of(text, "Hodeidah"), TUESDAY, entities)
    assert events.actors == ("Houthi", "UN")


@pytest.mark.parametrize(
    ("clause", "day"),
    [
        ("on Monday", dt.date(2016, 3, 14)),
        ("on Tuesday", TUESDAY),  # the day it was published
        ("yesterday", dt.date(2016, 3, 14)),
        ("last week", dt.date(2016, 3, 8)),
        ("two days ago", dt.date(2016, 3, 13)),
        ("on 3 March", dt.date(2016, 3, 3)),
        ("on March 20", dt.date(2015, 3, 20)),  # no year: the latest before publication
        ("on 20 March 2014", dt.date(2014, 3, 20)),
        ("will meet on Friday", dt.date(2016, 3, 18)),  # the future: the next Friday
    ],
)
def test_dates_resolve_against_the_publication_date(clause, day):
    given = find_date(f"The convoy moved {clause}.", TUESDAY)
    assert given is not None and given.day == day


def test_a_mention_without_a_day_keeps_the_publication_date_and_says_so():
    text = "Talks resumed in Geneva last month."
    (events,) = annotate(text, mentions_of(text, "Geneva"), TUESDAY)
    assert (events.date, events.date_text, events.date_source) == (TUESDAY, None, "published")


def test_without_a_publication_date_a_weekday_gives_no_date():
    text = "Talks resumed in Geneva on Monday."
    (events,) = annotate(text, mentions_of(text, "Geneva"), None)
    assert events.date is None and events.date_source is None


def test_the_scorer_reads_the_gold_set_and_splits_a_third_off():
    texts = scorer.load(ROOT / "geo" / "eval" / "data" / "events-gold.jsonl")
    test = scorer.split(texts, "test")
    assert len(test) == len(texts) // 3 and {t.line % 3 for t in test} == {2}
    figures = scorer.score(test[:5]).figures()
    assert figures["mentions"] >= 5 and set(figures["types"]) >= {"fighting", "mentioned"}


def test_python_m_geo_eval_events_prints_the_figures(capsys):
    from geo.eval.__main__ import main

    assert main(["events", str(ROOT / "geo" / "eval" / "data" / "events-gold.jsonl"), "--split", "test"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "dates within a day" in out
