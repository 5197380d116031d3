"""A public deployment's bounds: what the server keeps for visitors, and limits no client can lift."""

from __future__ import annotations

import tempfile

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.config import ENV_PUBLIC
from tests.conftest import ROOT
from tests.test_public import correct_geneva_to_illinois, geneva_country
from ui import registry

APP = str(ROOT / "app.py")
#: The session id AppTest runs its script under (Streamlit's, not the app's own).
APPTEST_SESSION = "test session id"


@pytest.fixture
def public(tmp_path, monkeypatch, gazetteer):
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(ENV_PUBLIC, "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the sessions' own corrections
    tempfile.tempdir = None
    yield tmp_path
    tempfile.tempdir = None


def test_a_public_sessions_corrections_are_deleted_when_it_ends(public, monkeypatch):
    from streamlit.runtime.caching import clear_session_resource_cache

    alice = AppTest.from_file(APP, default_timeout=300)
    correct_geneva_to_illinois(alice)
    assert geneva_country(alice) == "US"
    folder = public / registry.SESSIONS_FOLDER
    assert [p.name for p in folder.glob("*.sqlite")] == [f"{alice.session_state['news_atlas_session']}.sqlite"]
    monkeypatch.setattr(registry.session_stores(), "grace", 0.0)
    clear_session_resource_cache(APPTEST_SESSION)  # what Streamlit does when the browser disconnects
    assert not list(folder.iterdir())  # nothing the visitor did is left on disk


def test_a_session_that_reconnects_within_the_grace_keeps_its_corrections(tmp_path):
    stores = registry.SessionStores(tmp_path, grace=30.0)
    store = stores.get("s1")
    assert store.path.exists()
    stores.end("s1")  # the browser disconnected
    assert stores.get("s1") is store and store.path.exists()  # and came back: the timer is cancelled
    stores.grace = 0.0
    stores.end("s1")
    assert not store.path.exists() and len(stores) == 0


PASTED = "Talks resumed in Mosul on Monday, and aid reached Aleppo by road from Gaziantep."


def test_public_mode_publishes_no_file_of_a_visitors_places(public, monkeypatch):
    from tests.test_app import map_html

    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_area(key="pasted").input(PASTED).run()
    assert not at.exception
    assert ".naDrawPlaces(" in map_html(at) and ".naLoadPlaces(" not in map_html(at)  # inside the map
    assert "Gaziantep" in map_html(at)
    monkeypatch.delenv(ENV_PUBLIC)
    local = AppTest.from_file(APP, default_timeout=300).run()
    local.text_area(key="pasted").input(PASTED).run()
    assert ".naLoadPlaces(" in map_html(local)  # locally, published as before


# ---------------------------------------------------------------------------------------------
# Limits no client can lift: Streamlit's caches can be emptied from a browser (clear_cache)


def test_emptying_streamlits_caches_does_not_lift_one_parse_per_session():
    import threading
    import time

    import streamlit as st

    from ui import limits

    release = threading.Event()
    first = threading.Thread(target=limits.run_limited, args=("s-clear", release.wait, time.monotonic() + 5))
    first.start()
    try:
        time.sleep(0.2)
        st.cache_resource.clear()  # what a browser's clear_cache message does
        st.cache_data.clear()
        with pytest.raises(limits.Busy):
            limits.run_limited("s-clear", lambda: "second", time.monotonic() + 0.3)
    finally:
        release.set()
        first.join()


def test_emptying_streamlits_caches_keeps_the_fetch_back_off_and_the_geocoders(monkeypatch):
    import streamlit as st

    from geo.core.errors import InputError
    from ui import resources

    asked = []

    def failing(url):
        asked.append(url)
        raise InputError("that page could not be read")

    monkeypatch.setattr(resources, "_fetched", failing)
    for _ in range(2):
        with pytest.raises(InputError):
            resources.fetched("https://example.invalid/a")
        st.cache_resource.clear()
        st.cache_data.clear()
    assert asked == ["https://example.invalid/a"]  # remembered, not asked again
    geocoder = resources.online_geocoder("nominatim", "http://127.0.0.1:9/")
    st.cache_resource.clear()
    assert resources.online_geocoder("nominatim", "http://127.0.0.1:9/") is geocoder  # its rate limit stays


def _session_for_backmsgs():
    """An AppSession with only what handling a clear_cache message reads (no server needed)."""
    from streamlit.runtime.app_session import AppSession, AppSessionState
    from streamlit.runtime.state import SessionState

    session = object.__new__(AppSession)
    session._session_state = SessionState()
    session._state = AppSessionState.SHUTDOWN_REQUESTED  # nothing to shut down when it is collected
    return session


def test_a_clear_cache_message_is_refused_in_public_mode(monkeypatch):
    import streamlit as st
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from ui import guards

    calls = []

    @st.cache_resource
    def loaded() -> int:
        calls.append(1)
        return len(calls)

    loaded()
    monkeypatch.setenv(ENV_PUBLIC, "1")
    assert guards.refuse_clear_cache()
    refused = guards.refused_clear_caches()
    _session_for_backmsgs().handle_backmsg(BackMsg(clear_cache=True))
    loaded()
    assert calls == [1] and guards.refused_clear_caches() == refused + 1  # nothing was emptied
    monkeypatch.delenv(ENV_PUBLIC)
    _session_for_backmsgs().handle_backmsg(BackMsg(clear_cache=True))
    loaded()
    assert calls == [1, 1]  # locally, "Clear cache" works as before


def _backmsg_client(url: str):
    """Return a websocket to the app at ``url``, as the browser opens it (the real protocol)."""
    from websockets.sync.client import connect

    return connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], open_timeout=30)


