"""Meetings: call with notice, check people in and out, watch quorum, vote, number decisions."""

from __future__ import annotations

import uuid

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.api.bodies import body_or_404
from konsey.core import meetings
from konsey.core.db import db
from konsey.core.meetings import AgendaItem, Choice, Meeting, MeetingKind, MeetingStatus, Vote, VoteKind
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.core.schemas import StrictSchema

blp = Blueprint("meetings", __name__, url_prefix="/api/v1/councils/<council_slug>/meetings", description="Meetings")


class NewMeetingSchema(StrictSchema):
    body_id = fields.UUID(required=True)
    kind = fields.Enum(MeetingKind, by_value=True, load_default=MeetingKind.ORDINARY)
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    scheduled_at = fields.AwareDateTime(required=True)
    location = fields.String(load_default=None, validate=validate.Length(max=300))
    agenda = fields.List(fields.String(validate=validate.Length(min=2, max=300)), load_default=list)
    reconvened = fields.Boolean(load_default=False)


class AgendaItemSchema(Schema):
    id = fields.UUID()
    position = fields.Integer()
    title = fields.String()


class MeetingSchema(Schema):
    id = fields.UUID()
    body_id = fields.UUID()
    kind = fields.Enum(MeetingKind, by_value=True)
    title = fields.String()
    location = fields.String(allow_none=True)
    scheduled_at = fields.DateTime()
    called_at = fields.DateTime()
    reconvened = fields.Boolean()
    status = fields.Enum(MeetingStatus, by_value=True)


class MeetingDetailSchema(MeetingSchema):
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    quorum = fields.Dict()


class AttendanceSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    online = fields.Boolean(load_default=False)
    representative_id = fields.UUID(load_default=None)  # required for an institutional member
    stands_in_for_id = fields.UUID(load_default=None)  # a substitute filling an absent principal's seat


class OpenVoteSchema(StrictSchema):
    agenda_item_id = fields.UUID(required=True)
    kind = fields.Enum(VoteKind, by_value=True, load_default=VoteKind.OPEN)


class BallotSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    choice = fields.Enum(Choice, by_value=True, required=True)


class CloseVoteSchema(StrictSchema):
    chair_vote = fields.String(load_default=None, validate=validate.OneOf(["yes", "no"]))


class VoteSchema(Schema):
    id = fields.UUID()
    agenda_item_id = fields.UUID()
    kind = fields.Enum(VoteKind, by_value=True)
    present = fields.Integer()
    yes = fields.Integer()
    no = fields.Integer()
    abstain = fields.Integer()
    outcome = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    lot_seed = fields.Integer(allow_none=True)
    decision_number = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


def meeting_or_404(meeting_id: uuid.UUID) -> Meeting:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Meeting, id=meeting_id)


def member_of_council(member_id: uuid.UUID) -> Member:
    member = db.session.scalar(select(Member).where(Member.id == member_id))
    if member is None:
        raise ValidationError({"member_id": [_("No such member in this council.")]})
    return member


def _detail(meeting: Meeting) -> dict:
    body = body_or_404(meeting.body_id)
    agenda = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)).all()
    fields_of_meeting = {name: getattr(meeting, name) for name in MeetingSchema().fields}
    return {**fields_of_meeting, "agenda": agenda, "quorum": meetings.quorum_status(meeting, body)}


@blp.route("")
class Meetings(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, MeetingSchema(many=True))
    def get(self):
        return db.session.scalars(select(Meeting).order_by(Meeting.scheduled_at.desc())).all()

    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(NewMeetingSchema)
    @blp.response(201, MeetingSchema)
    def post(self, data):
        """Call a meeting of a body, with its agenda; the by-laws' notice period applies."""
        body = body_or_404(data["body_id"])
        meeting = meetings.schedule(body, data["kind"], data["title"], data["scheduled_at"], data["location"],
                                    data["agenda"], reconvened=data["reconvened"])
        db.session.commit()
        return meeting


@blp.route("/<uuid:meeting_id>")
class MeetingDetail(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, MeetingDetailSchema)
    def get(self, meeting_id):
        """The meeting with its agenda and live quorum."""
        return _detail(meeting_or_404(meeting_id))


