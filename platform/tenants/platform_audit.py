"""The platform audit log: operator actions and every use of the cross-council escape hatch."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import JSON, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import HasId, db, utcnow


class PlatformEvent(HasId, db.Model):
    __tablename__ = "platform_events"

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    council_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


def record_platform_event(
    action: str,
    *,
    reason: str | None = None,
    actor_id: uuid.UUID | None = None,
    council_id: uuid.UUID | None = None,
    details: dict | None = None,
) -> PlatformEvent:
    """Append an entry; it is committed with the caller's transaction."""
    if actor_id is None and has_request_context():
        principal = g.get("principal")  # who the request guard authenticated
        actor_id = principal.id if principal is not None else None
    event = PlatformEvent(
        action=action, reason=reason, actor_id=actor_id, council_id=council_id, details=details or {}
    )
    db.session.add(event)
    return event
