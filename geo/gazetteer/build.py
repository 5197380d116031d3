"""Build the offline gazetteer: every source's entries into one indexed SQLite file.

The file is written beside its final path and moved into place when complete, so a reader never
sees half a gazetteer, and a build interrupted part-way leaves the old file (or none) behind.

``ensure`` is how the gazetteer is made ready: it checks the file (``problem``: present, the
expected schema and fingerprint, as many places as the build wrote) and builds only under a lock
(``gazetteer.sqlite.lock``, an advisory ``flock`` the system releases if the process dies), so two
processes never build at once: the second waits, finds the file current and opens it. Build files
left by a killed build (``gazetteer.sqlite.PID.tmp``) are removed under the same lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geo.core import features, normalize
from geo.core.errors import GazetteerError
from geo.core.features import Feature, Group
from geo.core.geometry import great_circle_km
from geo.core.normalize import FOLDED_KEY, folded_key, initials_key, name_key
from geo.core.provenance import Match
from geo.gazetteer import points, romanize, sources

__all__ = ["SCHEMA_VERSION", "build", "ensure", "extent_km", "fingerprint", "identity", "prior", "problem"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6

#: Penalty of a match through an alternate name rather than the entry's own name.
ALIAS_PENALTY = 0.3
#: Penalty of a match through an abbreviation: it keeps them under the gazetteer matcher's bar.
ABBREVIATION_PENALTY = 2.5
#: Penalty of a match through the folded key (another romanisation: "Hims" for Homs), weaker
#: evidence than an alias: many names share a folded key.
FOLDED_PENALTY = 1.0
#: Only places at least this likely a priori (a town of about 100,000 people, an area of that many,
#: a country, a landmark) are written under their folded key, as near misses must be well known
#: (geo.gazetteer.store.FUZZY_MIN_PRIOR): many names share a folded key ("Games" folds as Guaymas
#: does), and a town of 50,000 is no likelier than the word.
FOLDED_MIN_PRIOR = 5.0
#: The countries whose places' names reach English through romanisations of Arabic, Persian,
#: Urdu, Hebrew or Cyrillic (Russian, Ukrainian and their neighbours'), the spellings the folded
#: key joins: only their places, and places in no country, are written under it.
FOLDED_COUNTRIES = frozenset(
    {
        *("AE", "BH", "DJ", "DZ", "EG", "EH", "ER", "IL", "IQ", "JO", "KM", "KW", "LB", "LY", "MA"),  # Arabic
        *("MR", "OM", "PS", "QA", "SA", "SD", "SO", "SY", "TD", "TN", "YE"),
        *("AF", "IR", "PK", "TJ"),  # Persian, Dari, Urdu, Tajik
        *("AM", "AZ", "BG", "BY", "GE", "KG", "KZ", "MD", "MK", "MN", "RS", "RU", "TM", "UA", "UZ"),  # Cyrillic
    }
)

_SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    feature TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    population INTEGER NOT NULL,
    dataset TEXT NOT NULL,
    kind_hint TEXT,
    ref TEXT,
    south REAL,
    west REAL,
    north REAL,
    east REAL,
    -- how lat/lon were chosen when not the data set's own point (geo.gazetteer.points)
    point TEXT
);
-- match: how the key spells the place (geo.core.provenance.Match: exact, alias, abbreviation,
-- folded: the key is FOLDED_KEY + folded_key(name), see geo.core.normalize).
CREATE TABLE names (key TEXT NOT NULL, place_id INTEGER NOT NULL, prior REAL NOT NULL, match TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_INDEXES = "CREATE INDEX names_by_key ON names (key, prior DESC);"
#: The word index of the names (geo.gazetteer.search): every own or alternate name key once, its
#: words indexed by FTS5, so a search finds "Darfur" inside "North Darfur". Its rowids number the
#: keys likeliest first (the best prior of any place so named), so a match read in rowid order with
#: a LIMIT stops at the likeliest names instead of sorting every name that has the word ("al" has
#: 200,000). ``detail=none`` keeps only which keys have a word (phrase order is not asked), and the
#: 3-letter prefix index answers a word being typed. About 6 s and 40 MB on the full gazetteer.
_WORDS = """
CREATE VIRTUAL TABLE name_words USING fts5(key, detail=none, columnsize=0, prefix='3');
INSERT INTO name_words (rowid, key)
    SELECT row_number() OVER (ORDER BY max(prior) DESC, key), key FROM names
    WHERE match IN ('exact', 'alias') GROUP BY key;