def _rerun(ws, timeout: float = 120.0) -> list:
    """Ask for a run of the app over ``ws``; return the ForwardMsgs until it has finished."""
    import time

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws.send(BackMsg(rerun_script=ClientState(query_string="", page_script_hash="")).SerializeToString())
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=deadline - time.monotonic()))
        messages.append(msg)
        if msg.WhichOneof("type") == "script_finished":
            return messages
    raise AssertionError("the run did not finish")


@pytest.mark.slow
def test_a_real_clear_cache_message_is_refused_by_a_public_server(tmp_path, gazetteer):
    import time

    from streamlit.proto.BackMsg_pb2 import BackMsg

    from tests.browser import running_app

    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    env = {"GEO_CACHE_DIR": str(tmp_path), ENV_PUBLIC: "1", "TMPDIR": str(tmp_path)}
    log = tmp_path / "server.log"
    with running_app(env=env, log=log) as url, _backmsg_client(url) as ws:
        _rerun(ws)
        ws.send(BackMsg(clear_cache=True).SerializeToString())
        ws.send(BackMsg(clear_cache=True).SerializeToString())
        finished = _rerun(ws)  # the session is still served
        assert finished[-1].script_finished == 0  # FINISHED_SUCCESSFULLY
        time.sleep(0.5)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "refused a browser's clear_cache message" in output
    assert "Traceback" not in output


def test_a_public_session_holds_a_bounded_number_of_uploads(tmp_path, gazetteer):
    from tests.browser import running_app
    from tests.test_load import Client
    from ui.guards import UPLOAD_BYTES_PER_SESSION, UPLOADS_PER_SESSION

    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    env = {"GEO_CACHE_DIR": str(tmp_path), ENV_PUBLIC: "1", "TMPDIR": str(tmp_path)}
    log = tmp_path / "server.log"
    big = 1_900_000  # under server.maxUploadSize (2 MiB): each one alone is taken
    fit = UPLOAD_BYTES_PER_SESSION // big
    with running_app(env=env, log=log) as url:
        client = Client(url)
        try:
            assert client.run({}, wait=180), "the first run did not finish"
            by_bytes = client.upload_flood(fit + 1, big)
            by_count = client.upload_flood(UPLOADS_PER_SESSION - fit + 1, 1_000)
        finally:
            client.close()
        other = Client(url)  # another visitor's uploads are their own
        try:
            assert other.run({}, wait=180)
            others = other.upload_flood(1, big)
        finally:
            other.close()
    assert by_bytes == [204] * fit + [413]  # past the bytes a session may hold
    assert by_count == [204] * (UPLOADS_PER_SESSION - fit) + [413]  # past the files it may hold
    assert others == [204]
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "refused an upload" in output and "Traceback" not in output


