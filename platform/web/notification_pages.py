"""The signed-in person's notifications in a council and their delivery preferences. Adapters over
:mod:`konsey.usecases.notifications`."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.notifications import Kind
from konsey.pluginkit.pages import attempt
from konsey.usecases import notifications
from konsey.usecases.base import performs

bp = Blueprint("notification_pages", __name__, url_prefix="/<council_slug>")


@bp.get("/notifications/")
@performs(notifications.notifications_page)
def notifications_page():
    return render_template("governance/notifications.html", **notifications.notifications_page())


@bp.post("/notifications/preferences")
@performs(notifications.set_preferences)
def notification_preferences():
    choices = {kind.value: request.form.get(kind.value, "immediate") for kind in Kind}
    attempt(lambda: notifications.set_preferences({"preferences": choices}), _("Saved."))
    return redirect(url_for("notification_pages.notifications_page"))


@bp.post("/notifications/<uuid:notification_id>/read")
@performs(notifications.mark_read)
def notification_read(notification_id):
    notifications.mark_read(notification_id)
    return redirect(url_for("notification_pages.notifications_page"))
