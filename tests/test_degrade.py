"""Degrade, never break: a cache folder that cannot be written, a damaged or deleted gazetteer,
two processes building at once, a full disk under the caches (issue 14, point 4).

Each failure is real: a file in the cache folder's place (the tests run as root, for whom a
read-only folder is writable), pages of a real SQLite file overwritten, a folder removed under
open connections, SQLite's own "database or disk is full", two real processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from geo.core.features import Feature
from geo.gazetteer import build, store
from geo.gazetteer.sources import Entry
from geo.resolve import geocode
from geo.store import corrections as corrections_module
from geo.store import notices
from geo.store.corrections import Correction, Corrections
from tests.conftest import ROOT
from tests.test_geocode import CountingGeocoder


def towns(count: int = 300) -> list[Entry]:
    """Return ``count`` small made-up towns (enough rows for several pages per table)."""
    return [Entry(f"Town {i}", Feature.CITY, "SY", 35.0, 36.0 + i / 1000, 1000 + i, "test") for i in range(count)]


@pytest.fixture(autouse=True)
def fresh_notices(tmp_path, monkeypatch):
    """No notices from other tests; the temporary folder inside this test's own."""
    notices.clear()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    yield
    notices.clear()


def no_path_in(messages: tuple[str, ...] | list[str], *paths: Path) -> bool:
    return not any(str(path) in message or "/" in message for message in messages for path in paths)


