"""Online geocoders through geopy: opt-in, polite, and converted to News Atlas's errors once.

``OnlineGeocoder`` has the shape of every geocoder here (``geocode(query, *, country_codes=None)
-> Location | None``). Politeness is built in, not left to callers:

- geopy's ``RateLimiter`` with one limiter per service address for the whole process, shared by
  every Streamlit session (Nominatim's policy: at most one request a second);
- a user agent naming the app, and a timeout;
- after an HTTP 429 the service is not asked again until its Retry-After has passed.

Wrap it in ``geo.resolve.geocode.CachedGeocoder`` so that a name is sent once ever.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from geopy import exc as geopy_errors
from geopy.adapters import RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location

from geo.core.config import USER_AGENT, settings
from geo.core.errors import GeocoderError, GeocoderTimeout, GeocoderUnavailable
from geo.core.features import Feature
from geo.core.values import Candidate
from geo.resolve.geocode import candidate_location

log = logging.getLogger(__name__)

#: The services offered, with the least time between two requests to each.
SERVICES: dict[str, float] = {"nominatim": 1.0, "photon": 1.0, "arcgis": 0.5}
DEFAULT_TIMEOUT = 5.0
#: When to ask the online geocoder: for names the gazetteer cannot place, or for every name.
ASK_ONLINE = ("unplaced", "all")
# Nominatim's "addresstype" (and "class"/"type") to the kinds of place in geo.core.features.
_FEATURES: dict[str, Feature] = {
    "country": Feature.COUNTRY,
    "state": Feature.ADMIN1,
    "province": Feature.ADMIN1,
    "region": Feature.ADMIN1,
    "county": Feature.ADMIN2,
    "state_district": Feature.ADMIN2,
    "city": Feature.CITY,
    "town": Feature.CITY,
    "village": Feature.CITY,
    "hamlet": Feature.CITY,
    "suburb": Feature.CITY,
    "municipality": Feature.CITY,
    "continent": Feature.CONTINENT,
    "military": Feature.MILITARY_BASE,
    "naval_base": Feature.NAVAL_BASE,
    "airfield": Feature.AIRBASE,
    "aerodrome": Feature.AIRPORT,
}

_limiters: dict[tuple[str, str], RateLimiter] = {}
_limiters_lock = threading.Lock()


class OnlineGeocoder:
    """A geopy geocoder (Nominatim, Photon, ArcGIS) behind a process-wide rate limit."""

    def __init__(
        self,
        service: str = "nominatim",
        *,
        url: str | None = None,
        user_agent: str = USER_AGENT,
        timeout: float = DEFAULT_TIMEOUT,
        min_delay_seconds: float | None = None,
    ) -> None:
        if service not in SERVICES:
            raise GeocoderError(f"unknown geocoder {service!r}; choose one of offline, {', '.join(SERVICES)}")
        self.service = service
        settings: dict[str, object] = {
            "user_agent": user_agent,
            "timeout": timeout,
            # No silent retries: a request that fails is one request, and the caller falls back.
            "adapter_factory": lambda proxies, ssl_context: RequestsAdapter(
                proxies=proxies, ssl_context=ssl_context, max_retries=0
            ),
        }
        if url:
            parts = urlsplit(url if "://" in url else f"https://{url}")
            settings.update(scheme=parts.scheme, domain=parts.netloc + parts.path.rstrip("/"))
        self._geocoder = get_geocoder_for_service(service)(**settings)
        self.address = f"{self._geocoder.scheme}://{self._geocoder.domain}"
        self.cache_namespace = f"{service}:{self.address}"
        delay = SERVICES[service] if min_delay_seconds is None else min_delay_seconds
        self._limited = _shared_limiter(service, self.address, self._geocoder.geocode, delay)
        self._blocked_until = 0.0

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        """Return the service's best match for ``query``, or None; raise GeocoderError on failure."""
        wait = self._blocked_until - time.monotonic()
        if wait > 0:
            raise GeocoderUnavailable(f"{self.service} asked us to wait {wait:.0f} s more (HTTP 429)")
        options: dict[str, object] = {"exactly_one": True}
        if self.service == "nominatim" and country_codes:
            options["country_codes"] = [code.lower() for code in country_codes]
        try:
            location = self._limited(query, **options)
        except geopy_errors.GeocoderTimedOut as err:
            raise GeocoderTimeout(f"{self.service} did not answer in time") from err
        except geopy_errors.GeocoderRateLimited as err:
            self._blocked_until = time.monotonic() + float(err.retry_after or 60)
            raise GeocoderUnavailable(f"{self.service} is rate-limiting us (HTTP 429)") from err
        except (geopy_errors.GeopyError, OSError, ValueError) as err:
            # Service errors, unreachable hosts and malformed answers alike: the place falls
            # back to the offline answer, and nothing is cached.
            raise GeocoderUnavailable(f"{self.service} failed: {err}") from err
        return None if location is None else _annotated(location, self.service)


def _shared_limiter(service: str, address: str, func, delay: float) -> RateLimiter:
    # One limiter per service address for the whole process: every Streamlit session and every
    # OnlineGeocoder built for the same address waits its turn on the same clock.
    with _limiters_lock:
        key = (service, address)
        if key not in _limiters:
            _limiters[key] = RateLimiter(func, min_delay_seconds=delay, max_retries=0, swallow_exceptions=False)
        limiter = _limiters[key]
        # Asked again with a longer delay: the politest setting wins.
        limiter.min_delay_seconds = max(limiter.min_delay_seconds, delay)
        return limiter


def _annotated(location: Location, service: str) -> Location:
    """Return the service's Location with the place as News Atlas knows it (geo.resolve.geocode.RAW_KEY)."""
    raw = dict(location.raw) if isinstance(location.raw, dict) else {}
    kind = raw.get("addresstype") or raw.get("type") or raw.get("class") or ""
    feature = _FEATURES.get(str(kind)) or _FEATURES.get(str(raw.get("class", "")), Feature.UNKNOWN)
    address = raw.get("address")
    country = address.get("country_code") if isinstance(address, dict) else None
    candidate = Candidate(
        rowid=None,
        name=location.address,
        feature=feature,
        country=country.upper() if country else None,
        admin1=None,
        lat=location.latitude,
        lon=location.longitude,
        population=0,
        dataset=service,
        ref=f"{location.latitude:.5f},{location.longitude:.5f}",
    )
    return candidate_location(candidate, raw=raw)


def from_environment(service: str | None = None, url: str | None = None) -> OnlineGeocoder | None:
    """Return the online geocoder that arguments or ``$GEO_GEOCODER``/``$GEO_GEOCODER_URL`` ask
    for, or None for the offline default."""
    configured = settings()
    service = (service or configured.geocoder).strip().lower()
    if service == "offline":
        return None
    return OnlineGeocoder(service, url=url or configured.geocoder_url)