@blp.route("/<uuid:meeting_id>/attendance")
class Attendance(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(AttendanceSchema)
    @blp.response(200, MeetingDetailSchema)
    def post(self, data, meeting_id):
        """Check a member in (in person or online); the answer carries the quorum now."""
        meeting = meeting_or_404(meeting_id)
        meetings.check_in(meeting, member_of_council(data["member_id"]), online=data["online"],
                          representative_id=data["representative_id"], stands_in_for_id=data["stands_in_for_id"])
        db.session.commit()
        return _detail(meeting)


@blp.route("/<uuid:meeting_id>/attendance/<uuid:member_id>")
class Departure(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.response(200, MeetingDetailSchema)
    def delete(self, meeting_id, member_id):
        """A member leaves; the quorum is recounted."""
        meeting = meeting_or_404(meeting_id)
        meetings.check_out(meeting, member_of_council(member_id))
        db.session.commit()
        return _detail(meeting)


@blp.route("/<uuid:meeting_id>/votes")
class Votes(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, VoteSchema(many=True))
    def get(self, meeting_id):
        meeting = meeting_or_404(meeting_id)
        return db.session.scalars(
            select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
            .where(AgendaItem.meeting_id == meeting.id).order_by(Vote.opened_at)).all()

    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(OpenVoteSchema)
    @blp.response(201, VoteSchema)
    def post(self, data, meeting_id):
        """Open a vote on an agenda item; refused without quorum."""
        meeting = meeting_or_404(meeting_id)
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == data["agenda_item_id"],
                                                          AgendaItem.meeting_id == meeting.id))
        if item is None:
            raise ValidationError({"agenda_item_id": [_("No such item on this meeting's agenda.")]})
        vote = meetings.open_vote(meeting, body_or_404(meeting.body_id), item, data["kind"])
        db.session.commit()
        return vote


def _vote_of(meeting: Meeting, vote_id: uuid.UUID) -> Vote:
    vote = db.session.scalar(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                             .where(Vote.id == vote_id, AgendaItem.meeting_id == meeting.id))
    if vote is None:
        abort(404)
    return vote


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/ballots")
class Ballots(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(BallotSchema)
    @blp.response(204)
    def post(self, data, meeting_id, vote_id):
        """Record a present member's vote (the secretariat enters open and roll-call votes; a secret ballot
        records only that the member voted)."""
        meeting = meeting_or_404(meeting_id)
        vote = _vote_of(meeting, vote_id)
        meetings.cast(vote, meeting, body_or_404(meeting.body_id), member_of_council(data["member_id"]),
                      data["choice"])
        db.session.commit()


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/close")
class CloseVote(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(CloseVoteSchema)
    @blp.response(200, VoteSchema)
    def post(self, data, meeting_id, vote_id):
        """Close and count: the verdict by the by-laws of the meeting's day, and the decision number."""
        meeting = meeting_or_404(meeting_id)
        vote = _vote_of(meeting, vote_id)
        meetings.close_vote(vote, meeting, body_or_404(meeting.body_id), chair_vote=data["chair_vote"])
        db.session.commit()
        return vote


@blp.route("/<uuid:meeting_id>/minutes.pdf")
class Minutes(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, content_type="application/pdf")
    def get(self, meeting_id):
        """The minutes (tutanak) as a PDF, made from the record."""
        from flask import Response

        from konsey.core.minutes import build_minutes

        meeting = meeting_or_404(meeting_id)
        return Response(build_minutes(meeting), mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="tutanak-{meeting.id}.pdf"'})


@blp.route("/<uuid:meeting_id>/close")
class CloseMeeting(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.response(200, MeetingSchema)
    def post(self, meeting_id):
        meeting = meeting_or_404(meeting_id)
        meetings.close_meeting(meeting)
        db.session.commit()
        return meeting


class ExcuseSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    reason = fields.String(required=True)


@blp.route("/<uuid:meeting_id>/absences")
class Absences(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(ExcuseSchema)
    @blp.response(201)
    def post(self, data, meeting_id):
        """Record that a member with a vote was absent with an excuse the body accepted."""
        meeting = meeting_or_404(meeting_id)
        absence = meetings.excuse(meeting, member_of_council(data["member_id"]), data["reason"])
        db.session.commit()
        return {"id": str(absence.id), "member_id": str(absence.member_id), "reason": absence.reason}
