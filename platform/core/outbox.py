"""The transactional outbox, and what makes the worker's effects happen once: receipts and dead letters.

A state change that needs work outside the request (a motion adopted, an application decided, a meeting
called) calls :func:`emit` in its own transaction, so the event exists exactly when the change does: a
rolled-back transaction leaves nothing, and a broker that is down at commit time loses nothing. The relay
(:mod:`konsey.worker.relay`, run by Celery beat every few seconds and by ``konsey outbox relay``) publishes
pending events to the broker and marks them published only once the broker accepted them. An event whose work has not
completed some time after publishing (a worker killed with the message unacknowledged) is published again:
handlers are idempotent, so a second delivery has no second effect.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import JSON, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Conflict
from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.tenants.db import CouncilOwned, as_utc, db, utcnow

log = logging.getLogger(__name__)


class OutboxEvent(CouncilOwned, db.Model):
    """Work for the worker, written in the same transaction as the change that calls for it."""

    __tablename__ = "outbox_events"

    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    publish_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    completed_at: Mapped[datetime | None]

    __council_table_args__ = (db.Index("ix_outbox_events_council_published", "council_id", "published_at"),)


class TaskReceipt(CouncilOwned, db.Model):
    """That an effect keyed ``key`` happened; written in the effect's own transaction (idempotency)."""

    __tablename__ = "task_receipts"

    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id", "key"),)


class DeadLetter(CouncilOwned, db.Model):
    """A task that failed for good (retries exhausted, or an error retrying cannot fix), for people to see."""

    __tablename__ = "dead_letters"

    task: Mapped[str] = mapped_column(String(120))
    kwargs: Mapped[dict] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retried_at: Mapped[datetime | None]

    __council_table_args__ = (db.Index("ix_dead_letters_council_failed", "council_id", "failed_at"),)


# --- writing events -------------------------------------------------------------------------------------------


def emit(kind: str, payload: dict) -> OutboxEvent:
    """Record work for the worker in the current transaction (it is sent only if the transaction commits)."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for outbox events of kind {kind}")
    event = OutboxEvent(kind=kind, payload=payload)
    db.session.add(event)
    db.session.flush()
    return event


def first_time(key: str) -> bool:
    """True the first time ``key`` is seen in this council (and records it, in the caller's transaction)."""
    try:
        with db.session.begin_nested():
            db.session.add(TaskReceipt(key=key))
    except IntegrityError:
        return False
    return True


def handle(event_id: uuid.UUID, *, keep: Callable[[], None] = lambda: None) -> bool:
    """Run an event's handler in the bound council and mark it done; False if it was done already (a
    redelivery). The event row is locked until the caller's unit of work ends."""
    event = db.session.scalar(select(OutboxEvent).where(OutboxEvent.id == event_id).with_for_update())
    if event is None or event.completed_at is not None:
        return False
    HANDLERS[event.kind](event, keep)
    event.completed_at = utcnow()
    return True


def pending_count() -> int:
    return len(db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.completed_at.is_(None))).all())


def age_of(event: OutboxEvent) -> timedelta:
    return utcnow() - as_utc(event.created_at)


# --- what each kind of event does: the domain modules register their handlers -------------------------------

HANDLERS: dict[str, Callable[..., None]] = {}


def handles(kind: str) -> Callable:
    """Register the function that does the work of events of ``kind`` (one handler per kind).

    The handler gets the :class:`OutboxEvent` with its council bound and runs in the worker's unit of work,
    and ``keep``: a function that makes what it wrote so far durable (for a record that must survive the retry
    it is about to ask for). It must be idempotent (a redelivered event runs it again)."""
    def register(handler: Callable[..., None]) -> Callable[..., None]:
        if HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"two handlers for outbox events of kind {kind}")
        HANDLERS[kind] = handler
        return handler

    return register


# --- dead letters -------------------------------------------------------------------------------------------------


def bury(task: str, kwargs: dict, error: str, attempts: int) -> DeadLetter:
    letter = DeadLetter(task=task, kwargs=kwargs, error=error[:4000], attempts=attempts)
    db.session.add(letter)
    db.session.flush()
    return letter


def retry_dead_letter(letter: DeadLetter) -> None:
    """Send the task again (through the broker, after commit) and mark the letter retried."""
    if letter.retried_at is not None:
        raise Conflict({"dead_letter": [_("This task was already sent again.")]})
    letter.retried_at = utcnow()
    if letter.kwargs.get("event_id"):  # an outbox event: let it be published again
        event = db.session.get(OutboxEvent, uuid.UUID(letter.kwargs["event_id"]))
        if event is not None:
            event.published_at, event.completed_at = None, None
    else:
        enqueue_after_commit(letter.task, **letter.kwargs)
    record("dead_letter.retried", letter, {"task": letter.task})