# ---------------------------------------------------------------------------------------------
# One parse queue for the whole server


@pytest.fixture
def one_slot(monkeypatch):
    from ui import limits

    queue = limits.ParseQueue(slots=1)
    monkeypatch.setattr(limits, "_QUEUE", queue)
    monkeypatch.setattr(limits, "POSITION_EVERY", 0.05)
    return queue


def test_the_server_parses_one_article_at_a_time_the_others_shown_their_place(one_slot):
    import threading
    import time

    from ui import limits

    release = threading.Event()
    running, most, order, seen = [0], [0], [], {}
    lock = threading.Lock()

    def work(name):
        def parse():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(name)
            release.wait(10)
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            return name

        return parse

    def visitor(name):
        limits.run_limited(
            name, work(name), time.monotonic() + 20, on_wait=lambda n: seen.setdefault(name, []).append(n)
        )

    threads = []
    for name in ("a", "b", "c"):
        threads.append(threading.Thread(target=visitor, args=(name,)))
        threads[-1].start()
        time.sleep(0.3)  # they arrive in this order
    assert one_slot.running() == 1 and one_slot.waiting() == 2
    release.set()
    for thread in threads:
        thread.join(20)
    assert most[0] == 1 and order == ["a", "b", "c"]  # one at a time, first come first served
    assert seen["b"][0] == 1 and seen["c"][0] == 2  # each was told how many were ahead
    assert one_slot.idle()


def test_a_session_holds_one_place_in_the_queue(one_slot):
    import threading
    import time

    from ui import limits

    release = threading.Event()
    first = threading.Thread(target=limits.run_limited, args=("s", lambda: release.wait(10), time.monotonic() + 20))
    first.start()
    time.sleep(0.2)
    asked = []
    with pytest.raises(limits.Busy):  # its earlier parse still runs: it does not queue a second
        limits.run_limited("s", lambda: asked.append(1), time.monotonic() + 0.3)
    assert one_slot.waiting() == 0 and not asked
    release.set()
    first.join(10)
    assert limits.run_limited("s", lambda: "next", time.monotonic() + 5) == "next"


def test_a_parse_whose_turn_does_not_come_leaves_the_line_unrun(one_slot):
    import threading
    import time

    from ui import limits

    release = threading.Event()
    first = threading.Thread(target=limits.run_limited, args=("s1", lambda: release.wait(10), time.monotonic() + 20))
    first.start()
    time.sleep(0.2)
    asked = []
    with pytest.raises(limits.OverTime, match="busy"):
        limits.run_limited("s2", lambda: asked.append(1), time.monotonic() + 0.4)
    release.set()
    first.join(10)
    assert not asked and one_slot.idle()


def test_the_parse_results_in_memory_are_capped(make_mention, make_place):
    from geo.core.values import PlaceMention
    from geo.parse.parsed import ParseResult

    text = "Troops left Aleppo. " * 50
    mention = PlaceMention(make_mention("Aleppo", text), make_place(), ())
    small = ParseResult((mention,) * 10)
    big = ParseResult((mention,) * 2000)
    size = registry.result_bytes(small)
    cache = registry.ResultCache(max_entries=5, max_bytes=size * 3, max_result=registry.result_bytes(big) - 1)
    assert not cache.put("big", big) and cache.get("big") is None  # one result over the cap
    for number in range(4):
        cache.put(number, small)
    assert len(cache) == 3 and cache.size() <= size * 3 and cache.get(0) is None  # the oldest out
    assert cache.get(3) is small  # shared as it is


def test_the_upload_limit_is_the_apps_own():
    import tomllib

    from geo.inputs.text import MAX_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    megabytes = config["server"]["maxUploadSize"]
    # Streamlit counts megabytes of 2**20 bytes: the smallest whole number over the app's own cap,
    # so that a file the app reads is never stopped in the browser and its own message is shown.
    assert (megabytes - 1) * 2**20 < MAX_BYTES <= megabytes * 2**20


