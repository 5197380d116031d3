"""What a corpus worker does: parse a batch of articles with this process's one Geoparser and
write its mentions (and its failures) as Parquet files.

The Geoparser (spaCy model, gazetteer, geocode cache) is loaded once per process, on first use or
by ``GeoparserPlugin`` when the worker starts, and kept for every batch after.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.corpus.inputs import Article, Batch

if TYPE_CHECKING:
    from geo.parse.pipeline import Geoparser

__all__ = [
    "DONE_DIR",
    "FAILURES_DIR",
    "MENTIONS_DIR",
    "UNDATED",
    "BatchReport",
    "ParserSettings",
    "geoparser_for",
    "mention_rows",
    "mention_schema",
    "parse_batch",
]

log = logging.getLogger(__name__)

MENTIONS_DIR = "mentions"
FAILURES_DIR = "failures"
DONE_DIR = "_done"
#: The partition of articles that have no date.
UNDATED = "undated"


@dataclass(frozen=True)
class ParserSettings:
    """How each worker builds its Geoparser: the gazetteer file the client built, and the online geocoder
    (None: offline, the default of corpus mode)."""

    gazetteer_path: str
    service: str | None = None
    url: str | None = None
    ask_online: str = "unplaced"


@dataclass(frozen=True)
class BatchReport:
    """What one batch did: its key, articles parsed and failed, mentions and words, the worker's process id
    and how many times that process has loaded a Geoparser (1 when loaded once), its wall time and the
    worker process's CPU time (all its threads) in seconds."""

    key: str
    articles: int
    failed: int
    mentions: int
    words: int
    pid: int
    loads: int
    seconds: float
    peak_mb: float = 0.0  # the worker process's peak resident memory so far
    cpu_seconds: float = 0.0


_parsers: dict[ParserSettings, Geoparser] = {}
_loads = 0


def geoparser_for(settings: ParserSettings) -> Geoparser:
    """Return this process's Geoparser for ``settings``, loading it on the first call only."""
    global _loads
    parser = _parsers.get(settings)
    if parser is None:
        from geo.corpus.tuning import keep_freed_memory
        from geo.gazetteer import Gazetteer
        from geo.parse.pipeline import Geoparser
        from geo.resolve.geocode import CachedGeocoder
        from geo.resolve.online import from_environment
        from geo.store.corrections import Corrections

        keep_freed_memory()  # undoes the nanny's 64 KB trim threshold (geo.corpus.tuning)
        online = from_environment(settings.service, settings.url) if settings.service else None
        parser = Geoparser(
            gazetteer=Gazetteer(Path(settings.gazetteer_path)),  # built by the client: opened, never rebuilt
            online=CachedGeocoder(online) if online is not None else None,
            ask_online=settings.ask_online,
            corrections=Corrections(),
        )
        _parsers[settings] = parser
        _loads += 1
        log.info("process %d loaded the geoparser", os.getpid())
    return parser


def mention_rows(article: Article, parsed: Any) -> list[dict]:
    """Return the Parquet rows of one parsed article (``parsed``: its ``ParseResult``), each with
    its events (geo.events): ``event_type`` (the mention's main type, geo.events.timeline),
    ``event_types``, ``triggers``, ``actors`` and ``event_date``."""
    from geo.events.annotate import events_of
    from geo.events.timeline import mention_type
    from geo.outputs.formats import mention_record

    events = events_of(article.text, parsed, article.date)
    rows = []
    for item in parsed.mentions:
        row = mention_record(article.id, item)
        found = events.get(item.mention)
        row.update(
            place_id=item.place.place_id if item.place else None,
            article_id=article.id,
            title=article.title,
            date=article.date,
            url=article.url,
            event_type=mention_type(found) if found else None,
            event_types=list(found.types) if found else [],
            triggers=list(found.triggers) if found else [],
            actors=list(found.actors) if found else [],
            event_date=found.date if found else None,
        )
        rows.append(row)
    return rows


