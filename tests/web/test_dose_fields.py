"""The form's dose boxes fit the move (issue 22), through Flask's test client: only the fields an
exercise takes, its usual dose as the placeholder, and a field it does not take refused by that field;
and a kind of exercise says what the handout prints when it is ticked without any of its moves."""

from __future__ import annotations

from test_web import Page, form_client, post, upload

from handouts.web.app import create_app

TAKES = "it takes repetitions, times_per_day, days_per_week, note"
PATIENT = {"name": "Rosa Diaz", "patient_id": "7", "date": "2026-11-23"}


def _client():  # type: ignore[no-untyped-def]
    return form_client(create_app())


def _boxes(page: Page, item: str) -> dict[str, str]:
    """An item's dose boxes as shown: name -> placeholder."""
    return {
        c["name"].split(".", 1)[1]: c.get("placeholder", "")
        for c in page.controls
        if c.get("name", "").startswith(item + ".") and c.get("type") == "text"
    }


def test_each_exercise_shows_only_its_fields_with_its_usual_dose() -> None:
    page = Page(_client().get("/").get_data(as_text=True))
    assert _boxes(page, "neck_nod") == {"repetitions": "usual: 5", "times_per_day": "", "days_per_week": "", "note": ""}
    assert _boxes(page, "walking") == {"minutes": "usual: 10", "times_per_day": "", "days_per_week": "", "note": ""}
    assert _boxes(page, "calf_stretch") == {
        "hold_seconds": "usual: 30",
        "repetitions": "usual: 3",
        **{"times_per_day": "", "days_per_week": "", "note": ""},
    }
    assert set(_boxes(page, "stretching")) == {"hold_seconds", "repetitions", "times_per_day", "days_per_week", "note"}


def test_a_field_the_move_does_not_take_is_an_error_by_that_field() -> None:
    """What the issue saw: neck nod ticked and 5 typed as minutes printed "How long: 5 minutes"."""
    client = _client()
    data = {**PATIENT, "exercise": ["neck_nod", "walking"], "neck_nod.minutes": "5", "walking.hold_seconds": "30"}
    for route in ("/handout", "/check", "/patient-file"):
        response = post(client, route, data)
        assert response.status_code == 422, route
        page = Page(response.get_data(as_text=True))
        assert f"does not take minutes; {TAKES}" in page.error("neck_nod.minutes")
        assert "does not take hold_seconds; it takes minutes, times_per_day" in page.error("walking.hold_seconds")
        assert page.value("neck_nod.minutes") == "5"  # shown with its error, so it can be emptied


def test_a_loaded_file_with_a_field_the_move_does_not_take_shows_it_by_its_box() -> None:
    client = _client()
    text = "name: Rosa Diaz\npatient_id: '7'\nexercises:\n  - neck_nod: {minutes: 5, repetitions: 3}\n"
    page = Page(upload(client, text.encode(), "rosa.yaml").get_data(as_text=True))
    assert f"does not take minutes; {TAKES}" in page.error("neck_nod.minutes")
    assert page.value("neck_nod.minutes") == "5" and page.value("neck_nod.repetitions") == "3"
    # Emptied, the form prints.
    fixed = {**page.submission(), "neck_nod.minutes": ""}
    response = post(client, "/handout", fixed)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_form_says_what_a_kind_without_moves_prints() -> None:
    page = Page(_client().get("/").get_data(as_text=True))
    said = " ".join(page.text_by_id["w-stretching"].split())
    assert said == "None of its moves ticked below: the handout has 4 lines to write them in."
    assert "w-calf_stretch" not in page.text_by_id and "w-aerobic" not in page.text_by_id
