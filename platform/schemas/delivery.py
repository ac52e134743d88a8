"""Delivery of motions: the council's route, attempts, dead letters, the signing key, the municipality's answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core import delivery
from konsey.core.motions import MunicipalAnswer
from konsey.schemas.base import Day, StrictSchema


class RouteSchema(Schema):
    """The route as anyone managing delivery sees it: the secret only as a hint (it is shown once, when set or
    rotated)."""

    channel = fields.String()
    address = fields.String()
    secret_hint = fields.String()
    enabled = fields.Boolean()
    disabled_reason = fields.String(allow_none=True)
    payload_version = fields.Integer(metadata={
        "description": "The webhook's payload: 2, Standard Webhooks' envelope {type, timestamp, data}; 1, the first "
                       "release's flat shape (kept until the council switches)."})
    channels = fields.Function(lambda _r: sorted(delivery.channels()),
                               metadata={"type": "array", "items": {"type": "string"}})


class RouteWithSecretSchema(RouteSchema):
    """The answer to setting the route or rotating its secret: the one time the secret is shown."""

    secret = fields.String()


class RouteInput(StrictSchema):
    channel = fields.String(required=True)
    address = fields.String(required=True, validate=validate.Length(min=3, max=500))
    payload_version = fields.Integer(load_default=None, validate=validate.OneOf([1, 2]), metadata={
        "description": "2 (Standard Webhooks' envelope, the default of a new route) or 1 (the flat shape)."})


class AttemptSchema(Schema):
    channel = fields.String()
    attempted_at = fields.DateTime()
    outcome = fields.String()
    http_status = fields.Integer(allow_none=True)
    detail = fields.String(allow_none=True)


class DeadLetterSchema(Schema):
    id = fields.UUID()
    task = fields.String()
    error = fields.String()
    attempts = fields.Integer()
    failed_at = fields.DateTime()
    retried_at = fields.DateTime(allow_none=True)


class KeySchema(Schema):
    public_key = fields.String()
    fingerprint = fields.String()
    algorithm = fields.Constant("Ed25519", metadata={"type": "string"})


class MunicipalAnswerSchema(StrictSchema):
    answer = fields.Enum(MunicipalAnswer, by_value=True, required=True)
    text = fields.String(load_default=None, validate=validate.Length(max=20000))
    municipal_decision_date = Day(load_default=None)  # a real date, never free text
    municipal_decision_number = fields.String(load_default=None, validate=validate.Length(max=60))


class AnsweredMotionSchema(MunicipalAnswerSchema):
    motion_id = fields.UUID(required=True, metadata={"description": "The motion answered: inside what is signed."})


class SignedAnswerSchema(StrictSchema):
    """What the municipality posts, signed as Standard Webhooks with the council's secret (``webhook-id``,
    ``webhook-timestamp``, ``webhook-signature`` over these bytes as sent)."""

    type = fields.String(required=True, validate=validate.Equal("motion.answer"))
    timestamp = fields.DateTime(required=True)
    data = fields.Nested(AnsweredMotionSchema, required=True)


class AnswerReceivedSchema(Schema):
    status = fields.String(metadata={"description": "The motion's status once the answer is recorded."})
