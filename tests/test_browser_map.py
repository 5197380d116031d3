"""The map an analyst reads, in a real browser (Debian's Chromium) with the network unreachable:
every place clickable, areas drawn as areas, the view carried by the share link, online basemaps
that say they need a network, the sticky map column and the phone layout."""

from __future__ import annotations

import os
import time
import urllib.parse

import pytest

from tests.browser import MAP_FRAME, only_loopback, require_chromium, wait_for_markers

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_browser import SEED_PLACES, map_view, open_offline_page, selected_on_map, wait_for_places  # noqa: E402

SEED = "seed=Russia+withdraws+from+syria+2016"


def map_frame(page):
    """Return the map's frame (Playwright's Frame, for evaluating code in it)."""
    return page.frame(url=lambda u: "streamlit_folium" in u)


def query(page) -> dict[str, list[str]]:
    """Return the page address's query parameters."""
    return urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)


def wait_for_query(page, key: str, wanted, timeout_s: float = 30) -> dict[str, list[str]]:
    """Wait until the page's address has ``key`` and ``wanted(values)`` holds; return the query."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = query(page)
        if key in found and wanted(found[key]):
            return found
        page.wait_for_timeout(200)
    raise AssertionError(f"the address never had the wanted {key}: {page.url}")


#: The places of the seed's map: [place id, tooltip, lat, lng, kind] of every marker.
PLACES_JS = """() => {
    const found = [];
    window.map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach(m => {
                found.push([m.naId, m.naName, m.getLatLng().lat, m.getLatLng().lng, m.naKind]);
            });
        }
    });
    return found;
}"""

#: Centre the map on a place at a zoom; return a point (the frame's pixels) of its own marker's
#: symbol that nothing covers, or null when at that zoom it is inside a cluster bubble or covered.
DRAWN_AT_JS = """([id, zoom]) => new Promise(resolve => {
    let marker = null, group = null;
    window.map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach(m => { if (m.naId === id) { marker = m; group = layer; } });
        }
    });
    window.map.closePopup();
    window.map.setView(marker.getLatLng(), zoom, {animate: false});
    let last = null, tries = 0;
    function settled() {  // the clusters' animation over: the symbol where it was 150 ms before
        const icon = group.getVisibleParent(marker) === marker && marker._icon;
        const box = icon ? JSON.stringify(icon.getBoundingClientRect()) : "none";
        if (box !== last && ++tries < 25) { last = box; setTimeout(settled, 150); return; }
        if (!icon) { resolve(null); return; }
        // A point of its own symbol that no neighbour's covers, nearest its middle first: where a
        // reader would click a symbol partly under another.
        const rect = icon.querySelector("svg").getBoundingClientRect(), points = [];
        for (let i = 1; i < 8; i++) { for (let j = 1; j < 8; j++) { points.push([i / 8, j / 8]); } }
        points.sort((a, b) => Math.hypot(a[0] - .5, a[1] - .5) - Math.hypot(b[0] - .5, b[1] - .5));
        for (const [u, v] of points) {
            const x = rect.x + u * rect.width, y = rect.y + v * rect.height, hit = document.elementFromPoint(x, y);
            if (hit && hit.closest("svg") && icon.contains(hit)) { resolve([x, y]); return; }
        }
        resolve(null);
    }
    setTimeout(settled, 300);
})"""


def place_named(page, name: str) -> str:
    """Return the id of the place whose marker is named ``name``."""
    return next(p[0] for p in map_frame(page).evaluate(PLACES_JS) if p[1] == name)


def click_in_map(page, x: float, y: float) -> None:
    """Click with the mouse at (x, y) of the map's frame."""
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_every_place_of_the_seed_is_selected_by_a_click_at_some_zoom(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    places = map_frame(page).evaluate(PLACES_JS)
    assert len(places) >= len(SEED_PLACES)
    clicked = {}
    for place_id, name, _lat, _lng, kind in places:
        for zoom in (5, 7, 9, 11, 13, 15, 17):  # from far out in: the first zoom where its symbol is its own
            at = map_frame(page).evaluate(DRAWN_AT_JS, [place_id, zoom])
            if at is not None:
                break
        assert at is not None, f"{name} is inside a cluster or under another symbol at every zoom"
        click_in_map(page, *at)  # no other place, cluster or popup opened first
        wait_for_query(page, "place", lambda values, wanted=place_id: values == [wanted])
        selected_on_map(page, name)
        clicked[name] = (zoom, kind)
    print("each place clicked at:", clicked)
    assert {"Hmeymim Air Base", "Latakia", "Syria"} <= set(clicked)
    page.context.close()


def test_a_country_is_drawn_as_its_shape_under_the_points_and_clicking_it_selects_it(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    frame = map_frame(page)
    frame.evaluate("() => window.map.setView([58, 75], 3, {animate: false})")
    page.wait_for_timeout(500)
    shapes = frame.evaluate(
        """() => [...document.querySelectorAll('.na-area')].map(p => {
            const box = p.getBoundingClientRect();
            return [p.closest('.leaflet-pane').className, box.width, box.height, getComputedStyle(p).display];
        })"""
    )
    assert len(shapes) >= 2 and all("naAreas" in pane for pane, *_ in shapes)  # Syria and Russia at least
    assert max(w for _, w, _, _ in shapes) > 200  # Russia, drawn as an area, not a symbol
    panes = frame.evaluate(
        "() => ['naAreas', 'markerPane'].map(n => Number(getComputedStyle(window.map.getPane(n)).zIndex))"
    )
    assert panes[0] < panes[1]  # under the point places
    # Siberia, far from any marker: the click lands on Russia's shape.
    point = frame.evaluate("() => { const p = window.map.latLngToContainerPoint([62, 95]); return [p.x, p.y]; }")
    click_in_map(page, *point)
    wait_for_query(page, "place", lambda values: values and values[0].startswith("countryinfo:"))
    selected_on_map(page, "Russia")
    # Close in, the coarse shapes give way to the detailed coastline: the country is its label point.
    frame.evaluate("() => window.map.setView([35.4, 35.95], 9, {animate: false})")
    page.wait_for_timeout(400)
    assert frame.evaluate(
        "() => [...document.querySelectorAll('.na-area')].every(p => p.getBoundingClientRect().width === 0)"
    )
    page.context.close()


def test_a_shared_link_carries_and_reopens_the_view_and_online_basemaps_need_a_network(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    frame = map_frame(page)
    # Offline, the online basemaps leave the layer control, and a line there says they need a network.
    frame.wait_for_function("() => window.map.naOffline === true", timeout=15_000)
    frame.locator(".leaflet-control-layers").hover()
    rows = frame.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [row.strip() for row in rows] == ["Light (offline)", "Dark (offline)"], rows
    assert "need a network" in frame.locator(".na-offline-note").inner_text()
    assert frame.evaluate("() => window.map.naOffline && !document.querySelector('.leaflet-tile-container img')")
    # The user's view: the dark offline map, zoomed on Tartus, Latakia selected.
    frame.get_by_text("Dark (offline)").click()
    page.mouse.move(5, 5)  # off the map: the layer control folds away
    latakia = frame.evaluate(DRAWN_AT_JS, [place_named(page, "Latakia"), 10])
    click_in_map(page, *latakia)
    selected_on_map(page, "Latakia")
    shared = wait_for_query(page, "base", lambda values: values == ["offline-dark"])
    shared = wait_for_query(page, "view", lambda values: values[0].endswith(",10"))
    lat, lng, zoom = (float(x) for x in shared["view"][0].split(","))
    assert abs(lat - 35.549) < 0.01 and abs(lng - 36.006) < 0.01 and zoom == 10  # the governorate's point
    link = page.url
    page.context.close()
    # The copied link, opened in a new browser session.
    page = open_offline_page(browser, link)
    wait_for_markers(page)
    selected_on_map(page, "Latakia")
    page.wait_for_timeout(1000)
    lat2, lng2, zoom2 = map_view(page)
    assert abs(lat2 - lat) < 1e-4 and abs(lng2 - lng) < 1e-4 and zoom2 == zoom
    frame = map_frame(page)
    assert frame.evaluate(
        """() => [...document.querySelectorAll('.leaflet-control-layers-base label')]
            .filter(l => l.querySelector('input').checked).map(l => l.textContent.trim())"""
    ) == ["Dark (offline)"]
    assert "Latakia" in page.locator("[data-testid='stMainBlockContainer']").inner_text()
    # A link with a malformed view opens as if it had none: the places fitted, no error.
    page.goto(f"{app_url}/?{SEED}&view=nan%2C999%2Cx&base=%3Cscript%3E")
    wait_for_markers(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def test_a_link_to_a_place_opens_the_map_framed_on_it(browser, app_url):
    # ?place= alone: the place is selected and the map framed on it (Syria's whole shape), not on
    # every place of the seed; with ?view= as well, the view given wins (the test above).
    page = open_offline_page(browser, f"{app_url}/?{SEED}&place=countryinfo%3A163843")
    wait_for_markers(page)
    selected_on_map(page, "Syria")
    deadline = time.monotonic() + 20
    lat, lng, zoom = map_view(page)
    while not (32 < lat < 37.5 and 35.5 < lng < 42.5 and zoom >= 5) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        lat, lng, zoom = map_view(page)
    assert 32 < lat < 37.5 and 35.5 < lng < 42.5, (lat, lng)  # the centre in Syria
    assert zoom >= 5, zoom  # Syria fills the map; the seed's places reach Geneva and Moscow
    page.context.close()


def test_the_map_stays_in_view_while_the_reading_pane_scrolls_and_no_deploy_button(browser, app_url):
    # A window shorter than the reading pane (narrow beside the map and the open sidebar): the map,
    # as tall as the window allows, stays in it.
    page = open_offline_page(browser, f"{app_url}/?{SEED}&place=countryinfo%3A163843", viewport=(1024, 700))
    wait_for_markers(page)
    selected_on_map(page, "Syria")
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Hmeymim airbase", exact=False).first.wait_for(timeout=30_000)
    before = page.locator(MAP_FRAME).bounding_box()
    height = page.viewport_size["height"]
    # The columns' row is as tall as the reading pane: scroll the page by most of what the pane
    # has beyond the map (the map may stay only while the row is on the page).
    row, column = page.evaluate(
        """() => {
            const map = document.querySelector('.st-key-na_map');
            return [map.closest('[data-testid="stHorizontalBlock"]').getBoundingClientRect().height,
                    map.closest('[data-testid="stColumn"]').getBoundingClientRect().height];
        }"""
    )
    # The map's column (the map, the timeline under it) stays while the row goes on below it.
    distance = min(1600, row - max(column, before["height"]) - 100)
    assert distance > 250, f"the columns' row ({row} px with the map) leaves the map no room to stay"
    # The page scrolled by as much as the row allows (the reading pane may also scroll in a box of
    # its own; the map must stay on screen either way).
    page.evaluate("(d) => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, d)", distance)
    page.wait_for_timeout(500)
    scrolled = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    after = page.locator(MAP_FRAME).bounding_box()
    assert scrolled >= distance - 5  # the page scrolled
    assert after["y"] >= 0 and after["y"] + after["height"] <= height  # the map did not leave the screen
    assert page.get_by_role("button", name="Deploy").count() == 0  # client.toolbarMode = "viewer"
    page.context.close()


def test_the_phone_layout_a_short_map_a_readable_popup_and_the_page_scrolls(browser, app_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.route("**/*", only_loopback)
    page = context.new_page()
    page.goto(f"{app_url}/?{SEED}")
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    iframe = page.locator(MAP_FRAME)
    box = iframe.bounding_box()
    assert box["width"] <= 390 and 300 <= box["height"] <= 400  # shorter than the desktop's 540
    frame = map_frame(page)
    # One finger scrolls the page, not the map: Leaflet does not drag, the browser may pan.
    assert frame.evaluate("() => window.map.dragging.enabled()") is False
    assert "pan-y" in frame.evaluate("() => getComputedStyle(window.map.getContainer()).touchAction")
    # A one-finger swipe up on the map scrolls the page, and leaves the map where it was.
    view = map_view(page)
    scroll_top = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
    before = page.evaluate(scroll_top)
    touch = context.new_cdp_session(page)  # real touch events, through the browser's input pipeline
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * step}]})
        page.wait_for_timeout(16)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    assert page.evaluate(scroll_top) > before + 100
    assert map_view(page) == view
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.wait_for_timeout(300)
    box = iframe.bounding_box()
    # A tap on Geneva: the popup fits the map and leaves the zoom buttons free.
    at = frame.evaluate(DRAWN_AT_JS, [place_named(page, "Geneva"), 9])
    page.touchscreen.tap(box["x"] + at[0], box["y"] + at[1])
    selected_on_map(page, "Geneva")
    popup = frame.locator(".leaflet-popup-content-wrapper")
    popup.wait_for(timeout=10_000)
    page.wait_for_timeout(800)  # the popup's pan into view
    inner = popup.bounding_box()
    frame_box = iframe.bounding_box()
    assert frame_box["x"] <= inner["x"] and inner["x"] + inner["width"] <= frame_box["x"] + frame_box["width"]
    assert frame_box["y"] <= inner["y"] and inner["y"] + inner["height"] <= frame_box["y"] + frame_box["height"]
    text = popup.inner_text()
    assert "Geneva" in text and "venue" in text and "mention" in text
    font = frame.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.na-popup')).fontSize)")
    assert font >= 12
    for control in (".leaflet-control-zoom", ".na-fullscreen"):
        button = frame.locator(control).bounding_box()
        apart = (
            inner["x"] >= button["x"] + button["width"]
            or inner["y"] >= button["y"] + button["height"]
            or inner["y"] + inner["height"] <= button["y"]
        )
        assert apart, f"the popup covers {control}"
    # The reading pane follows the map, and a cue under the map says so.
    cue = page.locator(".st-key-na_below")
    assert cue.is_visible() and "Geneva" in cue.inner_text() and "below" in cue.inner_text()
    reading = page.locator("[data-testid='stMainBlockContainer']").get_by_text("Geneva", exact=False).last
    assert reading.bounding_box()["y"] > frame_box["y"] + frame_box["height"]
    page.screenshot(path=str(os.path.join(os.path.dirname(__file__), "screenshots", "phone-popup.png")))
    context.close()
