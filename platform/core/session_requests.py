"""Requests for an extraordinary general assembly: one third of the members (a by-law parameter) may oblige
the council to convene one. Members sign a request; when the signatures reach the threshold the request is
due, the statutory calendar says so, and it stays due until the secretariat links the extraordinary meeting
it called."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import String, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Conflict, Invalid
from konsey.core.meetings import MeetingKind, eligible_members
from konsey.core.membership import Member
from konsey.core.rules.meetings import extraordinary_session_threshold
from konsey.core.seats import full_membership
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_today


class RequestStatus(enum.StrEnum):
    COLLECTING = "collecting"
    DUE = "due"
    CONVENED = "convened"


class SessionRequest(CouncilOwned, db.Model):
    __tablename__ = "session_requests"

    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[RequestStatus] = mapped_column(enum_of(RequestStatus, 16), default=RequestStatus.COLLECTING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_since: Mapped[datetime | None]
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (same_council_fk("meeting_id", "meetings"),)


class SessionRequestSignature(CouncilOwned, db.Model):
    __tablename__ = "session_request_signatures"

    request_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "request_id", "member_id"),
        same_council_fk("request_id", "session_requests", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def _general_assembly():

    return db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))


def standing(request: SessionRequest, on: date | None = None) -> dict:
    """Signatures so far against the threshold in force (the general assembly's full membership × share)."""

    on = on or council_today()
    bylaws = parameters_on(on)
    signed = db.session.scalar(select(func.count()).select_from(SessionRequestSignature).where(
        SessionRequestSignature.request_id == request.id)) or 0
    needed = extraordinary_session_threshold(full_membership(_general_assembly(), on, bylaws), bylaws)
    return {"signatures": signed, "needed": needed}


def open_request(reason: str) -> SessionRequest:
    if len((reason or "").strip()) < 10:
        raise Invalid({"reason": [_("Say why the extraordinary session is requested.")]})
    request = SessionRequest(reason=reason.strip())
    db.session.add(request)
    db.session.flush()
    record("session_request.opened", request)
    return request


def sign(request: SessionRequest, member: Member) -> dict:

    if request.status is RequestStatus.CONVENED:
        raise Conflict({"request": [_("The extraordinary session has been called already.")]})
    today = council_today()
    if member.id not in eligible_members(_general_assembly(), today, parameters_on(today)):
        raise Invalid({"member_id": [_("Only members with a vote in the general assembly can sign.")]})
    if db.session.scalar(select(SessionRequestSignature.id).where(
            SessionRequestSignature.request_id == request.id, SessionRequestSignature.member_id == member.id)):
        raise Conflict({"member_id": [_("This member has signed already.")]})
    db.session.add(SessionRequestSignature(request_id=request.id, member_id=member.id))
    db.session.flush()
    result = standing(request, today)
    if request.status is RequestStatus.COLLECTING and result["signatures"] >= result["needed"]:
        request.status, request.due_since = RequestStatus.DUE, utcnow()
        record("session_request.due", request, result)
    return result


def convened(request: SessionRequest, meeting) -> None:
    """Link the extraordinary general assembly the secretariat called in answer to the request."""

    if request.status is not RequestStatus.DUE:
        raise Conflict({"request": [_("Only a request with enough signatures is answered by a meeting.")]})
    if meeting.kind is not MeetingKind.EXTRAORDINARY or meeting.body_id != _general_assembly().id:
        raise Invalid({"meeting_id": [_("Give an extraordinary meeting of the general assembly.")]})
    request.status, request.meeting_id = RequestStatus.CONVENED, meeting.id
    record("session_request.convened", request, {"meeting": str(meeting.id)})


def due_requests() -> list[SessionRequest]:
    return db.session.scalars(select(SessionRequest).where(SessionRequest.status == RequestStatus.DUE)).all()
