"""Who may open a page: a person keeping a diary, or a clinician. The role is read from the
account in the database on every request (the session holds only a session token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.exceptions import HTTPException

from backpace.storage.accounts import AccountInfo
from backpace.web.deps import FOR_PEOPLE, PersonAccount, SignedIn, get_person_account

__all__ = [
    "FOR_CLINICIANS",
    "FOR_PEOPLE",
    "Clinician",
    "PersonAccount",
    "get_clinician",
    "get_person_account",
]

FOR_CLINICIANS = "This page is for clinician accounts. To share your diary, use Share with a clinician."


def get_clinician(account: SignedIn) -> AccountInfo:
    if not account.is_clinician:
        raise HTTPException(404, FOR_CLINICIANS)
    return account


Clinician = Annotated[AccountInfo, Depends(get_clinician)]
