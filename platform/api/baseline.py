"""A benchmark baseline, registered only with KONSEY_BASELINE_ENDPOINTS=1.

It answers the same question as ``GET /api/v1/councils/<slug>/members`` with the same authentication, but
by hand: no URL resolver, no policy guard, no ORM scoping events. ``bench/tenancy.py`` compares the two.
The transaction-local council setting is still written, because without it PostgreSQL's row-level security
(rightly) shows no rows.
"""

from __future__ import annotations

from flask import Blueprint, abort, request
from sqlalchemy import select, text

from konsey.core.accounts import roles_in, token_from_secret
from konsey.core.db import db
from konsey.core.member_schemas import MemberOutputSchema
from konsey.core.membership import Member
from konsey.core.permissions import Permission, allowed, public
from konsey.tenants.models import Council

bp = Blueprint("baseline", __name__, url_prefix="/api/v1/_baseline")
_members = Member.__table__
_schema = MemberOutputSchema(many=True)


@bp.get("/councils/<slug>/members")
@public
def members(slug: str):
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = token_from_secret(secret.strip()) if scheme.lower() == "bearer" else None
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if token is None or council is None:
        abort(404)
    if not allowed(Permission.MEMBERS_VIEW, roles_in(token.user, council.id), token.user.platform_role):
        abort(404)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council.id)})
    per_page = min(request.args.get("per_page", 50, type=int), 200)
    page = max(request.args.get("page", 1, type=int), 1)
    rows = connection.execute(
        select(_members)
        .where(_members.c.council_id == council.id)
        .order_by(_members.c.sort_name, _members.c.id)
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return _schema.dump([Member(**row._mapping) for row in rows[:per_page]])
