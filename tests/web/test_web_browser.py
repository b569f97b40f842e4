"""The discharge form in a real browser: Debian's chromium driven by Playwright, as a therapist uses it.

Runs in CI, never skipped there (.ci/run installs chromium with apt-get and sets CI). On a machine
without /usr/bin/chromium and without CI set, the tests are skipped with the reason.
Playwright's own browser downloads are never used: `executable_path` points at the system chromium.
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import check_handout
from pdfcheck import page_texts as pages_text
from pypdf import PdfReader
from werkzeug.serving import make_server

from handouts.cli import main
from handouts.web.app import _QuietHandler, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(reason)


def _system_version() -> str:
    import subprocess

    return subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def base_url():  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, create_app(), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        assert launched.version.split(".")[0] in _system_version()
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, base_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    outside: list[str] = []
    # The browser's own PDF viewer loads chrome:// parts; anything over the network must be ours.
    network = ("http:", "https:", "ws:", "wss:", "ftp:")
    tab.on(
        "request",
        lambda r: outside.append(r.url) if r.url.startswith(network) and not r.url.startswith(base_url) else None,
    )
    tab.goto(base_url + "/")
    yield tab
    context.close()
    assert outside == [], f"the page asked for something outside the app: {outside}"


def capture_pdf(page):  # type: ignore[no-untyped-def]
    """Keep the bytes of the handout the browser receives (its PDF viewer would otherwise hide them)."""
    got: dict[str, object] = {}

    def keep(route):  # type: ignore[no-untyped-def]
        response = route.fetch()
        got["body"], got["headers"] = response.body(), response.headers
        route.fulfill(response=response)

    page.route("**/handout", keep)
    return got


def wait_for_focus(locator) -> None:  # type: ignore[no-untyped-def]
    """The page's script shows the server's answer when it comes; wait for it (the page's CSP forbids
    the eval that page.wait_for_function needs)."""
    from playwright.sync_api import expect

    expect(locator).to_be_focused()


def fill_like_a_therapist(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Patient's full name").fill("Maria Lopez")
    page.get_by_label("Patient ID").fill("004211")
    page.get_by_label("Date of the handout").fill("2026-11-23")
    page.get_by_label("Therapist").fill("Alex Kim, PT")
    page.locator("#stronger-side").get_by_label("Left").check()
    page.get_by_label("Moving your joints").check()
    joints = page.locator("#opts-range_of_motion")
    joints.get_by_label("Passive").check()
    joints.get_by_label("Times a day").fill("2")
    page.get_by_label("Moves that get your heart going").check()
    page.locator("#opts-aerobic").get_by_label("Minutes each time").fill("15")
    page.get_by_label("Using a four-foot cane").check()
    page.get_by_label("Ankle and foot brace").check()
    page.locator("#opts-ankle_foot_brace").get_by_label("Right").check()
    page.get_by_label("Notes for the patient").fill("Use the quad cane indoors.")


def test_therapist_fills_the_form_and_gets_the_pdf(page) -> None:  # type: ignore[no-untyped-def]
    fill_like_a_therapist(page)
    got = capture_pdf(page)
    with page.expect_response("**/handout") as answer:
        page.get_by_role("button", name="Make handout").click()
    assert answer.value.status == 200
    headers = got["headers"]
    assert headers["content-type"] == "application/pdf"  # type: ignore[index]
    assert headers["content-disposition"] == 'inline; filename="2026-11-23_lopez-maria_004211.pdf"'  # type: ignore[index]
    pdf = got["body"]
    check_handout(
        pdf,  # type: ignore[arg-type]
        "Maria Lopez",
        "004211",
        [
            "Moving your joints",
            "Moves that get your heart going",
            "Using a four-foot cane",
            "Lifting weights",
        ],
    )
    words = " ".join(pages_text(pdf))  # type: ignore[arg-type]
    assert "Use the quad cane indoors." in words and "15 minutes each time." in words


def test_settings_show_only_when_ticked(page) -> None:  # type: ignore[no-untyped-def]
    settings = page.locator("#opts-walker")
    assert settings.is_hidden()
    page.get_by_label("Using a walker").check()
    assert settings.is_visible()
    page.get_by_label("Using a walker").uncheck()
    assert settings.is_hidden()


def test_cane_without_side_is_caught_before_sending(page) -> None:  # type: ignore[no-untyped-def]
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.get_by_label("Patient's full name").fill("Ann Lee")
    page.get_by_label("Patient ID").fill("77")
    page.locator("#f-cane").check()
    page.get_by_role("button", name="Make handout").click()
    message = page.locator("#e-stronger_side")
    assert message.is_visible()
    assert "cane is chosen, so say which side is stronger" in message.inner_text()
    wait_for_focus(page.locator("#error-summary"))
    assert "Stronger side: cane is chosen" in page.locator("#error-summary").inner_text()
    assert not [url for url in sent if url.endswith(("/handout", "/patient-file"))], sent


def test_cane_check_shows_every_other_problem_too(page) -> None:  # type: ignore[no-untyped-def]
    """The script's own check must not hide what the server would say: one submit shows it all."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.locator("#f-cane").check()
    page.get_by_label("Ankle and foot brace").check()
    page.get_by_label("Moves that get your heart going").check()
    page.locator("#opts-aerobic").get_by_label("Minutes each time").fill("lots")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    summary = " ".join(page.locator("#error-summary").inner_text().split())
    for words in [
        "Patient's full name: is required",
        "Stronger side: cane is chosen, so say which side is stronger",
        "Ankle and foot brace: ankle_foot_brace needs 'side'",
        "Minutes each time: 'lots' is not a whole number",
    ]:
        assert words in summary, (words, summary)
    assert "is required" in page.locator("#e-name").inner_text()
    assert "needs 'side'" in page.locator("#e-ankle_foot_brace").inner_text()
    assert "'lots' is not a whole number" in page.locator("#e-aerobic-minutes").inner_text()
    assert "cane is chosen" in page.locator("#e-stronger_side").inner_text()
    # Everything typed is still there, the script still works, and no handout was asked for.
    assert page.locator("#opts-aerobic").get_by_label("Minutes each time").input_value() == "lots"
    assert page.locator("#f-cane").is_checked()
    assert page.locator("#opts-walker").is_hidden()
    page.get_by_label("Using a walker").check()
    assert page.locator("#opts-walker").is_visible()
    assert not [url for url in sent if url.endswith(("/handout", "/patient-file"))], sent
    page.get_by_role("link", name="Patient's full name: is required").click()
    assert page.evaluate("document.activeElement.id") == "f-name"


