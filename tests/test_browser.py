"""The app in a real browser (Debian's Chromium), with the network unreachable."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from geo.map.mapview import focus_zoom
from tests.browser import (
    MAP_FRAME,
    ROOT,
    console_of,
    open_offline_page,
    require_chromium,
    running_app,
    wait_for_markers,
)

pytestmark = pytest.mark.browser

require_chromium()

HOSTILE = (
    'Rockets hit Aleppo <img src=x onerror="window.pwned=1;parent.pwned=1"> and '
    "<script>window.pwned=2;parent.pwned=2</script> `${window.pwned=3}` C:\\temp\\ </script> today. "
    "Talks on Aleppo continue in Vienna."
)


MARKERS_JS = """() => {
    const markers = [];
    window.map.eachLayer(layer => {
        if (layer instanceof L.MarkerClusterGroup) { markers.push(...layer.getLayers().map(m => [layer, m])); }
    });
    return markers;
}"""


#: Places of the seed article the map must show (by a word of the marker's tooltip), whatever else
#: a better resolver adds.
SEED_PLACES = ("Hmeymim", "Kremlin", "Geneva", "Moscow", "Syria", "Latakia", "Russia", "New York")


def marker_names(page) -> list[str] | None:
    """Return the tooltip of every place marker the map holds, clustered or not (None between maps)."""
    from playwright.sync_api import Error

    # The newest map: while the page reruns, the map being replaced may still stand before it.
    maps = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
    if not maps:  # between two maps
        return None
    frame = maps[-1]
    try:
        return frame.evaluate(
            f"window.map && window.L ? ({MARKERS_JS})().map(([g, m]) => String(m.getTooltip().getContent())) : null"
        )
    except Error:  # the map's frame was replaced while it was read: between two maps too
        return None


def missing_places(names: list[str] | None, wanted) -> list[str]:
    """Return the wanted places no marker's tooltip names."""
    return [w for w in wanted if not any(w in name for name in names or ())]


