"""Look-ups in the gazetteer file: by exact name key, by several keys at once, and fuzzily."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from geo.db import PerThreadConnection
from geo.errors import GazetteerError
from geo.features import feature_of
from geo.gazetteer import build
from geo.normalize import edit_distance, transliteration_variants
from geo.paths import cache_dir
from geo.provenance import Match
from geo.values import Candidate

log = logging.getLogger(__name__)

_COLUMNS = (
    "p.id, p.name, p.feature, p.country, p.admin1, p.lat, p.lon, p.population, p.dataset, p.kind_hint, p.ref,"
    " n.prior, n.match, p.south, p.west, p.north, p.east"
)
#: Fuzzy matches must be at least this likely a priori (a city of ~10,000 people, or any
#: country, area or landmark): a misspelling is far likelier to be of a well-known place.
FUZZY_MIN_PRIOR = 4.0


def default_path() -> Path:
    """Return where the gazetteer file lives: ``gazetteer.sqlite`` in the cache folder."""
    return cache_dir() / "gazetteer.sqlite"


def open_gazetteer(path: Path | None = None, *, progress: Callable[[str], None] | None = None) -> Gazetteer:
    """Return the gazetteer at ``path``, building it first when missing or out of date."""
    path = path or default_path()
    current = build.fingerprint()
    if _stored_fingerprint(path) != current:
        build.build(path, progress=progress)
    return Gazetteer(path)


def _stored_fingerprint(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as err:
        log.warning("gazetteer at %s is unreadable (%s); rebuilding it", path, err)
        return None
    return row[0] if row else None


class Gazetteer:
    """Read-only access to a built gazetteer file. Safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise GazetteerError(f"no gazetteer at {self.path}")
        self._conn = PerThreadConnection(self._open)

    def _open(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as err:
            raise GazetteerError(f"cannot open the gazetteer at {self.path}: {err}") from err

    def candidates(self, key: str, *, limit: int = 40) -> list[Candidate]:
        """Return the places a name key may refer to, likeliest a priori first."""
        rows = (
            self._conn()
            .execute(
                f"SELECT {_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id"
                " WHERE n.key = ? ORDER BY n.prior DESC LIMIT ?",
                (key, limit),
            )
            .fetchall()
        )
        return _unique(_candidate(row) for row in rows)

    def best_priors(self, keys: Iterable[str]) -> dict[str, tuple[float, Candidate]]:
        """Return, for each key that names something, its likeliest place and that one's prior."""
        keys = sorted(set(keys))
        found: dict[str, tuple[float, Candidate]] = {}
        for chunk_start in range(0, len(keys), 500):  # SQLite caps the number of parameters
            chunk = keys[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT n.key, {_COLUMNS} FROM names n JOIN places p ON p.id = n.place_id WHERE n.key IN ({marks})",
                chunk,
            )
            for row in rows:
                key, prior = row[0], row[12]
                if key not in found or prior > found[key][0]:
                    found[key] = (prior, _candidate(row[1:]))
        return found

    def fuzzy(self, key: str, *, limit: int = 5) -> list[Candidate]:
        """Return well-known places whose name is a near miss of ``key`` (misspellings).

        Only keys of five letters or more are tried, sharing their first three letters, within
        one edit (two for keys of nine letters or more).
        """
        if len(key) < 5:
            return []
        max_edits = 2 if len(key) >= 9 else 1
        prefix = key[:3]
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = (
            self._conn()
            .execute(
                "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
                (prefix, upper, len(key) - max_edits, len(key) + max_edits),
            )
            .fetchall()
        )
        close = sorted(
            (distance, other)
            for (other,) in rows
            if other != key and (distance := edit_distance(key, other, max_edits)) <= max_edits
        )
        found: list[tuple[float, Candidate]] = []
        for distance, other in close:
            for candidate in self.candidates(other, limit=3):
                if candidate.prior >= FUZZY_MIN_PRIOR:
                    found.append((candidate.prior - distance, replace(candidate, match=Match.NEAR_MISS)))
        found.sort(key=lambda pair: -pair[0])
        return _unique(candidate for _score, candidate in found)[:limit]

    def variants(self, key: str, *, limit: int = 5) -> list[Candidate]:
        """Return places whose name is a transliteration variant of ``key`` ("Hasakah" for
        "al-Hasakeh", "Tartus" for "Tartous"), likeliest first, each marked a near miss."""
        if len(key) < 4:
            return []
        found = [
            replace(candidate, match=Match.NEAR_MISS)
            for variant in transliteration_variants(key)
            for candidate in self.candidates(variant, limit=3)
        ]
        found.sort(key=lambda candidate: -candidate.prior)
        return _unique(found)[:limit]

    def fingerprint(self) -> str:
        """Return the fingerprint of the sources this gazetteer was built from."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return row[0] if row else "unknown"

    def count(self) -> int:
        """Return the number of places in the gazetteer."""
        return self._conn().execute("SELECT count(*) FROM places").fetchone()[0]


def _candidate(row: tuple) -> Candidate:
    """Return the Candidate of a row of ``_COLUMNS``."""
    return Candidate(
        rowid=row[0],
        name=row[1],
        feature=feature_of(row[2]),
        country=row[3],
        admin1=row[4],
        lat=row[5],
        lon=row[6],
        population=row[7],
        dataset=row[8],
        kind_hint=row[9],
        ref=row[10],
        prior=row[11],
        match=Match(row[12]),
        extent=None if row[13] is None else (row[13], row[14], row[15], row[16]),
    )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: set[int | None] = set()
    out = []
    for candidate in candidates:
        if candidate.rowid not in seen:
            seen.add(candidate.rowid)
            out.append(candidate)
    return out
