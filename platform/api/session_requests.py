"""Requests for an extraordinary general assembly, and their signatures."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core import session_requests
from konsey.core.meetings import Meeting
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.core.session_requests import RequestStatus, SessionRequest
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("session_requests", __name__, url_prefix="/api/v1/councils/<council_slug>/session-requests",
                description="Requests for an extraordinary general assembly")


class RequestSchema(Schema):
    id = fields.UUID()
    reason = fields.String()
    status = fields.Enum(RequestStatus, by_value=True)
    created_at = fields.DateTime()
    due_since = fields.DateTime(allow_none=True)
    meeting_id = fields.UUID(allow_none=True)
    standing = fields.Function(session_requests.standing)


class NewRequestSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class SignatureSchema(StrictSchema):
    member_id = fields.UUID(required=True)


class MeetingLinkSchema(StrictSchema):
    meeting_id = fields.UUID(required=True)


@blp.route("")
class Requests(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, RequestSchema(many=True))
    def get(self):
        return db.session.scalars(select(SessionRequest).order_by(SessionRequest.created_at.desc())).all()

    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(NewRequestSchema)
    @blp.response(201, RequestSchema)
    def post(self, data):
        """Record a request for an extraordinary general assembly (signatures follow)."""
        request = session_requests.open_request(data["reason"])
        db.session.commit()
        return request


@blp.route("/<uuid:request_id>/signatures")
class Signatures(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(SignatureSchema)
    @blp.response(200, RequestSchema)
    def post(self, data, request_id):
        """Record a member's signature (from the signed paper or the desk); the request is due at the threshold."""
        request = one_or_404(SessionRequest, id=request_id)
        member = db.session.scalar(select(Member).where(Member.id == data["member_id"]))
        if member is None:
            raise ValidationError({"member_id": [_("No such member in this council.")]})
        session_requests.sign(request, member)
        db.session.commit()
        return request


@blp.route("/<uuid:request_id>/meeting")
class Convened(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(MeetingLinkSchema)
    @blp.response(200, RequestSchema)
    def post(self, data, request_id):
        """Link the extraordinary general assembly called in answer to the request."""
        request = one_or_404(SessionRequest, id=request_id)
        meeting = db.session.scalar(select(Meeting).where(Meeting.id == data["meeting_id"]))
        if meeting is None:
            raise ValidationError({"meeting_id": [_("No such meeting in this council.")]})
        session_requests.convened(request, meeting)
        db.session.commit()
        return request
