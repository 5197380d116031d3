"""The command line: ``news-atlas parse PATH... [--format jsonl|geojson|table]`` (or ``python -m geo ...``),
``news-atlas atlas FILE [--format ...]``, ``news-atlas corpus SOURCE --out DIR`` and ``news-atlas cache ...``.

Only ``parse`` and ``corpus`` need the NLP pipeline: it is imported there, so ``cache`` and ``--help``
start without loading spaCy; only ``corpus`` imports Dask.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from geo.cachetool import ACTIONS, cache_command
from geo.core.errors import GeoError, InputError
from geo.inputs.articles import article_of
from geo.inputs.metadata import ArticleMeta
from geo.inputs.text import decode_article, html_page, looks_like_html, read_article
from geo.resolve.online import ASK_ONLINE

if TYPE_CHECKING:
    from geo.core.values import Mention, PlaceMention
    from geo.outputs.atlas import Atlas
    from geo.parse.pipeline import Geoparser

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
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="parse in N processes (default: the number of cores; 1 with an online geocoder, whose rate "
        "limit is per process)",
    )
    parse.add_argument(
        "--format",
        choices=("jsonl", "geojson", "table"),
        default=None,
        help="jsonl: one mention a line; geojson: one FeatureCollection of places; "
        "table: for people (the default on a terminal, jsonl otherwise)",
    )
    parse.add_argument(
        "--demonyms",
        action="store_true",
        help='map words for a country\'s people ("Russian forces", "Syrians") to it (off: an actor is no place)',
    )
    _add_corpus(commands)
    atlas = commands.add_parser(
        "atlas", help="print the places of an atlas file's articles (the app's download), with its corrections"
    )
    atlas.add_argument("file", metavar="FILE", help="an atlas file (docs/atlas-format.md); - reads standard input")
    atlas.add_argument(
        "--format", choices=("jsonl", "geojson", "table"), default=None, help="as for parse (one article at a time)"
    )
    atlas.add_argument("--demonyms", action="store_true", help="as for parse")
    atlas.add_argument(
        "--image",
        default=None,
        metavar="OUT",
        help="instead, draw the atlas's map (its places with its filters, its layers, its view) offline "
        "to OUT: a .png or .svg picture with the title, legend, scale bar and credits",
    )
    cache = commands.add_parser("cache", help="see or manage the geocode cache")
    cache.add_argument("action", choices=ACTIONS, help="stats: counts; clear: empty it; export: JSON lines")
    cache.add_argument("--service", default=None, help="only the entries of one geocoder (e.g. nominatim)")
    return parser


def _add_corpus(commands: argparse._SubParsersAction) -> None:
    corpus = commands.add_parser(
        "corpus",
        help="parse an archive on a Dask cluster into a Parquet dataset of mentions and a per-place summary",
    )
    corpus.add_argument("source", help="a folder of .txt/.md/.html files, or a .jsonl, .csv or .parquet file")
    corpus.add_argument("--out", required=True, metavar="DIR", help="the output folder (a rerun resumes it)")
    corpus.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="an existing Dask cluster")
    corpus.add_argument("--workers", type=int, default=None, help="local worker processes (default: one per core)")
    corpus.add_argument("--batch-size", type=int, default=32, metavar="N", help="articles per batch (default 32)")
    for column in ("id", "title", "date", "url", "text"):
        corpus.add_argument(
            f"--{column}-column", default=column, metavar="NAME", help=f"the table's {column} column (default {column})"
        )
    corpus.add_argument("--geocoder", default=None, help="an online geocoder (off unless given): nominatim, ...")
    corpus.add_argument("--geocoder-url", default=None, metavar="URL", help="the online service's base address")
    corpus.add_argument("--ask-online", choices=ASK_ONLINE, default="unplaced", help="as for parse")
    corpus.add_argument("--no-progress", action="store_true", help="no progress bar")


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
        if args.command == "corpus":
            return _corpus(args)
        if args.command == "atlas":
            return _atlas(args, args.format or ("table" if sys.stdout.isatty() else "jsonl"))
        return _parse(args, args.format or ("table" if sys.stdout.isatty() else "jsonl"))
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout for the interpreter's exit
        return 0
    except GeoError as err:  # e.g. a geocode cache that cannot be opened
        print(f"geo: {err}", file=sys.stderr)
        return 2


def _read_one(path: str) -> tuple[str, ArticleMeta, int]:
    """Return the text of one input, its metadata and where that text starts in the input: standard
    input, a web page (guarded, see geo.inputs.fetch) or a file. A text's front-matter block is cut, as
    the app cuts it (so that corrections made there apply here: they are kept per article text),
    and the mentions' offsets are moved by its length so that they count in the file; an HTML file
    is reduced to its article."""
    if path.lower().startswith(("http://", "https://")):
        from geo.inputs.fetch import fetch_article

        article = fetch_article(path)
        return article.text, article.meta, 0
    text = decode_article(sys.stdin.buffer.read(), name="standard input") if path == "-" else read_article(Path(path))
    if looks_like_html(text):
        meta, body = html_page(text, name=path)
        return body, meta, 0
    article = article_of(path, text, path)
    return article.text, article.meta, len(text) - len(article.text)


def _read(
    paths: Sequence[str], metas: dict[str, ArticleMeta], shifts: dict[str, int], texts: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for each readable input, in order, keeping its metadata in ``metas``,
    where its text starts in ``shifts`` and, with ``texts``, its text until its events are read;
    say on stderr why one cannot be read."""
    for path in paths:
        try:
            text, meta, shift = _read_one(path)
        except InputError as err:
            print(f"geo: {err}", file=sys.stderr)
            continue
        metas[path], shifts[path] = meta, shift
        if texts is not None:
            texts[path] = text
        yield path, text


