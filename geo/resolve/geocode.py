"""Stage 3, geocoding: a name (and the article's countries) in, a geopy ``Location`` out.

Geocoders follow geopy's shape: keyword-only settings, and one public
``geocode(query, *, country_codes=None) -> Location | None``. Behaviour is added by wrapping:
``CachedGeocoder`` answers a query it has seen from ``cache/geocode.sqlite``, across restarts.

``GazetteerGeocoder`` is the offline default. The resolver (geo.resolve.resolver) already places every name
the gazetteer knows exactly; the geocoder is asked for the rest, and it also tries near misses
("Tartou" for Tartus).

Every Location a geocoder here returns carries the place as News Atlas knows it under
``raw[RAW_KEY]`` (beside a service's own fields): ``candidate_location`` writes it and
``location_candidate`` reads it back, so a cached answer comes back as the same Candidate.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from geopy.location import Location

from geo.core.errors import CacheError
from geo.core.features import feature_of
from geo.core.normalize import name_key
from geo.core.provenance import Match
from geo.core.values import Candidate
from geo.gazetteer import Gazetteer
from geo.store import notices
from geo.store.db import PerThreadConnection, SharedConnection, memory_connection
from geo.store.paths import cache_dir

__all__ = [
    "RAW_KEY",
    "CachedGeocoder",
    "GazetteerGeocoder",
    "Geocoder",
    "MemoryCachedGeocoder",
    "candidate_location",
    "leashed",
    "location_candidate",
    "open_cache",
]

log = logging.getLogger(__name__)

#: How much being in one of the article's countries is worth, in powers of ten of population.
COUNTRY_BIAS = 2.0
#: A near miss outside the article's countries is taken only for a place this likely a priori
#: (a city of about a million, a country): a village spelt nearly alike on another continent is not.
FUZZY_STRONG_PRIOR = 6.0


class Geocoder(Protocol):
    """What every geocoder offers: a name to one Location, or None when nothing matches."""

    cache_namespace: str

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        """Return the likeliest place for ``query``, preferring ``country_codes``, or None."""
        ...


class GazetteerGeocoder:
    """The offline geocoder: the gazetteer's likeliest entry for a name, or for a near miss."""

    def __init__(self, gazetteer: Gazetteer, *, fuzzy: bool = True) -> None:
        self.gazetteer = gazetteer
        self.fuzzy = fuzzy
        # Answers depend on the gazetteer's contents, so a rebuilt gazetteer gets a fresh namespace.
        self.cache_namespace = f"gazetteer:{gazetteer.fingerprint()}:leash"

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        """Return the likeliest gazetteer place named ``query`` (or nearly so), or None."""
        key = name_key(query)
        if not key:
            return None
        candidates = self.gazetteer.candidates(key)
        preferred = set(country_codes or ())
        if not candidates and self.fuzzy:
            # Transliteration variants first, then edit distance; each marked Match.NEAR_MISS.
            candidates = leashed(self.gazetteer.variants(key), preferred) or leashed(
                self.gazetteer.fuzzy(key), preferred
            )
        if not candidates:
            return None
        best = max(candidates, key=lambda c: c.prior + (COUNTRY_BIAS if c.country in preferred else 0))
        return candidate_location(best)


def leashed(candidates: Sequence[Candidate], countries: set[str]) -> list[Candidate]:
    """Return the near misses the article's context supports: those in one of its ``countries``
    and those likely enough a priori (FUZZY_STRONG_PRIOR) to be meant anywhere. The rest would
    place a name on another continent; the name stays unplaced instead."""
    return [c for c in candidates if c.country in countries or c.prior >= FUZZY_STRONG_PRIOR]


#: The key of ``Location.raw`` under which a Candidate's fields travel (and are cached).
RAW_KEY = "news_atlas"
_CANDIDATE_FIELDS = ("rowid", "feature", "country", "admin1", "population", "dataset", "kind_hint", "ref", "prior")


