"""The command line: wires options to functions in other modules, and nothing more.

Heavy imports (pydantic, reportlab) happen inside the commands, so `--help` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from handouts import __version__
from handouts.errors import HandoutError
from handouts.home import HOME_VARIABLE, resolve
from handouts.terminal import safe

layout_option = click.option(
    "--layout",
    metavar="NAME",
    default=None,
    help="Layout to print with (default: the patient file's, else large-print); `list` shows them.",
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

language_option = click.option(
    "--language",
    type=click.Choice(["en", "es"]),
    default=None,
    help="Language of the handout, overriding the patient file's (en: English, the default; es: Spanish).",
)

fhir_out_option = click.option(
    "--fhir-out",
    "fhir_out",
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also write a FHIR DocumentReference (JSON) for each handout into DIR, for the health record.",
)


def home_options(command: Any) -> Any:
    """--content and --layouts on every command: a clinic's own files, else HANDOUTS_HOME's, else the shipped."""
    command = click.option(
        "--layouts",
        "layouts_dir",
        metavar="DIR",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Folder of the clinic's own layouts, added to the shipped ones (default: ${HOME_VARIABLE}/layouts).",
    )(command)
    return click.option(
        "--content",
        "content_path",
        metavar="FILE",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Guidance file to use instead of the shipped content.yaml (default: ${HOME_VARIABLE}/content.yaml).",
    )(command)


class _Commands(click.Group):
    """A user's mistake (HandoutError) is one line per problem on stderr and exit code 2, no "Error:"."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HandoutError as exc:
            click.echo(safe(str(exc)), err=True)  # control characters escaped (see terminal.py)
            ctx.exit(2)


def _echo(text: str) -> None:
    click.echo(safe(text))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
    type=click.Path(),
    default=None,
    help="The PDF to write, or a folder to write DATE_FAMILY-GIVEN_ID.pdf in (ending in '/': made if missing; "
    "default: the current folder).",
)
@layout_option
@paper_option
@background_option
@home_options
@language_option
@fhir_out_option
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    default=None,
    help="The patient's previous handout (PDF): the new one marks what is new or changed, and what stopped.",
)
def handout(
    patient: Path,
    output: str | None,
    layout: str | None,
    paper: str | None,
    no_background: bool,
    content_path: Path | None,
    layouts_dir: Path | None,
    language: str | None,
    fhir_out: Path | None,
    previous: Path | None,
) -> None:
    """Print one patient's handout from PATIENT: a patient file (YAML), a FHIR R4 Bundle (.json), or a
    handout (PDF) printed here, which carries its patient file: given alone, it prints that handout again.

    \b
    Example:
      python generate.py handout examples/maria-lopez.yaml -o maria.pdf
      python generate.py handout examples/maria-lopez.yaml --layout extra-large --paper a4
      python generate.py handout examples/maria-lopez.yaml --language es
      python generate.py handout new-plan.yaml --previous 2026-11-23_lopez-maria_004211.pdf
    """
    from handouts.build import print_file
    from handouts.output import handout_filename, refuse_inputs, target_for, write_atomic

    printed = print_file(
        patient,
        layout,
        resolve(content_path, layouts_dir),
        paper=paper,
        background=not no_background,
        language=language,
        previous=previous,
    )
    if printed.handout.draft:
        _warn_draft(printed.handout.language.split("-")[0])
    for warning in printed.handout.warnings:
        click.echo(f"warning: {warning}", err=True)  # the handout names no moves: said, not refused
    target = target_for(output, handout_filename(printed.handout))
    refuse_inputs(target, {"patient": patient, "content": content_path, "previous handout": previous})
    write_atomic(target, printed.pdf, only_over_files=True)
    _echo(str(target))
    if fhir_out is not None:
        from handouts.fhir.write import handout_document

        _echo(str(handout_document(fhir_out, patient, printed, target.name)))


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
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to print with (default and most: the CPUs, or the records if fewer).",
)
@click.option("--overwrite", is_flag=True, help="Replace handouts that are already in OUTDIR.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@background_option
@home_options
@language_option
@fhir_out_option
@click.option(
    "--previous",
    "previous_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of earlier handouts: each record's latest one there (same patient id and birth date) "
    "is its previous handout, and the new one says what changed. A roster's 'previous' column wins.",
)
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
    layouts_dir: Path | None,
    language: str | None,
    fhir_out: Path | None,
    previous_dir: Path | None,
) -> None:
    """Print one handout per patient of ROSTER (.yaml, .csv, a FHIR Bundle .json or Bulk Data folder, or a
    folder of handouts' PDFs) into OUTDIR.

    Exit 0 when every handout was written (or the same one was already there), 1 when some records
    failed or a different handout is already under a record's name, 2 when the roster can't be read,
    130 when stopped with Ctrl-C.

    \b
    Example:
      python generate.py batch examples/roster.csv -o handouts-today
    """
    from dataclasses import replace

    from handouts.batch.run import Settings, default_jobs, run

    home = resolve(content_path, layouts_dir)
    settings = Settings(
        roster,
        outdir,
        layout,
        paper,
        jobs or default_jobs(),
        overwrite,
        quiet,
        home.content,
        layouts=home.layouts,
        background=not no_background,
    )
    settings = replace(settings, language=language, fhir_out=fhir_out, previous=previous_dir)
    raise SystemExit(run(settings))


