"""The reader's layers in a real browser (Debian's Chromium) with the network unreachable: a layer
file imported through the sidebar is drawn on the map as its own overlay in the layer control, its
features' popups show their labels as text, and a hostile file is refused with one sentence."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser import ROOT, console_of, require_chromium

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_browser import SEED_PLACES, open_offline_page, wait_for_places  # noqa: E402

SCREENSHOT = ROOT / "tests" / "screenshots" / "reader-layer.png"
#: Checkpoints near Latakia and Tartus, one label a script.
LAYER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [35.95, 35.45]},
            "properties": {"name": "Checkpoint <img src=x onerror=window.pwned=1>", "note": "seen Tuesday"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [35.89, 34.89]},
            "properties": {"name": "Tartus road block", "date": "2020-02-11"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[35.95, 35.45], [35.89, 34.89]]},
            "properties": {"name": "Coast road"},
        },
    ],
}

READER_LAYERS_JS = """() => {
    const map = window.map;
    if (!map || !map.naReaderLayers) { return null; }
    return map.naReaderLayers.map(g => [g.naName, g.getLayers().length, map.hasLayer(g)]);
}"""


def reader_layers(page, timeout_s: float = 60) -> list:
    """Wait until the newest map draws the reader's layers; return [name, features, shown] each."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        maps = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
        try:
            found = maps[-1].evaluate(READER_LAYERS_JS) if maps else None
        except Error:  # the map's frame replaced while it was read
            found = None
        if found:
            return found
        page.wait_for_timeout(500)  # the page's own clock: its events are handled meanwhile
    raise AssertionError(f"no reader's layers on the map; console: {console_of(page)}")


def test_an_imported_layer_is_drawn_as_its_own_overlay_and_a_hostile_file_is_refused(browser, app_url, tmp_path):
    good = tmp_path / "checkpoints.geojson"
    good.write_text(json.dumps(LAYER), encoding="utf-8")
    bad = tmp_path / "deep.geojson"
    bad.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")

    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    sidebar = page.locator("[data-testid='stSidebar']")
    uploader = sidebar.locator("[data-testid='stFileUploader']").filter(has_text="Import a layer")
    uploader.locator("input[type=file]").set_input_files(str(bad))
    sidebar.get_by_text("The layer cannot be imported", exact=False).first.wait_for(timeout=30_000)
    assert "nested more than" in sidebar.inner_text()

    uploader.locator("input[type=file]").set_input_files(str(good))
    sidebar.get_by_text("Imported the layer", exact=False).first.wait_for(timeout=30_000)
    layers = reader_layers(page)
    assert layers == [["checkpoints", 3, True]], layers
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    control = frame.locator(".leaflet-control-layers")
    control.hover()
    assert "checkpoints" in control.inner_text()  # its own switch in the layer control
    # The places stay on the map beside the layer.
    wait_for_places(page, SEED_PLACES)
    # A feature's popup shows its label and note as text.
    maps = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
    maps[-1].evaluate(
        "() => { const g = window.map.naReaderLayers[0]; window.map.setView([35.45, 35.95], 9);"
        " g.getLayers()[0].openPopup(); }"
    )
    popup = frame.locator(".na-layer-popup")
    popup.wait_for(timeout=10_000)
    said = popup.inner_text()
    assert "Checkpoint <img src=x onerror=window.pwned=1>" in said and "seen Tuesday" in said, console_of(page)
    assert maps[-1].evaluate("() => window.pwned") is None and page.evaluate("() => window.pwned") is None
    page.mouse.move(5, 5)  # the layer control folds away: the map and the popup in the picture
    maps[-1].evaluate("() => window.map.naReaderLayers[0].getLayers()[0].openPopup()")
    page.wait_for_timeout(800)  # the view's move settles before the picture
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    # Switched off in the layer control, it leaves the map.
    control.hover()
    control.locator("label", has_text="checkpoints").locator("input").uncheck()
    page.wait_for_timeout(500)
    assert maps[-1].evaluate("() => window.map.hasLayer(window.map.naReaderLayers[0])") is False
    page.context.close()


def test_the_drawing_toolbar_loads_offline_and_a_drawn_point_joins_the_drawn_layer(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Draw on the map").click()
    # The map is drawn anew with the toolbar (the old one may stand beside it for a moment).
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium'] >> nth=-1")
    frame.locator(".leaflet-draw-draw-marker").first.wait_for(timeout=60_000)  # Leaflet.draw, served by the app
    page.wait_for_timeout(3000)  # the new map settles (the old one leaves)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium'] >> nth=-1")
    # Draw a marker with the toolbar: its button, then a click on the map.
    frame.locator(".leaflet-draw-draw-marker").first.click()
    box = page.locator("iframe[title='streamlit_folium.st_folium']").last.bounding_box()
    assert box is not None
    # Leaflet.draw's marker follows the mouse: it moves there first, then clicks (away from the places).
    x, y = box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=5)
    page.mouse.click(x, y)
    layers = reader_layers(page)  # the map reported the drawing; the next run drew the "Drawn" layer
    assert layers[0][:2] == ["Drawn", 1], layers
    assert "Drawn · 1 features" in sidebar.inner_text()
    page.context.close()


def test_an_acled_style_csv_imports_as_a_layer_and_filters_by_date(browser, app_url, tmp_path):
    import csv
    import datetime
    import random

    rng = random.Random(28)
    rows = tmp_path / "acled-syria.csv"
    with rows.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["event_date", "event_type", "actor1", "location", "latitude", "longitude", "notes"])
        start = datetime.date(2024, 3, 1)
        for n in range(300):  # rows of our own making, as an ACLED export lays them out
            day = start + datetime.timedelta(days=n % 30)
            writer.writerow(
                [
                    day.strftime("%d %B %Y"),
                    rng.choice(["Battles", "Explosions/Remote violence", "Protests"]),
                    "Unidentified armed group",
                    f"Village {n}",
                    f"{rng.uniform(34.5, 36.5):.4f}",
                    f"{rng.uniform(35.8, 38.5):.4f}",
                    "Shelling reported.",
                ]
            )

    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    sidebar = page.locator("[data-testid='stSidebar']")
    uploader = sidebar.locator("[data-testid='stFileUploader']").filter(has_text="Import a layer")
    uploader.locator("input[type=file]").set_input_files(str(rows))
    sidebar.get_by_text("Imported the layer", exact=False).first.wait_for(timeout=60_000)
    layers = reader_layers(page)
    assert layers == [["acled-syria", 300, True]], layers
    # The layer's dates: its last day moved ten days back with the keyboard, as a reader would.
    end = sidebar.get_by_role("slider").last
    end.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(100)
    caption = sidebar.get_by_text("of 300 features shown", exact=False).first
    caption.wait_for(timeout=60_000)
    page.wait_for_timeout(3_000)  # keys pressed while the page reran settle
    for _ in range(60):
        said = int(caption.inner_text().split(" of ")[0].replace(",", ""))
        layers = reader_layers(page)
        if layers[0][1] == said:
            break
        page.wait_for_timeout(1_000)
    # Fewer days, fewer rows: whole days of ten rows each left out, the map and the sidebar agreeing.
    assert layers[0][0] == "acled-syria" and layers[0][1] == said < 300 and said % 10 == 0, (layers, said)
    page.context.close()
