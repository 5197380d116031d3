"""The map read at a glance (issue #27, items 3-5), measured from the page in a real browser
(Debian's Chromium) with the network unreachable: names at theatre zoom with no two labels
overlapping, cluster bubbles apart at the world view, a map that takes the room at three sizes
with nothing covering its markers, and a filter that frames the places it leaves."""

from __future__ import annotations

import time

import pytest

from tests.browser import MAP_FRAME, ROOT, only_loopback, require_chromium, wait_for_markers

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_browser import SEED_PLACES, marker_names, open_offline_page, wait_for_places  # noqa: E402
from tests.test_browser_map import PLACES_JS, map_frame  # noqa: E402

SCREENSHOTS = ROOT / "tests" / "screenshots"

#: Look at (lat, lng) at ``zoom``, lay the map out once it settled; return what is drawn, in the
#: frame's pixels: every label shown [text, box], every symbol [name, kind, box], every bubble's
#: box, and the places whose spot is on the screen [name, kind].
DRAWN_JS = """([lat, lng, zoom]) => new Promise(resolve => {
    window.map.closePopup();
    window.map.setView([lat, lng], zoom, {animate: false});
    setTimeout(() => {
        window.map.naLayout();
        const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const shown = e => getComputedStyle(e).display !== "none" && e.getBoundingClientRect().width > 0;
        const labels = [...document.querySelectorAll(".na-label, .na-selected-label")].filter(shown)
            .map(e => [e.textContent, box(e)]);
        const symbols = [...document.querySelectorAll(".na-pin")].map(e => [e.textContent, e.className, box(e)]);
        const bubbles = [...document.querySelectorAll(".na-cluster")].map(e => box(e.querySelector(".na-bubble")));
        const bounds = window.map.getBounds(), places = [];
        window.map.eachLayer(layer => {
            if (layer instanceof L.MarkerClusterGroup) {
                layer.getLayers().forEach(m => {
                    if (bounds.contains(m.getLatLng())) { places.push([m.naName, m.naKind]); }
                });
            }
        });
        resolve({labels, symbols, bubbles, places});
    }, 900);
})"""


