"""The outbox relay: publish the events the domain wrote (:mod:`konsey.core.outbox`) to the broker.

Run by Celery beat every few seconds (``konsey.relay_outbox``) and by ``konsey outbox relay``. An event is
marked published only once the broker accepted it; one still not completed some time after publishing (a
worker killed with the message unacknowledged) is published again, and handlers are idempotent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from konsey.core.outbox import OutboxEvent
from konsey.tenants.db import db, utcnow
from konsey.tenants.scoping import all_councils, bound_council
from konsey.worker.celery_app import publish

log = logging.getLogger(__name__)


def due_events(limit: int, redeliver_after: timedelta, now: datetime | None = None) -> list[tuple]:
    """(council id, event id) of events to publish: never published, or published long ago and not done."""
    now = now or utcnow()
    # Not audited per run (it runs every few seconds and reads only ids); the relay itself is the reason.
    with all_councils(reason="outbox relay: which events are waiting to be published", audit=False) as every:
        rows = every.execute(
            select(OutboxEvent.council_id, OutboxEvent.id)
            .where(OutboxEvent.completed_at.is_(None),
                   or_(OutboxEvent.published_at.is_(None), OutboxEvent.published_at < now - redeliver_after))
            .order_by(OutboxEvent.created_at).limit(limit)
        ).all()
        every.rollback()
    return [tuple(row) for row in rows]


def relay(limit: int = 500) -> int:
    """Publish due events; stops at the first broker error (the rest wait for the next run)."""
    redeliver_after = timedelta(seconds=current_app.config["KONSEY_OUTBOX_REDELIVER_AFTER"])
    published = 0
    for council_id, event_id in due_events(limit, redeliver_after):
        try:
            publish("konsey.handle_event", council_id=str(council_id), event_id=str(event_id))
        except Exception as error:  # noqa: BLE001 - any broker failure: keep the event, try again next run
            log.warning("outbox relay: the broker refused event %s (%s); it stays pending", event_id, error)
            break
        with bound_council(council_id):
            event = db.session.get(OutboxEvent, event_id)
            event.published_at, event.publish_count = utcnow(), (event.publish_count or 0) + 1
            db.session.commit()
        published += 1
    return published
