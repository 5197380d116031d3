"""Fetching an article from a URL: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo.errors import InputError
from geo.fetch import fetch_article
from tests.browser import free_port

PAGE = (
    "<!doctype html><html><head><title>Ceasefire talks resume</title></head><body>"
    "<nav>World | Tokyo | Lima</nav><article><h1>Ceasefire talks resume</h1>"
    "<p>Delegations met in Geneva on Monday while fighting continued around Aleppo.</p>"
    "<p>The envoy said both sides had agreed to keep talking for another week, despite shelling overnight.</p>"
    "<p>Aid agencies asked for safe corridors into the besieged districts, where food has run short.</p>"
    "</article><footer>Contact our newsroom</footer></body></html>"
)


@pytest.fixture
def site():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            routes = {
                "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
                "/plain": (200, "text/plain; charset=utf-8", b"Troops left Mosul."),
                "/empty": (200, "text/html", b"<html><body><div></div></body></html>"),
            }
            status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_html_page_becomes_its_article(site):
    article = fetch_article(f"{site}/article")
    assert article.name == "Ceasefire talks resume" and article.source == f"{site}/article"
    assert "Geneva" in article.text and "Tokyo" not in article.text


def test_plain_text(site):
    assert fetch_article(f"{site}/plain").text == "Troops left Mosul."


@pytest.mark.parametrize("path", ["/missing", "/empty"])
def test_failures_are_clear_input_errors(site, path):
    with pytest.raises(InputError):
        fetch_article(f"{site}{path}")


def test_not_a_url_and_no_network():
    with pytest.raises(InputError, match="not a web address"):
        fetch_article("file:///etc/passwd")
    with pytest.raises(InputError, match="could not fetch"):
        fetch_article(f"http://127.0.0.1:{free_port()}/", timeout=1)
