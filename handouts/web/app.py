"""The discharge desk: a local web form that prints the handout, for therapists who don't write YAML.

The form posts what was typed; `web.form` turns it into the same patient record a YAML file gives, and
`build` checks and prints it exactly as the command line does. Errors come back beside their fields
with everything typed kept. `web.guard` decides who may use it; `web.views` holds the pages;
`web.server` runs it (waitress on this computer, `web.https` beyond it).

Privacy: a patient's details live only in the request. Nothing is written to disk (uploads are read in
memory, never spooled to a temporary file), nothing is cached by the browser, the access log names
only the time, the client's address, the method, the path and the status (never a query string or a
field), and an unexpected error is logged without its message, which could quote patient text.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import secrets
import traceback
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, render_template, request

from handouts import __version__
from handouts.home import Home
from handouts.inputs.content import cached_content
from handouts.inputs.layout import DEFAULT_LAYOUT, cached_layout, layout_names
from handouts.inputs.settings import DeskSettings
from handouts.inputs.textfile import MAX_FILE_BYTES
from handouts.web import guard, session
from handouts.web.limits import MAX_ITEMS, BoundedParser, TooManyItems
from handouts.web.spec import FormSpec, build_spec
from handouts.web.views import Desk, bp

HERE = Path(__file__).resolve().parent
log = logging.getLogger("handouts.web.app")
access_log = logging.getLogger("handouts.web.app.access")
"""One line a request: time, client address, method, path, status (see `_logged`)."""


class _InMemoryRequest(Request):
    """Uploads stay in memory: a patient file must never land in a temporary file on disk. Fields and
    upload parts are counted before they are read (`limits.BoundedParser`)."""

    form_data_parser_class = BoundedParser

    def _get_file_stream(self, *args: Any, **kwargs: Any) -> io.BytesIO:
        return io.BytesIO()


class _App(Flask):
    request_class = _InMemoryRequest

    def log_exception(self, exc_info: Any) -> None:
        # A bug keeps its traceback, but not the exception's message, which may quote what was typed.
        kind, _, tb = exc_info
        frames = "".join(traceback.format_tb(tb))
        log.error("internal error %s on %s %s\n%s", kind.__name__, request.method, request.path, frames)


def create_app(
    settings: DeskSettings | None = None, home: Home | None = None, access: guard.Guard | None = None
) -> Flask:
    """Load the content and every layout now, so a broken file stops the app before anyone types.

    `access` says which Host headers and password the server was started for (see `web.server`);
    left out, the app answers loopback names only, with the settings' (or environment's) password.
    """
    settings, home = settings or DeskSettings(), home or Home()
    content = cached_content(home.content)
    layouts = [cached_layout(name, home.layouts) for name in layout_names(home.layouts)]
    fonts = dict(zip(("regular", "bold"), cached_layout(DEFAULT_LAYOUT).font_files(), strict=True))
    app = _App(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_FILE_BYTES + 64 * 1024,
        MAX_FORM_MEMORY_SIZE=MAX_FILE_BYTES,
        # Ours counts first and says "too many parts"; werkzeug's own count would call them "too big".
        MAX_FORM_PARTS=MAX_ITEMS + 1,
        SEND_FILE_MAX_AGE_DEFAULT=0,
        # A new key each start: a restart logs everyone out, and no secret is kept on disk.
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME="handouts_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.https,
    )
    app.extensions["handouts"] = Desk(settings, content, build_spec(content, layouts), fonts, home.layouts)
    guard.install(
        app, access or guard.Guard(password=settings.clinic_password(), idle_seconds=settings.idle_minutes * 60)
    )
    app.register_blueprint(bp)
    app.register_blueprint(session.bp)
    app.register_error_handler(TooManyItems, _too_many_items)
    app.after_request(_headers)
    return app


def _too_many_items(exc: TooManyItems) -> tuple[str, int]:
    """Said as what it is, before anything in the request was read into a page."""
    return render_template("refused.html", reason=exc.description, version=__version__), 413


def _headers(response: Response) -> Response:
    # Pages that carry what was typed are never stored; the empty form may be kept for "Back".
    response.headers["Cache-Control"] = "no-store" if request.method == "POST" else "no-cache"
    # Same-origin: the browser then names the form's own origin on its POSTs (no-referrer makes it "null").
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    _logged(response.status_code)
    return response


def _logged(status: int) -> None:
    """Time, client address, method, path and status: enough to trace failed logins to a computer, and
    never patient data (no query string, no field, no file name)."""
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    access_log.info("%s %s %s %s %s", now, guard.client_address(), request.method, request.path, status)


def spec_of(app: Flask) -> FormSpec:
    spec: FormSpec = app.extensions["handouts"].spec
    return spec
