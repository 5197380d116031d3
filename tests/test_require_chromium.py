"""The browser test modules' guard (tests.browser.require_chromium): skip without Chromium, but
fail where CI demands the browser, so a machine without it cannot pass by skipping."""

from __future__ import annotations

import pytest

from tests import browser


def test_without_chromium_a_module_is_skipped(monkeypatch):
    monkeypatch.setattr(browser, "chromium_available", lambda: False)
    monkeypatch.delenv("NEWS_ATLAS_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        browser.require_chromium()


def test_without_chromium_where_ci_demands_it_the_module_fails(monkeypatch):
    monkeypatch.setattr(browser, "chromium_available", lambda: False)
    monkeypatch.setenv("NEWS_ATLAS_REQUIRE_BROWSER", "1")
    with pytest.raises(RuntimeError, match="need Debian's chromium"):
        browser.require_chromium()


def test_with_chromium_nothing_happens(monkeypatch):
    monkeypatch.setattr(browser, "chromium_available", lambda: True)
    monkeypatch.setenv("NEWS_ATLAS_REQUIRE_BROWSER", "1")
    assert browser.require_chromium() is None
