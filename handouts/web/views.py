"""The form's pages: each route reads the form, checks it through `build` like the command line, and
answers with the PDF, the patient file, or the page again with every problem by its field.

The app's state (content, form spec, settings) lives in `app.extensions["handouts"]` as a `Desk`, so
the routes are plain functions of the request and that state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_file, url_for

from handouts import __version__
from handouts.build import check_record, print_plan
from handouts.errors import HandoutError, Problem
from handouts.handout.personalize import personalize
from handouts.handout.words import LANGUAGE_NAMES
from handouts.inputs.content import Content
from handouts.inputs.layout import DEFAULT_LAYOUT, PAPERS, Layout
from handouts.inputs.plan import Plan
from handouts.inputs.settings import DeskSettings
from handouts.inputs.textfile import MAX_FILE_BYTES, decode
from handouts.inputs.yamlsource import Located, dotted, parse_yaml
from handouts.output import handout_filename
from handouts.web import guard
from handouts.web.dates import date_format
from handouts.web.form import (
    patient_yaml,
    read_form,
    show_values,
    unshown,
    values_from_form,
    values_from_plan,
    values_from_record,
)
from handouts.web.previous import change_lines, refusals, uploaded
from handouts.web.problems import errors_by_field, in_form_words, label_of
from handouts.web.spec import BACKGROUND, FORM_FILE, PAPER_NAMES, TOP_LABELS, FormSpec, kind_tag, search_words

bp = Blueprint("form", __name__)


@dataclass(frozen=True)
class Desk:
    """Everything the routes need, loaded once when the app starts."""

    settings: DeskSettings
    content: Content
    spec: FormSpec
    fonts: dict[str, Path]
    layouts: Path
    """The layouts folder in use (`home.resolve`): the clinic's, searched before the shipped one."""


def desk() -> Desk:
    desk: Desk = current_app.extensions["handouts"]
    return desk


def defaults() -> dict[str, Any]:
    settings = desk().settings
    values: dict[str, Any] = {"exercise": [], "device": [], **printing()}
    for key in ("clinic", "therapist", "phone"):
        if getattr(settings, key):
            values[key] = getattr(settings, key)
    return values


def printing() -> dict[str, str]:
    """What the form shows when nothing else says: today, and the clinic's layout and paper."""
    settings = desk().settings
    today = dt.date.today().isoformat()
    return {"date": today, "layout": settings.layout or DEFAULT_LAYOUT, "paper": settings.paper or ""}


def _drafts(content: Content) -> dict[str, str]:
    """Per language, the warning the form shows beside the language choice: a draft, or no file at all."""
    from handouts.inputs.translation import translated

    said = {}
    for language in LANGUAGE_NAMES:
        try:
            words = translated(content, language)
        except HandoutError:
            said[language] = f"No {LANGUAGE_NAMES[language]} content is installed: run `check` to see why."
            continue
        if words.draft:
            said[language] = (
                f"The {LANGUAGE_NAMES[language]} words are a draft awaiting a clinician's review: "
                "every page of the handout will say so."
            )
    return said


def page(values: dict[str, Any], errors: dict[str, list[str]] | None = None, **extra: Any) -> str:
    state = desk()
    order = state.settings.date_order
    # The layout select always marks one option: a browser would otherwise send the first one.
    shown = show_values({**values, "layout": values.get("layout") or printing()["layout"]}, order)
    return render_template(
        "form.html",
        spec=state.spec,
        papers=PAPER_NAMES,
        values=shown,
        errors=errors or {},
        label_of=lambda key: label_of(key, state.spec),
        words=lambda text: in_form_words(text, state.spec, order),
        date_format=date_format(order),
        token=guard.token(),
        has_background=BACKGROUND in TOP_LABELS,
        languages=LANGUAGE_NAMES,
        drafts=_drafts(state.content),
        version=__version__,
        flagged={key.split(".")[0] for key in errors or {}},
        search_words=search_words,
        kind_tag=kind_tag,
        plan_summary=plan_summary,
        **extra,
    )


