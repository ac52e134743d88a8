"""Pages and API of the women's assembly: the equality monitor, the assembly's members, impact notes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from konsey.pluginkit import ApiBlueprint, add_member_route, attempt, performs, posted, takes, uuid_or_none
from konsey.plugins.womens_assembly import usecases
from konsey.plugins.womens_assembly.schemas import MonitorSchema

NAME = "womens_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Women's assembly: gender-equality monitor and gender-impact notes")


# --- pages --------------------------------------------------------------------------------------------------


@pages.get("/", endpoint="monitor")
@performs(usecases.monitor_page)
def monitor_page():
    return render_template("womens_assembly/monitor.html", **usecases.monitor_page())


add_member_route(pages, usecases.assembly, _l("%(name)s joined the women's assembly."), f"{NAME}.monitor")


@pages.post("/impact-notes")
@performs(usecases.attach_impact_note)
def impact_note_page():
    """Attach the assembly's gender-impact note to a motion picked from the list."""
    motion_id = uuid_or_none(request.form.get("motion_id"))
    if motion_id is None:
        flash(_("Choose a motion."), "error")
    else:
        attempt(lambda: usecases.attach_impact_note(motion_id, posted("text", "author")),
                _("The note travels with the motion's package."))
    return redirect(url_for(f"{NAME}.monitor"))


# --- API ----------------------------------------------------------------------------------------------------


class NoteOut(Schema):
    motion_id = fields.UUID()
    text = fields.String()
    author = fields.String()
    created_at = fields.DateTime()


@api.route("/monitor")
class Monitor(MethodView):
    @performs(usecases.monitor)
    @api.response(200, MonitorSchema)
    def get(self):
        """The share of women in every decision body and office, against the by-laws' parity share."""
        return usecases.monitor()


@api.route("/motions/<uuid:motion_id>/impact-note")
class ImpactNote(MethodView):
    @performs(usecases.impact_note)
    @api.response(200, NoteOut)
    def get(self, motion_id):
        return usecases.impact_note(motion_id)

    @performs(usecases.attach_impact_note)
    @takes(usecases.attach_impact_note)
    @api.response(200, NoteOut)
    def put(self, data, motion_id):
        """Attach the assembly's gender-impact note to a motion; it travels in the motion's package."""
        return usecases.attach_impact_note(motion_id, data)
