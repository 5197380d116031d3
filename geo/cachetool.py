"""``python -m geo cache stats|clear|export``: see and manage the geocode cache (and, for
``stats`` and a ``clear`` of every service, the stored parses beside it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from geo.parse.cache import ParseCache
from geo.resolve.geocode import open_cache
from geo.store.paths import cache_dir

ACTIONS = ("stats", "clear", "export")


def cache_command(action: str, *, service: str | None = None, path: Path | None = None) -> int:
    """Run one cache action, printing to standard output; return the exit status."""
    path = path or cache_dir() / "geocode.sqlite"
    # The stored parses live beside the geocode cache; a file that is not there is not created.
    parses_path = path.parent / "parses.sqlite"
    parses = ParseCache(parses_path) if parses_path.exists() and service is None else None
    conn = open_cache(path)
    where, params = ("WHERE service LIKE ?", (f"{service}:%",)) if service else ("", ())
    if action == "stats":
        rows = conn.execute(
            f"SELECT service, count(*), sum(found), min(created), max(created) FROM answers {where}"
            " GROUP BY service ORDER BY service",
            params,
        ).fetchall()
        print(f"{path} ({path.stat().st_size / 1024:.0f} KB)")
        for name, count, found, _first, _last in rows:
            print(f"{name}: {count} answers ({found} found, {count - found} not found)")
        if not rows:
            print("empty")
        if parses is not None:
            print(f"parses: {len(parses)} articles ({parses.size() / 1024:.0f} KB)")
    elif action == "clear":
        with conn:
            removed = conn.execute(f"DELETE FROM answers {where}", params).rowcount
        conn.execute("VACUUM")
        print(f"removed {removed} answers")
        if parses is not None:
            stored = len(parses)
            parses.clear()
            print(f"removed {stored} stored parses")
    elif action == "export":
        query = f"SELECT service, query, params, found, address, lat, lon, raw, created FROM answers {where}"
        for service_, query_, params_, found, address, lat, lon, raw, created in conn.execute(query, params):
            record = {
                "service": service_,
                "query": query_,
                "country_codes": params_.split(",") if params_ else [],
                "found": bool(found),
                "address": address,
                "lat": lat,
                "lon": lon,
                "raw": json.loads(raw),
                "created": created,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    conn.close()
    return 0
