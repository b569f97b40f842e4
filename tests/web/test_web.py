"""The discharge form through Flask's test client: every route, every kind of error, the round trips
between form, patient file and command line, and what the server keeps (nothing)."""

from __future__ import annotations

import datetime as dt
import html
import http.cookiejar
import io
import logging
import re
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from pdfcheck import check_handout
from pdfcheck import page_texts as pages_text

from handouts.build import print_file
from handouts.cli import main
from handouts.errors import HandoutError
from handouts.inputs.content import cached_content
from handouts.inputs.dosefields import takes
from handouts.inputs.layout import layout_names
from handouts.inputs.patient import DOSE_FIELDS
from handouts.inputs.plan import check_plan
from handouts.inputs.settings import DeskSettings, load_settings
from handouts.inputs.textfile import MAX_FILE_BYTES
from handouts.inputs.yamlsource import parse_yaml
from handouts.web.app import create_app
from handouts.web.guard import TOKEN
from handouts.web.server import make_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "maria-lopez.yaml"

MARIA = {
    "name": "Maria Lopez",
    "patient_id": "004211",
    "birth_date": "1961-04-02",
    "date": "2026-11-23",
    "therapist": "Alex Kim, PT",
    "clinic": "Riverside Rehabilitation",
    "phone": "555-0100",
    "stronger_side": "left",
    "exercise": ["stretching", "range_of_motion", "aerobic"],
    "range_of_motion.mode": "passive",
    "range_of_motion.times_per_day": "2",
    "aerobic.minutes": "15",
    "aerobic.days_per_week": "3",
    "aerobic.note": "Walk at an easy pace",
    "device": ["quad_cane", "ankle_foot_brace", "walker"],
    "ankle_foot_brace.side": "right",
    "walker.wheels": "true",
    "walker.platform": "false",
    "notes": "Use the quad cane indoors and the walker outside.",
    "layout": "large-print",
}


class Page(HTMLParser):
    """The parts of the page the tests look at: controls, labels, text by id, links and scripts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.urls: list[str] = []
        self.text_by_id: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, bool]]] = {}
        self._select = ""
        self._open: list[tuple[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        if tag in {"input", "select", "textarea"}:
            self.controls.append({"tag": tag, **a})
        if tag == "select":
            self._select = a.get("name", "")
            self.options[self._select] = []
        if tag == "option":
            self.options[self._select].append((a.get("value", ""), "selected" in a))
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        self.urls += [a[k] for k in ("src", "href", "action", "formaction") if k in a]
        if tag not in {"input", "meta", "link", "br"}:
            self._open.append((tag, a.get("id")))
            if a.get("id"):
                self.text_by_id[a["id"]] = ""

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        for _, ident in self._open:
            if ident:
                self.text_by_id[ident] += data

    def error(self, key: str) -> str:
        """The error text shown next to a form field ('' when none)."""
        return " ".join(self.text_by_id.get("e-" + key.replace(".", "-"), "").split())

    def value(self, name: str) -> str | None:
        for c in self.controls:
            if c.get("name") == name and c.get("type") not in {"radio", "checkbox"}:
                return c.get("value")
        return None

    def checked(self, name: str) -> list[str]:
        return [c["value"] for c in self.controls if c.get("name") == name and "checked" in c]

    def selected(self, name: str) -> list[str]:
        return [value for value, chosen in self.options.get(name, []) if chosen]

    def submission(self) -> dict[str, object]:
        """What a browser sends for the main form as it is shown (a select with nothing marked sends
        its first option)."""
        data: dict[str, object] = {}
        for c in self.controls:
            if c.get("form") == "load-form" or c.get("type") == "file" or not c.get("name"):
                continue
            if c.get("type") in {"radio", "checkbox"}:
                if "checked" in c:
                    data.setdefault(c["name"], []).append(c["value"])  # type: ignore[union-attr]
            elif c["tag"] == "select":
                options = self.options[c["name"]]
                data[c["name"]] = next((v for v, chosen in options if chosen), options[0][0])
            elif c["tag"] == "textarea":
                data[c["name"]] = self.text_by_id[c["id"]]
            else:
                data[c["name"]] = c.get("value", "")
        return data


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return create_app()


class FormClient(FlaskClient):
    """A browser that got the form first: its session has a token, and every POST carries it, as the
    page's own forms do."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("method") == "POST" and isinstance(kwargs.get("data"), dict):
            with self.session_transaction() as session:
                token = session.get(TOKEN)
            if token is None:
                super().open("/", method="GET")
                with self.session_transaction() as session:
                    token = session[TOKEN]
            kwargs["data"] = {TOKEN: token, **kwargs["data"]}
        return super().open(*args, **kwargs)


def form_client(app):  # type: ignore[no-untyped-def]
    app.test_client_class = FormClient
    return app.test_client()


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return form_client(app)


