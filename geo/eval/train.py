"""``python -m geo.eval.train CORPUS FILE [CORPUS FILE ...]``: learn the ranker's weights.

Only the tune split (the first 70% of each file's documents) is read. For every gold toponym the
geoparser recognises, the resolver's candidates and their features (geo.resolve.features) are
collected; a candidate is right when it lies within 161 km of the gold point. The weights that
make the right candidates likeliest (a softmax over each mention's candidates, L2-regularised
towards the hand-set weights) are written to geo/ranker.json, which resolve() then uses.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from geo import resolve
from geo.eval import corpora
from geo.eval.scoring import ACCURACY_KM
from geo.geometry import great_circle_km

L2 = 0.01


def collect(pairs: list[tuple[str, str]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per recognised gold toponym with a right candidate, (features, right-or-not)."""
    from geo.pipeline import Geoparser

    geoparser = Geoparser.default(progress=lambda m: print(m, file=sys.stderr))
    groups = []
    for corpus, path in pairs:
        docs = corpora.split(corpora.load(corpus, path), "tune")
        for doc, mentions in zip(docs, (m for m in _mentions(geoparser, docs)), strict=True):
            _context, explained = resolve.explain(mentions, doc.text, geoparser.gazetteer)
            for mention, options, rows in explained:
                if len(options) < 2:
                    continue
                gold = next(
                    (g for g in doc.toponyms if g.lat is not None and g.start < mention.end and mention.start < g.end),
                    None,
                )
                if gold is None:
                    continue
                right = np.array([great_circle_km(c.lat, c.lon, gold.lat, gold.lon) <= ACCURACY_KM for c in options])
                if right.any() and not right.all():
                    groups.append((np.array(rows, dtype=float), right))
    return groups


def _mentions(geoparser, docs):
    from geo.extract import extract

    yield from extract(geoparser.nlp, [doc.text for doc in docs])


def train(
    groups: list[tuple[np.ndarray, np.ndarray]],
    start: np.ndarray,
    *,
    learnable: np.ndarray | None = None,
    steps: int = 600,
) -> np.ndarray:
    """Return weights maximising the likelihood of the right candidates (Adam, full batch).

    Only the weights where ``learnable`` is true move; the rest keep their start values.
    """
    mask = np.ones_like(start) if learnable is None else learnable.astype(float)
    weights = start.copy()
    moment, velocity = np.zeros_like(weights), np.zeros_like(weights)
    for step in range(1, steps + 1):
        gradient = L2 * (weights - start)
        for rows, right in groups:
            scores = rows @ weights
            probabilities = np.exp(scores - scores.max())
            probabilities /= probabilities.sum()
            target = probabilities * right / (probabilities * right).sum()
            gradient += (probabilities - target) @ rows / len(groups)
        gradient *= mask
        moment = 0.9 * moment + 0.1 * gradient
        velocity = 0.999 * velocity + 0.001 * gradient**2
        weights -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(velocity / (1 - 0.999**step)) + 1e-8)
    return weights


def main(argv: list[str] | None = None) -> int:
    """Collect, train and write geo/ranker.json."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.train", description=__doc__)
    parser.add_argument("pairs", nargs="+", help="CORPUS FILE pairs, e.g. lgl ../shared/eval/lgl.xml")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give CORPUS FILE pairs")
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    if resolve.RANKER_PATH.exists():
        resolve.RANKER_PATH.unlink()  # collect with the hand-set weights
        resolve.weights.cache_clear()
    groups = collect(pairs)
    start = np.array([resolve.DEFAULT_WEIGHTS.get(name, 0.0) for name in resolve.FEATURES])
    # Only the weights of the evidence are learned, not a preference for a kind of place: LGL's
    # local US news would otherwise teach "New York" to mean the state in world news too.
    learnable = np.array([name in resolve.DEFAULT_WEIGHTS for name in resolve.FEATURES])
    learned = train(groups, start, learnable=learnable)
    resolve.RANKER_PATH.write_text(
        json.dumps(
            {
                "trained_on": [f"{corpus} tune split (first 70%)" for corpus, _ in pairs],
                "mentions": len(groups),
                "date": time.strftime("%Y-%m-%d"),
                "weights": {name: round(float(w), 4) for name, w in zip(resolve.FEATURES, learned, strict=True)},
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(dict(zip(resolve.FEATURES, np.round(learned, 3).tolist(), strict=True)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
