"""``python -m geo.eval.boost CORPUS FILE [CORPUS FILE ...] --output PATH``: learn a tree ranker.

Only the tune splits (the first 70% of each file's documents) are read. Per recognised gold
toponym with two or more candidates, the candidates' inputs (geo.resolve.ranker.inputs, measured with
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
a candidate's score. Their output is shrunk (``SHRINKS``, chosen with the hyper-parameters):
small, it breaks near ties of the weighted sum but cannot overturn a clear lead. A setting is
chosen only if it beats the hand-set weights on every corpus in cross-validation (else the one
with the most right picks, which then should not ship as the default).
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
from geo.resolve.ranker import HAND_SET_PATH, INPUTS, Ranker, Trees, inputs

__all__ = ["LEFT_OUT", "MONOTONE", "SHRINKS", "USED", "Group", "choose", "collect", "fit", "main", "trees_of"]

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
    | {"major_city", "prior_gap", "top_prior", "sum_gap", "share_gap", "admin1_support"}
)
#: The hyper-parameters tried: (trees, leaves, learning rate, least mentions in a leaf).
#: (16 and 31 leaves never did better than 8 in cross-validation; left out to keep training short.)
GRID: tuple[tuple[int, int, float, int], ...] = tuple(
    itertools.product((100, 300), (8,), (0.05,), (20, 60)),
)
#: What the trees' output is multiplied by, tried for each setting: a small one lets the trees
#: break near ties of the weighted sum without overturning a clear lead.
SHRINKS: tuple[float, ...] = (0.2, 0.3, 0.5, 0.75, 1.0)


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


def choose(groups: Sequence[Group]) -> tuple[tuple[int, int, float, int], float, dict[str, object]]:
    """Return the hyper-parameters and the shrink (SHRINKS) with the most right picks in
    cross-validation (folds of documents, per corpus), and the table of every setting's counts
    against the hand-set ones. One fit per setting and fold serves every shrink."""
    corpora_in = sorted({g.corpus for g in groups})
    folds = [[g for g in groups if g.doc % FOLDS == k] for k in range(FOLDS)]
    hand = {c: right_count([g for g in groups if g.corpus == c], None) for c in corpora_in}
    table: dict[str, object] = {"hand_set": hand}
    best, best_shrink, best_total = GRID[0], SHRINKS[-1], -1
    for params in GRID:
        counts = {shrink: dict.fromkeys(corpora_in, 0) for shrink in SHRINKS}
        for k in range(FOLDS):
            train = [g for j, fold in enumerate(folds) if j != k for g in fold]
            booster = fit(train, params)
            for corpus in corpora_in:
                held = [g for g in folds[k] if g.corpus == corpus]
                output = booster.predict(_columns(np.vstack([g.x for g in held]))) if held else np.empty(0)
                for shrink in SHRINKS:
                    counts[shrink][corpus] += right_count(held, lambda x, o=output, s=shrink: s * o)
        for shrink in SHRINKS:
            table[f"{params} shrink {shrink}"] = counts[shrink]
            log.info("%s shrink %s %s (hand-set %s)", params, shrink, counts[shrink], hand)
            if _beats(counts[shrink], hand) and sum(counts[shrink].values()) > best_total:
                best, best_shrink, best_total = params, shrink, sum(counts[shrink].values())
    if best_total < 0:  # nothing beats the hand-set weights on every corpus: the most right picks
        best, best_shrink = max(
            ((p, s) for p in GRID for s in SHRINKS),
            key=lambda ps: sum(table[f"{ps[0]} shrink {ps[1]}"].values()),  # type: ignore[attr-defined]
        )
    return best, best_shrink, table


def _beats(counts: dict[str, int], hand: dict[str, int]) -> bool:
    """Return True when ``counts`` are above the hand-set ones on every corpus."""
    return all(counts[corpus] > hand[corpus] for corpus in hand)


def trees_of(booster: Any, shrink: float = 1.0) -> Trees:
    """Return a LightGBM booster's trees (their output times ``shrink``) as the plain arrays
    geo.resolve.ranker.Trees scores."""
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
        shrink=shrink,
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
    params, shrink, table = choose(groups)
    booster = fit(groups, params)
    learned = Ranker(hand_set.weights, f"gradient-boosted trees {params} shrink {shrink}", trees_of(booster, shrink))
    check = right_count(groups, lambda x: learned.trees.predict(x) if learned.trees else x)
    if check != right_count(groups, lambda x: shrink * booster.predict(_columns(x))):
        log.warning("the exported trees disagree with LightGBM on %s mentions", check)
    learned.save(
        args.output,
        trained_on=[f"{Path(path).name} tune split (first 70%)" for _, path in pairs],
        hyper_parameters=dict(zip(("trees", "leaves", "learning_rate", "min_data_in_leaf"), params, strict=True))
        | {"shrink": shrink},
        cross_validation=table,
        left_out=sorted(LEFT_OUT),
        monotone=sorted(MONOTONE),
        mentions=len(groups),
        date=time.strftime("%Y-%m-%d"),
    )
    print(json.dumps({"chosen": params, "shrink": shrink, "cross_validation": table}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
