"""Motions to the municipal council and their follow-up."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core import motions
from konsey.core.meetings import Vote
from konsey.core.motions import Motion
from konsey.core.permissions import Permission, requires
from konsey.schemas.motions import AnswerSchema, MotionSchema, NewMotionSchema, StatusSchema  # noqa: F401
from konsey.tenants.db import db

blp = Blueprint("motions", __name__, url_prefix="/api/v1/councils/<council_slug>/motions", description="Motions")










def motion_or_404(motion_id: uuid.UUID) -> Motion:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Motion, id=motion_id)


@blp.route("")
class Motions(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, MotionSchema(many=True))
    def get(self):
        """Every motion with its status, due date and whether it is overdue."""
        return db.session.scalars(select(Motion).order_by(Motion.number.desc())).all()

    @requires(Permission.MOTIONS_MANAGE)
    @blp.arguments(NewMotionSchema)
    @blp.response(201, MotionSchema)
    def post(self, data):
        """Make an adopted decision a motion to the municipal council (queued for delivery)."""
        vote = db.session.scalar(select(Vote).where(Vote.id == data["vote_id"]))
        if vote is None:
            raise ValidationError({"vote_id": [_("No such decision in this council.")]})
        motion = motions.adopt(vote, data["title"], data["text"])
        db.session.commit()
        return motion


@blp.route("/<uuid:motion_id>/status")
class Status(MethodView):
    @requires(Permission.MOTIONS_MANAGE)
    @blp.arguments(StatusSchema)
    @blp.response(200, MotionSchema)
    def post(self, data, motion_id):
        motion = motion_or_404(motion_id)
        motions.advance(motion, data["status"], delivered_on=data["delivered_on"])
        db.session.commit()
        return motion


@blp.route("/<uuid:motion_id>/answer")
class Answer(MethodView):
    @requires(Permission.MOTIONS_MANAGE)
    @blp.arguments(AnswerSchema)
    @blp.response(200, MotionSchema)
    def post(self, data, motion_id):
        """Record the municipal council's answer, with its own decision date and number as it gives them."""
        motion = motion_or_404(motion_id)
        motions.record_answer(motion, data["answer"], data["text"], data["municipal_decision_date"],
                              data["municipal_decision_number"])
        db.session.commit()
        return motion
