"""A benchmark baseline, registered only with KONSEY_BASELINE_ENDPOINTS=1.

It answers ``GET /api/v1/councils/<slug>/members`` by hand: the same token check, argument schema, query and
output schema, but none of the tenancy machinery — no URL resolver, no policy guard, no ORM scoping events
(a Core query, so no entity loading either), no council binding. The transaction-local council setting is
written by hand, because without it PostgreSQL's row-level security (rightly) shows no rows.
``bench/tenancy.py`` compares the two.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import select, text

from konsey.api.members import MemberListArgs
from konsey.core.accounts import roles_in, token_from_secret
from konsey.core.membership import Member
from konsey.core.permissions import Permission, allowed, public
from konsey.schemas.members import MemberOutputSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council

bp = Blueprint("baseline", __name__, url_prefix="/api/v1/_baseline")
_members = Member.__table__
_arguments = MemberListArgs()
_schema = MemberOutputSchema(many=True)


@bp.get("/councils/<slug>/members")
@public
def members(slug: str):
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = token_from_secret(secret.strip()) if scheme.lower() == "bearer" else None
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if token is None or council is None or token.council_id not in (None, council.id):
        abort(404)
    if not allowed(Permission.MEMBERS_VIEW, roles_in(token.user, council.id), token.user.platform_role):
        abort(404)
    args = _arguments.load(request.args)
    per_page = args["per_page"]
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council.id)})
    rows = connection.execute(
        select(_members)
        .where(_members.c.council_id == council.id)
        .order_by(_members.c.sort_name, _members.c.id)
        .limit(per_page + 1)
        .offset((args["page"] - 1) * per_page)
    ).all()
    return jsonify(_schema.dump([SimpleNamespace(**row._mapping) for row in rows[:per_page]]))
