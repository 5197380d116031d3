"""The model in a worker process (geo.parse.worker): the same answers, stopped at its time limit and
over its memory ceiling, and started again for the next text."""

from __future__ import annotations

import os
import time

import pytest

from geo.core.errors import ParseStopped
from geo.parse.worker import RecognizerProcess
from geo.recognize import extract
from tests.test_load import dense_article

#: A new child imports spaCy and loads the model: on a busy shared machine, up to this long.
LOAD_SECONDS = 120.0

TEXT = (
    "Russian jets struck rebel positions near Idlib on Monday, while talks went on in Geneva. "
    "Jordan said it would close the crossing at Nassib. The Kremlin said troops would leave Hmeymim."
)


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child the server has reaped is gone; one not yet reaped is a zombie, not working.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def worker(gazetteer):
    process = RecognizerProcess(gazetteer=gazetteer.path, memory_mb=1500)
    process.recognize("Troops left Aleppo.", timeout=LOAD_SECONDS)  # the model loaded
    yield process
    process.close()


def test_the_worker_finds_what_the_model_finds_in_this_process(worker, nlp, geoparser):
    found = worker.recognize(TEXT, timeout=LOAD_SECONDS)
    ((mentions, entities),) = list(extract.extract_all(nlp, [TEXT]))
    assert list(found.mentions) == mentions
    assert list(found.entities) == entities
    # And placed in this process, the same result as a parse done here.
    assert geoparser.locate(TEXT, found.mentions, found.entities) == geoparser.parse(TEXT)


def test_demonyms_are_asked_of_the_worker_too(worker):
    found = worker.recognize("Russian forces left the base.", demonyms=True, timeout=LOAD_SECONDS)
    assert [m.text for m in found.mentions] == ["Russian"]
    assert not worker.recognize("Russian forces left the base.", timeout=LOAD_SECONDS).mentions


def test_a_parse_over_its_time_limit_is_stopped_and_the_next_one_is_answered(worker):
    before = worker.pid
    started = time.monotonic()
    with pytest.raises(ParseStopped, match="time limit"):
        worker.recognize(dense_article(), timeout=0.5)
    assert time.monotonic() - started < 5
    assert not _alive(before)  # the work really stopped: the process that did it is gone
    assert worker.pid != before  # and a new one is loading the model for the next text
    assert [m.text for m in worker.recognize("Shelling hit Kharkiv.", timeout=LOAD_SECONDS).mentions] == ["Kharkiv"]


def test_a_parse_over_its_memory_ceiling_is_stopped(gazetteer):
    # The model alone takes a few hundred MB: a 100 MB ceiling is passed while it loads.
    small = RecognizerProcess(gazetteer=gazetteer.path, memory_mb=100)
    try:
        pid = None
        with pytest.raises(ParseStopped, match="100 MB"):
            small.start()
            pid = small.pid
            small.recognize(TEXT, timeout=LOAD_SECONDS)
        assert small.stopped == 1
        assert not _alive(pid)
    finally:
        small.close()
    assert small.pid is None


def test_the_worker_process_ends_when_closed(gazetteer):
    process = RecognizerProcess(gazetteer=gazetteer.path)
    process.start()
    pid = process.pid
    assert _alive(pid)
    process.close()
    assert not _alive(pid)


def test_a_parse_no_longer_wanted_is_stopped(worker):
    before = worker.pid
    asked = []

    def wanted() -> bool:  # the visitor leaves after the first question
        asked.append(1)
        return len(asked) < 2

    started = time.monotonic()
    with pytest.raises(ParseStopped, match="left"):
        worker.recognize(dense_article(seed=3), timeout=60, wanted=wanted)
    assert time.monotonic() - started < 3  # two questions, half a second apart, then stopped
    assert not _alive(before)
