"""World and conflict news as a reader reads it: the classes of error issue #24 names, each with
sentences written for these tests (none is taken from an evaluation corpus)."""

from __future__ import annotations

import pytest


def placed(geoparser, text: str) -> dict[str, tuple[str, str | None]]:
    """Return each mention's written name with its place's name and country (last one wins)."""
    found = geoparser.parse(text).mentions
    return {m.mention.text: (m.place.name, m.place.country) if m.place else ("", None) for m in found}


# --- a place opening its sentence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Aid workers left Damascus on Sunday. Aleppo was shelled on Monday night.", "Aleppo", "SY"),
        ("Sumy was hit by drones overnight, the regional governor wrote.", "Sumy", "UA"),
        ("Mariupol remained cut off from the coast for a third week.", "Mariupol", "UA"),
        ("Homs has been quiet since the truce, residents told reporters.", "Homs", "SY"),
    ],
)
def test_a_large_place_opening_its_sentence_before_a_verb_is_a_place(geoparser, text, name, country):
    assert placed(geoparser, text).get(name, ("", None))[1] == country


def test_a_capitalised_word_opening_a_sentence_before_no_verb_stays_a_word(geoparser):
    # "Nice" and "Reading" are towns of some size; here they are words.
    found = placed(geoparser, "Nice work by the negotiators, one diplomat wrote. Reading the text, few agreed.")
    assert "Nice" not in found and "Reading" not in found


# --- countries and capitals speak ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Jordan said on Friday it would close the Jaber crossing to lorries.", "Jordan", "JO"),
        ("Niger says the convoy was ambushed near the border with Mali.", "Niger", "NE"),
        ("Qatar told both delegations that the talks would resume after the holiday.", "Qatar", "QA"),
    ],
)
def test_a_country_that_speaks_is_a_country(geoparser, text, name, country):
    assert placed(geoparser, text).get(name, ("", None))[1] == country


def test_a_person_of_the_same_name_who_speaks_stays_a_person(geoparser):
    text = "Forward Michael Jordan scored 31 points on Tuesday. Jordan said his knee felt fine afterwards."
    assert "Jordan" not in placed(geoparser, text)


def test_a_party_named_after_its_country_is_no_place_when_it_speaks(geoparser):
    found = placed(geoparser, "Voters in Tver backed the ruling party. United Russia said turnout was high.")
    assert "Russia" not in found
