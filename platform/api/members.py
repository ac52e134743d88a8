"""Members of the current council."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.members import (
    MemberListArgs,
    MemberOutputSchema,
    MembershipEventSchema,
    RepresentativeSchema,
)
from konsey.usecases import members
from konsey.usecases.base import performs

blp = Blueprint("members", __name__, url_prefix="/api/v1/councils/<council_slug>/members", description="Members")


@blp.route("")
class Members(MethodView):
    @performs(members.list_members)
    @blp.arguments(MemberListArgs, location="query")
    @blp.response(200, MemberOutputSchema(many=True))
    def get(self, args):
        """Members in Turkish alphabetical order, a page at a time (``Link: rel="next"`` when there is more,
        continuing with ``after``)."""
        rows, more = members.list_members(args["page"], args["per_page"], args["q"], category=args["category"],
                                          status=args["status"], body_id=args["body_id"], after=args["after"])
        headers = {}
        if more:  # the next page continues after the last member of this one (keyset, not an offset)
            filters = {k: v for k in ("q", "category", "status", "body_id") if (v := args[k]) is not None}
            next_url = url_for("members.Members", after=members.member_cursor(rows[-1]), per_page=args["per_page"],
                               **filters)
            headers["Link"] = f'<{next_url}>; rel="next"'
        return rows, 200, headers

    @performs(members.add_member)
    @takes(members.add_member)
    @blp.response(201, MemberOutputSchema)
    def post(self, data):
        return members.add_member(data)


@blp.route("/<uuid:member_id>/history")
class History(MethodView):
    @performs(members.membership_history)
    @blp.response(200, MembershipEventSchema(many=True))
    def get(self, member_id):
        return members.membership_history(member_id)

    @performs(members.change_status)
    @takes(members.change_status)
    @blp.response(201, MembershipEventSchema)
    def post(self, data, member_id):
        """Suspend, end or restore a membership, with the reason."""
        return members.change_status(member_id, data)


@blp.route("/<uuid:member_id>/representatives")
class Representatives(MethodView):
    @performs(members.list_representatives)
    @blp.response(200, RepresentativeSchema(many=True))
    def get(self, member_id):
        return members.list_representatives(member_id)

    @performs(members.appoint_representative)
    @takes(members.appoint_representative)
    @blp.response(201, RepresentativeSchema)
    def post(self, data, member_id):
        """Record an institution's representative or substitute with their mandate letter."""
        return members.appoint_representative(member_id, data)


@blp.route("/<uuid:member_id>/representatives/<uuid:representative_id>")
class RepresentativeMandate(MethodView):
    @performs(members.end_mandate)
    @blp.response(200, RepresentativeSchema)
    def delete(self, member_id, representative_id):
        """End a representative's mandate today (the record is kept)."""
        return members.end_mandate(member_id, representative_id)


@blp.route("/<uuid:member_id>")
class MemberDetail(MethodView):
    @performs(members.show_member)
    @blp.response(200, MemberOutputSchema)
    def get(self, member_id):
        return members.show_member(member_id)

    @performs(members.update_member)
    @takes(members.update_member)
    @blp.response(200, MemberOutputSchema)
    def patch(self, data, member_id):
        return members.update_member(member_id, data)

    @performs(members.erase_member)
    @blp.response(204)
    def delete(self, member_id):
        """Erase a member's record (KVKK erasure request)."""
        members.erase_member(member_id)
