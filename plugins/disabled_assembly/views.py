"""The disabled people's assembly's page and API: members (people with their explicit consent, organisations),
their supporters, and the accessibility requests for the council's meetings. Every job of the page is an
operation of the API, over the same use case."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.views import MethodView
from flask_babel import gettext as _

from konsey.pluginkit import ApiBlueprint, attempt, performs, posted, takes
from konsey.plugins.disabled_assembly import usecases
from konsey.plugins.disabled_assembly.schemas import (
    AccessRequestOut,
    AssemblySeatOut,
    DisabledAssemblyOverview,
    ExplicitConsentOut,
    SupporterOut,
)

NAME = "disabled_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Disabled people's assembly: members with their consent, supporters, accessibility "
                               "requests")


# --- pages --------------------------------------------------------------------------------------------------


def _back(anchor=""):
    return redirect(url_for(f"{NAME}.index") + anchor)


@pages.get("/")
@performs(usecases.overview)
def index():
    return render_template("disabled_assembly/index.html", **usecases.overview())


@pages.post("/consents")
@performs(usecases.record_consent)
def consent():
    attempt(lambda: usecases.record_consent(posted("member_id", "given_on")),
            _("The consent is recorded; the member can join now."))
    return _back("#members")


@pages.post("/members")
@performs(usecases.seat_member)
def add_member():
    attempt(lambda: usecases.seat_member(posted("member_id")))
    return _back("#members")


@pages.post("/supporters")
@performs(usecases.add_supporter)
def supporter():
    attempt(lambda: usecases.add_supporter(posted("member_id", "name")), _("Saved."))
    return _back("#members")


@pages.post("/requests")
@performs(usecases.add_accessibility_request)
def access_request():
    attempt(lambda: usecases.add_accessibility_request(posted("kind", "meeting_id", "note")),
            _("The request is recorded."))
    return _back("#requests")


@pages.post("/requests/<uuid:request_id>/met")
@performs(usecases.mark_met)
def request_met(request_id):
    attempt(lambda: usecases.mark_met(request_id), _("Saved."))
    return _back("#requests")


# --- API ----------------------------------------------------------------------------------------------------


@api.route("")
class Overview(MethodView):
    @performs(usecases.overview)
    @api.response(200, DisabledAssemblyOverview)
    def get(self):
        """The assembly's seated members, their supporters, the consents on record and the accessibility
        requests (the latest hundred)."""
        shown = usecases.overview()
        return {"seats": shown["seats"], "requests": shown["requests"], "consented": sorted(shown["consented"]),
                "supporters": [s for listed in shown["supporters"].values() for s in listed]}


@api.route("/consents")
class Consents(MethodView):
    @performs(usecases.record_consent)
    @takes(usecases.record_consent)
    @api.response(201, ExplicitConsentOut)
    def post(self, data):
        return usecases.record_consent(data)


@api.route("/members")
class Members(MethodView):
    @performs(usecases.seat_member)
    @takes(usecases.seat_member)
    @api.response(201, AssemblySeatOut)
    def post(self, data):
        return usecases.seat_member(data)


@api.route("/supporters")
class Supporters(MethodView):
    @performs(usecases.add_supporter)
    @takes(usecases.add_supporter)
    @api.response(201, SupporterOut)
    def post(self, data):
        return usecases.add_supporter(data)


@api.route("/requests")
class Requests(MethodView):
    @performs(usecases.add_accessibility_request)
    @takes(usecases.add_accessibility_request)
    @api.response(201, AccessRequestOut)
    def post(self, data):
        return usecases.add_accessibility_request(data)


@api.route("/requests/<uuid:request_id>/met")
class RequestMet(MethodView):
    @performs(usecases.mark_met)
    @api.response(200, AccessRequestOut)
    def post(self, request_id):
        return usecases.mark_met(request_id)
