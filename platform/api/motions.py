"""Motions to the municipal council and their follow-up."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api import paging
from konsey.api.base import takes
from konsey.schemas.base import PageArgs
from konsey.schemas.motions import MilestoneSchema, MotionSchema
from konsey.usecases import follow_up, motions
from konsey.usecases.base import performs

blp = Blueprint("motions", __name__, url_prefix="/api/v1/councils/<council_slug>/motions", description="Motions")


@blp.route("")
class Motions(MethodView):
    @performs(motions.list_motions)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MotionSchema(many=True))
    def get(self, args):
        """The motions, the latest first, a page at a time, with their status, due date and whether overdue
        (``Link: rel="next"`` when there is more)."""
        return paging.answer(motions.list_motions(args["page"], args["per_page"]), "motions.Motions",
                             args["per_page"])

    @performs(motions.adopt_motion)
    @takes(motions.adopt_motion)
    @blp.response(201, MotionSchema)
    def post(self, data):
        """Make an adopted decision a motion to the municipal council (queued for delivery)."""
        return motions.adopt_motion(data)


@blp.route("/<uuid:motion_id>")
class MotionDetail(MethodView):
    @performs(motions.show_motion)
    @blp.response(200, MotionSchema)
    def get(self, motion_id):
        """A motion with its status, its answer's due date (from the municipal council's calendar) and answer."""
        return motions.show_motion(motion_id)


@blp.route("/<uuid:motion_id>/status")
class Status(MethodView):
    @performs(motions.advance_motion)
    @takes(motions.advance_motion)
    @blp.response(200, MotionSchema)
    def post(self, data, motion_id):
        return motions.advance_motion(motion_id, data)


@blp.route("/<uuid:motion_id>/answer")
class Answer(MethodView):
    @performs(motions.record_answer)
    @takes(motions.record_answer)
    @blp.response(200, MotionSchema)
    def post(self, data, motion_id):
        """Record the municipal council's answer, with its own decision date and number as it gives them."""
        return motions.record_answer(motion_id, data)


@blp.route("/<uuid:motion_id>/receipt-links/revoke")
class ReceiptLinks(MethodView):
    @performs(motions.revoke_receipt_links)
    @blp.response(204)
    def post(self, motion_id):
        """Void the receipt links sent so far for this motion."""
        motions.revoke_receipt_links(motion_id)


@blp.route("/<uuid:motion_id>/milestones")
class Milestones(MethodView):
    @performs(motions.show_motion)
    @blp.response(200, MilestoneSchema(many=True))
    def get(self, motion_id):
        """The implementation milestones of a motion, oldest first."""
        return follow_up.milestones(motion_id)

    @performs(follow_up.add_milestone)
    @takes(follow_up.add_milestone)
    @blp.response(201, MilestoneSchema(many=True))
    def post(self, data, motion_id):
        """A step in carrying out the municipal council's decision (planned, in progress, done, abandoned),
        dated when it happened; after the municipal answer only."""
        follow_up.add_milestone(motion_id, data)
        return follow_up.milestones(motion_id)
