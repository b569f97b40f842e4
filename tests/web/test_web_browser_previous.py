"""The form's "Previous handout" in a real browser (chromium, as in test_web_browser.py): choosing the
patient's last handout lists what changed in the page before printing, the handout made then marks it,
and another patient's handout is refused by the field with the reason."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from pdfcheck import first_page_text, reading_text
from test_web_browser import (  # noqa: F401
    axe_violations,
    base_url,
    browser,
    fill_like_a_therapist,
    page,
)

from handouts.build import print_file
from handouts.inputs.content import cached_content

pytestmark = pytest.mark.xdist_group("browser")

BEFORE = """\
name: Maria Lopez
patient_id: "004211"
date: 2026-11-23
stronger_side: left
exercises:
  - range_of_motion: {mode: active, times_per_day: 2}
  - aerobic: {minutes: 10}
  - stretching
devices:
  - cane
  - ankle_foot_brace: {side: left}
"""


def handout_of(tmp_path: Path, text: str, name: str) -> Path:
    plan = tmp_path / f"{name}.yaml"
    plan.write_text(text, encoding="utf-8")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(print_file(plan).pdf)
    return path


def test_the_previous_handout_shows_what_changed_then_prints_it(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    old = handout_of(tmp_path, BEFORE, "old")
    fill_like_a_therapist(page)
    page.get_by_label("Date of the handout").fill("02/10/2027")
    page.get_by_text("Previous handout", exact=True).click()  # folded away until a reissue
    page.get_by_label("Previous handout (.pdf)").set_input_files(str(old))
    changes = page.get_by_role("region", name="What changed since the handout of November 23, 2026 (old.pdf)")
    expect(changes).to_be_visible()
    lines = changes.get_by_role("listitem").all_inner_texts()
    title = {i: cached_content().section(i).title for i in ("range_of_motion", "aerobic", "quad_cane", "cane")}
    title |= {i: cached_content().section(i).title for i in ("ankle_foot_brace", "stretching")}
    assert lines == [
        f"Changed: {title['range_of_motion']}. Now a helper does it for you. Before: you did it on your own.",
        f"Changed: {title['aerobic']}. Now 15 minutes each time. Before: 10 minutes each time.",
        f"New: {title['quad_cane']}. New in your plan, instead of your cane.",
        f"Changed: {title['ankle_foot_brace']}. Now on your right leg. Before: on your left leg.",
        f"No longer in the plan: {title['stretching']}, {title['cane']}.",
    ], lines
    assert page.get_by_label("Previous handout (.pdf)").evaluate("e => e.files.length") == 1  # kept for printing
    assert axe_violations(page) == [], "the list of what changed"
    got: dict[str, bytes] = {}
    # Kept at the response stage, through the browser's DevTools protocol: Playwright's page.route()
    # would resend the request, and it resends a multipart body without its file.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*/handout", "requestStage": "Response"}]})

    def paused(event):  # type: ignore[no-untyped-def]
        body = cdp.send("Fetch.getResponseBody", {"requestId": event["requestId"]})
        got["body"] = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
        cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})

    cdp.on("Fetch.requestPaused", paused)
    page.get_by_role("button", name="Make handout").click()
    expect(page.locator("#print-status")).to_contain_text("is ready")
    pdf = got["body"]
    page1 = first_page_text(pdf)
    assert f"Changed – {title['range_of_motion']}:" in page1 and f"New – {title['quad_cane']}:" in page1
    assert f"No longer in your plan: {title['stretching']}, {title['cane']}" in page1
    assert "What changed: Now a helper does it for you. Before: you did it on your own." in reading_text(pdf)
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:  # the new handout carries the new plan, not the old
        assert b"mode: passive" in doc.Root.AF[0].EF.F.read_bytes()


def test_another_patients_previous_handout_is_refused_with_the_reason(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    other = handout_of(tmp_path, BEFORE.replace("Maria Lopez", "Marta Lopez"), "other")
    fill_like_a_therapist(page)
    page.get_by_text("Previous handout", exact=True).click()
    page.get_by_label("Previous handout (.pdf)").set_input_files(str(other))
    error = page.locator("#e-previous")
    expect(error).to_contain_text(
        "Previous handout: other.pdf: is not this patient's previous handout: the name differs "
        "(it is Marta Lopez's handout; this one is for Maria Lopez)"
    )
    assert page.get_by_label("Previous handout (.pdf)").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Patient's full name").input_value() == "Maria Lopez"  # nothing typed is lost
    assert axe_violations(page) == [], "another patient's handout refused"
