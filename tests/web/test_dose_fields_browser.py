"""The form's dose boxes in a real browser (issue 22): a ticked move shows only the fields it takes, each
with its usual dose as the placeholder, and what is typed prints as that move's dose.

Chromium, Playwright and the real server, with the fixtures of test_web_browser.py (same worker group:
chromium starts once)."""

from __future__ import annotations

import pytest
import test_web_browser as real
from pdfcheck import page_texts as pages_text

# The real server and chromium, once for the module, and a fresh tab per test, as test_web_browser.py has them.
base_url, browser, page, make_handout = real.base_url, real.browser, real.page, real.make_handout

pytestmark = pytest.mark.xdist_group("browser")


def _tick(page, item: str) -> None:  # type: ignore[no-untyped-def]
    """Tick an exercise, opening whatever closed group of the library holds it, as a therapist does."""
    box = page.locator(f"#f-{item}")
    closed = page.locator("details:not([open])", has=box)
    while closed.count():
        closed.first.locator("> summary").click()
    box.check()


def _shown_boxes(page, item: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The visible dose boxes of a ticked item: label -> placeholder."""
    boxes = page.locator(f"#opts-{item} .doses input")
    shown = {}
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.is_visible():
            label = page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip()
            shown[label] = box.get_attribute("placeholder") or ""
    return shown


def test_a_move_shows_only_its_dose_fields_with_the_usual_dose(page) -> None:  # type: ignore[no-untyped-def]
    _tick(page, "neck_nod")
    assert _shown_boxes(page, "neck_nod") == {
        "Repetitions": "usual: 5",
        "Times a day": "",
        "Days a week": "",
        "Note on this exercise": "",
    }
    _tick(page, "walking")
    assert _shown_boxes(page, "walking") == {
        "Minutes": "usual: 10",
        "Times a day": "",
        "Days a week": "",
        "Note on this exercise": "",
    }
    _tick(page, "calf_stretch")
    shown = _shown_boxes(page, "calf_stretch")
    assert shown["Hold (sec)"] == "usual: 30" and shown["Repetitions"] == "usual: 3" and "Minutes" not in shown


def test_the_first_box_of_a_neck_move_is_its_count_and_prints_as_one(page) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: 5 typed in the neck move's first box printed as 5 minutes and 5 times."""
    page.get_by_label("Patient's full name").fill("Rosa Diaz")
    page.get_by_label("Patient ID").fill("7")
    page.get_by_label("Date of the handout").fill("11/23/2026")
    _tick(page, "neck_nod")
    page.locator("#opts-neck_nod .doses input").first.fill("5")
    got, _ = make_handout(page)
    assert got["status"] == 200
    words = " ".join(" ".join(pages_text(got["body"])).split())  # type: ignore[arg-type]
    assert "Do it 5 times." in words
    assert "minutes each time" not in words
