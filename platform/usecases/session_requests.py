"""Requests for an extraordinary general assembly: opened, signed by members, answered by a meeting."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import session_requests
from konsey.core.meetings import Meeting, MeetingKind
from konsey.core.membership import Member, MemberStatus
from konsey.core.permissions import Permission
from konsey.core.session_requests import SessionRequest
from konsey.schemas.session_requests import MeetingLinkSchema, NewRequestSchema, SignatureSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, one, query, referenced


@query(Permission.COUNCIL_VIEW)
def list_requests() -> list[SessionRequest]:
    """Requests for an extraordinary session, with their signatures."""
    return db.session.scalars(select(SessionRequest).order_by(SessionRequest.created_at.desc())).all()


@query(Permission.COUNCIL_VIEW)
def requests_page() -> dict:
    rows = list_requests()
    members = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                 .order_by(Member.sort_name)).all()
    extraordinary = db.session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.EXTRAORDINARY)
                                       .order_by(Meeting.scheduled_at.desc()).limit(50)).all()
    return {"rows": rows, "members": members, "standing": {r.id: session_requests.standing(r) for r in rows},
            "meetings": extraordinary}


@command(Permission.MEETINGS_RUN, takes=NewRequestSchema)
def open_request(data: dict) -> SessionRequest:
    """Record a request for an extraordinary general assembly (signatures follow)."""
    data = loaded(data)
    return session_requests.open_request(data.get("reason", ""))


@command(Permission.MEETINGS_RUN, takes=SignatureSchema)
def sign_request(request_id: uuid.UUID, data: dict) -> SessionRequest:
    """Record a member's signature (from the signed paper or the desk); the request is due at the threshold."""
    request = one(SessionRequest, request_id)
    data = loaded(data)
    member = referenced(Member, data.get("member_id"), "member_id", _("No such member in this council."))
    session_requests.sign(request, member)
    return request


@command(Permission.MEETINGS_RUN, takes=MeetingLinkSchema)
def request_convened(request_id: uuid.UUID, data: dict) -> SessionRequest:
    """Link the extraordinary general assembly called in answer to the request."""
    request = one(SessionRequest, request_id)
    data = loaded(data)
    meeting = referenced(Meeting, data.get("meeting_id"), "meeting_id", _("No such meeting in this council."))
    session_requests.convened(request, meeting)
    return request
