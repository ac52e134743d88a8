"""Bodies and seats: the board proposes an assembly or a working group, the general assembly approves it, it
may be dissolved; seats with terms and gender parity; a working group's non-member participants; absences."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import bodies, bylaws, participants, seats, votes
from konsey.core.bodies import Body, BodyKind, BodyStatus
from konsey.core.meetings import AgendaItem, Meeting, Vote, absences
from konsey.core.membership import Member, MemberStatus
from konsey.core.participants import Participant
from konsey.core.permissions import Permission
from konsey.core.seats import Seat, SeatRole
from konsey.schemas.bodies import (
    ApprovalSchema,
    DissolutionSchema,
    EndSeatSchema,
    JoinSchema,
    LeaveSchema,
    NewBodySchema,
    NewSeatSchema,
    ParticipantSchema,
)
from konsey.tenants.db import db
from konsey.tenants.models import council_today
from konsey.usecases.base import command, current_actor, loaded, one, query, referenced
from konsey.usecases.members import member_named


def _ordered(rows) -> list[Body]:
    order = list(BodyKind)
    return sorted(rows, key=lambda b: (order.index(b.kind), b.name))


@query(Permission.COUNCIL_VIEW)
def list_bodies() -> list[Body]:
    """The council's bodies: general assembly, executive board, assemblies and working groups."""
    return _ordered(db.session.scalars(select(Body)))


@query(Permission.COUNCIL_VIEW)
def bodies_overview(day: date | None = None) -> list[dict]:
    """Each body with its full membership and gender parity on ``day`` (today)."""
    day = day or council_today()
    parameters = bylaws.parameters_on(day)
    return [{"body": body, "full": seats.full_membership(body, day, parameters),
             "parity": seats.body_parity(body, day, parameters)} for body in list_bodies()]


@query(Permission.COUNCIL_VIEW)
def show_body(body_id: uuid.UUID, day: date | None = None) -> dict:
    """The body on a day (today by default): its seats, full membership and gender parity."""
    body = one(Body, body_id)
    day = day or council_today()
    parameters = bylaws.parameters_on(day)
    composition = seats.board_composition(day, parameters)["problems"] if body.kind is BodyKind.EXECUTIVE_BOARD \
        else []
    return {"id": body.id, "kind": body.kind, "name": body.name, "on": day, "status": body.status,
            "proposal": body.proposal, "approved_decision": body.approved_decision,
            "approved_on": body.approved_on, "body": body,
            "full_membership": seats.full_membership(body, day, parameters),
            "parity": seats.body_parity(body, day, parameters), "seats": seats.seats_on(body, day),
            "lawfully_composed": not composition, "composition_problems": composition}


@query(Permission.COUNCIL_VIEW)
def body_page(body_id: uuid.UUID, today: date | None = None) -> dict:
    """What the body's page shows: seats, parity, who could take a seat, participants, and (to those who may
    see people) a year of absences."""
    today = today or council_today()
    detail = show_body(body_id, today)
    body = detail["body"]
    seated = {s.member_id for s in detail["seats"]}
    active = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                .order_by(Member.sort_name)).all()
    names = {m.id: m.name for m in active}
    missed = absences(body, today - timedelta(days=365), today) if current_actor().may(Permission.MEMBERS_VIEW) else []
    return {"body": body, "seats": detail["seats"], "roles": list(SeatRole), "parity": detail["parity"],
            "absences": [dict(r, name=names.get(r["member_id"], "—")) for r in missed
                         if r["excused"] or r["unexcused"]],
            "candidates": [m for m in active if m.id not in seated],
            "participants": participants.participants_on(body, today) if body.kind is BodyKind.WORKING_GROUP else [],
            "decisions": general_assembly_decisions() if body.status is BodyStatus.PROPOSED else [],
            "general_assembly_seat": seats.group_seat(body) if body.kind in (BodyKind.ASSEMBLY,
                                                                             BodyKind.WORKING_GROUP) else None}


def general_assembly_decisions() -> list[dict]:
    """The general assembly's adopted decisions, newest first, for picking the one that approves a body."""
    rows = db.session.execute(
        select(Vote.id, Vote.decision_number, AgendaItem.title, Meeting.scheduled_at)
        .join(AgendaItem, AgendaItem.id == Vote.agenda_item_id).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Body, Body.id == Meeting.body_id)
        .where(Body.kind == BodyKind.GENERAL_ASSEMBLY, Vote.decision_number.is_not(None))
        .order_by(Meeting.scheduled_at.desc()).limit(200)).all()
    return [{"vote_id": r.id, "number": r.decision_number, "title": r.title, "on": r.scheduled_at} for r in rows]


