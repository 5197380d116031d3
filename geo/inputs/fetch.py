"""Fetching an article from a URL, guarded: only public web servers, bounded in time and size.

A visitor of a public deployment chooses the address, so the server must not become their way
into the machines around it (server-side request forgery):

- only ``http`` and ``https``;
- the host is resolved, and refused if any of its addresses is loopback, private, link-local
  (cloud metadata services live at 169.254.169.254), shared, multicast, reserved or unspecified;
  numeric spellings (``0x7f000001``, ``2130706433``) resolve to what they mean and are refused too;
- the connection goes to the address that was checked (no second look-up a DNS server could answer
  differently), with the host name kept for the ``Host`` header and TLS;
- redirects are followed by hand, at most ``MAX_REDIRECTS``, each new address checked again;
- one deadline (``DEADLINE`` seconds) for the whole fetch, host name look-ups, redirects and every
  read included, and the size cap on the body, compressed or not;
- every network, protocol and decoding failure becomes one ``InputError`` sentence.

Tests serve pages from 127.0.0.1: ``allow_loopback`` lets the *first* hop reach a loopback address
(``$NEWS_ATLAS_TEST_LOOPBACK``, never in public mode); redirects are always checked.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from geo.core.config import USER_AGENT, settings
from geo.core.errors import InputError
from geo.inputs.articles import Article
from geo.inputs.metadata import ArticleMeta, clean_url
from geo.inputs.text import MAX_BYTES, decode_article, html_page, looks_like_html

__all__ = ["DEADLINE", "MAX_REDIRECTS", "Target", "check_address", "fetch_article", "target_of"]

log = logging.getLogger(__name__)

#: Seconds a whole fetch may take, redirects and reads included.
DEADLINE = 15.0
MAX_REDIRECTS = 5
_READ = 64 * 1024
#: Addresses cloud providers serve instance metadata (and credentials) on, beyond link-local ones.
_METADATA = frozenset(ipaddress.ip_address(a) for a in ("100.100.100.200", "fd00:ec2::254", "169.254.169.254"))


@dataclass(frozen=True)
class Target:
    """Where a URL leads: its scheme, host, port, path and the checked address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_address(address: str) -> str | None:
    """Return why ``address`` (an IP address) must not be fetched from, or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for reason, hit in (
        ("a cloud metadata address", ip in _METADATA),
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("a private address", ip.is_private),
        ("a multicast address", ip.is_multicast),
        ("a reserved address", ip.is_reserved or ip.is_unspecified),
        ("not a public address", not ip.is_global),
    ):
        if hit:
            return reason
    return None


def _resolve(host: str, port: int, timeout: float) -> list[tuple]:
    """Return ``socket.getaddrinfo`` for ``host`` within ``timeout`` seconds; raise TimeoutError
    when the look-up takes longer (it goes on in a daemon thread, its answer dropped) or OSError.

    The system resolver has no timeout of its own: a slow DNS server would otherwise hold the
    fetch for as long as it likes, outside the deadline.
    """
    answer: list[list[tuple]] = []
    failure: list[BaseException] = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as err:
            failure.append(err)

    worker = threading.Thread(target=look_up, name="news-atlas-dns", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if failure:
        raise OSError(str(failure[0])) from failure[0]
    if not answer:
        raise TimeoutError(f"no address for {host} within {timeout:.1f} s")
    return answer[0]


def target_of(url: str, *, allow_loopback: bool = False, deadline: float = DEADLINE) -> Target:
    """Return where ``url`` leads, its host resolved (within ``deadline`` seconds) and checked;
    raise InputError saying why not.

    ``allow_loopback`` (tests) lets a loopback address through; nothing else that is not public.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise InputError(f"{url!r} is not a web address ({err})") from err
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not a web address (it should start with https://)")
    host = parts.hostname
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = _resolve(host, port, deadline)
    except TimeoutError as err:
        raise InputError(f"could not fetch {url}: its host {host!r} did not resolve within {DEADLINE:.0f} s") from err
    except OSError as err:
        raise InputError(f"could not fetch {url}: its host {host!r} could not be found") from err
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise InputError(f"could not fetch {url}: its host {host!r} could not be found")
    for address in addresses:
        reason = check_address(address)
        if reason and not (allow_loopback and ipaddress.ip_address(address.split("%", 1)[0]).is_loopback):
            raise InputError(f"not fetched: {url} leads to {reason}; only public web pages are fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, scheme, host, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a checked address, the host name kept for the Host header."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address, the certificate checked against the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch_article(
    url: str,
    *,
    deadline: float = DEADLINE,
    max_bytes: int = MAX_BYTES,
    allow_loopback: bool | None = None,
) -> Article:
    """Return the article at ``url``; raise InputError with one clear sentence when it can't be had.

    ``allow_loopback`` (default: ``$NEWS_ATLAS_TEST_LOOPBACK``, tests only) lets the first hop
    reach a loopback server; every redirect is checked in full.
    """
    if allow_loopback is None:
        allow_loopback = settings().test_loopback
    give_up = time.monotonic() + deadline
    target = target_of(url, allow_loopback=allow_loopback, deadline=deadline)
    for _hop in range(MAX_REDIRECTS + 1):
        status, location, headers, body = _get(target, give_up, max_bytes)
        if status in (301, 302, 303, 307, 308) and location:
            # never loopback, whatever the switch; the look-up within what is left of the deadline
            target = target_of(urljoin(target.url, location), deadline=give_up - time.monotonic())
            continue
        if status >= 400:
            raise InputError(f"could not fetch {url}: the server answered {status}")
        return _article(url, headers, body)
    raise InputError(f"could not fetch {url}: more than {MAX_REDIRECTS} redirects")


def _get(target: Target, give_up: float, max_bytes: int) -> tuple[int, str | None, http.client.HTTPMessage, bytes]:
    """Return (status, Location, headers, decoded body) of one GET, within the deadline and size cap."""
    url = target.url
    left = give_up - time.monotonic()
    if left <= 0:
        raise InputError(f"could not fetch {url}: no answer within {DEADLINE:.0f} s")
    conn = (_PinnedHTTPS if target.scheme == "https" else _PinnedHTTP)(target, timeout=left)
    try:
        conn.request(
            "GET",
            target.path,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", "Accept": "text/html, text/plain"},
        )
        response = conn.getresponse()
        location = response.getheader("Location")
        if 300 <= response.status < 400 or response.status >= 400:
            return response.status, location, response.msg, b""
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise InputError(f"{url} is larger than {max_bytes / 1e6:.0f} MB")
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        inflate = zlib.decompressobj(47) if encoding in ("gzip", "x-gzip", "deflate") else None
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise InputError(f"could not fetch {url}: it is compressed as {encoding!r}, which is not read")
        body = bytearray()
        while True:
            left = give_up - time.monotonic()
            if left <= 0:
                raise InputError(f"could not fetch {url}: no answer within {DEADLINE:.0f} s")
            if conn.sock is not None:
                conn.sock.settimeout(left)
            chunk = response.read1(_READ)  # one read from the socket: the deadline is checked between
            if not chunk:
                if response.length:  # the server closed before the length it stated
                    raise http.client.IncompleteRead(bytes(body), response.length)
                break
            body += inflate.decompress(chunk, max_bytes + 1 - len(body)) if inflate else chunk
            if len(body) > max_bytes or (inflate is not None and inflate.unconsumed_tail):
                raise InputError(f"{url} is larger than {max_bytes / 1e6:.0f} MB")
        if inflate is not None:
            body += inflate.flush()
            if not inflate.eof:
                raise InputError(f"could not fetch {url}: its compressed body ends early")
        return response.status, location, response.msg, bytes(body)
    except InputError:
        raise
    except TimeoutError as err:
        raise InputError(f"could not fetch {url}: no answer within {DEADLINE:.0f} s") from err
    except http.client.IncompleteRead as err:
        raise InputError(f"could not fetch {url}: the page ends before its stated length") from err
    except zlib.error as err:
        raise InputError(f"could not fetch {url}: its compressed body is damaged") from err
    except ssl.SSLError as err:
        raise InputError(f"could not fetch {url}: its secure connection failed ({err.reason or 'TLS'})") from err
    except (OSError, http.client.HTTPException) as err:
        log.info("fetching %s failed: %r", url, err)
        raise InputError(f"could not fetch {url}: the server could not be reached or gave no valid answer") from err
    finally:
        conn.close()


def _article(url: str, headers: http.client.HTTPMessage, data: bytes) -> Article:
    """Return the article in a fetched body: an HTML page reduced to its text, or plain text."""
    charset = headers.get_content_charset()
    try:
        text = (
            data.decode(charset)
            if charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
            else None
        )
    except (LookupError, UnicodeDecodeError):
        text = None
    if text is None:
        text = decode_article(data, name=url)
    if looks_like_html(text):
        meta, body = html_page(text, name=url)
        # The address fetched stands for the page's own when it names none.
        return Article(meta.title or url, body, url, meta.merged(ArticleMeta(url=clean_url(url))))
    return Article(url, decode_article(text.encode("utf-8"), name=url), url, ArticleMeta(url=clean_url(url)))
