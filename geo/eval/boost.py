"""``python -m geo.eval.boost CORPUS FILE [CORPUS FILE ...] --output PATH``: learn a tree ranker.

Only the tune splits (the first 70% of each file's documents) are read. Per recognised gold
toponym with two or more candidates, the candidates' inputs (geo.ranker.inputs, measured with
the hand-set weights) and which lie within 161 km of the gold point are collected. Gradient-boosted
trees (LightGBM, a training-only dependency, LambdaRank objective) are fitted to them; the
hyper-parameters are chosen by cross-validation over documents within the tune splits: the count
of mentions whose best-scored candidate is right, against the hand-set weights' count. The trees
are written to PATH as plain arrays, which ``Ranker.load(PATH)`` scores with numpy.

The trees are boosted from the hand-set weighted sum (LightGBM's initial score): they learn
corrections to it, and a candidate's score is the sum plus their output, so evidence they rarely
see in training ("X province" after a bare name, a landmark's prior) keeps its hand-set weight.
The trees never read the kind of a candidate (``LEFT_OUT``: is it a country, a first-level area, a
town, ...): LGL's local US news would teach them that "New York" means the state and that a
capital loses to a namesake in the article's country, which world news contradicts. The
evidence they read may only ever count for a candidate, never against it (``MONOTONE``): more
population, a larger share of the article's country, a cue or a capital's standing cannot lower
a candidate's score.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geo.eval.train import labelled
from geo.ranker import HAND_SET_PATH, INPUTS, Ranker, Trees, inputs

__all__ = ["LEFT_OUT", "MONOTONE", "USED", "Group", "choose", "collect", "fit", "main", "trees_of"]

log = logging.getLogger(__name__)

FOLDS = 5
#: Inputs the trees do not read: the kind of place (and its size, which stands for the kind).
LEFT_OUT: frozenset[str] = frozenset(
    {"is_country", "is_admin1", "is_admin2", "is_region", "is_landmark", "is_airfield", "is_town", "is_natural"}
    | {"is_port", "size"}
)
#: The inputs the trees read, in INPUTS order.
USED: tuple[str, ...] = tuple(name for name in INPUTS if name not in LEFT_OUT)
#: Inputs that may only raise a candidate's score (1), the others free (0).
MONOTONE: frozenset[str] = frozenset(
    {"prior", "country_share", "admin1_in_play", "area_cue", "town_cue", "qualifier", "closeness", "class_cue"}
    | {"major_city", "prior_gap", "top_prior", "sum_gap", "share_gap"}
)
#: The hyper-parameters tried: (trees, leaves, learning rate, least mentions in a leaf).
GRID: tuple[tuple[int, int, float, int], ...] = tuple(
    itertools.product((100, 300), (8, 16, 31), (0.05,), (20, 60)),
)


@dataclass(frozen=True, eq=False)
class Group:
    """One recognised gold toponym: its corpus, document, candidates' inputs and which are right."""

    corpus: str
    doc: int
    x: np.ndarray
    right: np.ndarray
    sums: np.ndarray  # the hand-set weighted sums


def collect(pairs: Sequence[tuple[str, str]], ranker: Ranker) -> list[Group]:
    """Return a Group per recognised gold toponym (tune splits) with two or more candidates."""
    groups = []
    for one in labelled(pairs, ranker, progress=lambda m: log.info("%s", m)):
        sums = [ranker.score(row) for row in one.item.features]
        groups.append(Group(one.corpus, one.doc, inputs(one.item.features, sums), one.right, np.asarray(sums)))
    return groups


def fit(groups: Sequence[Group], params: tuple[int, int, float, int]) -> Any:
    """Return a LightGBM booster fitted to ``groups`` (those with a right and a wrong candidate)."""
    import lightgbm

    trees, leaves, rate, min_leaf = params
    used = [g for g in groups if g.right.any() and not g.right.all()]
    data = lightgbm.Dataset(
        _columns(np.vstack([g.x for g in used])),
        label=np.concatenate([g.right.astype(int) for g in used]),
        group=[len(g.right) for g in used],
        init_score=np.concatenate([g.sums for g in used]),
        feature_name=list(USED),
        free_raw_data=False,
    )
    config = {
        "monotone_constraints": [int(name in MONOTONE) for name in USED],
        "monotone_constraints_method": "advanced",
        "objective": "lambdarank",
        "lambdarank_truncation_level": 3,
        "eval_at": [1],
        "num_leaves": leaves,
        "learning_rate": rate,
        "min_data_in_leaf": min_leaf,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.9,
        "bagging_freq": 1,
        "seed": 11,
        "deterministic": True,
        "num_threads": 2,
        "verbose": -1,
    }
    return lightgbm.train(config, data, num_boost_round=trees)


def _columns(x: np.ndarray) -> np.ndarray:
    """Return the columns of INPUTS rows the trees read (USED)."""
    return x[:, [INPUTS.index(name) for name in USED]]


def _first_best(scores: np.ndarray) -> int:
    return int(np.argmax(scores))  # the first of equals, as the resolver


