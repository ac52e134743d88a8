"""Operator pages: onboarding councils, their lifecycle, and bulk member imports. Adapters over
:mod:`konsey.usecases.councils` and :mod:`konsey.usecases.members`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from konsey.core import reference
from konsey.core.errors import DomainError, Locked
from konsey.core.labels import label
from konsey.schemas.councils import OnboardingSchema
from konsey.tenants.lifecycle import TRANSITIONS
from konsey.tenants.scoping import bound_council
from konsey.usecases import councils, members
from konsey.usecases.base import performs
from konsey.usecases.member_import import ImportFileError
from konsey.web import example_import_csv
from konsey.web.adapters import load
from konsey.web.forms import ImportForm, OnboardCouncilForm, StatusForm

bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.get("/", endpoint="councils")
@performs(councils.operator_overview)
def councils_page():
    rows, counts = councils.operator_overview()
    return render_template("operator/councils.html", councils=rows, counts=counts)


def _fill_choices(form: OnboardCouncilForm) -> None:
    form.province_code.choices = [("", _("Choose…"))] + [(str(p.code), f"{p.code:02d} {p.name}") for p in reference.provinces()]
    code = form.province_code.data
    municipalities = reference.municipalities(int(code)) if code and code.isdigit() else []
    form.municipality_id.choices = [("", _("Choose…"))] + [
        (m.id, f"{m.name} ({label(m.type)})") for m in municipalities
    ]


@bp.route("/councils/new", methods=["GET", "POST"])
@performs(councils.onboard_council)
def new_council():
    form = OnboardCouncilForm()
    _fill_choices(form)
    if form.validate_on_submit():
        raw = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        raw["contact_phone"] = raw["contact_phone"] or None
        try:
            onboarded = councils.onboard_council(load(OnboardingSchema, raw))
        except DomainError as error:
            for name, messages in error.errors.items():
                target = form._fields.get(name)
                if target is not None:
                    target.errors = list(target.errors) + list(messages)
        else:
            # Post, then redirect: a reload does not send the form again. The one-time link is shown once, on the
            # next page, from the operator's own session.
            flash(_("The council was created and its first administrator invited."), "success")
            session["onboarded"] = {"slug": onboarded.council.slug, "invitation_url": onboarded.invitation_url}
            return redirect(url_for("operator.onboarded", slug=onboarded.council.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("operator/new_council.html", form=form), status


@bp.get("/councils/<slug>/onboarded")
@performs(councils.council_for_operator)
def onboarded(slug: str):
    """The council just created, with the first administrator's one-time link (only on the first showing)."""
    council = councils.council_for_operator(slug)
    shown = session.pop("onboarded", None)
    invitation_url = shown["invitation_url"] if shown and shown.get("slug") == slug else None
    return render_template("operator/onboarded.html", council=council, invitation_url=invitation_url)


@bp.get("/provinces/<int:code>/municipalities")
@performs(councils.municipality_choices)
def municipality_options(code: int):
    """Options for the municipality select (progressive enhancement; the form works without it)."""
    return [{"id": m.id, "label": f"{m.name} ({label(m.type)})"} for m in councils.municipality_choices(code)]


@bp.route("/councils/<slug>", methods=["GET", "POST"])
@performs(councils.change_status)
def council_detail(slug: str):
    council = councils.council_for_operator(slug)
    form = StatusForm()
    form.status.choices = [(s.value, label(s)) for s in sorted(TRANSITIONS[council.status])]
    if form.validate_on_submit():
        try:
            councils.change_status(slug, {"status": form.status.data,
                                          "export_acknowledged": form.export_acknowledged.data,
                                          "reason": form.reason.data or ""})
        except DomainError as error:
            form.status.errors = [m for messages in error.errors.values() for m in messages]
        else:
            flash(_("The council is now %(status)s.", status=label(council.status)), "success")
            return redirect(url_for("operator.council_detail", slug=slug))
    return render_template("operator/council.html", council=council, form=form, import_form=ImportForm())


@bp.post("/councils/<slug>/import")
@performs(members.import_members)
def import_council_members(slug: str):
    council = councils.council_for_operator(slug)
    if council.is_read_only:
        raise Locked(_("This council is suspended and read-only."))
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("operator/council.html", council=council, form=StatusForm(), import_form=form), 400
    content = form.file.data.read()
    with bound_council(council.id):
        try:
            report = members.import_members(content, dry_run=form.dry_run.data)
        except ImportFileError as error:
            form.file.errors = [str(error)]
            return render_template("operator/council.html", council=council, form=StatusForm(), import_form=form), 400
    return render_template("operator/import_report.html", council=council, report=report), 200 if report.ok else 422


@bp.get("/import-example.csv")
@performs(members.import_members)
def import_example():
    return example_import_csv()
