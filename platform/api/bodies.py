"""Bodies of the current council and their seats."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core import bylaws as bylaw_profiles
from konsey.core import participants
from konsey.core.bodies import Body, BodyKind
from konsey.core.meetings import Vote
from konsey.core.membership import Member
from konsey.core.participants import Participant
from konsey.core.permissions import Permission, requires
from konsey.core.seats import (
    Seat,
    approve_body,
    assign_seat,
    body_parity,
    create_body,
    dissolve_body,
    end_seat,
    full_membership,
    seats_on,
)
from konsey.schemas.bodies import (  # noqa: F401
    AbsenceArgs,
    AbsenceSchema,
    ApprovalSchema,
    BodyDetailSchema,
    BodySchema,
    DissolutionSchema,
    EndSeatSchema,
    LeaveSchema,
    NewBodySchema,
    NewSeatSchema,
    OnArgs,
    ParticipantSchema,
    SeatSchema,
)
from konsey.tenants.db import db

blp = Blueprint("bodies", __name__, url_prefix="/api/v1/councils/<council_slug>/bodies", description="Bodies and seats")
























def body_or_404(body_id: uuid.UUID) -> Body:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Body, id=body_id)


@blp.route("")
class Bodies(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, BodySchema(many=True))
    def get(self):
        order = list(BodyKind)
        return sorted(db.session.scalars(select(Body)), key=lambda b: (order.index(b.kind), b.name))

    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(NewBodySchema)
    @blp.response(201, BodySchema)
    def post(self, data):
        """The executive board proposes an assembly or a working group; it works once the assembly approves."""
        body = create_body(data["kind"], data["name"], data["proposal"])
        db.session.commit()
        return body


@blp.route("/<uuid:body_id>")
class BodyDetail(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.arguments(OnArgs, location="query")
    @blp.response(200, BodyDetailSchema)
    def get(self, args, body_id):
        """The body on a day (today by default): its seats, full membership and gender parity."""
        body = body_or_404(body_id)
        day = args["on"] or date.today()
        bylaws = bylaw_profiles.parameters_on(day)
        return {"id": body.id, "kind": body.kind, "name": body.name, "on": day, "status": body.status,
                "proposal": body.proposal, "approved_decision": body.approved_decision,
                "approved_on": body.approved_on,
                "full_membership": full_membership(body, day, bylaws), "parity": body_parity(body, day, bylaws),
                "seats": seats_on(body, day)}


@blp.route("/<uuid:body_id>/seats")
class Seats(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(NewSeatSchema)
    @blp.response(201, SeatSchema)
    def post(self, data, body_id):
        body = body_or_404(body_id)
        member = db.session.scalar(select(Member).where(Member.id == data["member_id"]))
        if member is None:
            raise ValidationError({"member_id": [_("No such member in this council.")]})
        seat = assign_seat(body, member, data["role"], data["starts_on"], data["ends_on"])
        db.session.commit()
        return seat


@blp.route("/<uuid:body_id>/seats/<uuid:seat_id>/end")
class EndSeat(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(EndSeatSchema)
    @blp.response(200, SeatSchema)
    def post(self, data, body_id, seat_id):
        seat = db.session.scalar(select(Seat).where(Seat.id == seat_id, Seat.body_id == body_id))
        if seat is None:
            abort(404)
        end_seat(seat, data["on"], data["reason"])
        db.session.commit()
        return seat


@blp.route("/<uuid:body_id>/approval")
class Approval(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(ApprovalSchema)
    @blp.response(200, BodySchema)
    def post(self, data, body_id):
        """Record the general assembly's adopted decision approving the board's proposal."""
        body = body_or_404(body_id)
        vote = db.session.scalar(select(Vote).where(Vote.id == data["vote_id"]))
        if vote is None:
            raise ValidationError({"vote_id": [_("No such decision in this council.")]})
        approve_body(body, vote)
        db.session.commit()
        return body


@blp.route("/<uuid:body_id>/dissolution")
class Dissolution(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(DissolutionSchema)
    @blp.response(200, BodySchema)
    def post(self, data, body_id):
        """Dissolve an assembly or working group: its seats end, its records stay."""
        body = body_or_404(body_id)
        dissolve_body(body, data["on"], data["reason"])
        db.session.commit()
        return body


@blp.route("/<uuid:body_id>/participants")
class Participants(MethodView):
    @requires(Permission.MEMBERS_VIEW)
    @blp.response(200, ParticipantSchema(many=True))
    def get(self, body_id):
        """A working group's non-member participants, past and present."""
        body = body_or_404(body_id)
        return db.session.scalars(select(Participant).where(Participant.body_id == body.id)
                                  .order_by(Participant.joined_on, Participant.name)).all()

    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(ParticipantSchema)
    @blp.response(201, ParticipantSchema)
    def post(self, data, body_id):
        """Someone who is not a member joins a working group (with their consent to being contacted)."""
        participant = participants.join(body_or_404(body_id), data)
        db.session.commit()
        return participant


def participant_or_404(body_id: uuid.UUID, participant_id: uuid.UUID) -> Participant:
    return one_or_404(Participant, id=participant_id, body_id=body_or_404(body_id).id)


@blp.route("/<uuid:body_id>/participants/<uuid:participant_id>/leave")
class ParticipantLeaves(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(LeaveSchema)
    @blp.response(200, ParticipantSchema)
    def post(self, data, body_id, participant_id):
        participant = participant_or_404(body_id, participant_id)
        participants.leave(participant, data["on"])
        db.session.commit()
        return participant


@blp.route("/<uuid:body_id>/participants/<uuid:participant_id>")
class ParticipantRecord(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.response(204)
    def delete(self, body_id, participant_id):
        """Erase a participant's record (KVKK erasure request)."""
        participants.erase(participant_or_404(body_id, participant_id))
        db.session.commit()
        return None






@blp.route("/<uuid:body_id>/absences")
class BodyAbsences(MethodView):
    @requires(Permission.MEMBERS_VIEW)
    @blp.arguments(AbsenceArgs, location="query")
    @blp.response(200, AbsenceSchema(many=True))
    def get(self, args, body_id):
        """Who missed the body's meetings (excused or not) in a period — a year back by default — and who is
        over the by-laws' absence limit (the general assembly may then remove them)."""
        from datetime import timedelta

        from konsey.core.meetings import absences

        until = args["until"] or date.today()
        return absences(body_or_404(body_id), args["since"] or until - timedelta(days=365), until)
