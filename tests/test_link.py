"""The share link: every filter and the date range in, bounded and validated on the way back."""

from __future__ import annotations

import datetime as dt

import pytest

from ui.link import MAX_VALUES, link_of


def test_a_link_carries_countries_articles_and_dates():
    link = link_of(
        {
            "country": ["SY", "RU"],
            "article": ["Aid convoys reach Idlib", "Talks in Doha"],
            "from": ["2016-03-01"],
            "to": ["2020-02-11"],
        }
    )
    assert link.countries == ("SY", "RU")
    assert link.articles == ("Aid convoys reach Idlib", "Talks in Doha")
    assert (link.date_from, link.date_to) == (dt.date(2016, 3, 1), dt.date(2020, 2, 11))


def test_dates_the_wrong_way_round_are_swapped():
    link = link_of({"from": ["2020-02-11"], "to": ["2016-03-01"]})
    assert (link.date_from, link.date_to) == (dt.date(2016, 3, 1), dt.date(2020, 2, 11))


@pytest.mark.parametrize("value", ["yesterday", "2016-02-30", "0001-01-01", "9999-12-31", "2016-03-01" * 30, ""])
def test_a_malformed_date_is_left_out(value):
    link = link_of({"from": [value], "to": [value]})
    assert link.date_from is None and link.date_to is None


def test_countries_are_two_letter_codes_and_lists_are_bounded():
    link = link_of({"country": ["SY", "Syria", "<s>", "ru", "1A"], "article": ["a"] * 500 + ["x" * 1000]})
    assert link.countries == ("SY", "ru")
    assert len(link.articles) == MAX_VALUES and "x" * 1000 not in link.articles


def test_a_plain_link_asks_for_nothing_new():
    link = link_of({})
    assert (link.countries, link.articles, link.date_from, link.date_to) == ((), (), None, None)


@pytest.mark.parametrize(
    ("value", "expected"), [("article", "article"), ("date", "date"), ("<b>", "category"), ("", "category")]
)
def test_the_markers_colouring_travels_and_anything_else_is_by_category(value, expected):
    assert link_of({"colour": [value]}).colour_by == expected


def test_the_event_types_and_the_timelines_range_travel_checked():
    link = link_of(
        {
            "event": ["diplomacy", "<script>", "strikes", "diplomacy", "Fighting"],
            "event_from": ["2016-03-14"],
            "event_to": ["2016-02-26"],
        }
    )
    assert link.event_types == ("diplomacy", "strikes")  # known keys only, once each
    assert (link.event_from, link.event_to) == (dt.date(2016, 2, 26), dt.date(2016, 3, 14))  # swapped
    assert link_of({"event_from": ["not a day"]}).event_from is None
    assert link_of({"colour": ["event type"]}).colour_by == "event type"