def test_server_error_is_shown_by_its_field_with_everything_kept(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Patient ID").fill("004211")
    page.get_by_label("Moves that get your heart going").check()
    page.locator("#opts-aerobic").get_by_label("Minutes each time").fill("lots")
    with page.expect_navigation():
        page.get_by_role("button", name="Make handout").click()
    assert "Patient's full name: is required" in page.locator("#e-name").inner_text()
    assert "'lots' is not a whole number" in page.locator("#e-aerobic-minutes").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("Patient ID").input_value() == "004211"
    assert page.locator("#opts-aerobic").get_by_label("Minutes each time").input_value() == "lots"
    page.get_by_role("link", name="Patient's full name: is required").click()
    assert page.evaluate("document.activeElement.id") == "f-name"


def test_save_then_load_the_patient_file(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fill_like_a_therapist(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Save patient file").click()
    assert download.value.suggested_filename == "2026-11-23_lopez-maria_004211.yaml"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    result = CliRunner().invoke(main, ["handout", str(saved), "-o", str(tmp_path / "m.pdf")])
    assert result.exit_code == 0, result.output

    page.goto(page.url)
    page.get_by_label("Patient file (.yaml)").set_input_files(str(saved))
    with page.expect_navigation():
        page.get_by_role("button", name="Load into the form").click()
    assert page.get_by_label("Patient's full name").input_value() == "Maria Lopez"
    assert page.get_by_label("Patient ID").input_value() == "004211"
    assert page.get_by_label("Ankle and foot brace").is_checked()
    assert page.locator("#opts-ankle_foot_brace").get_by_label("Right").is_checked()
    assert page.locator("#opts-range_of_motion").get_by_label("Times a day").input_value() == "2"


def test_keyboard_alone_with_visible_focus(page) -> None:  # type: ignore[no-untyped-def]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the form"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "f-name"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(ring.removesuffix("px")) >= 3
    page.keyboard.type("Maria Lopez")
    page.keyboard.press("Tab")
    page.keyboard.type("004211")
    page.focus("#f-walker")
    page.keyboard.press("Space")
    assert page.locator("#opts-walker").is_visible()


def test_readable_at_200_percent_zoom(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    """A 1280 px window at 200% zoom is a 640 px layout with twice the pixels: nothing may scroll sideways."""
    context = browser.new_context(viewport={"width": 640, "height": 900}, device_scale_factor=2)
    tab = context.new_page()
    tab.goto(base_url + "/")
    tab.get_by_label("Moves that get your heart going").check()
    wide = tab.evaluate("document.documentElement.scrollWidth")
    assert wide <= 640
    size = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    context.close()


def test_without_javascript_the_form_still_works(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    """Settings are all shown, and the server catches a cane without a stronger side by itself."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "/")
    assert tab.locator("#opts-walker").is_visible()
    tab.get_by_label("Patient's full name").fill("Ann Lee")
    tab.get_by_label("Patient ID").fill("77")
    tab.locator("#f-cane").check()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Make handout").click()
    assert "cane is chosen, so say which side is stronger" in tab.locator("#e-stronger_side").inner_text()
    assert tab.get_by_label("Patient's full name").input_value() == "Ann Lee"
    context.close()


def test_calendar_button_in_a_date_field_shows_focus(page) -> None:  # type: ignore[no-untyped-def]
    """Tab walks month, day, year, then the calendar button, all inside the one input."""
    page.focus("#f-date")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-date"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; })()"
    )
    assert style[0] == "solid" and style[1] >= 3 and "255, 191, 71" in style[2], style


def test_file_chooser_is_a_labelled_large_control(page) -> None:  # type: ignore[no-untyped-def]
    chooser = page.get_by_label("Patient file (.yaml)")
    assert chooser.evaluate("e => e.type") == "file"
    size = chooser.evaluate(
        "e => [parseFloat(getComputedStyle(e).fontSize),"
        " parseFloat(getComputedStyle(e, '::file-selector-button').fontSize),"
        " getComputedStyle(e, '::file-selector-button').borderTopWidth, e.getBoundingClientRect().height]"
    )
    assert size[0] >= 20 and size[1] >= 20, size
    assert float(size[2].removesuffix("px")) >= 2 and size[3] >= 40, size
    chooser.focus()
    assert float(chooser.evaluate("e => getComputedStyle(e).outlineWidth").removesuffix("px")) >= 3


def test_paper_choice_prints_on_a4(page) -> None:  # type: ignore[no-untyped-def]
    fill_like_a_therapist(page)
    page.get_by_label("Paper", exact=True).select_option("a4")
    got = capture_pdf(page)
    with page.expect_response("**/handout"):
        page.get_by_role("button", name="Make handout").click()
    box = PdfReader(io.BytesIO(got["body"])).pages[0].mediabox  # type: ignore[arg-type]
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