def test_a_file_in_place_of_the_cache_folder_builds_the_gazetteer_in_a_temporary_folder(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    gaz = store.open_gazetteer(blocked / "gazetteer.sqlite", entries=towns, stamp="t")
    assert gaz.path.parent == tmp_path / "tmp" / "news-atlas-cache"
    assert gaz.candidates("town 7")[0].name == "Town 7"
    assert notices.current() == (store.TEMPORARY_NOTICE,)
    assert no_path_in(notices.current(), tmp_path)


def test_a_gazetteer_with_a_garbage_header_is_rebuilt_on_open(tmp_path):
    path = tmp_path / "gazetteer.sqlite"
    store.open_gazetteer(path, entries=towns, stamp="t")
    with open(path, "r+b") as handle:
        handle.write(os.urandom(4096))
    assert build.problem(path, "t") is not None
    gaz = store.open_gazetteer(path, entries=towns, stamp="t")
    assert gaz.count() == 300
    assert build.problem(path, "t") is None


def test_damaged_pages_found_by_a_query_rebuild_the_file_and_the_query_is_answered(tmp_path):
    path = tmp_path / "gazetteer.sqlite"
    gaz = store.open_gazetteer(path, entries=towns, stamp="t")
    size = path.stat().st_size
    assert size > 8 * 4096
    with open(path, "r+b") as handle:  # every page after the first (the schema) becomes garbage
        handle.seek(4096)
        handle.write(b"\xff" * (size - 4096))
    assert [c.name for c in gaz.candidates("town 12")] == ["Town 12"]  # rebuilt, asked again
    assert build.problem(path, "t") is None
    assert notices.current() == (store.REBUILT_NOTICE,)


def test_a_damaged_gazetteer_not_opened_by_open_gazetteer_raises_a_sentence(tmp_path):
    path = build.build(tmp_path / "g.sqlite", entries=towns())
    gaz = store.Gazetteer(path)
    with open(path, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * (path.stat().st_size - 4096))
    with pytest.raises(store.GazetteerError) as caught:
        gaz.candidates("town 1")
    assert str(tmp_path) not in str(caught.value)


def test_the_cache_folder_deleted_while_running_is_rebuilt_for_old_and_new_threads(tmp_path):
    folder = tmp_path / "cache"
    gaz = store.open_gazetteer(folder / "gazetteer.sqlite", entries=towns, stamp="t")
    assert gaz.candidates("town 3")
    shutil.rmtree(folder)
    assert [c.name for c in gaz.candidates("town 3")] == ["Town 3"]
    assert (folder / "gazetteer.sqlite").is_file()
    shutil.rmtree(folder)
    found: list[str] = []
    worker = threading.Thread(target=lambda: found.extend(c.name for c in gaz.candidates("town 4")))
    worker.start()
    worker.join()
    assert found == ["Town 4"]


CHILD = """
import sys, time
from pathlib import Path
from geo.core.features import Feature
from geo.gazetteer import store
from geo.gazetteer.sources import Entry

folder, pause = Path(sys.argv[1]), float(sys.argv[2])

def entries():
    with open(folder.parent / "builds.txt", "a") as marker:
        marker.write("build\\n")
    for i in range(20):
        time.sleep(pause)
        yield Entry(f"Town {i}", Feature.CITY, "SY", 35.0, 36.0 + i / 100, 1000 + i, "test")

gaz = store.open_gazetteer(folder / "gazetteer.sqlite", entries=entries, stamp="two")
print(gaz.count(), gaz._rows("SELECT value FROM meta WHERE key = 'built'")[0][0], flush=True)
"""


def child(folder: Path, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(pause)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_on_an_empty_folder_build_once_and_a_killed_build_leaves_nothing(tmp_path):
    folder = tmp_path / "cache"
    # A build killed part-way leaves its .tmp file behind.
    killed = child(folder, 0.5)
    deadline = time.monotonic() + 60
    while not list(folder.glob("gazetteer.sqlite.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.1)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert list(folder.glob("gazetteer.sqlite.*.tmp"))
    (tmp_path / "builds.txt").unlink(missing_ok=True)
    # Two processes at once: one builds (2 s), the other waits for the lock, then opens its file.
    first, second = child(folder, 0.1), child(folder, 0.1)
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0], outputs
    counts_and_builders = {out.split()[0] + " " + out.split()[1] for out, _err in outputs}
    assert len(counts_and_builders) == 1  # both read the file one process built
    assert next(iter(counts_and_builders)).startswith("20 ")
    assert (tmp_path / "builds.txt").read_text() == "build\n"
    assert not list(folder.glob("gazetteer.sqlite.*.tmp"))


# The geocode cache and the corrections: in memory when their folder cannot be written, on
# through a full disk, reopened when deleted.


def test_a_geocode_cache_whose_folder_is_a_file_is_kept_in_memory(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    inner = CountingGeocoder()
    cached = geocode.CachedGeocoder(inner, path=blocked / "geocode.sqlite")
    assert cached.geocode("Nowhere") is None
    assert cached.geocode("Nowhere") is None
    assert inner.calls == ["Nowhere"]  # the second answer came from memory
    assert notices.current() == (geocode.MEMORY_NOTICE,)
    assert no_path_in(notices.current(), tmp_path)


def full(conn) -> None:
    """Make SQLite's own "database or disk is full" the answer to the next write needing a page."""
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_under_the_geocode_cache_loses_the_answer_not_the_map(tmp_path):
    inner = CountingGeocoder()
    cached = geocode.CachedGeocoder(inner, path=tmp_path / "geocode.sqlite")
    full(cached._conn())
    for number in range(200):  # enough answers to need a new page
        assert cached.geocode(f"Nowhere {number} " + "x" * 100) is None
    assert notices.current() == (geocode.UNWRITABLE_NOTICE,)


def test_a_geocode_cache_deleted_while_running_is_opened_again(tmp_path):
    folder = tmp_path / "cache"
    cached = geocode.CachedGeocoder(CountingGeocoder(), path=folder / "geocode.sqlite")
    cached.geocode("Before")
    shutil.rmtree(folder)
    cached.geocode("After")
    rows = sqlite3.connect(folder / "geocode.sqlite").execute("SELECT query FROM answers").fetchall()
    assert rows == [("after",)]


def test_corrections_whose_folder_is_a_file_are_kept_in_memory(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder")
    store = Corrections(blocked / "corrections.sqlite")
    store.set("a1", "aleppo", Correction("Aleppo", 36.2, 37.16))
    assert store.in_memory
    assert store.for_article("a1")["aleppo"].lat == 36.2
    assert store.undo("a1", "aleppo") and store.for_article("a1") == {}
    assert notices.current() == (corrections_module.MEMORY_NOTICE,)


def test_a_full_disk_moves_the_corrections_to_memory_with_what_they_held(tmp_path):
    store = Corrections(tmp_path / "corrections.sqlite")
    store.set("a1", "aleppo", Correction("Aleppo", 36.2, 37.16))
    full(store._conn())
    store.set("a1", "homs", Correction("Homs " + "x" * 20_000, 34.7, 36.7))  # needs new pages
    assert store.in_memory
    assert set(store.for_article("a1")) == {"aleppo", "homs"}
    assert notices.current() == (corrections_module.MEMORY_NOTICE,)


def test_corrections_deleted_while_running_are_opened_again(tmp_path):
    folder = tmp_path / "cache"
    store = Corrections(folder / "corrections.sqlite")
    store.set("a1", "aleppo", Correction("Aleppo", 36.2, 37.16))
    shutil.rmtree(folder)
    store.set("a1", "homs", Correction("Homs", 34.7, 36.7))
    assert not store.in_memory
    assert set(Corrections(folder / "corrections.sqlite").for_article("a1")) == {"homs"}


@pytest.mark.slow
def test_the_command_line_with_a_cache_folder_it_cannot_write_maps_the_seed_with_one_line_notices(tmp_path, gazetteer):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    temporary = tmp_path / "tmp"
    (temporary / "news-atlas-cache").mkdir(parents=True, exist_ok=True)
    shutil.copy(gazetteer.path, temporary / "news-atlas-cache" / "gazetteer.sqlite")  # built by an earlier run
    env = {**os.environ, "GEO_CACHE_DIR": str(blocked), "TMPDIR": str(temporary)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "parse",
            "seeds/russia-withdraws-from-syria-2016.txt",
            "--format",
            "jsonl",
            "--jobs",
            "1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Hmeymim Air Base" in done.stdout
    lines = done.stderr.strip().splitlines()
    assert any("temporary folder" in line for line in lines)
    assert any("Corrections cannot be saved" in line for line in lines)
    assert not any(str(tmp_path) in line or "Traceback" in line for line in lines), lines