def wait_for_places(page, wanted, timeout_s: float = 60) -> list[str]:
    """Wait until the map (which may be replaced meanwhile) has a marker for each wanted place;
    return every marker's tooltip."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout_s
    names = None
    while time.monotonic() < deadline:
        try:
            names = marker_names(page)
        except Error:  # the map's frame is being replaced
            names = None
        if names and not missing_places(names, wanted):
            return names
        page.wait_for_timeout(250)
    raise AssertionError(
        f"no marker for {missing_places(names, wanted)} (the map shows {names}); console:\n{console_of(page)}"
    )


def marker_named(page, name: str, zoom: int = 10):
    """Bring the marker whose tooltip names ``name`` out of its cluster, centred; return its icon."""
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    found = frame.evaluate(
        f"""([name, zoom]) => new Promise(resolve => {{
            for (const [group, marker] of ({MARKERS_JS})()) {{
                const tip = marker.getTooltip && marker.getTooltip();
                if (tip && String(tip.getContent()).includes(name)) {{
                    window.map.setView(marker.getLatLng(), zoom, {{animate: false}});
                    group.zoomToShowLayer(marker, () => {{
                        marker.setZIndexOffset(10000);  // above any neighbour it overlaps
                        marker._icon.setAttribute("data-test-place", name);
                        resolve(true);
                    }});
                    return;
                }}
            }}
            resolve(false);
        }})""",
        [name, zoom],
    )
    assert found, f"no marker for {name}"
    page.wait_for_timeout(500)  # let the map settle on its new view
    return page.frame_locator(MAP_FRAME).locator(f"[data-test-place='{name}']")


def test_seed_map_draws_offline_and_a_click_shows_the_context(browser, app_url):
    page = open_offline_page(browser, app_url)
    frame = wait_for_markers(page)
    names = wait_for_places(page, SEED_PLACES)  # every seed place, some in a cluster at this zoom
    assert len(names) == len(set(names))  # one marker a place
    assert frame.locator(".na-cluster").count() >= 1  # Syria, Latakia, Tartus, Hmeymim crowd together
    assert frame.locator(".na-legend").is_visible()
    # With no tiles reachable the map switches to the offline outlines by itself.
    frame.locator("path.leaflet-interactive, svg path").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1500)  # the page's screenshots at three sizes: tests/test_browser_readable.py
    marker_named(page, "Hmeymim").click()
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Hmeymim airbase", exact=False).first.wait_for(timeout=30_000)
    context = main.inner_text()
    assert "Hmeymim Air Base" in context
    assert "the Hmeymim airbase in Syria's Latakia province" in " ".join(context.split())
    # The watch beside the map stays quiet when the map drew (it looks 12 s after each rerun).
    page.wait_for_timeout(13_000)
    assert main.get_by_text("The map could not be drawn", exact=False).count() == 0
    page.context.close()


def test_hostile_article_text_stays_inert(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    page.get_by_placeholder("Paste news text here…").fill(HOSTILE)
    page.keyboard.press("Control+Enter")
    frame = page.frame_locator(MAP_FRAME)
    wait_for_places(page, (*SEED_PLACES, "Aleppo", "Vienna"))  # the seed's places and the pasted text's
    marker_named(page, "Aleppo").click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "Aleppo" in popup.inner_text()  # the popup is short: the excerpts are in the reading pane
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Rockets hit", exact=False).first.wait_for(timeout=30_000)  # the context panel
    panel = main.inner_text()
    assert "<script>window.pwned=2;parent.pwned=2</script>" in panel
    article = main.locator(".na-article")  # the reading pane shows the pasted article, which names Aleppo
    article.first.wait_for(timeout=30_000)
    assert "<img src=x onerror=" in article.first.inner_text()  # shown, not run
    assert "`${window.pwned=3}`" in article.first.inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.pwned") is None
    assert page.frame(url=lambda u: "streamlit_folium" in u).evaluate("() => window.pwned") is None
    page.context.close()


def test_bad_uploads_get_messages_and_the_seed_stays(browser, app_url, tmp_path):
    files = {
        "empty.txt": b"",
        # About 5 MB: over server.maxUploadSize (2), so the browser stops it and says so in the uploader.
        "huge.txt": b"Troops moved towards Aleppo. " * 180_000,
        "binary.txt": bytes(range(256)) * 40,
        "latin1.txt": "Les troupes ont quitté Alep et Homs.".encode("latin-1"),
        "menu.html": b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>",
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(paths)
    sidebar = page.locator("[data-testid='stSidebar']")
    for words in (
        "empty.txt is empty",
        "File must be",
        "binary.txt looks like a binary file",
        "latin1.txt is not UTF-8",
        "menu.html has no article text",
    ):
        sidebar.get_by_text(words, exact=False).first.wait_for(timeout=30_000)
    names = wait_for_places(page, SEED_PLACES)  # the seed is still mapped
    assert missing_places(names, ["Alep", "Homs"]) == ["Alep", "Homs"]  # nothing of the rejected files
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def test_a_table_row_focuses_the_map_and_exports_download(browser, app_url, tmp_path):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    # The table is a canvas grid: its rows are chosen by clicking the row's checkbox cell.
    grid = page.locator("[data-testid='stDataFrame']")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row_height = 35
    page.mouse.click(box["x"] + 18, box["y"] + row_height * 1.5 + row_height * 7)  # the 8th row: Hmeymim
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_role("heading", name="Hmeymim Air Base").wait_for(timeout=30_000)
    centre = wait_for_view(page, lambda v: abs(v[0] - 35.40) < 0.5 and abs(v[1] - 35.95) < 0.5)
    assert centre[2] == focus_zoom("base"), centre
    marks = main.locator(".na-article mark")
    marks.first.wait_for(timeout=30_000)
    assert marks.count() >= 30
    # Clicking a highlighted mention (Geneva) selects that place and focuses the map on it.
    main.locator(".na-article mark", has_text="Geneva").first.click()
    main.get_by_role("heading", name="Geneva").wait_for(timeout=30_000)
    wait_for_view(page, lambda v: abs(v[0] - 46.20) < 0.5 and abs(v[1] - 6.15) < 0.5)
    with page.expect_download() as download:
        main.get_by_role("button", name="GeoJSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    exported = [feature["properties"]["name"] for feature in data["features"]]
    assert not missing_places(exported, SEED_PLACES) and len(exported) == len(set(exported))
    page.context.close()


def test_a_map_that_cannot_load_says_so_in_words(browser):
    # Static serving off: the scripts can come only from the CDN, which this browser cannot reach.
    with running_app(options=("--server.enableStaticServing", "false")) as url:
        page = open_offline_page(browser, url)
        main = page.locator("[data-testid='stMainBlockContainer']")
        main.get_by_text("scripts load from the internet here", exact=False).wait_for(timeout=60_000)
        main.get_by_text("The map could not be drawn: its scripts did not load", exact=False).wait_for(timeout=30_000)
        assert page.locator("[data-testid='stDataFrame']").count() == 1  # the places are still listed
        page.context.close()


def wait_for_view(page, wanted, seconds: float = 15) -> tuple[float, float, float]:
    """Return the map's view once ``wanted(view)`` holds; fail with the last view after ``seconds``.

    The view moves when the browser has applied the run's focus, which a loaded machine can delay
    by more than a second: the test asks for the view the app promises, not for a timing.
    """
    deadline = time.monotonic() + seconds
    view = map_view(page)
    while not wanted(view):
        assert time.monotonic() < deadline, f"the map stayed at {view}"
        page.wait_for_timeout(250)
        view = map_view(page)
    return view


def map_view(page) -> tuple[float, float, float]:
    """Return the map's centre (lat, lng) and zoom."""
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    return tuple(frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"))


def click_at(page, lat: float, lng: float, zoom: int) -> None:
    """Centre the map on (lat, lng) at ``zoom``, then click with the mouse where that point is drawn."""
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    point = frame.evaluate(
        """([lat, lng, zoom]) => {
            window.map.setView([lat, lng], zoom, {animate: false});
            const p = window.map.latLngToContainerPoint([lat, lng]);
            return [p.x, p.y];
        }""",
        [lat, lng, zoom],
    )
    page.wait_for_timeout(600)  # markers redrawn for the new zoom
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def click_symbol(page, name: str, zoom: int) -> None:
    """Look at the place named ``name`` at ``zoom``, then click with the mouse on its symbol where
    it is drawn (moved off its spot when a neighbour's symbol would cover it), as a reader does."""
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    frame.evaluate(
        f"""([name, zoom]) => {{
            for (const [group, marker] of ({MARKERS_JS})()) {{
                if (marker.naName === name) {{ window.map.setView(marker.getLatLng(), zoom, {{animate: false}}); }}
            }}
        }}""",
        [name, zoom],
    )
    page.wait_for_timeout(900)  # markers redrawn for the new zoom, and laid out
    point = frame.evaluate(
        f"""(name) => {{
            window.map.naLayout();
            for (const [group, marker] of ({MARKERS_JS})()) {{
                if (marker.naName === name && marker._icon) {{
                    const r = marker._icon.querySelector("svg").getBoundingClientRect();
                    return [r.x + r.width / 2, r.y + r.height * 0.6];
                }}
            }}
            return null;
        }}""",
        name,
    )
    assert point is not None, f"{name} has no symbol of its own at zoom {zoom}"
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def selected_on_map(page, name: str, timeout_s: float = 30) -> None:
    """Wait until the map rings and names the selected place ``name``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        frame = page.frame(url=lambda u: "streamlit_folium" in u)
        labels = (
            frame.evaluate("() => [...document.querySelectorAll('.na-selected-label')].map(e => e.textContent)")
            if frame
            else []
        )
        if labels == [name]:
            page.wait_for_timeout(300)  # its popup opened, the map settled
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the map does not mark {name} as selected (it marks {labels})")


def test_a_click_on_the_base_selects_it_enter_selects_and_a_filter_keeps_the_view(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_markers(page)
    wait_for_places(page, SEED_PLACES)
    main = page.locator("[data-testid='stMainBlockContainer']")
    latakia = (35.549, 36.006)  # the governorate's point; Hmeymim Air Base is 17 km away
    for zoom in (7, 9):
        click_at(page, *latakia, 12)  # select Latakia first, so that the base's click is a change
        main.get_by_role("heading", name="Latakia").wait_for(timeout=30_000)
        selected_on_map(page, "Latakia")
        click_symbol(page, "Hmeymim Air Base", zoom)  # drawn clear of Latakia's square
        main.get_by_role("heading", name="Hmeymim Air Base").wait_for(timeout=30_000)
        selected_on_map(page, "Hmeymim Air Base")
    # Enter on a focused marker selects it, as a click does.
    geneva = marker_named(page, "Geneva")
    geneva.focus()
    page.keyboard.press("Enter")
    main.get_by_role("heading", name="Geneva").wait_for(timeout=30_000)
    selected_on_map(page, "Geneva")
    before = map_view(page)
    # A filter (no countries) redraws the markers, not the map: the view stays.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Remove country").first.click()
    started = time.monotonic()
    deadline = started + 30
    while time.monotonic() < deadline:
        names = marker_names(page) or []
        if names and not any("· country" in n for n in names):
            break
        page.wait_for_timeout(50)
    print(f"filter change to updated markers: {time.monotonic() - started:.2f} s")
    assert names and not any("· country" in n for n in names) and "Syria · country" not in names
    page.wait_for_timeout(1000)
    after = map_view(page)
    assert abs(after[0] - before[0]) < 1e-6 and abs(after[1] - before[1]) < 1e-6 and after[2] == before[2]
    # The offline basemap at zoom 9 on Tartus: its coastline, and Tartus on land.
    frame = page.frame(url=lambda u: "streamlit_folium" in u)
    frame.evaluate("() => window.map.setView([34.889, 35.886], 9, {animate: false})")
    page.wait_for_timeout(800)  # the canvas redraws on the next frames
    tartus = frame.evaluate(
        """() => {
            const canvas = window.map.getPane("overlayPane").querySelector("canvas");
            const at = window.map.latLngToLayerPoint([34.889, 35.886]), corner = L.DomUtil.getPosition(canvas);
            const ratio = canvas.width / canvas.offsetWidth;
            const x = Math.round((at.x - corner.x) * ratio), y = Math.round((at.y - corner.y) * ratio);
            return Array.from(canvas.getContext("2d").getImageData(x, y, 1, 1).data);
        }"""
    )
    assert tartus[:3] == [243, 240, 232], tartus  # the land's colour where the city is
    page.locator(MAP_FRAME).screenshot(path=str(ROOT / "tests" / "screenshots" / "tartus-zoom9.png"))
    page.context.close()
