"""Recognition (geo.recognize): each failure class pinned with short texts written for the purpose.

Most tests set the model's (wrong) labels by hand on a blank English pipeline, so they pin the
rules whatever the statistical model does; a few run the real model end to end.
"""

import pytest
import spacy

from geo.recognize import Recognizer
from geo.recognize.extract import mentions


def recognised(gazetteer, text: str, ents: list[tuple[str, str]] = ()) -> list[str]:
    """Return the place names recognised in ``text`` when the model labelled ``ents`` so."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    spans = []
    for name, label in ents:
        start = text.index(name)
        spans.append(doc.char_span(start, start + len(name), label=label, alignment_mode="expand"))
    doc.ents = spans
    return [m.text for m in mentions(Recognizer(gazetteer)(doc))]


def test_countries_and_capitals_the_model_mislabels_are_places(gazetteer):
    text = "Talks between Niger and Senegal were held in Dakar, while Nouakchott stayed away."
    ents = [("Niger", "WORK_OF_ART"), ("Senegal", "ORG"), ("Dakar", "PERSON"), ("Nouakchott", "NORP")]
    assert recognised(gazetteer, text, ents) == ["Niger", "Senegal", "Dakar", "Nouakchott"]


def test_fused_coordinated_spans_are_split_into_their_places(gazetteer):
    assert recognised(gazetteer, "Missiles hit Lviv and Rivne overnight.", [("Lviv and Rivne", "FAC")]) == [
        "Lviv",
        "Rivne",
    ]
    assert recognised(gazetteer, "Convoys left Homs and Hama at dawn.", [("Homs and Hama", "ORG")]) == ["Homs", "Hama"]
    # A country whose name has "and" in it stays whole.
    text = "Ministers from Trinidad and Tobago arrived."
    assert recognised(gazetteer, text, [("Trinidad and Tobago", "GPE")]) == ["Trinidad and Tobago"]


def test_a_name_accepted_once_is_a_place_wherever_the_article_repeats_it(gazetteer):
    text = (
        "Aid ships docked at Mukalla on Monday. Mukalla dock workers unloaded flour. "
        "Later the governor of Mukalla thanked the donors."
    )
    assert recognised(gazetteer, text, [("Mukalla", "GPE")]) == ["Mukalla", "Mukalla", "Mukalla"]


def test_a_locative_word_before_an_untagged_town_makes_it_a_place(gazetteer):
    assert recognised(gazetteer, "A convoy was ambushed near Kidal at dawn.") == ["Kidal"]
    assert recognised(gazetteer, "Fishing boats were seized off Marib last year.") == ["Marib"]
    # The word after a name that names the place's own kind says place, however low its prior.
    text = "Insurers raised rates for ships in the Bab el-Mandeb strait this week."
    assert recognised(gazetteer, text, [("the Bab el-Mandeb", "ORG")]) == ["Bab el-Mandeb"]
    # So do a name's own words: a county inside an organisation's name is a place.
    text = "Volunteers from the Ashtabula County Genealogy Society joined the Tazewell County Board of Realtors."
    ents = [("the Ashtabula County Genealogy Society", "ORG"), ("the Tazewell County Board of Realtors", "ORG")]
    assert recognised(gazetteer, text, ents) == ["Ashtabula County", "Tazewell County"]
    # A state's abbreviation written with its stop is a place wherever it stands.
    text = "The Ky. Transportation Cabinet closed the road, and Sen. Ann Roe, R-Okla., objected."
    assert recognised(gazetteer, text, [("The Ky. Transportation Cabinet", "ORG")]) == ["Ky.", "Okla."]
    # Not where it stands before a name or a plain word.
    assert recognised(gazetteer, "We asked Mo. Jones about Ind. candidates today.") == []
    # Initials must be the area's: "L.A." is not Louisiana ("La.").
    assert recognised(gazetteer, "Rep. Ann Roe, D-N.C., said traffic in L.A. stalled.") == ["N.C."]
    # The model may call a town a person; "from" before it still says place.
    assert recognised(gazetteer, "Boats set out from Zuwara at night.", [("Zuwara", "PERSON")]) == ["Zuwara"]
    # Where a person in the news lives: "Name, 29, of X".
    assert recognised(gazetteer, "Shelling wounded Omar Kassem, 29, of Jableh, on Sunday.") == ["Jableh"]
    assert recognised(gazetteer, "A friend of Safita met us.") == []
    # The same small town with no cue, mid-sentence or opening a sentence, is not enough.
    assert recognised(gazetteer, "The envoy met Kidal elders.") == []
    assert recognised(gazetteer, "Kidal elders met the envoy.") == []


def test_names_listed_with_a_place_are_places(gazetteer):
    text = "Raids hit Kidal, Menaka and Timbuktu this week."
    assert recognised(gazetteer, text, [("Timbuktu", "GPE")]) == ["Kidal", "Menaka", "Timbuktu"]
    # However small: counties too small to stand alone are places in a list with a place.
    text = "Frost warnings covered Uppsala, Gävleborg, Dalarna and Jämtland overnight."
    assert recognised(gazetteer, text, [("Uppsala", "GPE")]) == ["Uppsala", "Gävleborg", "Dalarna", "Jämtland"]
    assert recognised(gazetteer, text) == ["Uppsala"]  # no list without a place in it
    # Not the names of streets or schools listed with a place, nor a piece of a person's name.
    text = "Crews cleared Elm and Spruce avenues after the storm hit Dover and Guy C. Smith's farm."
    assert recognised(gazetteer, text, [("Dover", "GPE")]) == ["Dover"]


def test_a_list_of_counties_finds_the_counties_known_only_with_their_area_word(gazetteer):
    # The gazetteer knows "Kittson County" and "Kanabec County", not "Kittson" or "Kanabec": the
    # plural area word asks for them.
    text = "Blizzard warnings cover Roseau, Kittson, Kanabec and Traverse counties tonight."
    ents = [("Roseau", "GPE")]
    assert recognised(gazetteer, text, ents) == ["Roseau", "Kittson", "Kanabec", "Traverse"]


def test_a_word_in_lower_case_is_no_place_whatever_the_model_says(gazetteer):
    text = "Deputies found the meth in a shed near the gulf between the two farms outside Bakersfield."
    ents = [("meth", "GPE"), ("gulf", "LOC"), ("Bakersfield", "GPE")]
    assert recognised(gazetteer, text, ents) == ["Bakersfield"]


def test_a_news_outlets_home_and_a_currencys_country_are_not_places_of_the_story(gazetteer):
    text = (
        "The Denver Post, Agence France-Presse and the Voice of America reported shelling near "
        "Aleppo, where US$5 million in aid arrived."
    )
    ents = [("The Denver Post", "ORG"), ("Agence France-Presse", "ORG"), ("the Voice of America", "ORG")]
    assert recognised(gazetteer, text, [*ents, ("Aleppo", "GPE")]) == ["Aleppo"]
    # A sum after a place's name leaves the place.
    assert recognised(gazetteer, "The deal will pay Dallas County $2 million.") == ["Dallas County"]


def test_a_capitalised_direction_opening_a_known_name_is_not_a_locative(gazetteer):
    # "East Bank" (a town) inside an organisation's name: its last word alone is not "east of Bank".
    text = "The East Bank Middle School reopened after the storm."
    assert recognised(gazetteer, text, [("The East Bank Middle School", "ORG")]) == []


@pytest.mark.parametrize(
    ("text", "ents", "expected"),
    [
        ("Rockets struck Idlib\n\nResidents fled.", [("Idlib\n\n", "GPE")], ["Idlib"]),
        ("Saudi Arabia's coalition denied it.", [("Saudi Arabia's", "GPE")], ["Saudi Arabia"]),
        # A direction in lower case is the part of the place, not a town named "North X".
        ("Drilling starts in north Arlington soon.", [("north Arlington", "GPE")], ["Arlington"]),
        ("Tankers left Russian Black Sea ports.", [("Russian Black Sea", "LOC")], ["Black Sea"]),
        ("Famine spread across South Sudan.", [("Sudan", "GPE")], ["South Sudan"]),
        ("Shelling resumed in the Gaza Strip.", [("Gaza", "GPE")], ["Gaza Strip"]),
        # The model calls the city's last word a person: the known name around it is the place.
        ("Talks opened in San Salvador today.", [("Salvador", "PERSON")], ["San Salvador"]),
    ],
)
def test_span_edges(gazetteer, text, ents, expected):
    assert recognised(gazetteer, text, ents) == expected


def test_people_named_like_places_are_not_places(gazetteer):
    # A title, "said" after a one-word name, a full name: people, however famous the place.
    assert recognised(gazetteer, "Ms Kenya Mwangi opened the clinic.", [("Kenya Mwangi", "PERSON")]) == []
    assert recognised(gazetteer, "The striker was injured. Jordan said he would return.", [("Jordan", "PERSON")]) == []
    # A capital before "said" is its government speaking, not a person.
    assert recognised(gazetteer, "Ottawa said the talks would resume.", [("Ottawa", "GPE")]) == ["Ottawa"]
    # One sense per article: once "Coach Lincoln" is a person, the school named after him is no place.
    text = "Coach Lincoln praised the squad. The Lincoln High School band played."
    assert recognised(gazetteer, text, [("Lincoln", "PERSON"), ("Lincoln High School", "ORG")]) == []


def test_organisations_and_common_words_are_not_places(gazetteer):
    text = "Officials at Amazon and Toyota met the Police Federation in March."
    ents = [("Amazon", "ORG"), ("Toyota", "ORG"), ("Police Federation", "ORG"), ("March", "DATE")]
    assert recognised(gazetteer, text, ents) == []


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Mali's army said it had retaken Gao and Menaka from the rebels.", {"Mali", "Gao", "Menaka"}),
        ("Shelling hit Kherson and Zaporizhzhia overnight, officials said.", {"Kherson", "Zaporizhzhia"}),
        ("Drones struck Mariupol and Berdiansk on Sunday.", {"Mariupol", "Berdiansk"}),
    ],
)
def test_real_model_finds_the_places_it_mislabels(nlp, text, places):
    assert {m.text for m in mentions(nlp(text))} == places


@pytest.mark.parametrize(
    "text",
    [
        "Mr Chad Henderson said the plan would work. Henderson said he was tired.",
        "Jordan said he would play again next season, Jordan told reporters.",
        "Georgia Smith, a nurse, said the clinic was full.",
        "Officials at Amazon and Toyota said profits fell.",
        "Russian forces and Syrian troops advanced.",  # demonyms: actors, not places
    ],
)
def test_real_model_keeps_people_organisations_and_demonyms_off_the_map(nlp, text):
    assert mentions(nlp(text)) == []


# Demonyms ("Russian forces"): off the map by default, their country with demonyms=True.

DEMONYM_TEXT = (
    "Ukrainian drones struck a depot while Belarusians watched from Minsk. "
    "The South Sudanese delegation met Kenyan officials. Anna English said the Indian Ocean was calm."
)


def test_demonyms_stay_off_the_map_by_default(geoparser):
    names = [m.mention.text for m in geoparser.parse(DEMONYM_TEXT).mentions]
    assert "Minsk" in names and "Indian Ocean" in names
    assert not {"Ukrainian", "Belarusians", "South Sudanese", "Kenyan"} & set(names)


def test_demonyms_map_to_their_country_when_asked(gazetteer, nlp, geoparser):
    from geo.parse.pipeline import Geoparser

    parser = Geoparser(gazetteer=gazetteer, nlp=nlp, geocoder=geoparser.geocoder, demonyms=True)
    found = {m.mention.text: m for m in parser.parse(DEMONYM_TEXT).mentions}
    countries = {text: (m.place.country, m.place.kind) for text, m in found.items() if m.mention.finder == "demonym"}
    assert countries == {
        "Ukrainian": ("UA", "country"),
        "Belarusians": ("BY", "country"),  # a plural
        "South Sudanese": ("SS", "country"),  # two words, not "Sudanese" alone
        "Kenyan": ("KE", "country"),
    }
    # A demonym inside a place's name or a person's name is neither.
    assert "Indian Ocean" in found and "Indian" not in found and "English" not in found
    assert found["Minsk"].place is not None and found["Minsk"].mention.finder != "demonym"
    # The shared pipeline is unchanged: the default parser still leaves them out.
    assert "Kenyan" not in [m.mention.text for m in geoparser.parse(DEMONYM_TEXT).mentions]
    switched = geoparser.with_demonyms(True)
    assert switched.nlp is geoparser.nlp and switched.with_demonyms(False).demonyms is False
    assert "Kenyan" in [m.mention.text for m in switched.parse(DEMONYM_TEXT).mentions]
    assert switched.with_online(None).demonyms is True


def test_find_demonyms_on_a_blank_pipeline():
    from geo.recognize.demonyms import country_of, find_demonyms

    nlp = spacy.blank("en")
    doc = nlp("Iraqi and Sri Lankan crews joined Chileans, not chinese cooks.")
    assert [s.text for s in find_demonyms(doc)] == ["Iraqi", "Sri Lankan", "Chileans"]
    assert [s.text for s in find_demonyms(doc, taken={0})] == ["Sri Lankan", "Chileans"]
    assert country_of("Sri  Lankans") == ("LK", "Sri Lanka") and country_of("Paris") is None


def test_the_demonym_table_is_derived_from_countryinfo():
    from geo.gazetteer import demonyms

    assert demonyms.plural("Russian") == "Russians" and demonyms.plural("Czech") == "Czechs"
    assert demonyms.plural("Chinese") is None and demonyms.plural("Swiss") is None and demonyms.plural("Polish") is None
    rows = {row.demonym: row for row in demonyms.rows()}
    assert rows["Dominican"].country == "DO"  # shared with Dominica: the more populous country
    assert rows["Congolese"].country == "CD"
    assert rows["Barbudan"].country == "AG"  # "Antiguan, Barbudan" is two demonyms
    assert "Djibouti" not in rows and not any("/" in name or " and " in name for name in rows)
    shipped = (demonyms.DEMONYMS_CSV).read_text(encoding="utf-8").splitlines()
    assert len(shipped) == len(rows) + 1  # the shipped table is the derivation's output


def test_a_name_used_for_a_disease_is_no_place_in_that_article(gazetteer):
    # The model's labels as it might give them: both "West Nile" spans a place.
    text = "Three horses caught West Nile virus. West Nile has no cure, vets in Ohio said."
    ents = [("West Nile", "LOC"), ("Ohio", "GPE")]
    assert recognised(gazetteer, text, ents) == ["Ohio"]
    # A locative still makes it the place ...
    text = "Marburg virus samples were kept in Marburg and Berlin."
    assert recognised(gazetteer, text, [("Marburg", "GPE"), ("Berlin", "GPE")]) == ["Marburg", "Berlin"]
    # ... and an article that never names a disease after it keeps the place.
    assert recognised(gazetteer, "Floods hit Marburg and Kassel.", [("Marburg", "GPE"), ("Kassel", "GPE")]) == [
        "Marburg",
        "Kassel",
    ]


def test_the_command_line_and_workers_carry_the_demonym_option():
    from geo.cli import build_parser
    from geo.parse.batch import ParserSettings

    assert build_parser().parse_args(["parse", "a.txt", "--demonyms"]).demonyms is True
    assert build_parser().parse_args(["parse", "a.txt"]).demonyms is False
    assert ParserSettings().demonyms is False and ParserSettings(demonyms=True).demonyms is True


def _recognised_at(gazetteer, text: str, ents: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """Return (start, name) of the places recognised when the model labelled the ``ents``
    (start, name, label) so: for texts that name one thing twice with different labels."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    doc.ents = [doc.char_span(start, start + len(name), label=label) for start, name, label in ents]
    return [(m.start, m.text) for m in mentions(Recognizer(gazetteer)(doc))]