def parse_batch(batch: Batch, out: str, settings: ParserSettings) -> BatchReport:
    """Parse ``batch`` and write its mentions under ``out`` (one file per date partition), its failures,
    then a marker saying the batch is done; return what it did. Writing the marker last is what lets a
    rerun skip the batch."""
    import time

    started, cpu = time.perf_counter(), time.process_time()
    parser = geoparser_for(settings)
    readable = [a for a in batch.articles if a.problem is None]
    failures = [(a, a.problem or "") for a in batch.articles if a.problem is not None]
    rows: list[dict] = []
    for article, result in _parse_each(parser, readable, failures):
        rows.extend(mention_rows(article, result))
    root = Path(out)
    _write_mentions(root / MENTIONS_DIR, batch.key, rows)
    if failures:
        _write_failures(root / FAILURES_DIR / f"{batch.key}.parquet", failures)
    report = BatchReport(
        key=batch.key,
        articles=len(batch.articles) - len(failures),
        failed=len(failures),
        mentions=len(rows),
        words=sum(len(a.text.split()) for a in readable),
        pid=os.getpid(),
        loads=_loads,
        seconds=round(time.perf_counter() - started, 3),
        peak_mb=_peak_mb(),
        cpu_seconds=round(time.process_time() - cpu, 3),
    )
    _atomic_write(root / DONE_DIR / f"{batch.key}.json", json.dumps(report.__dict__).encode("utf-8"))
    return report


def _parse_each(parser: Geoparser, articles: list[Article], failures: list[tuple[Article, str]]) -> list[tuple]:
    """Parse ``articles`` together (one ``nlp.pipe``); if that fails, one at a time, recording each failure."""
    try:
        return list(zip(articles, parser.parse_many(a.text for a in articles), strict=True))
    except Exception:  # one bad article must not lose its batch: find it below
        log.warning("a batch failed as a whole; parsing its articles one at a time", exc_info=True)
    done = []
    for article in articles:
        try:
            done.append((article, parser.parse(article.text)))
        except Exception as err:  # recorded with its reason; the run goes on
            failures.append((article, f"{type(err).__name__}: {err}"))
    return done


def _peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: kilobytes


def _partition(day: dt.date | None) -> str:
    return f"day={day.isoformat() if day else UNDATED}"


def _write_mentions(folder: Path, key: str, rows: list[dict]) -> None:
    import pyarrow as pa

    by_day: dict[dt.date | None, list[dict]] = {}
    for row in rows:
        by_day.setdefault(row["date"], []).append(row)
    for day, day_rows in by_day.items():
        table = pa.Table.from_pylist(day_rows, schema=mention_schema())
        _write_table(folder / _partition(day) / f"{key}.parquet", table)


def mention_schema():  # -> pyarrow.Schema
    """Return the Parquet schema of the mentions dataset."""
    import pyarrow as pa

    text, number = pa.string(), pa.float64()
    return pa.schema(
        [
            ("doc", text),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("text", text),
            ("name", text),
            ("lat", number),
            ("lon", number),
            ("kind", text),
            ("country", text),
            ("excerpt", text),
            ("source", text),
            ("place_id", text),
            ("article_id", text),
            ("title", text),
            ("date", pa.date32()),
            ("url", text),
            # What the mention's sentence reports there (geo.events): its main type, every type,
            # the words that decided, the actors named with it, and the day it happened.
            ("event_type", text),
            ("event_types", pa.list_(text)),
            ("triggers", pa.list_(text)),
            ("actors", pa.list_(text)),
            ("event_date", pa.date32()),
        ]
    )


def _write_failures(path: Path, failures: list[tuple[Article, str]]) -> None:
    import pyarrow as pa

    table = pa.table(
        {
            "article_id": [a.id for a, _ in failures],
            "title": [a.title for a, _ in failures],
            "date": pa.array([a.date for a, _ in failures], pa.date32()),
            "reason": [reason for _, reason in failures],
        }
    )
    _write_table(path, table)


def _write_table(path: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    pq.write_table(table, partial, compression="zstd")
    os.replace(partial, path)  # a reader never sees half a file


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
