import json

from geo.map.assets import ASSETS, install_assets, publish, serve_from
from geo.map.basemap import country_outlines
from geo.map.mapview import build_map


def test_assets_come_from_installed_packages(tmp_path):
    installed = install_assets(tmp_path)
    assert {a.name for a in installed} == {a.name for a in ASSETS}
    leaflet = (tmp_path / "leaflet" / "leaflet.js").read_text()
    assert "Leaflet" in leaflet and len(leaflet) > 100_000
    assert "jQuery" in (tmp_path / "jquery" / "jquery.min.js").read_text()[:500]
    before = (tmp_path / "leaflet" / "leaflet.js").stat().st_mtime_ns
    install_assets(tmp_path)  # a second start copies nothing
    assert (tmp_path / "leaflet" / "leaflet.js").stat().st_mtime_ns == before


def test_map_links_only_local_assets_when_served(tmp_path):
    assets = serve_from(tmp_path, "/app/static")
    assert assets.offline
    outlines = json.loads((tmp_path / "outlines.json").read_text())
    assert len(outlines["features"]) > 150
    fmap = build_map([], asset_urls=assets.urls, outlines_url=assets.outlines_url)
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links and all(url.startswith("/app/static/vendor/") for url in links)
    cluster_links = [u for _, layer in fmap._children.items() for _, u in getattr(layer, "default_js", [])]
    assert all(url.startswith("/app/static/vendor/") for url in cluster_links)
    html = fmap.get_root().render()
    assert "bootstrap" not in html and "fontawesome" not in html and "awesome-markers" not in html
    assert "/app/static/outlines.json" in html


def test_without_served_files_the_cdn_and_embedded_outlines_are_the_fallback():
    fmap = build_map([])
    assert any(url.startswith("https://cdn.jsdelivr.net/npm/leaflet") for _, url in fmap.default_js)
    assert "FeatureCollection" in fmap.get_root().render()


def test_outlines_are_small_valid_geojson():
    outlines = country_outlines()
    assert outlines["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in outlines["features"])
    assert len(json.dumps(outlines, separators=(",", ":"))) < 250_000


def test_published_data_is_named_by_its_contents_and_written_once(tmp_path):
    assets = serve_from(tmp_path, "/app/static")
    assert assets.data_dir == tmp_path / "places" and assets.data_url == "/app/static/places"
    assert assets.detail_url == "/app/static/basemap.json" and (tmp_path / "basemap.json").is_file()
    assert (tmp_path / "basemap-close.json").is_file()  # the close zooms' file, beside it
    first = publish('{"type":"FeatureCollection","features":[]}', assets.data_dir, assets.data_url)
    again = publish('{"type":"FeatureCollection","features":[]}', assets.data_dir, assets.data_url)
    other = publish('{"type":"FeatureCollection","features":[1]}', assets.data_dir, assets.data_url)
    assert first == again != other and first.startswith("/app/static/places/") and first.endswith(".json")
    names = {url.rsplit("/", 1)[1] for url in (first, other)}
    assert {p.name for p in assets.data_dir.iterdir()} == names


def test_published_data_unused_for_hours_is_deleted_when_new_data_comes(tmp_path):
    import os

    old = publish('{"old":1}', tmp_path, "/x")
    old_path = tmp_path / old.rsplit("/", 1)[1]
    os.utime(old_path, (1, 1))  # unused since 1970
    publish('{"new":1}', tmp_path, "/x")
    assert not old_path.exists() and len(list(tmp_path.iterdir())) == 1


def test_published_data_is_capped_in_count_and_bytes_oldest_first_out(tmp_path):
    import os
    import time

    from geo.map import assets

    urls = []
    for number in range(assets.MAX_PUBLISHED_FILES + 20):
        urls.append(publish(f'{{"n":{number}}}', tmp_path, "/x"))
        when = time.time() - 3600 + number  # written in turn, within the hours kept
        os.utime(tmp_path / urls[-1].rsplit("/", 1)[1], (when, when))
    kept = {p.name for p in tmp_path.glob("*.json")}
    assert len(kept) == assets.MAX_PUBLISHED_FILES
    assert {u.rsplit("/", 1)[1] for u in urls[-assets.MAX_PUBLISHED_FILES :]} == kept  # the newest stay
    big = "x" * (assets.MAX_PUBLISHED_BYTES // 3)
    for number in range(4):
        publish(f'{{"big":{number},"pad":"{big}"}}', tmp_path, "/x")
    total = sum(p.stat().st_size for p in tmp_path.glob("*.json"))
    assert total <= assets.MAX_PUBLISHED_BYTES
    assert not list(tmp_path.glob("*.tmp"))
