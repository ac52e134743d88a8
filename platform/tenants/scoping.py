"""The one place where council isolation happens.

The current council is bound once, in a context variable: per request by the URL resolver
(:mod:`konsey.web.council_context`), explicitly by tasks and CLI commands with :func:`bound_council`.
From that binding:

* every ORM read and bulk update/delete of a council-owned model gets ``council_id = <bound>`` added,
  relationship loads included (``do_orm_execute`` + ``with_loader_criteria``);
* every new council-owned row is stamped with the bound council, and a row for another council, or a change
  of a row's council, raises :class:`CrossCouncilWrite`;
* on PostgreSQL the bound council is written into the transaction-local setting ``konsey.council_id``,
  which the row-level-security policies read (the second wall, for raw SQL too);
* with no council bound, touching a council-owned model raises :class:`NoCouncilBound` and, under RLS,
  raw SQL sees nothing.

Code that legitimately reads across councils (operators, the federation) opens :func:`all_councils`, which
requires a reason and writes an entry to the platform audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from konsey.tenants.db import CouncilOwned, db
from konsey.tenants.platform_audit import record_platform_event


class TenancyError(RuntimeError):
    """A programming error that would break council isolation."""


class NoCouncilBound(TenancyError):
    pass


class CrossCouncilWrite(TenancyError):
    pass


@dataclass(frozen=True)
class Scope:
    """What the current code may see: one council, or all of them for a stated reason."""

    council_id: uuid.UUID | None = None
    all_councils_reason: str | None = None


_scope: ContextVar[Scope] = ContextVar("konsey_scope", default=Scope())  # noqa: B039 - Scope is frozen


def current_council_id() -> uuid.UUID | None:
    return _scope.get().council_id


def current_scope() -> Scope:
    return _scope.get()


def bind_council(council_id: uuid.UUID | None):
    """Bind a council for the rest of the current context; returns a token for :func:`reset_scope`."""
    token = _scope.set(Scope(council_id=council_id))
    _sync_database_setting()
    return token


def reset_scope(token, *, ending_transaction: bool = False) -> None:
    """Unbind what ``token`` bound. ``ending_transaction``: the caller's transaction ends right after (a request's
    teardown: the session is removed, the connection rolled back, and the transaction-local setting goes with
    it), so the open transaction is not told — one round trip less per request."""
    _scope.reset(token)
    if not ending_transaction:
        _sync_database_setting()


@contextmanager
def bound_council(council_id: uuid.UUID) -> Iterator[None]:
    """Run a block as the given council: for tasks, CLI commands and tests."""
    token = bind_council(council_id)
    try:
        yield
    finally:
        reset_scope(token)


@contextmanager
def all_councils(reason: str, *, actor_id: uuid.UUID | None = None, audit: bool = True) -> Iterator[Session]:
    """The audited escape hatch: read across every council, through the session it yields.

    Only operator and federation code may use it, always with a reason a reviewer would accept. On PostgreSQL
    the session is a connection of its own as the read-only ``konsey_reader`` role
    (``KONSEY_READER_DATABASE_URL``): the application's role cannot see another council's rows whatever it
    sets, so this block is the only way across. Without a reader URL (SQLite, or a superuser in development)
    the yielded session is the request's own. A reader's session is closed when the block ends (its read is over);
    the request's own is left as it is, with the audit entry recorded in it.
    """
    if not reason or not reason.strip():
        raise TenancyError("all_councils() needs a reason")
    if audit:

        record_platform_event("all_councils", reason=reason, actor_id=actor_id)
    session, own = _reader_session()  # before the scope changes: a refusal here leaves it as it was
    token = _scope.set(Scope(all_councils_reason=reason))
    try:
        _sync_database_setting()
        yield session
    finally:
        try:
            if own:
                session.close()
        finally:
            _scope.reset(token)
            _sync_database_setting()


def _reader_session() -> tuple[Session, bool]:
    """(the session to read every council with, whether it is ours to close)."""
    from flask import current_app
    from sqlalchemy import create_engine

    url = current_app.config.get("KONSEY_READER_DATABASE_URL")
    if not url:
        if db.session.get_bind().dialect.name == "postgresql" and \
                db.session.execute(text("SELECT current_setting('is_superuser')")).scalar() != "on":
            raise TenancyError("reading across councils needs KONSEY_READER_DATABASE_URL (the konsey_reader "
                               "role): the application role sees one council only")
        return db.session, False
    engines = current_app.extensions.setdefault("konsey.reader_engines", {})
    if url not in engines:
        pooled = {"connect_args": {"prepare_threshold": None}} if current_app.config.get("KONSEY_BEHIND_PGBOUNCER") \
            else {}  # no server-side prepared statements through PgBouncer's transaction pooling
        engines[url] = create_engine(url, pool_recycle=1800, pool_size=2, max_overflow=2, **pooled)
    return Session(bind=engines[url]), True


def _council_owned_mappers(state: ORMExecuteState) -> bool:
    if any(issubclass(m.class_, CouncilOwned) for m in state.all_mappers):
        return True
    # ``select(func.count()).select_from(Model)`` names the model only in its FROM clause, where all_mappers
    # does not look: a count across every council on SQLite (PostgreSQL's row-level security caught it).
    if not hasattr(state.statement, "get_final_froms"):
        return False
    owned = _council_owned_tables()
    # Aliases and joins too (a select_from(aliased(Model)) or a join in the FROM clause). A bare Table in the
    # FROM clause gets no ORM criteria: on SQLite nothing filters it, so the code base queries models only.
    return any(getattr(getattr(table, "element", table), "name", None) in owned
               for table in find_tables(state.statement, include_aliases=True, include_joins=True))


_OWNED_TABLES: dict[int, set[str]] = {}


def _council_owned_tables() -> set[str]:
    mappers = db.Model.registry.mappers
    if len(mappers) not in _OWNED_TABLES:  # models are added at import (a plugin's too), never removed
        _OWNED_TABLES[len(mappers)] = {mapper.local_table.name for mapper in mappers
                                       if issubclass(mapper.class_, CouncilOwned)
                                       and getattr(mapper, "local_table", None) is not None}
    return _OWNED_TABLES[len(mappers)]


@event.listens_for(Session, "do_orm_execute")
def _scope_orm_statement(state: ORMExecuteState) -> None:
    if state.is_column_load or not (state.is_select or state.is_update or state.is_delete):
        return
    if not _council_owned_mappers(state):
        return
    scope = _scope.get()
    if scope.all_councils_reason is not None:
        return
    council_id = scope.council_id
    if council_id is None:
        raise NoCouncilBound("a council-owned model was queried with no council bound")
    state.statement = state.statement.options(
        with_loader_criteria(
            CouncilOwned,
            lambda cls: cls.council_id == council_id,
            include_aliases=True,
            track_closure_variables=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _stamp_and_guard(session: Session, flush_context, instances) -> None:
    scope = _scope.get()
    for obj in session.new:
        if not isinstance(obj, CouncilOwned):
            continue
        if scope.council_id is None:
            if scope.all_councils_reason is None or obj.council_id is None:
                raise NoCouncilBound(f"cannot add a {type(obj).__name__} with no council bound")
        elif obj.council_id is None:
            obj.council_id = scope.council_id
        elif obj.council_id != scope.council_id:
            raise CrossCouncilWrite(f"a {type(obj).__name__} of another council cannot be written here")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, CouncilOwned):
            continue
        history = db.inspect(obj).attrs.council_id.history
        if history.deleted and history.deleted[0] is not None:
            raise CrossCouncilWrite("a row's council can never change")
        if scope.council_id is not None and obj.council_id != scope.council_id:
            raise CrossCouncilWrite(f"a {type(obj).__name__} of another council cannot be changed here")


# --- PostgreSQL row-level security -------------------------------------------------------------------

_SET_SCOPE_SQL = text(
    "SELECT set_config('konsey.council_id', :council_id, true), set_config('konsey.scope', :scope, true)"
)


def _scope_parameters() -> dict[str, str]:
    scope = _scope.get()
    return {
        "council_id": str(scope.council_id) if scope.council_id else "",
        "scope": "all" if scope.all_councils_reason is not None else "",
    }


@event.listens_for(Session, "after_begin")
def _set_transaction_scope(session: Session, transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    parameters = _scope_parameters()
    # The settings are transaction-local, so a new transaction starts with none: nothing bound, nothing to send.
    if parameters["council_id"] or parameters["scope"]:
        connection.execute(_SET_SCOPE_SQL, parameters)


def _sync_database_setting() -> None:
    """Keep an already open PostgreSQL transaction in step when the binding changes mid-transaction."""
    from flask import has_app_context

    if not has_app_context():
        return
    session = db.session()
    if not session.in_transaction():
        return
    # A failed transaction (a lost connection, a refused statement) waits for its rollback, and the next one
    # sets the scope when it begins. Setting it here would raise in place of the error that broke it (a
    # worker died of that), so a failed transaction is left alone.
    if not session.is_active:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # No savepoint around it: setting two variables cannot fail on a sound transaction, and on a broken one
        # it fails as a savepoint would, to be left alone the same way. Every request of a council comes here
        # once, so the savepoint's two round trips were a sixth of a phone's ballot.
        try:
            connection.execute(_SET_SCOPE_SQL, _scope_parameters())
        except DBAPIError:
            return