def test_a_name_that_ended_a_persons_full_name_is_that_person_thereafter(gazetteer):
    # News names a person in full once, then by surname: "Denver" after "Carla Ruth Denver" is
    # her, though the model calls it a place; written as a place ("from Denver") it is the city.
    text = "Carla Ruth Denver, 44, was charged. Denver pleaded not guilty. Her lawyer flew from Denver."
    full, alone, place = text.index("Carla"), text.index("Denver pleaded"), text.rindex("Denver")
    ents = [(full, "Carla Ruth Denver", "PERSON"), (alone, "Denver", "GPE"), (place, "Denver", "GPE")]
    assert _recognised_at(gazetteer, text, ents) == [(place, "Denver")]
    # Without the full name the model's place stands; a country stands even after a "full name"
    # the model made of a title ("Rethinking Egypt").
    assert (alone, "Denver") in _recognised_at(gazetteer, text, ents[1:])
    text = "Rethinking Egypt. Egypt needs reform."
    ents = [(0, "Rethinking Egypt", "PERSON"), (text.rindex("Egypt"), "Egypt", "GPE")]
    assert _recognised_at(gazetteer, text, ents) == [(text.rindex("Egypt"), "Egypt")]


def test_a_surname_after_a_middle_initial_is_a_person_though_the_model_says_place(gazetteer):
    # "Dana K. Tulsa": a given name and a middle initial open a person's name; the surname stays
    # the person later on, even after a preposition that governs what the person owns.
    text = "Officers arrested Dana K. Tulsa on Friday. Tulsa ran before police caught up with Tulsa's car."
    starts = [i for i in range(len(text)) if text.startswith("Tulsa", i)]
    ents = [(start, "Tulsa", "GPE") for start in starts]
    assert _recognised_at(gazetteer, text, ents) == []
    # A place after a preposition stays a place when it owns something: "in Tulsa's north".
    text = "Storms hit homes in Tulsa's north on Friday."
    assert _recognised_at(gazetteer, text, [(text.index("Tulsa"), "Tulsa", "GPE")]) == [(text.index("Tulsa"), "Tulsa")]