def _parse(args: argparse.Namespace, fmt: str) -> int:
    # The pipeline loads spaCy (seconds): only this command needs it, and only once an input
    # could be read.
    from geo.events import MentionEvents, events_of
    from geo.outputs import formats as output
    from geo.parse.batch import ParserSettings, default_jobs, parse_in_order

    metas: dict[str, ArticleMeta] = {}
    shifts: dict[str, int] = {}
    texts: dict[str, str] = {}  # an article's text, from its reading until its events are read
    events: dict[Mention, MentionEvents] = {}  # the article being written's
    inputs = _read(args.paths, metas, shifts, texts)
    first = next(inputs, None)
    if first is None:
        print("geo: nothing could be read", file=sys.stderr)
        return 1
    settings = ParserSettings(
        service=args.geocoder, url=args.geocoder_url, ask_online=args.ask_online, demonyms=args.demonyms
    )
    jobs = min(args.jobs or default_jobs(), len(args.paths))  # no more processes than inputs
    if jobs > 1 and settings.online():
        log.info("one process: the online geocoder's rate limit is kept per process")
        jobs = 1
    warned: set[str] = set()

    def parsed() -> Iterator[tuple[str, Sequence[PlaceMention]]]:
        articles = itertools.chain([first], inputs)
        say = lambda message: print(message, file=sys.stderr)  # noqa: E731 - a one-line callback
        for doc, result in parse_in_order(articles, settings=settings, jobs=jobs, progress=say):
            for warning in result.warnings:
                if warning not in warned:  # once per run, not once per article
                    warned.add(warning)
                    print(f"geo: {warning}", file=sys.stderr)
            events.clear()
            events.update(events_of(texts.pop(doc, ""), result, metas[doc].date if doc in metas else None))
            yield doc, result.mentions
            # Back here when the writer wants the next article: this one's lines are written, so
            # they go out now, before waiting for the next batch (stdout is buffered in a pipe).
            sys.stdout.flush()

    try:
        pieces: Iterable[str]
        if fmt == "geojson":
            pieces = output.to_feature_collection_text(parsed(), metas, events)
        else:
            pieces = output.to_jsonl(parsed(), metas, shifts, events) if fmt == "jsonl" else output.to_table(parsed())
        for piece in pieces:
            print(piece, end="" if fmt == "geojson" else "\n")
        if fmt == "geojson":
            print()
    except GeoError as err:
        print(f"geo: {err}", file=sys.stderr)
        return 2
    return 0


