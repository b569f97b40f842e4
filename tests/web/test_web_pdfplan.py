"""The form's "Load a patient file" takes a handout's PDF: its plan fills the form (dated today, for
the reissue), and the PDF of another program, or one whose plan was edited, is refused by its field."""

from __future__ import annotations

import datetime as dt
import io

import pikepdf
import pytest
from pdfcheck import first_page_text
from test_web import EXAMPLE, Page, form_client

from handouts.build import print_file
from handouts.web.app import create_app


@pytest.fixture(scope="module")
def old_pdf() -> bytes:
    return print_file(EXAMPLE).pdf


@pytest.fixture()
def client():  # type: ignore[no-untyped-def]
    return form_client(create_app())


def upload(client, data: bytes, name: str = "old.pdf"):  # type: ignore[no-untyped-def]
    return client.post("/load", data={"patient_file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_handout_loads_its_plan_into_the_form_dated_today(client, old_pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, old_pdf)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Loaded the plan of old.pdf, dated today" in text
    page = Page(text)
    assert page.value("name") == "Maria Lopez" and page.value("patient_id") == "004211"
    assert sorted(page.checked("exercise")) == ["ankle_pump", "walking"]
    assert page.checked("ankle_pump.mode") == ["passive"]
    assert page.value("walking.minutes") == "15"
    assert page.value("date") != "11/23/2026"  # the old handout's date is not carried into the new one
    pdf = client.post("/handout", data=page.submission()).data
    assert pdf.startswith(b"%PDF")
    today = dt.date.today().isoformat()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        plan = doc.Root.AF[0].EF.F.read_bytes().decode()
    assert f"date: {today}" in plan and "times_per_day: 2" in plan


def test_an_edited_or_foreign_pdf_is_refused_by_its_field(client, old_pdf: bytes, tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "old.pdf"
    src.write_bytes(old_pdf)
    with pikepdf.open(src) as pdf:
        stream = pdf.Root.AF[0].EF.F
        stream.write(stream.read_bytes().replace(b"times_per_day: 2", b"times_per_day: 4"))
        pdf.save(tmp_path / "edited.pdf")
    cases = [
        ((tmp_path / "edited.pdf").read_bytes(), "old.pdf: its patient file was changed after the handout was printed"),
        (old_pdf[:20000], "old.pdf: is cut short"),
        (b"%PDF-1.4\n%%EOF\n", "old.pdf: can't be read as a PDF"),
    ]
    for data, words in cases:
        response = upload(client, data)
        assert response.status_code == 422
        assert words in Page(response.get_data(as_text=True)).error("patient_file"), words


def form_with_previous(client, previous: bytes, minutes: str = "20"):  # type: ignore[no-untyped-def]
    page = Page(upload(client, EXAMPLE.read_bytes(), "maria.yaml").get_data(as_text=True))
    data = page.submission()
    data |= {"walking.minutes": minutes, "date": "02/10/2027", "previous": (io.BytesIO(previous), "old.pdf")}
    return data


def test_changes_are_listed_without_javascript_and_printed(client, old_pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/changes", data=form_with_previous(client, old_pdf), content_type="multipart/form-data")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "What changed since the handout of November 23, 2026 (old.pdf)" in text
    assert "<li>Changed: Walking. Now 20 minutes each time. Before: 15 minutes each time.</li>" in text
    assert "Choose the previous handout again before Make handout" in text  # a page without script loses the file
    pdf = client.post("/handout", data=form_with_previous(client, old_pdf), content_type="multipart/form-data").data
    assert "Changed – Walking:" in first_page_text(pdf)


def test_another_patients_previous_handout_is_refused_on_print(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.yaml"
    other.write_text(EXAMPLE.read_text(encoding="utf-8").replace("004211", "004299"), encoding="utf-8")
    data = form_with_previous(client, print_file(other).pdf)
    for route in ("/handout", "/changes"):
        data["previous"] = (io.BytesIO(print_file(other).pdf), "old.pdf")
        response = client.post(route, data=data, content_type="multipart/form-data")
        assert response.status_code == 422
        assert Page(response.get_data(as_text=True)).error("previous") == (
            "Error: Previous handout: old.pdf: is not this patient's previous handout: the Patient ID differs "
            "(it has 004299; this one has 004211); give this patient's own"
        )
