"""Bodies and seats, working-group participants, and requests for an extraordinary general assembly.

Adapters over :mod:`konsey.usecases.bodies` and :mod:`konsey.usecases.session_requests`."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.bodies import BodyKind
from konsey.pluginkit.pages import attempt, filled
from konsey.usecases import bodies, session_requests
from konsey.usecases.base import performs

bp = Blueprint("body_pages", __name__, url_prefix="/<council_slug>")


@bp.get("/bodies/")
@performs(bodies.bodies_overview)
def body_list():
    return render_template("governance/bodies.html", rows=bodies.bodies_overview(),
                           kinds=[BodyKind.WORKING_GROUP, BodyKind.ASSEMBLY])


@bp.post("/bodies/")
@performs(bodies.propose_body)
def body_propose():
    attempt(lambda: bodies.propose_body(filled(request.form, "kind", "name", "proposal")),
            _("Proposed. It starts work once the general assembly approves it."))
    return redirect(url_for("body_pages.body_list"))


@bp.get("/bodies/<uuid:body_id>")
@performs(bodies.body_page)
def body_detail(body_id):
    return render_template("governance/body.html", **bodies.body_page(body_id))


def _back(body_id):
    return redirect(url_for("body_pages.body_detail", body_id=body_id))


def _on_body(body_id, action, success: str):
    """Run a form's use case on the body (it loads the form after the body: another council's is not found
    before the form is read) and go back to its page."""
    attempt(action, success)
    return _back(body_id)


@bp.post("/bodies/<uuid:body_id>/seats")
@performs(bodies.assign_seat)
def seat_add(body_id):
    fields = filled(request.form, "member_id", "role", "starts_on", "ends_on")
    return _on_body(body_id, lambda: bodies.assign_seat(body_id, fields), _("The seat is recorded."))


@bp.post("/bodies/<uuid:body_id>/seats/<uuid:seat_id>/end")
@performs(bodies.end_seat)
def seat_end(body_id, seat_id):
    fields = filled(request.form, "on", "reason")
    return _on_body(body_id, lambda: bodies.end_seat(body_id, seat_id, fields),
                    _("The seat is ended."))


@bp.post("/bodies/<uuid:body_id>/participants")
@performs(bodies.add_participant)
def participant_add(body_id):
    raw = {**filled(request.form, "name", "email", "phone", "organisation"),
           "consent": request.form.get("consent") == "y"}
    return _on_body(body_id, lambda: bodies.add_participant(body_id, raw), _("Saved."))


@bp.post("/bodies/<uuid:body_id>/approval")
@performs(bodies.approve_body)
def body_approve(body_id):
    """The general assembly's decision (picked from its adopted decisions) approves the proposed body."""
    fields = filled(request.form, "vote_id")
    return _on_body(body_id, lambda: bodies.approve_body(body_id, fields),
                    _("The body is approved and can start work."))


@bp.post("/bodies/<uuid:body_id>/dissolution")
@performs(bodies.dissolve_body)
def body_dissolve(body_id):
    fields = filled(request.form, "on", "reason")
    return _on_body(body_id, lambda: bodies.dissolve_body(body_id, fields),
                    _("The body is dissolved; its seats have ended and its records stay."))


@bp.post("/bodies/<uuid:body_id>/participants/<uuid:participant_id>/leave")
@performs(bodies.participant_leaves)
def participant_leave(body_id, participant_id):
    fields = filled(request.form, "on")
    return _on_body(body_id, lambda: bodies.participant_leaves(body_id, participant_id, fields),
                    _("Saved."))


@bp.post("/bodies/<uuid:body_id>/participants/<uuid:participant_id>/erase")
@performs(bodies.erase_participant)
def participant_erase(body_id, participant_id):
    return _on_body(body_id, lambda: bodies.erase_participant(body_id, participant_id),
                    _("The participant's record is erased."))


@bp.get("/session-requests/")
@performs(session_requests.requests_page)
def session_requests_page():
    return render_template("governance/session_requests.html", **session_requests.requests_page())


@bp.post("/session-requests/")
@performs(session_requests.open_request)
def session_request_open():
    attempt(lambda: session_requests.open_request({"reason": request.form.get("reason", "").strip()}),
            _("Saved."))
    return redirect(url_for("body_pages.session_requests_page"))


@bp.post("/session-requests/<uuid:request_id>/signatures")
@performs(session_requests.sign_request)
def session_request_sign(request_id):
    attempt(lambda: session_requests.sign_request(request_id, filled(request.form, "member_id")),
            _("Saved."))
    return redirect(url_for("body_pages.session_requests_page"))


@bp.post("/session-requests/<uuid:request_id>/meeting")
@performs(session_requests.request_convened)
def session_request_convened(request_id):
    """Link the extraordinary general assembly called in answer to the request."""
    attempt(lambda: session_requests.request_convened(request_id, filled(request.form, "meeting_id")),
            _("The request is answered by that meeting."))
    return redirect(url_for("body_pages.session_requests_page"))
