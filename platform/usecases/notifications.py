"""The signed-in person's notifications in a council, and how they want to receive them."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from konsey.core import notifications
from konsey.core.errors import Invalid
from konsey.core.membership import Member
from konsey.core.notifications import Notification
from konsey.core.permissions import Permission
from konsey.schemas.notifications import PreferencesSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, one, query
from konsey.usecases.people import acting_user


def _me() -> Member | None:
    """The member of this council with the acting person's e-mail address (None if there is none)."""
    user = acting_user()
    return notifications.member_for(user.email) if user is not None else None


@query(Permission.COUNCIL_VIEW)
def my_notifications(limit: int = 200) -> list[Notification]:
    """Your notifications in this council, newest first (none if you are not one of its members)."""
    member = _me()
    if member is None:
        return []
    return db.session.scalars(db.select(Notification).where(Notification.member_id == member.id)
                              .order_by(Notification.created_at.desc()).limit(limit)).all()


@query(Permission.COUNCIL_VIEW)
def notifications_page() -> dict:
    member = _me()
    return {"member": member, "notes": my_notifications(limit=100),
            "kinds": list(notifications.Kind), "deliveries": list(notifications.Delivery),
            "chosen": notifications.preferences_of(member.id) if member else {}}


@command(Permission.COUNCIL_VIEW)
def mark_read(notification_id: uuid.UUID) -> Notification:
    """Mark one of the signed-in person's notifications read."""
    member = _me()
    note = one(Notification, notification_id, member_id=member.id if member else None)
    notifications.mark_read(note)
    return note


def _plain(chosen: dict) -> dict:
    return {"preferences": {k.value: v.value for k, v in chosen.items()}}


@query(Permission.COUNCIL_VIEW)
def my_preferences() -> dict:
    """How the signed-in person is told of each kind of news: in the app, by e-mail at once, in a digest, or not."""
    member = _me()
    return _plain(notifications.preferences_of(member.id) if member else {})


@command(Permission.COUNCIL_VIEW, takes=PreferencesSchema)
def set_preferences(data: dict) -> dict:
    """For each kind: ``immediate``, ``digest`` (one e-mail a day) or ``off`` (in the app only)."""
    data = loaded(data)
    member = _me()
    if member is None:
        raise Invalid({"preferences": [_("You are not a member of this council.")]})
    return _plain(notifications.set_preferences(member.id, data["preferences"]))
