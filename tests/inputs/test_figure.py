"""Move figures and moves in content.yaml are checked like all content: file, line, field, a suggestion.

Each test breaks a copy of the shipped content.yaml in one place and runs the real `check` command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from handouts.cli import main
from handouts.inputs.content import load_content
from handouts.inputs.figure import JOINTS

RAISE_POSES = "        - {shoulder: 10}\n        - {shoulder: 90}\n"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "content.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _check(path: Path) -> str:
    result = CliRunner().invoke(main, ["check", "--content", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def _index(move_id: str) -> int:
    return [s.id for s in load_content().sections].index(move_id)


def test_an_unknown_joint_is_refused_with_its_line_and_the_nearest_joint(tmp_path: Path) -> None:
    path = _broken(tmp_path, RAISE_POSES, "        - {shoulder: 10}\n        - {sholder: 170}\n")
    out = _check(path)
    i = _index("shoulder_raise")
    line = _line_of(path, "{sholder: 170}")
    assert f"{path}:{line}: sections[{i}].figure.poses[1].sholder: 'sholder' is not a known field; " in out
    assert "did you mean 'shoulder'?" in out


def test_an_impossible_angle_says_the_joints_range(tmp_path: Path) -> None:
    path = _broken(tmp_path, RAISE_POSES, "        - {shoulder: 10}\n        - {shoulder: 250}\n")
    out = _check(path)
    line = _line_of(path, "{shoulder: 250}")
    assert f":{line}: sections[{_index('shoulder_raise')}].figure.poses[1].shoulder: " in out
    assert "250 degrees is more than a shoulder can move; use -60 to 180 (0 is the arm down" in out


def test_a_knee_bent_backwards_is_impossible_too(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, "        - {knee: 90}\n        - {knee: 5}\n", "        - {knee: 90}\n        - {knee: -20}\n"
    )
    assert "-20 degrees is more than a knee can move; use 0 to 150" in _check(path)


def test_an_unknown_prop_lists_the_props(tmp_path: Path) -> None:
    path = _broken(tmp_path, "      props: [wall]\n", "      props: [walll]\n")
    out = _check(path)
    assert f":{_line_of(path, 'props: [walll]')}: sections[{_index('calf_stretch')}].figure.props[0]: " in out
    assert "'walll' is not allowed; use 'chair', 'bed', 'mat', 'wall'" in out


def test_a_move_that_adds_weights_or_bands_is_refused(tmp_path: Path) -> None:
    for step in ("Hold a light weight in each hand.", "Loop a resistance band around your foot.", "Add ankle weights."):
        path = _broken(tmp_path, "      - Keep your elbow straight.\n", f"      - {step}\n")
        out = _check(path)
        assert "adds weights or a resistance band: that is strengthening, which is never prescribed" in out, step
        assert f"content.yaml:{_line_of(path, '- id: shoulder_raise')}: sections[{_index('shoulder_raise')}]" in out


def test_a_move_needs_its_reason_in_one_sentence(tmp_path: Path) -> None:
    old = "    reason: A loose elbow helps you eat, wash and dress.\n"
    path = _broken(tmp_path, old, "    reason: A loose elbow helps. You can eat.\n")
    assert "reason must be one sentence" in _check(path)


def test_a_mode_without_its_own_steps_is_refused(tmp_path: Path) -> None:
    old = 'passive: a helper does it"\n        choices: [active, passive]\n'
    path = _broken(tmp_path, old, 'passive: a helper does it"\n        choices: [active, assisted, passive]\n')
    assert "mode assisted needs its own steps under variants: mode: assisted" in _check(path)


def test_a_move_in_a_category_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = _broken(
        tmp_path,
        "    category: aerobic\n    joint: activity\n    title: Walking\n",
        "    category: strengthening\n    joint: activity\n    title: Walking\n",
    )
    out = _check(path)
    assert f":{_line_of(path, 'category: strengthening')}: " in out
    assert "'strengthening' is not allowed; use 'range_of_motion', 'stretching' or 'aerobic'" in out


def test_two_poses_that_are_the_same_show_no_move(tmp_path: Path) -> None:
    path = _broken(tmp_path, RAISE_POSES, "        - {shoulder: 10}\n        - {shoulder: 10}\n")
    assert "the two poses are the same; change an angle" in _check(path)


def test_the_shipped_library_is_sound_and_complete() -> None:
    content = load_content()
    ids = {m.id for m in content.moves()}
    promised = {"shoulder_raise", "shoulder_out", "elbow_bend", "wrist_bend", "fingers_fist", "hip_knee_to_chest"}
    promised |= {"knee_bend", "ankle_pump", "neck_turn", "calf_stretch", "hamstring_stretch", "walking"}
    promised |= {"stationary_cycling", "chair_marching"}
    assert promised <= ids
    assert len(ids) >= 30
    for move in content.moves():
        assert move.source and move.reason and move.steps and move.cautions and move.dose, move.id
        assert move.figure is not None
        for pose in move.figure.poses:
            for joint, angle in pose.angles().items():
                least, most, _ = JOINTS[joint]
                assert least <= angle <= most
    categories = {m.category for m in content.moves()}
    assert categories == {"range_of_motion", "stretching", "aerobic"}


@pytest.mark.parametrize("mode", ["assisted", "passive"])
def test_every_range_of_motion_limb_move_can_be_done_by_a_helper(mode: str) -> None:
    """Passive for every arm and leg move; assisted for the arm moves the stronger hand can guide."""
    content = load_content()
    limbs = [
        m for m in content.moves() if m.category == "range_of_motion" and m.figure and m.figure.limb in ("arm", "leg")
    ]
    with_mode = [m.id for m in limbs if mode in m.modes]
    if mode == "passive":
        assert with_mode == [m.id for m in limbs]
    else:
        assert {"shoulder_raise", "elbow_bend", "forearm_turn", "wrist_bend", "fingers_fist"} <= set(with_mode)


def test_list_shows_the_library_by_joint_with_modes() -> None:
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0
    out = result.output
    library = out[out.index("Moves (under exercises:") :]
    lines = library.splitlines()
    assert "  Moving your joints (range_of_motion)" in lines and "    shoulder" in lines and "    knee" in lines
    raise_at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("shoulder_raise "))
    assert "mode: active | assisted | passive; usual dose: repetitions 10" in lines[raise_at + 1]
    assert "assisted needs stronger_side" in lines[raise_at + 2]
    assert lines.index("  Stretching (stretching)") < next(i for i, ln in enumerate(lines) if "calf_stretch" in ln)
    every = {m.id for m in load_content().moves()}
    assert every <= {ln.split()[0] for ln in lines if ln.startswith("      ") and not ln.startswith("       ")}
    # the kinds above still list only the categories
    kinds = out[: out.index("Devices")]
    assert "shoulder_raise" not in kinds and "range_of_motion" in kinds
