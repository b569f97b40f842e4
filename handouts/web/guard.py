"""Who may use the form: the checks made before any page is answered.

- Host: only the names the server was started for (its address, loopback names when it listens on
  loopback, and the settings' `hostnames`), so a DNS-rebinding page can't read a handout back.
- Cross-site: a POST whose Origin or Sec-Fetch-Site is not the form's own is refused, and every POST
  carries the session's token (a page elsewhere can't read it), so no other site can print through it.
- Password: when the clinic has one (required beyond loopback), every page but the login asks for it
  once per browser session. It is compared in constant time; the session cookie is HttpOnly,
  SameSite=Strict, and Secure when the settings say a proxy serves the form over HTTPS.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, Request, abort, redirect, request, session, url_for
from werkzeug.wrappers import Response

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""Addresses that reach only this computer; the form may run there without a password."""

TOKEN = "csrf_token"
"""The form field (and session key) that carries the per-session token."""

OPEN = frozenset({"form.login", "static", "form.font", "form.favicon"})
"""Endpoints answered without the password: the login page and what it needs to show."""


@dataclass
class Guard:
    """What the server was started for: the Host headers it answers to, and the clinic password."""

    exact: frozenset[str] = frozenset()
    """Host headers allowed as they are ("127.0.0.1:8000")."""
    any_port: frozenset[str] = LOOPBACK_NAMES
    """Host names allowed with any port or none (the settings' `hostnames`, for a reverse proxy)."""
    password: str | None = None
    any_address: bool = False
    """Also any IP address as Host (when listening everywhere): a rebinding page needs a name."""
    failures: list[float] = field(default_factory=list)

    def host_allowed(self, header: str) -> bool:
        header = header.lower()
        name = header.rsplit(":", 1)[0] if header.count(":") == 1 or header.startswith("[") else header
        name = name if not name.startswith("[") else name.split("]")[0] + "]"
        if self.any_address and _is_ip(name):
            return True
        return header in self.exact or name in self.any_port or name.strip("[]") in self.any_port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def install(app: Flask, guard: Guard) -> None:
    """Run the checks before every request, in order: Host, then cross-site, then password, then token."""
    app.extensions["handouts_guard"] = guard
    app.before_request(_check)


def _guard() -> Guard:
    from flask import current_app

    return current_app.extensions["handouts_guard"]


def _check() -> Response | None:
    guard = _guard()
    if not guard.host_allowed(request.host):
        abort(403, "this address is not the one the form was started for")
    if request.method not in {"GET", "HEAD", "OPTIONS"} and not same_origin(request):
        abort(403, "the form can only be sent from its own page")
    if guard.password and not session.get("in") and request.endpoint not in OPEN:
        if request.method == "GET":
            return redirect(url_for("form.login"))
        abort(403, "log in first")
    if request.method == "POST" and not hmac.compare_digest(request.form.get(TOKEN, ""), token()):
        abort(403, "the form's page is out of date; reload it and send it again")
    return None


def same_origin(req: Request) -> bool:
    """Origin (when sent) names this very host; Sec-Fetch-Site (when sent) says same-origin.
    Browsers send both on a POST; a request with neither (a script on this computer) passes to the
    token check."""
    site = req.headers.get("Sec-Fetch-Site")
    if site is not None and site not in {"same-origin", "none"}:
        return False
    origin = req.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        # A browser says "null" for a form sent to a new tab; only its own Sec-Fetch-Site vouches for it.
        return site == "same-origin"
    return urlsplit(origin).netloc.lower() == req.host.lower()


def password_required() -> bool:
    return _guard().password is not None


def token() -> str:
    """This browser session's token for the form; made on first use."""
    if TOKEN not in session:
        session[TOKEN] = secrets.token_urlsafe(32)
    return str(session[TOKEN])


def check_password(given: str) -> bool:
    """Constant-time comparison; after a wrong one the next try waits a second, to slow guessing."""
    guard = _guard()
    recent = [t for t in guard.failures if time.monotonic() - t < 60]
    if recent:
        time.sleep(1)
    ok = guard.password is not None and hmac.compare_digest(given.encode(), guard.password.encode())
    if ok:
        session.clear()
        session["in"] = True
        guard.failures.clear()
    else:
        guard.failures[:] = [*recent, time.monotonic()]
    return ok
