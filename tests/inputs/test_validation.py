"""The table of plain messages for pydantic's errors: every row is reachable and says its value.

The bad-input corpus (tests/bad_inputs, tests/bad_layouts) checks the words users see; these check
the table itself, so a misspelled error type cannot quietly fall back to pydantic's own English.
"""

from __future__ import annotations

import string
from typing import get_args

import pytest
from pydantic import Field, ValidationError
from pydantic_core.core_schema import ErrorType

from handouts.inputs.validation import MESSAGES, Strict, explain

OUR_OWN = {"date_not_real"}
"""A date written as YYYY-MM-DD that is not in the calendar: told apart from a date in the wrong form."""


def test_every_row_is_an_error_type_pydantic_raises() -> None:
    assert set(MESSAGES) - OUR_OWN <= set(get_args(ErrorType))


@pytest.mark.parametrize("kind", sorted(MESSAGES))
def test_every_template_names_only_words_it_is_given(kind: str) -> None:
    given = {"shown", "kind_of", "key", "hint", "listing", "calendar", "error"}
    given |= {"gt", "ge", "lt", "le", "expected", "max_length"}  # pydantic's context for these types
    names = {name for _, name, _, _ in string.Formatter().parse(MESSAGES[kind]) if name}
    assert names <= given, names - given


class Dose(Strict):
    minutes: int = Field(1, ge=1, le=600)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("fifteen", "'fifteen' is not a whole number"),
        ("0", "'0' is too small; use 1 or more"),
        ("900", "'900' is too large; use at most 600"),
        ("1.5", "'1.5' is not a whole number"),
    ],
)
def test_a_message_says_the_value_as_typed_and_what_is_allowed(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Dose.model_validate({"minutes": value})
    assert explain(caught.value.errors()[0], Dose) == message


def test_an_unknown_key_gets_the_nearest_field() -> None:
    with pytest.raises(ValidationError) as caught:
        Dose.model_validate({"minuts": 5})
    assert explain(caught.value.errors()[0], Dose) == "'minuts' is not a known field; did you mean 'minutes'?"
