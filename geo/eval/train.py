"""``python -m geo.eval.train CORPUS FILE [CORPUS FILE ...] --output PATH``: learn the ranker's weights.

Only the tune split (the first 70% of each file's documents) is read. For every gold toponym the
geoparser recognises, the resolver's candidates and their features (geo.resolve.resolver.features) are
collected; a candidate is right when it lies within 161 km of the gold point. The weights that
make the right candidates likeliest (a softmax over each mention's candidates, L2-regularised
towards the shipped weights) are written to PATH, which ``Ranker.load(PATH)`` reads for a
``Geoparser(ranker=...)``. The shipped weights (geo/data/ranker.json) are never overwritten.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geo.core.geometry import great_circle_km
from geo.eval import corpora
from geo.eval.scoring import ACCURACY_KM
from geo.resolve import resolver
from geo.resolve.ranker import HAND_SET_PATH, LEARNABLE, Features, Ranker

L2 = 0.01


@dataclass(frozen=True, eq=False)
class Labelled:
    """A recognised gold toponym of a tune split with two or more candidates: the resolver's
    reading of it, and which of its candidates lie within 161 km of the gold point."""

    corpus: str  # the file's name without its suffix ("lgl", "gwn-tune")
    doc: int  # the document's index in its tune split
    item: resolver.Explained
    right: np.ndarray


def labelled(
    pairs: Sequence[tuple[str, str]], ranker: Ranker, *, progress: Callable[[str], None] | None = None
) -> Iterator[Labelled]:
    """Yield every recognised gold toponym of the tune splits of ``pairs`` (CORPUS, FILE) that has
    two or more candidates, with its candidates' features measured with ``ranker``."""
    from geo.parse.pipeline import Geoparser, open_gazetteer
    from geo.recognize.extract import extract

    # The ranker given, not the default one: retraining after the inputs changed must not need
    # the old trees to load.
    geoparser = Geoparser(gazetteer=open_gazetteer(progress=progress), ranker=ranker)
    for corpus, path in pairs:
        docs = corpora.split(corpora.load(corpus, Path(path)), "tune")
        for index, (doc, mentions) in enumerate(zip(docs, extract(geoparser.nlp, [d.text for d in docs]), strict=True)):
            _context, explained = resolver.explain(mentions, doc.text, geoparser.gazetteer, ranker)
            for item in explained:
                if len(item.candidates) < 2:
                    continue
                mention = item.mention
                gold = next(
                    (g for g in doc.toponyms if g.start < mention.end and mention.start < g.end and g.lat is not None),
                    None,
                )
                if gold is None or gold.lat is None or gold.lon is None:
                    continue
                right = np.array(
                    [great_circle_km(c.lat, c.lon, gold.lat, gold.lon) <= ACCURACY_KM for c in item.candidates]
                )
                yield Labelled(Path(path).stem, index, item, right)  # per file: LGL and GeoWebNews share a format


def collect(pairs: list[tuple[str, str]], ranker: Ranker) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per recognised gold toponym with a right and a wrong candidate, (features, right-or-not)."""
    return [
        (np.array(one.item.features, dtype=float), one.right)
        for one in labelled(pairs, ranker, progress=lambda m: print(m, file=sys.stderr))
        if one.right.any() and not one.right.all()
    ]


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
    """Collect, train and write the learned weights to ``--output``."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.train", description=__doc__)
    parser.add_argument("pairs", nargs="+", help="CORPUS FILE pairs, e.g. lgl ../shared/eval/lgl.xml")
    parser.add_argument("--output", required=True, type=Path, help="where to write the learned weights (JSON)")
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give CORPUS FILE pairs")
    pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
    shipped = Ranker.load(HAND_SET_PATH)  # features are collected, and training starts, with the hand-set weights
    groups = collect(pairs, shipped)
    start = np.array(shipped.weights, dtype=float)
    learnable = np.array([name in LEARNABLE for name in Features._fields])
    learned = Ranker(Features(*(float(w) for w in train(groups, start, learnable=learnable))))
    learned.save(
        args.output,
        trained_on=[f"{corpus} tune split (first 70%)" for corpus, _ in pairs],
        mentions=len(groups),
        date=time.strftime("%Y-%m-%d"),
    )
    print(json.dumps({name: round(w, 3) for name, w in learned.weights._asdict().items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
