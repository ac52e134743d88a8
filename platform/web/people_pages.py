"""People with roles in the council: who holds which, invitations, removing a role. Adapters over
:mod:`konsey.usecases.people`."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.accounts import CouncilRoleName
from konsey.core.errors import DomainError, NotFound
from konsey.core.labels import label
from konsey.pluginkit.pages import attempt, field_errors, posted, typed_back
from konsey.usecases import people, second_factor
from konsey.usecases.base import performs

bp = Blueprint("people_pages", __name__, url_prefix="/<council_slug>")


@bp.route("/people", methods=["GET", "POST"])
@performs(people.invite)
def people_page():
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        try:
            invitation = people.invite(posted("email", "role"))
        except NotFound:
            raise  # a wrong id in the address is the 404 page (Gone: the expired link's page)
        except DomainError as error:
            values, errors, status = typed_back("email", "role"), field_errors(error), error.status
        else:
            flash(_("An invitation was e-mailed to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("people_pages.people_page"))
    return render_template("council/people.html", values=values, errors=errors,
                           roles=[(role.value, label(role)) for role in CouncilRoleName],
                           people=people.list_people(), invitations=people.open_invitations(),
                           second_factor_required=g.council.require_two_factor,
                           sms_second_factor=g.council.allow_sms_second_factor), status


def _switched(field: str, action, on: str, off: str):
    """A switch of the second-factor section: the posted ``field`` ("1" or not) handed to ``action``, said, back."""
    value = request.form.get(field) == "1"
    attempt(lambda: action({field: value}), on if value else off)
    return redirect(url_for("people_pages.people_page") + "#second-factor-h")


@bp.post("/people/second-factor")
@performs(second_factor.require_second_factor)
def second_factor_requirement():
    """Whether everyone with a role in the council signs in with a second factor."""
    return _switched("required", second_factor.require_second_factor,
                     _("Everyone with a role here now signs in with a second factor."),
                     _("A second factor is now each person's choice here."))


@bp.post("/people/sms-second-factor")
@performs(second_factor.allow_sms_second_factor)
def sms_second_factor():
    """Whether staff may take a code sent by SMS (through the council's SMS account) as their second factor."""
    return _switched("allowed", second_factor.allow_sms_second_factor,
                     _("Staff can now take a code sent by SMS as their second factor."),
                     _("Codes by SMS are no longer a second factor here."))


@bp.post("/people/<uuid:grant_id>/revoke")
@performs(people.revoke_role)
def revoke_role(grant_id: uuid.UUID):
    attempt(lambda: people.revoke_role(grant_id), _("The role was removed."))
    return redirect(url_for("people_pages.people_page"))
