"""``backpace report`` and ``backpace fhir``: hand a person's record over to a clinician."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backpace.cli.io import fail, read_one_case, read_text
from backpace.cli.options import DataDir, parse_date

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter

    from backpace.handoff import HandOff

CaseOption = Annotated[
    str | None,
    typer.Option(
        "--case",
        metavar="FILE",
        help="The case, as JSON (contract case.schema.json). Default: the case and check-ins of your diary.",
    ),
]
CheckinsOption = Annotated[
    str | None,
    typer.Option(
        "--checkins", metavar="FILE.jsonl", help="Check-ins, one JSON object per line, each with a 'date'."
    ),
]
MeasuresOption = Annotated[
    str | None,
    typer.Option(
        "--measures", metavar="FILE.jsonl", help="Standard measures (pain_nrs, peg, psfs), one per line."
    ),
]
PatientOption = Annotated[
    str | None,
    typer.Option(
        "--patient", metavar="FILE", help="What the person chose to give: name, birth_year, sex (JSON)."
    ),
]


def report_command(
    case: CaseOption = None,
    checkins: CheckinsOption = None,
    measures: MeasuresOption = None,
    patient: PatientOption = None,
    prescriptions: Annotated[
        str | None,
        typer.Option(
            "--prescriptions",
            metavar="FILE.jsonl",
            help="The pacing plan's daily prescriptions, for adherence.",
        ),
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", metavar="OUT", help="Write the one-page PDF here.")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", metavar="OUT", help="Write the printable HTML here.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The report's date (default: today).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Make the one-page clinician's report (PDF and/or HTML; HTML on stdout if neither is given).

    Example: backpace report --case examples/flu-with-aches.json --checkins examples/handoff/checkins.jsonl --pdf report.pdf
    """
    from backpace.export.report import fit_report
    from backpace.knowledge import load_knowledge

    # The HTML is always the page that fits when printed, so --html, --pdf and stdout agree.
    for target in (pdf, html):
        if target is not None and not target.parent.is_dir():
            fail(f"{target}: the folder does not exist")
    page, document = fit_report(
        _inputs(case, checkins, measures, patient, prescriptions, data_dir),
        load_knowledge(),
        today=parse_date(date, "--date", datetime.date.today()),
    )
    if pdf is None and html is None:
        print(page)
        return
    written = []
    if pdf is not None:
        _write(pdf, document)
        written.append(f"{pdf} (PDF)")
    if html is not None:
        _write(html, page.encode())
        written.append(f"{html} (HTML)")
    print(f"Wrote the clinician's report to {' and '.join(written)}.")


def fhir_command(
    out: Annotated[
        str, typer.Option("--out", metavar="FILE", help="Write the FHIR R4 Bundle (JSON) here; - for stdout.")
    ],
    case: CaseOption = None,
    checkins: CheckinsOption = None,
    measures: MeasuresOption = None,
    patient: PatientOption = None,
    data_dir: DataDir = None,
) -> None:
    """Write the record as a FHIR R4 Bundle: Patient, interview, check-ins, measures, risk assessment.

    Example: backpace fhir --case examples/flu-with-aches.json --out bundle.json
    """
    text = fhir_text(_inputs(case, checkins, measures, patient, None, data_dir))
    if out == "-":
        print(text)
    else:
        _write(Path(out), text.encode())
        print(f"Wrote the FHIR R4 Bundle to {out}.")


def fhir_text(inputs: HandOff) -> str:
    """The record as a FHIR R4 Bundle, as JSON text."""
    from backpace.export.fhir import bundle_from, to_json
    from backpace.knowledge import load_knowledge

    return to_json(bundle_from(inputs, load_knowledge()))


def diary_fhir_text(data_dir: Path | None) -> str:
    """The diary on this computer as a FHIR R4 Bundle (``backpace export --fhir``)."""
    return fhir_text(_inputs(None, None, None, None, None, data_dir))


# ---------------------------------------------------------------------------------------------


def _inputs(
    case: str | None,
    checkins: str | None,
    measures: str | None,
    patient: str | None,
    prescriptions: str | None,
    data_dir: Path | None = None,
) -> HandOff:
    from pydantic import TypeAdapter

    from backpace.engine import assess
    from backpace.handoff import DatedCheckIn, PatientDetails, Prescription, hand_off
    from backpace.measures import MeasureResponse

    if case is None:
        stored = diary_record(data_dir)
        the_case, assessment, dated = stored.case, stored.assessment, list(stored.checkins)
        answered = list(stored.measures)
    else:
        from backpace.knowledge import load_knowledge

        the_case = read_one_case(case)
        assessment, dated, answered = assess(the_case, load_knowledge()), [], []
    details = _one(patient, PatientDetails) if patient else None
    if checkins:
        dated = _lines(checkins, TypeAdapter(DatedCheckIn))
    if measures:
        answered = _lines(measures, TypeAdapter(MeasureResponse))
    plan = _lines(prescriptions, TypeAdapter(Prescription)) if prescriptions else None
    return hand_off(the_case, assessment, dated, answered, details, plan)


def diary_record(data_dir: Path | None) -> HandOff:
    """The hand-off record of the local diary (as the web app makes it); a clear message if none."""
    from backpace.cli import diary_session as ds
    from backpace.diary import hand_off_record
    from backpace.knowledge import load_knowledge
    from backpace.storage.record import read_record

    with ds.local_diary(data_dir) as (session, person):
        stored = read_record(session, person_id=person)
    if stored is None:
        fail(ds.NO_CASE, code=1)
    return hand_off_record(stored.saved.case, stored.diary, stored.answered, load_knowledge())


def _one(source: str, model: type[BaseModel]) -> Any:
    from pydantic import ValidationError

    from backpace.errors import field_problems, read_json

    try:
        raw = read_json(read_text(source))
    except json.JSONDecodeError as error:
        fail(f"{source}: not valid JSON ({error.msg} at line {error.lineno})")
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        fail(f"{source}: " + "; ".join(str(p) for p in field_problems(error)))


def _lines(source: str, adapter: TypeAdapter[Any]) -> list[Any]:
    from pydantic import ValidationError

    from backpace.errors import field_problems

    items = []
    for number, line in enumerate(read_text(source).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(adapter.validate_json(line))
        except ValidationError as error:
            fail(f"{source} line {number}: " + "; ".join(str(p) for p in field_problems(error)))
    return items


def _write(path: Path, content: bytes) -> None:
    """Write through a temporary file, so a failed write never leaves half a file behind."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(temporary, path)
    except FileNotFoundError:
        fail(f"{path}: the folder does not exist")
    except OSError as error:
        fail(f"{path}: cannot be written ({error.strerror})")
