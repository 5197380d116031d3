import json
import math
import subprocess
import sys

import pytest

from geo.core.errors import GeoError
from geo.eval import corpora
from geo.eval.scoring import MAX_ERROR_KM, Predicted, auc, score
from tests.conftest import ROOT

LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1"><title>t</title><text><![CDATA[Flooding hit Paris, Texas and Dallas on Monday.]]></text>
    <toponyms>
      <toponym><start>13</start><end>18</end><phrase>Paris</phrase>
        <gaztag geonameid="4717560"><name>Paris</name><lat>33.66094</lat><lon>-95.55551</lon></gaztag></toponym>
      <toponym><start>20</start><end>25</end><phrase>Texas</phrase>
        <gaztag geonameid="4736286"><name>Texas</name><lat>31.25044</lat><lon>-99.25061</lon></gaztag></toponym>
      <toponym><start>30</start><end>36</end><phrase>Dallas</phrase>
        <gaztag geonameid="4684888"><name>Dallas</name><lat>32.78306</lat><lon>-96.80667</lon></gaztag></toponym>
    </toponyms></article>
  <article docid="2"><title>t</title><text><![CDATA[Nothing happened downtown.]]></text>
    <toponyms><toponym><start>17</start><end>25</end><phrase>downtown</phrase></toponym></toponyms></article>
</articles>"""

GEOVIRUS = """<articles><article><source>https://example.org/a</source>
<text>Cholera spread in Haiti and Port-au-Prince.</text>
<locations>
 <location><name>Haiti</name><start>19</start><end>24</end><lat>19.0</lat><lon>-72.4167</lon><page>x</page></location>
 <location><name>Port-au-Prince</name><start>29</start><end>43</end><lat>18.5392</lat><lon>-72.335</lon>
 <page>x</page></location>
</locations></article></articles>"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "lgl.xml").write_text(LGL)
    (tmp_path / "GeoVirus.xml").write_text(GEOVIRUS)
    return tmp_path


def test_corpora_offsets(files):
    lgl = corpora.load("lgl", files / "lgl.xml")
    assert [t.text for t in lgl[0].toponyms] == ["Paris", "Texas", "Dallas"]
    assert lgl[1].toponyms[0].lat is None  # tagged, not grounded
    virus = corpora.load("geovirus", files / "GeoVirus.xml")
    assert [t.text for t in virus[0].toponyms] == ["Haiti", "Port-au-Prince"]  # 1-based offsets read right


def test_split_is_first_70_and_last_30_percent():
    docs = [corpora.GoldDoc(str(i), "", ()) for i in range(10)]
    assert [d.id for d in corpora.split(docs, "tune")] == [str(i) for i in range(7)]
    assert [d.id for d in corpora.split(docs, "test")] == ["7", "8", "9"]


def test_scores_by_the_published_rules(files):
    doc = corpora.load("lgl", files / "lgl.xml")[0]
    predicted = [
        Predicted(13, 18, 48.85, 2.35),  # Paris, France: recognised, wrong by ~7,800 km
        Predicted(20, 25, 31.0, -99.0),  # Texas: right
        Predicted(40, 46, 0.0, 0.0),  # "Monday": not a toponym
    ]
    scores = score([doc], [predicted])
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.accuracy_161 == pytest.approx(1 / 2)
    assert scores.accuracy_161_end_to_end == pytest.approx(1 / 3)
    unplaced = score([doc], [[Predicted(30, 36, None, None)]])
    assert unplaced.mean_km == MAX_ERROR_KM


def test_auc_bounds():
    assert auc([0.0, 0.0]) == 0.0
    assert auc([MAX_ERROR_KM - 1, MAX_ERROR_KM - 1]) == pytest.approx(1.0, abs=1e-4)
    assert 0 < auc([1.0, 100.0, 10_000.0]) < 1
    assert math.isfinite(auc([5.0]))


