"""A council's full export: every council-owned row, plugins' tables included (KVKK data portability)."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect, select

from konsey.core.accounts import CouncilRole, Invitation
from konsey.tenants.db import council_owned_models, db, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council

# Secrets never leave in an export: a re-import makes new ones (webhook secret, signing key).
SECRET_COLUMNS = frozenset({"secret", "private_key_encrypted", "digest", "password_hash"})


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)  # money keeps its two decimals exactly
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj) -> dict:
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs
            if attr.key not in SECRET_COLUMNS}


def export_council(council: Council) -> dict:
    document = {"format": "konsey-council-export/1", "exported_at": utcnow().isoformat(), "council": _row(council)}
    with bound_council(council.id):
        tables = {}
        for model in council_owned_models():
            rows = db.session.scalars(select(model)).all()
            tables[model.__tablename__] = [_row(r) for r in rows]
    # Role grants and invitations are platform tables, read here for this one council only.
    tables["council_roles"] = [
        {**_row(r), "email": r.user.email}
        for r in db.session.scalars(select(CouncilRole).where(CouncilRole.council_id == council.id))
    ]
    tables["invitations"] = [
        _row(i)
        for i in db.session.scalars(select(Invitation).where(Invitation.council_id == council.id))
    ]
    document["tables"] = tables
    return document
