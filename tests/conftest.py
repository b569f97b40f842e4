"""Shared fixtures: the real examples, printed once per test session through the real pipeline."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same hypothesis examples on every run, so a submission's result does not depend on
# the dice; runs on a developer's machine explore new examples (and keep the failures they find).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The tests use the shipped content and layouts unless they name a clinic's own; a HANDOUTS_HOME set on
# the developer's machine must not change what they print.
os.environ.pop("HANDOUTS_HOME", None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PATIENT_EXAMPLES = [p for p in EXAMPLES if not p.stem.startswith("roster")]
SOURCE = ROOT.parent / "shared" / "source" / "als-physical-therapy-guidance.txt"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def shared_params(group: str, cases: list[tuple[str, ...]], ids: list[str]) -> list[object]:
    """Parameters whose tests share one costly printout each (a layout x paper x example): marked so
    that pytest-xdist runs all the tests of one case on one worker (`--dist loadgroup`), where the
    module's cache prints and reads it once, instead of once on every worker."""
    return [
        pytest.param(*case, id=i, marks=pytest.mark.xdist_group(f"{group}:{i}"))
        for case, i in zip(cases, ids, strict=True)
    ]


@pytest.fixture(scope="session")
def printed() -> dict[str, object]:
    """Each example printed once; tests read the real PDFs back."""
    from handouts.build import print_file

    return {p.stem: print_file(p) for p in PATIENT_EXAMPLES}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """On a pytest-xdist worker, a test marked `xdist_group` must carry its group: a pytest that drops it
    silently (9.2, pytest-xdist#1386) would have every worker build the wheel at once in the same build
    folder, and print every layout's handouts once per worker."""
    if getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group"):
        if "@" not in item.nodeid:
            pytest.fail("pytest-xdist's --dist loadgroup is ignored by this pytest; pip install 'pytest<9.2'", False)
