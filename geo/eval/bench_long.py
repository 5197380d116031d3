"""Benchmark: ``python -m geo.eval.bench_long ../shared/eval/lgl.xml [--words N]``.

The same words parsed two ways in one run: as one long document (LGL articles joined) and as the
separate articles. A geoparser whose cost is linear in a document's length takes about as long
for both; one with a quadratic step falls behind on the long document as it grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from geo.eval import corpora


def texts_of(path: Path, words: int) -> list[str]:
    """Return LGL articles, in order, until they hold about ``words`` words."""
    out, total = [], 0
    for doc in corpora.load("lgl", path):
        out.append(doc.text)
        total += len(doc.text.split())
        if total >= words:
            break
    return out


def main(argv: list[str] | None = None) -> int:
    """Time one long document against the same words as separate articles; print JSON."""
    parser = argparse.ArgumentParser(prog="python -m geo.eval.bench_long", description=__doc__)
    parser.add_argument("lgl", type=Path, help="the LGL corpus file (lgl.xml)")
    parser.add_argument("--words", type=int, default=80_000, help="about how many words (default 80,000)")
    args = parser.parse_args(argv)
    from geo.parse.pipeline import Geoparser

    geoparser = Geoparser.default(progress=lambda message: print(message, file=sys.stderr))
    geoparser.parse("Warm-up in Damascus and Aleppo.")
    articles = texts_of(args.lgl, args.words)
    words = sum(len(text.split()) for text in articles)
    figures: dict[str, object] = {"words": words, "articles": len(articles)}
    for label, texts in (("separate", articles), ("one document", ["\n\n".join(articles)])):
        started = time.perf_counter()
        mentions = sum(len(result.mentions) for result in geoparser.parse_many(texts))
        seconds = time.perf_counter() - started
        figures[label] = {
            "seconds": round(seconds, 2),
            "words_per_second": round(words / seconds),
            "mentions": mentions,
        }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
