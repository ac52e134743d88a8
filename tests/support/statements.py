"""The SQL statements a block of a test sends: how a test says what a request or a rule costs the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_sent(app) -> Iterator[list[str]]:
    """Inside the block, every statement ``app``'s engine sends is appended to the list yielded."""
    from flask import has_app_context

    from konsey.tenants.db import db

    if has_app_context():
        engine = db.engine
    else:
        with app.app_context():
            engine = db.engine
    sent: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", seen)
