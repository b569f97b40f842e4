"""Clinic defaults for the discharge form: set once, so the form comes up with them filled in.

A small YAML file (`handouts-settings.yaml` in the folder the app is started from, or `--settings FILE`)
with clinic, therapist, phone, layout and paper. It holds nothing about a patient. It is checked like
every other input: a wrong key or an unknown layout is an error naming the file, the line and what is
right, and every problem in the file is reported at once.
"""

from __future__ import annotations

from pathlib import Path

from handouts.errors import HandoutError, Problem
from handouts.inputs.layout import LAYOUTS_DIR, Paper, layout_problems
from handouts.inputs.patient import Short
from handouts.inputs.validation import Strict, collect
from handouts.inputs.yamlsource import load_yaml

DEFAULT_SETTINGS = "handouts-settings.yaml"


class FormDefaults(Strict):
    """The clinic defaults the form comes up with; nothing about a patient."""

    clinic: Short | None = None
    therapist: Short | None = None
    phone: Short | None = None
    layout: Short | None = None
    paper: Paper | None = None
    """Print every layout on this paper (as --paper does); none: each layout's own."""


def load_settings(path: Path | None, folder: Path = LAYOUTS_DIR) -> FormDefaults:
    """The given file, else `handouts-settings.yaml` here if there is one, else no defaults."""
    if path is None:
        path = Path(DEFAULT_SETTINGS)
        if not path.is_file():
            return FormDefaults()
    located = load_yaml(path, "settings")
    if located.data is None:
        return FormDefaults()
    problems: list[Problem] = []
    settings = collect(FormDefaults, located, "settings file", problems)
    # The layout is checked even when other keys are wrong, so one start reports every problem.
    layout = located.data.get("layout") if isinstance(located.data, dict) else None
    problems += layout_problems(layout, located.file, located.line_of(("layout",)), "layout", folder)
    if problems:
        raise HandoutError(problems)
    assert settings is not None
    return settings
