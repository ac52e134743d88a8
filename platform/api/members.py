"""Members of the current council."""

from __future__ import annotations

import uuid
from datetime import date

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core.membership import (
    Member,
    MembershipEvent,
    MemberStatus,
    add_member,
    change_status,
)
from konsey.core.permissions import Permission, requires
from konsey.core.representatives import Capacity, Representative, appoint, end_mandate
from konsey.core.text import turkish_sort_key
from konsey.schemas.base import StrictSchema
from konsey.schemas.members import MemberInputSchema, MemberOutputSchema, MemberUpdateSchema
from konsey.tenants.db import db
from konsey.usecases import members
from konsey.usecases.base import performs

blp = Blueprint("members", __name__, url_prefix="/api/v1/councils/<council_slug>/members", description="Members")


class MemberListArgs(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    q = fields.String(load_default=None, validate=validate.Length(max=100))


def member_or_404(member_id: uuid.UUID) -> Member:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Member, id=member_id)


@blp.route("")
class Members(MethodView):
    @requires(Permission.MEMBERS_VIEW)
    @blp.arguments(MemberListArgs, location="query")
    @blp.response(200, MemberOutputSchema(many=True))
    def get(self, args):
        """Members in Turkish alphabetical order, a page at a time (``Link: rel="next"`` when there is more)."""
        query = select(Member).order_by(Member.sort_name, Member.id)
        if args["q"]:
            query = query.where(Member.sort_name.startswith(turkish_sort_key(args["q"])))
        per_page = args["per_page"]
        rows = db.session.scalars(query.limit(per_page + 1).offset((args["page"] - 1) * per_page)).all()
        headers = {}
        if len(rows) > per_page:
            rows = rows[:per_page]
            next_url = url_for("members.Members", page=args["page"] + 1, per_page=per_page, q=args["q"])
            headers["Link"] = f'<{next_url}>; rel="next"'
        return rows, 200, headers

    @requires(Permission.MEMBERS_MANAGE)
    @blp.arguments(MemberInputSchema)
    @blp.response(201, MemberOutputSchema)
    def post(self, data):
        member = add_member(data)
        db.session.commit()
        return member


class MemberStatusChangeSchema(StrictSchema):
    status = fields.Enum(MemberStatus, by_value=True, required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))
    on = fields.Date(load_default=None)


class MembershipEventSchema(Schema):
    status = fields.Enum(MemberStatus, by_value=True)
    reason = fields.String()
    on = fields.Date()


@blp.route("/<uuid:member_id>/history")
class History(MethodView):
    @requires(Permission.MEMBERS_VIEW)
    @blp.response(200, MembershipEventSchema(many=True))
    def get(self, member_id):
        member = member_or_404(member_id)
        return db.session.scalars(select(MembershipEvent).where(MembershipEvent.member_id == member.id)
                                  .order_by(MembershipEvent.on, MembershipEvent.created_at)).all()

    @requires(Permission.MEMBERS_MANAGE)
    @blp.arguments(MemberStatusChangeSchema)
    @blp.response(201, MembershipEventSchema)
    def post(self, data, member_id):
        """Suspend, end or restore a membership, with the reason."""
        event = change_status(member_or_404(member_id), data["status"], data["reason"], data["on"] or date.today())
        db.session.commit()
        return event


class RepresentativeSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    capacity = fields.Enum(Capacity, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    mandate_letter = fields.String(required=True, validate=validate.Length(min=3, max=200))
    mandate_expires_on = fields.Date(required=True)
    valid = fields.Function(lambda r: r.valid_on(date.today()), dump_only=True)


@blp.route("/<uuid:member_id>/representatives")
class Representatives(MethodView):
    @requires(Permission.MEMBERS_VIEW)
    @blp.response(200, RepresentativeSchema(many=True))
    def get(self, member_id):
        member = member_or_404(member_id)
        return db.session.scalars(select(Representative).where(Representative.member_id == member.id)
                                  .order_by(Representative.mandate_expires_on.desc())).all()

    @requires(Permission.MEMBERS_MANAGE)
    @blp.arguments(RepresentativeSchema)
    @blp.response(201, RepresentativeSchema)
    def post(self, data, member_id):
        """Record an institution's representative or substitute with their mandate letter."""
        representative = appoint(member_or_404(member_id), data["capacity"], data["name"], data["mandate_letter"],
                                 data["mandate_expires_on"])
        db.session.commit()
        return representative


@blp.route("/<uuid:member_id>/representatives/<uuid:representative_id>")
class RepresentativeMandate(MethodView):
    @requires(Permission.MEMBERS_MANAGE)
    @blp.response(200, RepresentativeSchema)
    def delete(self, member_id, representative_id):
        """End a representative's mandate today (the record is kept)."""
        member = member_or_404(member_id)
        representative = one_or_404(Representative, id=representative_id, member_id=member.id)
        end_mandate(representative)
        db.session.commit()
        return representative


@blp.route("/<uuid:member_id>")
class MemberDetail(MethodView):
    @performs(members.show_member)
    @blp.response(200, MemberOutputSchema)
    def get(self, member_id):
        return members.show_member(member_id)

    @performs(members.update_member)
    @blp.arguments(MemberUpdateSchema(partial=True))
    @blp.response(200, MemberOutputSchema)
    def patch(self, data, member_id):
        return members.update_member(member_id, data)

    @performs(members.erase_member)
    @blp.response(204)
    def delete(self, member_id):
        """Erase a member's record (KVKK erasure request)."""
        members.erase_member(member_id)


