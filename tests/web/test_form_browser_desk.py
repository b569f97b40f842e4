"""Issue 23 at the discharge desk, in a real browser (Debian's chromium) against the real server: one
patient at a time, nothing typed lost (a server restart, a reload, Back), every error where it belongs,
a move found in two seconds, and printing that leaves no tab behind."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from pdfcheck import page_texts
from playwright.sync_api import expect
from test_web_browser import (  # noqa: F401
    ARGS,
    CHROMIUM,
    PRINT_STUB,
    axe_violations,
    base_url,
    browser,
    capture_pdf,
    fill_like_a_therapist,
    make_handout,
    page,
    wait_for_focus,
)

from handouts.inputs.settings import DeskSettings
from handouts.web.server import make_server


def posts(tab) -> list[str]:  # type: ignore[no-untyped-def]
    """The paths of every POST the page sends from now on."""
    sent: list[str] = []
    tab.on("request", lambda r: sent.append(r.url.rsplit("/", 1)[1]) if r.method == "POST" else None)
    return sent


def words_of(got) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(page_texts(got["body"])).split())


# --- 1. one patient at a time -------------------------------------------------------------------------------


def test_next_patient_typed_over_the_last_is_asked_about(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Maria's handout made, José's details typed over hers: the form asks whether Maria's plan is his
    before printing anything; clearing it leaves José's details and none of Maria's plan."""
    fill_like_a_therapist(page)
    make_handout(page)
    expect(page.locator("#plan-summary")).to_have_text("Plan for Maria Lopez: 2 exercises, 2 pieces of equipment")
    sent = posts(page)
    page.get_by_label("Patient's full name").fill("José García")
    page.get_by_label("Patient's full name").press("Tab")  # on to the ID box: asked at once
    question = page.locator("#ask")
    expect(question).to_be_visible()
    expect(question).to_contain_text("Is this plan for José García?")
    expect(question).to_contain_text("This form made the handout for Maria Lopez")
    page.get_by_role("button", name="Clear the plan").click()
    expect(question).to_be_hidden()
    page.get_by_label("Patient ID").fill("005532")  # the same new patient: not asked again
    page.get_by_label("Date of birth").fill("07/14/1958")
    page.get_by_label("The handout will be in").select_option("es")
    expect(question).to_be_hidden()
    assert sent == [], "nothing is printed before the therapist answers"
    assert page.locator("input[data-item]:checked").count() == 0
    assert page.get_by_label("Notes for the patient").input_value() == ""
    assert page.locator("#stronger-side").get_by_label("Not given").is_checked()
    assert page.get_by_label("Patient's full name").input_value() == "José García"
    assert page.get_by_label("Therapist").input_value() == "Alex Kim, PT"
    page.get_by_label("Aerobic exercise").check()
    expect(page.locator("#plan-summary")).to_have_text("Plan for José García: 1 exercise, 0 pieces of equipment")
    got, _ = make_handout(page)  # asked once for José: not again
    words = words_of(got)
    assert "José García" in words and "Mover sus articulaciones" not in words
    assert "Use the quad cane indoors." not in words  # nor her notes


