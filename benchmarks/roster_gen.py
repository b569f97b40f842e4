"""Write a synthetic roster of N patients with a realistic mix of selections (fixed seed: same file each time).

python benchmarks/roster_gen.py 1000 /tmp/roster-1000.csv     # or .yaml
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

GIVEN = ["Maria", "James", "Ana", "Zoë", "Ruth", "Omar", "Li", "Sofia", "Kwame", "Elena", "Pieter", "Aisha"]
FAMILY = ["Lopez", "Okafor", "Souza", "Martín", "Becker", "Haddad", "Chen", "Rossi", "Mensah", "Novak", "de Vries"]
NOTES = [
    "Use the cane indoors and the walker outside.",
    "Sit down to rest whenever you need to.\nBring this handout to your next visit.",
    "Your daughter can help with the stretches each evening.",
]


def _exercises(rng: random.Random) -> list[str]:
    out = []
    if rng.random() < 0.8:
        out.append(rng.choice(["stretching", "stretching(hold_seconds=30, repetitions=3)"]))
    if rng.random() < 0.7:
        mode = rng.choice(["active", "passive"])
        out.append(f"range_of_motion(mode={mode}, times_per_day={rng.randint(1, 3)})")
    if rng.random() < 0.6:
        out.append(f"aerobic(minutes={rng.choice([10, 15, 20])}, days_per_week={rng.randint(2, 5)})")
    if rng.random() < 0.5:  # moves from the exercise library, in each of their modes
        for move in rng.sample(MOVES, rng.randint(1, 4)):
            mode = rng.choice(["active", "assisted", "passive"] if move in ASSISTED else ["active", "passive"])
            out.append(f"{move}(mode={mode}, repetitions={rng.choice([5, 10])})")
    return out


MOVES = ["shoulder_raise", "elbow_bend", "wrist_bend", "hip_knee_to_chest", "knee_bend", "ankle_pump", "calf_stretch"]
ASSISTED = {"shoulder_raise", "elbow_bend", "wrist_bend"}


def _devices(rng: random.Random) -> list[str]:
    out = []
    cane = rng.random()
    if cane < 0.3:
        out.append("cane")
    elif cane < 0.5:
        out.append("quad_cane")
    if rng.random() < 0.4:
        out.append(f"walker(wheels={rng.choice(['true', 'false'])}, platform={rng.choice(['true', 'false'])})")
    if rng.random() < 0.4:
        out.append(f"ankle_foot_brace(side={rng.choice(['left', 'right', 'both'])})")
    if rng.random() < 0.15:
        out.append("neck_brace")
    if rng.random() < 0.2:
        out.append("wheelchair")
    return out


def rows(count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append(
            {
                "name": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                "patient_id": f"{100000 + i:06d}",
                "date": "2026-11-23",
                "therapist": "Alex Kim, PT",
                "clinic": "Riverside Rehabilitation",
                "phone": "555-0100",
                "stronger_side": rng.choice(["left", "right"]),
                "exercises": "; ".join(_exercises(rng)),
                "devices": "; ".join(_devices(rng)),
                "notes": rng.choice(NOTES) if rng.random() < 0.5 else "",
            }
        )
    return out


def write(count: int, path: Path) -> Path:
    data = rows(count)
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)
        return path
    import json  # JSON strings are valid YAML scalars, so this writes YAML without a YAML writer

    lines = ["patients:"]
    for row in data:
        lines.append(f"  - name: {json.dumps(row['name'], ensure_ascii=False)}")
        for key in ("patient_id", "date", "therapist", "clinic", "phone", "stronger_side"):
            lines.append(f"    {key}: {json.dumps(row[key])}")
        for key in ("exercises", "devices"):
            items = [
                item.replace("(", ": {").replace("=", ": ") + "}" if "(" in item else item
                for item in row[key].split("; ")
                if item
            ]
            items = [i.replace(")}", "}") for i in items]
            lines.append(f"    {key}: [{', '.join(items)}]")
        if row["notes"]:
            lines.append(f"    notes: {json.dumps(row['notes'])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
