"""Motions to the municipal council and their follow-up."""

from __future__ import annotations

import uuid
from datetime import date

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core import motions
from konsey.core.meetings import Vote
from konsey.core.motions import Motion, MotionStatus, MunicipalAnswer
from konsey.core.permissions import Permission, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("motions", __name__, url_prefix="/api/v1/councils/<council_slug>/motions", description="Motions")


class MotionSchema(Schema):
    id = fields.UUID()
    number = fields.Integer()
    title = fields.String()
    text = fields.String()
    decision_number = fields.String()
    status = fields.Enum(MotionStatus, by_value=True)
    adopted_at = fields.DateTime()
    delivered_on = fields.Date(allow_none=True)
    answer_due = fields.Function(lambda m: motions.answer_due(m.delivered_on).isoformat() if m.delivered_on else None)
    overdue = fields.Function(lambda m: motions.is_overdue(m.status, m.delivered_on, date.today()))
    answer = fields.Enum(MunicipalAnswer, by_value=True, allow_none=True)
    answer_text = fields.String(allow_none=True)
    municipal_decision_date = fields.String(allow_none=True)
    municipal_decision_number = fields.String(allow_none=True)


class NewMotionSchema(StrictSchema):
    vote_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    text = fields.String(required=True, validate=validate.Length(min=3, max=20000))


class StatusSchema(StrictSchema):
    status = fields.Enum(MotionStatus, by_value=True, required=True)
    delivered_on = fields.Date(load_default=None)


class AnswerSchema(StrictSchema):
    answer = fields.Enum(MunicipalAnswer, by_value=True, required=True)
    text = fields.String(load_default=None, validate=validate.Length(max=20000))
    municipal_decision_date = fields.String(load_default=None, validate=validate.Length(max=40))
    municipal_decision_number = fields.String(load_default=None, validate=validate.Length(max=60))


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
