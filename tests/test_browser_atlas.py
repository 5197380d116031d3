"""Atlases and publishing in a real browser (Debian's Chromium) with the network unreachable: the
share link opened in a fresh browser, an atlas file uploaded (and a hostile one refused), and the
HTML map opened from disk."""

from __future__ import annotations

import json

import pytest

from tests.browser import console_of, only_loopback, require_chromium

pytestmark = pytest.mark.browser

require_chromium()

from tests.test_browser import SEED_PLACES, open_offline_page, wait_for_places  # noqa: E402

PASTED = "Negotiators met again in Mombasa on Thursday, and a second round is planned in Dar es Salaam."


def test_the_share_link_reopens_a_pasted_article_in_a_fresh_browser(browser, app_url):
    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    page.get_by_placeholder("Paste news text here…").fill(PASTED)
    page.keyboard.press("Control+Enter")
    wait_for_places(page, (*SEED_PLACES, "Mombasa", "Dar es Salaam"))
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_label("Atlas name").fill("Ferry talks")
    sidebar.get_by_label("Atlas name").press("Enter")
    page.wait_for_timeout(1500)
    sidebar.get_by_role("button", name="Save and share").click()
    code = sidebar.locator("[data-testid='stCode'] code")
    code.first.wait_for(timeout=30_000)
    link = code.first.inner_text().strip()
    assert link.startswith(app_url) and "?atlas=" in link, link
    assert "2 articles (their text and details)" in sidebar.inner_text()
    page.context.close()

    fresh = open_offline_page(browser, link)  # a new context: no cookies, no session
    names = wait_for_places(fresh, (*SEED_PLACES, "Mombasa", "Dar es Salaam"), timeout_s=90)
    assert names
    main = fresh.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("Opened the atlas", exact=False).first.wait_for(timeout=30_000)
    assert fresh.locator("[data-testid='stSidebar']").get_by_label("Atlas name").input_value() == "Ferry talks"
    fresh.context.close()

    broken = open_offline_page(browser, f"{app_url}/?atlas=AAAAAAAAAAAAAAAAAAAAAA")
    wait_for_places(broken, SEED_PLACES, timeout_s=90)  # the page works as usual
    broken.locator("[data-testid='stMainBlockContainer']").get_by_text(
        "This atlas link cannot be opened", exact=False
    ).first.wait_for(timeout=30_000)
    broken.context.close()


def test_an_atlas_file_opens_by_upload_and_a_hostile_one_changes_nothing(browser, app_url, tmp_path):
    from geo.inputs.articles import Article
    from geo.outputs.atlas import Atlas, AtlasArticle, AtlasState, to_json

    good = tmp_path / "ferry.atlas.json"
    atlas = Atlas(
        "Ferry <script>window.pwned=1</script>",
        (AtlasArticle(Article("Ferry notes", PASTED, "pasted")),),
        AtlasState(colour_by="article"),
    )
    good.write_text(to_json(atlas), encoding="utf-8")
    bad = tmp_path / "bad.atlas.json"
    document = json.loads(to_json(atlas))
    document["version"] = 7
    bad.write_text(json.dumps(document), encoding="utf-8")

    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    sidebar = page.locator("[data-testid='stSidebar']")
    uploader = sidebar.locator("[data-testid='stFileUploader']").filter(has_text="Open an atlas file")
    uploader.locator("input[type=file]").set_input_files(str(bad))
    main = page.locator("[data-testid='stMainBlockContainer']")
    main.get_by_text("The atlas file cannot be opened", exact=False).first.wait_for(timeout=30_000)
    assert "version 7" in main.inner_text()
    wait_for_places(page, SEED_PLACES)  # what was loaded stays

    uploader.locator("input[type=file]").set_input_files(str(good))
    # Its article is parsed before the message is drawn: on a busy machine, a minute.
    main.get_by_text("Opened the atlas", exact=False).first.wait_for(timeout=90_000)
    names = wait_for_places(page, ("Mombasa", "Dar es Salaam"), timeout_s=90)
    assert not any("Hmeymim" in n for n in names)  # the atlas's articles only
    assert "Ferry <script>window.pwned=1</script>" in main.inner_text()  # the title shown as text
    assert page.evaluate("() => window.pwned") is None
    page.context.close()


