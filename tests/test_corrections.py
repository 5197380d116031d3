from geo.core.provenance import Step
from geo.parse.pipeline import Geoparser
from geo.store.corrections import Correction, Corrections, article_id

TEXT = "Talks resumed in Geneva on Monday, officials in Damascus said."


def test_history_and_undo(tmp_path):
    store = Corrections(tmp_path / "c.sqlite")
    article = article_id(TEXT)
    first, second = Correction("Here", 1.0, 2.0), Correction("There", 3.0, 4.0)
    store.set(article, "geneva", first)
    store.set(article, "geneva", second)
    assert store.for_article(article) == {"geneva": second}
    assert store.undo(article, "geneva") and store.for_article(article) == {"geneva": first}
    assert store.undo(article, "geneva") and store.for_article(article) == {}
    assert not store.undo(article, "geneva")
    assert store.for_article(article_id("another article")) == {}


def test_a_correction_wins_in_its_article_only(tmp_path, gazetteer, nlp):
    store = Corrections(tmp_path / "c.sqlite")
    parser = Geoparser(gazetteer=gazetteer, nlp=nlp, corrections=store)
    geneva = next(p for p in parser.parse(TEXT).mentions if p.mention.text == "Geneva")
    assert geneva.place.country == "CH"
    illinois = next(c for c in geneva.candidates if c.country == "US" and c.admin1 == "Illinois")
    store.set(article_id(TEXT), "geneva", Correction.of(illinois))
    corrected = next(p for p in parser.parse(TEXT).mentions if p.mention.text == "Geneva")
    assert (corrected.place.country, corrected.place.provenance.step) == ("US", Step.CORRECTION)
    other = "Geneva hosted the summit."
    assert next(p for p in parser.parse(other).mentions if p.mention.text == "Geneva").place.country == "CH"


def test_a_correction_kept_under_an_older_key_still_holds(tmp_path):
    # Before stop 13 "La Grange" keyed "la grange"; name_key now joins the particle ("lagrange").
    # A file written then is re-keyed when opened, so the correction still applies and undoes.
    path = tmp_path / "c.sqlite"
    article = article_id("Floods hit La Grange.")
    Corrections(path).set(article, "la grange", Correction("La Grange", 33.0, -85.0))
    store = Corrections(path)
    assert set(store.for_article(article)) == {"lagrange"}
    assert store.undo(article, "lagrange") and store.for_article(article) == {}
