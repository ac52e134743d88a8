"""The municipal council's meeting calendar: it sets when each motion's answer is due (Law 5393 art. 76, 20)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from konsey.api.base import BINARY, takes
from konsey.schemas.base import StrictSchema
from konsey.schemas.motions import MunicipalMeetingSchema
from konsey.usecases import follow_up
from konsey.usecases.base import performs

blp = Blueprint("municipal_calendar", __name__, url_prefix="/api/v1/councils/<council_slug>/municipal-calendar",
                description="The municipal council's meetings (due dates of the answers)")


class YearArgs(StrictSchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2200))


class AddedSchema(Schema):
    added = fields.Integer()


@blp.route("")
class Calendar(MethodView):
    @performs(follow_up.municipal_calendar)
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, MunicipalMeetingSchema(many=True))
    def get(self, args):
        return follow_up.municipal_calendar(args["year"])

    @performs(follow_up.add_municipal_meeting)
    @takes(follow_up.add_municipal_meeting)
    @blp.response(201, MunicipalMeetingSchema)
    def post(self, data):
        """One meeting, regular or extraordinary; waiting motions take their due date from the new calendar."""
        return follow_up.add_municipal_meeting(data)


@blp.route("/<uuid:meeting_id>")
class CalendarEntry(MethodView):
    @performs(follow_up.remove_municipal_meeting)
    @blp.response(204)
    def delete(self, meeting_id):
        follow_up.remove_municipal_meeting(meeting_id)


@blp.route("/regular")
class Regular(MethodView):
    @performs(follow_up.add_regular_meetings)
    @takes(follow_up.add_regular_meetings)
    @blp.response(201, AddedSchema)
    def post(self, data):
        """A year's regular monthly meetings at once (the days already recorded stay)."""
        return {"added": follow_up.add_regular_meetings(data)}


@blp.route("/import")
class Import(MethodView):
    @performs(follow_up.import_municipal_calendar)
    @blp.doc(requestBody={"required": True, "content": {
        "text/calendar": {"schema": BINARY}, "text/csv": {"schema": BINARY},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                           "properties": {"file": BINARY}}}}})
    @blp.response(201, AddedSchema)
    def post(self):
        """An .ics calendar or a CSV (``date`` as dd.mm.yyyy, optional ``kind``) as the request body or as the
        ``file`` of a multipart form."""
        upload = request.files.get("file")
        return {"added": follow_up.import_municipal_calendar(upload.read() if upload else request.get_data())}
