"""The signed-in person's notifications in a council, and how they want to receive them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.notifications import NotificationSchema, PreferencesSchema
from konsey.usecases import notifications
from konsey.usecases.base import performs

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/councils/<council_slug>/notifications",
                description="Your notifications and their delivery preferences")


@blp.route("")
class Mine(MethodView):
    @performs(notifications.my_notifications)
    @blp.response(200, NotificationSchema(many=True))
    def get(self):
        """Your notifications in this council, newest first (none if you are not one of its members)."""
        return notifications.my_notifications()


@blp.route("/<uuid:notification_id>/read")
class Read(MethodView):
    @performs(notifications.mark_read)
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        return notifications.mark_read(notification_id)


@blp.route("/preferences")
class Preferences(MethodView):
    @performs(notifications.my_preferences)
    @blp.response(200, PreferencesSchema)
    def get(self):
        return notifications.my_preferences()

    @performs(notifications.set_preferences)
    @takes(notifications.set_preferences)
    @blp.response(200, PreferencesSchema)
    def put(self, data):
        """For each kind: ``immediate``, ``digest`` (one e-mail a day) or ``off`` (in the app only)."""
        return notifications.set_preferences(data)
