"""Delivering motions: the council's route, attempts, packages, dead letters, and the municipality's side
(its answer posted back, signed with the council's webhook secret)."""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core import delivery, motions, outbox
from konsey.core.council_keys import council_key
from konsey.core.motions import Motion, MunicipalAnswer
from konsey.core.permissions import Permission, public, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("delivery", __name__, url_prefix="/api/v1/councils/<council_slug>",
                description="Motion delivery, signing key and dead letters")


class RouteSchema(Schema):
    channel = fields.String()
    address = fields.String()
    secret = fields.String()
    enabled = fields.Boolean()
    disabled_reason = fields.String(allow_none=True)
    channels = fields.Function(lambda _r: sorted(delivery.channels()))


class RouteInput(StrictSchema):
    channel = fields.String(required=True)
    address = fields.String(required=True, validate=validate.Length(min=3, max=500))


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
    algorithm = fields.Constant("Ed25519")


class MunicipalAnswerSchema(StrictSchema):
    answer = fields.Enum(MunicipalAnswer, by_value=True, required=True)
    text = fields.String(load_default=None, validate=validate.Length(max=20000))
    municipal_decision_date = fields.String(load_default=None, validate=validate.Length(max=40))
    municipal_decision_number = fields.String(load_default=None, validate=validate.Length(max=60))


@blp.route("/delivery")
class Route(MethodView):
    @requires(Permission.DELIVERY_MANAGE)
    @blp.response(200, RouteSchema)
    def get(self):
        route = delivery.route_of_council()
        db.session.commit()
        return route

    @requires(Permission.DELIVERY_MANAGE)
    @blp.arguments(RouteInput)
    @blp.response(200, RouteSchema)
    def put(self, data):
        """Choose how motions reach the municipality: email, webhook or download."""
        route = delivery.set_route(data["channel"], data["address"])
        db.session.commit()
        return route


@blp.route("/signing-key")
class SigningKey(MethodView):
    @public
    @blp.response(200, KeySchema)
    def get(self):
        """The council's public key: municipalities verify motion packages with it."""
        key = council_key()
        db.session.commit()
        return key


@blp.route("/motions/<uuid:motion_id>/deliveries")
class Attempts(MethodView):
    @requires(Permission.MOTIONS_MANAGE)
    @blp.response(200, AttemptSchema(many=True))
    def get(self, motion_id):
        motion = one_or_404(Motion, id=motion_id)
        return db.session.scalars(select(delivery.DeliveryAttempt).where(
            delivery.DeliveryAttempt.motion_id == motion.id).order_by(delivery.DeliveryAttempt.attempted_at)).all()


@blp.route("/motions/<uuid:motion_id>/package")
class PackageDownload(MethodView):
    @requires(Permission.MOTIONS_MANAGE)
    @blp.response(200)
    def get(self, motion_id):
        """The motion's package as the municipality receives it (a signed zip)."""
        from konsey.core.motion_package import build_package

        package = build_package(one_or_404(Motion, id=motion_id))
        db.session.commit()
        return Response(package.content, mimetype="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{package.filename}"'})


@blp.route("/motions/<uuid:motion_id>/municipal-answer")
class MunicipalAnswerPost(MethodView):
    @public
    @blp.response(200)
    def post(self, motion_id):
        """The municipality's system posts the municipal council's answer, signed as Standard Webhooks with the
        council's webhook secret (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)."""
        payload = delivery.verify_municipal_post(request.get_data(), dict(request.headers))
        data = MunicipalAnswerSchema().load(payload)
        motion = one_or_404(Motion, id=motion_id)
        motions.record_answer(motion, data["answer"], data["text"], data["municipal_decision_date"],
                              data["municipal_decision_number"])
        db.session.commit()
        return {"status": motion.status.value}


@blp.route("/dead-letters")
class DeadLetters(MethodView):
    @requires(Permission.DELIVERY_MANAGE)
    @blp.response(200, DeadLetterSchema(many=True))
    def get(self):
        """Tasks that failed for good, newest first."""
        return db.session.scalars(select(outbox.DeadLetter).order_by(outbox.DeadLetter.failed_at.desc())).all()


@blp.route("/dead-letters/<uuid:letter_id>/retry")
class DeadLetterRetry(MethodView):
    @requires(Permission.DELIVERY_MANAGE)
    @blp.response(200, DeadLetterSchema)
    def post(self, letter_id):
        letter = one_or_404(outbox.DeadLetter, id=letter_id)
        outbox.retry_dead_letter(letter)
        db.session.commit()
        return letter