def plan_summary(values: dict[str, Any]) -> str:
    """Whose plan the buttons print, and how much of it: said beside Make handout (form.js keeps it up
    to date as the form changes, in the same words)."""
    name = (values.get("name") or "").strip() or "a patient with no name yet"
    exercises, devices = len(values.get("exercise") or []), len(values.get("device") or [])
    return (
        f"Plan for {name}: {exercises} exercise{'' if exercises == 1 else 's'}, "
        f"{devices} piece{'' if devices == 1 else 's'} of equipment"
    )


def refused(problems: list[Problem], record: dict[str, Any]) -> tuple[str, int]:
    state = desk()
    errors = errors_by_field(HandoutError(problems), record, state.spec, state.settings.date_order)
    return page(values_from_form(request.form), errors), 422


def paper_problems(paper: str | None) -> list[Problem]:
    """The paper select offers the layout's own (empty), letter and a4; anything else is a crafted request."""
    if not paper or paper in PAPERS:
        return []
    return [Problem(FORM_FILE, f"'{paper}' is not a paper; use {' or '.join(PAPERS)}", None, "paper")]


def submitted(glyphs: bool = True) -> tuple[dict[str, Any], Any, list[Problem]]:
    """The form's record, its checked plan and layout (None when refused), and every problem at once.

    glyphs=False leaves the fonts' check to the renderer, which makes it anyway (Make handout)."""
    state = desk()
    record, problems = read_form(request.form, state.spec, state.settings.date_order)
    paper = request.form.get("paper") or None
    wrong_paper = paper_problems(paper)
    checked = None
    try:
        checked = check_record(
            Located(record, FORM_FILE, {}), state.content, paper=None if wrong_paper else paper, layouts=state.layouts
        )
    except HandoutError as exc:
        # A date typed wrong is already said on its field: don't also ask for a second identifier.
        bad = {p.field for p in problems}
        problems += [p for p in exc.problems if not (p.field == "patient_id" and "birth_date" in bad)]
    problems += wrong_paper
    if glyphs and checked is not None and not problems:
        problems += unprintable(checked)
    return record, None if problems else checked, problems


def unprintable(checked: tuple[Plan, Layout]) -> list[Problem]:
    """What the handout's fonts can't draw ("✓", an emoji, Chinese), found as the renderer would find it
    (`check_glyphs`, which the command line runs), so it is refused beside its field, never a 500 page."""
    from handouts.pdf.text import check_glyphs, fonts_for  # reportlab: fonts register once per process

    plan, layout = checked
    try:
        check_glyphs(personalize(plan, desk().content), fonts_for(layout))
    except HandoutError as exc:
        return exc.problems
    return []


@bp.after_app_request
def allow_print_frame(response: Response) -> Response:
    """The form prints a handout from a hidden frame of its own page (static/form.js), so no tab opens
    and no patient's name reaches the browser's history: its pages may frame a `blob:` made by the page
    itself, and nothing else. (Registered with the blueprint, this runs after the app's own headers.)"""
    policy = response.headers.get("Content-Security-Policy")
    if policy and response.mimetype == "text/html" and "frame-src" not in policy:
        response.headers["Content-Security-Policy"] = f"{policy}; frame-src blob:"
    return response


