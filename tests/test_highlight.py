from geo.core.features import Feature
from geo.core.provenance import Provenance, Step
from geo.core.values import Mention, Place, PlaceMention
from geo.map.highlight import article_html


def item(text, name, kind="city", key=None):
    start = text.index(name)
    mention = Mention(start, start + len(name), name, "GPE", "ner", 0, len(text), text)
    return PlaceMention(
        mention, Place(key or f"k:{name}", name, 0, 0, kind, None, Feature.CITY, Provenance(Step.GAZETTEER, "test"))
    )


def test_mentions_are_marked_and_text_escaped():
    text = "Shells hit <b>Aleppo</b> & Idlib.\n\nTalks in Geneva."
    out = article_html(text, [item(text, "Aleppo"), item(text, "Geneva", "venue", "k:g")], selected="k:g")
    assert "&lt;b&gt;" in out and "<b>" not in out and "&amp; Idlib" in out
    assert out.count("<mark") == 2 and out.count("<p>") == 2
    geneva = out[out.index("Geneva</mark>") - 200 : out.index("Geneva</mark>")]
    assert "outline:2px" in geneva  # the selected place is emphasised
    assert "outline" not in out[: out.index("Aleppo</mark>")]


def test_unplaced_mentions_are_not_marked():
    text = "Nowhereland and Aleppo."
    start = text.index("Nowhereland")
    unplaced = PlaceMention(Mention(start, start + 11, "Nowhereland", "GPE", "ner", 0, 23, text), None)
    assert article_html(text, [unplaced, item(text, "Aleppo")]).count("<mark") == 1


def test_every_run_of_text_carries_its_offset_and_holds_the_articles_characters():
    import html
    import re

    text = "  <Aleppo> & Idlib:\n\n\n  Talks\r\nin Geneva.\nLine two  \n\n"
    out = article_html(text, [item(text, "Idlib"), item(text, "Geneva")], selected="k:Geneva")
    runs = re.findall(r"<(?:span|mark) data-o='(\d+)'[^>]*>([^<]*)</(?:span|mark)>", out)
    assert len(runs) >= 5
    covered: set[int] = set()
    for offset, escaped in runs:
        raw = html.unescape(escaped)
        assert text[int(offset) : int(offset) + len(raw)] == raw  # what the browser turns back into offsets
        covered.update(range(int(offset), int(offset) + len(raw)))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())  # every word is selectable
    assert "data-selected=1" in out[out.index("Geneva</mark>") - 400 : out.index("Geneva</mark>")]