"""


#: What a physical feature's size adds to its prior, per power of ten of its extent in km.
SIZE_WEIGHT = 0.8


def extent_km(extent: tuple[float, float, float, float] | None) -> float:
    """Return the diagonal of an extent (south, west, north, east) in km (0 for none)."""
    if extent is None:
        return 0.0
    south, west, north, east = extent
    return great_circle_km(south, west, north, east)


def prior(feature: Feature, population: int, extent: tuple[float, float, float, float] | None = None) -> float:
    """Return how likely a place is to be meant by its name, before any context: the log of its
    population plus its kind's bonus (geo.core.features), plus, for a physical feature (which has no
    population), the log of its size: the Black Sea is likelier than a bay of the same name."""
    value = math.log10(population + 1) + feature.info().prior_bonus
    if feature.is_in(Group.NATURAL):
        value += SIZE_WEIGHT * math.log10(1 + extent_km(extent))
    return value


def fingerprint() -> str:
    """Return a digest of everything the gazetteer is built from.

    It changes when a data package's version, the project's own data files, or the code that
    reads and writes them do, and a gazetteer whose stored fingerprint differs is rebuilt.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(sources.package_versions(), sort_keys=True).encode())
    digest.update(f"schema={SCHEMA_VERSION};min_pop={sources.MIN_CITY_POPULATION}".encode())
    digest.update(
        json.dumps(
            [
                ALIAS_PENALTY,
                ABBREVIATION_PENALTY,
                FOLDED_PENALTY,
                FOLDED_MIN_PRIOR,
                sorted(FOLDED_COUNTRIES),
                SIZE_WEIGHT,
            ]
        ).encode()
    )
    # The code that reads the sources counts too (and the feature table, whose prior bonuses the
    # build writes): a change in how they are read is a new build.
    for path in [
        *sources.data_files(),
        Path(sources.__file__),
        Path(points.__file__),
        Path(romanize.__file__),  # the names shown
        Path(features.__file__),
        Path(normalize.__file__),  # every key is written by its name_key
        Path(__file__),
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: The columns each table must have for a file to be taken as a gazetteer.
_TABLES = {
    "places": {
        "id",
        "name",
        "feature",
        "country",
        "admin1",
        "lat",
        "lon",
        "population",
        "dataset",
        "kind_hint",
        "ref",
        "south",
        "west",
        "north",
        "east",
    },
    "names": {"key", "place_id", "prior", "match"},
    "meta": {"key", "value"},
    "name_words": {"key"},
}


def problem(path: Path, expected: str | None = None) -> str | None:
    """Return why the file at ``path`` is not a usable gazetteer ("missing", "out of date",
    "damaged: …"), or None when it is: the tables with their columns (and the word index), the ``expected``
    fingerprint (by default the current sources'), and as many places as the build wrote.

    A cheap check (about 10 ms on the full 52 MB file; ``PRAGMA quick_check`` takes about 280 ms
    warm): pages damaged inside the tables are found when a query reads them (geo.gazetteer.store).
    """
    if not path.is_file():
        return "missing"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for table, columns in _TABLES.items():
                have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                if not columns <= have:
                    return f"damaged: no table {table} with its columns"
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("fingerprint") != (expected or fingerprint()):
                return "out of date"
            (count,) = conn.execute("SELECT count(*) FROM places").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        return f"damaged: {err}"
    if str(count) != meta.get("entries"):
        return f"damaged: {count} places where the build wrote {meta.get('entries')}"
    return None


def identity(path: Path) -> tuple[int, int] | None:
    """Return what tells one file at ``path`` from its replacement (inode, change time), or None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_ctime_ns


def ensure(
    path: Path,
    *,
    entries: Callable[[], Iterable[sources.Entry]] | None = None,
    stamp: str | None = None,
    progress: Callable[[str], None] | None = None,
    damaged: tuple[int, int] | None = None,
) -> bool:
    """Make sure a usable gazetteer is at ``path``; return whether this call built it.

    The file is built when ``problem`` finds one, or when it is still the file ``damaged``
    identifies (a query found a damaged page in it), under the build lock: a process that finds
    another building waits for it, then uses its file. ``entries`` and ``stamp`` (tests) replace
    the sources and their fingerprint. Raises GazetteerError (naming no path) when the folder
    cannot be written or the build fails.
    """
    expected = stamp or fingerprint()

    def needed() -> str | None:
        if damaged is not None and identity(path) == damaged:
            return "damaged"
        return problem(path, expected)

    if needed() is None:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            reason = needed()
            if reason is None:
                log.info("the gazetteer was built by another process meanwhile")
                return False
            log.info("building the gazetteer at %s: %s", path, reason)
            _remove_stale(path)
            build(path, entries=entries() if entries is not None else None, stamp=expected, progress=progress)
    except OSError as err:
        raise GazetteerError(f"the gazetteer could not be written ({err.strerror or 'file system error'})") from err
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the build lock of the gazetteer at ``path`` (waiting for it); raise OSError."""
    import fcntl  # POSIX only, as the deployments are; imported here to keep the module importable

    with open(path.with_name(f"{path.name}.lock"), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _remove_stale(path: Path) -> None:
    """Remove the build files a killed build left beside ``path`` (call with the lock held)."""
    for stale in path.parent.glob(f"{path.name}.*.tmp*"):
        log.info("removing a stale build file %s", stale.name)
        stale.unlink(missing_ok=True)


def build(
    path: Path,
    *,
    entries: Iterable[sources.Entry] | None = None,
    stamp: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Build the gazetteer at ``path`` and return ``path``. Callers that may run beside another
    process use ``ensure``, which holds the build lock.

    ``entries`` defaults to every source (see geo.gazetteer.sources); tests pass a few of their
    own. ``stamp`` is the fingerprint stored (default: the sources', or "custom" for ``entries``).
    ``progress`` is called with a short message now and then. Raises GazetteerError.
    """
    say = progress or log.info
    started = time.perf_counter()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    say("Building the offline gazetteer (once; about a minute)…")
    try:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            # The file is moved into place only when complete (above), so a crash mid-build leaves
            # nothing to recover: no journal, no waiting for the disk at each commit, and a cache
            # large enough to sort the name index in memory (about 64 MB, freed when built).
            conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;")
            conn.executescript(_SCHEMA)
            count = _write_entries(conn, entries if entries is not None else sources.all_entries(), say)
            say("Indexing the gazetteer…")
            conn.executescript(_INDEXES)
            conn.executescript(_WORDS)
            stamp = stamp or (fingerprint() if entries is None else "custom")
            conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (stamp,))
            conn.execute("INSERT INTO meta VALUES ('entries', ?)", (str(count),))
            conn.execute("INSERT INTO meta VALUES ('built', ?)", (f"{os.getpid()} {time.time():.3f}",))
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        log.info("building the gazetteer at %s failed: %s", path, err)
        raise GazetteerError(f"the gazetteer could not be built ({reason})") from err
    say(f"Gazetteer ready: {count:,} places in {time.perf_counter() - started:.0f} s.")
    return path


def _write_entries(conn: sqlite3.Connection, entries: Iterable[sources.Entry], say: Callable[[str], None]) -> int:
    count = 0
    place_rows: list[tuple] = []
    name_rows: list[tuple[str, int, float, str]] = []
    for count, entry in enumerate(entries, start=1):
        place_id = count  # rowids numbered here, so that places are written in batches
        place_rows.append(
            (
                place_id,
                entry.name,
                entry.feature,
                entry.country,
                entry.admin1,
                entry.lat,
                entry.lon,
                entry.population,
                entry.dataset,
                entry.kind_hint,
                entry.ref,
                *(entry.extent or (None, None, None, None)),
                entry.point or None,
            )
        )
        base = prior(entry.feature, entry.population, entry.extent)
        exact = name_key(entry.name)
        keys = {exact: (base, Match.EXACT)}
        if "," in entry.name:  # "Washington, D.C.": the name is what stands before the qualifier
            keys.setdefault(name_key(entry.name.split(",")[0]), (base, Match.EXACT))
        for alias in entry.aliases:
            keys.setdefault(name_key(alias), (base - ALIAS_PENALTY, Match.ALIAS))
        for short in entry.abbreviations:
            keys.setdefault(name_key(short), (base - ABBREVIATION_PENALTY, Match.ABBREVIATION))
        for short in entry.initials:
            keys.setdefault(initials_key(short), (base - ABBREVIATION_PENALTY, Match.ABBREVIATION))
        if base >= FOLDED_MIN_PRIOR and exact and (entry.country is None or entry.country in FOLDED_COUNTRIES):
            # The name's own folded key only: its aliases' mostly fold to the same one.
            keys.setdefault(FOLDED_KEY + folded_key(exact), (base - FOLDED_PENALTY, Match.FOLDED))
        name_rows.extend((key, place_id, value, match.value) for key, (value, match) in keys.items() if key)
        if len(name_rows) > 50_000:
            _flush(conn, place_rows, name_rows)
        if count % 100_000 == 0:
            say(f"Gazetteer: {count:,} places read…")
    _flush(conn, place_rows, name_rows)
    return count


def _flush(conn: sqlite3.Connection, place_rows: list[tuple], name_rows: list[tuple[str, int, float, str]]) -> None:
    conn.executemany(
        "INSERT INTO places (id, name, feature, country, admin1, lat, lon, population, dataset,"
        " kind_hint, ref, south, west, north, east, point) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        place_rows,
    )
    conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", name_rows)
    place_rows.clear()
    name_rows.clear()