def right_count(groups: Sequence[Group], scorer: Any | None) -> int:
    """Return how many groups have a right candidate scored best (``scorer`` None: hand-set sums)."""
    if not groups:
        return 0
    if scorer is None:
        scored = [group.sums for group in groups]
    else:  # one call over every row: a call per group costs more than the trees
        flat = scorer(np.vstack([group.x for group in groups]))  # rows of every INPUT
        flat = flat + np.concatenate([group.sums for group in groups])  # trees correct the sums
        scored = np.split(flat, np.cumsum([len(group.right) for group in groups])[:-1])
    return sum(bool(group.right[_first_best(scores)]) for group, scores in zip(groups, scored, strict=True))


def choose(groups: Sequence[Group]) -> tuple[tuple[int, int, float, int], dict[str, object]]:
    """Return the hyper-parameters with the most right picks in cross-validation (folds of
    documents, per corpus), and the table of every setting's counts against the hand-set ones."""
    corpora_in = sorted({g.corpus for g in groups})
    folds = [[g for g in groups if g.doc % FOLDS == k] for k in range(FOLDS)]
    hand = {c: right_count([g for g in groups if g.corpus == c], None) for c in corpora_in}
    table: dict[str, object] = {"hand_set": hand}
    best, best_total = GRID[0], -1
    for params in GRID:
        counts = dict.fromkeys(corpora_in, 0)
        for k in range(FOLDS):
            train = [g for j, fold in enumerate(folds) if j != k for g in fold]
            booster = fit(train, params)
            for corpus in corpora_in:
                held = [g for g in folds[k] if g.corpus == corpus]
                counts[corpus] += right_count(held, lambda x, b=booster: b.predict(_columns(x)))
        table[str(params)] = counts
        log.info("%s %s (hand-set %s)", params, counts, hand)
        total = sum(counts.values())
        if total > best_total:
            best, best_total = params, total
    return best, table


def trees_of(booster: Any) -> Trees:
    """Return a LightGBM booster's trees as the plain arrays geo.ranker.Trees scores."""
    dumped = booster.dump_model()["tree_info"]
    flat: list[list[tuple[int, float, int, int, float]]] = []
    depth = 0
    for tree in dumped:
        nodes: list[tuple[int, float, int, int, float]] = []

        def add(node: dict[str, Any], level: int, nodes: list[tuple[int, float, int, int, float]] = nodes) -> int:
            nonlocal depth
            depth = max(depth, level)
            index = len(nodes)
            nodes.append((-1, 0.0, index, index, float(node.get("leaf_value", 0.0))))
            if "split_index" in node:
                if node.get("decision_type", "<=") != "<=":
                    raise ValueError("only <= splits are supported")
                left = add(node["left_child"], level + 1)
                right = add(node["right_child"], level + 1)
                column = INPUTS.index(USED[int(node["split_feature"])])  # the trees read INPUTS rows
                nodes[index] = (column, float(node["threshold"]), left, right, 0.0)
            return index

        add(tree["tree_structure"], 0)
        flat.append(nodes)
    width = max(len(nodes) for nodes in flat)
    padded = [nodes + [(-1, 0.0, 0, 0, 0.0)] * (width - len(nodes)) for nodes in flat]
    columns = [np.array([[node[i] for node in nodes] for nodes in padded]) for i in range(5)]
    return Trees(
        feature=columns[0].astype(np.int64),
        threshold=columns[1].astype(float),
        left=columns[2].astype(np.int64),
        right=columns[3].astype(np.int64),
        value=columns[4].astype(float),
        depth=depth,
        residual=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Collect, cross-validate, fit and write the tree ranker to ``--output``."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.boost", description=__doc__)
    parser.add_argument("pairs", nargs="+", help="CORPUS FILE pairs, e.g. lgl ../shared/eval/lgl.xml")
    parser.add_argument("--output", required=True, type=Path, help="where to write the tree ranker (JSON)")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give CORPUS FILE pairs")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    hand_set = Ranker.load(HAND_SET_PATH)  # the hand-set weights, whatever the default
    groups = collect(pairs, hand_set)
    params, table = choose(groups)
    booster = fit(groups, params)
    learned = Ranker(hand_set.weights, f"gradient-boosted trees {params}", trees_of(booster))
    check = right_count(groups, lambda x: learned.trees.predict(x) if learned.trees else x)
    if check != right_count(groups, lambda x: booster.predict(_columns(x))):
        log.warning("the exported trees disagree with LightGBM on %s mentions", check)
    learned.save(
        args.output,
        trained_on=[f"{corpus} tune split (first 70%)" for corpus, _ in pairs],
        hyper_parameters=dict(zip(("trees", "leaves", "learning_rate", "min_data_in_leaf"), params, strict=True)),
        cross_validation=table,
        left_out=sorted(LEFT_OUT),
        monotone=sorted(MONOTONE),
        mentions=len(groups),
        date=time.strftime("%Y-%m-%d"),
    )
    print(json.dumps({"chosen": params, "cross_validation": table}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
