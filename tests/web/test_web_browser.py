"""The discharge form in a real browser: Debian's chromium driven by Playwright, as a therapist uses it.

Runs in CI, never skipped there (.ci/run installs chromium with apt-get and sets CI). On a machine
without /usr/bin/chromium and without CI set, the tests are skipped with the reason.
Playwright's own browser downloads are never used: `executable_path` points at the system chromium.
"""

from __future__ import annotations

import io
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfcheck import check_handout
from pdfcheck import page_texts as pages_text
from pypdf import PdfReader

from handouts.cli import main
from handouts.errors import HandoutError
from handouts.inputs.settings import DeskSettings
from handouts.web.server import make_server

# One worker starts chromium once for the module and runs all its tests.
pytestmark = pytest.mark.xdist_group("browser")
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


@contextmanager
def running(host: str = "127.0.0.1", settings: DeskSettings | None = None):  # type: ignore[no-untyped-def]
    """The real server (waitress, as `serve` runs it) on a free loopback port, for the test's length."""
    server = make_server(host, 0, settings or DeskSettings())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    scheme = "https" if hasattr(server, "certificate") else "http"  # beyond loopback the form speaks HTTPS
    try:
        yield f"{scheme}://{host}:{server.effective_port}"
    finally:
        server.close()
        thread.join(5)


@pytest.fixture(scope="module")
def base_url():  # type: ignore[no-untyped-def]
    with running() as url:
        yield url


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


PRINT_STUB = "window.print = function () { var top = window.top; top.printed = (top.printed || 0) + 1; };"
"""Headless chromium has no print dialog (a real print() crashes the tab): in every frame of a test's
pages, print() counts its calls on the form's window instead."""


@pytest.fixture()
def page(browser, base_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True)
    context.add_init_script(PRINT_STUB)
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
        got["body"], got["headers"], got["status"] = response.body(), response.headers, response.status
        route.fulfill(response=response)

    page.context.route("**/handout", keep)
    return got


