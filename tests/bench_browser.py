"""Benchmark: ``python -m tests.bench_browser``: the app in Debian's Chromium, offline.

Prints, over three cold starts of ``streamlit run app.py`` (gazetteer and model already built
on disk): the seconds from the command to the seed's markers drawn, and the bytes the browser
downloaded for the map (the map component's files, the scripts and styles, the outlines).
"""

from __future__ import annotations

import json
import statistics
import time

from tests.browser import launch, open_offline_page, running_app, wait_for_markers


def one_run(playwright) -> tuple[float, int]:
    """Return (seconds to markers, bytes of map files downloaded) for one cold start."""
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

        page = open_offline_page(browser, url, on_response=record)
        wait_for_markers(page)
        seconds = time.perf_counter() - started
        page.wait_for_timeout(2000)  # the outlines arrive after the markers
        browser.close()
    return seconds, sum(sizes.values())


def main() -> None:
    """Run three cold starts and print the figures as JSON."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        runs = [one_run(playwright) for _ in range(3)]
    print(
        json.dumps(
            {
                "seconds_to_markers": [round(s, 2) for s, _ in runs],
                "median_seconds_to_markers": round(statistics.median(s for s, _ in runs), 2),
                "map_download_bytes": runs[-1][1],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