def candidate_location(candidate: Candidate, *, raw: Mapping[str, Any] | None = None) -> Location:
    """Return a geopy Location for a candidate: its name, its point, and in ``raw`` the service's
    own fields (``raw``) plus the candidate's under ``RAW_KEY`` (see ``location_candidate``)."""
    fields: dict[str, Any] = {name: getattr(candidate, name) for name in _CANDIDATE_FIELDS}
    fields["match"] = candidate.match.value
    fields["extent"] = list(candidate.extent) if candidate.extent else None
    return Location(candidate.name, (candidate.lat, candidate.lon), {**(raw or {}), RAW_KEY: fields})


def location_candidate(location: Location) -> Candidate:
    """Return the Candidate a Location stands for: the one ``candidate_location`` stored in it,
    or, for a Location from elsewhere, its address and point (data set "geocoder")."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    stored = raw.get(RAW_KEY)
    fields: dict[str, Any] = stored if isinstance(stored, dict) else {}
    ref = fields.get("ref") or f"{location.latitude:.5f},{location.longitude:.5f}"
    return Candidate(
        rowid=fields.get("rowid"),
        name=location.address,
        feature=feature_of(fields.get("feature")),
        country=fields.get("country"),
        admin1=fields.get("admin1"),
        lat=location.latitude,
        lon=location.longitude,
        population=int(fields.get("population") or 0),
        dataset=str(fields.get("dataset") or "geocoder"),
        kind_hint=fields.get("kind_hint"),
        ref=str(ref),
        prior=float(fields.get("prior") or 0.0),
        match=Match(fields.get("match") or Match.EXACT),
        extent=_extent(fields.get("extent")),
    )


def _extent(value: Any) -> tuple[float, float, float, float] | None:
    if isinstance(value, list) and len(value) == 4:
        south, west, north, east = (float(v) for v in value)
        return south, west, north, east
    return None


class CachedGeocoder:
    """Wrap a geocoder so that every answer, "nothing found" included, is kept in SQLite.

    The same query (normalised, with the same country bias) is then answered from the cache, in
    this process and the next. Errors raised by the wrapped geocoder are not cached: the query is
    asked again next time. ``max_age_days`` makes older answers count as missing.

    Safe for many threads and processes at once (SQLite in WAL mode, one connection per thread,
    one transaction per answer). A file that is not a readable cache is moved aside and a fresh
    cache started; ``recovered`` then says where the old file went. A cache that cannot be opened
    at all (the folder read-only, full, or a file in its place) is kept in memory for the process;
    answers that cannot be written are not kept; a file deleted while running is opened again.
    Each degradation is one notice (geo.store.notices) naming no path.
    """

    def __init__(self, geocoder: Geocoder, *, path: Path | None = None, max_age_days: float | None = None) -> None:
        self.geocoder = geocoder
        self.cache_namespace = geocoder.cache_namespace
        self.path = Path(path) if path else cache_dir() / "geocode.sqlite"
        self.max_age_seconds = max_age_days * 86_400 if max_age_days is not None else None
        self.recovered: str | None = None
        self._conn: PerThreadConnection | SharedConnection = PerThreadConnection(self._open, path=self.path)
        self._conn()  # open (or recover) now, not at the first query

    def _open(self) -> sqlite3.Connection:
        try:
            return open_cache(self.path)
        except CacheError as err:
            try:
                conn, self.recovered = _recover(self.path, err)
                return conn
            except (CacheError, OSError) as again:
                log.info("the geocode cache at %s cannot be used: %s", self.path, again)
        memory = memory_connection()
        _create(memory)
        self._conn = SharedConnection(memory)
        notices.notify(MEMORY_NOTICE)
        return memory

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        """Return the wrapped geocoder's answer for ``query``, from the cache when it has it."""
        key = (self.cache_namespace, name_key(query), ",".join(sorted(country_codes or ())))
        row = self._lookup(key)
        if row is not None:
            found, address, lat, lon, raw = row
            return Location(address, (lat, lon), json.loads(raw)) if found else None
        location = self.geocoder.geocode(query, country_codes=country_codes)
        self._store(key, location)
        return location

    def _lookup(self, key: tuple[str, str, str]) -> tuple | None:
        try:
            row = (
                self._conn()
                .execute(
                    "SELECT found, address, lat, lon, raw, created FROM answers"
                    " WHERE service = ? AND query = ? AND params = ?",
                    key,
                )
                .fetchone()
            )
        except sqlite3.Error as err:
            log.info("could not read the geocode cache %s: %s", self.path, err)
            notices.notify(UNREADABLE_NOTICE)
            return None
        if row is None or (self.max_age_seconds is not None and time.time() - row[5] > self.max_age_seconds):
            return None
        return row[:5]

    def _store(self, key: tuple[str, str, str], location: Location | None) -> None:
        values = (
            (1, location.address, location.latitude, location.longitude, json.dumps(location.raw))
            if location is not None
            else (0, None, None, None, "null")
        )
        try:
            with self._conn() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*key, *values, time.time())
                )
        except sqlite3.Error as err:
            # Losing one cache entry costs a repeated look-up, not the user's map.
            log.info("could not write to the geocode cache %s: %s", self.path, err)
            notices.notify(UNWRITABLE_NOTICE)


