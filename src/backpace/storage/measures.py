"""A person's answers to the standard measures (PEG, PSFS, pain rating): at most one answer per
measure and day, the later one replacing the earlier. Every function takes the person by keyword.
"""

from __future__ import annotations

import datetime as dt

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from backpace.measures import PEG, PSFS, MeasureResponse, PainRating
from backpace.storage.tables import MeasureResponseRow
from backpace.storage.upsert import upsert

Response = PainRating | PEG | PSFS
_RESPONSE: TypeAdapter[Response] = TypeAdapter(MeasureResponse)


def save_measure(session: Session, *, person_id: int, response: Response) -> bool:
    """Save RESPONSE for its date; returns True if it replaced an answer given that day.

    One INSERT ... ON CONFLICT, so two answers for one day at once never fail on the unique key.
    """
    key = {"person_id": person_id, "measure": response.measure, "date": response.date}
    existed = session.scalar(
        select(MeasureResponseRow.id).where(
            MeasureResponseRow.person_id == person_id,
            MeasureResponseRow.measure == response.measure,
            MeasureResponseRow.date == response.date,
        )
    )
    values = {"response": response.model_dump(mode="json"), "recorded_at": dt.datetime.now(dt.UTC)}
    upsert(session, MeasureResponseRow, key, values)
    return existed is not None


def read_measures(session: Session, *, person_id: int) -> list[Response]:
    """Every answer the person gave, oldest first."""
    rows = session.scalars(
        select(MeasureResponseRow)
        .where(MeasureResponseRow.person_id == person_id)
        .order_by(MeasureResponseRow.date, MeasureResponseRow.measure)
    )
    return [_RESPONSE.validate_python(row.response) for row in rows]


def last_answered(session: Session, *, person_id: int) -> dict[str, dt.date]:
    """The date each measure was last answered."""
    latest: dict[str, dt.date] = {}
    for response in read_measures(session, person_id=person_id):
        latest[response.measure] = response.date
    return latest
