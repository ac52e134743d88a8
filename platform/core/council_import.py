"""A council's export brought back: into an instance that does not hold it (a restore, or a move to another
installation), with its ids, so that every reference and the audit chain stay as they were.

What an export never carries is made anew: the webhook secret (a new one, to be given to the municipality
again) and the signing key (made on the next package). Role grants come back for the people who have an
account here with the same address; invitations do not (they were secrets too)."""

from __future__ import annotations

import base64
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, LargeBinary, Numeric, Uuid, select, update
from sqlalchemy import Enum as EnumType
from sqlalchemy.types import TypeDecorator

from konsey.core.accounts import CouncilRole, User
from konsey.core.council_keys import CouncilKey
from konsey.core.delivery import DeliveryRoute, new_secret
from konsey.core.errors import Conflict, Invalid
from konsey.core.membership import Member
from konsey.core.motions import Motion
from konsey.core.rules.follow_up import estimated_due
from konsey.core.special_data import sealed_fields_of
from konsey.core.text import search_key
from konsey.tenants.db import council_owned_models, db
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council

FORMAT = "konsey-council-export/1"
# No private key leaves in an export: a new one is made when needed (and the council's data keys when it seals).
NOT_RESTORED = {CouncilKey.__tablename__, "council_data_keys"}


def _value(column, value):
    """A JSON value of the export as the column's Python type."""
    if value is None:
        return None
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric):
        return Decimal(value)
    if isinstance(kind, EnumType) and kind.enum_class is not None and issubclass(kind.enum_class, enum.Enum):
        return kind.enum_class(value)
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)  # the export writes documents in base64
    return value


def _rows(table, rows: list[dict]) -> list[dict]:
    columns = {c.name: c for c in table.columns}
    return [{name: _value(columns[name], value) for name, value in row.items() if name in columns} for row in rows]


def _seal(model, rows: list[dict], council_id: uuid.UUID) -> None:
    """An export carries special-category values opened: they are sealed again here, with this installation's
    keys for the council (and an identity number's keyed hash made anew)."""
    for field in sealed_fields_of(model):
        for row in rows:
            if field.name not in row:
                continue
            value = row[field.name]
            row[field.name] = field.sealed(value, council_id)
            row.update(field.derived(value, council_id))


def import_council(document: dict) -> tuple[Council, dict[str, int]]:
    """Restore a council from its export; returns it with the rows restored per table. Refuses a document of another format, and a council whose id or
    address this instance already has (restore into a fresh database, or archive and purge the old one)."""
    if document.get("format") != FORMAT or "council" not in document or "tables" not in document:
        raise Invalid({"file": [f"not a Konsey council export ({FORMAT})"]})
    council_row = document["council"]
    existing = db.session.scalar(select(Council).where(
        (Council.id == uuid.UUID(council_row["id"])) | (Council.slug == council_row["slug"])))
    if existing is not None:
        raise Conflict({"slug": [f"this instance already has the council {existing.slug}"]})
    council_id = uuid.UUID(council_row["id"])
    db.session.execute(Council.__table__.insert(), _rows(Council.__table__, [council_row]))
    tables = document["tables"]
    models = {model.__tablename__: model for model in council_owned_models()}
    owned = {name: model.__table__ for name, model in models.items()}
    counts: dict[str, int] = {}
    with bound_council(council_id):  # row-level security checks every row on PostgreSQL
        # Parents before children: the metadata's order follows the foreign keys.
        for table in db.Model.metadata.sorted_tables:
            if table.name not in owned or table.name in NOT_RESTORED or not tables.get(table.name):
                continue
            rows = _rows(table, tables[table.name])
            for row in rows:
                # Every row is this council's, whatever the file says: a file edited to name another council
                # would write into it (a Core insert passes no ORM guard).
                row["council_id"] = council_id
            _seal(models[table.name], rows, council_id)
            if table.name == DeliveryRoute.__tablename__:
                for row in rows:
                    row["secret"] = new_secret()  # the old one never left; the municipality gets the new one
            if table.name == Member.__tablename__:
                for row in rows:  # derived from the name (an older export has none): made here, never trusted
                    row["search_name"] = search_key(row.get("name") or "")
            # A row naming another of its table (a duplicate proposal merged into another) is inserted without that
            # name first, then given it: the file's order is not the references' order.
            pointing = [fk.parent.name for fk in table.foreign_keys
                        if fk.column.table is table and fk.parent.name != "council_id"]
            later = [{"id": row.get("id"), **{name: row.get(name) for name in pointing}} for row in rows
                     if any(row.get(name) is not None for name in pointing)]
            db.session.execute(table.insert(), [{**row, **dict.fromkeys(pointing)} for row in rows])
            for row in later:
                db.session.execute(update(table).where(table.c.id == row["id"], table.c.council_id == council_id)
                                   .values({name: row[name] for name in pointing}))
            counts[table.name] = len(rows)
        # An export made before the art. 76 calendar (migration 0033) may carry delivered motions without their
        # due date: they get the estimate, as the migration gave the motions already here.
        for motion in db.session.scalars(select(Motion).where(Motion.delivered_on.is_not(None),
                                                              Motion.answer_due_on.is_(None))):
            motion.answer_due_on, motion.answer_due_estimated = estimated_due(motion.delivered_on), True
        for grant in tables.get(CouncilRole.__tablename__, []):
            user = db.session.scalar(select(User).where(User.email == grant.get("email")))
            if user is not None:
                row = _rows(CouncilRole.__table__, [grant])[0]
                db.session.execute(CouncilRole.__table__.insert(), [{**row, "user_id": user.id,
                                                                     "council_id": council_id}])
    db.session.flush()
    return db.session.get(Council, council_id), counts
