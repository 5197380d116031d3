"""The per-article work kept small without changing a result (issue 16): the model's batches
bounded in characters, line breaks found from the Doc's flags, gazetteer look-ups kept per name,
the trees scored from bit masks, scores kept per mention's rows, the tokens read once for
recognition, and the shared tok2vec (which nothing reads) switched off."""

from __future__ import annotations

from geo.core.features import Feature
from geo.gazetteer import build, store
from geo.gazetteer.sources import Entry
from geo.recognize import extract
from geo.recognize.extract import BATCH_CHARS, MAX_CHUNK, mentions, paragraph_breaks


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


# Tree scoring (geo.resolve.ranker.Trees): leaves read from bit masks, checked against walking the trees.


def _tree_inputs(rows: int, seed: int):
    import numpy as np

    from geo.resolve.ranker import INPUTS

    rng = np.random.default_rng(seed)
    x = rng.normal(scale=2.0, size=(rows, len(INPUTS)))
    x[:, 2:15] = rng.integers(0, 2, size=(rows, 13))  # the 0/1 features, on both sides of splits
    return x


def test_shipped_trees_score_exactly_as_walking_them():
    import numpy as np

    from geo.resolve.ranker import TREES_PATH, Ranker

    trees = Ranker.load(TREES_PATH).trees
    assert trees is not None and trees._masks is not None  # the fast path is the one taken
    for rows, seed in [(0, 0), (1, 1), (3, 2), (12, 3), (40, 4), (500, 5)]:
        x = _tree_inputs(rows, seed)
        assert trees.predict(x).tobytes() == trees.walk(x).tobytes()  # same leaves, same sums, bit for bit
    x = _tree_inputs(6, 6)
    x[0, 3], x[2, :], x[4, 20] = np.nan, np.nan, np.inf  # NaN goes right at every split, as walking
    assert trees.predict(x).tobytes() == trees.walk(x).tobytes()
    # Inputs exactly at a threshold go left.
    at = np.repeat(_tree_inputs(1, 7), trees.feature.shape[0], axis=0)
    for t in range(trees.feature.shape[0]):
        if trees.feature[t, 0] >= 0:
            at[t, trees.feature[t, 0]] = trees.threshold[t, 0]
    assert trees.predict(at).tobytes() == trees.walk(at).tobytes()


def _small_trees(**changes):
    import numpy as np

    from geo.resolve.ranker import INPUTS, Trees

    # Tree 0: a split on input 0 at 0.5, its right child a split on input 1 at -1; tree 1: a leaf.
    arrays = {
        "feature": np.array([[0, -1, 1, -1, -1], [-1, -1, -1, -1, -1]]),
        "threshold": np.array([[0.5, 0, -1.0, 0, 0], [0.0] * 5]),
        "left": np.array([[1, -1, 3, -1, -1], [-1] * 5]),
        "right": np.array([[2, -1, 4, -1, -1], [-1] * 5]),
        "value": np.array([[0, 1.0, 0, 2.0, 4.0], [0.25, 0, 0, 0, 0]]),
    }
    arrays |= changes
    assert len(INPUTS) > 1
    return Trees(**arrays, depth=2)


def test_small_trees_exit_where_their_splits_send_a_row():
    import numpy as np

    from geo.resolve.ranker import INPUTS

    trees = _small_trees()
    x = np.zeros((4, len(INPUTS)))
    x[:, 0] = [0.5, 0.6, 0.6, -3]
    x[:, 1] = [9, -1, -0.5, 9]
    expected = [1.25, 2.25, 4.25, 1.25]  # left leaf; right then left; right then right; left
    assert trees.predict(x).tolist() == expected == trees.walk(x).tolist()


def test_trees_the_masks_cannot_hold_are_walked():
    import numpy as np

    from geo.resolve.ranker import INPUTS, Trees

    # A chain of 17 splits has 18 leaves, more than the masks hold: predict walks it.
    n = 35
    feature, threshold = np.full((1, n), -1), np.zeros((1, n))
    left, right, value = np.full((1, n), -1), np.full((1, n), -1), np.zeros((1, n))
    for depth in range(17):
        node = 2 * depth
        feature[0, node], threshold[0, node] = 0, float(depth)
        left[0, node], right[0, node] = node + 1, node + 2
        value[0, node + 1] = depth
    value[0, n - 1] = 99
    trees = Trees(feature, threshold, left, right, value, depth=17)
    assert trees._masks is None
    x = np.zeros((3, len(INPUTS)))
    x[:, 0] = [-1, 5.5, 100]
    assert trees.predict(x).tolist() == [0, 6, 99]
    # A tree deeper than ``depth`` says (walking stops there) is walked too.
    assert Trees(feature, threshold, left, right, value, depth=3)._masks is None