def _atlas(args: argparse.Namespace, fmt: str) -> int:
    """Print the places of an atlas file's articles, its corrections applied (kept in a store of
    its own for the run: the user's corrections in cache/ are neither read nor changed)."""
    import tempfile

    from geo.core.config import settings
    from geo.outputs import formats as output
    from geo.outputs.atlas import AtlasFileError, read_atlas
    from geo.parse.pipeline import Geoparser
    from geo.store.corrections import Corrections, article_id

    limit = settings().atlas_max_bytes
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(limit + 1 if limit else -1)
        else:
            with open(args.file, "rb") as handle:
                data = handle.read(limit + 1 if limit else -1)
        atlas = read_atlas(data, max_bytes=limit)
    except OSError as err:
        print(f"geo: {args.file}: {err.strerror or err}", file=sys.stderr)
        return 1
    except AtlasFileError as err:
        print(f"geo: {args.file}: {err}", file=sys.stderr)
        return 1
    metas = {item.article.name: item.article.meta for item in atlas.articles}
    with tempfile.TemporaryDirectory(prefix="news-atlas-") as folder:
        corrections = Corrections(Path(folder) / "corrections.sqlite")
        for item in atlas.articles:
            article = article_id(item.article.text)
            for key, correction in item.edits.placed.items():
                corrections.set(article, key, correction)
            for written, correction in item.edits.added.items():
                corrections.add(article, written, correction)
            for key in item.edits.removed:
                corrections.remove(article, key)
        parser = Geoparser.default(demonyms=args.demonyms)
        parser = parser.with_online(parser.online, parser.ask_online, corrections)
        if args.image:
            return _atlas_image(atlas, parser, args.image)

        def parsed() -> Iterator[tuple[str, Sequence[PlaceMention]]]:
            for item in atlas.articles:
                yield item.article.name, parser.parse(item.article.text).mentions
                sys.stdout.flush()

        pieces: Iterable[str]
        if fmt == "geojson":
            pieces = output.to_feature_collection_text(parsed(), metas)
        else:
            pieces = output.to_jsonl(parsed(), metas) if fmt == "jsonl" else output.to_table(parsed())
        for piece in pieces:
            print(piece, end="" if fmt == "geojson" else "\n")
        if fmt == "geojson":
            print()
    return 0


def _atlas_image(atlas: Atlas, parser: Geoparser, out: str) -> int:
    """Draw an atlas's map to ``out`` (.png or .svg): the places its filters show, its visible
    layers, over its view (else around them), titled with its name."""
    from geo.outputs.image import FORMATS, Bounds, render
    from geo.parse.places import filter_places, group_places, mentions_in

    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"geo: {out}: a picture is a .png or .svg file", file=sys.stderr)
        return 1
    state = atlas.state
    results = {item.article.name: parser.parse(item.article.text).mentions for item in atlas.articles}
    chosen = [n for n in results if not state.articles or n in state.articles]
    places = filter_places(
        group_places(mentions_in(results, chosen)),
        kinds=state.kinds,
        countries=state.countries,
        min_mentions=state.min_mentions,
    )
    view = state.view
    bounds = Bounds.of_view(view.lat, view.lng, view.zoom) if view is not None else None
    picture = render(places, fmt, bounds=bounds, title=atlas.title, layers=atlas.layers)
    try:
        Path(out).write_bytes(picture)
    except OSError as err:
        print(f"geo: {out}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"{out}: {len(places)} places, {len(atlas.layers)} layers", file=sys.stderr)
    return 0


def _corpus(args: argparse.Namespace) -> int:
    # Dask, pyarrow and duckdb are imported by corpus mode only.
    from pathlib import Path

    from geo.corpus.inputs import Columns
    from geo.corpus.run import run_corpus

    columns = Columns(args.id_column, args.title_column, args.date_column, args.url_column, args.text_column)
    try:
        report = run_corpus(
            Path(args.source),
            Path(args.out),
            columns=columns,
            scheduler=args.scheduler,
            workers=args.workers,
            batch_size=args.batch_size,
            service=args.geocoder if args.geocoder not in (None, "offline") else None,
            url=args.geocoder_url,
            ask_online=args.ask_online,
            progress=not args.no_progress and sys.stderr.isatty(),
            say=lambda message: print(message, file=sys.stderr),
        )
    except InputError as err:
        print(f"geo: {err}", file=sys.stderr)
        return 1
    print(
        f"{report.articles} articles ({report.failed} failed, {report.skipped} batches already done), "
        f"{report.mentions} mentions, {report.seconds:.1f} s, {report.articles_per_second:.1f} articles/s, "
        f"{report.words_per_second:.0f} words/s on {report.workers} workers; written to {args.out}",
        file=sys.stderr,
    )
    return 0
