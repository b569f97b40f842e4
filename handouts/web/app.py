"""The discharge desk: a local web form that prints the handout, for therapists who don't write YAML.

The form posts what was typed; `webform` turns it into the same patient record a YAML file gives, and
`build` validates and prints it exactly as the command line does. Errors come back beside their fields
in the command line's words, with everything typed kept.

Privacy: a patient's details live only in the request. Nothing is written to disk (uploads are read in
memory, never spooled to a temporary file), nothing is cached by the browser, the request log names
only the method and the path (never a query string), and an unexpected error is logged without its
message, which could quote patient text.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import socket
import sys
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, abort, render_template, request, send_file
from werkzeug.serving import WSGIRequestHandler, make_server

from handouts import __version__
from handouts.build import choose_layout, print_record
from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import personalize
from handouts.home import Home
from handouts.inputs.content import cached_content
from handouts.inputs.layout import DEFAULT_LAYOUT, PAPERS, cached_layout, layout_names, not_a_paper
from handouts.inputs.patient import check_plan
from handouts.inputs.settings import FormDefaults, load_settings
from handouts.inputs.yamlsource import MAX_FILE_BYTES, Located, decode, parse_yaml
from handouts.output import handout_filename
from handouts.web.form import (
    FORM_FILE,
    PAPER_NAMES,
    build_spec,
    errors_by_field,
    label_of,
    patient_yaml,
    record_from_form,
    values_from_form,
    values_from_record,
)

HERE = Path(__file__).resolve().parent
log = logging.getLogger("handouts.web.app")


class _InMemoryRequest(Request):
    """Uploads stay in memory: a patient file must never land in a temporary file on disk."""

    def _get_file_stream(self, *args: Any, **kwargs: Any) -> io.BytesIO:
        return io.BytesIO()


class _App(Flask):
    request_class = _InMemoryRequest

    def log_exception(self, exc_info: Any) -> None:
        # A bug keeps its traceback, but not the exception's message, which may quote what was typed.
        kind, _, tb = exc_info
        frames = "".join(traceback.format_tb(tb))
        log.error("internal error %s on %s %s\n%s", kind.__name__, request.method, request.path, frames)


class _QuietHandler(WSGIRequestHandler):
    """Log lines carry the method, path and status only: no query string, no form data."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path
        self.log("info", "%s %s %s", self.command, path, getattr(code, "value", code))

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - the name werkzeug uses
        self.log("error", "bad request from the browser (details not logged)")


