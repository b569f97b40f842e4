"""A batch that says what changed: a roster's `previous` column (a PDF, relative to the roster) or
`batch --previous DIR` (matched by patient id and birth date); another patient's handout refused, by
its record, while the others print."""

from __future__ import annotations

from pathlib import Path

from changes_pair import NEW_PLAN, OLD
from pdfcheck import first_page_text
from test_batch import batch, manifest

from handouts.build import print_file

ROW = "Maria Lopez,004211,1961-04-02,2027-02-10,left,ankle_pump(mode=active),walker(wheels=true)"
HEADER = "name,patient_id,birth_date,date,stronger_side,exercises,devices"


def old_handouts(folder: Path) -> Path:
    folder.mkdir()
    (folder / "old.yaml").write_text(OLD, encoding="utf-8")
    (folder / "maria.pdf").write_bytes(print_file(folder / "old.yaml").pdf)
    other = folder / "other.yaml"
    other.write_text(OLD.replace("Maria Lopez", "Mario Lopez").replace("004211", "009999"), encoding="utf-8")
    (folder / "mario.pdf").write_bytes(print_file(other).pdf)
    return folder


def test_the_previous_column_names_each_records_previous_handout(tmp_path: Path) -> None:
    old_handouts(tmp_path / "old")
    roster = tmp_path / "r.csv"
    rows = [
        f"{ROW},old/maria.pdf",
        ROW.replace("Maria", "Mario") + ",old/maria.pdf",
        ROW.replace("2027-02-10", "2027-03-01") + ",",
    ]
    roster.write_text(f"{HEADER},previous\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = batch(roster, "-o", tmp_path / "out", "-q", "-j", "1")
    assert code == 1
    got = manifest(tmp_path / "out")
    assert [r["status"] for r in got] == ["written", "failed", "written"]
    assert got[1]["error"] == (
        f"{roster}: row 3: {tmp_path / 'old' / 'maria.pdf'}: previous: is not this patient's previous handout: "
        "the name differs (it is Maria Lopez's handout; this one is for Mario Lopez); give this patient's own"
    )
    page1 = first_page_text((tmp_path / "out" / got[0]["file"]).read_bytes())
    assert "Changed – Ankle: point your foot up and down:" in page1 and "New – Using a walker:" in page1
    assert "No longer in your plan: Calf: stretch the back of your leg" in page1
    assert "Changed –" not in first_page_text((tmp_path / "out" / got[2]["file"]).read_bytes())


def test_previous_dir_matches_by_patient_id_and_birth_date(tmp_path: Path) -> None:
    old = old_handouts(tmp_path / "old")
    roster = tmp_path / "r.yaml"
    roster.write_text(
        "- " + NEW_PLAN.replace("\n", "\n  ").rstrip() + "\n- {name: Ana Souza, patient_id: '77', devices: [walker]}\n",
        encoding="utf-8",
    )
    code, _, err = batch(roster, "-o", tmp_path / "out", "-j", "1", "--previous", old)
    assert code == 0, err
    got = manifest(tmp_path / "out")
    page1 = first_page_text((tmp_path / "out" / got[0]["file"]).read_bytes())
    assert "New – Using a walker:" in page1 and "No longer in your plan: Walking, Using a four-foot cane" in page1
    assert f"{old}: holds no earlier handout of this patient" in got[1]["warning"]
    assert f"{old}: holds no earlier handout of this patient" in err
