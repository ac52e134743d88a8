"""Personal data the law calls special (KVKK art. 6) and identity numbers: sealed at rest, every read recorded.

A model declares such a field with :class:`Sealed` beside the column that stores it sealed::

    tckn_sealed: Mapped[str | None] = mapped_column("tckn", Text)
    tckn = Sealed(IDENTITY, subjects="members", purpose=..., indexed_by="tckn_hash")

Reading ``member.tckn`` opens the value with the council's data key (:mod:`konsey.core.keyring`) and, when a
person is reading (a request with someone signed in, or a member on their phone), notes the read; the request
writes one :class:`SpecialDataRead` per record it read (who, which record, which fields, from which route —
never a value) when it ends. Setting it seals. The declarations are the processing inventory
(:func:`declared_fields`): what the data officer exports for VERBİS is read from the code, not written beside it.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Uuid, func, insert, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import outbox
from konsey.core.audit import acting_member_id, current_actor_id
from konsey.core.keyring import (
    PREFIX,
    current_version,
    drop_data_keys_below,
    forget_session_keys,
    keyed_hash,
    newest_data_key,
    seal,
    unseal,
)
from konsey.tenants.db import CouncilOwned, as_utc, db, new_id, utcnow
from konsey.tenants.scoping import current_council_id


class Category(enum.StrEnum):
    """The kinds of data :class:`Sealed` protects, as VERBİS names its categories."""

    IDENTITY = "identity"  # T.C. kimlik numarası (KVKK: protected by the Board's decisions, not art. 6)
    AFFILIATION = "affiliation"  # association, foundation, union membership; political party (art. 6)
    HEALTH = "health"  # disability, carers, accessibility needs (art. 6)
    CHILD = "child"  # a minor's data, and their guardians' (art. 6's care; the Board's guidance on children)


CATEGORY_LABELS = {
    Category.IDENTITY: _l("Identity (T.C. identity number)"),
    Category.AFFILIATION: _l("Association, foundation, union or party membership"),
    Category.HEALTH: _l("Health (disability, accessibility)"),
    Category.CHILD: _l("Children and their guardians"),
}


@dataclass(eq=False)
class Sealed:
    """A field whose value is kept sealed with the council's data key in the column ``<name>_sealed`` maps.

    ``subjects``: whose data it is (VERBİS's data subject group); ``purpose`` and ``legal_basis``: why it is
    processed; ``label``: what the field is and ``record``: what its reads are recorded against, for a person; ``kind``: ``str``, ``date`` or ``dict`` (JSON); ``indexed_by``: a column that keeps the value's
    keyed hash, to find and keep it unique without the plain value; ``hint_by``: a column that keeps its last two
    characters, so that a masked display (``*********46``) opens nothing and records no read; ``kept``: the by-law parameter saying how long
    it is kept once its purpose ends (konsey.core.retention); ``subject``: where the row is part of another
    record (a carer's name of a member's), that record's table and the column naming it: a read is recorded
    against the person whose record it is."""

    category: Category
    subjects: Any  # translated texts (lazy): the inventory is read in the reader's language
    purpose: Any
    legal_basis: Any
    label: Any = None  # what the field is, for a person ("T.C. identity number")
    record: Any = None  # what a read is recorded against, for a person ("Member")
    kind: type = str
    indexed_by: str | None = None
    hint_by: str | None = None  # a column that keeps the value's last two characters, for a masked display
    kept: str | None = None  # the by-law parameter of the days it is kept after its purpose ends (retention)
    subject: tuple[str, str] | None = None  # (table, column of the row naming it): whose record this is
    name: str = ""
    table: str = ""

    def __set_name__(self, owner, name: str) -> None:
        self.name, self.table = name, owner.__tablename__
        self.model = owner
        DECLARED.append(self)
        RECORD_LABELS.setdefault(self.subject[0] if self.subject else self.table, self.record)

    @property
    def store(self) -> str:
        return f"{self.name}_sealed"

    @property
    def key(self) -> str:
        """What the sealed value is bound to, beside the council: its table and field."""
        return f"{self.table}.{self.name}"

    def plain(self, row):
        """The value, opened, without noting a read (the platform's own work: an export, a reseal). Opened once
        per stored value and row: a page that shows an applicant's form reads it field by field."""
        stored = getattr(row, self.store)
        if stored is None:
            return None
        opened = row.__dict__.setdefault("_konsey_opened", {})
        if opened.get(self.name, (None,))[0] != stored:
            text = unseal(stored, self.key, row.council_id)
            value = date.fromisoformat(text) if self.kind is date else json.loads(text) if self.kind is dict else text
            opened[self.name] = (stored, value)
        value = opened[self.name][1]
        return dict(value) if self.kind is dict else value  # a copy: a change is made by setting the field

    def sealed(self, value, council_id: uuid.UUID | None) -> str | None:
        if value is None:
            return None
        if self.kind is date:  # a date, or its ISO text (an export's)
            text = value.isoformat() if isinstance(value, date) else date.fromisoformat(str(value)).isoformat()
        elif self.kind is dict:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        else:
            text = str(value)
        return seal(text, self.key, council_id)

    def __get__(self, row, owner=None):
        if row is None:
            return self
        value = self.plain(row)
        if value is not None:
            note_read(row, self)
        return value

    def __set__(self, row, value) -> None:
        council_id = getattr(row, "council_id", None)
        setattr(row, self.store, self.sealed(value, council_id))
        for column, derived in self.derived(value, council_id).items():
            setattr(row, column, derived)

    def derived(self, value, council_id: uuid.UUID | None) -> dict:
        """The columns kept beside the sealed value (its keyed hash, its hint), as ``value`` makes them."""
        columns = {}
        if self.indexed_by is not None:
            columns[self.indexed_by] = keyed_hash(str(value), council_id) if value else None
        if self.hint_by is not None:
            columns[self.hint_by] = str(value)[-2:] if value else None
        return columns


DECLARED: list[Sealed] = []
# What each kind of record a read is recorded against is called, for a person (the declarations add theirs).
RECORD_LABELS: dict[str, Any] = {"export_jobs": _l("Full export of the council")}


def record_label(table: str) -> str:
    return str(RECORD_LABELS.get(table) or table)


def field_label(key: str) -> str:
    """A read field's name for a person (``members.tckn`` → "T.C. identity number")."""
    return next((str(field.label) for field in DECLARED if field.key == key and field.label), key)


def declared_fields() -> list[Sealed]:
    """Every sealed field the code declares, core and plugins (those imported), in table order."""
    return sorted(DECLARED, key=lambda field: (field.table, field.name))


def sealed_fields_of(model) -> list[Sealed]:
    return [field for field in DECLARED if issubclass(model, field.model)]


def lookup_hash(value: str) -> str:
    """The keyed hash the bound council keeps for ``value`` (find an identity number by it)."""
    return keyed_hash(value)


# --- who read what --------------------------------------------------------------------------------------------


class SpecialDataRead(CouncilOwned, db.Model):
    """A person read a record's special-category fields: who, which record, which fields, when, from where. No
    value is ever written here."""

    __tablename__ = "special_data_reads"

    at: Mapped[datetime] = mapped_column(default=utcnow)
    reader_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reader_member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # a member on their phone
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    route: Mapped[str] = mapped_column(String(160))  # why: the page, API operation or job that read it

    __council_table_args__ = (db.Index("ix_special_data_reads_council_at", "council_id", "at"),)


def record_of(row, field: Sealed) -> tuple[str, str]:
    """(table, id) of the record a read of ``field`` in ``row`` is recorded against: the row's own, or the record
    it is part of (a carer's name is part of the member's)."""
    if field.subject is not None:
        table, column = field.subject
        owner = getattr(row, column)
        if owner is not None:
            return table, str(owner)
    return type(row).__tablename__, str(row.id)


def note_read(row, field: Sealed) -> None:
    """Remember, for the request's end, that its person read ``field`` of ``row``. Code running for no person
    (the worker, a command) reads without a note: :func:`record_platform_read` says why where it matters."""
    if not has_request_context():
        return
    reader = (current_actor_id(), acting_member_id())
    if reader == (None, None):
        return
    reads = g.setdefault("konsey_special_reads", {})
    reads.setdefault((reader, *record_of(row, field)), set()).add(field.key)


def reads_of_this_request() -> list[dict]:
    """The reads noted so far in this request, as rows to record (and forgotten here)."""
    reads = g.pop("konsey_special_reads", None) if has_request_context() else None
    if not reads:
        return []
    route = f"{request.method} {request.endpoint or request.path}"[:160]
    return [{"reader_user_id": user_id, "reader_member_id": member_id, "record_type": table, "record_id": record_id,
             "fields": sorted(fields), "route": route}
            for ((user_id, member_id), table, record_id), fields in reads.items()]


def record_reads(reads: list[dict]) -> int:
    """One row per record read, in one statement (a list of 200 institutions reads 200 records)."""
    if reads:
        now, council_id = utcnow(), current_council_id()
        db.session.execute(insert(SpecialDataRead), [{"id": new_id(), "council_id": council_id, "at": now, **read}
                                                     for read in reads])
    return len(reads)


def record_platform_read(reader_user_id: uuid.UUID | None, record_type: str, record_id: str, fields: list[str],
                         route: str) -> None:
    """A read the platform did for a person outside a request (the export the secretary asked for)."""
    db.session.add(SpecialDataRead(at=utcnow(), reader_user_id=reader_user_id, record_type=record_type,
                                   record_id=record_id, fields=sorted(fields), route=route[:160]))



# --- sealing again after a new data key (or for values stored before sealing began) -------------------------


# A data key that no longer seals is dropped only this long after its successor was made: a transaction that looked
# the key up before the rotation (konsey.core.keyring._session_keys) may still seal a value with it, and an export
# sealed with it waits a week (konsey.core.export.EXPORT_KEPT) for its download.
KEY_DROP_GRACE = timedelta(days=8)


def _fields_here() -> list[Sealed]:
    """The declared fields whose tables exist in this database (a plugin's, once its migrations have run): the
    database is asked once."""
    tables = set(inspect(db.session.get_bind()).get_table_names())
    return [field for field in declared_fields() if field.table in tables]


def _not_current(field: Sealed, version: int):
    column = getattr(field.model, field.store)
    return column.is_not(None), ~column.like(f"{PREFIX}:{version}:%")


def seal_progress() -> tuple[int, int, int | None]:
    """(values sealed with the council's newest key, values in all, that key's version) over every declared field;
    a council that has sealed nothing yet has no key (none is made for looking)."""
    newest = newest_data_key()
    version = newest.version if newest is not None else None
    total = done = 0
    for field in _fields_here():
        column = getattr(field.model, field.store)
        total += db.session.scalar(select(func.count()).select_from(field.model).where(column.is_not(None))) or 0
        done += db.session.scalar(select(func.count()).select_from(field.model)
                                  .where(column.like(f"{PREFIX}:{version}:%"))) or 0
    return done, total, version


def reseal_batch(limit: int = 500) -> int:
    """Seal again with the council's newest key up to ``limit`` values sealed with an older one (or stored in the
    clear before sealing began); how many. Nothing is read for a person: no read is noted."""
    forget_session_keys()
    version = current_version()
    moved = 0
    for field in _fields_here():
        if moved >= limit:
            break
        # Locked as they are read (PostgreSQL; SQLite's writer holds the database): an edit made meanwhile waits for
        # this batch, rather than being overwritten by the value read before it.
        for row in db.session.scalars(select(field.model).where(*_not_current(field, version)).limit(limit - moved)
                                      .with_for_update(skip_locked=True)):
            setattr(row, field.name, field.plain(row))  # sealed anew by the field itself, its hash and hint made again
            moved += 1
    db.session.flush()
    return moved


def drop_retired_keys(now: datetime | None = None) -> int:
    """Drop the council's older data keys once nothing is sealed with them and the newest is past its grace."""
    newest = newest_data_key()
    if newest is None or as_utc(newest.created_at) > (now or utcnow()) - KEY_DROP_GRACE:
        return 0
    if any(db.session.scalar(select(func.count()).select_from(field.model).where(*_not_current(field, newest.version)))
           for field in _fields_here()):
        return 0
    return drop_data_keys_below(newest.version)


@outbox.handles("keys.rotated")
def _on_data_key_rotated(event: outbox.OutboxEvent, keep) -> None:
    """The worker seals the council's values again with its new key, a batch at a time, each batch kept (the
    council's page shows the share done); a redelivered event goes on from where the last one stopped."""
    while reseal_batch(500):
        keep()