def test_the_html_map_opens_from_disk_offline_and_its_markers_open_their_excerpts(browser, geoparser, tmp_path):
    from geo.inputs.metadata import ArticleMeta
    from geo.outputs.export import origins_of
    from geo.outputs.publish import to_html

    text = "Delegates met in Geneva <script>window.pwned=1</script> on Monday, then flew to Nairobi."
    result = geoparser.parse(text)
    meta = ArticleMeta("Talks resume", "Wire")
    origins = origins_of({"talks": result.mentions}, {"talks": meta}, ["talks"])
    path = tmp_path / "map.html"
    path.write_text(
        to_html(result.places, title="Ceasefire talks", origins=origins, sources=[("talks", meta)]), encoding="utf-8"
    )

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    # The network closed: the file itself is read from disk, any other request fails.
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else only_loopback(route)
    )
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.naReady === true", timeout=30_000)
    assert page.locator("h1").inner_text() == "Ceasefire talks"
    assert "base" in page.locator(".na-legend").inner_text()  # the legend
    assert "Talks resume · Wire" in page.locator("footer").inner_text()  # the source credited
    assert "GeoNames" in page.locator("footer").inner_text()
    page.locator(".leaflet-marker-icon[title='Geneva']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    said = popup.inner_text()
    assert "Geneva" in said and "Delegates met in Geneva <script>window.pwned=1</script>" in said, console_of(page)
    assert "Talks resume" in said
    assert page.evaluate("() => window.pwned") is None
    assert all(url.startswith("file://") for url in requests), requests  # nothing from the network
    page.screenshot(path=str(tmp_path / "published.png"))
    context.close()


def test_an_atlas_link_reopens_a_correction_a_drawn_area_the_view_and_the_selection(browser, app_url):
    """Issue 28's whole round: paste an article, correct a place, draw an area, select a place,
    save; the link in a fresh browser gives the same places, correction, area, view and selection."""
    import uuid

    from tests.test_browser_layers import reader_layers
    from tests.test_browser_reading import ARTICLE, PANE, choose_found, without

    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    # An article of this run's own (corrections are kept per article: a rerun starts afresh).
    page.get_by_placeholder("Paste news text here…").fill(f"{ARTICLE}\n\nFiled as {uuid.uuid4().hex[:8]}.")
    page.keyboard.press("Control+Enter")
    wait_for_places(page, ("Latakia", "Jablah"), timeout_s=90)
    # A correction: Jablah is no place.
    page.get_by_label("Find a place").fill("Jablah")
    page.keyboard.press("Enter")
    choose_found(page, "Jablah · city · SY · on the map")
    page.get_by_role("heading", name="Jablah").wait_for(timeout=60_000)
    page.get_by_role("button", name="Not a place: Jablah").click()
    for _ in range(60):
        page.wait_for_timeout(2_000)
        if without(page, "Jablah"):
            break
    assert without(page, "Jablah"), "Jablah's marker did not go"
    # An area drawn with the toolbar: three corners, then the first again to close it.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Draw on the map").click()
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium'] >> nth=-1")
    frame.locator(".leaflet-draw-draw-polygon").first.wait_for(timeout=60_000)
    page.wait_for_timeout(3000)  # the new map settles (the old one leaves)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium'] >> nth=-1")
    frame.locator(".leaflet-draw-draw-polygon").first.click()
    box = page.locator("iframe[title='streamlit_folium.st_folium']").last.bounding_box()
    assert box is not None
    for fx, fy in ((0.70, 0.20), (0.85, 0.20), (0.85, 0.35), (0.70, 0.20)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.mouse.move(x, y, steps=4)
        page.mouse.click(x, y)
        page.wait_for_timeout(400)
    layers = reader_layers(page)
    assert layers[0][:2] == ["Drawn", 1], layers
    # The selected place: Latakia, clicked in the article.
    page.locator(f"{PANE} mark", has_text="Latakia").first.click()
    page.get_by_role("heading", name="Latakia").wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # the map reports its view
    maps = [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
    centre = maps[-1].evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    sidebar.get_by_role("button", name="Save and share").click()
    code = sidebar.locator("[data-testid='stCode'] code")
    code.first.wait_for(timeout=30_000)
    link = code.first.inner_text().strip()
    said = sidebar.inner_text()
    assert "1 correction" in said and "1 layer" in said and "selected place" in said, said
    page.context.close()

    fresh = open_offline_page(browser, link)
    names = wait_for_places(fresh, (*SEED_PLACES, "Latakia"), timeout_s=90)
    assert not any("Jablah" in n for n in names), names  # the correction came with it
    fresh.get_by_role("heading", name="Latakia").wait_for(timeout=60_000)  # the selection
    layers = reader_layers(fresh)
    assert layers[0][:2] == ["Drawn", 1], layers  # the area
    maps = [f for f in fresh.frames if "streamlit_folium" in f.url and not f.is_detached()]
    shape = maps[-1].evaluate("() => window.map.naReaderLayers[0].toGeoJSON().features[0].geometry.type")
    assert shape == "Polygon", shape
    opened = maps[-1].evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(opened[0] - centre[0]) < 1.0 and abs(opened[1] - centre[1]) < 1.0, (opened, centre)
    fresh.context.close()


def test_a_downloaded_atlas_file_gives_the_same_map_on_a_fresh_server(browser, app_url, tmp_path):
    from tests.browser import ROOT, running_app

    page = open_offline_page(browser, app_url)
    wait_for_places(page, SEED_PLACES, timeout_s=90)
    page.get_by_placeholder("Paste news text here…").fill(PASTED)
    page.keyboard.press("Control+Enter")
    before = wait_for_places(page, (*SEED_PLACES, "Mombasa", "Dar es Salaam"))
    sidebar = page.locator("[data-testid='stSidebar']")
    page.wait_for_timeout(3_000)  # the run that drew the pasted article's places ends
    with page.expect_download(timeout=60_000) as download:
        sidebar.get_by_role("button", name="Download the atlas file").click()
    saved = tmp_path / "mine.atlas.json"
    download.value.save_as(saved)
    page.context.close()

    # Another server: its own cache folder (no parse results, no corrections), the same gazetteer.
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "gazetteer.sqlite").symlink_to(ROOT / "cache" / "gazetteer.sqlite")
    with running_app(env={"GEO_CACHE_DIR": str(cache)}) as other:
        fresh = open_offline_page(browser, other)
        wait_for_places(fresh, SEED_PLACES, timeout_s=120)
        fresh.wait_for_timeout(3_000)  # the first run ends
        uploader = fresh.locator("[data-testid='stSidebar'] [data-testid='stFileUploader']").filter(
            has_text="Open an atlas file"
        )
        uploader.locator("input[type=file]").set_input_files(str(saved))
        main = fresh.locator("[data-testid='stMainBlockContainer']")
        try:
            main.get_by_text("Opened the atlas", exact=False).first.wait_for(timeout=120_000)
        except Exception:  # say what the page shows instead
            raise AssertionError(
                main.inner_text()[:2000] + fresh.locator("[data-testid='stSidebar']").inner_text()[:3000]
            ) from None
        after = wait_for_places(fresh, (*SEED_PLACES, "Mombasa", "Dar es Salaam"), timeout_s=120)
        assert sorted(after) == sorted(before), (before, after)  # the same places, named alike
        fresh.context.close()


def test_the_html_map_of_a_page_coloured_by_event_type_draws_its_markers_and_legend_so(browser, geoparser, tmp_path):
    from geo.events.annotate import events_of
    from geo.map.tints import EVENT_COLOURS, by_event_type
    from geo.outputs.publish import to_html

    text = "Talks resumed in Geneva on Monday, while shelling hit the outskirts of Idlib."
    result = geoparser.parse(text)
    path = tmp_path / "events.html"
    path.write_text(to_html(result.places, tints=by_event_type(result.places, events_of(text, result))), "utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else only_loopback(route)
    )
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.naReady === true", timeout=30_000)
    legend = page.locator(".na-legend").inner_text()
    assert "Diplomacy" in legend and "Strikes from afar" in legend and "Fighting" not in legend, console_of(page)
    fill = page.locator(".leaflet-marker-icon[title='Geneva'] g").get_attribute("fill")
    assert fill == EVENT_COLOURS["diplomacy"]
    assert page.locator(".leaflet-marker-icon[title='Idlib'] g").get_attribute("fill") == EVENT_COLOURS["strikes"]
    context.close()
