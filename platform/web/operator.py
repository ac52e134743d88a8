"""Operator pages: onboarding councils, their lifecycle, and bulk member imports."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select

from konsey.app.guard import current_principal
from konsey.core import reference
from konsey.core.councils import change_status, onboard_council
from konsey.core.errors import DomainError
from konsey.core.invitations import send_invitation
from konsey.core.labels import label
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.schemas.councils import OnboardingSchema
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.db import db
from konsey.tenants.lifecycle import TRANSITIONS, LifecycleError
from konsey.tenants.models import Council, CouncilStatus
from konsey.tenants.scoping import all_councils, bound_council
from konsey.usecases.member_import import ImportFileError, example_csv, import_members
from konsey.web.forms import ImportForm, OnboardCouncilForm, StatusForm

bp = Blueprint("operator", __name__, url_prefix="/operator")


def _council_or_404(slug: str) -> Council:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        abort(404)
    return council


@bp.get("/")
@requires(Permission.COUNCILS_LIST_ALL)
def councils():
    rows = db.session.scalars(select(Council).order_by(Council.name)).all()
    with all_councils("operator council list: member counts", actor_id=current_principal().id):
        counts = dict(db.session.execute(select(Member.council_id, func.count(Member.id)).group_by(Member.council_id)).all())
    return render_template("operator/councils.html", councils=rows, counts=counts)


def _fill_choices(form: OnboardCouncilForm) -> None:
    form.province_code.choices = [("", _("Choose…"))] + [(str(p.code), f"{p.code:02d} {p.name}") for p in reference.provinces()]
    code = form.province_code.data
    municipalities = reference.municipalities(int(code)) if code and code.isdigit() else []
    form.municipality_id.choices = [("", _("Choose…"))] + [
        (m.id, f"{m.name} ({label(m.type)})") for m in municipalities
    ]


@bp.route("/councils/new", methods=["GET", "POST"])
@requires(Permission.COUNCILS_ONBOARD)
def new_council():
    form = OnboardCouncilForm()
    _fill_choices(form)
    invitation_url = None
    if form.validate_on_submit():
        raw = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        raw["contact_phone"] = raw["contact_phone"] or None
        try:
            data = OnboardingSchema().load(raw)
            onboarded = onboard_council(data, operator=current_principal())
        except (ValidationError, DomainError) as error:
            db.session.rollback()
            for name, messages in translate_validation_messages(error.messages).items():
                target = form._fields.get(name)
                if target is not None:
                    target.errors = list(target.errors) + list(messages)
        else:
            invitation_url = send_invitation(onboarded.council, onboarded.invitation, onboarded.invitation_secret)
            db.session.commit()
            flash(_("The council was created and its first administrator invited."), "success")
            return render_template(
                "operator/onboarded.html", council=onboarded.council, invitation_url=invitation_url
            )
    status = 400 if request.method == "POST" else 200
    return render_template("operator/new_council.html", form=form), status


@bp.get("/provinces/<int:code>/municipalities")
@requires(Permission.COUNCILS_ONBOARD)
def municipality_options(code: int):
    """Options for the municipality select (progressive enhancement; the form works without it)."""
    return [{"id": m.id, "label": f"{m.name} ({label(m.type)})"} for m in reference.municipalities(code)]


@bp.route("/councils/<slug>", methods=["GET", "POST"])
@requires(Permission.COUNCILS_LIFECYCLE)
def council_detail(slug: str):
    council = _council_or_404(slug)
    form = StatusForm()
    form.status.choices = [(s.value, label(s)) for s in sorted(TRANSITIONS[council.status])]
    if form.validate_on_submit():
        try:
            change_status(
                council, CouncilStatus(form.status.data),
                export_acknowledged=form.export_acknowledged.data, reason=form.reason.data or "",
            )
        except LifecycleError as error:
            db.session.rollback()
            form.status.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("The council is now %(status)s.", status=label(council.status)), "success")
            return redirect(url_for("operator.council_detail", slug=slug))
    return render_template("operator/council.html", council=council, form=form, import_form=ImportForm())


@bp.post("/councils/<slug>/import")
@requires(Permission.MEMBERS_IMPORT)
def import_council_members(slug: str):
    council = _council_or_404(slug)
    if council.is_read_only:
        from konsey.app.guard import Locked

        raise Locked()
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("operator/council.html", council=council, form=StatusForm(), import_form=form), 400
    content = form.file.data.read()
    with bound_council(council.id):
        try:
            report = import_members(content, dry_run=form.dry_run.data)
        except ImportFileError as error:
            db.session.rollback()
            form.file.errors = [str(error)]
            return render_template("operator/council.html", council=council, form=StatusForm(), import_form=form), 400
        if report.ok and not report.dry_run:
            db.session.commit()
        else:
            db.session.rollback()
    return render_template("operator/import_report.html", council=council, report=report), 200 if report.ok else 422


@bp.get("/import-example.csv")
@requires(Permission.MEMBERS_IMPORT)
def import_example():
    return example_csv(), 200, {"Content-Type": "text/csv; charset=utf-8",
                                "Content-Disposition": 'attachment; filename="uyeler-ornek.csv"'}
