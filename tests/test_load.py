"""The load test of a public deployment (issue 26's "Done when"), bounded and loopback only.

One ``streamlit run app.py`` in public mode on 127.0.0.1, a stand-in geocoder on 127.0.0.1, and,
for ``ATTACK_SECONDS``:

- ``HOSTILE`` hostile sessions, websocket clients speaking the browser's protocol: each chooses the
  online geocoder for every name, pastes a dense article of about 200 KB made of place names,
  changes a filter every second, floods the upload endpoint (``UPLOADS`` files of ~1.9 MB) and
  sends a ``clear_cache`` message;
- one ordinary visitor, a real browser page, opening the app with its sample article.

Measured (``FIGURES``, printed, and written to ``$NEWS_ATLAS_LOAD_FIGURES`` when set): the
visitor's time to markers on the map, the server's memory (RSS of its process tree, from /proc),
the size of the app's published folder, tracebacks shown, the time until the server's CPU is idle
after the hostile sessions leave, and the look-ups the stand-in geocoder received after they left.

Six hostile sessions for 30 s, as the issue asks; about 2 minutes in all. The sample article is
mapped once before the attack (a deployment's first visitor does that), so the visitor's article
comes from the parse results, not the parse queue. The server's memory is its whole process tree:
the model's worker process (geo.parse.worker) included.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

from geo.core.config import ENV_PUBLIC
from tests.browser import ROOT, require_chromium

pytestmark = pytest.mark.slow

require_chromium()  # skipped without Chromium; under .ci/run, failed instead, as the browser tests

HOSTILE = 6
ATTACK_SECONDS = 30.0
UPLOADS = 15
UPLOAD_BYTES = 1_900_000
ARTICLE_BYTES = 195_000
#: The targets (issue 26).
VISITOR_SECONDS = 10.0
MEMORY_BYTES = 2.5e9
IDLE_WITHIN = 60.0
#: The times are measured against the targets above (docs/security.md has the figures), but the
#: test fails only past this many times them: on a shared 2-core machine the same run takes 6.5 s
#: or 10.8 s as other work comes and goes. Today's code without the queue took 43 s, which fails.
TIME_SLACK = 2.5
#: A 2-second window under this share of one core counts as idle.
IDLE_SHARE = 0.10

CITIES = [
    "Aleppo",
    "Damascus",
    "Homs",
    "Hama",
    "Idlib",
    "Latakia",
    "Tartus",
    "Raqqa",
    "Raqqa",
    "Palmyra",
    "Mosul",
    "Erbil",
    "Kirkuk",
    "Baghdad",
    "Basra",
    "Najaf",
    "Karbala",
    "Tikrit",
    "Fallujah",
    "Ramadi",
    "Beirut",
    "Tripoli",
    "Sidon",
    "Tyre",
    "Amman",
    "Irbid",
    "Zarqa",
    "Aqaba",
    "Gaziantep",
    "Ankara",
    "Istanbul",
    "Izmir",
    "Adana",
    "Konya",
    "Kilis",
    "Hatay",
    "Antakya",
    "Cairo",
    "Alexandria",
    "Giza",
    "Aswan",
    "Luxor",
    "Benghazi",
    "Misrata",
    "Tunis",
    "Sfax",
    "Algiers",
    "Oran",
    "Rabat",
    "Casablanca",
    "Marrakesh",
    "Khartoum",
    "Omdurman",
    "Riyadh",
    "Jeddah",
    "Mecca",
    "Medina",
    "Dammam",
    "Doha",
    "Dubai",
    "Muscat",
    "Sanaa",
    "Aden",
    "Taiz",
    "Kabul",
    "Kandahar",
    "Herat",
    "Tehran",
    "Isfahan",
    "Tabriz",
    "Shiraz",
    "Mashhad",
    "Paris",
    "Lyon",
    "Marseille",
    "London",
    "Manchester",
    "Berlin",
    "Hamburg",
    "Munich",
    "Vienna",
    "Prague",
    "Warsaw",
    "Krakow",
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Lviv",
    "Moscow",
    "Minsk",
    "Riga",
    "Vilnius",
    "Tallinn",
    "Helsinki",
    "Stockholm",
    "Oslo",
    "Madrid",
    "Barcelona",
    "Lisbon",
    "Rome",
    "Milan",
    "Naples",
    "Athens",
]


def dense_article(size: int = ARTICLE_BYTES, seed: int = 0) -> str:
    """Return about ``size`` bytes of news-like sentences naming places, several a sentence."""
    rng = random.Random(seed)
    verbs = ("moved from", "were shelled near", "left", "reached", "were seen outside", "returned to")
    out, length = [], 0
    while length < size:
        a, b, c = rng.sample(CITIES, 3)
        sentence = f"Troops {rng.choice(verbs)} {a} and {b}, officials in {c} said on Monday. "
        out.append(sentence)
        length += len(sentence)
        if rng.random() < 0.1:
            out.append("\n\n")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The server's process tree, from /proc


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def process_tree(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, ()))
    return found


def tree_usage(root: int) -> tuple[int, float]:
    """Return the RSS in bytes and the CPU seconds so far of ``root``'s process tree."""
    rss, cpu = 0, 0.0
    ticks, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError):
            continue
        cpu += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return rss, cpu