def overlapping(boxes, slack: float = 0.5):
    """Return the pairs of boxes [left, top, right, bottom] that overlap by more than ``slack`` px."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack:
                found.append((a, b))
    return found


def reader_page(browser, app_url, width=1400, height=900, *, phone=False):
    """Return the page as a reader first sees it at ``width`` × ``height`` (sidebar folded)."""
    if phone:
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.goto(app_url)
    else:
        page = open_offline_page(browser, app_url, sidebar=False, viewport=(width, height))
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    return page


def test_at_theatre_zoom_every_base_city_and_venue_is_named_and_no_two_labels_overlap(browser, app_url):
    page = reader_page(browser, app_url)
    frame = map_frame(page)
    places = frame.evaluate(PLACES_JS)
    points = [p for p in places if p[4] in ("base", "city", "venue")]
    assert len(points) >= 5  # Hmeymim, Tartus, the Kremlin, Moscow, Geneva, New York
    named_at = {}
    for _id, name, lat, lng, _kind in points:  # zoom 6 over each of them: the theatre around it
        drawn = frame.evaluate(DRAWN_JS, [lat, lng, 6])
        texts = [text for text, _ in drawn["labels"]]
        assert not overlapping([b for _, b in drawn["labels"]]), f"labels overlap over {name}: {drawn['labels']}"
        for shown, kind in drawn["places"]:
            if kind in ("base", "city", "venue"):
                assert any(shown in text for text in texts), f"{shown} unnamed at zoom 6 over {name}: {texts}"
        named_at[name] = texts
        # Symbols apart: a region's square is not under a base's triangle.
        assert not overlapping([b for *_, b in drawn["symbols"]], slack=2), drawn["symbols"]
    # Over Syria: Hmeymim Air Base, Tartus and Latakia are named. At zoom 6 the base and the
    # square of Latakia (4.5 km apart, 2 px) are one spot, a bubble named after both; from zoom 7
    # the square is drawn clear of the base's triangle.
    for zoom in (6, 7, 8):
        drawn = frame.evaluate(DRAWN_JS, [35.1, 36.6, zoom])
        texts = " | ".join(text for text, _ in drawn["labels"])
        assert all(name in texts for name in ("Hmeymim Air Base", "Tartus", "Latakia")), texts
        if zoom == 6:
            continue
        by_name = {name: box for name, _, box in drawn["symbols"]}  # a symbol's text is its label's
        assert "Hmeymim Air Base" in by_name and "Latakia" in by_name, drawn["symbols"]
        assert not overlapping([by_name["Hmeymim Air Base"], by_name["Latakia"]], slack=2), drawn["symbols"]
    page.screenshot(path=str(SCREENSHOTS / "theatre-zoom6.png"))
    print("labels at zoom 6:", named_at)
    page.context.close()


def test_at_the_world_view_no_two_cluster_bubbles_overlap(browser, app_url):
    page = reader_page(browser, app_url)
    frame = map_frame(page)
    seen = 0
    for lat, lng, zoom in ((40, 20, 2), (30, 0, 1), (45, 30, 3)):
        drawn = frame.evaluate(DRAWN_JS, [lat, lng, zoom])
        seen += len(drawn["bubbles"])
        assert not overlapping(drawn["bubbles"]), f"bubbles overlap at zoom {zoom}: {drawn['bubbles']}"
        assert not overlapping([b for _, b in drawn["labels"]]), f"labels overlap at zoom {zoom}"
        # Nor a bubble over a symbol.
        assert not overlapping(drawn["bubbles"] + [b for *_, b in drawn["symbols"]], slack=2)
    assert seen >= 2  # the world view has bubbles to keep apart (Syria's four places, Moscow's two)
    page.context.close()


@pytest.mark.parametrize(("width", "height", "phone"), [(1400, 900, False), (1024, 768, False), (390, 844, True)])
def test_the_map_takes_the_room_and_nothing_covers_its_markers(browser, app_url, width, height, phone):
    page = reader_page(browser, app_url, width, height, phone=phone)
    page.wait_for_timeout(1500)  # the page settles its columns; the map frames the places again
    box = page.locator(MAP_FRAME).bounding_box()
    if phone:
        assert box["x"] <= 0.5 and box["width"] >= width - 1  # edge to edge
    else:
        assert box["width"] >= 0.6 * width, box
        assert box["height"] >= 540
    assert box["y"] <= (200 if phone else 160), box  # a title and a line above it, no blank space
    frame = map_frame(page)
    drawn = frame.evaluate(
        """() => {
            const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            return {legend: box(document.querySelector(".na-legend")),
                    folded: document.querySelector(".na-legend").classList.contains("na-folded"),
                    marks: [...document.querySelectorAll(".na-pin svg, .na-bubble")].map(box),
                    size: [window.map.getSize().x, window.map.getSize().y]};
        }"""
    )
    assert drawn["marks"]
    assert drawn["folded"] is phone  # a phone's key is one small button
    for mark in drawn["marks"]:
        assert not overlapping([drawn["legend"], mark], slack=0), f"the key covers a marker: {mark}"
    if phone:  # the page as a reader first sees it on a phone, the key folded
        page.screenshot(path=str(SCREENSHOTS / f"seed-map-{width}.png"))
        frame.locator(".na-legend-toggle").tap()
        page.wait_for_timeout(300)
        assert frame.locator(".na-legend").get_attribute("class").count("na-folded") == 0
    # Offline, the layer control lists what can be chosen: no online basemap, a line says why.
    frame.wait_for_function("() => window.map.naOffline === true", timeout=15_000)
    if not phone:
        frame.locator(".leaflet-control-layers").hover()
        page.wait_for_timeout(300)
        bases = frame.locator(".leaflet-control-layers-base label").all_inner_texts()
        assert bases and not [b for b in bases if "online" in b], bases
        assert "need a network" in frame.locator(".na-offline-note").inner_text()
        control = frame.locator(".leaflet-control-layers").bounding_box()
        assert control["height"] * control["width"] < 0.25 * drawn["size"][0] * drawn["size"][1]
        page.mouse.move(1, 1)
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"seed-map-{width}.png"))
    page.context.close()


def test_a_filter_to_one_country_frames_its_places_and_a_button_frames_them_again(browser, app_url):
    page = open_offline_page(browser, app_url, viewport=(1400, 900))
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    frame = map_frame(page)
    world = frame.evaluate("() => window.map.getZoom()")
    assert world <= 3
    countries = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']", has_text="Countries")
    countries.locator("input").click()
    page.keyboard.type("Syria")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        names = marker_names(page) or []
        if names and not any("Russia" in n or "Geneva" in n for n in names):
            break
        page.wait_for_timeout(100)
    assert names and all("Russia" not in n for n in names), names

    def framed() -> tuple[int, bool]:
        return tuple(
            frame.evaluate(
                """() => {
                    const b = window.map.getBounds(), inside = [];
                    window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) {
                        l.getLayers().forEach(m => inside.push(b.contains(m.getLatLng()))); } });
                    return [window.map.getZoom(), inside.length > 0 && inside.every(Boolean)];
                }"""
            )
        )

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and framed()[0] < 5:
        page.wait_for_timeout(100)
    zoom, all_in = framed()
    assert zoom >= 5 and all_in, (world, zoom)  # Syria framed, its places all on the screen
    # The reader's own view is kept: closer in on Tartus, a filter that leaves Tartus on the screen
    # does not move the map.
    frame.evaluate("() => window.map.setView([34.889, 35.886], 9, {animate: false})")
    page.wait_for_timeout(1500)  # the view's report and its rerun
    before = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Remove country").first.click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any("· country" in n for n in marker_names(page) or ["· country"]):
        page.wait_for_timeout(100)
    page.wait_for_timeout(800)
    after = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert after == before
    # "Zoom to the places shown" frames them again.
    frame.get_by_role("button", name="Zoom to the places shown").click()
    page.wait_for_timeout(1200)
    zoom, all_in = framed()
    assert all_in and zoom < 9
    page.context.close()
