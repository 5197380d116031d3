import pytest

from geo.core.features import Feature, Group
from geo.core.normalize import name_key
from geo.core.values import Mention
from geo.resolve.ranker import HAND_SET_PATH, TREES_PATH, Ranker
from geo.resolve.resolver import resolve as resolve_with


def resolve(mentions, text, gazetteer):
    return resolve_with(mentions, text, gazetteer, Ranker.load())


def mentions_of(text, *names):
    out = []
    for name in names:
        start = text.index(name)
        out.append(Mention(start, start + len(name), name, "GPE", "ner", 0, len(text), text))
    return out


def test_context_countries_pick_the_local_namesake(gazetteer):
    text = "Storms hit Texas. In Paris, Texas, and across Texas, schools closed."
    chosen = resolve(mentions_of(text, "Texas", "Paris"), text, gazetteer)
    assert chosen[1].chosen.country == "US"


def test_without_context_the_prominent_place_wins(gazetteer):
    text = "Talks resumed in Paris."
    assert resolve(mentions_of(text, "Paris"), text, gazetteer)[0].chosen.country == "FR"


def test_area_cue_prefers_the_province(gazetteer):
    text = "Shelling was reported in Latakia province."
    assert resolve(mentions_of(text, "Latakia"), text, gazetteer)[0].chosen.feature is Feature.ADMIN1
    text = "Shelling was reported in the city of Latakia."
    assert resolve(mentions_of(text, "Latakia"), text, gazetteer)[0].chosen.feature is Feature.CITY


def test_unknown_names_resolve_to_none_without_dropping_others(gazetteer):
    text = "From Qwertzuiopstan to Damascus."
    out = resolve(mentions_of(text, "Qwertzuiopstan", "Damascus"), text, gazetteer)
    assert out[0].chosen is None and out[0].candidates == ()
    assert out[1].chosen.country == "SY"


def test_area_after_a_comma_qualifies_the_name(gazetteer):
    text = "A storm hit Springfield, Ill. on Monday."
    out = resolve(mentions_of(text, "Springfield", "Ill."), text, gazetteer)
    assert out[1].chosen.name == "Illinois"  # the AP abbreviation
    assert (out[0].chosen.country, out[0].chosen.admin1) == ("US", "Illinois")
    text = "A storm hit Springfield, Missouri on Monday."
    out = resolve(mentions_of(text, "Springfield", "Missouri"), text, gazetteer)
    assert out[0].chosen.admin1 == "Missouri"


def test_abbreviations_are_too_weak_for_the_matcher_alone(gazetteer):
    # "Miss" (Mississippi's abbreviation) must not turn into a place by itself.
    prior, _best = gazetteer.best_priors(["miss"])["miss"]
    from geo.recognize.extract import MIN_PRIOR_OUTSIDE

    assert prior < MIN_PRIOR_OUTSIDE


def test_an_area_named_with_its_area_word_is_the_area(geoparser):
    # The model sometimes takes "X province" whole; the gazetteer knows the area as "X".
    text = "Air strikes hit villages across Hama province on Friday, and Helmand Province saw floods."
    placed = {m.mention.text: m.place for m in geoparser.parse(text).mentions}
    hama = next(place for name, place in placed.items() if name.startswith("Hama"))
    helmand = next(place for name, place in placed.items() if name.startswith("Helmand"))
    assert hama is not None and hama.country == "SY" and hama.kind == "region"
    assert helmand is not None and helmand.country == "AF" and helmand.kind == "region"


def test_a_part_of_a_continent_is_placed_in_that_part(geoparser):
    # Not at the continent's middle, thousands of kilometres away, nor left unplaced.
    text = "Jihadist groups spread across West Africa, the Maghreb and Central Asia, and into Latin America."
    placed = {m.mention.text: m.place for m in geoparser.parse(text).mentions}
    assert set(placed) == {"West Africa", "Maghreb", "Central Asia", "Latin America"}
    assert all(place is not None and place.kind == "region" for place in placed.values())
    assert placed["West Africa"].lon < 0 < placed["Central Asia"].lon and placed["Latin America"].lon < -30
    assert placed["Maghreb"].lat > 25


