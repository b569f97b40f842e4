"""Clinic defaults for the discharge form: set once, so the form comes up with them filled in.

A small YAML file (`handouts-settings.yaml` in the folder the app is started from, or `--settings FILE`)
with clinic, therapist, phone and layout. It holds nothing about a patient. It is checked like every
other input: a wrong key or an unknown layout is an error naming the file, the line and what is right.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from handouts.errors import HandoutError, Problem
from handouts.layout import LAYOUTS_DIR, layout_names
from handouts.patient import Short
from handouts.validation import suggest, validate
from handouts.yamlsource import load_yaml

DEFAULT_SETTINGS = "handouts-settings.yaml"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    clinic: Short | None = None
    therapist: Short | None = None
    phone: Short | None = None
    layout: Short | None = None


def load_settings(path: Path | None, folder: Path = LAYOUTS_DIR) -> Settings:
    """The given file, else `handouts-settings.yaml` here if there is one, else no defaults."""
    if path is None:
        path = Path(DEFAULT_SETTINGS)
        if not path.is_file():
            return Settings()
    located = load_yaml(path, "settings")
    if located.data is None:
        return Settings()
    settings = validate(Settings, located, "settings file")
    names = layout_names(folder)
    if settings.layout and settings.layout not in names:
        raise HandoutError(
            Problem(
                located.file,
                f"there is no layout '{settings.layout}'{suggest(settings.layout, names)} "
                f"(layouts: {', '.join(names)})",
                located.line_of(("layout",)),
                "layout",
            )
        )
    return settings
