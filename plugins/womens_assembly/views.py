"""Pages and API of the women's assembly: the equality monitor, the assembly's members, impact notes."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.pluginkit import (
    ApiBlueprint,
    Body,
    Member,
    MemberStatus,
    Motion,
    Permission,
    StrictSchema,
    db,
    one_or_404,
    requires,
    seat_from_form,
    seats_on,
)
from konsey.plugins.womens_assembly.models import attach_note, note_for
from konsey.plugins.womens_assembly.monitor import monitor as equality_monitor

NAME = "womens_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Women's assembly: gender-equality monitor and gender-impact notes")


def assembly() -> Body:
    body = db.session.scalar(select(Body).where(Body.type_code == NAME))
    if body is None:
        abort(404)
    return body


# --- pages --------------------------------------------------------------------------------------------------


@pages.get("/", endpoint="monitor")
@requires(Permission.COUNCIL_VIEW)
def monitor_page():
    body = assembly()
    seated = {s.member_id for s in seats_on(body, date.today())}
    candidates = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                    .order_by(Member.sort_name)).all()
    return render_template("womens_assembly/monitor.html", result=equality_monitor(), body=body,
                           seats=seats_on(body, date.today()),
                           candidates=[m for m in candidates if m.id not in seated])


@pages.post("/members")
@requires(Permission.BODIES_MANAGE)
def add_member():
    member = seat_from_form(assembly(), request.form.get("member_id"))
    if member is not None:
        flash(_("%(name)s joined the women's assembly.", name=member.name), "success")
    return redirect(url_for(f"{NAME}.monitor"))


# --- API ----------------------------------------------------------------------------------------------------


class NoteSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(max=20000))
    author = fields.String(required=True, validate=validate.Length(min=3, max=200))


class NoteOut(Schema):
    motion_id = fields.UUID()
    text = fields.String()
    author = fields.String()
    created_at = fields.DateTime()


@api.route("/monitor")
class Monitor(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @api.response(200)
    def get(self):
        """The share of women in every decision body and office, against the by-laws' parity share."""
        return equality_monitor()


@api.route("/motions/<uuid:motion_id>/impact-note")
class ImpactNote(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @api.response(200, NoteOut)
    def get(self, motion_id):
        motion = one_or_404(Motion, id=motion_id)
        note = note_for(motion.id)
        if note is None:
            abort(404)
        return note

    @requires(Permission.MOTIONS_MANAGE)
    @api.arguments(NoteSchema)
    @api.response(200, NoteOut)
    def put(self, data, motion_id):
        """Attach the assembly's gender-impact note to a motion; it travels in the motion's package."""
        motion = one_or_404(Motion, id=motion_id)
        note = attach_note(motion.id, data["text"], data["author"])
        db.session.commit()
        return note
