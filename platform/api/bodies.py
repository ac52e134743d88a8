"""Bodies of the current council and their seats."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.bodies import (
    AbsenceArgs,
    AbsenceSchema,
    BodyDetailSchema,
    BodySchema,
    OnArgs,
    ParticipantSchema,
    SeatSchema,
)
from konsey.usecases import bodies
from konsey.usecases.base import performs

blp = Blueprint("bodies", __name__, url_prefix="/api/v1/councils/<council_slug>/bodies", description="Bodies and seats")


@blp.route("")
class Bodies(MethodView):
    @performs(bodies.list_bodies)
    @blp.response(200, BodySchema(many=True))
    def get(self):
        return bodies.list_bodies()

    @performs(bodies.propose_body)
    @takes(bodies.propose_body)
    @blp.response(201, BodySchema)
    def post(self, data):
        """The executive board proposes an assembly or a working group; it works once the assembly approves."""
        return bodies.propose_body(data)


@blp.route("/<uuid:body_id>")
class BodyDetail(MethodView):
    @performs(bodies.show_body)
    @blp.arguments(OnArgs, location="query")
    @blp.response(200, BodyDetailSchema)
    def get(self, args, body_id):
        """The body on a day (today by default): its seats, full membership and gender parity."""
        return bodies.show_body(body_id, args["on"])


@blp.route("/<uuid:body_id>/seats")
class Seats(MethodView):
    @performs(bodies.assign_seat)
    @takes(bodies.assign_seat)
    @blp.response(201, SeatSchema)
    def post(self, data, body_id):
        return bodies.assign_seat(body_id, data)


@blp.route("/<uuid:body_id>/seats/<uuid:seat_id>/end")
class EndSeat(MethodView):
    @performs(bodies.end_seat)
    @takes(bodies.end_seat)
    @blp.response(200, SeatSchema)
    def post(self, data, body_id, seat_id):
        return bodies.end_seat(body_id, seat_id, data)


@blp.route("/<uuid:body_id>/approval")
class Approval(MethodView):
    @performs(bodies.approve_body)
    @takes(bodies.approve_body)
    @blp.response(200, BodySchema)
    def post(self, data, body_id):
        """Record the general assembly's adopted decision approving the board's proposal."""
        return bodies.approve_body(body_id, data)


@blp.route("/<uuid:body_id>/dissolution")
class Dissolution(MethodView):
    @performs(bodies.dissolve_body)
    @takes(bodies.dissolve_body)
    @blp.response(200, BodySchema)
    def post(self, data, body_id):
        """Dissolve an assembly or working group: its seats end, its records stay."""
        return bodies.dissolve_body(body_id, data)


@blp.route("/<uuid:body_id>/participants")
class Participants(MethodView):
    @performs(bodies.list_participants)
    @blp.response(200, ParticipantSchema(many=True))
    def get(self, body_id):
        """A working group's non-member participants, past and present."""
        return bodies.list_participants(body_id)

    @performs(bodies.add_participant)
    @takes(bodies.add_participant)
    @blp.response(201, ParticipantSchema)
    def post(self, data, body_id):
        """Someone who is not a member joins a working group (with their consent to being contacted)."""
        return bodies.add_participant(body_id, data)


@blp.route("/<uuid:body_id>/participants/<uuid:participant_id>/leave")
class ParticipantLeaves(MethodView):
    @performs(bodies.participant_leaves)
    @takes(bodies.participant_leaves)
    @blp.response(200, ParticipantSchema)
    def post(self, data, body_id, participant_id):
        return bodies.participant_leaves(body_id, participant_id, data)


@blp.route("/<uuid:body_id>/participants/<uuid:participant_id>")
class ParticipantRecord(MethodView):
    @performs(bodies.erase_participant)
    @blp.response(204)
    def delete(self, body_id, participant_id):
        """Erase a participant's record (KVKK erasure request)."""
        bodies.erase_participant(body_id, participant_id)


@blp.route("/<uuid:body_id>/absences")
class BodyAbsences(MethodView):
    @performs(bodies.body_absences)
    @blp.arguments(AbsenceArgs, location="query")
    @blp.response(200, AbsenceSchema(many=True))
    def get(self, args, body_id):
        """Who missed the body's meetings (excused or not) in a period — a year back by default — and who is
        over the by-laws' absence limit (the general assembly may then remove them)."""
        return bodies.body_absences(body_id, args["since"], args["until"])