def make_handout(page):  # type: ignore[no-untyped-def]
    """Press Make handout: the PDF is printed from a hidden frame of the form's own page; no tab opens
    and the form's tab stays as it was. Returns the handout as received, and the print frame."""
    from playwright.sync_api import expect

    got = capture_pdf(page)
    tabs, printed = len(page.context.pages), page.evaluate("window.printed || 0")
    page.get_by_role("button", name="Make handout").click()
    expect(page.locator("#print-status")).to_contain_text("is ready")
    frame = page.locator("iframe#printer")
    assert frame.get_attribute("src").startswith("blob:")
    expect(page.locator("#print-status")).to_contain_text("is ready")
    for _ in range(50):  # the frame's PDF viewer loads, then the page calls print()
        if page.evaluate("window.printed || 0") > printed:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.printed || 0") == printed + 1, "the print dialog was not asked for"
    # The frame holds the browser's PDF viewer (the page's policy lets it frame its own blob: and no more).
    for _ in range(50):
        if any(f.url.startswith("chrome-extension://") for f in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(f.url.startswith("chrome-extension://") for f in page.frames), [f.url for f in page.frames]
    assert len(page.context.pages) == tabs, "no tab may open"
    assert page.url.endswith("/"), "the form's own tab must not navigate away"
    return got, frame


def wait_for_focus(locator) -> None:  # type: ignore[no-untyped-def]
    """The page's script shows the server's answer when it comes; wait for it (the page's CSP forbids
    the eval that page.wait_for_function needs)."""
    from playwright.sync_api import expect

    expect(locator).to_be_focused()


def fill_like_a_therapist(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Patient's full name").fill("Maria Lopez")
    page.get_by_label("Patient ID").fill("004211")
    page.get_by_label("Date of the handout").fill("11/23/2026")
    page.get_by_label("Therapist").fill("Alex Kim, PT")
    page.locator("#stronger-side").get_by_label("Left").check()
    page.get_by_label("Range of motion (ROM)").check()
    joints = page.locator("#opts-range_of_motion")
    joints.get_by_label("Passive").check()
    joints.get_by_label("Times a day").fill("2")
    page.get_by_label("Aerobic exercise").check()
    page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("15")
    page.get_by_label("Quad cane").check()
    page.get_by_label("Ankle-foot orthosis (AFO)").check()
    page.locator("#opts-ankle_foot_brace").get_by_label("Right").check()
    page.get_by_label("Notes for the patient").fill("Use the quad cane indoors.")


def test_therapist_fills_the_form_and_gets_the_pdf(page) -> None:  # type: ignore[no-untyped-def]
    fill_like_a_therapist(page)
    got, _ = make_handout(page)
    assert got["status"] == 200
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
    # Ticked as range of motion, then aerobic: printed in that order.
    assert words.index("Moving your joints") < words.index("Moves that get your heart going")


def test_settings_show_only_when_ticked(page) -> None:  # type: ignore[no-untyped-def]
    settings = page.locator("#opts-walker")
    assert settings.is_hidden()
    page.get_by_label("Walker: wheels").check()
    assert settings.is_visible()
    page.get_by_label("Walker: wheels").uncheck()
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
    page.get_by_label("Ankle-foot orthosis (AFO)").check()
    page.get_by_label("Aerobic exercise").check()
    page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("lots")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    summary = " ".join(page.locator("#error-summary").inner_text().split())
    for words in [
        "Patient's full name: is required",
        "Stronger side: cane is chosen, so say which side is stronger",
        "Ankle-foot orthosis (AFO): needs 'side'",
        "Aerobic exercise: Minutes: 'lots' is not a whole number",
    ]:
        assert words in summary, (words, summary)
    assert "is required" in page.locator("#e-name").inner_text()
    assert "needs 'side'" in page.locator("#e-ankle_foot_brace").inner_text()
    assert "'lots' is not a whole number" in page.locator("#e-aerobic-minutes").inner_text()
    assert "cane is chosen" in page.locator("#e-stronger_side").inner_text()
    # Everything typed is still there, the script still works, and no handout was asked for.
    assert page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).input_value() == "lots"
    assert page.locator("#f-cane").is_checked()
    assert page.locator("#opts-walker").is_hidden()
    page.get_by_label("Walker: wheels").check()
    assert page.locator("#opts-walker").is_visible()
    assert not [url for url in sent if url.endswith(("/handout", "/patient-file"))], sent
    page.get_by_role("link", name="Patient's full name: is required").click()
    assert page.evaluate("document.activeElement.id") == "f-name"


def test_server_error_is_shown_by_its_field_with_everything_kept(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Patient ID").fill("004211")
    page.get_by_label("Aerobic exercise").check()
    page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("lots")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert "Patient's full name: is required" in page.locator("#e-name").inner_text()
    assert "'lots' is not a whole number" in page.locator("#e-aerobic-minutes").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("Patient ID").input_value() == "004211"
    assert page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).input_value() == "lots"
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
    page.get_by_text("Load a patient file").click()  # folded away until needed
    page.get_by_label("Patient file (.yaml)").set_input_files(str(saved))
    with page.expect_navigation():
        page.get_by_role("button", name="Load into the form").click()
    assert page.get_by_label("Patient's full name").input_value() == "Maria Lopez"
    assert page.get_by_label("Patient ID").input_value() == "004211"
    assert page.get_by_label("Ankle-foot orthosis (AFO)").is_checked()
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
    tab.get_by_label("Aerobic exercise").check()
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
    with context.expect_page() as opened:  # the answer opens in a new tab; the form's stays as it was
        tab.get_by_role("button", name="Make handout").click()
    answer = opened.value
    answer.wait_for_load_state()
    assert "cane is chosen, so say which side is stronger" in answer.locator("#e-stronger_side").inner_text()
    assert answer.get_by_label("Patient's full name").input_value() == "Ann Lee"
    assert tab.get_by_label("Patient's full name").input_value() == "Ann Lee"
    context.close()


def test_file_chooser_is_a_labelled_large_control(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_text("Load a patient file").click()
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
    page.get_by_label("Paper (not kept in a patient file)").select_option("a4")
    got, _ = make_handout(page)
    box = PdfReader(io.BytesIO(got["body"])).pages[0].mediabox  # type: ignore[arg-type]
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# --- nothing typed is lost or silently changed -----------------------------------------------------------


def test_back_then_resubmit_keeps_everything_typed(page, base_url) -> None:  # type: ignore[no-untyped-def]
    """The handout prints from the form's own page; Back after leaving the form, and a reload, bring
    every field back; and fewer doses than the last handout for the same patient warn first."""
    fill_like_a_therapist(page)
    page.get_by_label("Date of birth").fill("04/02/1961")
    got, _ = make_handout(page)
    assert got["status"] == 200
    typed = {"#f-name": "Maria Lopez", "#f-patient_id": "004211", "#f-birth_date": "04/02/1961"}
    typed |= {"#f-range_of_motion-times_per_day": "2", "#f-aerobic-minutes": "15"}
    for selector, value in typed.items():
        assert page.locator(selector).input_value() == value, selector
    page.goto(base_url + "/static/form.css")  # leave the form (any page), then the browser's Back
    page.go_back()
    page.wait_for_load_state()
    for selector, value in typed.items():
        assert page.locator(selector).input_value() == value, ("after Back", selector)
    assert page.get_by_label("Aerobic exercise").is_checked()
    page.reload()
    for selector, value in typed.items():
        assert page.locator(selector).input_value() == value, ("after a reload", selector)

    # A dose emptied (by slip or by a browser that lost it) can't print for the same patient unseen.
    page.locator("#f-range_of_motion-times_per_day").fill("")
    page.locator("#f-aerobic-minutes").fill("")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/handout") else None)
    page.get_by_role("button", name="Make handout").click()
    warning = page.locator("#dose-warning")
    wait_for_focus(warning)
    assert "had 2 doses filled in; this one has 0" in warning.inner_text()
    assert sent == [], "no handout before the therapist has seen the warning"
    got, _ = make_handout(page)  # pressed again, knowingly: printed as it is
    assert got["status"] == 200


def test_impossible_dates_are_errors_on_their_fields(page) -> None:  # type: ignore[no-untyped-def]
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/handout") else None)
    page.get_by_label("Patient's full name").fill("Ann Lee")
    page.get_by_label("Patient ID").fill("77")
    page.get_by_label("Date of the handout").fill("02/31/2027")
    page.get_by_label("Date of birth").fill("02/30/1958")
    page.get_by_label("Aerobic exercise").check()
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert (
        "'02/31/2027' is not a real date (MM/DD/YYYY): February 2027 has 28 days"
        in page.locator("#e-date").inner_text()
    )
    assert "February 1958 has 28 days" in page.locator("#e-birth_date").inner_text()
    assert page.get_by_label("Date of the handout").input_value() == "02/31/2027"  # kept as typed
    page.get_by_label("Date of the handout").fill("31/02/2026")  # typed day-first at a month-first desk
    page.get_by_label("Date of birth").fill("1958-02-28")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert "'31/02/2026' is not a real date (MM/DD/YYYY): there is no month 31" in page.locator("#e-date").inner_text()
    assert page.locator("#e-birth_date").count() == 0
    assert sent == []


# --- no other page, name or computer prints through it ---------------------------------------------------


ATTACK = """<!doctype html><html><body>
<form id="f" method="post" action="{target}/handout">
<input name="name" value="Injected Patient"><input name="patient_id" value="1">
<input name="exercise" value="aerobic"><input name="aerobic.times_per_day" value="10">
</form><script>document.getElementById("f").submit();</script></body></html>"""


def test_a_page_on_another_origin_cannot_print(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    """Another loopback port is another origin (the same site): its auto-submitting page is refused."""
    import http.server

    class Attacker(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            body = ATTACK.format(target=base_url).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "/")  # the therapist has the form open: its session cookie is in the browser
    try:
        with page.expect_response(f"{base_url}/handout") as answer:
            page.goto(f"http://127.0.0.1:{evil.server_port}/")
        assert answer.value.status == 403
        page.wait_for_load_state()
        assert "Refused" in page.content() and "Injected" not in page.content()
    finally:
        context.close()
        evil.shutdown()


def test_a_foreign_host_name_is_refused(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    """DNS rebinding: a name the attacker controls made to point at this computer. The browser sends
    that name as Host; the server answers 403, so no page of the attacker's can read the form or a PDF."""
    from playwright.sync_api import sync_playwright  # noqa: F401 - the browser fixture has it running

    port = base_url.rsplit(":", 1)[1]
    rebound = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*ARGS, "--host-resolver-rules=MAP attacker.test 127.0.0.1"],
    )
    try:
        tab = rebound.new_page()
        answer = tab.goto(f"http://attacker.test:{port}/")
        assert answer is not None and answer.status == 403
        assert "Discharge handout" not in tab.title()
        assert tab.goto(f"{base_url}/").status == 200  # type: ignore[union-attr]
    finally:
        rebound.close()


def test_beyond_loopback_the_clinic_password_is_asked(browser, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """127.0.0.2 stands for a clinic network address: without a password the server won't start; with
    one, the form asks for it, refuses a wrong one, and works after the right one."""
    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    with pytest.raises(HandoutError, match="needs a clinic password"), running("127.0.0.2"):
        pass
    monkeypatch.setenv("HANDOUTS_PASSWORD", "riverside-desk-7")
    with running("127.0.0.2", DeskSettings(certificate_folder=tmp_path)) as url:
        context = browser.new_context(ignore_https_errors=True)  # the certificate it made (tests/web/test_security.py)
        context.add_init_script(PRINT_STUB)
        tab = context.new_page()
        tab.goto(url + "/")
        assert tab.url.endswith("/login")
        tab.get_by_label("Password").fill("riverside-desk-8")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log in").click()
        assert "not the clinic password" in tab.locator("#e-password").inner_text()
        assert tab.goto(url + "/").url.endswith("/login")  # type: ignore[union-attr]
        tab.get_by_label("Password").fill("riverside-desk-7")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log in").click()
        assert tab.url == url + "/"
        cookie = next(c for c in context.cookies() if c["name"] == "handouts_session")
        assert cookie["sameSite"] == "Strict" and cookie["httpOnly"]
        fill_like_a_therapist(tab)
        got, _ = make_handout(tab)
        assert got["status"] == 200 and got["body"][:4] == b"%PDF"  # type: ignore[index]
        context.close()


def test_slow_connections_do_not_hold_the_desk(page, base_url) -> None:  # type: ignore[no-untyped-def]
    """300 half-sent requests stay open; the therapist's next request is still answered within 2 s."""
    import socket
    import time

    host, port = base_url.removeprefix("http://").split(":")
    slow: list[socket.socket] = []
    try:
        for _ in range(300):
            conn = socket.create_connection((host, int(port)), timeout=5)
            conn.sendall(
                b"POST /handout HTTP/1.1\r\nHost: "
                + f"{host}:{port}".encode()
                + b"\r\nContent-Length: 5000\r\n\r\nname="
            )
            slow.append(conn)
        started = time.monotonic()
        answer = page.goto(base_url + "/")
        took = time.monotonic() - started
        assert answer is not None and answer.status == 200
        assert took < 2, f"the form took {took:.1f} s with 300 slow connections open"
        page.get_by_label("Patient's full name").fill("Ann Lee")
    finally:
        for conn in slow:
            conn.close()


# --- accessibility and size ---------------------------------------------------------------------------------


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


def test_no_accessibility_violations_empty_filled_and_refused(page) -> None:  # type: ignore[no-untyped-def]
    assert axe_violations(page) == [], "empty form"
    fill_like_a_therapist(page)
    assert axe_violations(page) == [], "filled form"
    page.get_by_label("Patient's full name").fill("")
    page.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("600")
    page.get_by_label("Date of the handout").fill("02/31/2027")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert axe_violations(page) == [], "form with errors"


def test_a_typical_patient_fits_in_about_two_screens(browser, base_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(base_url + "/")
    fill_like_a_therapist(tab)
    height = tab.evaluate("document.documentElement.scrollHeight")
    # The library is open, with its filter and a row of joint groups (issue 23: it was folded away).
    assert height <= 2200, f"{height} px tall for one patient at 1280 px (2.75 screens: 2200)"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
