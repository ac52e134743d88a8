"""A council's SMS account at a Turkish provider: choose it, see it (masked), see what was sent and what failed."""

from __future__ import annotations

from konsey.core import sms
from konsey.core.permissions import Permission
from konsey.schemas.sms import CREDENTIAL_FIELDS, SmsSettingsSchema
from konsey.usecases.base import command, loaded, query


@query(Permission.DELIVERY_MANAGE)
def account() -> dict | None:
    """The council's SMS account with its credentials masked, and how many messages went this month."""
    settings = sms.settings()
    if settings is None:
        return None
    return {"provider": settings.provider, "sender": settings.sender, "credentials": settings.masked(),
            "sent_this_month": sms.sent_this_month()}


@command(Permission.DELIVERY_MANAGE, takes=SmsSettingsSchema)
def configure(data: dict) -> dict:
    """Choose the provider, give the council's own credentials (sealed at once) and its registered sender name."""
    data = loaded(data)
    credentials = {name: data[name] for name in CREDENTIAL_FIELDS[data["provider"]]}
    sms.configure(data["provider"], data["sender"], credentials)
    return account()


@query(Permission.DELIVERY_MANAGE)
def messages(limit: int = 50) -> list[dict]:
    """The latest messages: to whom (the number's end), what for, where they are, whether they reached the phone
    (the provider's delivery report), the provider's error in words."""
    return [{"id": m.id, "number": "…" + m.number[-4:], "purpose": m.purpose, "status": m.status,
             "attempts": m.attempts, "created_at": m.created_at, "sent_at": m.sent_at, "report": m.report,
             "error": sms.error_text(m.provider, m.error_code)} for m in sms.recent(limit)]