# ---------------------------------------------------------------------------------------------
# No tracebacks: what a browser's components report is checked before it is used

ODD_MAP_REPORTS = [
    {"last_object_clicked": {"lat": 35.4}},  # a click without lng
    {"last_object_clicked": {"lat": "x", "lng": None}},
    {"last_object_clicked": {"lat": float("nan"), "lng": 1e308 * 10}},
    {"last_object_clicked": [1, 2]},
    {"last_object_clicked": {"lat": 35.4, "lng": 35.9}, "last_object_clicked_tooltip": ["not", "text"]},
    {"center": {"lat": 10, "lng": 20}, "zoom": "Infinity"},
    {"center": {"lat": "NaN", "lng": 20}, "zoom": 5},
    {"center": {"lat": 10, "lng": 20}, "zoom": float("inf")},
    {"center": [10, 20], "zoom": 5, "selected_tags": "Streets"},
    {"center": {"lat": 10, "lng": 20}, "zoom": 1e300},
]


@pytest.mark.parametrize("report", ODD_MAP_REPORTS)
def test_odd_reports_from_the_map_draw_the_page(monkeypatch, report):
    import streamlit_folium

    monkeypatch.setattr(streamlit_folium, "st_folium", lambda *a, **k: report)
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["map"] = report  # what the component left in the session on its last report
    at.run()
    assert not at.exception
    assert at.dataframe, "the table is drawn"


def test_the_share_link_gets_a_sane_view_from_an_odd_map_report(monkeypatch):
    from ui import map_panel

    monkeypatch.setattr(map_panel.st, "session_state", {"map": {"center": {"lat": 99, "lng": 560}, "zoom": 1e9}})
    view = map_panel.map_view()
    assert view is not None and -85 <= view.lat <= 85 and -180 <= view.lng < 180 and 0 <= view.zoom <= 20
    monkeypatch.setattr(map_panel.st, "session_state", {"map": {"center": {"lat": 1, "lng": 2}, "zoom": "Infinity"}})
    assert map_panel.map_view() is None


def test_public_mode_shows_visitors_a_sentence_not_a_traceback(public):
    import streamlit as st
    from streamlit import config

    before = st.get_option("client.showErrorDetails")
    try:
        AppTest.from_file(APP, default_timeout=300).run()
        assert st.get_option("client.showErrorDetails") == "none"
    finally:
        config.set_option("client.showErrorDetails", before)


# ---------------------------------------------------------------------------------------------
# Hygiene: editor tokens, their guesses, upload names


def test_editor_tokens_shorter_than_16_characters_are_refused_with_a_log_line(caplog):
    from geo.core.config import ENV_EDITOR_TOKENS, settings

    with caplog.at_level("WARNING"):
        tokens = settings({ENV_EDITOR_TOKENS: "alice:short-token-15c,bob:a-token-of-16-chars"}).editor_tokens
    assert tokens == {"a-token-of-16-chars": "bob"}
    assert "'alice'" in caplog.text and "16 characters" in caplog.text
    assert "short-token" not in caplog.text  # the token itself is never logged


def test_editor_token_guesses_are_limited_per_session_and_logged(caplog):
    from ui.guards import TokenGuesses

    tokens = {"the-right-token-0001": "alice"}
    guesses = TokenGuesses(max_guesses=3, window=60)
    with caplog.at_level("WARNING"):
        assert guesses.check("s1", "the-right-token-0001", tokens) == "alice"
        for number in range(3):
            assert guesses.check("s2", f"guess-{number}", tokens) is None
            assert guesses.check("s2", f"guess-{number}", tokens) is None  # the same again: one guess
        assert guesses.check("s2", "the-right-token-0001", tokens) is None  # locked out, even right
        assert guesses.locked("s2") and not guesses.locked("s1")
        assert guesses.check("s3", "the-right-token-0001", tokens) == "alice"  # another session
    assert caplog.text.count("a wrong editor token") == 3 and "refused for a while" in caplog.text
    assert "guess-" not in caplog.text
    guesses.window = 0.0  # the window passed
    assert guesses.check("s2", "the-right-token-0001", tokens) == "alice"


