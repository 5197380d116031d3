"""Fetching an article from a URL: real HTTP servers on 127.0.0.1, reached only through the
test-only switch (``allow_loopback``, first hop only), and refused without it."""

from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo import cli
from geo.core.config import ENV_PUBLIC, ENV_TEST_LOOPBACK
from geo.core.errors import InputError
from geo.inputs.fetch import check_address, fetch_article
from tests.browser import free_port

PAGE = (
    "<!doctype html><html><head><title>Ceasefire talks resume</title></head><body>"
    "<nav>World | Tokyo | Lima</nav><article><h1>Ceasefire talks resume</h1>"
    "<p>Delegations met in Geneva on Monday while fighting continued around Aleppo.</p>"
    "<p>The envoy said both sides had agreed to keep talking for another week, despite shelling overnight.</p>"
    "<p>Aid agencies asked for safe corridors into the besieged districts, where food has run short.</p>"
    "</article><footer>Contact our newsroom</footer></body></html>"
)


class Site:
    """A local server: its base address and the paths it was asked for."""

    def __init__(self, routes=None):
        self.requests: list[str] = []
        self.routes = routes or {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append(self.path)
                route = site.routes.get(self.path) or ROUTES.get(self.path) or (404, "text/plain", b"not found")
                if callable(route):
                    route(self)
                    return
                status, kind, body = route
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", kind)
                else:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def slow_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(40):  # a byte every 0.1 s: each read is quick, the whole is not
        try:
            handler.wfile.write(b"a")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.1)


def truncated(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b"Troops left Mosul.")


def gzip_route(body):
    def send(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return send


ROUTES = {
    "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
    "/plain": (200, "text/plain; charset=utf-8", b"Troops left Mosul."),
    "/utf16": (200, "text/plain", "Troops left Mosul.".encode("utf-16")),
    "/empty": (200, "text/html", b"<html><body><div></div></body></html>"),
    "/slow": slow_body,
    "/truncated": truncated,
    "/gzip": gzip_route(gzip.compress(b"Troops left Mosul.")),
    "/bomb": gzip_route(gzip.compress(b" " * 5_000_000)),
    "/badgzip": gzip_route(b"\x1f\x8b\x08\x00garbage-garbage"),
}


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


@pytest.fixture
def other():
    server = Site()
    yield server
    server.close()


def fetch(url, **kwargs):
    return fetch_article(url, allow_loopback=True, **kwargs)


def test_an_html_page_becomes_its_article(site):
    article = fetch(f"{site.url}/article")
    assert article.name == "Ceasefire talks resume" and article.source == f"{site.url}/article"
    assert "Geneva" in article.text and "Tokyo" not in article.text


def test_plain_text_gzip_and_a_utf16_page(site):
    assert fetch(f"{site.url}/plain").text == "Troops left Mosul."
    assert fetch(f"{site.url}/gzip").text == "Troops left Mosul."
    assert fetch(f"{site.url}/utf16").text == "Troops left Mosul."


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "answered 404"),
        ("/empty", "no article text"),
        ("/truncated", "ends before"),
        ("/bomb", "larger than"),
        ("/badgzip", "damaged|ends early"),
    ],
)
def test_failures_are_one_clear_sentence(site, path, reason):
    with pytest.raises(InputError, match=reason) as caught:
        fetch(f"{site.url}{path}", max_bytes=1_000_000)
    assert "\n" not in str(caught.value)


def test_a_slow_server_is_cut_off_at_the_deadline(site):
    began = time.monotonic()
    with pytest.raises(InputError, match="no answer within"):
        fetch(f"{site.url}/slow", deadline=1.0)
    assert time.monotonic() - began < 2.5


def test_not_a_url_and_no_network():
    with pytest.raises(InputError, match="not a web address"):
        fetch_article("file:///etc/passwd")
    with pytest.raises(InputError, match="not a web address"):
        fetch_article("gopher://127.0.0.1:70/")
    with pytest.raises(InputError, match="could not fetch"):
        fetch(f"http://127.0.0.1:{free_port()}/", deadline=1)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0x7f000001", "2130706433", "127.1", "[::1]", "0.0.0.0"])
def test_loopback_in_any_spelling_is_refused_with_no_request_sent(site, host):
    with pytest.raises(InputError, match=r"not fetched: .* only public web pages"):
        fetch_article(f"http://{host}:{site.port}/plain", allow_loopback=False)
    assert site.requests == []


def test_a_redirect_to_loopback_is_refused_even_with_the_test_switch(site, other):
    site.routes["/go"] = (302, f"http://localhost:{other.port}/plain", b"")
    site.routes["/go-numeric"] = (302, f"http://2130706433:{other.port}/plain", b"")
    for path in ("/go", "/go-numeric"):
        with pytest.raises(InputError, match=r"not fetched: .*loopback"):
            fetch(f"{site.url}{path}")
    assert site.requests == ["/go", "/go-numeric"]  # the first hop, allowed by the switch
    assert other.requests == []


def test_redirects_are_bounded(site, monkeypatch):
    from geo.inputs import fetch as module

    # Only here do later hops reach the local server, so that the count is what stops the loop.
    monkeypatch.setattr(module, "target_of", functools.partial(module.target_of, allow_loopback=True))
    site.routes["/loop"] = (302, "/loop", b"")
    with pytest.raises(InputError, match="redirects"):
        fetch(f"{site.url}/loop")


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.100.100.200", "fd00:ec2::254",
     "224.0.0.1", "240.0.0.1", "::ffff:127.0.0.1", "fe80::1", "0.0.0.0", "::"],
)  # fmt: skip
def test_addresses_that_are_not_public_are_named(address):
    assert check_address(address) is not None


def test_public_addresses_pass():
    assert check_address("93.184.216.34") is None and check_address("2606:2800:220:1::1") is None


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0x7f000001", "2130706433"])
def test_cli_refuses_loopback_and_says_why(site, host, capsys, monkeypatch):
    monkeypatch.delenv(ENV_TEST_LOOPBACK, raising=False)
    assert cli.main(["parse", f"http://{host}:{site.port}/plain"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "only public web pages" in err[0] and err[-1] == "geo: nothing could be read"
    assert site.requests == []


def test_cli_test_switch_allows_the_first_hop_only(site, other, capsys, monkeypatch):
    monkeypatch.setenv(ENV_TEST_LOOPBACK, "1")
    site.routes["/go"] = (302, f"http://127.0.0.1:{other.port}/plain", b"")
    assert cli.main(["parse", f"{site.url}/go"]) == 1
    assert "loopback" in capsys.readouterr().err
    assert site.requests == ["/go"] and other.requests == []


def test_the_test_switch_is_off_in_public_mode(site, monkeypatch):
    monkeypatch.setenv(ENV_TEST_LOOPBACK, "1")
    monkeypatch.setenv(ENV_PUBLIC, "1")
    with pytest.raises(InputError, match="loopback"):
        fetch_article(f"{site.url}/plain")
    assert site.requests == []


def test_a_host_name_look_up_that_hangs_is_bounded_by_the_deadline(monkeypatch):
    # The system resolver has no timeout: a DNS server that never answers is stood in for.
    real = socket.getaddrinfo

    def hanging(host, *args, **kwargs):
        if host == "slow-dns.example":
            time.sleep(5)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    started = time.monotonic()
    with pytest.raises(InputError, match="did not resolve within") as caught:
        fetch_article("http://slow-dns.example/news", deadline=0.5)
    assert time.monotonic() - started < 1.5
    assert "Traceback" not in str(caught.value)
