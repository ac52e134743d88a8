"""The elders' assembly's page and API: its members, who could join, and the concerns raised at it."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from konsey.pluginkit import ApiBlueprint, add_member_route, attempt, performs, posted, takes
from konsey.plugins.elders_assembly import usecases
from konsey.plugins.elders_assembly.models import NAME, THEME_LABELS, ConcernStatus, ConcernTheme

pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Elders' assembly: the concerns raised at it")


class ConcernSchema(Schema):
    id = fields.UUID()
    theme = fields.Enum(ConcernTheme, by_value=True)
    summary = fields.String()
    raised_on = fields.Date()
    status = fields.Enum(ConcernStatus, by_value=True)


@api.route("/concerns")
class Concerns(MethodView):
    @performs(usecases.list_concerns)
    @api.response(200, ConcernSchema(many=True))
    def get(self):
        """The concerns raised at the assembly, open ones first."""
        return usecases.list_concerns()

    @performs(usecases.record_concern)
    @takes(usecases.record_concern)
    @api.response(201, ConcernSchema)
    def post(self, data):
        """Record a concern raised at the assembly."""
        return usecases.record_concern(data)


@api.route("/concerns/<uuid:concern_id>/addressed")
class ConcernAddressed(MethodView):
    @performs(usecases.mark_addressed)
    @api.response(200, ConcernSchema)
    def post(self, concern_id):
        """The concern was taken into one of the assembly's proposals, or answered."""
        return usecases.mark_addressed(concern_id)


@pages.get("/")
@performs(usecases.overview)
def index():
    page = usecases.overview()
    return render_template("elders_assembly/index.html", **page,
                           candidate_options=[(m.id, m.name) for m in page["candidates"]],
                           themes=[(theme.value, THEME_LABELS[theme]) for theme in ConcernTheme],
                           theme_labels={theme.value: THEME_LABELS[theme] for theme in ConcernTheme})


add_member_route(pages, usecases.assembly, _l("%(name)s joined the elders' assembly."), f"{NAME}.index")


@pages.post("/concerns")
@performs(usecases.record_concern)
def add_concern():
    attempt(lambda: usecases.record_concern(posted("theme", "summary", "raised_on")),
            _("The concern is recorded."))
    return redirect(url_for(f"{NAME}.index") + "#concerns")


@pages.post("/concerns/<uuid:concern_id>/addressed")
@performs(usecases.mark_addressed)
def concern_addressed(concern_id):
    attempt(lambda: usecases.mark_addressed(concern_id), _("Marked as addressed."))
    return redirect(url_for(f"{NAME}.index") + "#concerns")
