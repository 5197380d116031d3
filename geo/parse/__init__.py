"""The pipeline that ties the stages: article text in, placed and categorised mentions out (``Geoparser``),
its result (``ParseResult``), questions over the places found (places), many articles in order (batch),
and parse results kept on disk (cache).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.parse.batch import ParserSettings, parse_in_order
    from geo.parse.cache import ParseCache
    from geo.parse.parsed import ParseResult
    from geo.parse.pipeline import Geoparser
    from geo.parse.places import filter_places, group_places

__getattr__ = exports(
    __name__,
    {
        "Geoparser": "pipeline",
        "ParseResult": "parsed",
        "ParserSettings": "batch",
        "parse_in_order": "batch",
        "ParseCache": "cache",
        "filter_places": "places",
        "group_places": "places",
    },
)
__all__ = [
    "Geoparser",
    "ParseCache",
    "ParseResult",
    "ParserSettings",
    "filter_places",
    "group_places",
    "parse_in_order",
]
