"""Clinic defaults for the discharge form: set once, so the form comes up with them filled in.

A small YAML file (`handouts-settings.yaml` in the folder the app is started from, or `--settings FILE`)
with clinic, therapist, phone, layout and paper, and how the server is reached: the clinic password,
the names a reverse proxy serves it under, whether that proxy speaks HTTPS, and how dates are typed.
It holds nothing about a patient. It is checked like
every other input: a wrong key or an unknown layout is an error naming the file, the line and what is
right, and every problem in the file is reported at once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from handouts.errors import HandoutError, Problem
from handouts.inputs.layout import LAYOUTS_DIR, Paper, layout_problems
from handouts.inputs.patient import Short
from handouts.inputs.validation import Strict, collect
from handouts.inputs.yamlsource import load_yaml

DEFAULT_SETTINGS = "handouts-settings.yaml"
PASSWORD_ENV = "HANDOUTS_PASSWORD"
"""The clinic password may come from the environment instead of the settings file (never the command line,
where other users of the computer could read it)."""


class DeskSettings(Strict):
    """The discharge desk's settings: the clinic defaults the form comes up with, and how the server is
    reached. Nothing about a patient."""

    clinic: Short | None = None
    therapist: Short | None = None
    phone: Short | None = None
    layout: Short | None = None
    paper: Paper | None = None
    """Print every layout on this paper (as --paper does); none: each layout's own."""
    date_order: Literal["month-first", "day-first"] = "month-first"
    """How the clinic types dates besides YYYY-MM-DD: 11/23/2026 (month-first) or 23/11/2026 (day-first)."""
    password: SecretStr | None = Field(None, min_length=8)
    """The clinic password the form asks for; required when the server is reachable from other computers."""
    hostnames: list[Short] = []
    """Names the form is reached by besides the address it listens on, e.g. the reverse proxy's name."""
    https: bool = False
    """True when a reverse proxy serves the form over HTTPS: the login cookie is then marked Secure."""

    def clinic_password(self) -> str | None:
        """The environment's password wins over the file's, so a file can be shared without one."""
        return os.environ.get(PASSWORD_ENV) or (self.password.get_secret_value() if self.password else None)


def load_settings(path: Path | None, folder: Path = LAYOUTS_DIR) -> DeskSettings:
    """The given file, else `handouts-settings.yaml` here if there is one, else no defaults."""
    if path is None:
        path = Path(DEFAULT_SETTINGS)
        if not path.is_file():
            return DeskSettings()
    located = load_yaml(path, "settings")
    if located.data is None:
        return DeskSettings()
    problems: list[Problem] = []
    settings = collect(DeskSettings, located, "settings file", problems)
    # The layout is checked even when other keys are wrong, so one start reports every problem.
    layout = located.data.get("layout") if isinstance(located.data, dict) else None
    problems += layout_problems(layout, located.file, located.line_of(("layout",)), "layout", folder)
    if problems:
        raise HandoutError(problems)
    assert settings is not None
    return settings
