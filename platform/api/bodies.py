"""Bodies of the current council and their seats."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.core.db import db
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.core.schemas import StrictSchema
from konsey.core.seats import (
    Seat,
    SeatRole,
    assign_seat,
    body_parity,
    create_body,
    end_seat,
    full_membership,
    seats_on,
)
from konsey.tenants import bylaw_profiles
from konsey.tenants.models import Body, BodyKind

blp = Blueprint("bodies", __name__, url_prefix="/api/v1/councils/<council_slug>/bodies", description="Bodies and seats")


class BodySchema(Schema):
    id = fields.UUID()
    kind = fields.Enum(BodyKind, by_value=True)
    name = fields.String()


class NewBodySchema(StrictSchema):
    kind = fields.Enum(BodyKind, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))


class SeatSchema(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    member_name = fields.Function(lambda seat: seat.member.name)
    role = fields.Enum(SeatRole, by_value=True)
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class BodyDetailSchema(BodySchema):
    on = fields.Date()
    full_membership = fields.Integer()
    parity = fields.Dict()
    seats = fields.List(fields.Nested(SeatSchema))


class OnArgs(StrictSchema):
    on = fields.Date(load_default=None)


class NewSeatSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    role = fields.Enum(SeatRole, by_value=True, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None)


class EndSeatSchema(StrictSchema):
    on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))


def body_or_404(body_id: uuid.UUID) -> Body:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Body, id=body_id)


@blp.route("")
class Bodies(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, BodySchema(many=True))
    def get(self):
        order = list(BodyKind)
        return sorted(db.session.scalars(select(Body)), key=lambda b: (order.index(b.kind), b.name))

    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(NewBodySchema)
    @blp.response(201, BodySchema)
    def post(self, data):
        """Add an assembly or a working group (after the general assembly approved the board's proposal)."""
        body = create_body(data["kind"], data["name"])
        db.session.commit()
        return body


@blp.route("/<uuid:body_id>")
class BodyDetail(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.arguments(OnArgs, location="query")
    @blp.response(200, BodyDetailSchema)
    def get(self, args, body_id):
        """The body on a day (today by default): its seats, full membership and gender parity."""
        body = body_or_404(body_id)
        day = args["on"] or date.today()
        bylaws = bylaw_profiles.parameters_on(day)
        return {"id": body.id, "kind": body.kind, "name": body.name, "on": day,
                "full_membership": full_membership(body, day, bylaws), "parity": body_parity(body, day, bylaws),
                "seats": seats_on(body, day)}


@blp.route("/<uuid:body_id>/seats")
class Seats(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(NewSeatSchema)
    @blp.response(201, SeatSchema)
    def post(self, data, body_id):
        body = body_or_404(body_id)
        member = db.session.scalar(select(Member).where(Member.id == data["member_id"]))
        if member is None:
            raise ValidationError({"member_id": [_("No such member in this council.")]})
        seat = assign_seat(body, member, data["role"], data["starts_on"], data["ends_on"])
        db.session.commit()
        return seat


@blp.route("/<uuid:body_id>/seats/<uuid:seat_id>/end")
class EndSeat(MethodView):
    @requires(Permission.BODIES_MANAGE)
    @blp.arguments(EndSeatSchema)
    @blp.response(200, SeatSchema)
    def post(self, data, body_id, seat_id):
        seat = db.session.scalar(select(Seat).where(Seat.id == seat_id, Seat.body_id == body_id))
        if seat is None:
            abort(404)
        end_seat(seat, data["on"], data["reason"])
        db.session.commit()
        return seat
