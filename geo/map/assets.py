"""The map's JavaScript and CSS, served by the app itself so the map draws with no internet.

folium links Leaflet and jQuery from public CDNs. Registry packages ship the same files
(``django-js-lib-leaflet``: Leaflet 1.9.4; ``xstatic-jquery``: jQuery 3.7.1;
``xstatic-leaflet-markercluster``: Leaflet.markercluster 1.4.1; ``folium`` itself: Leaflet.heat
0.2.0), and this package vendors Leaflet.draw 1.0.4 (``geo/map/vendor/``): ``install_assets``
copies them into a folder the app serves, and ``local_urls`` says which CDN address each replaces.
Where a package is missing (a hosted app without them), its CDN address stays: the fallback.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asset:
    """A file the map needs: the CDN address folium uses, and where a package ships it."""

    cdn: str
    package: str  # importable package that ships the file
    path: str  # path inside that package
    name: str  # path inside the served folder


ASSETS: tuple[Asset, ...] = (
    Asset(
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "js_lib_leaflet",
        "static/js_lib_leaflet/leaflet.js",
        "leaflet/leaflet.js",
    ),
    Asset(
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
        "js_lib_leaflet",
        "static/js_lib_leaflet/leaflet.css",
        "leaflet/leaflet.css",
    ),
    # leaflet.css draws the layer control with these, relative to itself.
    Asset("", "js_lib_leaflet", "static/js_lib_leaflet/images/layers.png", "leaflet/images/layers.png"),
    Asset("", "js_lib_leaflet", "static/js_lib_leaflet/images/layers-2x.png", "leaflet/images/layers-2x.png"),
    Asset(
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "xstatic.pkg.jquery",
        "data/jquery.min.js",
        "jquery/jquery.min.js",
    ),
    Asset(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        "xstatic.pkg.leaflet_markercluster",
        "data/leaflet.markercluster.js",
        "markercluster/leaflet.markercluster.js",
    ),
    Asset(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
        "xstatic.pkg.leaflet_markercluster",
        "data/MarkerCluster.css",
        "markercluster/MarkerCluster.css",
    ),
    Asset(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
        "xstatic.pkg.leaflet_markercluster",
        "data/MarkerCluster.Default.css",
        "markercluster/MarkerCluster.Default.css",
    ),
    # Drawing on the map (folium.plugins.Draw): Leaflet.draw, vendored in geo/map/vendor/ (no Python
    # package ships it on its own); its CSS draws the toolbar with the sprites, relative to itself.
    Asset(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.js",
        "geo.map",
        "vendor/leaflet-draw/leaflet.draw.js",
        "draw/leaflet.draw.js",
    ),
    Asset(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css",
        "geo.map",
        "vendor/leaflet-draw/leaflet.draw.css",
        "draw/leaflet.draw.css",
    ),
    *(
        Asset("", "geo.map", f"vendor/leaflet-draw/images/{sprite}", f"draw/images/{sprite}")
        for sprite in ("spritesheet.svg", "spritesheet.png", "spritesheet-2x.png")
    ),
    # The corpus map's density layer (folium's HeatMap): folium ships Leaflet.heat in its own package.
    Asset(
        "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
        "folium",
        "templates/leaflet_heat.min.js",
        "heat/leaflet-heat.min.js",
    ),
)


def _package_file(asset: Asset) -> Path | None:
    try:
        spec = importlib.util.find_spec(asset.package)
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / asset.path
    return path if path.is_file() else None


def install_assets(folder: Path) -> list[Asset]:
    """Copy every asset whose package is installed into ``folder``; return those now there.

    A file already there with the same contents is left alone, so calling this on every start
    costs a few small reads.
    """
    installed = []
    for asset in ASSETS:
        source = _package_file(asset)
        if source is None:
            log.info("%s is not installed: the map loads %s from its CDN", asset.package, asset.name)
            continue
        target = folder / asset.name
        if not target.is_file() or _digest(target) != _digest(source):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        installed.append(asset)
    return installed


def local_urls(installed: list[Asset], base_url: str) -> dict[str, str]:
    """Return {CDN address: local address} for the installed assets, under ``base_url``."""
    return {asset.cdn: f"{base_url.rstrip('/')}/{asset.name}" for asset in installed if asset.cdn}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class MapAssets:
    """Where a map finds its scripts, styles and offline outlines, and where its data is published."""

    urls: dict[str, str]  # CDN address -> local address, for what is served locally
    outlines_url: str | None  # None: embed the outlines in the map
    data_dir: Path | None = None  # where ``publish`` writes the places' data; None: embed it
    data_url: str | None = None  # where that folder is served
    detail_url: str | None = None  # the detailed offline basemap (geo.map.basemap.write_detail), if served

    @property
    def offline(self) -> bool:
        """True when every script and style the map needs is served locally."""
        return all(asset.cdn in self.urls for asset in ASSETS if asset.cdn)


def serve_from(folder: Path, base_url: str) -> MapAssets:
    """Fill ``folder`` (served at ``base_url``) with the map's files; return where they are."""
    from geo.map.basemap import write_detail, write_outlines  # only the app serves files

    installed = install_assets(folder / "vendor")
    write_outlines(folder / "outlines.json")
    detail = write_detail(folder / "basemap.json")
    base = base_url.rstrip("/")
    return MapAssets(
        local_urls(installed, f"{base}/vendor"),
        f"{base}/outlines.json",
        folder / "places",
        f"{base}/places",
        f"{base}/basemap.json" if detail else None,
    )