def test_ranker_gives_kept_scores_for_rows_seen_and_keeps_few(monkeypatch):
    from geo.resolve import ranker as ranker_module
    from geo.resolve.ranker import TREES_PATH, Features, Ranker

    ranker = Ranker.load(TREES_PATH)
    rows = [Features(*[float(i % 3) for i in range(len(Features._fields))]), Features(*[1.5] * len(Features._fields))]
    first = ranker.scores(rows)
    first.append(0.0)  # a caller's list is its own
    assert ranker.scores(tuple(rows)) == ranker._scores(rows) == first[:2]
    assert ranker._kept.cache_info().hits == 1
    assert ranker.scores([]) == []
    monkeypatch.setattr(ranker_module, "CACHED_SCORES", 4)
    small = Ranker.load(TREES_PATH)
    for i in range(10):
        small.scores([Features(*[float(i)] * len(Features._fields))])
    assert small._kept.cache_info().currsize == 4
    import pickle

    assert pickle.loads(pickle.dumps(small)).scores(rows) == first[:2]


# Recognition reads the tokens once (geo.recognize.words.Words).


def test_words_read_once_are_the_tokens_attributes(nlp, seed_text):
    from geo.recognize.words import Words

    doc = nlp(seed_text + "\n\nIN BRIEF — “Ⅷ Ⓐ” U.S.-led talks in São Paulo.  Done.\n")
    words = Words.of(doc)
    assert words.text == doc.text
    assert list(words.texts) == [t.text for t in doc]
    assert list(words.lowers) == [t.lower_ for t in doc]
    assert list(words.starts) == [t.idx for t in doc]
    assert list(words.sent_start[1:]) == [bool(t.is_sent_start) for t in doc[1:]]
    for name, attribute in [("space", "is_space"), ("upper", "is_upper"), ("alpha", "is_alpha")]:
        assert list(getattr(words, name)) == [getattr(t, attribute) for t in doc]
    for name, attribute in [("title", "is_title"), ("stop", "is_stop")]:
        assert list(getattr(words, name)) == [getattr(t, attribute) for t in doc]
    assert list(words.lower_word) == [t.is_lower and t.is_alpha for t in doc]
    assert list(words.capital) == [t.text[:1].isupper() and any(c.isalpha() for c in t.text) for t in doc]
    assert all(words.span_text(i, j) == doc[i:j].text for i in range(0, len(doc), 5) for j in (i + 1, i + 4))
    assert len(Words.of(nlp.make_doc(""))) == 0


def _windows_token_by_token(doc):
    """The name windows, one Token object at a time (the rule name_windows implements)."""
    from geo.core.normalize import name_key
    from geo.recognize.propose import CONNECTORS, MAX_NAME_TOKENS

    def capital(token):
        return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)

    for start, token in enumerate(doc):
        if not capital(token):
            continue
        for end in range(start + 1, min(start + MAX_NAME_TOKENS, len(doc)) + 1):
            last = doc[end - 1]
            if end - 1 > start and not (capital(last) or last.lower_ in CONNECTORS):
                break
            if last.i > start and last.is_sent_start:
                break
            if capital(last) and (key := name_key(doc[start:end].text)):
                yield start, end, key


def test_name_windows_are_the_token_rule_s(nlp, seed_text):
    from geo.recognize.propose import name_windows

    doc = nlp(seed_text)
    expected = list(_windows_token_by_token(doc))
    assert len(expected) > 50
    assert list(name_windows(doc)) == expected


def test_the_shared_tok2vec_is_off_and_the_entities_are_the_model_s(nlp, seed_text):
    from geo.recognize.extract import load_english

    english = load_english()
    assert "tok2vec" in english.disabled and {"senter", "ner"} <= set(english.pipe_names)
    assert "tok2vec" not in nlp.pipe_names  # the geoparser's pipeline runs without it
    with english.select_pipes(enable=["tok2vec", "ner"]):
        with_it = [(e.start, e.end, e.label_) for e in english(seed_text).ents]
    with english.select_pipes(enable=["ner"]):
        without = [(e.start, e.end, e.label_) for e in english(seed_text).ents]
    assert without == with_it and len(without) > 20
