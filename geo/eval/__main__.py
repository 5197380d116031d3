"""``python -m geo.eval CORPUS FILE [--split all|tune|test] [--json]``: score the geoparser;
``python -m geo.eval events FILE``: score the event rules (geo.eval.events)."""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from dataclasses import asdict
from pathlib import Path

from geo.core.errors import GeoError
from geo.core.normalize import name_key
from geo.eval import corpora
from geo.eval.ceiling import ceiling, error_breakdown
from geo.eval.scoring import Predicted, score


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print its figures; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["events"]:  # the event rules against a gold set (geo.eval.events)
        from geo.eval import events

        return events.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m geo.eval", description=__doc__)
    parser.add_argument("corpus", choices=corpora.CORPORA)
    parser.add_argument("file", type=Path, help="the corpus file, e.g. ../shared/eval/lgl.xml")
    parser.add_argument("--split", choices=("all", "tune", "test"), default="all")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents of the split")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--ranker", type=Path, default=None, help="ranker file (default: the shipped one)")
    parser.add_argument(
        "--demonyms",
        action="store_true",
        help='map demonyms ("Russian forces") to their country, as LGL annotates them (GeoVirus does not)',
    )
    parser.add_argument(
        "--without-demonym-gold",
        action="store_true",
        help="score without the gold names that are demonyms (GeoWebNews and TR-News annotate "
        '"Russian" as a place; the default maps no demonym): what they cost the default',
    )
    parser.add_argument("--events", action="store_true", help="read each article's events too, in the time measured")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        docs = corpora.split(corpora.load(args.corpus, args.file), args.split)[: args.limit]
        if args.without_demonym_gold:
            from geo.recognize.cues import demonyms

            docs = corpora.without(docs, demonyms())
        from geo.parse.pipeline import Geoparser
        from geo.resolve.ranker import Ranker

        geoparser = Geoparser.default(progress=lambda message: print(message, file=sys.stderr), demonyms=args.demonyms)
        if args.ranker is not None:
            geoparser = Geoparser(
                gazetteer=geoparser.gazetteer,
                nlp=geoparser.nlp,
                geocoder=geoparser.geocoder,
                corrections=geoparser.corrections,
                ranker=Ranker.load(args.ranker),
                demonyms=args.demonyms,
            )
        geoparser.parse("Warm-up in Paris.")  # first-call costs are not the throughput
        started = time.perf_counter()
        parsed = list(geoparser.parse_many(doc.text for doc in docs))
        if args.events:
            from geo.events import events_of

            for doc, result in zip(docs, parsed, strict=True):
                events_of(doc.text, result)
        seconds = time.perf_counter() - started
    except GeoError as err:
        print(f"geo.eval: {err}", file=sys.stderr)
        return 2
    predictions = [
        [
            Predicted(
                item.mention.start,
                item.mention.end,
                item.place.lat if item.place else None,
                item.place.lon if item.place else None,
                feature=str(item.place.feature) if item.place else "",
                candidates=tuple((c.lat, c.lon, str(c.feature)) for c in item.candidates),
            )
            for item in result.mentions
        ]
        for result in parsed
    ]
    words = sum(len(doc.text.split()) for doc in docs)
    gazetteer = geoparser.gazetteer
    reach = ceiling(
        docs,
        predictions,
        lambda name: [(c.lat, c.lon, str(c.feature)) for c in gazetteer.candidates(name_key(name))],
    )
    breakdown = error_breakdown(docs, predictions)
    figures = asdict(score(docs, predictions)) | {
        "ceiling_161_recognised": reach.recognised_share,
        "ceiling_161_end_to_end": reach.gold_share,
        "errors_gap": breakdown.gap,
        "errors_ranking": breakdown.ranking,
        "corpus": args.corpus,
        "split": args.split,
        "demonyms": args.demonyms,
        "demonym_gold": not args.without_demonym_gold,
        "ranker": geoparser.ranker.description or "hand-set",
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds) if seconds else None,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    detail = {
        "ranking_errors_by_kind": dict(breakdown.ranking_by_kind),
        "gap_errors_by_chosen_kind": dict(breakdown.gap_by_kind),
        "ranking_errors_by_name": dict(breakdown.ranking_names),
        "unplaced_by_name": dict(breakdown.unplaced_names),
    }
    if args.json:
        print(json.dumps(figures | detail))
    else:
        for key, value in figures.items():
            print(f"{key:>24}: {round(value, 3) if isinstance(value, float) else value}")
        for title, counts in detail.items():
            print(f"{title}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
