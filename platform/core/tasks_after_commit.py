"""Queue Celery tasks only once the database transaction that asked for them has committed.

A rolled-back transaction sends nothing, and a worker never sees a task before the rows it needs. This is for work that may be lost
if the broker is down at that moment; what must happen goes through :mod:`konsey.core.outbox` instead.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from konsey.tenants.db import db

_KEY = "konsey_after_commit"


def enqueue_after_commit(task, **kwargs) -> None:
    """Send ``task`` (a Celery task or its registered name) with ``kwargs`` once this transaction commits."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback right after this has a transaction to undo, and tells us
    # With the savepoint it was asked in (None: the transaction itself), so that rolling the savepoint back
    # drops it while the rest of the transaction goes on.
    session.info.setdefault(_KEY, []).append((task, kwargs, session.get_nested_transaction()))


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    # SQLAlchemy announces a released savepoint as a commit too: only the transaction's own commit sends
    # (a task sent at a savepoint would leave before the rows it needs, or despite a later rollback).
    if session.in_nested_transaction():
        return
    queued = session.info.pop(_KEY, [])
    if not queued:
        return  # every session commits through here (kombu's SQL broker has its own): most queue nothing
    dispatch = current_app.extensions["konsey.dispatch"]  # installed by the worker's Celery setup
    for task, kwargs, _savepoint in queued:
        if current_app.config["KONSEY_TASKS_EAGER"]:
            # An eager task runs here and now, and the committing session may not run SQL any more: give the
            # task a fresh app context, and with it a session of its own.
            with current_app.app_context():
                dispatch(task, **kwargs)
        else:
            dispatch(task, **kwargs)


def _inside(savepoint, rolled_back) -> bool:
    while savepoint is not None:
        if savepoint is rolled_back:
            return True
        savepoint = savepoint.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction) -> None:
    # "soft": also when no statement ran, so no database rollback happened (after_rollback stays silent).
    if previous_transaction is None or not previous_transaction.nested:
        session.info.pop(_KEY, None)
        return
    # A savepoint rolled back: what was asked inside it (or in a savepoint within it) goes with it.
    queued = session.info.get(_KEY)
    if queued:
        session.info[_KEY] = [entry for entry in queued if not _inside(entry[2], previous_transaction)]