def test_keeping_the_plan_for_the_next_patient_prints_it_for_them(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    make_handout(page)
    page.get_by_label("Patient's full name").fill("José García")
    page.get_by_role("button", name="Make handout").click()  # asked before anything is printed
    expect(page.locator("#ask")).to_contain_text("Is this plan for José García?")
    page.get_by_role("button", name="Keep this plan for José García").click()
    page.get_by_label("Patient ID").fill("005532")
    got, _ = make_handout(page)
    words = words_of(got)
    assert "José García" in words and "Moving your joints" in words and "Use the quad cane indoors." in words


def test_new_patient_asks_then_clears_all_but_the_desk(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    page.get_by_role("link", name="New patient").click()
    expect(page.locator("#ask")).to_contain_text("Clear the form for a new patient?")
    page.get_by_role("button", name="Keep this patient").click()
    assert page.get_by_label("Patient's full name").input_value() == "Maria Lopez"
    page.get_by_role("link", name="New patient").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Clear for a new patient").click()
    assert page.get_by_label("Patient's full name").input_value() == ""
    assert page.get_by_label("Patient ID").input_value() == ""
    assert page.locator("input[data-item]:checked").count() == 0
    assert page.get_by_label("Notes for the patient").input_value() == ""
    assert page.get_by_label("Therapist").input_value() == "Alex Kim, PT"  # the desk's own, kept
    page.reload()  # and what was cleared does not come back
    assert page.get_by_label("Patient's full name").input_value() == ""


# --- 2/3. nothing typed is lost ---------------------------------------------------------------------------------


@contextmanager
def restartable(settings: DeskSettings | None = None):  # type: ignore[no-untyped-def]
    """The real server on a fixed loopback port, which the test can stop and start again."""
    state: dict[str, object] = {}

    def start(port: int = 0) -> int:
        server = make_server("127.0.0.1", port, settings or DeskSettings())
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        state.update(server=server, thread=thread)
        return int(server.effective_port)

    def stop() -> None:
        """As a process that ends: the listening socket and every open connection go."""
        server = state["server"]
        server.close()  # type: ignore[attr-defined]
        for channel in list(server._map.values()):  # type: ignore[attr-defined]
            channel.close()
        state["thread"].join(5)  # type: ignore[attr-defined]
        server.task_dispatcher.shutdown()  # type: ignore[attr-defined]

    port = start()
    try:
        yield port, start, stop
    finally:
        stop()


def test_server_restart_mid_plan_loses_nothing(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The server restarts (a new key, so the page's token is stale) while a plan is typed: Make handout
    and Save patient file still work, with every field as typed."""
    with restartable() as (port, start, stop):
        context = browser.new_context(accept_downloads=True)
        context.add_init_script(PRINT_STUB)
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{port}/")
        fill_like_a_therapist(tab)
        stop()
        start(port)
        got, _ = make_handout(tab)
        assert got["status"] == 200
        assert "Maria Lopez" in words_of(got) and "15 minutes each time." in words_of(got)
        assert tab.locator("#opts-aerobic").get_by_label("Minutes", exact=True).input_value() == "15"
        stop()
        start(port)
        with tab.expect_download() as download:
            tab.get_by_role("button", name="Save patient file").click()
        saved = tmp_path / "maria.yaml"
        download.value.save_as(saved)
        assert 'name: "Maria Lopez"' in saved.read_text()
        assert tab.url == f"http://127.0.0.1:{port}/", "the form stays; no refusal replaces it"
        assert tab.get_by_label("Notes for the patient").input_value() == "Use the quad cane indoors."
        context.close()


def test_server_restart_with_a_password_logs_in_again_and_keeps_the_form(browser, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A restart forgets every login: Make handout then opens the login page, and after logging in the
    form comes back with every field, in the same tab."""
    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    password = "riverside-desk-7-long"
    with restartable(DeskSettings(password=password)) as (port, start, stop):
        context = browser.new_context()
        context.add_init_script(PRINT_STUB)
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{port}/")
        tab.get_by_label("Password").fill(password)
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log in").click()
        fill_like_a_therapist(tab)
        stop()
        start(port)
        with tab.expect_navigation(url="**/login"):
            tab.get_by_role("button", name="Make handout").click()
        tab.get_by_label("Password").fill(password)
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log in").click()
        assert tab.get_by_label("Patient's full name").input_value() == "Maria Lopez"
        assert tab.locator("#opts-aerobic").get_by_label("Minutes", exact=True).input_value() == "15"
        got, _ = make_handout(tab)
        assert got["status"] == 200 and "Maria Lopez" in words_of(got)
        context.close()


def tick_four_in_order(tab) -> None:  # type: ignore[no-untyped-def]
    """Range of motion, aerobic, a calf stretch, then walking: the handout prints them in that order."""
    tab.get_by_label("Range of motion (ROM)").check()
    tab.get_by_label("Aerobic exercise").check()
    tab.locator("#opts-aerobic").get_by_label("Minutes", exact=True).fill("15")
    tab.locator("#joint-ankle > summary").click()
    tab.locator("#f-calf_stretch").check()
    tab.locator("#joint-activity > summary").click()
    tab.locator("#f-walking").check()
    tab.locator("#opts-walking").get_by_label("Minutes", exact=True).fill("20")


def test_back_with_the_page_cache_off_restores_the_whole_form(browser, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The browser reloads the form instead of restoring it (no back/forward cache; or a fresh load of
    the page in the same tab): fields, ticked items' settings, open groups and the order all come back."""
    nocache = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True, args=[*ARGS, "--disable-back-forward-cache"]
    )
    try:
        context = nocache.new_context()
        context.add_init_script(PRINT_STUB)
        tab = context.new_page()
        tab.goto(base_url + "/")
        fill_like_a_therapist(tab)
        tab.locator("#f-range_of_motion").uncheck()
        tab.locator("#f-aerobic").uncheck()
        tick_four_in_order(tab)
        order = tab.locator('input[name="order"]').input_value()
        assert order.split()[-4:] == ["range_of_motion", "aerobic", "calf_stretch", "walking"], order
        tab.goto(base_url + "/static/form.css")
        tab.go_back()
        tab.goto(base_url + "/")  # and a load of its own, as after a discarded tab
        assert tab.locator('input[name="order"]').input_value() == order
        assert tab.get_by_label("Patient's full name").input_value() == "Maria Lopez"
        assert tab.locator("#opts-walking").get_by_label("Minutes", exact=True).input_value() == "20"
        for shown in ("#opts-aerobic", "#opts-walking", "#opts-calf_stretch", "#opts-ankle_foot_brace"):
            expect(tab.locator(shown)).to_be_visible()
        expect(tab.locator("#joint-ankle")).to_have_attribute("open", "")
        got, _ = make_handout(tab)
        expect(tab.locator("#dose-warning")).to_be_hidden()
        words = words_of(got)
        titles = ["Moving your joints", "Moves that get your heart going", "Calf: stretch", "Walking"]
        places = [words.index(t) for t in titles]
        assert places == sorted(places), places
        context.close()
    finally:
        nocache.close()


# --- 4/5. every error where it belongs -----------------------------------------------------------------------


def test_characters_no_font_prints_are_field_errors(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sent = posts(page)
    fill_like_a_therapist(page)
    page.get_by_label("Notes for the patient").fill("Walk daily ✓")
    page.locator("#opts-aerobic").get_by_label("Note on this exercise").fill("Smile 😀")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert "'✓' (U+2713 CHECK MARK)" in page.locator("#e-notes").inner_text()
    assert "'😀' (U+1F600 GRINNING FACE)" in page.locator("#e-aerobic-note").inner_text()
    assert "handout" not in sent, "nothing was printed, so no 500 page either"
    assert page.get_by_label("Notes for the patient").input_value() == "Walk daily ✓"
    page.get_by_label("Notes for the patient").fill("Walk daily.")
    page.locator("#opts-aerobic").get_by_label("Note on this exercise").fill("Smile.")
    make_handout(page)
    expect(page.locator("#error-summary")).to_have_count(0)  # fixed errors leave the screen
    assert page.locator(".error:visible").count() == 0


def test_chinese_name_is_refused_on_its_field(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    page.get_by_label("Patient's full name").fill("王秀英")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert "no font the handout ships can print '王'" in page.locator("#e-name").inner_text()


def test_enter_in_the_id_box_never_makes_a_handout(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sent = posts(page)
    page.get_by_label("Patient's full name").fill("Ann Lee")
    page.get_by_label("Patient ID").fill("77")
    page.get_by_label("Patient ID").press("Enter")
    page.get_by_label("Notes for the patient").press("Enter")  # a new line in the notes, as ever
    page.wait_for_timeout(500)
    assert sent == []
    expect(page.locator("#ask")).to_be_hidden()
    assert page.get_by_label("Notes for the patient").input_value() == "\n"


def test_an_empty_plan_asks_before_printing(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sent = posts(page)
    page.get_by_label("Patient's full name").fill("Ann Lee")
    page.get_by_label("Patient ID").fill("77")
    page.get_by_role("button", name="Make handout").click()
    expect(page.locator("#ask")).to_contain_text("Print a handout with no exercise or equipment?")
    page.get_by_role("button", name="Go back to the form").click()
    page.wait_for_timeout(300)
    assert sent == []
    page.get_by_role("button", name="Make handout").click()
    page.get_by_role("button", name="Print it anyway").click()
    expect(page.locator("#print-status")).to_contain_text("is ready")
    assert "handout" in sent


def test_only_the_group_with_an_error_opens_and_fixed_errors_clear(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    page.locator("#joint-ankle > summary").click()
    page.locator("#f-calf_stretch").check()
    page.locator("#opts-calf_stretch").get_by_label("Hold (sec)", exact=True).fill("lots")
    page.get_by_label("Patient ID").fill("")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert page.locator("details.joint[open]").count() == 1  # the ankle's, not all of them
    expect(page.locator("#joint-ankle")).to_have_attribute("open", "")
    page.locator("#opts-calf_stretch").get_by_label("Hold (sec)", exact=True).fill("20")
    page.get_by_label("Patient ID").fill("004211")
    make_handout(page)
    expect(page.locator("#error-summary")).to_have_count(0)
    assert page.locator(".has-error, [aria-invalid]").count() == 0


def test_draft_notice_follows_the_language_after_an_error(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    draft = page.locator('.language-draft[data-language="es"]')
    choice = page.get_by_label("The handout will be in")
    page.get_by_label("Aerobic exercise").check()
    choice.select_option("es")
    expect(draft).to_be_visible()
    page.get_by_role("button", name="Make handout").click()  # no name: refused
    wait_for_focus(page.locator("#error-summary"))
    expect(draft).to_be_visible()
    choice.select_option("en")
    expect(draft).to_be_hidden()
    choice.select_option("es")
    expect(draft).to_be_visible()


def test_a_too_large_post_says_what_was_too_big(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    page.get_by_label("Notes for the patient").evaluate("(box) => { box.value = 'x'.repeat(2100000); }")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    said = page.locator("#error-summary").inner_text()
    assert "The form: what was sent is too big" in said and "Patient file" not in said
    assert page.get_by_label("Patient's full name").input_value() == "Maria Lopez"  # the form is kept


# --- 6. a move in two seconds ---------------------------------------------------------------------------------


def visible_moves(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return [box.get_attribute("value") for box in tab.locator("#library input[data-item]").all() if box.is_visible()]


def test_the_filter_finds_a_move_by_its_words(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    find = page.get_by_label("Find a move")
    find.fill("calf")
    assert visible_moves(page) == ["calf_stretch"]
    expect(page.locator("#library-count")).to_have_text("1 move match.")
    find.fill("walking")
    assert visible_moves(page) == ["walking", "water_exercise"]
    find.fill("ROM hip")
    assert visible_moves(page) == ["hip_knee_to_chest", "hip_out", "hip_turn"]
    find.fill("")
    assert visible_moves(page) == [] and page.locator("details.joint[open]").count() == 0
    page.get_by_label("Find a move").fill("calf")
    page.locator("#f-calf_stretch").check()
    expect(page.locator("#opts-calf_stretch")).to_be_visible()


def test_moves_are_grouped_by_joint_across_kinds(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    joints = [" ".join(s.split()[:-1]) for s in page.locator("details.joint > summary").all_inner_texts()]
    assert len(joints) == len(set(joints)), joints  # no Hip, Ankle, Neck... twice
    assert joints[-1] == "Activities"
    hip = page.locator("#joint-hip")
    assert {"hip_knee_to_chest", "hamstring_stretch"} <= {
        b.get_attribute("value") for b in hip.locator("input[data-item]").all()
    }
    # The whole kinds are apart from the moves, under their own heading.
    assert page.locator(".kinds #f-range_of_motion").count() == 1
    assert page.locator("#library #f-range_of_motion").count() == 0


# --- 11. nothing left on the desk -------------------------------------------------------------------------------


def test_printing_opens_no_tab_and_adds_no_history_entry(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_like_a_therapist(page)
    before = page.evaluate("history.length")
    make_handout(page)  # no new tab, the form's page stays (checked inside)
    titles = [p.title() for p in page.context.pages]
    assert titles == ["Discharge handout"], titles
    assert page.evaluate("history.length") <= before + 1


# --- accessibility of every page the server sends ----------------------------------------------------------------


def test_no_accessibility_violations_on_any_page_the_server_sends(page, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.get_by_label("Find a move").fill("calf")
    assert axe_violations(page) == [], "form, library filtered"
    page.get_by_label("Find a move").fill("")
    fill_like_a_therapist(page)
    page.get_by_label("Patient's full name").fill("José García")
    make_handout(page)
    page.get_by_role("link", name="New patient").click()
    assert axe_violations(page) == [], "the question asked in a dialog"
    page.get_by_role("button", name="Keep this patient").click()
    page.get_by_label("Notes for the patient").evaluate("(box) => { box.value = 'x'.repeat(2100000); }")
    page.get_by_role("button", name="Make handout").click()
    wait_for_focus(page.locator("#error-summary"))
    assert axe_violations(page) == [], "too large"
    for path, status in (("/no-such-page", 404), ("/handout", 405)):
        answer = page.goto(base_url + path)
        assert answer is not None and answer.status == status
        assert axe_violations(page) == [], path
    page.goto(base_url + "/")
    with page.expect_navigation():
        page.evaluate(
            "() => { const f = document.getElementById('main-form'); f.elements.csrf_token.value = 'stale';"
            " f.removeAttribute('target'); HTMLFormElement.prototype.submit.call(f); }"
        )
    assert "Refused" in page.title()
    assert axe_violations(page) == [], "refused"


def test_no_accessibility_violations_on_the_login_page(browser, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from test_web_browser import running

    monkeypatch.delenv("HANDOUTS_PASSWORD", raising=False)
    with running("127.0.0.1", DeskSettings(password="riverside-desk-7-long")) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url + "/")
        assert tab.url.endswith("/login")
        assert axe_violations(tab) == [], "login"
        tab.get_by_label("Password").fill("wrong-password-here")
        with tab.expect_navigation():
            tab.get_by_role("button", name="Log in").click()
        assert axe_violations(tab) == [], "login refused"
        context.close()


def test_the_browsers_history_keeps_no_patient_name(browser, base_url, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A browser profile on disk, as at the desk: after a handout is printed and the browser closed, its
    history database holds the form's address and title only, never the patient's name or file name."""
    import sqlite3

    profile = tmp_path / "profile"
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS, accept_downloads=True
    )
    context.add_init_script(PRINT_STUB)
    tab = context.pages[0] if context.pages else context.new_page()
    tab.goto(base_url + "/")
    fill_like_a_therapist(tab)
    tab.get_by_role("button", name="Make handout").click()
    tab.wait_for_timeout(3000)  # the handout arrives (in a frame, or in old versions a new tab)
    assert len(context.pages) == 1, [p.url for p in context.pages]
    tab.goto(base_url + "/static/form.css")  # a main-frame visit after, so the history is surely written
    context.close()
    with sqlite3.connect(profile / "Default" / "History") as db:
        rows = db.execute("SELECT url, title FROM urls").fetchall()
    assert any(url.startswith(base_url) for url, _ in rows), rows  # the history was written
    kept = " ".join(f"{url} {title}" for url, title in rows).lower()
    for said in ("lopez", "maria", "004211", ".pdf", "/handout"):
        assert said not in kept, (said, rows)
    # Nor the browser's store of what was typed into forms (its suggestions for the next form).
    with sqlite3.connect(profile / "Default" / "Web Data") as db:
        typed = db.execute("SELECT name, value FROM autofill").fetchall()
    assert not [v for _, v in typed if "lopez" in str(v).lower() or "004211" in str(v)], typed


def test_enter_sends_nothing_without_javascript_either(browser, base_url) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The form's first submit button is a disabled one: Enter's implicit submission does nothing."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "/")
    sent = posts(tab)
    tab.get_by_label("Patient's full name").fill("Ann Lee")
    tab.get_by_label("Patient ID").fill("77")
    tab.get_by_label("Patient ID").press("Enter")
    tab.wait_for_timeout(500)
    assert sent == [] and len(context.pages) == 1
    context.close()