#: Published data files unused for this long are deleted when the next one is written.
KEEP_SECONDS = 6 * 3600
#: Most data files kept in the folder, and most bytes they take together: past either, the least
#: recently used go first, when the next one is written (the folder is served, and written for
#: visitors: it must not fill the disk however many views they ask for).
MAX_PUBLISHED_FILES = 200
MAX_PUBLISHED_BYTES = 50_000_000


def publish(text: str, folder: Path, base_url: str) -> str:
    """Write ``text`` (JSON) into ``folder`` under a name made from its contents; return its address
    under ``base_url``.

    The name changes with the contents, so the browser fetches each version once and may keep it.
    Called again with the same text (the same string, as ``geo.map.mapview.places_geojson`` caches it)
    it costs a dictionary look-up and a stat. Files unused for ``KEEP_SECONDS`` are deleted as new
    ones come, and beyond ``MAX_PUBLISHED_FILES`` files or ``MAX_PUBLISHED_BYTES`` the least
    recently used go first.
    """
    path = folder / _content_name(text)
    try:
        if time.time() - path.stat().st_mtime > KEEP_SECONDS / 6:
            os.utime(path)  # still in use: not pruned
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        _prune(folder, keep=path)
    return f"{base_url.rstrip('/')}/{path.name}"


@lru_cache(maxsize=32)
def _content_name(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".json"


def _prune(folder: Path, *, keep: Path) -> None:
    """Delete the files unused for ``KEEP_SECONDS``, then the least recently used beyond the caps
    (never ``keep``, the file just written)."""
    cutoff = time.time() - KEEP_SECONDS
    files: list[tuple[float, int, Path]] = []
    for path in folder.glob("*.json"):
        try:
            stat = path.stat()
            if path != keep and stat.st_mtime < cutoff:
                path.unlink()
                continue
        except OSError:  # another process pruned it first
            continue
        files.append((stat.st_mtime, stat.st_size, path))
    count, total = len(files), sum(size for _, size, _ in files)
    for _, size, path in sorted(files, key=lambda f: (f[0], f[2].name)):
        if count <= MAX_PUBLISHED_FILES and total <= MAX_PUBLISHED_BYTES:
            break
        if path == keep:
            continue
        with contextlib.suppress(OSError):  # another process pruned it first
            path.unlink()
        count, total = count - 1, total - size