def server_pid(port: int) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmdline) and str(port).encode() in cmdline:
                return int(entry.name)
    raise AssertionError("the server's process was not found")


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return len(files), sum(p.stat().st_size for p in files if p.exists())


# ---------------------------------------------------------------------------------------------
# A hostile session: the browser's websocket protocol, spoken by a script


class Client:
    """A websocket session with the app; widgets are set by their key (their ids read from the page)."""

    def __init__(self, url: str) -> None:
        from websockets.sync.client import connect

        self.url = url
        self.ws = connect(
            url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], open_timeout=60
        )
        self.ids: dict[str, tuple[str, str]] = {}  # key -> (widget id, element type)
        self.session_id = ""
        self.exceptions: list[str] = []
        self.said: set[str] = set()  # the first words of every alert shown
        self.finished = threading.Event()
        self.closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self.closed:
            try:
                data = self.ws.recv(timeout=1)
            except TimeoutError:
                continue
            except Exception:
                return
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
            elif kind == "script_finished":
                self.finished.set()
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                etype = element.WhichOneof("type")
                if etype == "exception":
                    self.exceptions.append(element.exception.message[:200])
                elif etype == "alert":
                    self.said.add(" ".join(element.alert.body.split()[:6]))
                widget = getattr(element, etype, None) if etype else None
                wid = getattr(widget, "id", "") if widget is not None else ""
                if isinstance(wid, str) and wid.startswith("$$ID"):
                    self.ids[wid.rsplit("-", 1)[-1]] = (wid, etype)

    def run(self, values: dict[str, object], *, wait: float = 0.0) -> bool:
        """Ask for a run with the widgets ``values`` (by key); wait up to ``wait`` s for it to end."""
        states = []
        for key, value in values.items():
            if key not in self.ids:
                continue
            state = WidgetState(id=self.ids[key][0])
            if isinstance(value, str):
                state.string_value = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                state.string_array_value.data.extend(value)
            elif isinstance(value, list):
                state.double_array_value.data.extend(value)
            states.append(state)
        client_state = ClientState(query_string="", page_script_hash="", widget_states=WidgetStates(widgets=states))
        self.finished.clear()
        self.ws.send(BackMsg(rerun_script=client_state).SerializeToString())
        return self.finished.wait(wait) if wait else False

    def clear_cache(self) -> None:
        self.ws.send(BackMsg(clear_cache=True).SerializeToString())

    def upload_flood(self, count: int, size: int) -> list[int]:
        """PUT ``count`` files of ``size`` bytes to the upload endpoint; return the HTTP statuses."""
        with urllib.request.urlopen(self.url + "/_stcore/health", timeout=30) as response:  # sets the cookie
            cookies = response.headers.get_all("Set-Cookie") or []
        xsrf = next((c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("_streamlit_xsrf=")), "")
        statuses = []
        body_file = os.urandom(size // 2).hex().encode()[:size]
        for _ in range(count):
            boundary = uuid.uuid4().hex
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
                    f"Content-Type: text/plain\r\n\r\n"
                ).encode()
                + body_file
                + f"\r\n--{boundary}--\r\n".encode()
            )
            request = urllib.request.Request(
                f"{self.url}/_stcore/upload_file/{self.session_id}/{uuid.uuid4().hex}",
                data=body,
                method="PUT",
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "X-Xsrftoken": xsrf,
                    "Cookie": f"_streamlit_xsrf={xsrf}",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as err:
                statuses.append(err.code)
            except OSError:
                statuses.append(0)
        return statuses

    def close(self) -> None:
        self.closed = True
        self.ws.close()


def hostile(url: str, number: int, stop: threading.Event, report: dict) -> None:
    """One hostile session until ``stop``: see the module."""
    client = Client(url)
    report["clients"].append(client)
    try:
        client.run({}, wait=120)
        client.run({"geocoder": "nominatim"}, wait=120)
        article = dense_article(seed=number)
        values: dict[str, object] = {"geocoder": "nominatim", "ask_online": "every name", "pasted": article}
        client.run(values)
        client.clear_cache()
        report["uploads"].extend(client.upload_flood(UPLOADS, UPLOAD_BYTES))
        least = 1.0
        while not stop.wait(1.0):
            least = 2.0 if least == 1.0 else 1.0
            client.run({**values, "min_mentions": [least]})  # a filter changed every second
    finally:
        report["exceptions"].extend(client.exceptions)
        report["said"].update(client.said)
        client.close()


def test_a_public_server_holds_under_hostile_sessions(tmp_path, gazetteer):
    from playwright.sync_api import sync_playwright

    from tests.browser import free_port, launch, open_offline_page, running_app, wait_for_markers
    from tests.nominatim_server import NominatimServer

    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "gazetteer.sqlite").symlink_to(gazetteer.path)
    static_places = ROOT / "static" / "places"
    port = free_port()
    figures: dict[str, object] = {"hostile_sessions": HOSTILE, "attack_seconds": ATTACK_SECONDS}
    with NominatimServer() as geocoder:
        env = {
            "GEO_CACHE_DIR": str(tmp_path / "cache"),
            ENV_PUBLIC: "1",
            "TMPDIR": str(tmp_path),
            "GEO_GEOCODER_URL": geocoder.url,
        }
        log = tmp_path / "server.log"
        with running_app(port, env=env, log=log) as url:
            pid = server_pid(port)
            samples: list[tuple[float, int, float]] = []  # (time, rss, cpu seconds)
            sampling = threading.Event()

            def sample() -> None:
                while not sampling.wait(0.5):
                    samples.append((time.monotonic(), *tree_usage(pid)))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            # Warm: the model loaded and the sample article mapped once, as by a first visitor.
            warm = Client(url)
            assert warm.run({}, wait=180), "the first visit did not finish"
            warm.close()
            figures["rss_before_mb"] = round(samples[-1][1] / 1e6) if samples else None

            stop = threading.Event()
            report: dict = {"clients": [], "uploads": [], "exceptions": [], "said": set()}
            attackers = [threading.Thread(target=hostile, args=(url, n, stop, report)) for n in range(HOSTILE)]
            started = time.monotonic()
            for thread in attackers:
                thread.start()
            with sync_playwright() as playwright:
                browser = launch(playwright)
                try:
                    time.sleep(10)  # the hostile sessions' parses are running and queued
                    opened = time.monotonic()
                    page = open_offline_page(browser, url)
                    wait_for_markers(page, timeout_ms=90_000)
                    figures["visitor_seconds"] = round(time.monotonic() - opened, 1)
                    shown = page.inner_text("body")
                    figures["visitor_traceback"] = "Traceback" in shown
                    page.context.close()
                finally:
                    browser.close()
                time.sleep(max(0.0, ATTACK_SECONDS - (time.monotonic() - started)))
            stop.set()
            for thread in attackers:
                thread.join(60)
            left = time.monotonic()
            sent_before = len(geocoder.requests)
            # CPU back to idle: a 2-second window under IDLE_SHARE of a core.
            idle_after = None
            while time.monotonic() - left < IDLE_WITHIN + 30:
                time.sleep(2.0)
                recent = [s for s in samples if s[0] >= time.monotonic() - 2.0]
                if len(recent) >= 2 and (recent[-1][2] - recent[0][2]) / (recent[-1][0] - recent[0][0]) < IDLE_SHARE:
                    idle_after = round(recent[0][0] - left, 1)
                    break
            late = [r for r in geocoder.requests if r.at > left + 1.0]
            sampling.set()
            sampler.join(5)
            figures["idle_after_leaving_seconds"] = idle_after
            figures["peak_rss_mb"] = round(max(s[1] for s in samples) / 1e6)
            figures["look_ups_during_attack"] = sent_before
            figures["look_ups_after_leaving"] = len(late)
            figures["uploads_accepted"] = sum(1 for s in report["uploads"] if s == 204 or s == 200)
            figures["uploads_refused"] = sum(1 for s in report["uploads"] if s not in (200, 204))
            figures["upload_statuses"] = sorted(set(report["uploads"]))
            figures["exceptions_shown"] = len(report["exceptions"])
            figures["hostile_sessions_told"] = sorted(report["said"])
            files, size = folder_bytes(static_places)
            figures["static_places_files"], figures["static_places_mb"] = files, round(size / 1e6, 1)
        output = log.read_text(encoding="utf-8", errors="replace")
        figures["refused_clear_cache_logged"] = "refused a browser's clear_cache message" in output
        # The operator's log: Streamlit's server may log a websocket closed mid-handshake (its
        # own traceback, no visitor sees it); a traceback through the app's own files is a fault.
        figures["tracebacks_in_log"] = output.count("Traceback")
        # (The project's own files: not the libraries of a virtual environment kept inside it.)
        figures["app_frames_in_log"] = len(re.findall(rf'File "{re.escape(str(ROOT))}/(?!\.venv/)', output))
    print("load test figures:", json.dumps(figures))
    if os.environ.get("NEWS_ATLAS_LOAD_FIGURES"):
        Path(os.environ["NEWS_ATLAS_LOAD_FIGURES"]).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    # The bounds first, then the times (which depend on what else the machine runs).
    assert figures["peak_rss_mb"] < MEMORY_BYTES / 1e6, figures
    assert files <= 200 and size <= 50_000_000, figures
    assert not figures["visitor_traceback"] and not report["exceptions"], figures
    assert figures["app_frames_in_log"] == 0, figures
    assert figures["look_ups_after_leaving"] == 0, figures
    assert figures["refused_clear_cache_logged"], figures
    assert figures["visitor_seconds"] <= VISITOR_SECONDS * TIME_SLACK, figures
    assert idle_after is not None and idle_after <= IDLE_WITHIN * TIME_SLACK, figures