@command(Permission.BODIES_MANAGE, takes=NewBodySchema)
def propose_body(data: dict) -> Body:
    """The executive board proposes an assembly or a working group; it works once the assembly approves."""
    data = loaded(data)
    return bodies.create_body(data["kind"], data["name"], data.get("proposal"))


@command(Permission.BODIES_MANAGE, takes=ApprovalSchema)
def approve_body(body_id: uuid.UUID, data: dict) -> Body:
    """Record the general assembly's adopted decision approving the board's proposal."""
    body = one(Body, body_id)
    data = loaded(data)
    vote = referenced(Vote, data.get("vote_id"), "vote_id", _("No such decision in this council."))
    seats.approve_body(body, vote, votes.meeting_of_vote(vote))
    return body


@command(Permission.BODIES_MANAGE, takes=DissolutionSchema)
def dissolve_body(body_id: uuid.UUID, data: dict) -> Body:
    """Dissolve an assembly or working group: its seats end, its records stay."""
    body = one(Body, body_id)
    data = loaded(data)
    seats.dissolve_body(body, data["on"], data.get("reason"))
    return body


@command(Permission.BODIES_MANAGE, takes=NewSeatSchema)
def assign_seat(body_id: uuid.UUID, data: dict) -> Seat:
    """Give a member a seat on a body (its role and term), within the statutory caps and parity."""
    body = one(Body, body_id)
    data = loaded(data)
    return seats.assign_seat(body, member_named(data.get("member_id")), data["role"], data["starts_on"], data.get("ends_on"))


@command(Permission.BODIES_MANAGE, takes=EndSeatSchema)
def end_seat(body_id: uuid.UUID, seat_id: uuid.UUID, data: dict) -> Seat:
    """End a seat on a body on a given day, with the reason."""
    seat = one(Seat, seat_id, body_id=body_id)
    data = loaded(data)
    seats.end_seat(seat, data["on"], data.get("reason"))
    return seat


@query(Permission.MEMBERS_VIEW)
def list_participants(body_id: uuid.UUID) -> list[Participant]:
    """A working group's non-member participants, past and present."""
    body = one(Body, body_id)
    return db.session.scalars(select(Participant).where(Participant.body_id == body.id)
                              .order_by(Participant.joined_on, Participant.name)).all()


@command(Permission.BODIES_MANAGE, takes=ParticipantSchema)
def add_participant(body_id: uuid.UUID, data: dict) -> Participant:
    """Someone who is not a member joins a working group (with their consent to being contacted)."""
    body = one(Body, body_id)
    return participants.join(body, loaded(data))


def _participant(body_id: uuid.UUID, participant_id: uuid.UUID) -> Participant:
    return one(Participant, participant_id, body_id=one(Body, body_id).id)


@command(Permission.BODIES_MANAGE, takes=LeaveSchema)
def participant_leaves(body_id: uuid.UUID, participant_id: uuid.UUID, data: dict) -> Participant:
    """A non-member participant leaves a working group."""
    participant = _participant(body_id, participant_id)
    data = loaded(data)
    participants.leave(participant, data["on"])
    return participant


@command(Permission.BODIES_MANAGE)
def erase_participant(body_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Erase a participant's record (KVKK erasure request)."""
    participants.erase(_participant(body_id, participant_id))


@query(Permission.MEMBERS_VIEW)
def body_absences(body_id: uuid.UUID, since: date | None = None, until: date | None = None) -> list[dict]:
    """Who missed the body's meetings (excused or not) in a period — a year back by default — and who is over
    the by-laws' absence limit (the general assembly may then remove them)."""
    until = until or council_today()
    return absences(one(Body, body_id), since or until - timedelta(days=365), until)


@command(Permission.BODIES_MANAGE, takes=JoinSchema)
def join_assembly(body_id: uuid.UUID, data: dict) -> Member:
    """Seat a member of the council as a principal of an assembly (or group) from today."""
    body = one(Body, body_id)
    member = referenced(Member, loaded(data)["member_id"], "member_id", _("Choose a member."))
    seats.assign_seat(body, member, SeatRole.PRINCIPAL, council_today(), None)
    return member
