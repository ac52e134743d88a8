"""A council's own pages: /<council-slug>/…"""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select

from konsey.app.guard import current_principal
from konsey.core import people
from konsey.core.accounts import CouncilRoleName, roles_in
from konsey.core.applications import KVKK_NOTICE_VERSION, PURPOSES
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import ByLawProfile
from konsey.core.errors import DomainError
from konsey.core.export import export_council
from konsey.core.labels import label
from konsey.core.membership import Gender, Member, MemberCategory
from konsey.core.permissions import Permission, allowed, public, requires
from konsey.core.text import turkish_sort_key
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.db import db
from konsey.tenants.models import CouncilStatus
from konsey.usecases import applications
from konsey.usecases.base import performs
from konsey.web import json_download
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
@requires(Permission.COUNCIL_VIEW)
def dashboard():
    bodies = sorted(db.session.scalars(select(Body)), key=lambda b: (list(BodyKind).index(b.kind), b.name))
    by_category = db.session.execute(
        select(Member.category, func.count(Member.id)).group_by(Member.category).order_by(Member.category)
    ).all()
    profile = db.session.scalars(select(ByLawProfile).order_by(ByLawProfile.effective_from.desc())).first()
    from konsey.core.calendar import calendar

    return render_template(
        "council/dashboard.html",
        calendar=calendar(date.today().year),
        bodies=bodies,
        by_category=by_category,
        member_total=sum(n for _, n in by_category),
        profile=profile,
        people=people.people_of(g.council),
    )


@bp.get("/public")
@public
def public_record():
    """Read-only for everyone: the council's decisions and motions with the municipal answers. No people."""
    from konsey.core.meetings import AgendaItem, Meeting, Vote
    from konsey.core.motions import Motion, answer_due, is_overdue

    if g.council.status is not CouncilStatus.ACTIVE:
        abort(404)
    decisions = db.session.execute(
        select(Vote.decision_number, AgendaItem.title, Meeting.scheduled_at, Body.name)
        .join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Body, Body.id == Meeting.body_id)
        .where(Vote.decision_number.is_not(None))
        .order_by(Meeting.scheduled_at.desc())
    ).all()
    motions = db.session.scalars(select(Motion).order_by(Motion.number.desc())).all()
    today = date.today()
    from konsey.core.council_keys import CouncilKey

    # The key that signs the council's motion packages, so that a municipality can check them.
    key = db.session.scalar(select(CouncilKey).order_by(CouncilKey.created_at.desc()))
    return render_template(
        "council/public.html", decisions=decisions, motions=motions, key=key,
        due={m.id: answer_due(m.delivered_on) if m.delivered_on else None for m in motions},
        overdue={m.id for m in motions if is_overdue(m.status, m.delivered_on, today)},
    )


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


@bp.get("/members")
@requires(Permission.MEMBERS_VIEW)
def members():
    page = max(request.args.get("page", 1, type=int), 1)
    q = (request.args.get("q") or "").strip()[:100]
    query = select(Member).order_by(Member.sort_name, Member.id)
    if q:
        query = query.where(Member.sort_name.startswith(turkish_sort_key(q)))
    rows = db.session.scalars(query.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template(
        "council/members.html", members=rows[:PER_PAGE], page=page, has_next=len(rows) > PER_PAGE, q=q
    )


@bp.get("/members/<uuid:member_id>")
@requires(Permission.MEMBERS_VIEW)
def member(member_id: uuid.UUID):
    row = db.session.scalar(select(Member).where(Member.id == member_id))
    if row is None:
        abort(404)
    return render_template("council/member.html", member=row)


@bp.route("/people", methods=["GET", "POST"])
@requires(Permission.ROLES_MANAGE)
def people_page():
    form = InviteForm()
    form.role.choices = [(role.value, label(role)) for role in CouncilRoleName]
    status = 200
    if form.validate_on_submit():
        invitation, _url = people.invite(g.council, form.email.data, CouncilRoleName(form.role.data),
                                         current_principal())
        db.session.commit()
        flash(_("An invitation was e-mailed to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("council.people_page"))
    if request.method == "POST":
        status = 400
    return render_template(
        "council/people.html", form=form, people=people.people_of(g.council),
        invitations=people.open_invitations(g.council),
    ), status


@bp.post("/people/<uuid:grant_id>/revoke")
@requires(Permission.ROLES_MANAGE)
def revoke_role(grant_id: uuid.UUID):
    grant = people.grant_in(g.council, grant_id)
    if grant is None:
        abort(404)
    try:
        people.revoke(grant)
    except (ValidationError, DomainError) as error:
        db.session.rollback()
        for messages in error.messages.values():
            for message in messages:
                flash(message, "error")
    else:
        db.session.commit()
        flash(_("The role was removed."), "success")
    return redirect(url_for("council.people_page"))


@bp.get("/export")
@requires(Permission.COUNCIL_EXPORT)
def export():
    return json_download(export_council(g.council), f"{g.council.slug}-export.json")
