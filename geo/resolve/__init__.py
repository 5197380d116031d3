"""Which place each recognised name means, and where: the resolver ranks the gazetteer's candidates in the
article's context (resolver, ranker), geocoders place the rest (geocode, online), and categorize names
its kind (base, city, venue, region, country, other).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.core.lazy import exports

if TYPE_CHECKING:
    from geo.resolve.geocode import CachedGeocoder, GazetteerGeocoder, Geocoder
    from geo.resolve.online import OnlineGeocoder, from_environment
    from geo.resolve.ranker import Ranker
    from geo.resolve.resolver import Resolution, explain, resolve

__getattr__ = exports(
    __name__,
    {
        "Resolution": "resolver",
        "explain": "resolver",
        "resolve": "resolver",
        "Ranker": "ranker",
        "CachedGeocoder": "geocode",
        "GazetteerGeocoder": "geocode",
        "Geocoder": "geocode",
        "OnlineGeocoder": "online",
        "from_environment": "online",
    },
)
__all__ = [
    "CachedGeocoder",
    "GazetteerGeocoder",
    "Geocoder",
    "OnlineGeocoder",
    "Ranker",
    "Resolution",
    "explain",
    "from_environment",
    "resolve",
]
