"""What the women's assembly does: watch gender equality in every body and office, seat its members, and
attach gender-impact notes to motions."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from konsey.pluginkit import (
    Body,
    Member,
    MemberStatus,
    Motion,
    NotFound,
    Permission,
    body_of_type,
    command,
    council_today,
    db,
    loaded,
    one,
    query,
    seats_on,
)
from konsey.plugins.womens_assembly.models import attach_note, note_for
from konsey.plugins.womens_assembly.monitor import monitor as equality_monitor
from konsey.plugins.womens_assembly.schemas import NoteSchema

NAME = "womens_assembly"


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def monitor() -> dict:
    """The share of women in every decision body and office, against the by-laws' parity share."""
    return equality_monitor()


@query(Permission.COUNCIL_VIEW)
def monitor_page(today: date | None = None) -> dict:
    body = assembly()
    today = today or council_today()
    seats = seats_on(body, today)
    seated = {s.member_id for s in seats}
    candidates = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                    .order_by(Member.sort_name)).all()
    return {"result": equality_monitor(), "body": body, "seats": seats,
            "candidates": [m for m in candidates if m.id not in seated],
            "motions": db.session.scalars(select(Motion).order_by(Motion.number.desc()).limit(100)).all()}


@query(Permission.COUNCIL_VIEW)
def impact_note(motion_id: uuid.UUID):
    """A motion's gender-impact note, as the women's assembly wrote it."""
    motion = one(Motion, motion_id)
    note = note_for(motion.id)
    if note is None:
        raise NotFound()
    return note


@command(Permission.MOTIONS_MANAGE, takes=NoteSchema)
def attach_impact_note(motion_id: uuid.UUID, data: dict):
    """Attach the assembly's gender-impact note to a motion; it travels in the motion's package."""
    motion = one(Motion, motion_id)
    data = loaded(data)
    return attach_note(motion.id, data["text"], data["author"])
