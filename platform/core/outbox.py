"""The transactional outbox, and what makes the worker's effects happen once: receipts and dead letters.

A state change that needs work outside the request (a motion adopted, an application decided, a meeting
called) calls :func:`emit` in its own transaction, so the event exists exactly when the change does: a
rolled-back transaction leaves nothing, and a broker that is down at commit time loses nothing. The relay
(:mod:`konsey.worker.relay`, run by Celery beat every few seconds and by ``konsey outbox relay``) publishes
pending events to the broker and marks them published only once the broker accepted them.

Each event is held by one **lease** at a time, and republished only when its lease has run out:

* publishing gives the new message the lease (``claim_token`` is its task id) for ``KONSEY_OUTBOX_REDELIVER_AFTER``,
  doubled at each republication (a backlog in the queue is not answered with more copies of itself);
* the worker that takes the message claims the event (one more ``attempts``) for ``KONSEY_OUTBOX_LEASE_SECONDS``;
  a message carrying another token while the lease holds is a stale copy and is dropped;
* a retry that waits (a receiver's Retry-After, the delivery backoff) extends the lease by its wait;
* an event whose work failed for good is ``dead``: it has one dead letter and is never published again until a
  person retries that letter.

A worker killed while it holds an event leaves a lease that runs out; the relay then publishes the event again.
Handlers are idempotent (and the event row is locked while one runs), so a second delivery has no second effect.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import JSON, Integer, String, Text, or_, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

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
    # The lease: who holds the event (the Celery task id of the message that may work on it) and until when.
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    dead_at: Mapped[datetime | None]  # failed for good: never published again unless its dead letter is retried

    __council_table_args__ = (db.Index("ix_outbox_events_council_published", "council_id", "published_at"),
                              db.Index("ix_outbox_events_council_lease", "council_id", "lease_until"))


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
    event_id: Mapped[uuid.UUID | None]  # the outbox event it stands for: one letter per event

    __council_table_args__ = (db.Index("ix_dead_letters_council_failed", "council_id", "failed_at"),
                              db.UniqueConstraint("council_id", "event_id"))


# --- writing events -------------------------------------------------------------------------------------------


def emit(kind: str, payload: dict) -> OutboxEvent:
    """Record work for the worker in the current transaction (it is sent only if the transaction commits)."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for outbox events of kind {kind}")
    event = OutboxEvent(kind=kind, payload=payload)
    db.session.add(event)
    db.session.flush()
    return event


_LATEST = "konsey.outbox_latest"


def emit_latest(kind: str, key: str, payload: dict) -> OutboxEvent:
    """Like :func:`emit`, but one event of ``kind`` per ``key`` in a transaction: a later call gives the same
    event its new payload. For news where only the outcome matters (a motion queued, sent and delivered in one
    delivery is one notification that it was delivered, not three) — and each event is a worker's task."""
    latest = db.session.info.setdefault(_LATEST, {})
    event = latest.get((kind, key))
    if event is not None:
        event.payload = payload
        db.session.flush()
        return event
    latest[(kind, key)] = event = emit(kind, payload)
    return event


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_latest(session: Session, *_args) -> None:
    # Committed events may be on their way to a worker, rolled-back ones are gone: neither may be changed.
    session.info.pop(_LATEST, None)


def first_time(key: str) -> bool:
    """True the first time ``key`` is seen in this council (and records it, in the caller's transaction)."""
    try:
        with db.session.begin_nested():
            db.session.add(TaskReceipt(key=key))
    except IntegrityError:
        return False
    return True


# --- leases ---------------------------------------------------------------------------------------------------------

MAX_BACKOFF_DOUBLINGS = 6  # a message waiting in the queue is published again after 1, 2, 4 … 64 lease lengths


def publication_lease(publish_count: int, redeliver_after: timedelta) -> timedelta:
    """How long the ``publish_count``-th publication of an event holds it before the relay may publish it again."""
    return redeliver_after * 2 ** min(max(publish_count - 1, 0), MAX_BACKOFF_DOUBLINGS)


