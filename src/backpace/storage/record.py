"""What a person's hand-off is made from, read in one transaction: the latest saved case, the
diary and the measures. ``backpace.diary.hand_off_record`` turns it into the record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from backpace.diary_days import Diary
from backpace.measures import PEG, PSFS, PainRating
from backpace.storage import measures, repo


@dataclass(frozen=True, slots=True)
class StoredRecord:
    saved: repo.SavedCase
    diary: Diary
    answered: list[PainRating | PEG | PSFS]


def read_record(db: Session, *, person_id: int) -> StoredRecord | None:
    """The person's stored record, or None while no case is saved (a report needs one)."""
    saved = repo.latest_case(db, person_id=person_id)
    if saved is None:
        return None
    diary = repo.read_diary(db, person_id=person_id)
    return StoredRecord(saved, diary, measures.read_measures(db, person_id=person_id))
