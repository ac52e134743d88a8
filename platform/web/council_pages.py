"""A council's own pages: /<council-slug>/…"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.app.guard import current_principal
from konsey.core.accounts import CouncilRoleName, roles_in
from konsey.core.applications import KVKK_NOTICE_VERSION, PURPOSES
from konsey.core.errors import DomainError
from konsey.core.labels import label
from konsey.core.membership import Gender, MemberCategory
from konsey.core.permissions import Permission, allowed
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.models import CouncilStatus
from konsey.usecases import applications, councils, members, people
from konsey.usecases.base import performs
from konsey.web import json_download
from konsey.web.adapters import attempt
from konsey.web.forms import InviteForm

bp = Blueprint("council", __name__, url_prefix="/<council_slug>")
PER_PAGE = 50


@bp.app_context_processor
def _council_helpers():
    def can(permission: str) -> bool:
        principal = current_principal()
        council = g.get("council")
        if principal is None or council is None:
            return False
        return allowed(Permission(permission), roles_in(principal, council.id), principal.platform_role)

    return {"can": can}


@bp.get("/")
@performs(councils.dashboard)
def dashboard():
    return render_template("council/dashboard.html", **councils.dashboard())


@bp.get("/public")
@performs(councils.public_record)
def public_record():
    """Read-only for everyone: the council's decisions and motions with the municipal answers. No people."""
    return render_template("council/public.html", **councils.public_record())


@bp.route("/apply", methods=["GET", "POST"])
@performs(applications.submit_application)
def apply():
    """The membership application form for citizens, with the KVKK information notice and consents."""

    if g.council.status is not CouncilStatus.ACTIVE:
        abort(404)
    errors, values = {}, {}
    if request.method == "POST":
        form = request.form
        values = {key: form.get(key, "").strip() for key in
                  ("category", "name", "email", "phone", "birth_date", "gender", "neighbourhood",
                   "representative_name", "derbis_no")}
        applicant = {k: v for k, v in values.items() if v}
        try:
            application = applications.submit_application({
                "applicant": applicant, "notice_version": form.get("notice_version", ""),
                "consents": form.getlist("consents")})
        except DomainError as error:
            messages = translate_validation_messages(error.errors)
            errors = {**messages.pop("applicant", {}), **messages}
        else:
            return render_template("council/applied.html", number=application.number)
    return render_template(
        "council/apply.html", errors=errors, values=values, notice_version=KVKK_NOTICE_VERSION,
        purposes=PURPOSES, categories=list(MemberCategory), genders=list(Gender),
    ), 422 if errors else 200


@bp.get("/members", endpoint="members")
@performs(members.list_members)
def members_page():
    page = max(request.args.get("page", 1, type=int), 1)
    q = (request.args.get("q") or "").strip()[:100]
    rows, has_next = members.list_members(page, PER_PAGE, q)
    return render_template("council/members.html", members=rows, page=page, has_next=has_next, q=q)


@bp.get("/members/<uuid:member_id>")
@performs(members.show_member)
def member(member_id: uuid.UUID):
    return render_template("council/member.html", member=members.show_member(member_id))


@bp.route("/people", methods=["GET", "POST"])
@performs(people.invite)
def people_page():
    form = InviteForm()
    form.role.choices = [(role.value, label(role)) for role in CouncilRoleName]
    status = 200
    if form.validate_on_submit():
        invitation = people.invite({"email": form.email.data, "role": form.role.data})
        flash(_("An invitation was e-mailed to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("council.people_page"))
    if request.method == "POST":
        status = 400
    return render_template("council/people.html", form=form, people=people.list_people(),
                           invitations=people.open_invitations()), status


@bp.post("/people/<uuid:grant_id>/revoke")
@performs(people.revoke_role)
def revoke_role(grant_id: uuid.UUID):
    attempt(lambda: people.revoke_role(grant_id), _("The role was removed."))
    return redirect(url_for("council.people_page"))


@bp.get("/export")
@performs(councils.full_export)
def export():
    council = councils.show_council()
    return json_download(councils.full_export(), f"{council.slug}-export.json")
