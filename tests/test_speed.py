"""The per-article work kept small without changing a result (issue 16): the model's batches
bounded in characters, line breaks found from the Doc's flags, gazetteer look-ups kept per name."""

from __future__ import annotations

from geo import extract
from geo.extract import BATCH_CHARS, MAX_CHUNK, mentions, paragraph_breaks
from geo.features import Feature
from geo.gazetteer import build, store
from geo.gazetteer.sources import Entry


def towns(count: int = 50) -> list[Entry]:
    """Return ``count`` small made-up towns."""
    return [Entry(f"Town {i}", Feature.CITY, "SY", 35.0, 36.0 + i / 1000, 1000 + i, "test") for i in range(count)]


def test_batches_hold_at_most_batch_chars_and_a_long_text_keeps_its_pieces():
    texts = [f"Shelling hit Aleppo on day {n}. " * 100 for n in range(40)]  # about 3,000 characters each
    batches = list(extract._batches(iter(texts), 16))
    assert all(len(batch) == 1 or sum(len(c) for _t, (c, *_rest) in batch) <= BATCH_CHARS for batch in batches)
    assert len(batches) >= 40 * 3_000 // BATCH_CHARS  # not 16 articles a batch
    assert sum(len(batch) for batch in batches) == 40
    long_text = "Talks in Damascus went on.\n" * (2 * MAX_CHUNK // 27)
    pieces = [piece for batch in extract._batches(iter([long_text]), 16) for piece in batch]
    assert [chunk for _t, (chunk, *_rest) in pieces] == [c for c, _o, _l in extract.chunks(long_text)]


def _breaks_token_by_token(doc) -> list[int]:
    """The rule paragraph_breaks implements, one Token at a time: a word after whitespace."""
    return [
        token.i
        for token in doc[1:]
        if ("\n" in doc[token.i - 1].whitespace_ or doc[token.i - 1].text.isspace()) and not token.text.isspace()
    ]


def test_paragraph_breaks_start_sentences_exactly_where_the_token_rule_says(nlp):
    text = "ALEPPO\nShelling went on.\n\n  Homs, too:\tquiet \n\nIdlib \n Raqqa. \n"
    doc = nlp.make_doc(text)
    expected = _breaks_token_by_token(doc)
    assert expected  # the text has line breaks to find
    paragraph_breaks(doc)
    assert [t.i for t in doc if t.is_sent_start and t.i > 0] == expected
    assert paragraph_breaks(nlp.make_doc("")) is not None and paragraph_breaks(nlp.make_doc("\n")) is not None


def test_mentions_given_the_text_are_the_mentions_read_from_the_doc(nlp, seed_text):
    doc = nlp(seed_text)
    assert mentions(doc, seed_text) == mentions(doc)
    assert len(mentions(doc)) > 10


def _queries(gaz: store.Gazetteer) -> list[str]:
    seen: list[str] = []
    gaz._conn().set_trace_callback(seen.append)
    return seen


def test_gazetteer_look_ups_are_kept_and_answer_alike(tmp_path):
    gaz = store.Gazetteer(build.build(tmp_path / "g.sqlite", entries=towns()))
    seen = _queries(gaz)
    first = gaz.candidates("town 3")
    first.clear()  # a caller's list is its own
    assert [c.name for c in gaz.candidates("town 3")] == ["Town 3"]
    priors = gaz.best_priors(["town 4", "nowhere"])
    assert set(priors) == {"town 4"}
    asked = len(seen)
    assert asked == 2  # one query per new look-up
    assert gaz.best_priors(["nowhere", "town 4"]) == priors  # an unknown name is kept too
    assert gaz.candidates("town 3")[0].name == "Town 3"
    assert len(seen) == asked  # nothing asked again
    assert gaz.best_priors(["town 4", "town 5"])["town 5"][1].name == "Town 5"
    assert len(seen) == asked + 1 and "town 4" not in seen[-1]  # only the new key


def test_gazetteer_look_ups_kept_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "CACHED_KEYS", 8)
    gaz = store.Gazetteer(build.build(tmp_path / "g.sqlite", entries=towns()))
    for i in range(30):
        assert gaz.candidates(f"town {i}")[0].name == f"Town {i}"
        assert gaz.best_priors([f"town {i}", f"nowhere {i}"])[f"town {i}"][1].name == f"Town {i}"
    assert gaz._looked_up.cache_info().currsize == 8
    assert len(gaz._priors) == 8
