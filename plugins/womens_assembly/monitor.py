"""The gender-equality monitor: the share of women in every body and office against the parity share."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from konsey.pluginkit import (
    Body,
    BodyKind,
    BodyStatus,
    SeatRole,
    council_today,
    db,
    minimum_per_gender,
    parameters_on,
    seats_on,
)

DECISION_BODIES = (BodyKind.EXECUTIVE_BOARD, BodyKind.ASSEMBLY, BodyKind.WORKING_GROUP)
VOTING = (SeatRole.CHAIR, SeatRole.FACILITATOR, SeatRole.PRINCIPAL, SeatRole.EX_OFFICIO)


def monitor(on: date | None = None) -> dict:
    """Per body: seats, women, share, whether parity holds; per office (chair, facilitator…) across bodies."""
    on = on or council_today()
    bylaws = parameters_on(on)
    share = bylaws["gender_parity_share"]
    bodies, offices, breaches = [], {}, []
    for body in db.session.scalars(select(Body).where(Body.kind.in_(DECISION_BODIES),
                                                      Body.status != BodyStatus.DISSOLVED).order_by(Body.name)):
        seats = [s for s in seats_on(body, on) if s.role in VOTING]
        women = sum(1 for s in seats if s.member.gender is not None and s.member.gender.value == "female")
        men = sum(1 for s in seats if s.member.gender is not None and s.member.gender.value == "male")
        needed = minimum_per_gender(len(seats), bylaws) if seats else 0
        row = {"body_id": str(body.id), "name": body.name, "seats": len(seats), "women": women, "men": men,
               "share": round(women / len(seats), 3) if seats else None, "needed_each": needed,
               "met": not seats or (women >= needed and men >= needed)}
        bodies.append(row)
        if not row["met"]:
            breaches.append(row)
        for seat in seats:
            office = offices.setdefault(seat.role.value, {"office": seat.role.value, "seats": 0, "women": 0})
            office["seats"] += 1
            office["women"] += int(seat.member.gender is not None and seat.member.gender.value == "female")
    return {"on": on.isoformat(), "parity_share": share, "bodies": bodies, "offices": list(offices.values()),
            "breaches": breaches}


def women_share_in_decision_bodies() -> float:
    """The federation indicator: women among all voting seats of the council's decision bodies (0…1)."""
    result = monitor()
    seats = sum(b["seats"] for b in result["bodies"])
    return round(sum(b["women"] for b in result["bodies"]) / seats, 3) if seats else 0.0
