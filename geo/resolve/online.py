"""Online geocoders through geopy: opt-in, polite, and converted to News Atlas's errors once.

``OnlineGeocoder`` has the shape of every geocoder here (``geocode(query, *, country_codes=None)
-> Location | None``). Politeness is built in, not left to callers:

- geopy's ``RateLimiter`` with one limiter per service address for the whole process, shared by
  every Streamlit session (Nominatim's policy: at most one request a second);
- a user agent naming the app, and a timeout;
- after an HTTP 429 the service is not asked again until its Retry-After has passed.

Wrap it in ``geo.resolve.geocode.CachedGeocoder`` so that a name is sent once ever.

A public deployment also gives each visitor a budget (``LookupBudget``, ``BudgetedGeocoder``): so
many look-ups sent per article and per session, answers kept in the session's memory only (never
in the shared cache on disk), and nothing sent once the session has ended, not even a look-up that
was waiting for its turn at the rate limit when it ended.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, MutableMapping, Sequence
from urllib.parse import urlsplit

from geopy import exc as geopy_errors
from geopy.adapters import RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from geopy.location import Location

from geo.core.config import USER_AGENT, settings
from geo.core.errors import GeocoderError, GeocoderTimeout, GeocoderUnavailable, OverBudget
from geo.core.features import Feature
from geo.core.normalize import name_key
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

    def geocode(
        self,
        query: str,
        *,
        country_codes: Sequence[str] | None = None,
        go_ahead: Callable[[], bool] | None = None,
    ) -> Location | None:
        """Return the service's best match for ``query``, or None; raise GeocoderError on failure.

        ``go_ahead``, when given, is asked once the rate limit lets the request go, just before it
        is sent: False withdraws it (OverBudget), so a look-up that waited its turn behind other
        sessions' is not sent for a session that has ended meanwhile."""
        wait = self._blocked_until - time.monotonic()
        if wait > 0:
            raise GeocoderUnavailable(f"{self.service} asked us to wait {wait:.0f} s more (HTTP 429)")
        options: dict[str, object] = {"exactly_one": True}
        if self.service == "nominatim" and country_codes:
            options["country_codes"] = [code.lower() for code in country_codes]
        if go_ahead is not None:
            options[_GO_AHEAD] = go_ahead
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


#: The keyword under which ``go_ahead`` travels through the rate limiter to ``_sending``.
_GO_AHEAD = "news_atlas_go_ahead"


def _sending(func):
    """Return ``func`` (geopy's geocode) asking its caller's ``go_ahead`` first, if any: called by
    the rate limiter once the request's turn has come."""

    def send(query, **options):
        go_ahead = options.pop(_GO_AHEAD, None)
        if go_ahead is not None and not go_ahead():
            raise OverBudget("withdrawn before it was sent: the session has ended")
        return func(query, **options)

    return send


def _shared_limiter(service: str, address: str, func, delay: float) -> RateLimiter:
    # One limiter per service address for the whole process: every Streamlit session and every
    # OnlineGeocoder built for the same address waits its turn on the same clock.
    with _limiters_lock:
        key = (service, address)
        if key not in _limiters:
            _limiters[key] = RateLimiter(
                _sending(func), min_delay_seconds=delay, max_retries=0, swallow_exceptions=False
            )
        limiter = _limiters[key]
        # Asked again with a longer delay: the politest setting wins.
        limiter.min_delay_seconds = max(limiter.min_delay_seconds, delay)
        return limiter


class LookupBudget:
    """The online look-ups one session may still send: ``limit`` in all (None: no limit), and none
    once ``close`` is called (the session ended). Safe for many threads."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.sent = 0
        self.closed = False
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Count one look-up about to be sent; return False (nothing counted) when none is left."""
        with self._lock:
            if self.closed or (self.limit is not None and self.sent >= self.limit):
                return False
            self.sent += 1
            return True

    def open(self) -> bool:
        """Return whether look-ups may still be sent (the session has not ended)."""
        return not self.closed

    def close(self) -> None:
        """The session ended: send nothing more, not even a look-up already waiting for its turn."""
        with self._lock:
            self.closed = True

    def reopen(self) -> None:
        """The session came back (a browser that reconnected): what it spent stays spent."""
        with self._lock:
            self.closed = False


class BudgetedGeocoder:
    """An online geocoder asked for one article within a budget: ``per_article`` look-ups sent at
    most (None: no limit), each also taken from the session's ``budget``. A name over budget is not
    sent: ``geocode`` raises OverBudget, and the pipeline leaves it to the offline gazetteer (and
    counts it). ``answers``, the session's own (a dict in its memory, never the shared cache on
    disk), answers a name asked before for free; failures are not kept there."""

    def __init__(
        self,
        geocoder: OnlineGeocoder,
        budget: LookupBudget,
        *,
        per_article: int | None,
        answers: MutableMapping[tuple[str, str], Location | None] | None = None,
    ) -> None:
        self.geocoder = geocoder
        self.budget = budget
        self.per_article = per_article
        self.answers: MutableMapping[tuple[str, str], Location | None] = {} if answers is None else answers
        self.cache_namespace = geocoder.cache_namespace
        self.sent = 0

    def geocode(self, query: str, *, country_codes: Sequence[str] | None = None) -> Location | None:
        key = (name_key(query), ",".join(sorted(country_codes or ())))
        if key in self.answers:
            return self.answers[key]
        if (self.per_article is not None and self.sent >= self.per_article) or not self.budget.take():
            raise OverBudget("the online look-ups allowed were spent")
        self.sent += 1
        location = self.geocoder.geocode(query, country_codes=country_codes, go_ahead=self.budget.open)
        self.answers[key] = location
        return location


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
