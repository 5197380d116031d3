import re

import pytest

from geo.escaping import escape_for_map, escape_markdown
from geo.mapview import build_map, popup_html
from geo.values import MappedPlace

PAYLOAD = '<script>window.pwned=1</script><img src=x onerror="parent.pwned=1"> `${alert(1)}` \\ </script>'


@pytest.fixture
def mapped(make_mention, make_place):
    """``mapped(name, article, text, kind)``: a place with one mention of ``text`` in a one-sentence article."""

    def build(name="Aleppo", article="Fighting in Aleppo.", text="Aleppo", kind="city"):
        return MappedPlace(make_place(name, kind=kind), (make_mention(text, article),))

    return build


def rendered(places):
    return build_map(places).get_root().render()


def test_escape_for_map_neutralises_html_and_template_literals():
    escaped = escape_for_map(PAYLOAD)
    assert not set('<>`$\\"') & set(escaped)
    assert "&lt;script&gt;" in escaped and "&#96;" in escaped and "&#36;" in escaped and "&#92;" in escaped


def test_escape_markdown():
    assert escape_markdown("[x](javascript:1) *b* $x$ <i>") == ("\\[x\\]\\(javascript\\:1\\) \\*b\\* \\$x\\$ \\<i\\>")


def test_map_has_a_marker_per_place_with_tooltip_popup_and_legend(mapped):
    html = rendered([mapped(), mapped("Geneva", "Talks resumed in Geneva.", "Geneva", "venue")])
    assert html.count("L.marker(") == 2
    assert "Aleppo · city" in html and "Geneva · venue" in html
    assert "<mark>Geneva</mark>" in html
    assert "na-legend" in html and all(kind in html for kind in ("base", "venue", "region", "country"))
    assert "fitBounds" in html


def test_empty_map_renders():
    html = rendered([])
    assert "L.map(" in html and "L.marker(" not in html


def test_article_text_never_reaches_the_map_raw(mapped):
    hostile = mapped(name="Aleppo" + PAYLOAD, article=f"Near Aleppo {PAYLOAD} the front moved.", text="Aleppo")
    html = rendered([hostile])
    assert "window.pwned" in html  # the text is there, as text
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "${alert" not in html
    # Inside every template literal, no backtick but the closing one.
    for literal in re.findall(r"`([^`]*)`", html):
        assert "${" not in literal


def test_popup_lists_at_most_five_excerpts_and_counts_the_rest(make_mention, make_place):
    mentions = tuple(make_mention("Aleppo", f"Aleppo sentence number {i}.") for i in range(8))
    html = popup_html(MappedPlace(make_place(), mentions))
    assert html.count("<li>") == 5 and "3 more" in html


def test_seed_map_names_the_seed_places(geoparser, seed_text):
    html = rendered(geoparser.parse(seed_text).places)
    for name in ("Hmeymim Air Base", "Geneva", "The Kremlin", "Latakia", "New York City", "Syria"):
        assert name in html
