"""The form refuses counts that are not digits only, by their fields (issue 21, item 2)."""

from __future__ import annotations

from test_web import MARIA, Page, form_client

from handouts.web.app import create_app

WHOLE = "is not a whole number: write a count in digits only, like 12"


def test_the_form_refuses_the_same_counts_by_their_fields() -> None:
    client = form_client(create_app())
    data = {**MARIA, "aerobic.minutes": "1_0", "range_of_motion.times_per_day": "1.000", "log_weeks": "1_2"}
    answer = client.post("/handout", data=data)
    assert answer.status_code == 422
    page = Page(answer.get_data(as_text=True))
    assert f"'1_0' {WHOLE}" in page.error("aerobic.minutes")
    assert f"'1.000' {WHOLE}" in page.error("range_of_motion.times_per_day")
    assert f"'1_2' {WHOLE}" in page.error("log_weeks")
