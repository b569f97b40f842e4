"""The command line: wires options to functions in other modules, and nothing more.

Heavy imports (pydantic, reportlab) happen inside the commands, so `--help` answers at once.
"""

from __future__ import annotations

from pathlib import Path

import click

from handouts import __version__
from handouts.home import SHIPPED_LAYOUTS

LAYOUTS_DIR = SHIPPED_LAYOUTS


def _layout_names() -> list[str]:
    # Read from the files here, without importing the layout model, to keep --help fast.
    return sorted(p.stem for p in LAYOUTS_DIR.glob("*.yaml"))


layout_option = click.option(
    "--layout",
    type=click.Choice(_layout_names()),
    default=None,
    help="Layout to print with (default: the patient file's, else large-print).",
)
paper_option = click.option(
    "--paper",
    type=click.Choice(["letter", "a4"], case_sensitive=False),
    default=None,
    help="Paper to print on, overriding the layout's own (letter: US Letter; a4: A4).",
)
background_option = click.option(
    "--no-background",
    "no_background",
    is_flag=True,
    help="Leave out the general sections (how therapy helps, staying safe) for a patient who has had them; "
    "'What to avoid' and 'Call your care team' always print. Same as 'background: false' in a patient file.",
)
content_option = click.option(
    "--content",
    "content_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Guidance file to use instead of the project's content.yaml.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handouts")
def main() -> None:
    """Print personalized, large-print physical-therapy handouts for people living with ALS.

    \b
    Example:
      python generate.py handout examples/maria-lopez.yaml
    """


@main.command()
@click.argument("patient", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="The PDF to write, or a folder to write DATE_FAMILY-GIVEN_ID.pdf in (default: the current folder).",
)
@layout_option
@paper_option
@background_option
@content_option
def handout(
    patient: Path,
    output: Path | None,
    layout: str | None,
    paper: str | None,
    no_background: bool,
    content_path: Path | None,
) -> None:
    """Print one patient's handout from PATIENT, a patient file (YAML).

    \b
    Example:
      python generate.py handout examples/maria-lopez.yaml -o maria.pdf
      python generate.py handout examples/maria-lopez.yaml --layout extra-large --paper a4
    """
    from handouts.build import print_file
    from handouts.output import handout_filename, write_atomic

    printed = print_file(patient, layout, content_path, paper=paper, background=not no_background)
    target = output or Path(handout_filename(printed.handout))
    if target.is_dir():
        target = target / handout_filename(printed.handout)
    write_atomic(target, printed.pdf)
    click.echo(str(target))


@main.command()
@click.argument("roster", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--outdir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the handouts and manifest.csv (made if missing).",
)
@layout_option
@paper_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes to print with (default: CPUs).")
@click.option("--overwrite", is_flag=True, help="Replace handouts that are already in OUTDIR.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@background_option
@content_option
def batch(
    roster: Path,
    outdir: Path,
    layout: str | None,
    paper: str | None,
    jobs: int | None,
    overwrite: bool,
    quiet: bool,
    no_background: bool,
    content_path: Path | None,
) -> None:
    """Print one handout per patient of ROSTER (.yaml or .csv) into OUTDIR.

    Exit 0 when every handout was written (or the same one was already there), 1 when some records
    failed or a different handout is already under a record's name, 2 when the roster can't be read,
    130 when stopped with Ctrl-C.

    \b
    Example:
      python generate.py batch examples/roster.csv -o handouts-today
    """
    from handouts.batch.run import Settings, default_jobs, run

    jobs = jobs or default_jobs()
    background = not no_background
    settings = Settings(roster, outdir, layout, paper, jobs, overwrite, quiet, content_path, background=background)
    raise SystemExit(run(settings))


@main.command("list")
@content_option
def list_choices(content_path: Path | None) -> None:
    """Show what a patient file can choose: exercises, devices and their options.

    \b
    Example:
      python generate.py list
    """
    from handouts.inputs.choices import describe

    click.echo(describe(content_path))


@main.command()
@content_option
def check(content_path: Path | None) -> None:
    """Check content.yaml and every layout; exit 0 when all are sound.

    \b
    Example:
      python generate.py check
    """
    from handouts.inputs.choices import check_all

    click.echo(check_all(content_path))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (this computer only by default).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Clinic defaults (clinic, therapist, phone, layout, paper); default: handouts-settings.yaml here, if any.",
)
@content_option
def serve(host: str, port: int, settings_path: Path | None, content_path: Path | None) -> None:
    """Open the discharge form in a browser: fill it in, press Make handout, print.

    \b
    Example:
      python generate.py serve --port 8000
    """
    from handouts.web.app import serve as run

    run(host, port, settings_path, content_path)


if __name__ == "__main__":  # pragma: no cover
    main()
