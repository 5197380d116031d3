"""A process that writes geocode answers to a cache, printing each name once it is committed.

``python -m tests.cache_writer PATH PREFIX COUNT`` (COUNT 0: until killed). Used by the cache's
concurrency and crash tests.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from geopy.location import Location

from geo.resolve.geocode import CachedGeocoder


class Echo:
    """A geocoder whose answer encodes the query, so every entry can be checked afterwards."""

    cache_namespace = "echo"

    def geocode(self, query, *, country_codes=None):
        number = int(query.rsplit("-", 1)[1])
        return Location(query, (number % 90, number % 180), {"query": query})


def write(path: Path, prefix: str, count: int) -> None:
    """Write ``count`` answers (forever if 0), printing each name after its commit."""
    cache = CachedGeocoder(Echo(), path=path)
    numbers = itertools.count() if count == 0 else range(count)
    for number in numbers:
        name = f"{prefix}-{number}"
        cache.geocode(name)
        print(name, flush=True)


if __name__ == "__main__":
    write(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
