"""The form's language choice in a real browser (Debian's chromium): "The handout will be in" the
chosen language, a draft's warning shows, and the PDF the browser gets is in Spanish."""

from __future__ import annotations

from pdfcheck import page_texts
from test_web_browser import base_url, browser, fill_like_a_therapist, make_handout, page  # noqa: F401


def test_choosing_spanish_says_so_and_prints_spanish(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    choice = page.get_by_label("The handout will be in")
    draft = page.locator('.language-draft[data-language="es"]')
    expect(choice).to_have_value("en")
    expect(choice.locator("option:checked")).to_have_text("English")
    expect(draft).to_be_hidden()
    fill_like_a_therapist(page)
    choice.select_option("es")
    expect(choice.locator("option:checked")).to_have_text("Spanish (Español)")
    expect(draft).to_be_visible()
    got, _ = make_handout(page)
    assert got["status"] == 200
    words = " ".join(page_texts(got["body"]))  # type: ignore[arg-type]
    assert "Traducción pendiente de revisión clínica" in words and "Página 1 de" in words
    assert "Mover sus articulaciones" in words and "15 minutos cada vez." in words