def test_a_session_that_guesses_tokens_is_refused_in_the_app(public, monkeypatch):
    from geo.core.config import ENV_EDITOR_TOKENS
    from ui import guards

    monkeypatch.setattr(guards, "_GUESSES", guards.TokenGuesses(max_guesses=2, window=60))
    monkeypatch.setenv(ENV_EDITOR_TOKENS, "alice:alice-token-000001")
    at = AppTest.from_file(APP, default_timeout=300).run()
    for guess in ("alice-token-000000", "alice-token-000002", "alice-token-000001"):
        at.text_input(key="editor_token").input(guess).run()
    assert not at.exception
    assert any("Too many wrong tokens" in c.value for c in at.sidebar.caption)
    correct_geneva_to_illinois(at)
    from geo.store.corrections import Corrections

    assert Corrections(public / "corrections.sqlite").version() == (0, 0)  # nothing shared


def test_upload_names_are_cleaned_like_every_shown_string():
    from tests.test_public import Upload
    from ui.articles import MAX_NAME, gather
    from ui.sidebar import Inputs

    name = "evil\u202e\x00\x1b[31m\u200b" + "a" * 500 + "\n.txt"
    articles, problems = gather(Inputs((), "", (Upload(name, b"Talks in Geneva."),), ""), [])  # type: ignore[arg-type]
    assert problems == [] and len(articles) == 1
    shown = articles[0].name
    assert len(shown) <= MAX_NAME and shown.startswith("evil[31m")
    assert all(ch.isprintable() for ch in shown)


# ---------------------------------------------------------------------------------------------
# Online geocoding with a budget: per article and per session, stopped when the session ends

BUDGET_ARTICLES = (
    "Aid reached Aleppo from Gaziantep and Tartou; talks went on in Mosul, Erbil and Kirkuk.",
    "Convoys left Homs for Hama, Idlib and Latakia, and flights resumed at Beirut.",
)


def test_public_online_look_ups_are_budgeted_kept_off_disk_and_stopped_when_the_session_ends(public, monkeypatch):
    import sqlite3

    from streamlit.runtime.caching import clear_session_resource_cache

    from geo.core.config import ENV_ONLINE_PER_ARTICLE, ENV_ONLINE_PER_SESSION
    from tests.nominatim_server import NominatimServer

    monkeypatch.setenv(ENV_ONLINE_PER_ARTICLE, "2")
    monkeypatch.setenv(ENV_ONLINE_PER_SESSION, "3")
    (public / "articles").mkdir()
    monkeypatch.setenv("NEWS_ATLAS_ARTICLES", str(public / "articles"))  # the visitor's articles only
    with NominatimServer() as server:
        monkeypatch.setenv("GEO_GEOCODER_URL", server.url)
        at = AppTest.from_file(APP, default_timeout=300).run()
        at.selectbox(key="geocoder").select("nominatim").run()
        at.radio(key="ask_online").set_value("all").run()
        at.text_area(key="pasted").input(BUDGET_ARTICLES[0]).run()
        assert not at.exception
        assert len(server.searches()) == 2  # the article's budget
        told = " ".join(i.value for i in at.info)
        assert "left to the offline gazetteer" in told and "2 names an article" in told
        assert "Gaziantep" in " ".join(at.dataframe[0].value["Written as"])  # the gazetteer placed the rest
        at.text_area(key="pasted").input(BUDGET_ARTICLES[1]).run()
        assert len(server.searches()) == 3  # the session's budget
        session = at.session_state["news_atlas_session"]
        assert registry.online_budgets().spent(session) == 3
        clear_session_resource_cache(APPTEST_SESSION)  # what Streamlit does when the browser disconnects
        budget, _ = registry.online_budgets()._sessions[session]
        assert budget.closed and not budget.take()  # nothing it queued is sent after it ended
    geocode_cache = public / "geocode.sqlite"
    if geocode_cache.exists():  # the shared cache on disk holds none of the visitor's names
        rows = sqlite3.connect(geocode_cache).execute("SELECT query FROM answers").fetchall()
        assert rows == []


