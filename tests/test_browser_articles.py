"""Articles with their metadata in a real browser (Debian's Chromium), the network unreachable:
an uploaded page's title, date and canonical address shown and exported; a date range hiding an
older article's places."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser import console_of, open_offline_page, require_chromium, wait_for_markers

pytestmark = pytest.mark.browser

require_chromium()

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402 - after the skip

from tests.test_browser import marker_names, missing_places, wait_for_places  # noqa: E402 - after the skip

TITLE = "Truce talks resume in Doha as aid waits at Rafah"
OUTLET = "Gulf Ledger"
DATE = "2023-11-28"
URL = "https://ledger.example/world/doha-talks-2023"
# A fresh page written for this test: a title, a publication date and a canonical address in its head.
PAGE = f"""<!doctype html>
<html><head>
<title>{TITLE} | {OUTLET}</title>
<link rel="canonical" href="{URL}">
<meta property="og:site_name" content="{OUTLET}">
<meta property="article:published_time" content="{DATE}T07:45:00+03:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{TITLE}</h1>
<p>Negotiators returned to Doha on Tuesday to extend the truce, mediators from Qatar and Egypt said.</p>
<p>Hundreds of lorries of aid waited at the Rafah crossing while officials in Cairo met envoys from Amman.</p>
</article><footer>Copyright {OUTLET}</footer></body></html>"""


def uploaded(browser, app_url, tmp_path):
    """Return a page with the seed (2016-03-14) and the uploaded page (2023-11-28) mapped."""
    path = tmp_path / "doha-talks.html"
    path.write_text(PAGE, encoding="utf-8")
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    # A reader sees the file listed under the uploader before waiting for its places; on a loaded
    # machine a file chosen while the page's first reruns are still running can go unlisted, and
    # the reader chooses it again.
    for _attempt in range(3):
        page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files([str(path)])
        try:
            sidebar.get_by_text(path.name).first.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    wait_for_places(page, ["Doha", "Hmeymim"], timeout_s=90)
    return page


def download(page, name: str) -> str:
    from playwright.sync_api import Error

    main = page.locator("[data-testid='stMainBlockContainer']")
    for attempt in range(3):
        with page.expect_download() as done:
            main.get_by_role("button", name=name, exact=True).click()
        try:
            return Path(done.value.path()).read_text(encoding="utf-8")
        except Error as err:  # a rerun (the map's view report) replaced the file mid-download
            if "canceled" not in str(err) or attempt == 2:
                raise
            page.wait_for_timeout(1000)
    raise AssertionError("unreachable")


def test_an_uploaded_page_shows_its_title_date_and_address_and_the_exports_carry_them(browser, app_url, tmp_path):
    page = uploaded(browser, app_url, tmp_path)
    sidebar = page.locator("[data-testid='stSidebar']")
    line = sidebar.get_by_text(f"{TITLE} · {OUTLET} · {DATE}", exact=False).first
    line.wait_for(timeout=30_000)
    assert sidebar.locator(f"a[href='{URL}']").count() >= 1  # the canonical address, linked
    assert sidebar.get_by_text("Russia withdraws from Syria 2016 · 2016-03-14", exact=False).count() >= 1
    # Newest first: the 2023 page above the 2016 seed.
    listed = sidebar.locator("li").all_inner_texts()
    doha = next(i for i, t in enumerate(listed) if TITLE in t)
    seed = next(i for i, t in enumerate(listed) if "Russia withdraws" in t)
    assert doha < seed

    features = json.loads(download(page, "GeoJSON"))["features"]
    doha_feature = next(f for f in features if f["properties"]["name"] == "Doha")
    assert doha_feature["properties"]["excerpt_sources"][0] | {"excerpt": ""} == {
        "excerpt": "",
        "title": TITLE,
        "date": DATE,
        "url": URL,
    }
    rows = list(csv.DictReader(io.StringIO(download(page, "CSV"))))
    doha_row = next(r for r in rows if r["name"] == "Doha")
    assert TITLE in doha_row["articles"] and DATE in doha_row["dates"] and URL in doha_row["urls"]
    kml = download(page, "KML")
    root = ET.fromstring(kml.encode())
    descriptions = " ".join(e.text or "" for e in root.iter("{http://www.opengis.net/kml/2.2}description"))
    assert TITLE in descriptions and DATE in descriptions and f'href="{URL}"' in descriptions
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def test_a_date_range_hides_the_older_articles_places(browser, app_url, tmp_path):
    page = uploaded(browser, app_url, tmp_path)
    sidebar = page.locator("[data-testid='stSidebar']")
    thumbs = sidebar.locator("[data-testid='stSlider']", has_text="Published between").get_by_role("slider")
    thumbs.first.wait_for(timeout=30_000)
    assert thumbs.count() == 2
    thumbs.first.focus()
    page.keyboard.press("End")  # the range's start to its end: only the newest day
    deadline = time.monotonic() + 60
    names = marker_names(page)
    # Wait for the redrawn markers: the seed's gone and the newer article's there (not the
    # moment between two draws, when the map holds no marker at all).
    while time.monotonic() < deadline and (
        names is None or missing_places(names, ["Hmeymim"]) != ["Hmeymim"] or missing_places(names, ["Doha"])
    ):
        page.wait_for_timeout(250)
        names = marker_names(page)
    assert missing_places(names, ["Hmeymim", "Latakia", "Kremlin"]) == ["Hmeymim", "Latakia", "Kremlin"], console_of(
        page
    )
    assert not missing_places(names, ["Doha"]), f"{names}; console:\n{console_of(page)}"
    assert "from=2023-11-28" in page.url  # the share link carries the range
    page.context.close()


def test_successive_category_changes_each_reach_the_map(browser, app_url):
    # Each chip removed in turn must take effect, and the map and the link follow. (A chip
    # clicked while the select still holds the focus from the last removal is sometimes ignored
    # by Streamlit's multiselect itself, so the click on the heading first, as a reader's would.)
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    for kind in ("country", "region", "venue", "city"):
        sidebar.get_by_role("heading", name="Filters").click()
        sidebar.get_by_role("button", name=f"Remove {kind}").first.click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and f"kind={kind}" in page.url:
            page.wait_for_timeout(200)
        assert f"kind={kind}" not in page.url, f"removing {kind} did not take"
        page.wait_for_timeout(1500)  # the view report's rerun settles before the next click
    names = marker_names(page)
    assert names is not None and not missing_places(names, ["Hmeymim"])  # the bases stay
    page.context.close()
