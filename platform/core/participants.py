"""People who take part in a working group without being members of the council.

Working groups are open to non-members (domain.md "Structure"). A participant is recorded with the least
personal data that lets the group reach them, and only with their consent to that (KVKK); they count
towards the group's size for its elections but hold no seat and no vote in council decisions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, String, Uuid, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.errors import Conflict, Invalid
from konsey.core.seats import require_working, seats_on
from konsey.tenants.db import CouncilOwned, db, same_council_fk, utcnow
from konsey.tenants.models import council_today


class Participant(CouncilOwned, db.Model):
    __tablename__ = "participants"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)  # to being contacted by the group
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    __council_table_args__ = (
        db.Index("ix_participants_council_body", "council_id", "body_id"),
        same_council_fk("body_id", "bodies", ondelete="CASCADE"),
    )


def join(body: Body, data: dict) -> Participant:
    if body.kind is not BodyKind.WORKING_GROUP:
        raise Invalid({"body_id": [_("Only working groups take non-member participants.")]})
    require_working(body)
    if not data.get("consent"):
        raise Invalid({"consent": [_("The participant must agree to being contacted by the group.")]})
    participant = Participant(body_id=body.id, name=data["name"], email=data.get("email"), phone=data.get("phone"),
                              organisation=data.get("organisation"), joined_on=data.get("joined_on") or council_today())
    db.session.add(participant)
    db.session.flush()
    record("participant.joined", participant, {"body": str(body.id)})
    return participant


def leave(participant: Participant, on: date) -> None:
    if participant.left_on is not None:
        raise Conflict({"left_on": [_("This participant has already left.")]})
    if on < participant.joined_on:
        raise Invalid({"left_on": [_("One cannot leave before joining.")]})
    participant.left_on = on
    record("participant.left", participant, {"on": on.isoformat()})


def erase(participant: Participant) -> None:
    """A KVKK erasure request: the person's record goes; the log keeps only the id."""
    record("participant.erased", participant)
    db.session.delete(participant)


def participants_on(body: Body, day: date) -> list[Participant]:
    return db.session.scalars(select(Participant).where(
        Participant.body_id == body.id, Participant.joined_on <= day,
        or_(Participant.left_on.is_(None), Participant.left_on >= day)).order_by(Participant.name)).all()


def working_group_size(body: Body, day: date) -> int:
    """Everyone taking part on ``day``: members holding a seat and non-member participants."""
    return len({seat.member_id for seat in seats_on(body, day)}) + len(participants_on(body, day))