@bp.get("/fonts/<weight>")
def font(weight: str) -> Any:
    """The handout's own typeface, served here so the page needs nothing from the internet."""
    fonts = desk().fonts
    if weight not in fonts:
        abort(404)
    path = fonts[weight]
    kind = "font/otf" if path.suffix.lower() == ".otf" else "font/ttf"
    return send_file(path, mimetype=kind, max_age=3600)


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@bp.get("/")
def form() -> str:
    # "fresh": the page's script may bring back what this tab had typed (see static/keep.js).
    return page(defaults(), fresh=True)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The clinic password, once per browser session (only asked when the clinic has one)."""
    if not guard.password_required():
        return redirect(url_for("form.form"))
    wrong = False
    if request.method == "POST":
        if guard.check_password(request.form.get("password", "")):
            return redirect(url_for("form.form"))
        wrong = True
    answer = render_template("login.html", wrong=wrong, token=guard.token(), version=__version__)
    return answer, 401 if wrong else 200


@bp.post("/handout")
def handout() -> Any:
    record, checked, problems = submitted(glyphs=False)
    if problems:
        return refused(problems, record)
    plan, layout = checked
    try:
        previous = uploaded(desk().content)
        wrong = refusals(previous, plan) if previous else []
        if wrong:
            return refused(wrong, record)
        printed = print_plan(plan, desk().content, layout, previous=previous)
    except HandoutError as exc:  # anything the renderer refuses is said by its field, like the checks above
        return refused(exc.problems, record)
    name = handout_filename(printed.handout)
    return Response(
        printed.pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


@bp.post("/changes")
def changes() -> Any:
    """What the new handout will mark as changed since the previous one, listed in the page before
    printing; another patient's handout, or a newer one, refused by its field with the reason."""
    record, checked, problems = submitted(glyphs=False)
    try:
        previous = uploaded(desk().content)
    except HandoutError as exc:
        return refused([*exc.problems, *problems], record)
    if previous is None:
        problems.append(Problem(FORM_FILE, "choose this patient's previous handout (.pdf) first", None, "previous"))
    if problems or previous is None:
        return refused(problems, record)
    plan = checked[0]
    wrong = refusals(previous, plan)
    if wrong:
        return refused(wrong, record)
    return page(values_from_form(request.form), changes=change_lines(previous, plan, desk().content))


@bp.post("/check")
def check() -> Any:
    """Every problem the server finds, as the page shows them, for the page's own script: it asks
    before the handout is made, so the therapist sees them all in place. 204: none."""
    record, _, problems = submitted()
    return refused(problems, record) if problems else Response(status=204)