def test_a_demonym_resolves_to_its_country_and_nothing_else(gazetteer):
    from geo.resolve.resolver import mention_key

    text = "Jordanian police met Chadians near Amman."
    found = [
        Mention(text.index(n), text.index(n) + len(n), n, "NORP", "demonym", 0, len(text), text)
        for n in ("Jordanian", "Chadians")
    ]
    found.append(mentions_of(text, "Amman")[0])
    assert [mention_key(m) for m in found] == ["demonym:JO", "demonym:TD", "amman"]
    out = resolve(found, text, gazetteer)
    assert [(r.chosen.feature, r.chosen.country) for r in out[:2]] == [(Feature.COUNTRY, "JO"), (Feature.COUNTRY, "TD")]
    assert all(len(r.candidates) == 1 for r in out[:2])  # not "Jordan, Minnesota", not a town called Chad
    assert out[2].chosen.country == "JO"  # and the demonym counts as the article's country
    unknown = Mention(0, 9, "Martian", "NORP", "demonym", 0, len(text), text)
    assert mention_key(unknown) == "demonym:" and resolve([unknown], text, gazetteer)[0].chosen is None


def test_a_lean_towards_a_country_where_the_name_means_nothing_leaves_a_capital_its_standing(gazetteer):
    # The article leans wholly to Iraq, where no place is called Geneva: that lean says nothing
    # about which Geneva is meant, so the Swiss city keeps its standing as a world city.
    from geo.resolve.resolver import explain

    text = "Shelling hit Mosul, Kirkuk, Tikrit, Basra and Erbil overnight. Envoys will meet in Geneva."
    names = ("Mosul", "Kirkuk", "Tikrit", "Basra", "Erbil", "Geneva")
    context, explained = explain(mentions_of(text, *names), text, gazetteer, Ranker.load())
    assert context.focus_countries(1) == ("IQ",)
    geneva = explained[-1]
    swiss = [f for c, f in zip(geneva.candidates, geneva.features, strict=True) if c.country == "CH"]
    assert swiss and swiss[0].major_city == 1.0
    assert resolve(mentions_of(text, *names), text, gazetteer)[-1].chosen.country == "CH"


def test_a_strong_lean_towards_a_namesakes_country_still_overturns_a_world_city(gazetteer):
    text = (
        "Flooding closed roads in Lexington, Frankfort, Bowling Green and Louisville. "
        "In London, Kentucky, shelters opened; London officials asked for help."
    )
    chosen = resolve(mentions_of(text, "Lexington", "Frankfort", "Louisville", "London"), text, gazetteer)
    assert chosen[-1].chosen.country == "US"


def test_a_town_named_like_larger_towns_goes_to_the_one_among_the_articles_places(gazetteer):
    # The class of error the recognised small towns bring: Alexandria, Virginia and Alexandria,
    # Egypt are larger, but this article's other places are in Louisiana.
    text = "The festival moved from Shreveport to Lafayette, and then to Alexandria for its last week."
    chosen = resolve(mentions_of(text, "Shreveport", "Lafayette", "Alexandria"), text, gazetteer)[-1].chosen
    assert (chosen.country, chosen.admin1) == ("US", "Louisiana")


# Issue #11: the evidence a reader uses to tell towns of the same name apart.


def _placed(text, names, gazetteer, ranker=None):
    out = resolve_with(mentions_of(text, *names), text, gazetteer, ranker or Ranker.load())
    return {r.mention.text: r.chosen for r in out}


@pytest.mark.parametrize("ranker_path", [None, HAND_SET_PATH])
def test_a_county_named_beside_a_town_chooses_the_towns_state(gazetteer, ranker_path):
    # Athens, Georgia is smaller than Athens in Greece and no larger than other US Athenses;
    # Oconee County (Georgia or South Carolina) and Athens agree only on Georgia.
    ranker = Ranker.load(ranker_path)
    text = "The Oconee County school board met in Athens on Monday to discuss buses."
    placed = _placed(text, ("Oconee County", "Athens"), gazetteer, ranker)
    assert (placed["Athens"].country, placed["Athens"].admin1) == ("US", "Georgia")
    assert placed["Oconee County"].admin1 == "Georgia"
    # Huntsville, Alabama is the larger; Walker County is in Texas, Georgia and Alabama; the
    # Texan readings of both are the only ones a second name supports besides Alabama's, and the
    # Texan county is the larger: Texas.
    text = "Deputies from Walker County searched the woods; the Huntsville Item reported the arrest."
    placed = _placed(text, ("Walker County", "Huntsville"), gazetteer, ranker)
    assert placed["Huntsville"].admin1 == placed["Walker County"].admin1 == "Texas"