@main.command("fhir")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The file to write (default: the standard output).",
)
@home_options
def fhir_command(source: Path, output: Path | None, content_path: Path | None, layouts_dir: Path | None) -> None:
    """Convert a patient file (YAML) to a FHIR R4 Bundle, or a Bundle's patient (.json) to a patient file.

    \b
    Example:
      python generate.py fhir examples/maria-lopez.yaml -o maria-lopez.json
      python generate.py fhir maria-lopez.json -o maria-lopez.yaml
    """
    from handouts.fhir.convert import convert

    text = convert(source, resolve(content_path, layouts_dir))
    if output is None:
        click.echo(text, nl=False)
        return
    from handouts.output import write_atomic

    write_atomic(output, text.encode("utf-8"), only_over_files=True)
    _echo(str(output))


def _warn_draft(language: str) -> None:
    """Staff are told on the terminal too: the page says it, but the desk should know before handing it out."""
    click.echo(
        f"warning: this handout's words ({language}) are a draft awaiting a clinician's review; "
        "every page says so (see README: 'Reviewing a translation')",
        err=True,
    )


@main.command("list")
@home_options
@click.option(
    "--sources",
    is_flag=True,
    help="Show instead every source the content cites in full: publisher, title, year and the sections that use it.",
)
def list_choices(content_path: Path | None, layouts_dir: Path | None, sources: bool) -> None:
    """Show what a patient file can choose: exercises, devices and their options.

    \b
    Example:
      python generate.py list
      python generate.py list --sources
    """
    from handouts.inputs.choices import describe

    if sources:
        from handouts.handout.sources import describe_sources
        from handouts.inputs.content import load_content

        _echo(describe_sources(load_content(resolve(content_path, layouts_dir).content)))
        return
    _echo(describe(resolve(content_path, layouts_dir)))


@main.command()
@home_options
def check(content_path: Path | None, layouts_dir: Path | None) -> None:
    """Check content.yaml and every layout; exit 0 when all are sound.

    \b
    Example:
      python generate.py check
    """
    from handouts.check import check_all

    _echo(check_all(resolve(content_path, layouts_dir)))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (this computer only by default; any other needs the clinic password, "
    "from the settings file or HANDOUTS_PASSWORD, and is served over HTTPS).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Clinic defaults and access (clinic, therapist, phone, layout, paper, date_order, password, hostnames, "
    "https, certificate, key, certificate_folder, idle_minutes); default: handouts-settings.yaml here, if any.",
)
@click.option(
    "--certificate",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The clinic's HTTPS certificate (PEM) for --host beyond this computer; default: one the form makes.",
)
@click.option("--key", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="The certificate's key.")
@home_options
def serve(
    host: str,
    port: int,
    settings_path: Path | None,
    certificate: Path | None,
    key: Path | None,
    content_path: Path | None,
    layouts_dir: Path | None,
) -> None:
    """Open the discharge form in a browser: fill it in, press Make handout, print.

    \b
    Example:
      python generate.py serve --port 8000
    """
    from handouts.web.server import serve as run

    run(host, port, settings_path, resolve(content_path, layouts_dir), certificate, key)


@main.command()
@click.option(
    "-o",
    "--outdir",
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder to write patient.schema.json and layout.schema.json in (made if missing).",
)
@home_options
def schema(outdir: Path, content_path: Path | None, layouts_dir: Path | None) -> None:
    """Write the JSON Schema of the patient file and of a layout, for an editor's completion and checks.

    The patient file's exercises, devices and options are those of the content in use.

    \b
    Example:
      python generate.py schema -o .vscode
    """
    from handouts.inputs.content import load_content
    from handouts.inputs.schema import write_schemas

    for path in write_schemas(outdir, load_content(resolve(content_path, layouts_dir).content)):
        click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    main()