def published(event: OutboxEvent, token: str, redeliver_after: timedelta, now: datetime | None = None) -> None:
    """The broker took a message for ``event`` with task id ``token``: that message holds the event now."""
    now = now or utcnow()
    event.published_at, event.publish_count = now, (event.publish_count or 0) + 1
    if event.claim_token != token or event.claimed_at is None:  # a fast worker may have claimed it already
        event.claim_token = token
        event.lease_until = now + publication_lease(event.publish_count, redeliver_after)


def claim(event_id: uuid.UUID, token: str, lease: timedelta, now: datetime | None = None) -> bool:
    """Take the event for the message ``token``; False for a stale copy (another message holds an unexpired lease)
    and for an event that is done or dead. Commit right after, so the claim is seen while the work runs."""
    now = now or utcnow()
    # One conditional UPDATE decides, so two copies cannot both claim (SQLite ignores row locks).
    claimed = db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == event_id, OutboxEvent.completed_at.is_(None), OutboxEvent.dead_at.is_(None),
               or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until <= now,
                   OutboxEvent.claim_token.is_(None), OutboxEvent.claim_token == token))
        .values(claim_token=token, claimed_at=now, lease_until=now + lease, attempts=OutboxEvent.attempts + 1)
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def postpone(event_id: uuid.UUID, token: str, wait: timedelta, lease: timedelta) -> None:
    """The holder of the event will try again after ``wait``: it keeps the event that long (and a lease after)."""
    event = db.session.scalar(select(OutboxEvent).where(OutboxEvent.id == event_id).with_for_update())
    if event is not None and event.claim_token == token and event.completed_at is None:
        event.lease_until = utcnow() + wait + lease


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
    return len(db.session.scalars(select(OutboxEvent.id).where(OutboxEvent.completed_at.is_(None),
                                                                 OutboxEvent.dead_at.is_(None))).all())


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


def bury(task: str, kwargs: dict, error: str, attempts: int, token: str | None = None) -> DeadLetter | None:
    """Record a task that failed for good. For an outbox event, the event becomes dead (the relay leaves it) and
    its one dead letter says the latest failure (a letter retried and failed again is the same letter) — unless
    the event is done, or another message (``token`` is the failing one's) holds a live lease on it: then the
    failure was a stale copy's, and nothing is buried."""
    event = _event_of(kwargs)
    letter = None
    if event is not None:
        held_by_another = event.claim_token not in (None, token) and event.lease_until is not None \
            and as_utc(event.lease_until) > utcnow()
        if event.completed_at is not None or (token is not None and held_by_another):
            return None
        event.dead_at, event.lease_until = utcnow(), None
        attempts = max(attempts, event.attempts or 0)
        letter = db.session.scalar(select(DeadLetter).where(DeadLetter.event_id == event.id))
    if letter is None:
        letter = DeadLetter(task=task, kwargs=kwargs, event_id=event.id if event is not None else None)
        db.session.add(letter)
    letter.error, letter.attempts, letter.failed_at, letter.retried_at = error[:4000], attempts, utcnow(), None
    db.session.flush()
    return letter


def _event_of(kwargs: dict) -> OutboxEvent | None:
    try:
        event_id = uuid.UUID(str(kwargs["event_id"]))
    except (KeyError, ValueError):
        return None
    return db.session.get(OutboxEvent, event_id)


def retry_dead_letter(letter: DeadLetter) -> None:
    """Send the task again (through the broker, after commit) and mark the letter retried."""
    if letter.retried_at is not None:
        raise Conflict({"dead_letter": [_("This task was already sent again.")]})
    letter.retried_at = utcnow()
    event = _event_of(letter.kwargs)
    if event is not None:  # an outbox event: alive again, for the relay to publish
        event.published_at = event.completed_at = event.dead_at = event.lease_until = event.claim_token = None
        event.publish_count = 0  # a fresh start: the first copy waits one lease, not the last doubling
    elif letter.kwargs.get("event_id"):
        pass  # its event is gone (the council's data was erased): nothing to send
    else:
        enqueue_after_commit(letter.task, **letter.kwargs)
    record("dead_letter.retried", letter, {"task": letter.task})