def test_support_counts_each_name_once_by_how_plausible_its_reading_is(gazetteer):
    from geo.resolve.resolver import AreaSupport, _candidates

    names = ("oconee county", "athens", "paris")
    support = AreaSupport({name: _candidates(gazetteer, name) for name in names})
    athens = _candidates(gazetteer, "athens")
    georgia, texas, michigan = (next(c for c in athens if c.admin1 == a) for a in ("Georgia", "Texas", "Michigan"))
    # Athens, Georgia: Oconee County's Georgian reading (a little smaller than its South Carolinian
    # one) and Paris's (a small town far below Paris, France) support it, each by less than 1.
    assert 1.0 < support.of(georgia, "athens") < 2.0
    assert 0.0 < support.of(texas, "athens") < support.of(georgia, "athens")  # Paris, Texas only
    assert support.of(michigan, "athens") == 0.0  # no other name has a reading in Michigan
    oconee = next(c for c in _candidates(gazetteer, "oconee county") if c.admin1 == "Georgia")
    # Athens's likeliest reading with a first-level area is Georgian (1), and the name's own
    # readings never count for it.
    assert 1.0 < support.of(oconee, "oconee county") < support.of(georgia, "athens") + 1.0


def test_first_level_areas_listed_together_stay_areas(gazetteer):
    # Towns named after states ("Oregon, Ohio", "California, Missouri") must not support each
    # other's state: a name that may be a first-level area supports that area only.
    text = "Rain fell on California, Oregon, Washington and Ohio this week."
    names = ("California", "Oregon", "Washington", "Ohio")
    for ranker in (Ranker.load(), Ranker.load(HAND_SET_PATH)):
        placed = _placed(text, names, gazetteer, ranker)
        assert all(placed[name].feature is Feature.ADMIN1 for name in names), placed


def test_a_plural_area_word_after_a_list_asks_for_areas(gazetteer):
    from geo.core.features import Group
    from geo.recognize.kind_cues import cue_groups

    text = "Schools in Clarke and Oconee counties closed, and Athens streets were icy."
    clarke, oconee, athens = mentions_of(text, "Clarke", "Oconee", "Athens")
    assert Group.AREA in cue_groups(clarke, text) and Group.AREA in cue_groups(oconee, text)
    assert Group.AREA not in cue_groups(athens, text)
    placed = _placed(text, ("Clarke", "Oconee", "Athens"), gazetteer)
    # "Clarke" alone names no county in the gazetteer: "Clarke County" is looked up for it.
    assert placed["Clarke"].feature is Feature.ADMIN2 and placed["Clarke"].admin1 == "Georgia"
    assert placed["Oconee"].feature is Feature.ADMIN2 and placed["Oconee"].admin1 == "Georgia"
    assert placed["Athens"].feature is not Feature.ADMIN2 and placed["Athens"].admin1 == "Georgia"


def test_a_name_the_gazetteer_lacks_takes_the_place_it_is_part_of(gazetteer):
    text = "Deputies booked him into the Henderson County Jail near Athens and Tyler."
    placed = _placed(text, ("Henderson County Jail", "Athens", "Tyler"), gazetteer)
    jail = placed["Henderson County Jail"]
    assert jail.feature is Feature.ADMIN2 and jail.admin1 == "Texas"
    text = "Storms knocked out power across Northeast Georgia, from Gainesville to Athens, on Sunday."
    placed = _placed(text, ("Northeast Georgia", "Gainesville", "Athens"), gazetteer)
    assert (placed["Northeast Georgia"].feature, placed["Northeast Georgia"].country) == (Feature.ADMIN1, "US")
    assert placed["Athens"].admin1 == "Georgia"
    # Alone in its article: Philadelphia's own name, not Amman's old one, with the trees, which
    # read the match (the hand-set weights, which do not, pick Amman for "Philadelphia" too).
    text = "Rowhouses in South Philadelphia flooded."
    trees = Ranker.load(TREES_PATH)
    assert _placed(text, ("South Philadelphia",), gazetteer, trees)["South Philadelphia"].country == "US"
    text = "The Fargo City Commission sent pumps."
    assert _placed(text, ("Fargo City",), gazetteer)["Fargo City"].name == "Fargo"


