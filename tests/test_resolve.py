from geo.features import Feature
from geo.ranker import Ranker
from geo.resolve import resolve as resolve_with
from geo.values import Mention


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
    from geo.extract import MIN_PRIOR_OUTSIDE

    assert prior < MIN_PRIOR_OUTSIDE


def test_an_area_named_with_its_area_word_is_the_area(geoparser):
    # The model sometimes takes "X province" whole; the gazetteer knows the area as "X".
    text = "Air strikes hit villages across Hama province on Friday, and Helmand Province saw floods."
    placed = {m.mention.text: m.place for m in geoparser.parse(text).mentions}
    hama = next(place for name, place in placed.items() if name.startswith("Hama"))
    helmand = next(place for name, place in placed.items() if name.startswith("Helmand"))
    assert hama is not None and hama.country == "SY" and hama.kind == "region"
    assert helmand is not None and helmand.country == "AF" and helmand.kind == "region"


def test_a_demonym_resolves_to_its_country_and_nothing_else(gazetteer):
    from geo.resolve import mention_key

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
