"""The database handle and the base classes every model builds on.

Two kinds of table exist:

* platform tables (councils, user accounts, role grants, tokens, the platform audit log), which the
  authentication and operator layers read directly;
* council-owned tables, which mix in :class:`CouncilOwned`. Their rows are scoped to the current council
  automatically (see :mod:`konsey.tenants.scoping`); no query in the code base filters them by hand.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Enum, ForeignKey, ForeignKeyConstraint, MetaData, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The demo's year of life is seeded as it happened: the platform's clock set back to each meeting while it is
# held (``as_of``), running on from there, so that a vote closes minutes after it opened, months ago. Never set
# while a request or a task runs.
_as_of: ContextVar[tuple[datetime, float] | None] = ContextVar("konsey_as_of", default=None)


def utcnow() -> datetime:
    set_back = _as_of.get()
    if set_back is None:
        return datetime.now(UTC)
    moment, started = set_back
    return moment + timedelta(seconds=time.monotonic() - started)


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Run a block as if it began at ``moment`` (the demo's history), the clock running on from there."""
    token = _as_of.set((moment, time.monotonic()))
    try:
        yield
    finally:
        _as_of.reset(token)


def as_utc(moment: datetime) -> datetime:
    """The instant in UTC: SQLite returns naive datetimes even for timezone-aware columns (every stored time is
    UTC), and PostgreSQL returns aware ones in its session's time zone (a server set up in İstanbul: +03)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class UtcDateTime(TypeDecorator):
    """An instant, always stored as UTC and always read back aware.

    SQLite keeps no time zone: an aware 18:00 in İstanbul would be written as "18:00" and read back as 18:00
    UTC (three hours late). So every instant is turned to UTC on the way in, and a naive value read back
    (SQLite) is UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        # Read back in UTC whatever the server's time zone: the audit chain hashes the instant's UTC form, and a
        # cluster initialised in İstanbul returned +03:00 (every entry then looked changed).
        return as_utc(value) if value is not None else None


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UtcDateTime()},
    )


db = SQLAlchemy(model_class=Base)


def enum_of(enum_class: type[enum.Enum], length: int = 32) -> Enum:
    """A column type storing an enum's values (not names) as plain strings, the same on every database."""
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class HasId:
    """A random UUID primary key: ids in URLs are never guessable sequences."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)


class CouncilOwned(HasId):
    """Mixin for every table whose rows belong to exactly one council.

    The council id is stamped on insert and can never change; reads are filtered by the scoping layer;
    ``(council_id, id)`` is unique so that other council-owned tables can reference a row with a composite
    foreign key, which makes a cross-council reference impossible in the database itself. Put extra
    constraints and indexes (council_id first) in ``__council_table_args__``.
    """

    __council_table_args__: tuple = ()

    @declared_attr
    @classmethod
    def council_id(cls) -> Mapped[uuid.UUID]:
        # Part of the table's primary key, (council_id, id): a distributed PostgreSQL (Citus, docs/scaling.md)
        # needs the distribution column in it. The ORM still knows a row by its id alone (``__mapper_args__``).
        return mapped_column(Uuid, ForeignKey("councils.id", ondelete="RESTRICT"), nullable=False, primary_key=True)

    @declared_attr.directive
    @classmethod
    def __mapper_args__(cls) -> dict:
        return {"primary_key": [cls.__table__.c.id]}

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("council_id", "id"), *cls.__council_table_args__)


def same_council_fk(column: str, target_table: str, *, ondelete: str | None = None) -> ForeignKeyConstraint:
    """A foreign key to another council-owned table that also matches ``council_id``.

    The database then refuses a row that points into another council, whatever the application does.
    """
    return ForeignKeyConstraint(
        ["council_id", column],
        [f"{target_table}.council_id", f"{target_table}.id"],
        ondelete=ondelete,
    )


def council_owned_models() -> list[type[CouncilOwned]]:
    """Every mapped council-owned class, core and plugins alike."""
    return sorted(
        (m.class_ for m in Base.registry.mappers if issubclass(m.class_, CouncilOwned)),
        key=lambda cls: cls.__tablename__,
    )


LOCK_MODES = {"update": True, "no_key_update": {"key_share": True}, "share": {"read": True},
              "key_share": {"read": True, "key_share": True}}


def lock(row, mode: str = "update"):
    """Lock ``row`` for the rest of the unit of work and read it afresh: the one way to make two requests that
    decide on the same row (close a vote, cast into it) take their turns, on both databases.

    PostgreSQL locks the row in ``mode``: ``update`` (whoever decides on the row alone), ``no_key_update``
    (changes the row but not its key: beside ``key_share``), ``share``, ``key_share`` (many at once, beside
    anything but ``update``). SQLite has no row locks, and pysqlite reads outside a transaction until the first
    write: two closes of one vote both read it open and both closed it. There the unit of work takes the
    database's write lock first (``BEGIN IMMEDIATE``, waiting for another writer up to the busy timeout), so
    what it reads next stays true until it commits, whatever the mode."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # pysqlite's legacy transaction control (Python 3.11's default, which the app keeps): a read opens no
        # transaction, so one already open here began with a write (or a savepoint, BEGIN IMMEDIATE) and holds
        # the writer's lock. Were reads ever to open one (autocommit=False, SQLAlchemy's "BEGIN on begin" recipe),
        # this would no longer hold: say so loudly rather than decide on a stale read.
        dbapi = connection.connection.dbapi_connection
        if getattr(dbapi, "autocommit", None) is False:  # Python 3.12's PEP 249 mode: reads open transactions
            raise RuntimeError("konsey.tenants.db.lock needs pysqlite's legacy transaction control")
        if not dbapi.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        db.session.refresh(row)
        return row
    db.session.refresh(row, with_for_update=LOCK_MODES[mode])
    return row