def browser_opener(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A client over real HTTP that keeps the session cookie, as a browser does, and the form's token."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + "/").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    return opener, token.group(1)


def form_body(token: str, data: dict) -> bytes:  # type: ignore[type-arg]
    pairs = [(TOKEN, token)] + [(k, x) for k, v in data.items() for x in (v if isinstance(v, list) else [v])]
    return urllib.parse.urlencode(pairs).encode()


def post(client, route: str, data: dict, drop: tuple[str, ...] = (), **kwargs):  # type: ignore[no-untyped-def]
    return client.post(route, data={k: v for k, v in data.items() if k not in drop}, **kwargs)


def cli_message(tmp_path: Path, text: str) -> str:
    """What the command line says about a patient file, to compare with the form's words."""
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["handout", str(path), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    return result.output


# --- the empty form ---------------------------------------------------------------------------


def test_form_offers_what_the_content_says(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    content = cached_content()
    boxes = {c["value"]: c["name"] for c in page.controls if c.get("type") == "checkbox"}
    # "Leave out the background sections", since the patient file has `background` (issue 13).
    assert boxes.pop("false") == "background"
    assert boxes == {
        **{s.id: "exercise" for s in content.of_kind("exercise")},
        **{s.id: "device" for s in content.of_kind("device")},
    }
    assert "strengthening" not in boxes
    names = {c.get("name") for c in page.controls}
    for section in content.of_kind("exercise"):
        taken = takes(section, content)
        assert {f"{section.id}.{d}" for d in taken} <= names
        assert not {f"{section.id}.{d}" for d in DOSE_FIELDS if d not in taken} & names  # issue 22
    for section in [*content.of_kind("exercise"), *content.of_kind("device")]:
        for option_name, option in section.options.items():
            radios = [c for c in page.controls if c.get("name") == f"{section.id}.{option_name}"]
            assert [r["value"] for r in radios] == option.choices
            assert [r["value"] for r in radios if "checked" in r] == ([option.default] if option.default else [])
        assert html.escape(section.title, quote=False) in response.get_data(as_text=True)
    layouts = [c for c in page.controls if c.get("name") == "layout"]
    assert len(layouts) == 1
    body = response.get_data(as_text=True)
    for name in layout_names():
        assert f'<option value="{name}"' in body
    assert page.value("date") == dt.date.today().strftime("%m/%d/%Y")  # the clinic's own format
    assert page.checked("stronger_side") == [""]


def test_every_control_has_a_label_and_nothing_comes_from_elsewhere(client) -> None:  # type: ignore[no-untyped-def]
    page = Page(client.get("/").get_data(as_text=True))
    for control in page.controls:
        if control.get("type") != "hidden":
            assert control.get("id") in page.label_for, control
    assert all(u.startswith(("/", "#")) for u in page.urls), page.urls
    for url in [u for u in page.urls if u.startswith("/static/")]:
        assert client.get(url).status_code == 200


def test_assets_and_headers(client) -> None:  # type: ignore[no-untyped-def]
    for path, kind in [
        ("/static/form.css", "text/css"),
        ("/static/form.js", "text/javascript"),
        ("/fonts/regular", "font/"),
        ("/fonts/bold", "font/"),
    ]:
        response = client.get(path)
        assert response.status_code == 200 and response.content_type.startswith(kind), path
    assert client.get("/fonts/italic").status_code == 404
    assert client.get("/favicon.ico").status_code == 204
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-cache"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert client.get("/handout").status_code == 405
    assert client.get("/patient-file").status_code == 405
    assert client.get("/load").status_code == 405


# --- making the handout -----------------------------------------------------------------------


def test_make_handout_returns_the_pdf_inline(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/handout", MARIA)
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="2026-11-23_lopez-maria_004211.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    check_handout(
        response.data,
        "Maria Lopez",
        "004211",
        [
            "Stretching",
            "Moving your joints",
            "Using a four-foot cane",
            "Ankle and foot brace",
            "Lifting weights",
        ],
    )
    assert "Walk at an easy pace" in " ".join(pages_text(response.data))


def test_form_and_command_line_print_the_same_bytes(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Save the patient file, print it with the command line: the very same PDF as Make handout."""
    pdf = post(client, "/handout", MARIA).data
    saved = post(client, "/patient-file", MARIA)
    assert saved.status_code == 200
    assert saved.headers["Content-Disposition"] == 'attachment; filename="2026-11-23_lopez-maria_004211.yaml"'
    path = tmp_path / "maria.yaml"
    path.write_bytes(saved.data)
    out = tmp_path / "maria.pdf"
    result = CliRunner().invoke(main, ["handout", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == pdf


@pytest.mark.parametrize(
    "value",
    [
        "004211",
        "no",
        "yes: really",
        '"quoted" and \\ back',
        "#1 fan",
        "Zoë Ñúñez",
        "- dash",
        "[1, 2]",
        "null",
    ],
)
def test_saved_file_keeps_text_as_typed(client, value: str) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "patient_id": value, "therapist": value, "notes": value + "\nSecond line"}
    saved = post(client, "/patient-file", data)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    plan = check_plan(parse_yaml(saved.get_data(as_text=True), "saved.yaml"), cached_content())
    assert plan.patient.patient_id == value
    assert plan.patient.therapist == " ".join(value.split())
    assert plan.patient.notes == value + "\nSecond line"


def test_settings_of_options_left_at_default_are_left_out(client) -> None:  # type: ignore[no-untyped-def]
    text = post(client, "/patient-file", MARIA).get_data(as_text=True)
    assert "platform" not in text
    assert '  - walker: {wheels: "true"}' in text
    assert "  - stretching\n" in text


def test_options_of_unticked_items_are_ignored(client) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "device": ["walker"], "ankle_foot_brace.side": "", "exercise": ["stretching"]}
    text = post(client, "/patient-file", data).get_data(as_text=True)
    assert "ankle_foot_brace" not in text and "aerobic" not in text


# --- errors: beside their field, in the command line's words, with everything typed kept ----------


def refused(client, data: dict, drop: tuple[str, ...] = (), route: str = "/handout") -> Page:  # type: ignore[no-untyped-def]
    response = post(client, route, data, drop)
    assert response.status_code == 422
    assert response.content_type.startswith("text/html")
    assert response.headers["Cache-Control"] == "no-store"
    return Page(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("change", "drop", "field", "words"),
    [
        ({}, ("name",), "name", "is required"),
        ({"name": "   "}, (), "name", "is required"),
        ({}, ("patient_id", "birth_date"), "patient_id", "a second identifier is required"),
        ({"birth_date": "04.02.61"}, (), "birth_date", "needs the year in four digits: type it as MM/DD/YYYY"),
        ({"birth_date": "02/30/1958"}, (), "birth_date", "is not a real date (MM/DD/YYYY): February 1958 has 28"),
        ({"date": "31/02/2026"}, (), "date", "'31/02/2026' is not a real date (MM/DD/YYYY): there is no month 31"),
        ({"date": "2027-02-31"}, (), "date", "is not a real date (MM/DD/YYYY): February 2027 has 28 days"),
        ({"birth_date": "2030-01-01"}, (), "birth_date", "is after the handout's date (2026-11-23)"),
        ({"date": "tomorrow"}, (), "date", "is not a date"),
        ({"phone": "x" * 121}, (), "phone", "is too long; at most 120 characters"),
        ({"notes": "Hi\x07there"}, (), "notes", "invisible character U+0007"),
        ({"aerobic.minutes": "lots"}, (), "aerobic.minutes", "'lots' is not a whole number"),
        ({"aerobic.days_per_week": "9"}, (), "aerobic.days_per_week", "'9' is too large; use at most 7"),
        ({"range_of_motion.times_per_day": "0"}, (), "range_of_motion.times_per_day", "use 1 or more"),
        ({"walker.wheels": "maybe"}, (), "walker.wheels", "'maybe' is not allowed; use true or false"),
        ({"range_of_motion.mode": "sideways"}, (), "range_of_motion.mode", "use active or passive"),
        ({}, ("ankle_foot_brace.side",), "ankle_foot_brace", "Ankle-foot orthosis (AFO): needs 'side'"),
        ({"aerobic.minutes": "600"}, (), "aerobic.minutes", "'600' is too large; use at most 60"),
        ({"range_of_motion.times_per_day": "24"}, (), "range_of_motion.times_per_day", "use at most 10"),
        ({"stronger_side": "middle"}, (), "stronger_side", "'middle' is not allowed"),
        ({"layout": "huge-print"}, (), "layout", "there is no layout 'huge-print'"),
    ],
)
def test_each_error_is_shown_by_its_field(client, change, drop, field, words) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, **change}
    for route in ("/handout", "/patient-file"):
        page = refused(client, data, drop, route)
        assert words in page.error(field), (field, page.text_by_id)
        assert words in " ".join(page.text_by_id["error-summary"].split())


def test_cane_without_stronger_side_uses_the_command_line_words(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The command line's message, with its file-field names in the form's own labels."""
    data = {**MARIA, "stronger_side": "", "device": ["cane"]}
    page = refused(client, data)
    said = cli_message(tmp_path, "name: Ann Lee\npatient_id: '7'\ndevices:\n  - cane\n")
    message = said.split("stronger_side: ", 1)[1].strip().replace("stronger_side:", "Stronger side:")
    assert message in page.error("stronger_side")
    # The page's own script shows these same words before anything is sent.
    assert f'data-side-message="{html.escape(message)}"' in post(client, "/handout", data).get_data(as_text=True)


def test_everything_typed_is_kept(client) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "name": "", "aerobic.minutes": "lots", "notes": "Line one\nLine <two> & three"}
    page = refused(client, data)
    assert page.value("patient_id") == "004211"
    assert page.value("aerobic.minutes") == "lots"
    assert page.value("aerobic.note") == "Walk at an easy pace"
    assert sorted(page.checked("exercise")) == sorted(MARIA["exercise"])
    assert sorted(page.checked("device")) == sorted(MARIA["device"])
    assert page.checked("stronger_side") == ["left"]
    assert page.checked("range_of_motion.mode") == ["passive"]
    assert page.checked("walker.wheels") == ["true"]
    assert page.text_by_id["f-notes"] == "Line one\nLine <two> & three"


def test_patient_text_never_becomes_markup(client) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "patient_id": "", "birth_date": "", "name": '<script>alert("x")</script>'}
    body = post(client, "/handout", data).get_data(as_text=True)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_choices_the_form_does_not_offer_are_refused(client) -> None:  # type: ignore[no-untyped-def]
    page = refused(client, {**MARIA, "exercise": ["strengthening"]})
    assert "is not recommended for people with ALS" in page.text_by_id["error-summary"]
    page = refused(client, {**MARIA, "device": ["canne"]})
    assert "did you mean 'cane'?" in page.text_by_id["error-summary"]


# --- loading a patient file into the form ----------------------------------------------------------


def upload(client, data: bytes, name: str = "maria.yaml"):  # type: ignore[no-untyped-def]
    return client.post("/load", data={"patient_file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_load_fills_the_form(client) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert "Loaded maria.yaml" in response.get_data(as_text=True)
    assert page.value("name") == "Maria Lopez"
    assert page.value("patient_id") == "004211"
    assert page.value("birth_date") == "04/02/1961"
    assert sorted(page.checked("exercise")) == ["ankle_pump", "walking"]
    assert sorted(page.checked("device")) == ["ankle_foot_brace", "quad_cane", "walker"]
    assert page.checked("ankle_pump.mode") == ["passive"]
    assert page.checked("ankle_foot_brace.side") == ["right"]
    assert page.value("walking.minutes") == "15"
    assert page.text_by_id["f-notes"] == "Use the quad cane indoors and the walker outside."


def test_loaded_then_printed_is_the_command_line_pdf(client) -> None:  # type: ignore[no-untyped-def]
    """Load the example, send the form back as the browser would: the very same PDF as the command
    line's, so the file's order of sections and its (default) layout are kept."""
    page = Page(upload(client, EXAMPLE.read_bytes()).get_data(as_text=True))
    pdf = client.post("/handout", data=page.submission()).data
    assert pdf == print_file(EXAMPLE).pdf


def test_load_shows_the_file_problems_by_their_fields(client) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text().replace("stronger_side: left\n", "").replace("phone: 555-0100\n", "fone: 1\n")
    response = upload(client, text.encode())
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert "'fone' is not a known field; did you mean 'phone'?" in page.text_by_id["error-summary"]
    assert page.value("name") == "Maria Lopez"


def test_load_refuses_what_is_not_a_patient_file(client) -> None:  # type: ignore[no-untyped-def]
    cases = [
        (b"name: [unclosed\n", "maria.yaml:2: not valid YAML"),
        (b"name: \xff\xfe\n", "is not UTF-8 text"),
        (b"name: a\nname: b\n", "'name' is given twice"),
    ]
    for data, words in cases:
        response = upload(client, data)
        assert response.status_code == 422
        assert words in Page(response.get_data(as_text=True)).error("patient_file"), words
    response = client.post("/load", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "choose a patient file" in Page(response.get_data(as_text=True)).error("patient_file")
    response = upload(client, b"#" * (MAX_FILE_BYTES + 100_000))
    assert response.status_code == 413
    assert "is too big" in response.get_data(as_text=True)


def test_uploads_never_touch_the_disk(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Werkzeug spools big uploads to a temporary file; ours are read in memory only."""
    import tempfile

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a temporary file was opened")

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    padding = b"# " + b"x" * 900_000 + b"\n"
    response = upload(client, padding + EXAMPLE.read_bytes())
    assert response.status_code == 200
    assert Page(response.get_data(as_text=True)).value("name") == "Maria Lopez"


# --- clinic settings ---------------------------------------------------------------------------------


def test_settings_fill_in_the_form(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert load_settings(None) == DeskSettings()
    (tmp_path / "handouts-settings.yaml").write_text(
        "clinic: Riverside Rehabilitation\ntherapist: Alex Kim, PT\nphone: '5550100'\nlayout: large-print\n"
    )
    settings = load_settings(None)
    assert settings.phone == "5550100"
    page = Page(create_app(settings).test_client().get("/").get_data(as_text=True))
    assert page.value("clinic") == "Riverside Rehabilitation"
    assert page.value("therapist") == "Alex Kim, PT"
    assert page.value("phone") == "5550100"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "clinc: Riverside\n",
            "settings.yaml:1: clinc: 'clinc' is not a known field; did you mean 'clinic'?",
        ),
        ("layout: larg-print\n", "settings.yaml:1: layout: there is no layout 'larg-print'; did you mean"),
        ("- clinic\n", "a settings file must be a set of 'key: value' lines"),
        ("clinic: [a, b]\n", "clinic: must be text"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(HandoutError) as caught:
        load_settings(path)
    assert words in str(caught.value)
    result = CliRunner().invoke(main, ["serve", "--settings", str(path)])
    assert result.exit_code == 2
    assert words in result.output


def test_missing_settings_file_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--settings", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml: no such settings file" in result.output


# --- serving, and what the server logs ------------------------------------------------------------------


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert "can't listen here" in result.output and "try another --port" in result.output


def test_request_log_carries_no_patient_data(caplog) -> None:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, DeskSettings())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    try:
        with caplog.at_level(logging.INFO, logger="handouts.web.app"):
            opener, token = browser_opener(base)
            opener.open(f"{base}/?name=Maria+Lopez&patient_id=004211").read()
            request = urllib.request.Request(f"{base}/handout", data=form_body(token, MARIA))
            assert opener.open(request).read().startswith(b"%PDF")
    finally:
        server.close()
        thread.join(5)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET / 200" in logged and "POST /handout 200" in logged
    for secret in ("Maria", "Lopez", "004211", "name="):
        assert secret not in logged


def test_serve_prints_the_address_and_answers(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("The discharge form is at http://127.0.0.1:"), line
        address = line.split()[5]
        opener, token = browser_opener(address.rstrip("/"))
        form = form_body(token, MARIA)
        assert opener.open(urllib.request.Request(address + "handout", data=form)).read()[:4] == b"%PDF"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "POST /handout 200" in err
    assert "Maria" not in err and "004211" not in err
    assert list(tmp_path.iterdir()) == []  # nothing about the patient written to disk


# --- loading keeps what the file says, as the command line reads it -----------------------------------


def test_load_reads_yes_and_no_as_the_command_line_does(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        EXAMPLE.read_text()
        .replace("walker: {wheels: true}", "walker: {wheels: yes, platform: on}")
        .replace("stronger_side: left", "stronger_side: Left")
        .replace("mode: passive", "mode: Passive")
    )
    page = Page(upload(client, text.encode()).get_data(as_text=True))
    assert "problems" not in page.text_by_id.get("error-summary", "")
    assert page.checked("walker.wheels") == ["true"]
    assert page.checked("walker.platform") == ["true"]
    assert page.checked("stronger_side") == ["left"]
    assert page.checked("ankle_pump.mode") == ["passive"]
    path = tmp_path / "yes.yaml"
    path.write_text(text)
    assert client.post("/handout", data=page.submission()).data == print_file(path).pdf


def test_load_shows_a_value_the_command_line_refuses_by_its_field(client) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text().replace("walker: {wheels: true}", "walker: {wheels: maybe}")
    page = Page(upload(client, text.encode()).get_data(as_text=True))
    assert "'maybe' is not allowed; use true or false" in page.error("walker.wheels")


def test_layout_select_always_shows_the_layout_used(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    assert Page(client.get("/").get_data(as_text=True)).selected("layout") == ["large-print"]
    loaded = Page(upload(client, EXAMPLE.read_bytes()).get_data(as_text=True))
    assert loaded.selected("layout") == ["large-print"]
    assert 'layout: "large-print"' in post(client, "/patient-file", loaded.submission()).get_data(as_text=True)
    own = form_client(create_app(DeskSettings(layout="extra-large")))
    assert Page(own.get("/").get_data(as_text=True)).selected("layout") == ["extra-large"]
    assert Page(upload(own, EXAMPLE.read_bytes()).get_data(as_text=True)).selected("layout") == ["extra-large"]
    said = EXAMPLE.read_text() + "layout: large-print\n"
    assert Page(upload(own, said.encode()).get_data(as_text=True)).selected("layout") == ["large-print"]
    refused_page = refused(client, {**MARIA, "name": "", "layout": "extra-large"})
    assert refused_page.selected("layout") == ["extra-large"]


def test_order_of_a_loaded_file_is_kept_and_new_items_go_after(client) -> None:  # type: ignore[no-untyped-def]
    page = Page(upload(client, EXAMPLE.read_bytes()).get_data(as_text=True))
    data = page.submission()
    data["device"] = [*data["device"], "cane"]  # type: ignore[list-item]
    data["exercise"] = ["stretching", "walking"]  # ankle_pump unticked, stretching ticked
    text = post(client, "/patient-file", data).get_data(as_text=True)
    exercises = re.findall(r"^  - (\w+)", text.split("exercises:")[1].split("devices:")[0], re.M)
    devices = re.findall(r"^  - (\w+)", text.split("devices:")[1], re.M)
    assert exercises == ["walking", "stretching"]
    assert devices == ["quad_cane", "ankle_foot_brace", "walker", "cane"]


def test_load_without_a_date_shows_today_and_saves_it(client) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLE.read_text().replace("date: 2026-11-23\n", "")
    page = Page(upload(client, text.encode()).get_data(as_text=True))
    today = dt.date.today().isoformat()
    assert page.value("date") == dt.date.today().strftime("%m/%d/%Y")
    saved = post(client, "/patient-file", page.submission()).get_data(as_text=True)
    assert f'date: "{today}"' in saved
    # A date field emptied by hand still saves the date the handout would carry if made now.
    saved = post(client, "/patient-file", {**MARIA, "date": ""}).get_data(as_text=True)
    assert f'date: "{today}"' in saved


# --- paper -------------------------------------------------------------------------------------------


def _page_size(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_paper_choice_prints_on_a4_like_the_command_line(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = Page(client.get("/").get_data(as_text=True))
    assert page.selected("paper") == [""]
    assert [v for v, _ in page.options["paper"]] == ["", "letter", "a4"]
    assert _page_size(post(client, "/handout", MARIA).data) == (612, 792)
    a4 = post(client, "/handout", {**MARIA, "paper": "a4"}).data
    assert _page_size(a4) == (595, 842)
    saved = post(client, "/patient-file", {**MARIA, "paper": "a4"})
    assert "paper" not in saved.get_data(as_text=True)
    path = tmp_path / "m.yaml"
    path.write_bytes(saved.data)
    out = tmp_path / "m.pdf"
    result = CliRunner().invoke(main, ["handout", str(path), "--paper", "a4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == a4
    body = client.get("/").get_data(as_text=True)
    assert "(not kept in a patient file)</span></label>" in body


def test_paper_from_settings_and_a_wrong_paper(client) -> None:  # type: ignore[no-untyped-def]
    own = form_client(create_app(DeskSettings(paper="a4")))
    assert Page(own.get("/").get_data(as_text=True)).selected("paper") == ["a4"]
    assert Page(upload(own, EXAMPLE.read_bytes()).get_data(as_text=True)).selected("paper") == ["a4"]
    page = refused(client, {**MARIA, "paper": "a5", "name": ""})
    assert "'a5' is not a paper; use letter or a4" in page.error("paper")
    assert "is required" in page.error("name")
    assert page.selected("paper") == ["a5"]


# --- every problem at once, each named by its place in the form ------------------------------------------


def test_settings_file_reports_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("clinc: Riverside\nlayout: large-prnt\npaper: a5\n")
    with pytest.raises(HandoutError) as caught:
        load_settings(path)
    said = str(caught.value)
    assert "settings.yaml:1: clinc: 'clinc' is not a known field" in said
    assert "settings.yaml:2: layout: there is no layout 'large-prnt'; did you mean 'large-print'?" in said
    assert "settings.yaml:3: paper: 'a5' is not allowed" in said


def test_summary_names_each_problem_by_its_form_label(client) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "stronger_side": "", "device": ["cane", "canne"], "patient_id": "", "birth_date": ""}
    page = refused(client, data)
    items = [" ".join(i.split()) for i in page.text_by_id["error-summary"].split("\n") if i.strip()][1:]
    assert (
        "Patient ID: a second identifier is required: give Patient ID or Date of birth (MM/DD/YYYY or YYYY-MM-DD)"
        in items
    )
    assert any(i.startswith("Stronger side: cane is chosen") for i in items), items
    assert "Equipment: 'canne' is not a device; did you mean 'cane'?" in items
    text = EXAMPLE.read_text().replace("phone: 555-0100\n", "fone: 1\n")
    loaded = Page(upload(client, text.encode()).get_data(as_text=True))
    summary = " ".join(loaded.text_by_id["error-summary"].split())
    assert "Patient file: line 8: fone: 'fone' is not a known field; did you mean 'phone'?" in summary


def test_check_route_answers_the_page_script(client) -> None:  # type: ignore[no-untyped-def]
    """POST /check makes nothing: 204 when the form is sound, else the page with every problem."""
    assert post(client, "/check", MARIA).status_code == 204
    page = refused(client, {**MARIA, "name": "", "stronger_side": "", "aerobic.minutes": "lots"}, route="/check")
    assert "is required" in page.error("name")
    assert "cane is chosen" in page.error("stronger_side") or "quad_cane is chosen" in page.error("stronger_side")
    assert "'lots' is not a whole number" in page.error("aerobic.minutes")
    assert page.value("patient_id") == "004211"


# --- who may use the form -------------------------------------------------------------------------------


def test_a_foreign_host_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    """A DNS-rebinding page reaches the server under its own name: refused, so it can't read a PDF back."""
    assert client.get("/", headers={"Host": "attacker.example:8000"}).status_code == 403
    assert client.get("/", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 403
    assert post(client, "/handout", MARIA).status_code == 200  # Host "localhost": the form's own


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_post_from_another_page_is_refused(client, headers) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/handout", data=MARIA, headers=headers)
    assert response.status_code == 403
    assert b"%PDF" not in response.data and b"Maria" not in response.data


def test_a_post_without_the_session_token_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    bare = FlaskClient(app, app.response_class, use_cookies=True)
    assert bare.post("/handout", data=MARIA).status_code == 403
    bare.get("/")
    assert bare.post("/handout", data={**MARIA, TOKEN: "guessed"}).status_code == 403
    ok = post(form_client(app), "/handout", MARIA, headers={"Origin": "http://localhost"})
    assert ok.status_code == 200


def test_the_clinic_password_guards_every_page(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HANDOUTS_PASSWORD", "riverside-desk-7")
    app = create_app(DeskSettings(https=True))
    browser = app.test_client()
    first = browser.get("/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/login")
    login = browser.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    wrong = browser.post("/login", data={TOKEN: token, "password": "riverside-desk-8"})
    assert wrong.status_code == 401 and "not the clinic password" in wrong.get_data(as_text=True)
    assert browser.get("/").status_code == 302
    assert browser.post("/login", data={TOKEN: token, "password": "riverside-desk-7"}).status_code == 302
    assert browser.get("/").status_code == 200
    assert browser.post("/handout", data={**MARIA, TOKEN: token}).status_code == 403  # a new session, a new token
    stranger = app.test_client()
    page = stranger.get("/login").get_data(as_text=True)
    theirs = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert stranger.post("/handout", data={**MARIA, TOKEN: theirs}).status_code == 403  # token, no password


def test_serve_beyond_loopback_needs_a_password(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "127.0.0.2", "--port", "0"])
    assert result.exit_code == 2
    assert "needs a clinic password" in result.output and "HANDOUTS_PASSWORD" in result.output
    assert "never on the command line" in result.output


def test_ticked_order_is_printed_order(client) -> None:  # type: ignore[no-untyped-def]
    data = {**MARIA, "order": "aerobic walker stretching range_of_motion quad_cane ankle_foot_brace"}
    text = post(client, "/patient-file", data).get_data(as_text=True)
    assert text.index("- aerobic") < text.index("- stretching") < text.index("- range_of_motion")
    assert text.index("- walker") < text.index("- quad_cane") < text.index("- ankle_foot_brace")


def test_form_speaks_the_clinician_words_first(client) -> None:  # type: ignore[no-untyped-def]
    body = " ".join(client.get("/").get_data(as_text=True).split())
    for words in ("Range of motion (ROM)", "Quad cane", "Ankle-foot orthosis (AFO)", "Walker: wheels / platform"):
        assert words in body
    assert "prints as “Moving your joints”" in body
    assert "(true)" not in body and "(range_of_motion)" not in body
    ids = set(re.findall(r'id="([^"]+)"', body))
    assert set(re.findall(r'aria-controls="([^"]+)"', body)) <= ids, "aria-controls names a missing element"


def test_library_moves_are_offered_by_joint_across_kinds(client) -> None:  # type: ignore[no-untyped-def]
    """The shipped exercise library: one group per joint, whatever the kind (a shoulder's range of motion
    and its stretch together), head to toe, activities last; the whole kinds above it, apart."""
    text = " ".join(client.get("/").get_data(as_text=True).split())
    kinds, library = text.index("Whole kinds of exercise"), text.index("Exercise library")
    assert kinds < text.index('value="range_of_motion"') < library
    assert text.count("<summary>Shoulder") == 1 and text.count("<summary>Hip") == 1
    shoulder, elbow = text.index("<summary>Shoulder"), text.index("<summary>Elbow")
    assert shoulder < text.index('value="shoulder_raise"') < text.index('value="chest_stretch"') < elbow
    assert text.index("<summary>Ankle") < text.index('value="calf_stretch"') < text.index("<summary>Activities")
    assert text.index("<summary>Activities") < text.index('value="walking"')
    assert '<details class="joint" id="joint-neck">' in text  # collapsed while nothing in it is ticked
    assert 'data-search="calf: stretch the back of your leg' in text


def test_moves_with_a_category_are_grouped_by_joint(app) -> None:  # type: ignore[no-untyped-def]
    """The form's grouping, with two library-style moves made from the shipped exercises."""
    import dataclasses

    desk = app.extensions["handouts"]
    rom, stretch = (next(i for i in desk.spec.exercises if i.id == x) for x in ("range_of_motion", "stretching"))
    moves = (
        dataclasses.replace(rom, label="Shoulder flexion", category="range_of_motion", joint="shoulder"),
        dataclasses.replace(stretch, label="Calf stretch", category="stretching", joint="ankle"),
    )
    spec = dataclasses.replace(desk.spec, exercises=moves)
    app.extensions["handouts"] = dataclasses.replace(desk, spec=spec)
    try:
        _check_library_page(form_client(app).get("/").get_data(as_text=True))
    finally:
        app.extensions["handouts"] = desk


def _check_library_page(body: str) -> None:
    text = " ".join(body.split())
    shoulder, ankle = text.index("<summary>Shoulder"), text.index("<summary>Ankle")
    assert shoulder < text.index("Shoulder flexion") < ankle < text.index("Calf stretch")
    assert '<span class="kind">range of motion</span>' in text and '<span class="kind">stretch</span>' in text
    assert "Whole kinds of exercise" not in text  # no plain exercise left: no heading for none


def test_leave_out_background_tick_box_sets_the_patient_field(client) -> None:  # type: ignore[no-untyped-def]
    from handouts.web.spec import BACKGROUND, TOP_LABELS

    if BACKGROUND not in TOP_LABELS:
        pytest.skip("the patient file's `background:` field has not landed yet")
    assert 'name="background" value="false"' in client.get("/").get_data(as_text=True)
    saved = post(client, "/patient-file", {**MARIA, "background": "false"}).get_data(as_text=True)
    assert 'background: "false"' in saved
    assert "background" not in post(client, "/patient-file", MARIA).get_data(as_text=True)


def test_names_a_server_answers_to() -> None:
    from handouts.web.server import allowed_hosts

    mine = allowed_hosts("127.0.0.1", 8000, DeskSettings(hostnames=["handouts.clinic.example"]))
    for host in (
        "127.0.0.1:8000",
        "localhost:8000",
        "[::1]:8000",
        "handouts.clinic.example",
        "HANDOUTS.clinic.example",
    ):
        assert mine.host_allowed(host), host
    for host in (
        "127.0.0.1:8001",
        "attacker.example:8000",
        "handouts.clinic.example.attacker.example",
        "10.0.0.5:8000",
    ):
        assert not mine.host_allowed(host), host
    everywhere = allowed_hosts("0.0.0.0", 8000, DeskSettings())
    assert everywhere.host_allowed("10.0.0.5:8000") and everywhere.host_allowed("[fe80::1]:8000")
    assert not everywhere.host_allowed("attacker.example:8000")


def test_password_rules_in_the_settings(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    path = tmp_path / "s.yaml"
    path.write_text("password: short\n")
    with pytest.raises(HandoutError, match="s.yaml:1: password: .*at least 12 characters"):
        load_settings(path)
    path.write_text("password: riverside-desk-7\nhttps: true\nhostnames: [handouts.clinic.example]\n")
    settings = load_settings(path)
    assert settings.clinic_password() == "riverside-desk-7" and "riverside" not in repr(settings)
    monkeypatch.setenv("HANDOUTS_PASSWORD", "from-the-environment")
    assert settings.clinic_password() == "from-the-environment"


@pytest.mark.parametrize("route", ["/handout", "/check", "/patient-file"])
def test_what_no_font_prints_is_refused_by_its_field_never_a_500(client, route) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: "✓", an emoji or Chinese in a field passed the form and ended in a bare 500 page."""
    typed = {**MARIA, "name": "王秀英", "notes": "Walk daily ✓", "aerobic.note": "Smile 😀"}
    answer = post(client, route, typed)
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 422, page[:300]
    for field, char in (("e-name", "'王' (U+738B"), ("e-notes", "'✓' (U+2713 CHECK MARK)"), ("e-aerobic-note", "😀")):
        block = page[page.index(f'id="{field}"') :]
        assert char in block[: block.index("</div>")], field


def test_a_too_large_post_names_what_was_too_big(client) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: a huge note, no file sent, was called "Patient file: is too big"."""
    answer = post(client, "/handout", {**MARIA, "notes": "x" * 2_100_000})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 413
    assert "The form: what was sent is too big" in page and "Patient file: is too big" not in page


@pytest.mark.parametrize(("path", "status"), [("/no-such-page", 404), ("/handout", 405)])
def test_error_pages_are_the_forms_own(client, path, status) -> None:  # type: ignore[no-untyped-def]
    answer = client.get(path)
    page = answer.get_data(as_text=True)
    assert answer.status_code == status and '<html lang="en">' in page and "<h1>" in page
    assert "Open the discharge form" in page


def test_notes_print_as_typed_in_the_language_typed_and_the_form_says_so(client) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: a therapist writing English notes on a Spanish handout must know they are not translated."""
    page = client.get("/").get_data(as_text=True)
    assert "Printed as you type them, in the language you write them in (never translated)" in page
    data = {**MARIA, "language": "es", "notes": "Use the walker outside."}
    response = post(client, "/handout", data)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    text = " ".join(" ".join(pages_text(response.data)).split())
    assert "Use the walker outside." in text and "Notas de su terapeuta" in text
