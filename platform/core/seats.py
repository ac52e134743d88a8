"""Seats: who sits in which body, in which role, for which term.

The general assembly has no seats: all active members belong to it (individual members only where the
by-laws give them a vote). Every other body's full membership is its voting seats on a given day;
substitutes are not part of it, but a substitute standing in for an absent principal fills that seat
(for quorum and votes) — see ``konsey.core.meetings.filled_seats``.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, String, Uuid, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind, BodyStatus
from konsey.core.errors import Conflict, Invalid
from konsey.core.membership import (
    GROUP_SEAT_CATEGORIES,
    Member,
    MemberCategory,
    MemberKind,
    MemberStatus,
    change_status,
    next_member_no,
)
from konsey.core.plugins import collect, council_hooks
from konsey.core.rules.meetings import board_composition_problems
from konsey.core.rules.membership import general_assembly_full_membership
from konsey.core.rules.parity import parity_met
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow


class SeatRole(enum.StrEnum):
    CHAIR = "chair"
    FACILITATOR = "facilitator"
    PRINCIPAL = "principal"
    SUBSTITUTE = "substitute"
    EX_OFFICIO = "ex_officio"


VOTING_ROLES = frozenset({SeatRole.CHAIR, SeatRole.FACILITATOR, SeatRole.PRINCIPAL, SeatRole.EX_OFFICIO})


class Seat(CouncilOwned, db.Model):
    __tablename__ = "seats"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    role: Mapped[SeatRole] = mapped_column(enum_of(SeatRole, 16))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship(
        primaryjoin="and_(foreign(Seat.council_id) == Member.council_id, foreign(Seat.member_id) == Member.id)",
        viewonly=True,
    )

    __council_table_args__ = (
        db.Index("ix_seats_council_body", "council_id", "body_id", "starts_on"),
        same_council_fk("body_id", "bodies"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def seats_on(body: Body, day: date) -> list[Seat]:
    return db.session.scalars(
        select(Seat)
        .where(Seat.body_id == body.id, Seat.starts_on <= day, or_(Seat.ends_on.is_(None), Seat.ends_on >= day))
        .order_by(Seat.role, Seat.starts_on)
        .options(selectinload(Seat.member))
    ).all()


def full_membership(body: Body, day: date, bylaws: dict) -> int:
    """The body's full membership on ``day``: the base of its meeting quorum."""
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        counts = {(kind, group): n for kind, group, n in db.session.execute(
            select(Member.kind, Member.group_body_id.is_not(None), func.count(Member.id))
            .where(Member.status == MemberStatus.ACTIVE).group_by(Member.kind, Member.group_body_id.is_not(None)))}
        return general_assembly_full_membership(
            counts.get((MemberKind.INDIVIDUAL, False), 0), counts.get((MemberKind.INSTITUTIONAL, False), 0),
            counts.get((MemberKind.INSTITUTIONAL, True), 0), bylaws["individual_members_vote_in_general_assembly"])
    return sum(1 for seat in seats_on(body, day) if seat.role in VOTING_ROLES)


def body_parity(body: Body, day: date, bylaws: dict) -> dict:
    """Women and men among the voting seats against the parity share (decision bodies)."""
    genders = [s.member.gender.value if s.member.gender else None for s in seats_on(body, day) if s.role in VOTING_ROLES]
    return {
        "seats": len(genders),
        "women": sum(g == "female" for g in genders),
        "men": sum(g == "male" for g in genders),
        "share_required": bylaws["gender_parity_share"],
        "met": parity_met(genders, bylaws) if genders else True,
    }


def board_composition(day: date, bylaws: dict) -> dict:
    """The executive board on ``day`` against the statute: its size, the minimum, the assemblies (among those
    the by-laws name) that exist and whose president does not sit on the board, and the problems as codes."""
    board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    on_board = {seat.member_id for seat in seats_on(board, day)} if board is not None else set()
    size = full_membership(board, day, bylaws) if board is not None else 0
    missing = []
    for assembly in db.session.scalars(select(Body).where(
            Body.status == BodyStatus.ACTIVE,
            Body.type_code.in_(list(bylaws.get("executive_board_ex_officio_assemblies") or [])))):
        presidents = {seat.member_id for seat in seats_on(assembly, day) if seat.role is SeatRole.CHAIR}
        if not presidents & on_board:
            missing.append(assembly)
    minimum = bylaws["executive_board_min_size"]
    return {"size": size, "minimum": minimum, "missing_presidents": missing,
            "problems": board_composition_problems(size, minimum, [a.type_code for a in missing])}


