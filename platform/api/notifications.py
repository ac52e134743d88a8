"""The signed-in person's notifications in a council, and how they want to receive them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.app.guard import current_principal
from konsey.core import notifications
from konsey.core.notifications import Notification
from konsey.core.permissions import Permission, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/councils/<council_slug>/notifications",
                description="Your notifications and their delivery preferences")


class NotificationSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    emailed_at = fields.DateTime(allow_none=True)


class PreferencesSchema(StrictSchema):
    preferences = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


def _me():
    return notifications.member_for(current_principal().email)


@blp.route("")
class Mine(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, NotificationSchema(many=True))
    def get(self):
        """Your notifications in this council, newest first (none if you are not one of its members)."""
        member = _me()
        if member is None:
            return []
        return db.session.scalars(select(Notification).where(Notification.member_id == member.id)
                                  .order_by(Notification.created_at.desc()).limit(200)).all()


@blp.route("/<uuid:notification_id>/read")
class Read(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        member = _me()
        note = one_or_404(Notification, id=notification_id, member_id=member.id if member else None)
        notifications.mark_read(note)
        db.session.commit()
        return note


@blp.route("/preferences")
class Preferences(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, PreferencesSchema)
    def get(self):
        member = _me()
        chosen = notifications.preferences_of(member.id) if member else {}
        return {"preferences": {k.value: v.value for k, v in chosen.items()}}

    @requires(Permission.COUNCIL_VIEW)
    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data):
        """For each kind: ``immediate``, ``digest`` (one e-mail a day) or ``off`` (in the app only)."""
        from flask_babel import gettext as _
        from marshmallow import ValidationError

        member = _me()
        if member is None:
            raise ValidationError({"preferences": [_("You are not a member of this council.")]})
        chosen = notifications.set_preferences(member.id, data["preferences"])
        db.session.commit()
        return {"preferences": {k.value: v.value for k, v in chosen.items()}}
