"""Benchmark: ``python -m tests.bench_browser``: the app in Debian's Chromium, offline.

Prints, over three cold starts of ``streamlit run app.py`` (gazetteer and model already built
on disk): the seconds from the command to the seed's markers drawn, the bytes the browser
downloaded for the map (the map component's files, the scripts and styles, the outlines, the
places' data), and the seconds from a filter change (a category removed in the sidebar) to the
map's markers updated, for each category removed in turn; with the load average beside them, as
other work on the machine slows every figure.

``--articles LGL_FILE``: the start with 50 articles instead (``fifty_articles``): a first start,
then two with the parses the first left in the cache folder, each split into its phases.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from tests.browser import launch, open_offline_page, open_sidebar, running_app, wait_for_markers

#: Categories removed one after another (each a filter change); the seed has places of each.
REMOVED = ("country", "region", "venue", "city")
MARKER_KINDS_JS = """() => {
    const kinds = [];
    window.map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) { layer.getLayers().forEach(m => kinds.push(m.naKind)); }
    });
    return kinds;
}"""


def filter_changes(page) -> list[float]:
    """Return the seconds from each category's removal in the sidebar to a map without its markers."""
    sidebar = page.locator("[data-testid='stSidebar']")
    seconds = []
    for kind in REMOVED:
        frame = page.frame(url=lambda u: "streamlit_folium" in u)
        assert kind in frame.evaluate(MARKER_KINDS_JS)
        # Out of the select first: a chip clicked while the select holds the focus from the last
        # removal is sometimes ignored by Streamlit's multiselect (seen in Chromium 156).
        sidebar.get_by_role("heading", name="Filters").click()
        sidebar.get_by_role("button", name=f"Remove {kind}").first.click()
        started = time.perf_counter()
        while kind in (page.frame(url=lambda u: "streamlit_folium" in u).evaluate(MARKER_KINDS_JS) or [kind]):
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"the {kind} markers never went")
            page.wait_for_timeout(20)
        seconds.append(time.perf_counter() - started)
        page.wait_for_timeout(1500)  # the view report's rerun and the URL settle before the next change
    return seconds


def one_run(playwright) -> tuple[float, int, list[float]]:
    """Return (seconds to markers, bytes of map files downloaded, seconds of each filter change) for
    one cold start."""
    started = time.perf_counter()
    with running_app() as url:
        browser = launch(playwright)
        sizes: dict[str, int] = {}

        def record(response) -> None:
            if "/component/streamlit_folium" in response.url or "/app/static/" in response.url:
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # a body that is gone (redirect, aborted) counts as nothing
                    sizes[response.url] = 0

        page = open_offline_page(browser, url, on_response=record, sidebar=False)  # as a reader opens it
        wait_for_markers(page)
        seconds = time.perf_counter() - started
        page.wait_for_timeout(2000)  # the outlines arrive after the markers
        open_sidebar(page)  # the filters are in it
        changes = filter_changes(page)
        browser.close()
    return seconds, sum(sizes.values()), changes


def fifty_articles(corpus: str, count: int = 50, starts: int = 3) -> dict[str, object]:
    """Return the seconds from ``streamlit run`` to the markers with ``count`` articles (LGL's
    documents joined, as in tests.bench_app) as the sample folder: a first start with only the
    gazetteer built, then ``starts - 1`` with the cache folder as the first left it (the parses in
    ``parses.sqlite``). Each start is split where its seconds go: the server answering, Chromium
    launched, the page's script run (until the map's frame is on the page), the map drawing its
    markers. With the load average before and after, as other work on the machine slows them."""
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from geo.gazetteer import open_gazetteer
    from tests.bench_app import write_articles
    from tests.browser import MAP_FRAME

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        articles, cache = Path(tmp) / "articles", Path(tmp) / "cache"
        articles.mkdir()
        cache.mkdir()
        (cache / "gazetteer.sqlite").symlink_to(open_gazetteer().path)
        words = write_articles(Path(corpus), articles, count=count)
        os.environ |= {"NEWS_ATLAS_ARTICLES": str(articles), "GEO_CACHE_DIR": str(cache)}
        seconds, phases = [], []
        with sync_playwright() as playwright:
            for _ in range(starts):
                started = time.perf_counter()
                with running_app() as url:
                    answered = time.perf_counter()
                    browser = launch(playwright)
                    launched = time.perf_counter()
                    page = open_offline_page(browser, url)
                    page.locator(MAP_FRAME).wait_for(timeout=180_000)
                    framed = time.perf_counter()
                    wait_for_markers(page, timeout_ms=180_000)
                    drawn = time.perf_counter()
                    browser.close()
                seconds.append(round(drawn - started, 2))
                phases.append(
                    {
                        "server_answers": round(answered - started, 2),
                        "chromium_launched": round(launched - answered, 2),
                        "page_until_map_frame": round(framed - launched, 2),
                        "map_frame_until_markers": round(drawn - framed, 2),
                    }
                )
    return {
        "articles": count,
        "words": words,
        "seconds_first_then_built_cache": seconds,
        "phases": phases,
        "load_average_before_and_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    """Run three cold starts and print the figures as JSON (``--articles LGL_FILE``: the start
    with 50 articles instead)."""
    import sys

    if "--articles" in sys.argv:
        print(json.dumps(fifty_articles(sys.argv[sys.argv.index("--articles") + 1]), indent=1))
        return
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    with sync_playwright() as playwright:
        runs = [one_run(playwright) for _ in range(3)]
    changes = [c for _, _, run in runs for c in run]
    print(
        json.dumps(
            {
                "seconds_to_markers": [round(s, 2) for s, _, _ in runs],
                "median_seconds_to_markers": round(statistics.median(s for s, _, _ in runs), 2),
                "map_download_bytes": runs[-1][1],
                "filter_change_to_markers_seconds": [round(c, 2) for c in changes],
                "median_filter_change_seconds": round(statistics.median(changes), 2),
                "load_average_before_and_after": [round(x, 2) for x in (*load_before[:1], *os.getloadavg()[:1])],
                "cpus": os.cpu_count(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
