"""Measure batch on a FHIR Bulk Data export folder, the way an EHR hands one over (issue 26).

    PYTHONPATH=. python benchmarks/bench_fhir.py                  # 10,000 patients, --jobs 2
    PYTHONPATH=. python benchmarks/bench_fhir.py --count 1000     # quicker
    PYTHONPATH=. python benchmarks/bench_fhir.py --count 1000 --yaml   # and the same patients from YAML

The folder holds Patient, CarePlan, ServiceRequest, DeviceRequest, PractitionerRole, Practitioner,
Organization and RelatedPerson NDJSON files, references written as Type/id, made from the example
patients and a long plan with a different name and identifier for each patient. The batch is the real
command in a subprocess (benchmarks/bench_batch.py's run_batch): handouts per second (wall clock), CPU
per handout, and the peak resident memory (VmHWM) of the main process and of each worker.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_batch import run_batch  # noqa: E402

from handouts.build import load_checked  # noqa: E402
from handouts.fhir.write import plan_bundle  # noqa: E402
from handouts.inputs.content import cached_content  # noqa: E402

SHARED = ("Practitioner", "PractitionerRole", "Organization")
TEMPLATES = ["maria-lopez", "lee-chen-moves", "james-okafor", "ana-souza"]


def write_export(count: int, folder: Path) -> Path:
    """COUNT patients, cycling through the example plans, each with its own name and MR number."""
    content = cached_content(None)
    plans = [load_checked(ROOT / "examples" / f"{name}.yaml", content) for name in TEMPLATES]
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    try:
        for i in range(count):
            plan = plans[i % len(plans)]
            given = plan.patient.name.split()[0]
            patient = plan.patient.model_copy(update={"name": f"{given} Number{i}", "patient_id": f"MRN-{i:06d}"})
            bundle = plan_bundle(plan.__class__(patient, plan.exercises, plan.devices, plan.file), content, f"p{i}")
            refs = {e["fullUrl"]: f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
            for entry in bundle["entry"]:
                kind = entry["resource"]["resourceType"]
                if kind in SHARED:  # one clinic and therapist per example, as an export lists them once
                    entry["resource"]["id"] = entry["resource"]["id"].replace(f"p{i}-", f"t{i % len(plans)}-")
                    refs[entry["fullUrl"]] = f"{kind}/{entry['resource']['id']}"
            for entry in bundle["entry"]:
                if entry["resource"]["resourceType"] in SHARED and i >= len(plans):
                    continue
                text = json.dumps(entry["resource"], separators=(",", ":"))
                for url, ref in refs.items():
                    text = text.replace(json.dumps(url), json.dumps(ref))
                kind = entry["resource"]["resourceType"]
                if kind not in files:
                    files[kind] = (folder / f"{kind}.ndjson").open("w", encoding="utf-8")
                files[kind].write(text + "\n")
    finally:
        for f in files.values():
            f.close()
    return folder


def write_roster(count: int, path: Path) -> Path:
    """The same patients as write_export, as a YAML roster: what the FHIR reading costs is the difference."""
    import yaml

    from handouts.inputs.yamlsource import load_yaml

    examples = [load_yaml(ROOT / "examples" / f"{name}.yaml", "patient").data for name in TEMPLATES]
    patients = []
    for i in range(count):
        data = dict(examples[i % len(examples)])
        data |= {"name": f"{data['name'].split()[0]} Number{i}", "patient_id": f"MRN-{i:06d}"}
        patients.append(data)
    path.write_text(yaml.safe_dump(patients, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="patients in the export")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--yaml", action="store_true", help="also run the same patients from a YAML roster")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-fhir-"))
    export = write_export(args.count, tmp / "export")
    size = sum(p.stat().st_size for p in export.iterdir()) / 1e6
    print(f"export: {args.count} patients, {size:.1f} MB of NDJSON in {len(list(export.iterdir()))} files")
    print(f"load average at start: {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs")
    r = run_batch(export, args.jobs)
    print(
        f"--jobs {args.jobs}: {r['count']:.0f} handouts in {r['wall']:.0f} s = {r['rate']:.1f} handouts/s (wall), "
        f"{r['cpu_ms']:.1f} ms CPU a handout; peak RSS main {r['main_mb']:.0f} MB, each worker at most "
        f"{r['worker_mb']:.0f} MB"
    )
    if args.yaml:
        y = run_batch(write_roster(args.count, tmp / "roster.yaml"), args.jobs)
        print(
            f"the same patients from a YAML roster: {y['rate']:.1f} handouts/s (wall), {y['cpu_ms']:.1f} ms CPU a "
            f"handout; peak RSS main {y['main_mb']:.0f} MB, each worker at most {y['worker_mb']:.0f} MB"
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    subprocess.run(["rm", "-rf", str(tmp)], check=True)


if __name__ == "__main__":
    main()
