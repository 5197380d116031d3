import spacy

from geo.recognize import Recognizer
from geo.recognize.extract import landmark_patterns, mentions, register_components


def small_pipeline(gazetteer):
    """A blank English pipeline with only the components under test: no statistical model."""
    register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", name="landmark_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(list(landmark_patterns()))
    nlp.add_pipe("geo_recognizer", config={"gazetteer_path": str(gazetteer.path)})
    return nlp


def test_gazetteer_matcher_finds_well_known_places_without_a_model(gazetteer):
    nlp = small_pipeline(gazetteer)
    doc = nlp("Delegates flew from Nairobi to the Hmeymim airbase. Nice weather helped.")
    found = {(m.text, m.finder) for m in mentions(doc)}
    assert ("Nairobi", "gazetteer") in found
    assert ("Hmeymim airbase", "landmarks") in found
    assert not any(text == "Nice" for text, _ in found)  # sentence-initial common word


def test_matcher_splits_places_out_of_organisation_names(gazetteer):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("He is the envoy to UN New York today.")
    doc.ents = [doc.char_span(19, 30, label="ORG")]
    doc = Recognizer(gazetteer)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("New York", "GPE")]


def test_real_model_mentions_on_the_seed(nlp, seed_text):
    found = mentions(nlp(seed_text))
    texts = {m.text for m in found}
    assert {"Hmeymim airbase", "Tartou", "Latakia", "Geneva", "Kremlin", "New York", "Syrian Arab Republic"} <= texts
    for bad in ("West", "Islamic State", "Isil", "Levantine Group", "AP", "al-Nusra Front", "al-Qaeda"):
        assert not any(bad in t for t in texts), bad
    for m in found:
        assert seed_text[m.start : m.end] == m.text
        assert m.text in m.excerpt
        assert m.sent_start <= m.start < m.end <= m.sent_end


def test_datelines_and_names_the_article_repeats(gazetteer):
    nlp = small_pipeline(gazetteer)
    doc = nlp("TORRINGTON — The council met on Monday. Reading the report took an hour.")
    assert [(m.text, m.finder) for m in mentions(doc)] == [("TORRINGTON", "gazetteer")]
    # Sentence-initial, and a town too small on its own: found because the article names it again.
    doc = nlp("Gainesville police said a man was held. He was jailed in Gainesville overnight.")
    assert [m.text for m in mentions(doc)] == ["Gainesville", "Gainesville"]
    doc = nlp("Reading the report took an hour. Nobody left.")
    assert mentions(doc) == []
