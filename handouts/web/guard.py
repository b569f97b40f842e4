"""Who may use the form: the checks made before any page is answered.

- Host: only the names the server was started for (its address, loopback names when it listens on
  loopback, and the settings' `hostnames`), so a DNS-rebinding page can't read a handout back.
- Cross-site: a POST whose Origin or Sec-Fetch-Site is not the form's own is refused, and every POST
  carries the session's token (a page elsewhere can't read it), so no other site can print through it.
- Password: when the clinic has one (required beyond loopback), every page but the login asks for it
  once per login. It is compared in constant time; the session cookie is HttpOnly, SameSite=Strict, and
  Secure over HTTPS (the form's own, or a proxy's the settings name). A login ends after the settings'
  idle minutes without use, or with Log out (`web.session`).
- Guessing: wrong passwords are counted per client address (`web.limits.Throttle`); an address past its
  free tries is answered 429 with Retry-After at once, before anything else is done, and nothing waits in
  a server thread, so one guesser slows no one else.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from handouts import __version__
from handouts.web.limits import Throttle
from handouts.web.session import Logins, duration

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""Addresses that reach only this computer; the form may run there without a password."""

TOKEN = "csrf_token"
"""The form field (and session key) that carries the per-session token."""

OPEN = frozenset({"form.login", "static", "form.font", "form.favicon", "access.logout"})
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
    idle_seconds: float = 15 * 60
    """A login ends after this long without a request."""
    throttle: Throttle = field(default_factory=Throttle)
    logins: Logins = field(init=False)

    def __post_init__(self) -> None:
        self.logins = Logins(self.idle_seconds)

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
    app.context_processor(_login_state)


def _guard() -> Guard:
    from flask import current_app

    return current_app.extensions["handouts_guard"]


def _check() -> Response | None:
    guard = _guard()
    if not guard.host_allowed(request.host):
        abort(403, "this address is not the one the form was started for")
    if request.method not in {"GET", "HEAD", "OPTIONS"} and not same_origin(request):
        abort(403, "the form can only be sent from its own page")
    if guard.password:
        refused = _login_check(guard)
        if refused is not None:
            return refused
    if request.endpoint == "access.logout":
        return None  # Logging out needs no token: the worst a forged one does is ask for the password again.
    if request.method == "POST" and not hmac.compare_digest(request.form.get(TOKEN, ""), token()):
        abort(403, "the form's page is out of date; reload it and send it again")
    return None


def _login_check(guard: Guard) -> Response | None:
    """A login that went idle ends here; without one only OPEN pages are answered; a guessing address
    waits, told how long, before its password is even read."""
    if session.get("in") and not guard.logins.active(session.get("login")):
        end_login("idle")
    if not session.get("in") and request.endpoint not in OPEN:
        if request.method == "GET":
            return redirect(url_for("form.login"))
        if session.get("ended") == "idle":
            abort(403, f"you were logged out after {duration(guard.idle_seconds)} without use; log in again")
        abort(403, "log in first")
    if request.endpoint == "form.login" and request.method == "POST":
        wait = guard.throttle.wait(client_address())
        if wait:
            return _wait_page(wait)
    return None


def _wait_page(wait: int) -> Response:
    page = render_template("login.html", wrong=False, waiting=wait, token=token(), version=__version__)
    return Response(page, status=429, headers={"Retry-After": str(wait)}, mimetype="text/html")


def end_login(why: str) -> None:
    """End this browser's login, here and in its cookie; the login page says why ('idle', 'logout')."""
    _guard().logins.end(session.get("login"))
    session.clear()
    session["ended"] = why


def _login_state() -> dict[str, Any]:
    """What every page needs to show the login state: a Log out button, and why a login ended."""
    guard = _guard()
    return {
        "logged_in": bool(guard.password and session.get("in")),
        "ended": session.get("ended"),
        "idle_for": duration(guard.idle_seconds),
    }


def client_address() -> str:
    """The connection's own address (never a header a client could write)."""
    return request.remote_addr or "unknown"


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
    """Constant-time comparison; a wrong one counts against this client address only (see `_login_check`)."""
    guard = _guard()
    ok = guard.password is not None and hmac.compare_digest(given.encode(), guard.password.encode())
    if ok:
        session.clear()
        session["in"] = True
        session["login"] = guard.logins.start()
        guard.throttle.succeeded(client_address())
    else:
        guard.throttle.failed(client_address())
    return ok
