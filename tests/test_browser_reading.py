"""The reading pane in a real browser (Debian's Chromium), network closed: scrolled to the selected
mention with the map in view; a missed place added by selecting its name, then undone; a name
marked as not a place."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error

from tests.browser import (
    MAP_FRAME,
    ROOT,
    console_of,
    open_offline_page,
    require_chromium,
    running_app_with_cache,
    wait_for_markers,
)
from tests.test_browser import marker_names, wait_for_places

pytestmark = pytest.mark.browser

require_chromium()

# Written for this test. The model misses "Baniyas" here (after "harbour at"); it finds Latakia
# and Jablah. The paragraphs between them name no place, so the article is longer than its pane.
FILLER = "The crews waited on deck while the officers argued about fuel, weather and the schedule. " * 3
ARTICLE = (
    "Ships left the harbour at Baniyas before dawn on Tuesday, a naval officer said.\n\n"
    + "\n\n".join(FILLER for _ in range(8))
    + "\n\nLater the ships anchored off Latakia, where supplies were brought aboard by small boats.\n\n"
    + "\n\n".join(FILLER for _ in range(4))
    + "\n\nFishermen near Jablah said the sea road had been closed since Sunday."
)

PANE = ".na-article-root"


@pytest.fixture
def app_url(tmp_path_factory):
    # Corrections of a fresh folder for each test, and each run of it (the test adds and removes
    # names: a rerun must not find the first run's); the built gazetteer shared.
    with running_app_with_cache(tmp_path_factory.mktemp("cache")) as url:
        yield url


def wait_until(check, timeout_s: float = 60, what: str = "", page=None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.25)
    raise AssertionError(
        f"timed out waiting for {what}" + (f"; console:\n{console_of(page)}" if page is not None else "")
    )


def without(page, name: str) -> bool:
    names = marker_names(page)
    return names is not None and len(names) > 0 and not any(name in n for n in names)


def in_view(page, box) -> bool:
    height = page.viewport_size["height"]
    return box is not None and box["y"] < height and box["y"] + box["height"] > 0


def select_words(page, word: str) -> None:
    """Select ``word`` in the article pane as a reader's mouse would, and let go of the button."""
    run = page.locator(f"{PANE} span[data-o]", has_text=word).first
    run.evaluate(
        """(el, word) => {
            const node = el.firstChild;
            const at = node.data.indexOf(word);
            window.getSelection().setBaseAndExtent(node, at, node, at + word.length);
            el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        word,
    )


def choose_found(page, option: str, timeout_s: float = 60) -> None:
    """Choose ``option`` among the search box's places, once the search has rerun (until then the
    list may still be the previous search's)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            page.get_by_label("Places found").click(timeout=5_000)
            page.get_by_role("option", name=option).first.click(timeout=3_000)
            return
        except Error:
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
    raise AssertionError(f"the search offered no {option!r}")


def test_reading_pane_scrolls_adds_and_removes_places(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    page.get_by_placeholder("Paste news text here…").fill(ARTICLE)
    page.keyboard.press("Control+Enter")
    names = wait_for_places(page, ("Latakia", "Jablah"))
    assert not any("Baniyas" in n for n in names)  # missed by the machine

    # Find a place: Jablah, named by the pasted article only; the pane shows that article,
    # scrolled (itself, not the page) to the mention near its end.
    page.get_by_label("Find a place").fill("Jablah")
    page.keyboard.press("Enter")
    choose_found(page, "Jablah · city · SY · on the map")
    page.locator(f"{PANE} mark[data-current]", has_text="Jablah").wait_for(timeout=60_000)
    pane = page.locator(PANE)
    wait_until(lambda: pane.evaluate("el => el.scrollTop") > 200, 10, "the pane to scroll")
    mark_box = page.locator(f"{PANE} mark[data-current]").bounding_box()
    pane_box = pane.bounding_box()
    assert pane_box["y"] <= mark_box["y"] and mark_box["y"] + mark_box["height"] <= pane_box["y"] + pane_box["height"]
    assert pane_box["height"] < 600  # a pane of its own, not the whole article down the page
    assert in_view(page, page.locator(MAP_FRAME).bounding_box()), "the map scrolled away"
    assert mark_box["y"] + mark_box["height"] <= page.viewport_size["height"], "the mention is below the window"

    # A click on another mention selects it: nothing collapses, the page does not jump.
    scroll_y = page.evaluate("() => window.scrollY")
    page.locator(f"{PANE} mark", has_text="Latakia").first.click()
    page.locator(f"{PANE} mark[data-current]", has_text="Latakia").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Latakia").wait_for(timeout=30_000)
    assert abs(page.evaluate("() => window.scrollY") - scroll_y) < 2
    assert page.locator(PANE).count() == 1 and in_view(page, page.locator(MAP_FRAME).bounding_box())
    page.screenshot(path=str(ROOT / "tests" / "screenshots" / "reading-pane.png"))

    # Add the missed place: select its name, take the resolver's first reading, confirm.
    select_words(page, "Baniyas")
    page.get_by_text("as a place", exact=False).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Add this place").click()
    wait_for_places(page, ("Baniyas", "Latakia", "Jablah"), timeout_s=90)
    page.get_by_text("added by hand", exact=False).first.wait_for(timeout=30_000)  # its source
    undo = page.get_by_role("button", name="Undo: Baniyas")  # the undo names what it takes back
    undo.click()
    try:
        wait_until(lambda: without(page, "Baniyas"), 30, "the added place's marker to go", page)
    except AssertionError:
        # A click that lands while the page reruns can be lost (Streamlit's); a reader who sees
        # nothing happen clicks again, and only while there is still a change to undo.
        if not undo.is_enabled():
            raise
        undo.click()
        wait_until(lambda: without(page, "Baniyas"), 60, "the added place's marker to go", page)

    # Mark a found name as not a place: its marker goes. (Chosen with the keyboard: Enter on the mention.)
    # A key pressed while the page still reruns after the undo can be lost (the pane is drawn
    # again under it, as a click can be); a reader who sees nothing happen presses it again.
    for attempt in range(3):
        page.locator(f"{PANE} mark", has_text="Jablah").first.focus()
        page.keyboard.press("Enter")
        try:
            page.get_by_role("heading", name="Jablah").wait_for(timeout=20_000)
            break
        except Error:
            if attempt == 2:
                raise
    remove = page.get_by_role("button", name="Not a place: Jablah")  # it names what it removes
    remove.click()
    # Waited for with the page's own clock (its events handled meanwhile), as a reader would.
    for _ in range(60):
        page.wait_for_timeout(2_000)
        if without(page, "Jablah"):
            break
    assert without(page, "Jablah"), "Jablah's marker did not go"
    page.get_by_text("Removed “Jablah”", exact=False).first.wait_for(timeout=30_000)  # it says what it did
    assert "Latakia" in " ".join(marker_names(page) or ())
    assert page.locator(f"{PANE} mark", has_text="Jablah").count() == 0

    # Find a place that is not on the map: the map is focused there, no marker is added.
    page.get_by_label("Find a place").fill("Palmyra")
    page.keyboard.press("Enter")
    choose_found(page, "Tadmur · city · SY")
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    wait_until(
        lambda: (
            abs(frame.evaluate("() => window.map.getCenter().lat") - 34.56) < 0.2
            and abs(frame.evaluate("() => window.map.getCenter().lng") - 38.27) < 0.2
        ),
        60,
        "the map to centre on Palmyra (Tadmur)",
    )
    assert not any("Tadmur" in n for n in marker_names(page) or ())

    # A place named many times: the pane cycles through its mentions, scrolling itself only.
    page.get_by_label("Find a place").fill("Syria")
    page.keyboard.press("Enter")
    choose_found(page, "Syria · country")
    page.get_by_role("heading", name="Syria").wait_for(timeout=30_000)
    where = page.locator(".na-where")
    wait_until(lambda: where.inner_text().startswith("mention 1 of "), 30, "the first mention of Syria")
    count = int(where.inner_text().rsplit(" ", 1)[1])
    assert count >= 3
    scroll_y, tops = page.evaluate("() => window.scrollY"), []
    for number in range(2, 4):
        page.get_by_role("button", name="Next mention").click()
        assert where.inner_text() == f"mention {number} of {count}"
        tops.append(page.locator(PANE).evaluate("el => el.scrollTop"))
    assert tops[1] >= tops[0] and abs(page.evaluate("() => window.scrollY") - scroll_y) < 2
    page.context.close()