def test_the_local_app_asks_online_as_before_and_caches_on_disk(tmp_path, monkeypatch, gazetteer):
    import sqlite3

    from tests.nominatim_server import NominatimServer

    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(ENV_PUBLIC, raising=False)
    (tmp_path / "articles").mkdir()
    monkeypatch.setenv("NEWS_ATLAS_ARTICLES", str(tmp_path / "articles"))
    with NominatimServer() as server:
        at = AppTest.from_file(APP, default_timeout=300).run()
        at.selectbox(key="geocoder").select("nominatim").run()
        at.text_input(key="geocoder_url").input(server.url).run()
        at.radio(key="ask_online").set_value("all").run()
        at.text_area(key="pasted").input(BUDGET_ARTICLES[0]).run()
        assert not at.exception and not at.info
        assert len(server.searches()) == 6  # no budget: every name
    rows = sqlite3.connect(tmp_path / "geocode.sqlite").execute("SELECT count(*) FROM answers").fetchone()[0]
    assert rows >= 6


def test_a_run_going_on_after_its_browser_left_does_not_open_the_budget_again():
    budgets = registry.OnlineBudgets()
    budget, _ = budgets.get("s", 10)
    budgets.end("s")  # the browser left
    assert budgets.get("s", 10, connected=False)[0] is budget and budget.closed  # the run still going
    assert not budgets.get("new", 10, connected=False)[0].take()
    budgets.get("s", 10, connected=True)  # the browser came back
    assert budget.take() and budgets.spent("s") == 1


# ---------------------------------------------------------------------------------------------
# The model in a worker process: the time limit really stops the work


def test_a_public_parse_over_the_time_limit_is_stopped_and_frees_the_server(public, one_slot, monkeypatch):
    import os
    import time

    from tests.test_load import dense_article
    from ui import limits

    monkeypatch.setattr(limits, "_WORKERS", [])
    monkeypatch.setattr(limits, "_FREE", __import__("queue").Queue())
    try:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        (worker,) = limits._WORKERS  # public mode: the model runs in a worker process, started at once
        assert worker.recognize("Troops left Aleppo.", timeout=120).mentions  # loaded
        pid = worker.pid
        monkeypatch.setattr(limits, "PARSE_SECONDS", 1.0)
        at.text_area(key="pasted").input(dense_article(seed=7)).run()
        assert any("stopped" in e.value for e in at.error), [e.value for e in at.error]
        assert not at.exception
        # The work stopped with the limit: the process that did it is gone, the slot is free, and
        # a new process is loading the model for the next visitor.
        deadline = time.monotonic() + 5
        while not one_slot.idle() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert one_slot.idle()
        assert worker.pid != pid and worker.stopped == 1
        try:
            os.kill(pid, 0)
            with open(f"/proc/{pid}/stat") as stat:
                assert stat.read().split(")")[-1].split()[0] == "Z"
        except (ProcessLookupError, FileNotFoundError):
            pass
    finally:
        for worker in limits._WORKERS:
            worker.close()


def test_the_local_app_runs_the_model_in_its_own_process(tmp_path, monkeypatch, gazetteer):
    from ui import limits

    monkeypatch.setattr(limits, "_WORKERS", [])
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    (tmp_path / "gazetteer.sqlite").symlink_to(gazetteer.path)
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.text_area(key="pasted").input("Shelling hit Kharkiv on Monday.").run()
    assert not at.exception and not at.error
    assert limits._WORKERS == []


def test_a_parse_waiting_in_line_leaves_it_when_its_visitor_leaves(one_slot):
    import threading
    import time

    from ui import limits

    release = threading.Event()
    first = threading.Thread(target=limits.run_limited, args=("s1", lambda: release.wait(10), time.monotonic() + 20))
    first.start()
    time.sleep(0.2)
    here = [True]
    asked = []
    threading.Timer(0.3, lambda: here.__setitem__(0, False)).start()
    started = time.monotonic()
    with pytest.raises(limits.OverTime, match="left"):
        limits.run_limited("s2", lambda: asked.append(1), time.monotonic() + 20, wanted=lambda: here[0])
    assert time.monotonic() - started < 2 and one_slot.waiting() == 0
    release.set()
    first.join(10)
    assert not asked and one_slot.idle()
