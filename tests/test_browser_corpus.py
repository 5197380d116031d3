"""The corpus view in a real browser (Debian's Chromium) with the network unreachable: the article
map's offline basemap under the corpus's places, the places named by their mentions, and a place
chosen from the list ringed and centred on."""

from __future__ import annotations

import re

import pytest

from geo.map.mapview import focus_zoom
from tests.browser import MAP_FRAME, ROOT, console_of, open_offline_page, require_chromium, running_app

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_corpus import write_corpus  # noqa: E402

SCREENSHOT = ROOT / "tests" / "screenshots" / "corpus-map.png"
HOMS = (34.72682, 36.72339)
ALEPPO = (36.20124, 37.16117)

#: What the corpus map shows: the offline basemap drawn (its detailed file loaded), the names
#: shown beside the places, the selected place's ring and name, the view's centre and zoom.
SHOWN_JS = """() => {
    const map = window.map;
    if (!map) { return null; }
    let detail = false;
    map.eachLayer(layer => {
        if (layer.naDetailTiming && layer.naDetailTiming.draw !== undefined) { detail = true; }
    });
    const labels = [...map.getContainer().querySelectorAll(".na-pin .na-label.na-on, .na-cluster .na-label.na-on")];
    const ring = map.getPane("naRing").querySelectorAll("path").length;
    const ringName = [...map.getContainer().querySelectorAll(".na-selected-label")].map(el => el.textContent);
    const c = map.getCenter();
    return {offline: map.naOffline === true, detail: detail, labels: labels.map(el => el.textContent),
            ring: ring, ringName: ringName, lat: c.lat, lng: c.lng, zoom: map.getZoom()};
}"""


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory):
    out = write_corpus(tmp_path_factory.mktemp("corpus"))
    with running_app(env={"NEWS_ATLAS_CORPUS": str(out)}) as url:
        yield url


def shown_when(page, wanted, what: str, timeout_s: float = 60) -> dict:
    """Poll the newest corpus map until ``wanted(shown)`` holds; return what it shows."""
    from playwright.sync_api import Error

    shown = None
    for _ in range(int(timeout_s * 4)):
        frames = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
        try:
            shown = frames[-1].evaluate(SHOWN_JS) if frames else None
        except Error:  # the map's frame is being replaced
            shown = None
        if shown and wanted(shown):
            return shown
        page.wait_for_timeout(250)
    raise AssertionError(f"the corpus map never showed {what}: {shown}\n{console_of(page)}")


def test_the_corpus_map_has_the_offline_basemap_named_places_and_rings_and_centres_a_chosen_one(browser, corpus_url):
    page = open_offline_page(browser, corpus_url, sidebar=False)
    page.get_by_text("Corpus:").first.wait_for(timeout=90_000)
    first = shown_when(
        page, lambda s: s["offline"] and s["detail"] and "Aleppo" in s["labels"], "its basemap and names"
    )
    assert "Homs" in first["labels"] and first["ring"] == 0, first  # nothing chosen yet: no ring
    # Chosen from the list: ringed, named by its ring, and the map centred on it at a city's zoom.
    page.locator("[data-testid='stSelectbox']").filter(has_text="Top places").click(timeout=30_000)
    page.get_by_role("option", name=re.compile(r"^Homs \(\d+\)$")).first.click(timeout=30_000)
    chosen = shown_when(
        page,
        lambda s: s["ring"] == 1 and s["ringName"] == ["Homs"] and s["zoom"] == focus_zoom("city"),
        "Homs ringed at a city's zoom",
    )
    assert abs(chosen["lat"] - HOMS[0]) < 0.01 and abs(chosen["lng"] - HOMS[1]) < 0.01, chosen
    page.get_by_role("heading", name="Homs").wait_for(timeout=30_000)  # its sentences beside the map
    page.wait_for_timeout(300)  # the canvas redraws on the next frame
    page.locator(MAP_FRAME).screenshot(path=str(SCREENSHOT))
    # Clicked on the map: Aleppo's own marker, looked at from farther out, is ringed and centred on.
    frame = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()][-1]
    at = frame.evaluate(
        """([lat, lng]) => new Promise(resolve => {
            window.map.closePopup();
            window.map.setView([lat, lng], 7, {animate: false});
            setTimeout(() => {
                let icon = null;
                window.map.eachLayer(layer => {
                    if (layer instanceof L.Marker && layer.naName === "Aleppo" && layer._icon) { icon = layer._icon; }
                });
                const box = icon && icon.querySelector("svg").getBoundingClientRect();
                resolve(box && [box.left + box.width / 2, box.top + box.height / 2]);
            }, 500);
        })""",
        list(ALEPPO),
    )
    assert at, f"Aleppo's marker is not drawn at zoom 7\n{console_of(page)}"
    corner = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(corner["x"] + at[0], corner["y"] + at[1])
    clicked = shown_when(
        page,
        lambda s: s["ringName"] == ["Aleppo"] and s["zoom"] == focus_zoom("city"),
        "Aleppo ringed at a city's zoom after its click",
    )
    assert abs(clicked["lat"] - ALEPPO[0]) < 0.01 and abs(clicked["lng"] - ALEPPO[1]) < 0.01, clicked
    page.get_by_role("heading", name="Aleppo").wait_for(timeout=30_000)
    page.context.close()
