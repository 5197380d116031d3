"""Adding a place the gazetteer lacks, in a real browser (Debian's Chromium), network closed: by
typing its coordinates, and by clicking the map; the Add panel shows where the reader is looking
(in the window at 1400 x 900, without scrolling)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Error

from tests.browser import (
    console_of,
    open_offline_page,
    require_chromium,
    running_app_with_cache,
)
from tests.test_browser import marker_names, wait_for_places
from tests.test_browser_reading import PANE, select_words, wait_until, without

pytestmark = pytest.mark.browser

require_chromium()

#: The window the issue names: a laptop's, where the panel once opened below the fold.
WINDOW = (1400, 900)


def article() -> str:
    """Return an article of this test's own (corrections are kept per article text): the model
    places Latakia; "Qasr Zanoubiya" and "Tell Warda Hamra" are no place the gazetteer knows."""
    return (
        f"Dispatch {uuid.uuid4()}. Ships left the harbour at Latakia before dawn on Tuesday, a naval officer said.\n\n"
        "Shepherds near the hamlet of Qasr Zanoubiya said the well had run dry since Sunday.\n\n"
        "Further east, at the old mill of Tell Warda Hamra, farmers waited for the rain."
    )


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    # Corrections in a folder of this module's own; the built gazetteer shared.
    with running_app_with_cache(tmp_path_factory.mktemp("cache")) as url:
        yield url


def open_article(browser, app_url):
    """Return a page at 1400 x 900 showing a fresh copy of the article, its places on the map."""
    page = open_offline_page(browser, app_url, viewport=WINDOW)
    # Any marker: the page is drawn. Read as wait_for_places does (the map may be replaced
    # meanwhile), waiting with the page's own clock so that its frames are followed.
    for _ in range(360):
        if marker_names(page):
            break
        page.wait_for_timeout(250)
    assert marker_names(page), f"the map drew no markers; console:\n{console_of(page)}"
    page.get_by_placeholder("Paste news text here…").fill(article())
    page.keyboard.press("Control+Enter")
    wait_for_places(page, ("Latakia",), timeout_s=90)
    # The sample articles let go: the reading pane shows the pasted one, and the map its places.
    chosen = page.locator("[data-testid='stMultiSelect']", has=page.get_by_label("Sample articles"))
    remove = chosen.locator("button[aria-label^='Remove ']")
    for _ in range(30):
        # A click that lands while the page reruns (the paste's parse) can be lost: clicked again.
        if remove.count():
            remove.first.click()
        page.wait_for_timeout(3_000)
        if without(page, "Geneva"):
            break
    assert without(page, "Geneva"), f"the sample article's places stay; console:\n{console_of(page)}"
    names = wait_for_places(page, ("Latakia",), timeout_s=90)
    assert not any("Zanoubiya" in n or "Warda" in n for n in names)  # missed: no such places
    page.locator(f"{PANE} span[data-o]", has_text="Zanoubiya").first.wait_for(timeout=60_000)
    return page


def again(page, act, shown, what: str, tries: int = 3) -> None:
    """Do ``act`` until ``shown`` shows, at most ``tries`` times: a click or a selection that
    lands while the page reruns can be lost (Streamlit's), and a reader who sees nothing happen
    does it again."""
    for _ in range(tries):
        act()
        try:
            shown.wait_for(timeout=20_000)
            return
        except Error:
            pass
    raise AssertionError(f"no {what}; console:\n{console_of(page)}")


def in_window(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def start_adding(page, words: str):
    """Select ``words`` in the article; return the Add panel's heading once it shows, checking that
    it and its search box are in the window without the page having scrolled."""
    scroll_y = page.evaluate("() => window.scrollY")
    heading = page.get_by_text(f"Add “{words}” as a place")
    again(page, lambda: select_words(page, words), heading, f"an Add panel for {words!r}")
    search = page.get_by_label("Search the gazetteer (any word of a name)")
    search.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the article's pane settles below the panel
    assert page.evaluate("() => window.scrollY") == scroll_y, "the page scrolled"
    assert in_window(page, heading), f"the Add panel's heading is out of the window: {heading.bounding_box()}"
    assert in_window(page, search), f"the Add panel's search box is out of the window: {search.bounding_box()}"
    return heading


def free_spot(page) -> dict:
    """Return a point of the newest map where no marker or control is: where it is in the page
    (x, y) and on the Earth (lat, lng)."""
    frame = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()][-1]
    spot = frame.evaluate(
        """() => {
            const size = window.map.getSize(), rect = window.map.getContainer().getBoundingClientRect();
            for (const [fx, fy] of [[0.3, 0.7], [0.7, 0.3], [0.6, 0.8], [0.35, 0.35], [0.8, 0.6]]) {
                const x = Math.round(size.x * fx), y = Math.round(size.y * fy);
                const hit = document.elementFromPoint(rect.left + x, rect.top + y);
                if (hit && hit.closest(".leaflet-marker-icon, .leaflet-interactive, .leaflet-control")) continue;
                const at = window.map.containerPointToLatLng([x, y]);
                return {x: rect.left + x, y: rect.top + y, lat: at.lat, lng: at.lng};
            }
            return null;
        }"""
    )
    assert spot is not None, "no free spot on the map"
    box = frame.frame_element().bounding_box()
    return spot | {"x": box["x"] + spot["x"], "y": box["y"] + spot["y"]}


def shown_caption(page, text: str, timeout_s: float = 60) -> None:
    """Wait for the reading pane's caption of the selected place to contain ``text``."""
    wait_until(
        lambda: any(text in c for c in page.locator("[data-testid='stCaptionContainer']").all_inner_texts()),
        timeout_s,
        f"a caption with {text!r}",
        page,
    )


def test_a_place_is_added_by_typing_its_coordinates(browser, app_url):
    page = open_article(browser, app_url)
    start_adding(page, "Qasr Zanoubiya")
    coordinates = page.get_by_role("textbox", name="Or type its coordinates")

    # A latitude past the pole: said in words, nothing added, no traceback.
    coordinates.fill("95, 10")
    coordinates.press("Enter")
    page.get_by_text("A latitude is between -90 and 90", exact=False).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_role("button", name=re.compile("^Add “Qasr Zanoubiya” at")).count() == 0

    coordinates.fill("35.40 N 35.95 E")
    coordinates.press("Enter")
    page.get_by_role("button", name="Add “Qasr Zanoubiya” at 35.4000, 35.9500").click(timeout=30_000)
    wait_for_places(page, ("Qasr Zanoubiya", "Latakia"), timeout_s=90)
    page.get_by_role("heading", name="Qasr Zanoubiya").first.wait_for(timeout=30_000)  # selected
    shown_caption(page, "35.4000, 35.9500")
    shown_caption(page, "added by hand")
    page.get_by_text("Added “Qasr Zanoubiya” at 35.4000, 35.9500", exact=False).wait_for(timeout=30_000)
    page.context.close()


def test_a_place_is_added_by_clicking_the_map_and_undone_from_the_message(browser, app_url):
    page = open_article(browser, app_url)
    # A place selected first: its excerpts stand above the article, and the panel still shows.
    mark = page.locator(f"{PANE} mark", has_text="Latakia").first
    again(page, mark.click, page.get_by_role("heading", name="Latakia"), "Latakia selected")
    start_adding(page, "Tell Warda Hamra")
    page.get_by_text("Or click the map where it is.").wait_for(timeout=30_000)

    # A point of the map where no marker or control is: its latitude and longitude, then a click.
    confirm = page.get_by_role("button", name=re.compile(r"^Add “Tell Warda Hamra” here \("))
    spot: dict = {}

    def click_the_map() -> None:
        spot.update(free_spot(page))
        page.mouse.click(spot["x"], spot["y"])

    again(page, click_the_map, confirm, "an offer to add at the point clicked")
    label = confirm.inner_text()
    lat, lng = (float(v) for v in re.search(r"\((-?[\d.]+), (-?[\d.]+)\)", label).groups())
    assert abs(lat - spot["lat"]) < 0.01 and abs(lng - ((spot["lng"] + 180) % 360 - 180)) < 0.01, (label, spot)
    assert in_window(page, confirm), f"the confirm button is out of the window: {confirm.bounding_box()}"
    confirm.click()
    wait_for_places(page, ("Tell Warda Hamra", "Latakia"), timeout_s=90)
    page.get_by_role("heading", name="Tell Warda Hamra").first.wait_for(timeout=30_000)
    shown_caption(page, "added by hand")  # the selected place's source
    message = page.get_by_text("Added “Tell Warda Hamra” at", exact=False)
    message.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)  # the page settles: the old run's elements go
    assert in_window(page, message.last), (
        f"the message is out of the window: {message.last.bounding_box()}, scrolled {page.evaluate('scrollY')}"
    )

    # Undone from the message, like any other change: the marker goes.
    page.get_by_role("button", name="Undo this").click()
    try:
        wait_until(lambda: without(page, "Tell Warda Hamra"), 30, "the added place's marker to go", page)
    except AssertionError:
        # A click that lands while the page reruns can be lost (Streamlit's): a reader clicks again.
        if page.get_by_role("button", name="Undo this").count() == 0:
            raise
        page.get_by_role("button", name="Undo this").click()
        wait_until(lambda: without(page, "Tell Warda Hamra"), 60, "the added place's marker to go", page)
    assert "Latakia" in " ".join(marker_names(page) or ()), console_of(page)
    page.context.close()