def test_a_place_inside_a_longer_name_the_gazetteer_knows_is_that_longer_place(gazetteer):
    # "New Madrid" (Missouri) is named, not Madrid, though only "Madrid" is strong enough inside
    # the society's name on its own; a longer span with the same key adds nothing.
    text = "Volunteers from the New Madrid Historical Society met on Tuesday."
    assert recognised(gazetteer, text, [("New Madrid Historical Society", "ORG")]) == ["New Madrid"]
    text = "Sanctions by the United States widened."
    assert recognised(gazetteer, text, [("United States", "GPE")]) == ["United States"]


def test_a_short_title_split_from_its_stop_still_marks_a_person(gazetteer):
    from geo.recognize.cues import PERSON_TITLES, TITLE_ABBREVIATIONS

    assert TITLE_ABBREVIATIONS <= PERSON_TITLES
    text = "The suspect was stopped on Elm Road, Sgt. Preston Oakes said."
    nlp = spacy.blank("en")
    assert [t.text for t in nlp(text)][-6:-4] == ["Sgt", "."]  # the tokenizer splits the stop off
    assert recognised(gazetteer, text, [("Preston", "GPE")]) == []
    # A sentence's stop after a title-like word is no title's: "his brother. Preston was ..."
    text = "He drove with his brother. Preston was flooded that week."
    assert recognised(gazetteer, text, [("Preston", "GPE")]) == ["Preston"]


