"""Schemas of motions: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, fields, validate

from konsey.core import motions
from konsey.core.motions import MotionStatus, MunicipalAnswer
from konsey.schemas.base import Day, StrictSchema


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
    municipal_decision_date = Day(load_default=None)  # a real date, never free text
    municipal_decision_number = fields.String(load_default=None, validate=validate.Length(max=60))

