"""Loading a patient file into the form reads it as the command line and the batch do (issue 21, item 1):
option names in any spelling the command line accepts and device notes survive into the form and into
the PDF; a file the form can't show completely is refused, saying what, never shown in part. On the real
server, over HTTP."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pdfcheck import all_text
from test_web import Page, browser_opener, form_body

from handouts.build import print_file
from handouts.inputs.settings import DeskSettings
from handouts.web.server import make_server
from handouts.web.spec import FormSpec, build_spec

SPELLED = """\
name: Ana Souza
patient_id: MRN-77310
date: 2026-11-24
stronger_side: Left
exercises:
  - Range-of-motion: {Mode: passive, Times per day: 2, days-per-week: 3}
  - aerobic: {Minutes: 10, note: Use the stationary bike}
devices:
  - walker: {Wheels: yes, note: "Use it indoors only, never on stairs"}
  - Quad cane: {note: Keep it by the bed at night}
"""


@contextmanager
def _server() -> Iterator[str]:
    running = make_server("127.0.0.1", 0, DeskSettings())
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.effective_port}"
    finally:
        running.close()
        thread.join(5)


@pytest.fixture()
def server() -> Iterator[str]:
    with _server() as base:
        yield base


def _upload(base: str, text: str, name: str = "ana.yaml") -> tuple[int, Page, urllib.request.OpenerDirector, str]:
    """Load `text` the way the page's file form does (multipart, with the page's token)."""
    opener, token = browser_opener(base)
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="patient_file"; filename="{name}"\r\n'
        f"Content-Type: application/yaml\r\n\r\n{text}\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        base + "/load", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with opener.open(request) as answer:
            return answer.status, Page(answer.read().decode()), opener, token
    except urllib.error.HTTPError as refused:
        return refused.code, Page(refused.read().decode()), opener, token


def test_spellings_and_device_notes_survive_into_the_form_and_the_pdf(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = server
    status, page, opener, token = _upload(base, SPELLED)
    assert status == 200 and "problems" not in page.text_by_id.get("error-summary", "")
    assert sorted(page.checked("exercise")) == ["aerobic", "range_of_motion"]
    assert page.value("order") == "range_of_motion aerobic walker quad_cane"
    assert page.checked("range_of_motion.mode") == ["passive"]
    assert page.value("range_of_motion.times_per_day") == "2"
    assert page.value("range_of_motion.days_per_week") == "3"
    assert page.value("aerobic.minutes") == "10"
    assert page.value("aerobic.note") == "Use the stationary bike"
    assert page.checked("walker.wheels") == ["true"]
    assert page.value("walker.note") == "Use it indoors only, never on stairs"
    assert page.value("quad_cane.note") == "Keep it by the bed at night"
    assert page.checked("stronger_side") == ["left"]

    request = urllib.request.Request(base + "/handout", data=form_body(token, page.submission()))
    pdf = opener.open(request).read()
    path = tmp_path / "ana.yaml"
    path.write_text(SPELLED, encoding="utf-8")
    assert pdf == print_file(path).pdf  # the very handout the command line prints from the file
    text = " ".join(all_text(pdf).split())
    for words in ("Use it indoors only, never on stairs", "Keep it by the bed at night", "2 times a day"):
        assert words in text, words


def test_a_file_the_form_cannot_show_completely_is_refused_saying_what(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A form with no field for a device's note (as the form had before): the file is not loaded, and
    the refusal names the notes, rather than the form showing the rest and printing without them."""
    import handouts.web.app as web_app

    def without_notes(content, layouts) -> FormSpec:  # type: ignore[no-untyped-def]
        spec = build_spec(content, layouts)
        devices = tuple(replace(item, doses=()) for item in spec.devices)
        return replace(spec, devices=devices, keys=spec.keys - {f"{item.id}.note" for item in spec.devices})

    monkeypatch.setattr(web_app, "build_spec", without_notes)
    with _server() as base:
        status, page, _, _ = _upload(base, SPELLED)
    assert status == 422
    said = page.error("patient_file")
    assert "ana.yaml: not loaded, since the form can't show all of it" in said
    assert "walker.note: Use it indoors only, never on stairs" in said
    assert "quad_cane.note: Keep it by the bed at night" in said
    assert page.checked("exercise") == [] and page.value("name") in (None, "")


def test_a_file_with_problems_still_shows_every_spelling(server) -> None:  # type: ignore[no-untyped-def]
    """A file check_plan refuses (no second identifier) is shown beside its problems: its spelled
    options and notes are shown too, not dropped."""
    base = server
    status, page, _, _ = _upload(base, SPELLED.replace("patient_id: MRN-77310\n", ""))
    assert status == 200
    assert "a second identifier is required" in page.text_by_id["error-summary"]
    assert page.checked("range_of_motion.mode") == ["passive"]
    assert page.value("range_of_motion.times_per_day") == "2"
    assert page.value("walker.note") == "Use it indoors only, never on stairs"
