"""Elections of the president, the executive board and facilitators."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.api.bodies import body_or_404
from konsey.core import elections
from konsey.core.elections import Election
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.schemas.elections import CandidateSchema, ElectionSchema, NewElectionSchema, RoundSchema  # noqa: F401
from konsey.tenants.db import db

blp = Blueprint("elections", __name__, url_prefix="/api/v1/councils/<council_slug>/elections",
                description="Elections")










def election_or_404(election_id: uuid.UUID) -> Election:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Election, id=election_id)


@blp.route("")
class Elections(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, ElectionSchema(many=True))
    def get(self):
        return db.session.scalars(select(Election).order_by(Election.created_at.desc())).all()

    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(NewElectionSchema)
    @blp.response(201, ElectionSchema)
    def post(self, data):
        election = elections.call_election(body_or_404(data["electing_body_id"]), body_or_404(data["target_body_id"]),
                                           data["office"], data["seats"], data["term_start"], data["term_index"])
        db.session.commit()
        return election


@blp.route("/<uuid:election_id>")
class ElectionDetail(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, ElectionSchema)
    def get(self, election_id):
        return election_or_404(election_id)


@blp.route("/<uuid:election_id>/candidates")
class Candidates(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(CandidateSchema)
    @blp.response(201, ElectionSchema)
    def post(self, data, election_id):
        """Register a candidate; refused for anyone over the consecutive-term limit."""
        election = election_or_404(election_id)
        member = db.session.scalar(select(Member).where(Member.id == data["member_id"]))
        if member is None:
            raise ValidationError({"member_id": [_("No such member in this council.")]})
        elections.stand(election, member)
        db.session.commit()
        return election


@blp.route("/<uuid:election_id>/rounds")
class Rounds(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(RoundSchema)
    @blp.response(200)
    def post(self, data, election_id):
        """Enter a round's counted ballots (per candidate member id); seats are created when it decides."""
        election = election_or_404(election_id)
        outcome = elections.count(election, data["votes"], chair_choice=data["chair_choice"])
        db.session.commit()
        return outcome
