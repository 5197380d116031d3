"""A real HTTP server on 127.0.0.1 that speaks Nominatim's /search JSON, for tests.

It answers from a small table of places and can be told to misbehave: answer slowly, rate-limit
(HTTP 429 with Retry-After), fail (HTTP 500) or send malformed JSON. It records every request
(path, query parameters, user agent, time) so tests can check what a geocoder sent.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PLACES = {
    "aleppo": ("Aleppo, Aleppo Governorate, Syria", 36.2021, 37.1343, "city", "sy"),
    "tartou": ("Tartus, Tartus Governorate, Syria", 34.8890, 35.8866, "city", "sy"),
    "hmeymim airbase": ("Khmeimim Air Base, Latakia, Syria", 35.4011, 35.9486, "military", "sy"),
    "<img src=x onerror=alert(1)>": ("<img src=x onerror=parent.pwned=1> `${1}` \\", 10.0, 10.0, "city", "ng"),
}


@dataclass
class Request:
    path: str
    params: dict[str, list[str]]
    user_agent: str
    at: float


@dataclass
class NominatimServer:
    """Start with ``with NominatimServer() as server:``; ``server.url`` is its base address."""

    mode: str = "ok"  # ok | slow | ratelimit | error | malformed
    delay: float = 2.0
    requests: list[Request] = field(default_factory=list)

    def __enter__(self) -> NominatimServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = parse_qs(parts.query)
                owner.requests.append(Request(parts.path, params, self.headers.get("User-Agent", ""), time.monotonic()))
                if owner.mode == "slow":
                    time.sleep(owner.delay)
                if owner.mode == "ratelimit":
                    self._send(429, b'{"error": "Too Many Requests"}', {"Retry-After": "30"})
                    return
                if owner.mode == "error":
                    self._send(500, b"<html>Internal Server Error</html>", {"Content-Type": "text/html"})
                    return
                if owner.mode == "malformed":
                    self._send(200, b'[{"lat": "36.2", "lon": ', {})
                    return
                query = (params.get("q") or [""])[0].strip().lower()
                hits = []
                if query in PLACES:
                    name, lat, lon, kind, country = PLACES[query]
                    hits.append(
                        {
                            "place_id": 1,
                            "lat": str(lat),
                            "lon": str(lon),
                            "display_name": name,
                            "class": "military" if kind == "military" else "place",
                            "type": kind,
                            "addresstype": kind,
                            "address": {"country_code": country},
                        }
                    )
                self._send(200, json.dumps(hits).encode(), {})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def searches(self) -> list[str]:
        """Return the q= of every /search request, in order."""
        return [(r.params.get("q") or [""])[0] for r in self.requests if r.path == "/search"]

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
