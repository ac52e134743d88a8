"""Operator pages: onboarding councils, their lifecycle, and bulk member imports. Adapters over
:mod:`konsey.usecases.councils` and :mod:`konsey.usecases.members`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from konsey.core.errors import DomainError, Locked, NotFound
from konsey.core.labels import label
from konsey.pluginkit.pages import field_errors, posted
from konsey.tenants.lifecycle import TRANSITIONS
from konsey.usecases import councils, members, reference
from konsey.usecases.base import performs
from konsey.usecases.member_import import ImportFileError
from konsey.web import example_import_csv

bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.get("/", endpoint="councils")
@performs(councils.operator_overview)
def councils_page():
    rows, counts = councils.operator_overview()
    return render_template("operator/councils.html", councils=rows, counts=counts)


ONBOARDING_FIELDS = ("name", "slug", "province_code", "municipality_id", "contact_email", "contact_phone",
                     "motion_delivery_address", "locale", "timezone", "admin_email")


def _onboarding_page(values: dict, errors: dict, status: int = 200):
    code = values.get("province_code") or ""
    try:
        municipalities = reference.municipalities_of(int(code)) if code.isdigit() else []
    except NotFound:  # a province code that is none: the form says so under its field
        municipalities = []
    return render_template(
        "operator/new_council.html", values=values, errors=errors,
        provinces=[(str(p.code), f"{p.code:02d} {p.name}") for p in reference.provinces()],
        municipalities=[(m.id, f"{m.name} ({label(m.type)})") for m in municipalities],
        languages=[("tr", "Türkçe"), ("en", "English")]), status


@bp.route("/councils/new", methods=["GET", "POST"])
@performs(councils.onboard_council)
def new_council():
    if request.method == "GET":
        return _onboarding_page({"locale": "tr", "timezone": "Europe/Istanbul"}, {})
    values = {name: request.form.get(name, "") for name in ONBOARDING_FIELDS}
    try:
        onboarded = councils.onboard_council(posted(*ONBOARDING_FIELDS))
    except DomainError as error:
        return _onboarding_page(values, field_errors(error), error.status)
    # Post, then redirect: a reload does not send the form again. The one-time link is shown once, on the
    # next page, from the operator's own session.
    flash(_("The council was created and its first administrator invited."), "success")
    session["onboarded"] = {"slug": onboarded.council.slug, "invitation_url": onboarded.invitation_url}
    return redirect(url_for("operator.onboarded", slug=onboarded.council.slug))


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


def _council_page(council, *, status_values=None, status_errors=None, import_errors=None, dry_run=True,
                  status: int = 200):
    return render_template(
        "operator/council.html", council=council, status_values=status_values or {},
        status_errors=status_errors or {}, import_errors=import_errors or {}, dry_run=dry_run,
        statuses=[(s.value, label(s)) for s in sorted(TRANSITIONS[council.status])]), status


@bp.route("/councils/<slug>", methods=["GET", "POST"])
@performs(councils.change_status)
def council_detail(slug: str):
    council = councils.council_for_operator(slug)
    if request.method == "GET":
        return _council_page(council)
    values = {"status": request.form.get("status", ""), "reason": request.form.get("reason", ""),
              "export_acknowledged": bool(request.form.get("export_acknowledged"))}
    try:
        councils.change_status(slug, {**posted("status", "reason"),
                                      "export_acknowledged": values["export_acknowledged"]})
    except NotFound:
        raise  # a wrong id in the address is the 404 page (Gone: the expired link's page)
    except DomainError as error:
        return _council_page(council, status_values=values, status_errors=field_errors(error), status=error.status)
    flash(_("The council is now %(status)s.", status=label(council.status)), "success")
    return redirect(url_for("operator.council_detail", slug=slug))


@bp.post("/councils/<slug>/import")
@performs(councils.import_members_into)
def import_council_members(slug: str):
    council = councils.council_for_operator(slug)
    if council.is_read_only:
        raise Locked(_("This council is suspended and read-only."))
    upload = request.files.get("file")
    dry_run = bool(request.form.get("dry_run"))
    if upload is None or not upload.filename:
        return _council_page(council, import_errors={"file": [_("Choose a CSV file.")]}, dry_run=dry_run, status=422)
    try:
        report = councils.import_members_into(slug, upload.read(), dry_run=dry_run)
    except ImportFileError as error:
        return _council_page(council, import_errors={"file": [str(error)]}, dry_run=dry_run, status=422)
    return render_template("operator/import_report.html", council=council, report=report), 200 if report.ok else 422


@bp.get("/import-example.csv")
@performs(members.import_members)
def import_example():
    return example_import_csv()
