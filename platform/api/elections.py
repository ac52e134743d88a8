"""Elections of the president, the executive board and facilitators."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.elections import ElectionSchema, RoundOutcomeSchema
from konsey.schemas.sealed import SealedBoxSchema
from konsey.usecases import elections, sealed
from konsey.usecases.base import performs

blp = Blueprint("elections", __name__, url_prefix="/api/v1/councils/<council_slug>/elections",
                description="Elections")


@blp.route("")
class Elections(MethodView):
    @performs(elections.list_elections)
    @blp.response(200, ElectionSchema(many=True))
    def get(self):
        return elections.list_elections()

    @performs(elections.call_election)
    @takes(elections.call_election)
    @blp.response(201, ElectionSchema)
    def post(self, data):
        return elections.call_election(data)


@blp.route("/<uuid:election_id>")
class ElectionDetail(MethodView):
    @performs(elections.show_election)
    @blp.response(200, ElectionSchema)
    def get(self, election_id):
        return elections.show_election(election_id)


@blp.route("/<uuid:election_id>/candidates")
class Candidates(MethodView):
    @performs(elections.stand)
    @takes(elections.stand)
    @blp.response(201, ElectionSchema)
    def post(self, data, election_id):
        """Register a candidate; refused for anyone over the consecutive-term limit."""
        return elections.stand(election_id, data)


@blp.route("/<uuid:election_id>/rounds")
class Rounds(MethodView):
    @performs(elections.count_round)
    @takes(elections.count_round)
    @blp.response(200, RoundOutcomeSchema)
    def post(self, data, election_id):
        """Enter a round's counted ballots (per candidate member id); seats are created when it decides."""
        return elections.count_round(election_id, data)


@blp.route("/<uuid:election_id>/sealed-rounds")
class SealedRounds(MethodView):
    @performs(sealed.hold_sealed_round)
    @takes(sealed.hold_sealed_round)
    @blp.response(201, SealedBoxSchema)
    def post(self, data, election_id):
        """Hold the next round with sealed ballots: the keyholders' phones make its key, members vote from their
        phones (up to as many candidates as seats), the hall on paper; the count, once opened, is the round."""
        return sealed.hold_sealed_round(election_id, data)


@blp.route("/<uuid:election_id>/sealed-rounds/close")
class SealedRoundClose(MethodView):
    @performs(sealed.close_sealed_round)
    @blp.response(200, SealedBoxSchema)
    def post(self, election_id):
        """No more ballots: the board of the open sealed round is frozen and waits for its keyholders."""
        return sealed.close_sealed_round(election_id)


@blp.route("/<uuid:election_id>/sealed-rounds/entry")
class SealedRoundEntry(MethodView):
    @performs(sealed.enter_sealed_round)
    @takes(sealed.enter_sealed_round)
    @blp.response(200, SealedBoxSchema)
    def post(self, data, election_id):
        return sealed.enter_sealed_round(election_id, data)