class MemoryCachedGeocoder:
    """Wrap a geocoder so that its answers are kept in this process's memory only, ``max_entries``
    at most (the least recently used out first): for a public deployment, where the names asked
    are the visitors' and must not be written to the shared cache on disk (nor grow it without
    bound). Errors are not kept. Safe for many threads."""

    def __init__(self, geocoder: Geocoder, *, max_entries: int = 20_000) -> None:
        self.geocoder = geocoder
        self.cache_namespace = geocoder.cache_namespace
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._answers: OrderedDict[tuple[str, str], Location | None] = OrderedDict()

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        key = (name_key(query), ",".join(sorted(country_codes or ())))
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        location = self.geocoder.geocode(query, country_codes=country_codes)
        with self._lock:
            self._answers[key] = location
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)
        return location

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)


#: Notices (geo.store.notices) of a geocode cache that degraded.
MEMORY_NOTICE = "The geocode cache cannot be opened in the cache folder: answers are kept in memory for this run."
UNWRITABLE_NOTICE = "The geocode cache cannot be written (disk full or read-only): new answers are not kept."
UNREADABLE_NOTICE = "The geocode cache cannot be read: names are looked up again."


def open_cache(path: Path) -> sqlite3.Connection:
    """Return a connection to the geocode cache at ``path``, creating it; raise CacheError
    (naming the file, not its folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")  # readers and one writer at a time, crash-safe
        conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable across process crashes
        _create(conn)
    except OSError as err:
        raise CacheError(f"the geocode cache cannot be created ({err.strerror or 'file system error'})") from err
    except sqlite3.DatabaseError as err:
        raise CacheError(f"{path.name} is not a usable geocode cache ({err})") from err
    return conn


def _create(conn: sqlite3.Connection) -> None:
    """Create the answers table in ``conn`` if missing and check its columns; raise sqlite3 errors."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS answers (service TEXT NOT NULL, query TEXT NOT NULL,"
        " params TEXT NOT NULL, found INTEGER NOT NULL, address TEXT, lat REAL, lon REAL,"
        " raw TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (service, query, params))"
    )
    conn.commit()
    conn.execute("SELECT service, query, params, found, address, lat, lon, raw, created FROM answers LIMIT 1")


def _recover(path: Path, err: CacheError) -> tuple[sqlite3.Connection, str]:
    """Move a file that is not a usable cache aside and open a fresh one; return it and what was
    done. Raises OSError or CacheError when the folder cannot be written."""
    damaged = isinstance(err.__cause__, sqlite3.DatabaseError) and not isinstance(
        err.__cause__, sqlite3.OperationalError
    )
    if not damaged or not path.is_file():  # a locked, read-only or missing file is left alone
        raise err
    aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.replace(Path(f"{aside}{suffix}"))
    message = f"{err}; moved it to {aside.name} and started a fresh cache"
    notices.notify(message)
    return open_cache(path), message
