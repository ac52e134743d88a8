"""Schemas of motions: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core import motions
from konsey.core.follow_up import MilestoneState
from konsey.core.motions import MotionStatus, MunicipalAnswer
from konsey.core.municipal_calendar import MunicipalMeetingKind
from konsey.schemas.base import Day, StrictSchema
from konsey.tenants.models import council_today


class MotionSchema(Schema):
    id = fields.UUID()
    number = fields.Integer()
    title = fields.String()
    text = fields.String()
    decision_number = fields.String()
    status = fields.Enum(MotionStatus, by_value=True)
    adopted_at = fields.DateTime()
    delivered_on = fields.Date(allow_none=True)
    answer_due = fields.Function(lambda m: due.isoformat() if (due := motions.answer_due(m)) else None,
                                 allow_none=True,
                                 metadata={"format": "date", "description": "The municipal council's first meeting the motion can "
                                                          "reach (Law 5393 art. 76 and 20), or an estimate."})
    answer_due_estimated = fields.Boolean(metadata={"description": "True while no municipal council meeting is "
                                                                   "recorded that far: the due date is estimated."})
    overdue = fields.Function(lambda m: motions.is_overdue(m, council_today()), metadata={"type": "boolean"})
    answer = fields.Enum(MunicipalAnswer, by_value=True, allow_none=True)
    answer_text = fields.String(allow_none=True)
    municipal_decision_date = fields.Date(attribute="municipal_decided_on", allow_none=True,
                                          metadata={"description": "The municipal council's decision's real date."})
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



class MunicipalMeetingSchema(StrictSchema):
    """A meeting of the municipal council (belediye meclisi), which sets when the answers are due."""

    id = fields.UUID(dump_only=True)
    held_on = Day(required=True, metadata={"description": "The day of the meeting (dd.mm.yyyy or yyyy-mm-dd)."})
    kind = fields.Enum(MunicipalMeetingKind, by_value=True, load_default=MunicipalMeetingKind.REGULAR)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class RegularMeetingsSchema(StrictSchema):
    """A year's regular monthly meetings (Law 5393 art. 20): a day of the month, or the n-th weekday."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    day_of_month = fields.Integer(load_default=None, validate=validate.Range(min=1, max=28))
    weekday = fields.Integer(load_default=None, validate=validate.Range(min=0, max=6),
                             metadata={"description": "0 = Monday … 6 = Sunday"})
    week = fields.Integer(load_default=None, validate=validate.Range(min=1, max=5),
                          metadata={"description": "Which one in the month: 1–4, or 5 for the last"})


class MilestoneSchema(StrictSchema):
    """A step in carrying out the municipal council's decision on a motion."""

    id = fields.UUID(dump_only=True)
    state = fields.Enum(MilestoneState, by_value=True, required=True)
    day = Day(required=True, metadata={"description": "When it happened (a planned step: when it is to)."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
