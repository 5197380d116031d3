"""Article metadata: front matter, datelines, HTML heads, file names; every value cleaned."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.core.errors import InputError
from geo.inputs.articles import article_of, load_folder
from geo.inputs.metadata import (
    MAX_TITLE,
    ArticleMeta,
    clean_meta,
    clean_url,
    dateline,
    label,
    parse_date,
    pretty_name,
    split_front_matter,
)

# Fresh texts written for these tests.
BODY = (
    "Aid convoys reached Idlib on Tuesday after three weeks of delays, officials in Ankara said.\n\n"
    "The trucks crossed at Bab al-Hawa, the last open crossing from Turkey."
)
FRONT = (
    "---\n"
    "title: Aid convoys reach Idlib after weeks of delay\n"
    "outlet: The Border Courier\n"
    "date: 2020-02-11\n"
    "url: https://courier.example/2020/02/idlib-convoys\n"
    "---\n"
)

PAGE = """<!doctype html>
<html><head>
<title>Ceasefire talks resume in Doha | Gulf Ledger</title>
<link rel="canonical" href="https://ledger.example/world/doha-talks">
<meta property="og:url" content="https://ledger.example/amp/doha-talks">
<meta property="og:site_name" content="Gulf Ledger">
<meta property="article:published_time" content="2023-11-28T07:45:00+03:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ceasefire talks resume in Doha</h1>
<p>Negotiators returned to Doha on Tuesday to extend the truce in Gaza, mediators from Qatar and Egypt said.</p>
<p>Talks in Cairo last week ended without agreement on the release of prisoners held in Israel.</p>
</article><footer>Copyright Gulf Ledger</footer></body></html>"""


def test_front_matter_is_read_and_cut_from_the_text():
    article = article_of("idlib.txt", FRONT + BODY, "upload")
    assert article.text == BODY  # the shown and parsed text: offsets count from here
    assert article.meta == ArticleMeta(
        "Aid convoys reach Idlib after weeks of delay",
        "The Border Courier",
        dt.date(2020, 2, 11),
        "https://courier.example/2020/02/idlib-convoys",
    )


def test_front_matter_values_are_untrusted():
    text = (
        "---\ntitle: <script>alert(1)</script>" + "x" * 1000 + "\ndate: 2020-02-30\n"
        "url: javascript:alert(1)\nauthor: ignored\n---\n" + BODY
    )
    meta, start = split_front_matter(text)
    assert text[start:] == BODY
    assert meta is not None and meta.date is None and meta.url is None and meta.outlet is None
    # Kept as text (escaped where shown), but bounded.
    assert meta.title is not None and meta.title.startswith("<script>") and len(meta.title) <= MAX_TITLE


@pytest.mark.parametrize(
    "text",
    [
        "---\n\nA horizontal rule, then an article about Aleppo.\n",  # prose after the fence
        "---\ntitle: never closed\n" + "note: x\n" * 30 + BODY,  # no closing fence within bounds
        "title: no fence\n---\n" + BODY,
    ],
)
def test_text_that_only_looks_like_front_matter_is_left_alone(text):
    assert split_front_matter(text) == (None, 0)


def test_only_front_matter_is_no_article():
    with pytest.raises(InputError):
        article_of("empty.txt", FRONT, "upload")


def test_a_dateline_gives_date_and_outlet():
    text = "BEIRUT, March 15, 2016 (Reuters) - Syrian troops advanced near Palmyra, a monitor said."
    article = article_of("wire.txt", text, "upload")
    assert article.text == text  # a dateline is part of the story: kept
    assert article.meta == ArticleMeta(outlet="Reuters", date=dt.date(2016, 3, 15))
    assert dateline("KYIV, Ukraine, Aug. 24, 2022 (AP) — Sirens sounded.") == ArticleMeta(
        outlet="AP", date=dt.date(2022, 8, 24)
    )


@pytest.mark.parametrize(
    "text",
    [
        "On March 15, 2016 (a Tuesday) - the war entered its sixth year.",  # no place in capitals
        "BEIRUT, Smarch 15, 2016 (Reuters) - no such month.",
        "BEIRUT, February 30, 2016 (Reuters) - no such day.",
        "Beirut is where, March 15, 2016 (Reuters) - lower case.",
        "The ministry said BEIRUT, March 15, 2016 (Reuters) - not at the start.",
    ],
)
def test_a_loose_dateline_is_not_read(text):
    assert dateline(text) == ArticleMeta()


def test_front_matter_wins_over_the_dateline():
    text = FRONT + "BEIRUT, March 15, 2016 (Reuters) - " + BODY
    assert article_of("x", text, "upload").meta.date == dt.date(2020, 2, 11)


def test_an_html_page_gives_title_outlet_date_and_canonical_address():
    article = article_of("doha.html", PAGE, "upload")
    assert "Negotiators returned to Doha" in article.text and "Home" not in article.text
    meta = article.meta
    assert meta.title and "Ceasefire talks resume in Doha" in meta.title
    assert meta.outlet == "Gulf Ledger"
    assert meta.date == dt.date(2023, 11, 28)
    assert meta.url == "https://ledger.example/world/doha-talks"  # canonical before og:url
    assert article.name == meta.title


def test_a_page_with_a_hostile_canonical_falls_back_to_og_url():
    page = PAGE.replace("https://ledger.example/world/doha-talks", "javascript:alert(document.cookie)")
    assert article_of("doha.html", page, "upload").meta.url == "https://ledger.example/amp/doha-talks"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-03-15", dt.date(2016, 3, 15)),
        ("2016-03-15T09:30:00Z", dt.date(2016, 3, 15)),
        ("March 15, 2016", dt.date(2016, 3, 15)),
        ("Sept. 6, 2018", dt.date(2018, 9, 6)),
        ("2016-13-01", None),
        ("1066-10-14", None),  # before 1800
        ("9999-01-01", None),  # the future
        ("yesterday", None),
        ("2016-03-15" + "9" * 100, None),
        (None, None),
        (20160315, None),
    ],
)
def test_dates_are_real_calendar_dates_or_none(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://news.example/a?b=1#c", True),
        ("http://news.example/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("ftp://news.example/a", False),
        ("https:///no-host", False),
        ("//news.example/relative", False),
        ("https://news.example/a b", False),
        ("https://news.example/" + "a" * 3000, False),
    ],
)
def test_only_http_addresses_are_kept(url, kept):
    assert (clean_url(url) == url) is kept


def test_clean_meta_removes_invisible_controls_and_collapses_whitespace():
    meta = clean_meta("Talks\u202e in\n\n  Geneva\u200b", "  ", None, None)
    assert meta.title == "Talks in Geneva" and meta.outlet is None


def test_names_from_files_are_readable():
    assert pretty_name("gv-%22aggressive%22-tactics_in_Idlib") == "Gv aggressive tactics in Idlib"
    assert pretty_name("russia-withdraws-from-syria-2016") == "Russia withdraws from syria 2016"
    # Each word as the article writes it, where it does: the seed's name reads as its text does.
    article = "Russia withdraws its jets from Syria. The withdrawal from Syria begins today."
    assert pretty_name("russia-withdraws-from-syria-2016", article) == "Russia withdraws from Syria 2016"
    assert pretty_name("%%%") == "%%%"


def test_label_says_title_outlet_and_date_or_no_date():
    assert label("n", ArticleMeta("T", "O", dt.date(2020, 1, 2))) == "T · O · 2020-01-02"
    assert label("file name", ArticleMeta()) == "file name · no date"


def test_load_folder_reads_front_matter_and_pretty_names(tmp_path):
    (tmp_path / "idlib_convoys.txt").write_text(FRONT + BODY, encoding="utf-8")
    (tmp_path / "plain-%22story%22.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "only-front.txt").write_text(FRONT, encoding="utf-8")
    articles = {a.name: a for a in load_folder(tmp_path)}
    assert set(articles) == {"Idlib convoys", "Plain story"}
    assert articles["Idlib convoys"].meta.date == dt.date(2020, 2, 11)
    assert articles["Idlib convoys"].text == BODY
    assert articles["Plain story"].meta == ArticleMeta()


def test_the_seed_is_dated_by_its_front_matter_which_is_not_parsed():
    from tests.conftest import ROOT

    seeds = load_folder(ROOT / "seeds")
    assert [a.meta.date for a in seeds] == [dt.date(2016, 3, 14)]  # the day Putin announced the withdrawal
    assert seeds[0].text.startswith("Russia is to pull its forces out of Syria")