def test_a_person_cue_elsewhere_does_not_outweigh_a_city_of_a_million(gazetteer):
    # "Coach Houston" is a person; "Houston police" is the city's, a city too likely a place for
    # the person elsewhere to outweigh. A small town's name is the person throughout.
    text = "Coach Houston praised the team. Later, Houston police closed the roads."
    assert recognised(gazetteer, text) == ["Houston"]
    assert text.index("Houston police") == text.rindex("Houston")
    text = "Coach Tyrone praised the team. Later, Tyrone police closed the roads."
    assert recognised(gazetteer, text) == []


def test_a_small_town_before_its_own_institution_in_a_facility_name_is_a_place(gazetteer):
    # "Tomah" inside the model's "Tomah City Hall" is named by its own institution; the article's
    # other "Tomah" are then the town too, though the model calls them an organisation.
    text = "Tomah thanked donors at a ceremony. The meeting at the Tomah City Hall ran late."
    ents = [("Tomah", "ORG"), ("Tomah City Hall", "FAC")]
    assert recognised(gazetteer, text, ents) == ["Tomah", "Tomah City Hall"]


def test_an_areas_initials_in_capitals_need_the_areas_country_or_the_area_elsewhere(gazetteer):
    # "ACT" beside Canberra is the Australian Capital Territory; "LLC" (also a Philippine city's
    # initials) in a US story is a firm's; two letters ("SC") are too often a code.
    assert recognised(gazetteer, "Fires near Canberra spread into the ACT on Sunday.") == ["Canberra", "ACT"]
    assert recognised(gazetteer, "Smith Holdings LLC bought land in Denver.") == ["Denver"]
    assert recognised(gazetteer, "Call the tip line at (888) CRIME-SC from Denver.") == ["Denver"]
    # Taken for the area once ("in NSW", the model's place), the initials are the area throughout.
    text = "Rain fell in NSW overnight. NSW officials said roads were shut."
    ents = [(text.index("NSW"), "NSW", "GPE"), (text.rindex("NSW"), "NSW", "ORG")]
    assert [name for _start, name in _recognised_at(gazetteer, text, ents)] == ["NSW", "NSW"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Aid reached the remote island of Sumba after the quake.", "Sumba"),
        ("She grew up in the village of Montecalvo before the war.", "Montecalvo"),
    ],
)
def test_the_kind_written_before_a_small_place_makes_it_one(gazetteer, text, name):
    # "the island of X", "the village of X": the words before say what the place is, so a small
    # island or village is taken though the model calls it a person.
    assert recognised(gazetteer, text, [(name, "PERSON")]) == [name]


def test_a_name_the_model_labels_a_date_or_number_may_still_be_a_place(gazetteer):
    # The model's slip: a capitalised name with no number or calendar word labelled a date.
    text = "Troops were stationed in Kobani near the border."
    assert recognised(gazetteer, text, [("Kobani", "DATE")]) == ["Kobani"]
    text = "Aid reached Sittwe and Mandalay before the storm."
    assert recognised(gazetteer, text, [("Sittwe", "CARDINAL"), ("Mandalay", "DATE")]) == ["Sittwe", "Mandalay"]
    # A real date or amount keeps its words out of the places: "March" is no town in "March 3".
    text = "Talks resumed in Geneva on March 3 and again on Sunday Morning."
    ents = [("Geneva", "GPE"), ("March 3", "DATE"), ("Sunday Morning", "DATE")]
    assert recognised(gazetteer, text, ents) == ["Geneva"]
