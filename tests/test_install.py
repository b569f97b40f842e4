"""The tool as a clinic installs it: a wheel, installed (not editable) in a fresh virtual environment.

The wheel is built from this checkout with `pip wheel`, installed with pip into a new venv (its
dependencies come from the package index), and run from a folder outside the checkout, so nothing can
be found by accident in the repository: the content and layouts must come from inside the package.
Without a reachable package index the test is skipped, unless CI is set, when it fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from pdfcheck import all_text, reader

MARIA = ROOT / "examples" / "maria-lopez.yaml"
# One worker builds and installs the wheel once; the module's tests all run there.
pytestmark = pytest.mark.xdist_group("wheel")
OFFLINE = ("NewConnectionError", "Max retries exceeded", "No matching distribution", "Could not find a version")


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "HANDOUTS_HOME", "VIRTUAL_ENV"}}
    return subprocess.run(args, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=300)


def _pip(python: str, args: list[str], cwd: Path) -> None:
    """Run pip; without a reachable package index, skip (fail when CI is set)."""
    done = _run([python, "-m", "pip", *args, "-q"], cwd)
    if done.returncode != 0 and any(clue in done.stderr for clue in OFFLINE) and not os.environ.get("CI"):
        why = next(line for line in done.stderr.splitlines() if any(clue in line for clue in OFFLINE))
        pytest.skip(f"pip can't reach a package index: {why.strip()}")
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the venv's bin folder) after building and installing once for this module."""
    top = tmp_path_factory.mktemp("install")
    _pip(sys.executable, ["wheel", "--no-deps", "-w", str(top / "dist"), str(ROOT)], top)
    wheel = next((top / "dist").glob("handouts-*.whl"))
    # A venv without its own copy of pip (that copy takes seconds to set up): this pip installs into it
    # (`--python`), the wheel and its dependencies from the index as in any venv; bytecode is compiled
    # on first use instead of for every installed module.
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(top / "venv")], top)
    assert made.returncode == 0, made.stderr
    bin_dir = top / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _pip(sys.executable, ["--python", str(bin_dir / "python"), "install", "--no-compile", str(wheel)], top)
    return wheel, bin_dir


def test_the_wheel_carries_the_checkouts_content_and_layouts(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as zipped:
        assert zipped.read("handouts/data/content.yaml") == (ROOT / "content.yaml").read_bytes()
        assert zipped.read("handouts/data/content.es.yaml") == (ROOT / "content.es.yaml").read_bytes()
        assert "handouts/handout/words.yaml" in zipped.namelist()
        for layout in (ROOT / "layouts").glob("*.yaml"):
            assert zipped.read(f"handouts/data/layouts/{layout.name}") == layout.read_bytes()
        assert "handouts/web/templates/form.html" in zipped.namelist()


def test_the_installed_command_prints_a_handout_from_another_folder(
    installed: tuple[Path, Path], tmp_path: Path, printed: dict[str, Any]
) -> None:
    _, bin_dir = installed
    result = _run([str(bin_dir / "handouts"), "handout", str(MARIA)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2026-11-23_lopez-maria_004211.pdf"
    pdf = (tmp_path / "2026-11-23_lopez-maria_004211.pdf").read_bytes()
    assert len(reader(pdf).pages) >= 5
    # The same handout, word for word, as the checkout prints.
    assert all_text(pdf) == all_text(printed["maria-lopez"].pdf)
    checked = subprocess.run(
        ["qpdf", "--check", str(tmp_path / "2026-11-23_lopez-maria_004211.pdf")], capture_output=True
    )
    assert checked.returncode == 0, checked.stdout


def test_the_installed_command_prints_in_spanish(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, bin_dir = installed
    result = _run([str(bin_dir / "handouts"), "handout", str(MARIA), "--language", "es", "-o", "es.pdf"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "draft" in result.stderr
    text = all_text((tmp_path / "es.pdf").read_bytes())
    assert "Traducción pendiente de revisión clínica" in text and "23 de noviembre de 2026" in text


def test_python_m_handouts_reads_the_packaged_files(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, bin_dir = installed
    result = _run([str(bin_dir / "python"), "-m", "handouts", "list"], tmp_path)
    assert result.returncode == 0, result.stderr
    packaged = bin_dir.parent / "lib"
    first = result.stdout.splitlines()[:3]
    assert first[0].startswith(f"Content: {packaged}") and first[0].endswith("handouts/data/content.yaml (shipped)")
    assert first[1].startswith(f"Spanish (Español): {packaged}") and "data/content.es.yaml" in first[1]
    assert first[2].startswith(f"Layouts: {packaged}") and "range_of_motion" in result.stdout
    assert str(ROOT) not in result.stdout


def test_handouts_home_adds_a_clinic_layout_to_the_installed_tool(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, bin_dir = installed
    (tmp_path / "clinic" / "layouts").mkdir(parents=True)
    (tmp_path / "clinic" / "layouts" / "riverside.yaml").write_text(
        "extends: large-print\ndescription: Riverside letterhead\nclinic: {name: Riverside Rehabilitation}\n",
        encoding="utf-8",
    )
    home = {"HANDOUTS_HOME": str(tmp_path / "clinic")}
    checked = _run([str(bin_dir / "handouts"), "check"], tmp_path, **home)
    assert checked.returncode == 0, checked.stderr
    assert "layout riverside: sound on letter and a4" in checked.stdout
    out = tmp_path / "riverside.pdf"
    result = _run(
        [str(bin_dir / "handouts"), "handout", str(MARIA), "--layout", "riverside", "-o", str(out)], tmp_path, **home
    )
    assert result.returncode == 0, result.stderr
    assert "Riverside Rehabilitation" in all_text(out.read_bytes())


def test_the_installed_form_serves_its_page_and_files(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """The templates and static files ship in the wheel: the form's page and stylesheet come back."""
    _, bin_dir = installed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "HANDOUTS_HOME", "VIRTUAL_ENV"}}
    server = subprocess.Popen(
        [str(bin_dir / "handouts"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = _get(f"http://127.0.0.1:{port}/", server)
        assert "Make handout" in page and "range_of_motion" in page
        assert "font-family" in _get(f"http://127.0.0.1:{port}/static/form.css", server)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str, server: subprocess.Popen[bytes]) -> str:
    """The body at `url`, waiting up to 20 s for the server to start listening."""
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)
