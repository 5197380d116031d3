"""Events in a real browser (Debian's Chromium) with the network unreachable: markers coloured by
event type beside a legend that names each of their colours, the timeline's range narrowing the
markers, and the reading pane listing a place's events."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser import console_of, open_offline_page, require_chromium, wait_for_markers
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_browser import SEED_PLACES, marker_names, wait_for_places  # noqa: E402

SCREENSHOT = ROOT / "tests" / "screenshots" / "events-map.png"
HMEYMIM = "landmarks:https://en.wikipedia.org/wiki/Khmeimim_Air_Base"

#: The map's legend rows ([label, its swatch's style]) and each marker's fill colour.
COLOURS_JS = """() => {
    const legend = [...document.querySelectorAll(".na-legend .na-swatch")].map(row => [
        row.textContent.trim(), row.querySelector("span").getAttribute("style")
    ]);
    const fills = [];
    window.map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach(m => {
                const found = /fill='(#[0-9a-fA-F]{6})'/.exec(m.options.icon.options.html);
                fills.push(found ? found[1].toLowerCase() : null);
            });
        }
    });
    return {legend, fills};
}"""


def map_frame(page):
    return page.frame(url=lambda u: "streamlit_folium" in u)


def wait_until(page, check, what: str, timeout_s: float = 60):
    """Poll ``check()`` until it returns something truthy; return it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        page.wait_for_timeout(250)
    raise AssertionError(f"{what}; console:\n{console_of(page)}")


def test_colour_by_event_type_shows_a_legend_naming_every_colour_on_the_map(browser, app_url):
    page = open_offline_page(browser, f"{app_url}/?colour=event+type")
    page.set_viewport_size({"width": 1400, "height": 900})
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)

    def coloured():
        found = map_frame(page).evaluate(COLOURS_JS)
        return found if found["legend"] and all(found["fills"]) else None

    found = wait_until(page, coloured, "the map's legend never showed the event types")
    legend = {label: re.search(r"#[0-9a-fA-F]{6}", style).group(0).lower() for label, style in found["legend"]}
    assert {"Movements", "Diplomacy", "Mentioned"} <= set(legend)
    assert set(found["fills"]) == set(legend.values())  # every colour on the map is named, and no other
    # The categories are still told by shape, in grey under the swatches.
    shapes = map_frame(page).locator(".na-legend-rows > div:not(.na-swatch)").all_text_contents()
    assert [s.strip() for s in shapes] == ["base", "city", "venue", "region", "country", "other"]
    timeline = page.locator(".st-key-na_timeline")
    timeline.wait_for()
    page.wait_for_timeout(1500)  # the chart draws
    timeline.evaluate("box => box.scrollIntoView({block: 'end'})")  # the map and its timeline in view
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOT))


def test_narrowing_the_timeline_changes_the_markers(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    before = wait_for_places(page, SEED_PLACES)
    assert len(before) > 5
    # The range's upper handle to its lowest day: 26 February, the truce's fighting in Syria only.
    upper = page.get_by_role("slider", name="Events between — end")
    upper.focus()
    upper.press("Home")

    def narrowed():
        names = marker_names(page)
        return names if names and len(names) < len(before) else None

    names = wait_until(page, narrowed, "the markers never followed the timeline's range")
    assert len(names) == 1 and "Syria · country" in names[0]
    page.get_by_role("button", name="All days").click()
    wait_for_places(page, SEED_PLACES)


def test_the_reading_pane_lists_a_places_events(browser, app_url):
    page = open_offline_page(browser, f"{app_url}/?place={HMEYMIM}")
    wait_for_markers(page)
    events = page.locator(".na-events").first
    events.wait_for(timeout=60_000)
    text = events.inner_text()
    assert "Movements" in text and "withdrawal" in text and "Russian" in text
    assert "2016-03-14" in text
    assert "Hmeymim airbase" in events.locator("blockquote b").all_text_contents()
