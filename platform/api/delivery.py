"""Delivering motions: the council's route, attempts, packages, dead letters, and the municipality's side
(its answer posted back, signed with the council's webhook secret)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from konsey.api.base import BINARY, also_answers, documents_body, takes
from konsey.core.errors import NotFound
from konsey.pluginkit import file_download
from konsey.schemas.delivery import (
    AnswerReceivedSchema,
    AttemptSchema,
    DeadLetterSchema,
    KeySchema,
    RouteSchema,
    RouteWithSecretSchema,
    SignedAnswerSchema,
)
from konsey.schemas.sms import SmsAccountSchema, SmsMessageSchema
from konsey.usecases import motions, sms
from konsey.usecases.base import performs

blp = Blueprint("delivery", __name__, url_prefix="/api/v1/councils/<council_slug>",
                description="Motion delivery, signing key and dead letters")


@blp.route("/delivery")
class Route(MethodView):
    @performs(motions.delivery_route)
    @blp.response(200, RouteSchema)
    def get(self):
        return motions.delivery_route()

    @performs(motions.set_delivery_route)
    @takes(motions.set_delivery_route)
    @blp.response(200, RouteWithSecretSchema)
    def put(self, data):
        """Choose how motions reach the municipality: email, webhook or download."""
        return motions.set_delivery_route(data)


@blp.route("/delivery/secret")
class RouteSecret(MethodView):
    @performs(motions.rotate_delivery_secret)
    @blp.response(200, RouteWithSecretSchema)
    def post(self):
        """Rotate the webhook secret: the new one is in this answer, and nowhere after it."""
        return motions.rotate_delivery_secret()


@blp.route("/sms")
class SmsAccount(MethodView):
    @performs(sms.account)
    @also_answers(404)
    @blp.response(200, SmsAccountSchema)
    def get(self):
        """The council's SMS account (credentials masked) and how many messages went this month."""
        found = sms.account()
        if found is None:
            raise NotFound(_("The council has no SMS account."))
        return found

    @performs(sms.configure)
    @takes(sms.configure)
    @blp.response(200, SmsAccountSchema)
    def put(self, data):
        """Choose the provider (Netgsm: username and password; İleti Merkezi: key and hash) and the registered
        sender name; the credentials are sealed at once and never shown again."""
        return sms.configure(data)


@blp.route("/sms/messages")
class SmsMessages(MethodView):
    @performs(sms.messages)
    @blp.response(200, SmsMessageSchema(many=True))
    def get(self):
        """The latest SMS: to which number's end, what for, where they are, the provider's answer in words."""
        return sms.messages()


@blp.route("/signing-key")
class SigningKey(MethodView):
    @performs(motions.signing_key)
    @blp.response(200, KeySchema)
    def get(self):
        """The council's public key: municipalities verify motion packages with it."""
        return motions.signing_key()


@blp.route("/motions/<uuid:motion_id>/deliveries")
class Attempts(MethodView):
    @performs(motions.delivery_attempts)
    @blp.response(200, AttemptSchema(many=True))
    def get(self, motion_id):
        return motions.delivery_attempts(motion_id)


@blp.route("/motions/<uuid:motion_id>/package")
class PackageDownload(MethodView):
    @performs(motions.motion_package)
    @blp.response(200, BINARY, content_type="application/zip")
    def get(self, motion_id):
        """The motion's package as the municipality receives it (a signed zip)."""
        package = motions.motion_package(motion_id)
        return file_download(package.content, "application/zip", package.filename)


@blp.route("/motions/<uuid:motion_id>/municipal-answer")
class MunicipalAnswerPost(MethodView):
    @performs(motions.municipal_answer_posted)
    @documents_body(SignedAnswerSchema)
    @also_answers(409)
    @blp.doc(parameters=[{"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
                         for name in ("webhook-id", "webhook-timestamp", "webhook-signature")])
    @blp.response(200, AnswerReceivedSchema)
    def post(self, motion_id):
        """The municipality's system posts the municipal council's answer, signed as Standard Webhooks with the
        council's webhook secret (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)."""
        motion = motions.municipal_answer_posted(motion_id, request.get_data(), dict(request.headers))
        return {"status": motion.status.value}


@blp.route("/dead-letters")
class DeadLetters(MethodView):
    @performs(motions.dead_letters)
    @blp.response(200, DeadLetterSchema(many=True))
    def get(self):
        """Tasks that failed for good, newest first."""
        return motions.dead_letters()


@blp.route("/dead-letters/<uuid:letter_id>/retry")
class DeadLetterRetry(MethodView):
    @performs(motions.retry_dead_letter)
    @blp.response(200, DeadLetterSchema)
    def post(self, letter_id):
        return motions.retry_dead_letter(letter_id)
