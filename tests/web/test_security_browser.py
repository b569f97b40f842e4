"""The login over HTTPS in a real browser (Debian's chromium): the pages a therapist sees on the clinic
network (the login, a wrong password, the wait after too many, logged out by Log out or by the idle
timeout, the form with its Log out button) work and pass axe-core with no violation.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from test_web_browser import axe_violations, browser, running  # noqa: F401 - `browser` is a fixture

from handouts.inputs.settings import DeskSettings
from handouts.web.limits import FREE_TRIES

pytestmark = pytest.mark.xdist_group("browser")
PASSWORD = "riverside-desk-7"


def log_in(tab, password: str) -> None:  # type: ignore[no-untyped-def]
    tab.get_by_label("Password").fill(password)
    with tab.expect_navigation():
        tab.get_by_role("button", name="Log in").click()


def test_login_pages_over_https_pass_axe(browser, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    settings = DeskSettings(password=PASSWORD, certificate_folder=tmp_path, idle_minutes=0.05)  # type: ignore[arg-type]
    with running("127.0.0.2", settings) as url:
        assert url.startswith("https://")
        context = browser.new_context(ignore_https_errors=True)  # self-signed; test_security checks its fingerprint
        tab = context.new_page()
        tab.goto(url + "/")
        assert tab.url == url + "/login"
        assert axe_violations(tab) == [], "login"
        for _ in range(FREE_TRIES):
            log_in(tab, "not-the-password")
        assert "not the clinic password" in tab.locator("#e-password").inner_text()
        assert axe_violations(tab) == [], "wrong password"
        for _ in range(4):  # the next try is told to wait (a slow machine may take longer than the wait)
            log_in(tab, "not-the-password")
            said = re.search(r"too many wrong passwords from this computer; wait (\d+) seconds?", tab.content())
            if said:
                break
        assert said, tab.locator("#e-password").inner_text()
        assert tab.title().startswith("Too many wrong passwords")
        assert axe_violations(tab) == [], "told to wait"
        time.sleep(int(said.group(1)) + 0.1)
        log_in(tab, PASSWORD)
        assert tab.url == url + "/"
        cookie = next(c for c in context.cookies() if c["name"] == "handouts_session")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert axe_violations(tab) == [], "form with Log out"
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log out").click()
        assert tab.url == url + "/login"
        assert "You have logged out" in tab.locator("main").inner_text()
        assert axe_violations(tab) == [], "logged out"
        log_in(tab, PASSWORD)
        time.sleep(3.5)  # idle past 0.05 minutes
        tab.reload()
        assert tab.url == url + "/login"
        assert "You were logged out after 3 seconds without use" in tab.locator("main").inner_text()
        assert axe_violations(tab) == [], "timed out"
        context.close()
