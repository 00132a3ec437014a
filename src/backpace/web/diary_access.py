"""Who may see this diary: the one gate in front of every view of a person's record that either
the person or a clinician can open (report, PDF, FHIR bundle; the clinician's diary view).

A path without a share id is the signed-in person's own diary (a clinician account is refused). A
path with one is a diary shared with the signed-in clinician, reached only through a share this
clinician redeemed and the person has not revoked; anything else is "not found", whether the
person exists or not, and the look is written to the person's access log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from backpace.storage import sharing
from backpace.web.deps import DbSession, SignedIn, get_person_account
from backpace.web.roles import get_clinician

NOT_SHARED = "Not found: this person has not shared their diary with you, or has stopped sharing it."
#: What each kind of look means, in the person's words (their access log shows these).
ACCESS_WORDS = {
    "list": "Saw you on their list",
    "report": "Opened your report",
    "report_pdf": "Downloaded your report (PDF)",
    "diary": "Opened your diary",
    "fhir": "Downloaded your record (FHIR)",
}


@dataclass(frozen=True, slots=True)
class DiaryReader:
    """A diary and who is reading it: the person, or a clinician (``shared`` and ``clinician_id``)."""

    person_id: int
    shared: sharing.SharedWithMe | None
    clinician_id: int | None
    #: (address, words) of the link back to where the reader came from.
    back: tuple[str, str]

    @property
    def is_clinician(self) -> bool:
        return self.clinician_id is not None


def who_may_read(
    request: Request, db: DbSession, account: SignedIn, share_id: int | None = None
) -> DiaryReader:
    """The gate: the person's own diary without a share id (a clinician gets 404), a diary shared
    with this clinician with one (a person, or a share not theirs or revoked, gets 404)."""
    if share_id is None:
        person = get_person_account(account)
        return DiaryReader(
            person.person_id, None, None, (request.app.url_path_for("diary"), "Back to my diary")
        )
    clinician = get_clinician(account)
    shared = sharing.shared_person(db, clinician_account_id=clinician.id, share_id=share_id)
    if shared is None:
        raise HTTPException(404, NOT_SHARED)
    back = (request.app.url_path_for("clinician"), "Back to the people who shared with you")
    return DiaryReader(shared.person_id, shared, clinician.id, back)


def diary_reader(what: str) -> Callable[..., DiaryReader]:
    """The dependency for a look of kind WHAT (a key of ACCESS_WORDS): the gate, then a clinician's
    look is written to the person's access log (in the request's transaction)."""
    assert what in ACCESS_WORDS, what

    def reader(db: DbSession, reader: Annotated[DiaryReader, Depends(who_may_read)]) -> DiaryReader:
        if reader.clinician_id is not None:
            sharing.log_access(
                db, person_id=reader.person_id, clinician_account_id=reader.clinician_id, what=what
            )
        return reader

    return reader
