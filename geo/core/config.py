"""Configuration from the environment, read in one place.

Every setting News Atlas takes from the environment is named here, with its default. Code
elsewhere asks ``settings()`` and never reads ``os.environ`` itself, so a newcomer finds every
knob in this file.

| variable | setting | default |
|---|---|---|
| ``GEO_CACHE_DIR`` | where runtime data lives (gazetteer, geocode cache, corrections) | ``cache/`` in the project |
| ``GEO_GEOCODER`` | the online geocoder: ``offline``, ``nominatim``, ``photon``, ``arcgis`` | ``offline`` |
| ``GEO_GEOCODER_URL`` | the online geocoder's base address (self-hosted, tests) | the service's own |
| ``NEWS_ATLAS_ARTICLES`` | the folder of sample articles the app offers | ``seeds/`` in the project |
| ``NEWS_ATLAS_CORPUS`` | a corpus output folder (``news-atlas corpus --out``) the app opens | none |
| ``NEWS_ATLAS_PUBLIC`` | ``1``: a public deployment (see docs/deployment.md) | off |
| ``NEWS_ATLAS_EDITOR_TOKENS`` | ``name:token,…``: who may make shared corrections in public mode | none |
| ``NEWS_ATLAS_ONLINE_PER_ARTICLE`` | public mode: most online look-ups one article may send | ``25`` |
| ``NEWS_ATLAS_ONLINE_PER_SESSION`` | public mode: most online look-ups one visitor's session may send | ``100`` |
| ``NEWS_ATLAS_ATLAS_SAVING`` | who may save an atlas: ``anyone``, ``editors`` (with a token), ``off`` | ``anyone`` |
| ``NEWS_ATLAS_ATLAS_MAX_BYTES`` | the largest atlas saved or opened, in bytes (text included) | ``5000000`` |
| ``NEWS_ATLAS_ATLAS_MAX_COUNT`` | most atlases the server keeps at once | ``2000`` |
| ``NEWS_ATLAS_ATLAS_MAX_TOTAL_BYTES`` | most bytes the server's atlases take together | ``500000000`` |
| ``NEWS_ATLAS_ATLAS_DAYS`` | days an atlas is kept after it is saved (``0``: until the operator deletes it) | ``30`` |
| ``NEWS_ATLAS_ATLAS_PER_SESSION`` | public mode: most atlases one visitor's session may save | ``10`` |
| ``NEWS_ATLAS_PARSE_PROCESS`` | ``1``/``0``: the model in a worker process the server can stop | on in public mode |
| ``NEWS_ATLAS_PARSE_MEMORY_MB`` | the worker process's memory ceiling, in MB (it is stopped past it) | ``1500`` |
| ``NEWS_ATLAS_TEST_LOOPBACK`` | ``1``, tests only: a first fetch may reach 127.0.0.1 (not in public mode) | off |

Streamlit Community Cloud exposes top-level secrets as environment variables, so each of these can
be set as a secret too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo import __version__

__all__ = [
    "ATLAS_SAVING",
    "DATA_DIR",
    "ENV_ARTICLES",
    "ENV_ATLAS_DAYS",
    "ENV_ATLAS_MAX_BYTES",
    "ENV_ATLAS_MAX_COUNT",
    "ENV_ATLAS_MAX_TOTAL_BYTES",
    "ENV_ATLAS_PER_SESSION",
    "ENV_ATLAS_SAVING",
    "ENV_CACHE_DIR",
    "ENV_CORPUS",
    "ENV_EDITOR_TOKENS",
    "ENV_GEOCODER",
    "ENV_GEOCODER_URL",
    "ENV_ONLINE_PER_ARTICLE",
    "ENV_ONLINE_PER_SESSION",
    "ENV_PARSE_MEMORY_MB",
    "ENV_PARSE_PROCESS",
    "ENV_PUBLIC",
    "ENV_TEST_LOOPBACK",
    "MIN_TOKEN_CHARS",
    "ONLINE_PER_ARTICLE",
    "ONLINE_PER_SESSION",
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "USER_AGENT",
    "Settings",
    "settings",
]

#: The ``geo`` package's folder, and the project's (one above it).
PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROJECT_ROOT = PACKAGE_DIR.parent
#: The data files the package ships beside its code (basemap, demonyms, the ranker's weights).
DATA_DIR = PACKAGE_DIR / "data"
#: How News Atlas names itself to every server it asks (online geocoders, fetched pages).
USER_AGENT = f"NewsAtlas/{__version__} (news geoparser; offline-first, results cached)"

ENV_CACHE_DIR = "GEO_CACHE_DIR"
ENV_GEOCODER = "GEO_GEOCODER"
ENV_GEOCODER_URL = "GEO_GEOCODER_URL"
ENV_ARTICLES = "NEWS_ATLAS_ARTICLES"
ENV_CORPUS = "NEWS_ATLAS_CORPUS"
ENV_PUBLIC = "NEWS_ATLAS_PUBLIC"
ENV_EDITOR_TOKENS = "NEWS_ATLAS_EDITOR_TOKENS"
ENV_TEST_LOOPBACK = "NEWS_ATLAS_TEST_LOOPBACK"
ENV_ONLINE_PER_ARTICLE = "NEWS_ATLAS_ONLINE_PER_ARTICLE"
ENV_ONLINE_PER_SESSION = "NEWS_ATLAS_ONLINE_PER_SESSION"
ENV_PARSE_PROCESS = "NEWS_ATLAS_PARSE_PROCESS"
ENV_PARSE_MEMORY_MB = "NEWS_ATLAS_PARSE_MEMORY_MB"
ENV_ATLAS_SAVING = "NEWS_ATLAS_ATLAS_SAVING"
ENV_ATLAS_MAX_BYTES = "NEWS_ATLAS_ATLAS_MAX_BYTES"
ENV_ATLAS_MAX_COUNT = "NEWS_ATLAS_ATLAS_MAX_COUNT"
ENV_ATLAS_MAX_TOTAL_BYTES = "NEWS_ATLAS_ATLAS_MAX_TOTAL_BYTES"
ENV_ATLAS_DAYS = "NEWS_ATLAS_ATLAS_DAYS"
ENV_ATLAS_PER_SESSION = "NEWS_ATLAS_ATLAS_PER_SESSION"
#: Who may save an atlas on the server (anyone who can use the app; editors only, in public mode:
#: a session with an editor token; nobody: downloading the atlas file still works).
ATLAS_SAVING = ("anyone", "editors", "off")
#: Public mode's budget of online look-ups (requests sent to the online geocoder; answers a session
#: already has cost nothing): per article, and per visitor's session. Past it, names are left to the
#: offline gazetteer. At Nominatim's one request a second, 25 is 25 s of the server's shared clock.
ONLINE_PER_ARTICLE = 25
ONLINE_PER_SESSION = 100
_TRUE = frozenset({"1", "true", "yes", "on"})
#: The shortest editor token taken: 16 characters (about 95 bits from a password generator), so
#: that guessing one, at the guesses a session is allowed (ui.guards), is hopeless.
MIN_TOKEN_CHARS = 16

log = logging.getLogger(__name__)
#: Editors whose token was left out, named once in the log (``settings()`` is read on every run).
_REFUSED: set[tuple[str, int]] = set()


@dataclass(frozen=True)
class Settings:
    """What the environment asks for (see the module's table)."""

    cache_dir: Path
    geocoder: str
    geocoder_url: str | None
    articles_dir: Path
    corpus_dir: Path | None = None
    public: bool = False
    #: Editor tokens by token: the name each stands for (public mode's shared corrections).
    editor_tokens: Mapping[str, str] = field(default_factory=dict)
    #: Tests only: the fetcher may reach a loopback server on the first hop. Never in public mode.
    test_loopback: bool = False
    #: Public mode: most online look-ups sent for one article, and for one session (0: none).
    online_per_article: int = ONLINE_PER_ARTICLE
    online_per_session: int = ONLINE_PER_SESSION
    #: Atlases (geo.store.atlas): who may save one, the largest, how many and how many bytes the
    #: server keeps, the days each is kept (0: until deleted), most saves a public session may make.
    atlas_saving: str = "anyone"
    atlas_max_bytes: int = 5_000_000
    atlas_max_count: int = 2000
    atlas_max_total_bytes: int = 500_000_000
    atlas_days: int = 30
    atlas_per_session: int = 10
    #: The model runs in a worker process the server stops at the time limit or past
    #: ``parse_memory_mb`` of memory (geo.parse.worker): a public server's visitors are strangers.
    #: Locally, in the server's own process (no second copy of the model, no start-up wait).
    parse_process: bool = False
    parse_memory_mb: int = 1500


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """Return the settings the environment (``os.environ``, or ``env``) asks for, defaults filled in."""
    env = os.environ if env is None else env
    public = (env.get(ENV_PUBLIC) or "").strip().lower() in _TRUE
    return Settings(
        cache_dir=Path(env.get(ENV_CACHE_DIR) or PROJECT_ROOT / "cache"),
        geocoder=(env.get(ENV_GEOCODER) or "offline").strip().lower(),
        geocoder_url=env.get(ENV_GEOCODER_URL) or None,
        articles_dir=Path(env.get(ENV_ARTICLES) or PROJECT_ROOT / "seeds"),
        corpus_dir=Path(env[ENV_CORPUS]) if env.get(ENV_CORPUS) else None,
        public=public,
        editor_tokens=_tokens(env.get(ENV_EDITOR_TOKENS) or ""),
        test_loopback=not public and (env.get(ENV_TEST_LOOPBACK) or "").strip().lower() in _TRUE,
        online_per_article=_count(env, ENV_ONLINE_PER_ARTICLE, ONLINE_PER_ARTICLE),
        online_per_session=_count(env, ENV_ONLINE_PER_SESSION, ONLINE_PER_SESSION),
        atlas_saving=_saving(env.get(ENV_ATLAS_SAVING) or ""),
        atlas_max_bytes=_count(env, ENV_ATLAS_MAX_BYTES, Settings.atlas_max_bytes),
        atlas_max_count=_count(env, ENV_ATLAS_MAX_COUNT, Settings.atlas_max_count),
        atlas_max_total_bytes=_count(env, ENV_ATLAS_MAX_TOTAL_BYTES, Settings.atlas_max_total_bytes),
        atlas_days=_count(env, ENV_ATLAS_DAYS, Settings.atlas_days),
        atlas_per_session=_count(env, ENV_ATLAS_PER_SESSION, Settings.atlas_per_session),
        parse_process=_switch(env.get(ENV_PARSE_PROCESS) or "", default=public),
        parse_memory_mb=_count(env, ENV_PARSE_MEMORY_MB, Settings.parse_memory_mb) or Settings.parse_memory_mb,
    )


def _switch(value: str, *, default: bool) -> bool:
    """Return on or off as ``value`` says (1/0, true/false, yes/no, on/off), else ``default``."""
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return default


def _saving(value: str) -> str:
    """Return who may save an atlas (one of ``ATLAS_SAVING``); a value that is not one is said once
    in the log and saving is turned off (a typo must not open a public server wider)."""
    value = value.strip().lower()
    if not value:
        return ATLAS_SAVING[0]
    if value in ATLAS_SAVING:
        return value
    if (ENV_ATLAS_SAVING, -2) not in _REFUSED:
        _REFUSED.add((ENV_ATLAS_SAVING, -2))
        log.warning(
            "%s: %r is not one of %s; saving atlases is off", ENV_ATLAS_SAVING, value[:20], ", ".join(ATLAS_SAVING)
        )
    return "off"


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """Return the whole number ``env[name]`` (0 or more), else ``default``; a value that is not one
    is said once in the log and the default used (a typo must not lift a budget)."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        if (name, -1) not in _REFUSED:
            _REFUSED.add((name, -1))
            log.warning("%s: %r is not a whole number of 0 or more; %d is used", name, value[:20], default)
        return default
    return number


def _tokens(value: str) -> dict[str, str]:
    """Return {token: name} from ``name:token,name:token``. Entries without both, and tokens
    shorter than ``MIN_TOKEN_CHARS``, are left out, each said once in the log (the name, never
    the token)."""
    tokens = {}
    for entry in value.split(","):
        name, _, token = (part.strip() for part in entry.strip().partition(":"))
        if not name and not token:
            continue
        if name and len(token) >= MIN_TOKEN_CHARS:
            tokens[token] = name
        elif (name, len(token)) not in _REFUSED:
            _REFUSED.add((name, len(token)))
            log.warning(
                "%s: the editor token of %r is left out: tokens need %d characters or more (it has %d)",
                ENV_EDITOR_TOKENS,
                name or "(no name)",
                MIN_TOKEN_CHARS,
                len(token),
            )
    return tokens
