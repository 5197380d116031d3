"""The command line: ``news-atlas parse PATH... [--format jsonl|geojson|table]`` (or ``python -m geo ...``).

Only ``parse`` needs the NLP pipeline: it is imported there, so ``cache`` and ``--help`` start
without loading spaCy.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.cachetool import ACTIONS, cache_command
from geo.errors import GeoError, InputError
from geo.online import ASK_ONLINE
from geo.text import decode_article, read_article

log = logging.getLogger("geo")


def build_parser(prog: str = "news-atlas") -> argparse.ArgumentParser:
    """Return the argument parser of the command line, named ``prog`` in its usage and help."""
    parser = argparse.ArgumentParser(prog=prog, description="Put the places an article names on a map.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the pipeline does")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print the places of articles (UTF-8 text files)")
    parse.add_argument(
        "paths", nargs="+", metavar="PATH", help="article files or http(s) addresses of pages; - reads standard input"
    )
    parse.add_argument(
        "--geocoder",
        default=None,
        help="offline (the default), nominatim, photon or arcgis; also $GEO_GEOCODER",
    )
    parse.add_argument(
        "--geocoder-url", default=None, metavar="URL", help="the online service's base address; also $GEO_GEOCODER_URL"
    )
    parse.add_argument(
        "--ask-online",
        choices=ASK_ONLINE,
        default="unplaced",
        help="unplaced: ask the online geocoder only for names the gazetteer cannot place; all: for every name",
    )
    parse.add_argument(
        "--format",
        choices=("jsonl", "geojson", "table"),
        default=None,
        help="jsonl: one mention a line; geojson: one FeatureCollection of places; "
        "table: for people (the default on a terminal, jsonl otherwise)",
    )
    cache = commands.add_parser("cache", help="see or manage the geocode cache")
    cache.add_argument("action", choices=ACTIONS, help="stats: counts; clear: empty it; export: JSON lines")
    cache.add_argument("--service", default=None, help="only the entries of one geocoder (e.g. nominatim)")
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str = "news-atlas") -> int:
    """Run the command line; return the exit status (non-zero only when nothing could be read).

    The ``news-atlas`` console script calls this with no arguments (``sys.argv`` is read).
    """
    args = build_parser(prog).parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "cache":
            return cache_command(args.action, service=args.service)
        return _parse(args, args.format or ("table" if sys.stdout.isatty() else "jsonl"))
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout for the interpreter's exit
        return 0
    except GeoError as err:  # e.g. a geocode cache that cannot be opened
        print(f"geo: {err}", file=sys.stderr)
        return 2


def _read(path: str) -> str:
    """Return the text of one input: standard input, a web page (guarded, see geo.fetch) or a file."""
    if path == "-":
        return decode_article(sys.stdin.buffer.read(), name="standard input")
    if path.lower().startswith(("http://", "https://")):
        from geo.fetch import fetch_article

        return fetch_article(path).text
    return read_article(Path(path))


def _parse(args: argparse.Namespace, fmt: str) -> int:
    # The pipeline loads spaCy (seconds): only this command needs it.
    from geo import output
    from geo.pipeline import Geoparser

    texts: list[tuple[str, str]] = []
    for path in args.paths:
        try:
            text = _read(path)
        except InputError as err:
            print(f"geo: {err}", file=sys.stderr)
            continue
        texts.append((path, text))
    if not texts:
        print("geo: nothing could be read", file=sys.stderr)
        return 1
    try:
        geoparser = Geoparser.default(
            progress=lambda message: print(message, file=sys.stderr),
            service=args.geocoder,
            url=args.geocoder_url,
            ask_online=args.ask_online,
        )
        results = list(geoparser.parse_many(text for _, text in texts))
    except GeoError as err:
        print(f"geo: {err}", file=sys.stderr)
        return 2
    for warning in dict.fromkeys(w for result in results for w in result.warnings):
        print(f"geo: {warning}", file=sys.stderr)
    parsed = [(doc, result.mentions) for (doc, _text), result in zip(texts, results, strict=True)]
    if fmt == "geojson":
        print(json.dumps(output.to_feature_collection(parsed), ensure_ascii=False, indent=1))
    else:
        lines = output.to_jsonl(parsed) if fmt == "jsonl" else output.to_table(parsed)
        for line in lines:
            print(line)
    return 0