def assign_seat(body: Body, member: Member, role: SeatRole, starts_on: date, ends_on: date | None) -> Seat:
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        raise Invalid({"body": [_("Every active member sits in the general assembly; it has no seats.")]})
    if member.status is not MemberStatus.ACTIVE:
        raise Invalid({"member_id": [_("Only an active member can take a seat.")]})
    if ends_on is not None and ends_on < starts_on:
        raise Invalid({"ends_on": [_("A seat cannot end before it starts.")]})
    overlapping = db.session.scalar(
        select(Seat.id).where(
            Seat.body_id == body.id, Seat.member_id == member.id,
            or_(Seat.ends_on.is_(None), Seat.ends_on >= starts_on),
            *([Seat.starts_on <= ends_on] if ends_on else []),
        )
    )
    if overlapping is not None:
        raise Conflict({"member_id": [_("This member already holds a seat in this body then.")]})
    hooks = council_hooks().hook
    refusals = collect(hooks.konsey_membership_eligibility(body=body, member=member, on=starts_on))
    if refusals:
        raise Invalid({"member_id": [str(reason) for reason in refusals]})
    seat = Seat(body_id=body.id, member_id=member.id, role=role, starts_on=starts_on, ends_on=ends_on)
    db.session.add(seat)
    db.session.flush()
    hooks.konsey_seat_assigned(body=body, seat=seat)
    record("seat.assigned", seat, {"body": str(body.id), "member": str(member.id), "role": role.value,
                                   "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None})
    return seat


def end_seat(seat: Seat, on: date, reason: str) -> None:
    if on < seat.starts_on:
        raise Invalid({"on": [_("A seat cannot end before it starts.")]})
    if seat.ends_on is not None and seat.ends_on < on:
        raise Conflict({"on": [_("This seat has already ended.")]})
    seat.ends_on, seat.end_reason = on, reason
    # The reason stays on the seat (erasure clears it with the member); the chain keeps only that one was given.
    record("seat.ended", seat, {"on": on.isoformat(), "reason_given": bool(reason)})


def approve_body(body: Body, vote, meeting) -> None:
    """The general assembly's adopted decision (``vote``, taken at ``meeting``) approves the board's proposal."""
    if body.status is not BodyStatus.PROPOSED:
        raise Conflict({"body": [_("Only a proposed body can be approved.")]})
    general_assembly = db.session.get(Body, meeting.body_id)
    if general_assembly.kind is not BodyKind.GENERAL_ASSEMBLY or vote.outcome != "adopted":
        raise Invalid({"vote_id": [_("Give an adopted decision of the general assembly.")]})
    body.status, body.approved_decision, body.approved_on = BodyStatus.ACTIVE, vote.decision_number, meeting.day
    record("body.approved", body, {"decision_number": vote.decision_number})
    open_group_seat(body, meeting.day)


def group_seat(body: Body) -> Member | None:
    """The general-assembly seat an assembly or working group holds (rule 5), or None."""
    return db.session.scalar(select(Member).where(Member.group_body_id == body.id))


def open_group_seat(body: Body, on: date) -> Member:
    """Rule 5: an approved assembly or working group sends one representative to the general assembly. Its seat
    is a member of the council held by the group — counted in the general assembly's full membership whatever the
    by-laws say of individual members — and the group's representative attends it under a mandate, as an
    institution's does (``konsey.core.representatives``)."""
    if (existing := group_seat(body)) is not None:
        return existing
    category = (MemberCategory.ASSEMBLY_REPRESENTATIVE if body.kind is BodyKind.ASSEMBLY
                else MemberCategory.WORKING_GROUP_REPRESENTATIVE)
    assert category in GROUP_SEAT_CATEGORIES
    seat = Member(member_no=next_member_no(), kind=MemberKind.INSTITUTIONAL, category=category, name=body.name,
                  joined_on=on, group_body_id=body.id)
    db.session.add(seat)
    db.session.flush()
    record("member.added", seat, {"member_no": seat.member_no, "category": category.value, "group": str(body.id)})
    return seat


def dissolve_body(body: Body, on: date, reason: str) -> None:
    """Close an assembly or working group: its seats end; its records stay."""
    if body.kind in (BodyKind.GENERAL_ASSEMBLY, BodyKind.EXECUTIVE_BOARD):
        raise Invalid({"body": [_("The general assembly and the executive board cannot be dissolved.")]})
    if body.status is BodyStatus.DISSOLVED:
        raise Conflict({"body": [_("This body is already dissolved.")]})
    for seat in seats_on(body, on):
        if seat.ends_on is None or seat.ends_on > on:
            seat.ends_on, seat.end_reason = on, reason
    body.status = BodyStatus.DISSOLVED
    record("body.dissolved", body, {"on": on.isoformat(), "reason_given": bool(reason)})
    seat = group_seat(body)
    if seat is not None and seat.status is not MemberStatus.ENDED:
        # The group's general-assembly seat goes with it: the full membership drops by one.
        change_status(seat, MemberStatus.ENDED, _("The group was dissolved."), on)


def require_working(body: Body, field: str = "body_id") -> None:
    """Refuse work (meetings, elections, reports) for a body the assembly has not approved, or dissolved."""
    if body.status is BodyStatus.PROPOSED:
        raise Conflict({field: [_("The general assembly has not approved this body yet.")]})
    if body.status is BodyStatus.DISSOLVED:
        raise Conflict({field: [_("This body is dissolved.")]})