def create_app(settings: FormDefaults | None = None, home: Home | None = None) -> Flask:
    """Load the content and every layout now, so a broken file stops the app before anyone types."""
    settings, home = settings or FormDefaults(), home or Home()
    content = cached_content(home.content)
    layouts = [cached_layout(name, home.layouts) for name in layout_names(home.layouts)]
    spec = build_spec(content, layouts)
    app = _App(
        __name__,
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
        static_url_path="/static",
    )
    app.config["MAX_CONTENT_LENGTH"] = MAX_FILE_BYTES + 64 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_FILE_BYTES
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 0

    def defaults() -> dict[str, Any]:
        values: dict[str, Any] = {"exercise": [], "device": [], **printing()}
        for key in ("clinic", "therapist", "phone"):
            if getattr(settings, key):
                values[key] = getattr(settings, key)
        return values

    def printing() -> dict[str, str]:
        """What the form shows when nothing else says: today, and the clinic's layout and paper."""
        return {
            "date": dt.date.today().isoformat(),
            "layout": settings.layout or DEFAULT_LAYOUT,
            "paper": settings.paper or "",
        }

    def page(values: dict[str, Any], errors: dict[str, list[str]] | None = None, **extra: Any) -> str:
        # The layout select always marks one option: a browser would otherwise send the first one.
        shown = {**values, "layout": values.get("layout") or printing()["layout"]}
        return render_template(
            "form.html",
            spec=spec,
            papers=PAPER_NAMES,
            values=shown,
            errors=errors or {},
            label_of=lambda key: label_of(key, spec),
            version=__version__,
            **extra,
        )

    def refused(problems: list[Problem], record: dict[str, Any]) -> tuple[str, int]:
        errors = errors_by_field(HandoutError(problems), record, spec)
        return page(values_from_form(request.form), errors), 422

    def checked(record: dict[str, Any]) -> list[Problem]:
        """Every problem with the form at once: the patient record's, then the paper's."""
        problems = []
        try:
            check_plan_and_layout(record)
        except HandoutError as exc:
            problems += exc.problems
        return problems + paper_problems(request.form.get("paper"))

    def check_plan_and_layout(record: dict[str, Any]) -> Any:
        plan = check_plan(Located(record, FORM_FILE, {}), content)
        choose_layout(plan, None, home.layouts)
        return plan

    @app.after_request
    def _headers(response: Response) -> Response:
        # Pages that carry what was typed are never stored; the empty form may be kept for "Back".
        response.headers["Cache-Control"] = "no-store" if request.method == "POST" else "no-cache"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        return response

    fonts = dict(zip(("regular", "bold"), cached_layout(DEFAULT_LAYOUT).font_files(), strict=True))

    @app.get("/fonts/<weight>")
    def font(weight: str) -> Any:
        """The handout's own typeface, served here so the page needs nothing from the internet."""
        if weight not in fonts:
            abort(404)
        path = fonts[weight]
        kind = "font/otf" if path.suffix.lower() == ".otf" else "font/ttf"
        return send_file(path, mimetype=kind, max_age=3600)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/")
    def form() -> str:
        return page(defaults())

    @app.post("/handout")
    def handout() -> Any:
        record = record_from_form(request.form, spec)
        paper = request.form.get("paper") or None
        wrong_paper = paper_problems(paper)
        try:
            printed = print_record(
                Located(record, FORM_FILE, {}), content, paper=None if wrong_paper else paper, layouts=home.layouts
            )
        except HandoutError as exc:
            return refused([*exc.problems, *wrong_paper], record)
        if wrong_paper:
            return refused(wrong_paper, record)
        name = handout_filename(printed.handout)
        return Response(
            printed.pdf,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )

    @app.post("/check")
    def check() -> Any:
        """Every problem the server finds, as the page shows them, for the page's own script: it asks
        when its own check has found one, so the therapist sees them all at once. 204: none."""
        record = record_from_form(request.form, spec)
        problems = checked(record)
        return refused(problems, record) if problems else Response(status=204)

    @app.post("/patient-file")
    def patient_file() -> Any:
        record = record_from_form(request.form, spec)
        # The file carries the date shown (today, unless changed), so printing it later gives the same
        # dated handout and log; the paper is a printing choice a patient file has no field for.
        record.setdefault("date", dt.date.today().isoformat())
        try:
            plan = check_plan_and_layout(record)
        except HandoutError as exc:
            return refused(exc.problems, record)
        name = handout_filename(personalize(plan, content)).removesuffix(".pdf") + ".yaml"
        return Response(
            patient_yaml(record, dt.date.today()),
            mimetype="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.post("/load")
    def load() -> Any:
        upload = request.files.get("patient_file")
        if upload is None or not upload.filename:
            errors = {"patient_file": ["choose a patient file (.yaml) to load first"]}
            return page(defaults(), errors), 422
        shown = Path(upload.filename).name
        raw = upload.read(MAX_FILE_BYTES + 1)
        try:
            located = _parse_upload(raw, shown)
        except HandoutError as exc:
            return page(defaults(), {"patient_file": [str(p) for p in exc.problems]}), 422
        # What the file leaves out shows as the form's defaults: today's date (as the command line would
        # print) and the clinic's layout and paper; clinic, therapist and phone stay as the file has them.
        values = {**printing(), **values_from_record(located.data, spec)}
        record = located.data if isinstance(located.data, dict) else {}
        try:
            plan = check_plan(located, content)
            choose_layout(plan, None, home.layouts)
        except HandoutError as exc:
            notice = f"Loaded {shown}, but it has problems; they are shown by their fields."
            return page(values, errors_by_field(exc, record, spec), notice=notice)
        notice = f"Loaded {shown}. Check the form, then press Make handout."
        return page(values, notice=notice)

    @app.errorhandler(413)
    def too_large(_: Any) -> tuple[str, int]:
        message = f"Patient file: is too big; a patient file may be at most {MAX_FILE_BYTES:,} bytes"
        return page(defaults(), {"form": [message]}), 413

    app.extensions["handouts"] = {"spec": spec, "content": content}
    return app


def paper_problems(paper: str | None) -> list[Problem]:
    """The paper select offers the layout's own (empty), letter and a4; anything else is a crafted request."""
    if not paper or paper in PAPERS:
        return []
    return [Problem(FORM_FILE, not_a_paper(paper), None, "paper")]


def _parse_upload(raw: bytes, shown: str) -> Located:
    if len(raw) > MAX_FILE_BYTES:
        raise HandoutError(Problem(shown, f"is too big; a patient file may be at most {MAX_FILE_BYTES:,} bytes"))
    return parse_yaml(decode(raw, shown), shown)


def _check_free(host: str, port: int) -> None:
    """A port in use or a wrong host is a user error; werkzeug would print its own text and exit."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HandoutError(
            Problem(f"{host}:{port}", f"can't listen here: {reason}; try another --port or --host", None, "port")
        ) from None


def serve(host: str, port: int, settings_path: Path | None, home: Home) -> None:
    """Run the app until Ctrl-C, printing the address to open."""
    import click

    settings = load_settings(settings_path, home.layouts)
    app = create_app(settings, home)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    _check_free(host, port)
    server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(f"The discharge form is at http://{shown_host}:{server.server_port}/  (Ctrl-C to stop)")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        click.echo(
            "Warning: this address can be reached from other computers, and the form has no login.",
            err=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
