"""Helpers for tests and benchmarks in a real browser: Debian's Chromium driven by Playwright.

The app runs as a user runs it (``streamlit run app.py``) on a free loopback port; the browser
may reach only that server, so the map is proven to work with the network unreachable.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# The flags this machine's notes give for headless Chromium on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


def chromium_available() -> bool:
    """Return True when Debian's Chromium and Playwright's Python package are installed."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def require_chromium() -> None:
    """Skip the calling test module unless Debian's Chromium and Playwright are installed; with
    NEWS_ATLAS_REQUIRE_BROWSER set (CI), fail instead, so that a machine without them cannot pass
    the browser tests by skipping them. Call it at a module's top level."""
    if chromium_available():
        return
    if os.environ.get("NEWS_ATLAS_REQUIRE_BROWSER"):  # set by .ci/run: CI must not skip these
        raise RuntimeError("the browser tests need Debian's chromium and playwright")
    pytest.skip("needs Debian's chromium (apt-get install chromium); .ci/run installs it", allow_module_level=True)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(
    port: int | None = None,
    *,
    timeout: float = 120,
    options: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    log: Path | None = None,
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port; yield its address once it answers.

    ``options`` are more ``--section.key value`` server options; ``env``, more environment
    variables; ``log``, a file for the server's output (else it is dropped)."""
    port = port or free_port()
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            *options,
        ],
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
        env=os.environ | {"PYTHONPATH": str(ROOT)} | (env or {}),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log is not None:
            output.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def running_app_with_cache(cache: Path) -> Iterator[str]:
    """Run the app with ``cache`` as its cache folder (corrections and atlases of its own), the
    built gazetteer shared by a link; yield its address."""
    (cache / "gazetteer.sqlite").symlink_to(ROOT / "cache" / "gazetteer.sqlite")
    with running_app(env={"GEO_CACHE_DIR": str(cache)}) as url:
        yield url


def only_loopback(route) -> None:
    """Playwright route handler: let requests to 127.0.0.1 through, fail every other one."""
    if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
        route.continue_()
    else:
        route.abort("internetdisconnected")


def launch(playwright):
    """Return a headless Chromium (Debian's) browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


#: The console lines of each page opened by ``open_offline_page``, by ``id(page)``.
CONSOLE: dict[int, list[str]] = {}


def console_of(page, last: int = 30) -> str:
    """Return the last console lines the page's scripts wrote (and its frames'), one a line."""
    return "\n".join(CONSOLE.get(id(page), [])[-last:])


def open_sidebar(page, *, timeout_ms: int = 90_000) -> None:
    """Unfold the sidebar, which the page opens folded (the map takes the room: ui.layout)."""
    page.locator("[data-testid='stExpandSidebarButton']").click(timeout=timeout_ms)
    page.locator("[data-testid='stSidebarUserContent']").wait_for(timeout=timeout_ms)


def open_offline_page(browser, url: str, *, on_response=None, sidebar: bool = True, viewport=(1400, 1100)):
    """Return a page on ``url`` whose every request off this machine fails, its sidebar unfolded
    (``sidebar=False``: as a reader first sees it, folded)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.route("**/*", only_loopback)
    page = context.new_page()
    # What the page's scripts said, for a failing test's message (console_of).
    said: list[str] = []
    CONSOLE[id(page)] = said
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"[:300]))
    page.on("pageerror", lambda error: said.append(f"pageerror: {error}"[:300]))
    if on_response is not None:
        page.on("response", on_response)
    page.goto(url)
    if sidebar:
        open_sidebar(page)
    return page


def wait_for_markers(page, *, timeout_ms: int = 90_000):
    """Wait until the map has drawn its markers (a symbol, or a cluster's bubble: far out, on a
    phone, every place may be in one) and is the page's only map; return the map's frame locator.

    While a run moves the map (the page's first runs, as notices come and go above it), Streamlit
    keeps the old frame, stale, beside the new one for a moment: a locator of "the" map would
    name two."""
    frames = page.locator(MAP_FRAME)
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        frames.last.content_frame.locator(".na-pin, .na-cluster").first.wait_for(
            timeout=max(1, int((deadline - time.monotonic()) * 1000))
        )
        if frames.count() == 1:
            return page.frame_locator(MAP_FRAME)
        if time.monotonic() > deadline:
            raise AssertionError(f"{frames.count()} maps on the page after {timeout_ms} ms")
        page.wait_for_timeout(250)