def test_streets_and_generic_words_are_not_taken_for_the_place_inside_them(gazetteer):
    from geo.resolve.resolver import _inner_key

    for name in ("Elm Street", "Wichita Drive", "City Hall", "North Hall", "West Metro", "South Coast"):
        assert _inner_key(gazetteer, name_key(name)) is None, name
    assert _inner_key(gazetteer, name_key("Paris City Hall")) == "paris"


def _support(text, names, name, gazetteer):
    """Return the admin1_support of each first-level area's best candidate of one name."""
    from geo.resolve.resolver import explain

    _context, explained = explain(mentions_of(text, *names), text, gazetteer, Ranker.load())
    item = next(item for item in explained if item.mention.text == name)
    out: dict[str, float] = {}
    for candidate, row in zip(item.candidates, item.features, strict=True):
        out[candidate.admin1 or ""] = max(out.get(candidate.admin1 or "", 0.0), row.admin1_support)
    return out


def test_every_county_of_a_list_goes_to_the_state_the_list_agrees_on(gazetteer):
    # Jackson and Madison counties are larger in Missouri and Illinois; Barrow County is only in
    # Georgia, and the three agree only there.
    text = "Schools in Barrow, Jackson and Madison counties stayed closed after the ice storm."
    names = ("Barrow", "Jackson", "Madison")
    support = _support(text, names, "Jackson", gazetteer)
    assert support["Georgia"] > 2 * support.get("Missouri", 0.0)
    # The hand-set weights (the default) leave Jackson in Missouri: the support is not worth the
    # population gap at their weight; the trees, which weigh it by what the tune splits taught,
    # put Jackson in Georgia (Madison County, Illinois, near St. Louis, still outweighs Georgia's).
    placed = _placed(text, names, gazetteer, Ranker.load(TREES_PATH))
    assert all(placed[name].feature is Feature.ADMIN2 for name in names)
    assert placed["Barrow"].admin1 == placed["Jackson"].admin1 == "Georgia"
    assert _placed(text, names, gazetteer)["Barrow"].admin1 == "Georgia"


def test_a_nearby_town_outweighs_a_larger_namesake(gazetteer):
    # Mansfield, Texas and Mansfield, England are larger than Mansfield, Louisiana; Shreveport,
    # 60 km away, is named in the same article.
    text = "The Mansfield council voted on Tuesday; Shreveport officials attended."
    support = _support(text, ("Mansfield", "Shreveport"), "Mansfield", gazetteer)
    assert support["Louisiana"] > 0.5 and support.get("Texas", 0.0) == 0.0
    placed = _placed(text, ("Mansfield", "Shreveport"), gazetteer, Ranker.load(TREES_PATH))
    assert (placed["Mansfield"].country, placed["Mansfield"].admin1) == ("US", "Louisiana")


def test_a_name_only_one_country_has_counts_its_areas_support_in_full(gazetteer):
    # Athens leans the article to Greece, but every Henderson County is in the US: what Athens
    # says for Texas or Tennessee is worth its full weight to the county, not the 0.12 of the US
    # share. The county seat Athens, Texas, then wins over the larger Athens, Georgia.
    text = "Henderson County commissioners in Athens met Monday."
    names = ("Henderson County", "Athens")
    support = _support(text, names, "Henderson County", gazetteer)
    assert support["Texas"] > 0.5 and support.get("North Carolina", 0.0) == 0.0
    assert _placed(text, names, gazetteer)["Athens"].admin1 == "Texas"


@pytest.mark.parametrize("city", ["Philadelphia", "Tripoli"])
def test_a_city_named_by_its_own_name_beats_one_that_once_bore_it(gazetteer, city):
    # Amman was once Philadelphia; Lebanon's Tripoli is a smaller namesake of Libya's capital. A
    # name matched only as another place's alternate (or old) name counts against that place.
    text = f"The orchestra ends its tour in {city} next week."
    chosen = _placed(text, (city,), gazetteer)[city]
    assert chosen.name == city and chosen.country == {"Philadelphia": "US", "Tripoli": "LY"}[city]


def test_a_world_city_is_not_drawn_abroad_by_one_name_of_the_namesakes_country(gazetteer):
    # One US name beside one Syrian name is no lean: "Geneva" stays the Swiss city, and so the
    # article's "New York" is not pulled to the state by a Geneva, New York it never meant.
    text = "Diplomats flew from New York to Geneva on Monday while the siege of Homs went on."
    chosen = _placed(text, ("New York", "Geneva", "Homs"), gazetteer)
    assert chosen["Geneva"].country == "CH"
    assert chosen["New York"].feature is Feature.CAPITAL


