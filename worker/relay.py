"""The outbox relay: publish the events the domain wrote (:mod:`konsey.core.outbox`) to the broker.

Run by Celery beat every few seconds (``konsey.relay_outbox``) and by ``konsey outbox relay``. An event is
marked published only once the broker accepted it. It is due when it was never published or when its lease ran
out (the message was lost, or the worker that held it died); events that are done or dead are never due. Each pass
publishes a bounded batch (``KONSEY_OUTBOX_RELAY_BATCH``), oldest first.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from flask import current_app

from konsey.usecases import system
from konsey.usecases.base import SYSTEM, acting_as
from konsey.worker.celery_app import publish

log = logging.getLogger(__name__)


def relay(limit: int | None = None, now: datetime | None = None) -> int:
    """Publish due events; stops at the first broker error (the rest wait for the next run)."""
    limit = limit or current_app.config["KONSEY_OUTBOX_RELAY_BATCH"]
    published = 0
    with acting_as(SYSTEM):
        for council_id, event_id in system.due_outbox_events(limit, now):
            token = str(uuid.uuid4())  # the message's task id: the event's lease belongs to this message
            try:
                publish("konsey.handle_event", task_id=token, council_id=str(council_id), event_id=str(event_id))
            except Exception as error:  # noqa: BLE001 - any broker failure: keep the event, try again next run
                log.warning("outbox relay: the broker refused event %s (%s); it stays pending", event_id, error)
                break
            system.outbox_event_published(council_id, event_id, token, now)
            published += 1
    return published
