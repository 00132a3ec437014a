"""Who may open a page: a person keeping a diary, or a clinician. The role is read from the
account in the database on every request (the session holds only the account id)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.exceptions import HTTPException

from backpace.storage.accounts import AccountInfo
from backpace.web.deps import MaybeAccount, NotSignedIn

FOR_PEOPLE = "This page is for people keeping a diary. You are logged in with a clinician account."
FOR_CLINICIANS = "This page is for clinician accounts. To share your diary, use Share with a clinician."


def get_person_account(account: MaybeAccount) -> AccountInfo:
    if account is None:
        raise NotSignedIn()
    if account.is_clinician:
        raise HTTPException(404, FOR_PEOPLE)
    return account


def get_clinician(account: MaybeAccount) -> AccountInfo:
    if account is None:
        raise NotSignedIn()
    if not account.is_clinician:
        raise HTTPException(404, FOR_CLINICIANS)
    return account


PersonAccount = Annotated[AccountInfo, Depends(get_person_account)]
Clinician = Annotated[AccountInfo, Depends(get_clinician)]