def test_ambiguous_names_that_agree_still_say_where_the_article_is(gazetteer):
    # None of these names is certain of its country on its own (each has a namesake elsewhere),
    # but together they lean to Canada: every name votes, split by how likely each reading is.
    from geo.resolve.resolver import explain

    text = "Snow closed schools in Ontario on Tuesday; buses in Kitchener and Sudbury stayed home."
    names = ("Ontario", "Kitchener", "Sudbury")
    context, _ = explain(mentions_of(text, *names), text, gazetteer, Ranker.load())
    assert context.focus_countries(1) == ("CA",)
    split, mentions = context.votes[name_key("Ontario")]
    assert mentions == 1 and abs(sum(split.values()) - 1.0) < 1e-9 and split["CA"] > 0.5
    assert _placed(text, names, gazetteer)["Ontario"].feature is Feature.ADMIN1


@pytest.mark.parametrize(
    ("written", "inner"),
    [
        ("SE Portland", "portland"),  # an abbreviated part word
        ("E. Knoxville", "knoxville"),
        ("Southeast D.C.", "dc"),  # a first-level area's abbreviation
        ("Province of Manitoba", "manitoba"),  # an area word and "of"
        ("Nebraska Democratic Party", "nebraska"),  # leading words: a first-level area
        ("Fresno County Superior Court", "fresno county"),  # leading words: two or more
        ("Northern Arizona Council of Governments", "arizona"),  # after a part word
    ],
)
def test_a_name_the_gazetteer_lacks_is_read_for_the_place_it_names_first(gazetteer, written, inner):
    from geo.resolve.resolver import _inner_key

    assert not gazetteer.candidates(name_key(written))
    assert _inner_key(gazetteer, name_key(written)) == inner


def test_a_state_abbreviation_written_with_a_space_is_the_state(gazetteer):
    text = "He was booked in Morgantown, W. Va., on Friday."
    assert _placed(text, ("Morgantown", "W. Va."), gazetteer)["W. Va."].name == "West Virginia"


def test_a_city_named_with_its_qualifier_is_found_by_its_name_alone(gazetteer):
    # GeoNames names the capital "Washington, D.C."; "Washington" is its own name, not an alias
    # that ranks below the state's.
    candidates = gazetteer.candidates(name_key("Washington"))
    capital = next(c for c in candidates if c.feature is Feature.CAPITAL and c.country == "US")
    assert capital.match.value == "exact"
    text = "Lawmakers in Washington argued over the budget as protests spread in Chicago and Denver."
    assert _placed(text, ("Washington", "Chicago", "Denver"), gazetteer)["Washington"].feature is Feature.CAPITAL


def test_towns_listed_together_stay_towns_though_their_provinces_share_their_names(gazetteer):
    # Homs, Hama and Daraa are each a city and the province named after it; a list of them is a
    # list of cities (a list of states, whose first reading is the state, stays states).
    text = "Rockets hit Homs, Hama and Daraa before dawn."
    placed = _placed(text, ("Homs", "Hama", "Daraa"), gazetteer)
    assert {name: place.feature.is_in(Group.TOWN) for name, place in placed.items()} == dict.fromkeys(placed, True)


def test_a_town_named_for_a_part_of_a_named_place_is_that_part(gazetteer):
    # The only North Arlington is in New Jersey, far from every Arlington: beside "Arlington" it
    # is the north of the article's Arlington, and must not pull Arlington east.
    text = "The Arlington council met Tuesday. Homeowners in North Arlington opposed the gas wells."
    placed = _placed(text, ("Arlington", "North Arlington"), gazetteer)
    assert placed["North Arlington"] == placed["Arlington"]
    # A town beside its namesake is a town of its own.
    text = "Charleston and South Charleston closed their pools."
    placed = _placed(text, ("Charleston", "South Charleston"), gazetteer)
    assert placed["South Charleston"].name == "South Charleston"
    # Nor is a country or a first-level area a part of another place.
    text = "Talks between Sudan and South Sudan resumed; Virginia and West Virginia sent aid."
    placed = _placed(text, ("Sudan", "South Sudan", "Virginia", "West Virginia"), gazetteer)
    assert placed["South Sudan"].name == "South Sudan" and placed["West Virginia"].name == "West Virginia"


