"""Bounded work per article: text no visitor can use to freeze the server, offsets that still hold."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from geo.core.errors import InputError
from geo.core.sanitize import for_model, visible
from geo.inputs.text import MAX_CHARS, check_text
from geo.recognize.extract import EXCERPT_WINDOW, MAX_CHUNK, MAX_EXCERPT, chunks
from tests.conftest import ROOT, SEED


def offsets_hold(text, result):
    assert result.mentions
    for pm in result.mentions:
        m = pm.mention
        assert text[m.start : m.end] == m.text
        assert m.sent_start <= m.start and m.end <= m.sent_end


def test_for_model_collapses_runs_and_maps_offsets_back():
    text = "Talks in Damascus. " + "!" * 50 + "___________" + "😀" * 20 + " Aleppo -- ok... 'quoted'"
    model = for_model(text)
    assert len(model.text) == len(text) and model.removed_at == ()
    assert model.text.index("Aleppo") == text.index("Aleppo")
    assert "!!" not in model.text and "__" not in model.text and "😀😀" not in model.text
    assert "-- ok... 'quoted'" in model.text  # short runs are left as they are


def test_for_model_removes_invisible_controls_and_maps_offsets_back():
    text = "\ufeffIn \u202eDam\u200bascus\u202c, then Aleppo\u200f."
    model = for_model(text)
    assert model.text == "In Damascus, then Aleppo."
    for name in ("Damascus", "Aleppo"):
        at = model.text.index(name)
        start, end = model.start(at), model.end(at + len(name))
        assert text[start:end].replace("\u200b", "") == name
        assert text[start] == name[0] and text[end - 1] == name[-1]


def test_visible_strips_invisible_controls_and_keeps_joiners():
    assert visible("Dam\u202eascus\u200b") == "Damascus"
    assert visible("\ufeffAleppo\u00ad") == "Aleppo"
    assert visible("\u0645\u200c\u0627") == "\u0645\u200c\u0627"  # Persian's zero-width non-joiner stays
    assert visible("Homs") == "Homs"


def test_twenty_thousand_bangs_between_two_cities(geoparser):
    text = "Talks in Damascus. " + "!" * 20_000 + " Fighting in Aleppo."
    began = time.monotonic()
    result = geoparser.parse(text)
    assert time.monotonic() - began <= 5
    assert {pm.mention.text for pm in result.mentions} == {"Damascus", "Aleppo"}
    offsets_hold(text, result)
    assert all(len(pm.mention.excerpt) <= MAX_EXCERPT + 2 for pm in result.mentions)


def test_invisible_controls_do_not_hide_a_name_or_move_offsets(geoparser):
    text = "Talks\u200b in \u202eDamascus\u202c.\ufeff Fighting in\u200b Aleppo."
    result = geoparser.parse(text)
    assert {pm.mention.text for pm in result.mentions} == {"Damascus", "Aleppo"}
    offsets_hold(text, result)


def test_a_long_sentence_gives_short_excerpts(geoparser):
    text = "Damascus " * 3000
    result = geoparser.parse(text)
    assert len(result.mentions) == 3000
    offsets_hold(text, result)
    assert max(len(pm.mention.excerpt) for pm in result.mentions) <= EXCERPT_WINDOW + 2
    assert max(pm.mention.sent_end - pm.mention.sent_start for pm in result.mentions) <= EXCERPT_WINDOW


def test_a_news_sentence_is_kept_whole(geoparser):
    sentence = (
        "Officials in Kherson said on Tuesday that shelling overnight had cut power to much of the city, "
        "while aid convoys waiting near Mykolaiv were told to hold back until engineers could check the "
        "bridges and the roads into the southern districts were cleared of debris."
    )
    assert EXCERPT_WINDOW < len(sentence) <= MAX_EXCERPT
    result = geoparser.parse(sentence)
    assert result.mentions and all(pm.mention.excerpt == sentence for pm in result.mentions)


def test_a_long_text_is_read_in_pieces_with_offsets_into_the_whole(geoparser):
    text = "Talks in Damascus went on.\n" * (MAX_CHUNK // 27 + 200) + "Then Aleppo."
    result = geoparser.parse(text)
    offsets_hold(text, result)
    assert sum(pm.mention.text == "Damascus" for pm in result.mentions) == MAX_CHUNK // 27 + 200
    assert result.mentions[-1].mention.text == "Aleppo"


def test_chunks_cover_the_text_and_cut_at_breaks():
    text = ("One sentence here. " * 40 + "\n") * 30
    pieces = list(chunks(text, 1000))
    assert "".join(p for p, _, _ in pieces) == text
    assert [last for _, _, last in pieces] == [False] * (len(pieces) - 1) + [True]
    assert all(len(p) <= 1000 for p, _, _ in pieces)
    assert all(p.endswith((" ", "\n")) for p, _, _ in pieces[:-1])
    assert list(chunks("x" * 2500, 1000))[1] == ("x" * 1000, 1000, False)  # no break: a hard cut


def test_text_over_the_model_limit_is_refused_with_a_reason():
    with pytest.raises(InputError, match="1,000,001 characters"):
        check_text("a" * (MAX_CHARS + 1), name="big.txt")


@pytest.mark.slow
def test_a_huge_file_beside_the_seed_gives_one_line_and_the_seed_places(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Talks in Damascus. " * 57_895, encoding="utf-8")  # 1.1 M characters
    run = subprocess.run(
        [sys.executable, "-m", "geo", "parse", str(big), str(SEED), "--format", "jsonl"],
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        text=True,
    )
    assert run.returncode == 0
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 1 and "big.txt" in errors[0] and "characters" in errors[0]
    assert "Traceback" not in run.stderr
    assert "Hmeymim" in run.stdout and "big.txt" not in run.stdout


@pytest.mark.slow
def test_999_kb_of_one_city_is_parsed_in_bounded_time_memory_and_output(tmp_path):
    article = tmp_path / "damascus.txt"
    article.write_text(("Damascus " * 111_000)[:999_000], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    began = time.monotonic()
    with out.open("wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "geo", "parse", article.name, "--format", "jsonl"],
            cwd=tmp_path,  # the file's name, as given, is in every line: a short one, as a person types
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=stdout,
            stderr=subprocess.DEVNULL,
        )
        # This process's own peak (and its children's), not that of every earlier test's child.
        _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - began
    peak_mb = usage.ru_maxrss / 1024
    assert os.waitstatus_to_exitcode(status) == 0
    # The bound is on the work (CPU seconds), which a machine shared with other jobs does not
    # inflate; the wall clock only has to stay within reason.
    assert usage.ru_utime + usage.ru_stime <= 90
    assert elapsed <= 300
    assert peak_mb <= 800
    # About 520 bytes a mention for 111,000 mentions: the excerpt is cut at a sentence's length,
    # and each line carries its events (about 110 bytes of them since issue #29). Linear, bounded.
    assert out.stat().st_size < 64_000_000
