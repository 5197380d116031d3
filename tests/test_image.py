"""The picture of the map (geo.outputs.image): the seed article's places drawn over the offline
basemap as PNG and SVG, read back here: pixels where the markers are, the title and legend as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from geo.core.values import MappedPlace
from geo.inputs.layers import read_layer
from geo.map.mapview import STYLE
from geo.map.tints import ARTICLE_COLOURS, Tints
from geo.outputs.image import CREDITS, Bounds, Frame, render

SCREENSHOT = Path(__file__).parent / "screenshots" / "export-syria.png"
HOSTILE_TITLE = "Talks <script>alert('x')</script> & $\\alpha$ \u202e"
#: The Syrian coast: Latakia, Hmeymim and Tartus in view, as a reader would frame them.
COAST = Bounds.of(33.5, 34.5, 37.5, 39.5)
FRONT = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString",'
    b'"coordinates":[[36.1,35.2],[36.6,35.6],[37.2,36.2]]},"properties":{"name":"Front <b>line</b>"}}]}'
)


@pytest.fixture(scope="module")
def places(geoparser, seed_text) -> tuple[MappedPlace, ...]:
    return tuple(geoparser.parse(seed_text).places)


def named(places, name: str) -> MappedPlace:
    return next(m for m in places if m.place.name == name)


def colour_near(png: bytes, column: int, row: int, colour: str, reach: int = 4) -> bool:
    """Return whether a pixel within ``reach`` of (column, row) has ``colour`` (within a little)."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for dx in range(-reach, reach + 1):
        for dy in range(-reach, reach + 1):
            pixel = picture.getpixel((column + dx, row + dy))
            assert isinstance(pixel, tuple)
            if all(abs(a - b) <= 12 for a, b in zip(pixel, wanted, strict=True)):
                return True
    return False


def test_the_png_has_each_marker_in_its_category_colour_where_the_place_is(places):
    # A title matplotlib would read as broken mathtext ("$\frac{$") is drawn as the characters it is.
    png = render(places, "png", bounds=COAST, title=HOSTILE_TITLE + " $\\frac{$", dpi=100)
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    frame = Frame.of(COAST, 10.0)
    assert picture.size[0] == 1000 and abs(picture.size[1] - frame.height * 100) <= 1
    for name in ("Tartus", "Latakia"):
        place = named(places, name).place
        column, row = frame.pixel(place.lat, place.lon, 100)
        assert colour_near(png, column, row, STYLE[place.kind][0]), name
    # The same spot without the places is the basemap's: the marker's colour is not there.
    empty = render((), "png", bounds=COAST, title="Syrian coast", dpi=100)
    tartus = named(places, "Tartus").place
    column, row = frame.pixel(tartus.lat, tartus.lon, 100)
    assert not colour_near(empty, column, row, STYLE[tartus.kind][0])


def test_a_tinted_place_is_drawn_in_its_tint_and_a_layer_in_its_colour(places):
    tartus = named(places, "Tartus").place
    tints = Tints(((tartus.place_id, ARTICLE_COLOURS[1]),), (("Russia withdraws", ARTICLE_COLOURS[1]),))
    layer = read_layer(FRONT, "front_line.geojson")
    png = render(places, "png", bounds=COAST, tints=tints, layers=[layer], dpi=100)
    frame = Frame.of(COAST, 10.0)
    assert colour_near(png, *frame.pixel(tartus.lat, tartus.lon, 100), ARTICLE_COLOURS[1])
    assert colour_near(png, *frame.pixel(35.6, 36.6, 100), "#EE7733")  # the first layer's colour, on its line
    # The picture docs/dashboard.md shows, as the dashboard exports it.
    picture = render(places, "png", bounds=COAST, title="Russia's bases on the Syrian coast", layers=[layer])
    SCREENSHOT.write_bytes(picture)


def test_the_svg_carries_title_legend_scale_and_credits_as_escaped_text(places):
    layer = read_layer(FRONT, "front_line.geojson")
    svg = render(places, "svg", bounds=COAST, title=HOSTILE_TITLE, layers=[layer]).decode("utf-8")
    assert svg.lstrip().startswith("<?xml")
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.DOTALL)
    assert "Talks &lt;script&gt;alert('x')&lt;/script&gt; &amp; $\\alpha$" in texts  # mathtext not read
    assert "<script" not in svg and "\u202e" not in svg
    for legend in ("front line", "base", "region", "country"):
        assert legend in texts, legend
    assert any(re.fullmatch(r"\d+ km", t) for t in texts)  # the scale bar
    assert CREDITS in texts
    assert "Tartus" in texts and "Hmeymim Air Base" in texts


def test_the_picture_frames_the_places_when_no_view_is_given_and_is_refused_in_another_format(places):
    svg = render(places, "svg").decode("utf-8")
    for name in ("New York City", "Geneva", "Tartus"):
        assert f">{name}<" in svg
    with pytest.raises(ValueError):
        render(places, "gif")


def test_a_view_past_the_antimeridian_or_off_the_map_is_put_in_range():
    assert Bounds.of(-100, -200, 100, 200) == Bounds(-85.0, -180.0, 85.0, 180.0)
    assert Bounds.of(10, 190, 20, 200) == Bounds(10, -170, 20, -160)
    assert Bounds.of(float("nan"), 0, 1, 1).east == 180.0
    box = Bounds.of(35.0, 36.0, 35.0, 36.0)  # one point: a degree around it
    assert box.north - box.south == pytest.approx(1.0) and box.east - box.west == pytest.approx(1.0)


def test_the_cli_writes_an_atlas_picture(tmp_path, places):
    # An atlas file with one seed article, drawn by the command line (tests/test_cli.py runs it whole).
    from geo.cli import main
    from geo.inputs.articles import Article
    from geo.outputs.atlas import Atlas, AtlasArticle, to_json

    text = (Path(__file__).parent.parent / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8")
    atlas = Atlas("Seed <b>atlas</b>", (AtlasArticle(Article("seed", text, "seed")),))
    source = tmp_path / "seed.atlas.json"
    source.write_text(to_json(atlas), encoding="utf-8")
    out = tmp_path / "seed.svg"
    assert main(["atlas", str(source), "--image", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "Seed &lt;b&gt;atlas&lt;/b&gt;" in svg and ">Tartus<" in svg
