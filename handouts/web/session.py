"""Logins: who is logged in, until when, and the way out.

A login is a random id kept in the signed session cookie and in this server's memory with the time it
was last used. The server's copy is what counts: Log out and the idle timeout end it here, so a copy of
the cookie (another tab, a saved request) is worth nothing afterwards, and a restart ends every login.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from flask import Blueprint, redirect, url_for

LOGINS_KEPT = 10_000
"""Logins remembered at once; past it the longest unused is forgotten (its browser logs in again)."""

bp = Blueprint("access", __name__)


class Logins:
    """Login ids and when each was last used; one ends after `idle_seconds` without a request."""

    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}

    def start(self) -> str:
        login = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            self._forget_idle(now)
            self._seen[login] = now
        return login

    def active(self, login: object) -> bool:
        """True (and used now) when this login has not ended; an idle one ends here."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(login) if isinstance(login, str) else None
            if seen is None:
                return False
            if now - seen > self.idle_seconds:
                del self._seen[login]  # type: ignore[arg-type]
                return False
            self._seen[login] = now  # type: ignore[index]
            return True

    def end(self, login: object) -> None:
        with self._lock:
            if isinstance(login, str):
                self._seen.pop(login, None)

    def _forget_idle(self, now: float) -> None:
        if len(self._seen) < LOGINS_KEPT // 10:
            return
        for login, seen in list(self._seen.items()):
            if now - seen > self.idle_seconds:
                del self._seen[login]
        while len(self._seen) >= LOGINS_KEPT:
            del self._seen[min(self._seen, key=self._seen.__getitem__)]


def duration(seconds: float) -> str:
    """'15 minutes', '1 minute', '3 seconds': the idle timeout as the login page says it."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    whole = max(1, round(seconds))
    return f"{whole} second{'' if whole == 1 else 's'}"


@bp.post("/logout")
def logout() -> Any:
    """End this login here and in the browser; the login page then says so."""
    from handouts.web.guard import end_login

    end_login("logout")
    return redirect(url_for("form.login"), 303)
