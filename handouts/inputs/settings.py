"""Clinic defaults for the discharge form: set once, so the form comes up with them filled in.

A small YAML file (`handouts-settings.yaml` in the folder the app is started from, or `--settings FILE`)
with clinic, therapist, phone, layout and paper, and how the server is reached: the clinic password,
the names a reverse proxy serves it under, whether that proxy speaks HTTPS, and how dates are typed.
It also says how the form is served beyond this computer: the HTTPS certificate and key the clinic gives
(or the folder where the form keeps the one it makes), and how long a login lasts without use.
It holds nothing about a patient. It is checked like every other input: a wrong key or an unknown layout
is an error naming the file, the line and what is right, and every problem in the file is reported at once.
Paths in it are read from the settings file's own folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from handouts.errors import HandoutError, Problem
from handouts.inputs.layout import LAYOUTS_DIR, Paper, layout_problems
from handouts.inputs.patient import Short
from handouts.inputs.validation import Strict, collect
from handouts.inputs.yamlsource import load_yaml

DEFAULT_SETTINGS = "handouts-settings.yaml"
PASSWORD_ENV = "HANDOUTS_PASSWORD"
"""The clinic password may come from the environment instead of the settings file (never the command line,
where other users of the computer could read it)."""
PASSWORD_MIN = 12
"""Characters besides spaces at either end. The form answers a network; a wrong guess is slowed per
computer, so length is what keeps a guesser out: 12 characters (three or four words) is easy to type."""


def password_problem(password: str) -> str | None:
    """The one rule for the clinic password, wherever it comes from; None when it is long enough."""
    length = len(password.strip())
    if length >= PASSWORD_MIN:
        return None
    return (
        f"the clinic password must be at least {PASSWORD_MIN} characters (not counting spaces at either end); "
        f"this one has {length}. Three or four words are easy to type and hard to guess"
    )


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
    password: SecretStr | None = None
    """The clinic password the form asks for (at least 12 characters); required when the server is
    reachable from other computers or named in `hostnames`."""
    hostnames: list[Short] = []
    """Names the form is reached by besides the address it listens on, e.g. the reverse proxy's name."""
    https: bool = False
    """True when a reverse proxy serves the form over HTTPS: the login cookie is then marked Secure."""
    certificate: Path | None = None
    """The clinic's HTTPS certificate (PEM), used when the form listens beyond this computer; with `key`."""
    key: Path | None = None
    """The private key (PEM) of `certificate`."""
    certificate_folder: Path | None = None
    """Where the form keeps the certificate it makes when the clinic gives none; default: this file's folder."""
    idle_minutes: float = Field(15, ge=0.05, le=720)
    """A login ends after this many minutes without use (0.5 is thirty seconds; 720, twelve hours, at most)."""

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and (problem := password_problem(value.get_secret_value())):
            raise ValueError(problem)
        return value

    def clinic_password(self) -> str | None:
        """The environment's password wins over the file's, so a file can be shared without one; a short
        one from the environment is refused with the same words as the file's."""
        given = os.environ.get(PASSWORD_ENV)
        if given:
            if problem := password_problem(given):
                raise HandoutError(Problem(PASSWORD_ENV, problem, None, "password"))
            return given
        return self.password.get_secret_value() if self.password else None


def load_settings(path: Path | None, folder: Path = LAYOUTS_DIR) -> DeskSettings:
    """The given file, else `handouts-settings.yaml` here if there is one, else no defaults."""
    if path is None:
        path = Path(DEFAULT_SETTINGS)
        if not path.is_file():
            return DeskSettings()
    located = load_yaml(path, "settings")
    if located.data is None:
        return _paths_from(DeskSettings(), path.absolute().parent)
    problems: list[Problem] = []
    settings = collect(DeskSettings, located, "settings file", problems)
    # The layout is checked even when other keys are wrong, so one start reports every problem.
    layout = located.data.get("layout") if isinstance(located.data, dict) else None
    problems += layout_problems(layout, located.file, located.line_of(("layout",)), "layout", folder)
    if problems:
        raise HandoutError(problems)
    assert settings is not None
    return _paths_from(settings, path.absolute().parent)


def _paths_from(settings: DeskSettings, folder: Path) -> DeskSettings:
    """Relative paths in the file are read from its own folder, wherever the form is started."""
    fields = ("certificate", "key", "certificate_folder")
    changed = {f: folder / getattr(settings, f) for f in fields if getattr(settings, f) is not None}
    changed.setdefault("certificate_folder", folder)
    return settings.model_copy(update=changed)