@bp.post("/patient-file")
def patient_file() -> Any:
    record, checked, problems = submitted()
    if problems:
        return refused(problems, record)
    # The file carries the date shown (today, unless changed), so printing it later gives the same
    # dated handout and log; the paper is a printing choice a patient file has no field for.
    record.setdefault("date", dt.date.today().isoformat())
    name = handout_filename(personalize(checked[0], desk().content)).removesuffix(".pdf") + ".yaml"
    return Response(
        patient_yaml(record, dt.date.today()),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/load")
def load() -> Any:
    """Fill the form from a patient file, read by check_plan as the command line and the batch read it.

    A file the form can't show completely is refused, saying what it could not show: shown in part,
    a handout made from the form would silently lose the rest."""
    state = desk()
    upload = request.files.get("patient_file")
    if upload is None or not upload.filename:
        return page(defaults(), {"patient_file": ["choose a patient file (.yaml) to load first"]}), 422
    shown = Path(upload.filename).name
    raw = upload.read(MAX_FILE_BYTES + 1)
    try:
        located = _parse_upload(raw, shown)
    except HandoutError as exc:
        return page(defaults(), {"patient_file": [str(p) for p in exc.problems]}), 422
    try:
        plan, _ = check_record(located, state.content, layouts=state.layouts)
    except HandoutError as exc:
        return _load_with_problems(located, shown, exc)
    values = values_from_plan(plan)
    lost = unshown(plan, values, state.spec, state.content)
    if lost:
        return _not_loaded(shown, lost)
    if raw.startswith(b"%PDF-"):  # an earlier handout, reissued: dated today, as the form's own default
        values.pop("date", None)
        notice = f"Loaded the plan of {shown}, dated today. Check the form, then press Make handout."
        return page({**printing(), **values}, notice=notice)
    # What the file leaves out shows as the form's defaults: today's date (as the command line would
    # print) and the clinic's layout and paper; clinic, therapist and phone stay as the file has them.
    return page({**printing(), **values}, notice=f"Loaded {shown}. Check the form, then press Make handout.")


def _load_with_problems(located: Located, shown: str, exc: HandoutError) -> Any:
    """A file check_plan refuses: shown with every problem by its field, unless a value no problem
    names can't be shown (then the form, fixed and printed, would lose it)."""
    state = desk()
    values, lost = values_from_record(located.data, state.spec)
    named = [p.field or "" for p in exc.problems]
    unnamed = [loc for loc in lost if not any(_covers(field, dotted(loc) or "") for field in named)]
    if unnamed:
        return _not_loaded(shown, [f"{dotted(loc)} (line {located.line_of(loc)})" for loc in unnamed])
    record = located.data if isinstance(located.data, dict) else {}
    notice = f"Loaded {shown}, but it has problems; they are shown by their fields."
    errors = errors_by_field(exc, record, state.spec, state.settings.date_order)
    return page({**printing(), **values}, errors, notice=notice)


def _covers(field: str, place: str) -> bool:
    """Whether a problem at `field` is about the value at `place` (the same, or one inside the other)."""
    return bool(field) and (field == place or place.startswith((field + ".", field + "[")) or field.startswith(place))


def _not_loaded(shown: str, lost: list[str]) -> tuple[str, int]:
    listing = "; ".join(lost[:10]) + (f"; and {len(lost) - 10} more" if len(lost) > 10 else "")
    message = (
        f"{shown}: not loaded, since the form can't show all of it and a handout made from the form would "
        f"leave out: {listing}. Print it with the command line, or correct the file"
    )
    return page(defaults(), {"patient_file": [message]}), 422


@bp.app_errorhandler(413)
def too_large(_: Any) -> tuple[str, int]:
    """Say what was too big: the file chosen to load, or (a crafted or pasted-in post) the form itself.
    The body is not read again, so what was sent can't be shown; the browser's Back has it."""
    if request.path == url_for("form.load"):
        key, message = "patient_file", f"is too big; a patient file may be at most {MAX_FILE_BYTES:,} bytes"
    else:
        limit = current_app.config["MAX_FORM_MEMORY_SIZE"]
        key, message = (
            "form",
            (
                f"The form: what was sent is too big (over {limit:,} bytes); a handout's fields together are far "
                "smaller, so shorten the longest note and send it again"
            ),
        )
    return page(defaults(), {key: [message]}, fresh=True), 413


@bp.app_errorhandler(403)
def forbidden(exc: Any) -> tuple[str, int]:
    """Refused: said in plain words, with nothing from the request echoed back."""
    return render_template("refused.html", reason=getattr(exc, "description", ""), version=__version__), 403


@bp.app_errorhandler(404)
def not_found(_: Any) -> tuple[str, int]:
    return _plain(404, "Not found", "there is no page at this address")


@bp.app_errorhandler(405)
def wrong_method(_: Any) -> tuple[str, int]:
    return _plain(405, "Not here", "this address is only for the form's buttons, not to be opened by itself")


@bp.app_errorhandler(500)
def server_error(_: Any) -> tuple[str, int]:
    """A bug (its traceback is in the server's log): said plainly, with nothing from the request."""
    return _plain(500, "Not printed", "something went wrong in the server, so nothing was printed", BUG_ADVICE)


BUG_ADVICE = (
    "Go back to the form: your browser’s Back keeps what was typed. If it happens again, tell whoever "
    "looks after the form; the server’s log says where it went wrong, without any patient details"
)


def _plain(status: int, heading: str, reason: str, advice: str | None = None) -> tuple[str, int]:
    page = render_template("refused.html", heading=heading, reason=reason, advice=advice, version=__version__)
    return page, status


def _parse_upload(raw: bytes, shown: str) -> Located:
    if len(raw) > MAX_FILE_BYTES:
        raise HandoutError(Problem(shown, f"is too big; a patient file may be at most {MAX_FILE_BYTES:,} bytes"))
    if raw.startswith(b"%PDF-") or shown.lower().endswith(".pdf"):  # a handout: the patient file inside it
        from handouts.inputs.pdfplan import plan_from_bytes, read_plan_bytes

        return plan_from_bytes(read_plan_bytes(raw, shown), f"{shown} (its patient file)")
    return parse_yaml(decode(raw, shown), shown)