def test_context_alone_does_not_lift_a_reading_a_million_times_less_likely(gazetteer):
    # An article about Texas towns leans hard to the US and to Texas, where a village is named
    # Italy. "Italy" stays the country; written "Italy, Texas", it is the town.
    text = "Dallas and Waco officials flew to Italy; Houston and Austin crews stayed home."
    names = ("Dallas", "Waco", "Italy", "Houston", "Austin")
    assert _placed(text, names, gazetteer)["Italy"].feature is Feature.COUNTRY
    text = "Dallas and Waco officials drove to Italy, Texas; Houston and Austin crews stayed home."
    names = ("Dallas", "Waco", "Italy", "Texas", "Houston", "Austin")
    italy = _placed(text, names, gazetteer)["Italy"]
    assert (italy.country, italy.admin1) == ("US", "Texas")


def test_a_repeated_name_counts_less_than_as_many_names():
    from geo.resolve.resolver import Context

    # One US town named four times, two Canadian towns named once each: 3 votes to 2, not 4 to 2.
    context = Context({"erie": ({"US": 1.0}, 4), "sarnia": ({"CA": 1.0}, 1), "barrie": ({"CA": 1.0}, 1)}, frozenset())
    assert context.country_votes() == {"US": 3.0, "CA": 2.0}
    assert context.country_share(excluding="erie") == {"CA": 1.0}


def test_a_region_in_no_one_country_keeps_its_name_against_a_leaning_article(gazetteer):
    # US news leans hard to the US, where a neighbourhood is called Middle East: the region stays.
    text = "Soldiers from Texas and Virginia will deploy to the Middle East, officials in Washington said."
    names = ("Texas", "Virginia", "Middle East", "Washington")
    region = _placed(text, names, gazetteer)["Middle East"]
    assert region.country is None and region.feature is Feature.REGION


def test_dotted_initials_are_the_place_whose_initials_they_are(gazetteer):
    # "L.A." is Los Angeles (GeoNames lists the initials), not Louisiana, whose "La." keys alike.
    text = "Traffic in L.A. crawled while farmers near Lafayette, La. waited for rain."
    placed = _placed(text, ("L.A.", "Lafayette", "La."), gazetteer)
    assert (placed["L.A."].name, placed["L.A."].admin1) == ("Los Angeles", "California")
    assert placed["La."].name == "Louisiana"
    assert placed["Lafayette"].admin1 == "Louisiana"
    # A state's own initials still win: "N.J." and "S.D." are the states, not a city.
    text = "Officials in N.J. and S.D. agreed."
    placed = _placed(text, ("N.J.", "S.D."), gazetteer)
    assert (placed["N.J."].name, placed["S.D."].name) == ("New Jersey", "South Dakota")
    # Initials nothing bears stay unplaced rather than become a state that merely keys alike.
    text = "A shop in Q.Z. closed."
    assert _placed(text, ("Q.Z.",), gazetteer)["Q.Z."] is None


def test_an_area_written_with_its_particle_joined_is_found(gazetteer):
    # GeoNames writes "La Salle Parish"; Louisiana's press writes "LaSalle Parish".
    text = "Flooding closed roads in LaSalle Parish on Monday."
    chosen = _placed(text, ("LaSalle Parish",), gazetteer)["LaSalle Parish"]
    assert (chosen.feature, chosen.admin1) == (Feature.ADMIN2, "Louisiana")


def test_names_asked_for_as_areas_take_their_county_readings_where_they_name_no_area(gazetteer):
    # "Douglas" names an area abroad (on the Isle of Man), not in the US: asked for as an area it
    # may be a Douglas County. "Washington" names a US state: asked for, it is not Washington County.
    from geo.resolve.resolver import _with_areas

    douglas = _with_areas(gazetteer, "douglas", tuple(gazetteer.candidates("douglas")))
    assert any(c.name == "Douglas County" and c.country == "US" for c in douglas)
    washington = _with_areas(gazetteer, "washington", tuple(gazetteer.candidates("washington")))
    assert not any(c.name == "Washington County" for c in washington)


def test_the_island_of_asks_for_the_island():
    from geo.recognize.kind_cues import groups_before

    assert Group.ISLAND in groups_before("hit the Indonesian island of ")
    assert Group.TOWN in groups_before("born in the village of ") and not groups_before("a friend of ")
