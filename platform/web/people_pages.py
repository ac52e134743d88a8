"""People with roles in the council: who holds which, invitations, removing a role. Adapters over
:mod:`konsey.usecases.people`."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.accounts import CouncilRoleName
from konsey.core.labels import label
from konsey.usecases import people
from konsey.usecases.base import performs
from konsey.web.adapters import attempt
from konsey.web.forms import InviteForm

bp = Blueprint("people_pages", __name__, url_prefix="/<council_slug>")


@bp.route("/people", methods=["GET", "POST"])
@performs(people.invite)
def people_page():
    form = InviteForm()
    form.role.choices = [(role.value, label(role)) for role in CouncilRoleName]
    status = 200
    if form.validate_on_submit():
        invitation = people.invite({"email": form.email.data, "role": form.role.data})
        flash(_("An invitation was e-mailed to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("people_pages.people_page"))
    if request.method == "POST":
        status = 400
    return render_template("council/people.html", form=form, people=people.list_people(),
                           invitations=people.open_invitations()), status


@bp.post("/people/<uuid:grant_id>/revoke")
@performs(people.revoke_role)
def revoke_role(grant_id: uuid.UUID):
    attempt(lambda: people.revoke_role(grant_id), _("The role was removed."))
    return redirect(url_for("people_pages.people_page"))
