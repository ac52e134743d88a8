"""The outbox relay: publish the events the domain wrote (:mod:`konsey.core.outbox`) to the broker.

Run by Celery beat every few seconds (``konsey.relay_outbox``) and by ``konsey outbox relay``. An event is
marked published only once the broker accepted it. It is due when it was never published or when its lease ran
out (the message was lost, or the worker that held it died); events that are done or dead are never due. Each pass
publishes a bounded batch (``KONSEY_OUTBOX_RELAY_BATCH``), oldest first.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from konsey.core import outbox
from konsey.core.outbox import OutboxEvent
from konsey.tenants.db import db, utcnow
from konsey.tenants.scoping import all_councils, bound_council
from konsey.worker.celery_app import publish

log = logging.getLogger(__name__)


def due_events(limit: int, now: datetime | None = None) -> list[tuple]:
    """(council id, event id) of events to publish: never published, or their lease ran out; not done, not dead."""
    now = now or utcnow()
    # Not audited per run (it runs every few seconds and reads only ids); the relay itself is the reason.
    with all_councils(reason="outbox relay: which events are waiting to be published", audit=False) as every:
        rows = every.execute(
            select(OutboxEvent.council_id, OutboxEvent.id)
            .where(OutboxEvent.completed_at.is_(None), OutboxEvent.dead_at.is_(None),
                   or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until < now))
            .order_by(OutboxEvent.created_at).limit(limit)
        ).all()
        every.rollback()
    return [tuple(row) for row in rows]


def relay(limit: int | None = None, now: datetime | None = None) -> int:
    """Publish due events; stops at the first broker error (the rest wait for the next run)."""
    config = current_app.config
    limit = limit or config["KONSEY_OUTBOX_RELAY_BATCH"]
    redeliver_after = timedelta(seconds=config["KONSEY_OUTBOX_REDELIVER_AFTER"])
    published = 0
    for council_id, event_id in due_events(limit, now):
        token = str(uuid.uuid4())  # the message's task id: the event's lease belongs to this message
        try:
            publish("konsey.handle_event", task_id=token, council_id=str(council_id), event_id=str(event_id))
        except Exception as error:  # noqa: BLE001 - any broker failure: keep the event, try again next run
            log.warning("outbox relay: the broker refused event %s (%s); it stays pending", event_id, error)
            break
        with bound_council(council_id):
            event = db.session.get(OutboxEvent, event_id, with_for_update=True)  # not over a claim just made
            if event is not None:
                outbox.published(event, token, redeliver_after, now)
                db.session.commit()
        published += 1
    return published
