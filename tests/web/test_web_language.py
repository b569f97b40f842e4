"""The discharge form's language choice: offered, said in words, kept in the patient file, printed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from test_web import MARIA, form_client

from handouts.build import print_file
from handouts.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "maria-lopez.yaml"


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return create_app()


def test_the_form_offers_the_language_and_says_which(app) -> None:  # type: ignore[no-untyped-def]
    page = form_client(app).get("/").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="language".*?</select>', page, re.S)
    assert select is not None
    assert re.findall(r'<option value="(\w+)"', select.group(0)) == ["en", "es"]
    assert "selected>English<" in select.group(0)
    assert re.search(r'<label for="[^"]*">The handout will be in</label>', page)
    draft = re.search(r'<p class="warning language-draft" data-language="es" hidden>([^<]+)</p>', page)
    assert draft is not None and "draft awaiting a clinician" in draft.group(1)


def test_spanish_chosen_in_the_form_prints_the_command_line_s_bytes(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client = form_client(app)
    response = client.post("/handout", data={**MARIA, "language": "es"})
    assert response.status_code == 200
    saved = tmp_path / "maria.yaml"
    saved.write_bytes(client.post("/patient-file", data={**MARIA, "language": "es"}).data)
    assert response.data == print_file(saved).pdf
    assert "Traducción pendiente" in print_file(saved).handout.draft  # type: ignore[operator]
    assert response.data != client.post("/handout", data=MARIA).data


def test_the_saved_file_keeps_the_language_and_loads_it_back(app) -> None:  # type: ignore[no-untyped-def]
    client = form_client(app)
    saved = client.post("/patient-file", data={**MARIA, "language": "es"}).get_data(as_text=True)
    assert re.search(r'^language: "es"$', saved, re.M)
    english = client.post("/patient-file", data={**MARIA, "language": "en"}).get_data(as_text=True)
    assert "language" not in english  # the default is left out, as a hand-written file would
    loaded = client.post(
        "/load", data={"patient_file": (io.BytesIO(saved.encode()), "m.yaml")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert re.search(r'<option value="es" selected>Spanish \(Español\)</option>', loaded)
    assert '<p class="warning language-draft" data-language="es">' in loaded  # shown, not hidden


def test_a_language_the_tool_lacks_is_an_error_on_its_field(app) -> None:  # type: ignore[no-untyped-def]
    page = form_client(app).post("/handout", data={**MARIA, "language": "fr"}).get_data(as_text=True)
    assert "&#39;fr&#39; is not allowed; use &#39;en&#39; or &#39;es&#39;" in page or "'fr' is not allowed" in page
