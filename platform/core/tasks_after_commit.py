"""Queue Celery tasks only once the database transaction that asked for them has committed.

A rolled-back transaction sends nothing, and a worker never sees a task before the rows it needs. (The
transactional outbox of the worker issue will replace this with a durable table.)
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from konsey.core.db import db

_KEY = "konsey_after_commit"


def enqueue_after_commit(task, **kwargs) -> None:
    db.session().info.setdefault(_KEY, []).append((task, kwargs))


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    for task, kwargs in session.info.pop(_KEY, []):
        task.apply_async(kwargs=kwargs)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_KEY, None)