@pytest.mark.slow
def test_eval_command_on_a_small_slice(files):
    done = subprocess.run(
        [sys.executable, "-m", "geo.eval", "lgl", str(files / "lgl.xml"), "--split", "all", "--json"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    figures = json.loads(done.stdout)
    assert figures["docs"] == 2 and figures["gold"] == 3
    assert figures["recall"] == pytest.approx(1.0)
    assert figures["accuracy_161"] == pytest.approx(1.0)  # Paris is the one in Texas here
    assert figures["words_per_second"] > 0 and figures["peak_memory_mb"] > 0


@pytest.mark.slow
def test_benchmark_runs_on_a_small_slice(files):
    done = subprocess.run(
        [sys.executable, "-m", "geo.eval.bench", str(files / "lgl.xml")], cwd=ROOT, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()
    figures = json.loads(done.stdout)
    assert figures["cli"]["documents"] == 2 and figures["cli"]["words_per_second"] > 0
    assert figures["gazetteer_lookup"]["median_ms"] > 0 and figures["cached_geocode"]["median_ms"] > 0


def test_ranker_training_prefers_what_marks_the_right_candidate():
    import numpy as np

    from geo.eval.train import train

    rng = np.random.default_rng(0)
    groups = []
    for _ in range(200):
        rows = rng.normal(size=(4, 2))
        right = np.zeros(4, dtype=bool)
        right[np.argmax(rows[:, 1])] = True  # the second feature decides
        groups.append((rows, right))
    learned = train(groups, np.zeros(2), steps=200)
    assert learned[1] > 1.0 and abs(learned[0]) < learned[1] / 3


def test_a_ranker_is_loaded_from_a_path_and_changes_what_the_resolver_picks(tmp_path, gazetteer):
    from geo.core.values import Mention
    from geo.resolve.ranker import Features, Ranker
    from geo.resolve.resolver import resolve

    shipped = Ranker.load()
    assert shipped.weights.country_share > 0 and shipped.weights.is_country == 0
    text = "Talks resumed in Paris."
    mention = Mention(17, 22, "Paris", "GPE", "ner", 0, len(text), text)
    first = resolve([mention], text, gazetteer, shipped)[0].chosen
    assert first.country == "FR"
    # Weights that prefer small places: saved, loaded from the path, and used.
    path = tmp_path / "ranker.json"
    Ranker.from_mapping({"prior": -1.0}).save(path, trained_on="a test")
    loaded = Ranker.load(path)
    assert loaded.weights == Features(-1.0, *([0.0] * (len(Features._fields) - 1)))
    smallest = resolve([mention], text, gazetteer, loaded)[0].chosen
    assert smallest.place_id != first.place_id and smallest.prior < first.prior
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(GeoError):
        Ranker.load(tmp_path / "bad.json")


def test_ceiling_tells_gaps_from_ranking_errors(files):
    from geo.eval.ceiling import ceiling, error_breakdown

    doc = corpora.load("lgl", files / "lgl.xml")[0]
    paris_tx, paris_fr = (33.66, -95.56, "PPL"), (48.85, 2.35, "PPLC")
    predicted = [
        # Paris placed in France, though the Texan town was a candidate: a ranking error.
        Predicted(13, 18, 48.85, 2.35, "PPLC", (paris_fr, paris_tx)),
        # Texas placed far off with no candidate near the gold point: a gap.
        Predicted(20, 25, 10.0, 10.0, "ADM1", ((10.0, 10.0, "ADM1"),)),
    ]
    # Dallas was not recognised; the gazetteer knows it.
    lookup = {"Dallas": [(32.78, -96.80, "PPL")]}
    reach = ceiling([doc], [predicted], lambda name: lookup.get(name, []))
    assert (reach.recognised, reach.recognised_reachable, reach.gold, reach.gold_reachable) == (2, 1, 3, 2)
    assert reach.recognised_share == pytest.approx(1 / 2)
    errors = error_breakdown([doc], [predicted])
    assert (errors.errors, errors.gap, errors.ranking) == (2, 1, 1)
    assert errors.ranking_by_kind == (("PPL -> PPLC", 1),)
    assert errors.gap_by_kind == (("ADM1", 1),)
    assert errors.ranking_names == (("Paris", 1),)
    assert errors.unplaced_names == ()
    # Texas recognised and never placed: a gap, listed by the name as written.
    unplaced = [predicted[0], Predicted(20, 25, None, None, "", ())]
    errors = error_breakdown([doc], [unplaced])
    assert (errors.gap, errors.gap_by_kind, errors.unplaced_names) == (1, (("unplaced", 1),), (("Texas", 1),))


def test_tree_ranker_scores_with_numpy_and_round_trips(tmp_path, gazetteer):
    import numpy as np

    from geo.core.values import Mention
    from geo.resolve.ranker import HAND_SET_PATH, INPUTS, Features, Ranker, Trees
    from geo.resolve.resolver import resolve

    # One tree: a candidate whose prior falls more than 1 below the best scores 1, the rest -1:
    # it prefers the small places the weighted sum ranks last.
    gap = INPUTS.index("prior_gap")
    trees = Trees(
        feature=np.array([[gap, -1, -1]]),
        threshold=np.array([[-1.0, 0.0, 0.0]]),
        left=np.array([[1, 1, 2]]),
        right=np.array([[2, 1, 2]]),
        value=np.array([[0.0, 1.0, -1.0]]),
        depth=1,
    )
    hand_set = Ranker.load(HAND_SET_PATH)
    ranker = Ranker(hand_set.weights, "a test", trees)
    rows = [Features(*([0.0] * len(Features._fields)))._replace(prior=p) for p in (6.0, 5.5, 3.0)]
    assert ranker.scores(rows) == [-1.0, -1.0, 1.0]
    assert hand_set.scores(rows) == [6.0, 5.5, 3.0]  # without trees: the weighted sums
    path = tmp_path / "trees.json"
    ranker.save(path, trained_on="a test")
    loaded = Ranker.load(path)
    assert loaded.trees is not None and loaded.scores(rows) == ranker.scores(rows)
    text = "Talks resumed in Paris."
    mention = Mention(17, 22, "Paris", "GPE", "ner", 0, len(text), text)
    first = resolve([mention], text, gazetteer, hand_set)[0]
    assert first.chosen.country == "FR"
    best_prior = max(c.prior for c in first.candidates)
    assert resolve([mention], text, gazetteer, loaded)[0].chosen.prior < best_prior - 1
    data = json.loads(path.read_text())
    data["trees"]["inputs"] = data["trees"]["inputs"][:-1]  # trained on other inputs
    path.write_text(json.dumps(data))
    with pytest.raises(GeoError):
        Ranker.load(path)


def test_the_trees_do_not_earn_the_default_and_their_record_says_why():
    from geo.resolve.ranker import DEFAULT_PATH, HAND_SET_PATH, TREES_PATH, Features, Ranker

    trees = Ranker.load(TREES_PATH)
    assert trees.trees is not None and trees.trees.residual and 0 < trees.trees.shrink <= 1
    assert DEFAULT_PATH == HAND_SET_PATH and Ranker.load(HAND_SET_PATH).trees is None
    rows = [Features(*([0.0] * len(Features._fields)))._replace(prior=p) for p in (6.0, 3.0)]
    assert len(trees.scores(rows)) == 2
    # Issues #11 and #24: trees ship as the default only if they beat the hand-set weights on
    # every tune set in cross-validation. Trained on all four, the chosen setting ranks more LGL
    # and GeoWebNews mentions right and as many GeoVirus and TR-News ones: no better on those two.
    record = json.loads(TREES_PATH.read_text())
    chosen = record["hyper_parameters"]
    setting = (chosen["trees"], chosen["leaves"], chosen["learning_rate"], chosen["min_data_in_leaf"])
    counts = record["cross_validation"][f"{setting} shrink {chosen['shrink']}"]
    hand = record["cross_validation"]["hand_set"]
    assert set(hand) == {"lgl", "GeoVirus", "gwn-tune", "trnews-tune"}
    assert not all(counts[c] > hand[c] for c in hand)


def test_a_shrink_scales_the_trees_and_round_trips(tmp_path):
    import numpy as np

    from geo.resolve.ranker import INPUTS, Features, Ranker, Trees

    prior = INPUTS.index("prior")
    arrays = {
        "feature": np.array([[prior, -1, -1]]),
        "threshold": np.array([[5.0, 0.0, 0.0]]),
        "left": np.array([[1, 1, 2]]),
        "right": np.array([[2, 1, 2]]),
        "value": np.array([[0.0, 2.0, -2.0]]),  # small places +2, large ones -2
    }
    rows = [Features(*([0.0] * len(Features._fields)))._replace(prior=p) for p in (6.0, 4.5)]
    full = Ranker.from_mapping({"prior": 1.0})
    full = Ranker(full.weights, "full", Trees(**arrays, depth=1, residual=True))
    half = Ranker(full.weights, "half", Trees(**arrays, depth=1, residual=True, shrink=0.25))
    assert full.scores(rows) == [4.0, 6.5]  # the trees overturn a lead of 1.5
    assert half.scores(rows) == [5.5, 5.0]  # a quarter of them cannot
    path = tmp_path / "half.json"
    half.save(path)
    assert Ranker.load(path).scores(rows) == half.scores(rows)


DEMONYM_LGL = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1"><title>t</title><text><![CDATA[Georgian troops left Gori as Russian tanks entered.]]></text>
    <toponyms>
      <toponym><start>0</start><end>8</end><phrase>Georgian</phrase>
        <gaztag geonameid="614540"><name>Georgia</name><lat>42.0</lat><lon>43.5</lon></gaztag></toponym>
      <toponym><start>21</start><end>25</end><phrase>Gori</phrase>
        <gaztag geonameid="614455"><name>Gori</name><lat>41.98422</lat><lon>44.11578</lon></gaztag></toponym>
      <toponym><start>29</start><end>36</end><phrase>Russian</phrase>
        <gaztag geonameid="2017370"><name>Russia</name><lat>60.0</lat><lon>100.0</lon></gaztag></toponym>
    </toponyms></article>
</articles>"""


@pytest.mark.slow
def test_eval_scores_demonyms_both_ways(tmp_path):
    path = tmp_path / "lgl.xml"
    path.write_text(DEMONYM_LGL)
    figures = {}
    for flag in ("", "--demonyms", "--without-demonym-gold"):
        done = subprocess.run(
            [sys.executable, "-m", "geo.eval", "lgl", str(path), "--json", *([flag] if flag else [])],
            cwd=ROOT,
            capture_output=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr.decode()
        figures[flag] = json.loads(done.stdout)
    assert figures[""]["demonyms"] is False and figures["--demonyms"]["demonyms"] is True
    assert figures[""]["recall"] == pytest.approx(1 / 3)  # Gori only
    assert figures["--demonyms"]["recall"] == pytest.approx(1.0)  # and the two demonyms, as their countries
    assert figures["--demonyms"]["accuracy_161"] == pytest.approx(1.0)
    # The default scored on what it sets out to map: the demonyms left out of the gold, Gori alone.
    assert figures["--without-demonym-gold"]["gold"] == 1 and figures["--without-demonym-gold"]["demonym_gold"] is False
    assert figures["--without-demonym-gold"]["recall"] == pytest.approx(1.0)


def test_boosted_trees_read_no_kind_of_place_and_export_as_fitted():
    pytest.importorskip("lightgbm")
    import numpy as np

    from geo.eval import boost
    from geo.resolve.ranker import INPUTS, Trees

    assert "is_admin1" in boost.LEFT_OUT and "is_admin1" not in boost.USED and "major_city" in boost.MONOTONE
    rng = np.random.default_rng(3)
    groups = []
    for doc in range(120):
        x = rng.normal(size=(4, len(INPUTS)))
        sums = rng.normal(size=4)
        right = np.zeros(4, dtype=bool)
        right[int(np.argmax(x[:, INPUTS.index("closeness")]))] = True  # the evidence decides
        groups.append(boost.Group("lgl", doc, x, right, sums))
    booster = boost.fit(groups, (20, 4, 0.1, 5))
    trees = boost.trees_of(booster)
    assert isinstance(trees, Trees) and trees.residual
    used = {int(f) for f in trees.feature.ravel() if f >= 0}
    assert used and not used & {INPUTS.index(name) for name in boost.LEFT_OUT}
    exported = boost.right_count(groups, trees.predict)
    assert exported == boost.right_count(groups, lambda x: booster.predict(boost._columns(x)))
    assert exported > boost.right_count(groups, None)  # beats the (random) sums it corrects
    halved = boost.trees_of(booster, 0.5)
    assert halved.shrink == 0.5 and np.allclose(halved.predict(groups[0].x), 0.5 * trees.predict(groups[0].x))
