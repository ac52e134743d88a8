"""The disabled people's assembly's page: members (people with their explicit consent, organisations), their
supporters, and the accessibility requests for the council's meetings."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.pluginkit import attempt, join_assembly, performs, seat_from_form
from konsey.plugins.disabled_assembly import usecases

NAME = "disabled_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")


def _uuid(text):
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None


def _day(text):
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _back(anchor=""):
    return redirect(url_for(f"{NAME}.index") + anchor)


@pages.get("/")
@performs(usecases.overview)
def index():
    return render_template("disabled_assembly/index.html", **usecases.overview())


@pages.post("/consents")
@performs(usecases.record_consent)
def consent():
    attempt(lambda: usecases.record_consent(_uuid(request.form.get("member_id")), _day(request.form.get("given_on"))),
            _("The consent is recorded; the member can join now."))
    return _back("#members")


@pages.post("/members")
@performs(join_assembly)
def add_member():
    seat_from_form(usecases.assembly(), request.form.get("member_id"))
    return _back("#members")


@pages.post("/supporters")
@performs(usecases.add_supporter)
def supporter():
    attempt(lambda: usecases.add_supporter(_uuid(request.form.get("member_id")), request.form.get("name", "")),
            _("Saved."))
    return _back("#members")


@pages.post("/requests")
@performs(usecases.add_accessibility_request)
def access_request():
    attempt(lambda: usecases.add_accessibility_request(request.form.get("kind", ""), None, request.form.get("note")),
            _("The request is recorded."))
    return _back("#requests")


@pages.post("/requests/<uuid:request_id>/met")
@performs(usecases.mark_met)
def request_met(request_id):
    attempt(lambda: usecases.mark_met(request_id), _("Saved."))
    return _back("#requests")
