"""The secretariat's pages for the governance core: applications, bodies and seats, elections, reports,
motions, money and the by-laws. Each page calls the same services as the API, and input is checked with the
API's own schemas, so a form and a REST call can never disagree about what is valid."""

from __future__ import annotations

import uuid
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from marshmallow import fields as mf
from marshmallow.validate import OneOf
from sqlalchemy import func, select

from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.errors import DomainError
from konsey.core.permissions import Permission, requires
from konsey.schemas.bylaws import council_schema
from konsey.tenants.db import db
from konsey.usecases import applications as usecase_applications
from konsey.usecases import bylaws as usecase_bylaws
from konsey.usecases.base import performs
from konsey.web.adapters import attempt

bp = Blueprint("governance", __name__, url_prefix="/<council_slug>")


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _one(model, object_id, **criteria):
    row = db.session.scalar(select(model).filter_by(id=object_id, **criteria))
    if row is None:
        abort(404)
    return row


def _form(*names: str) -> dict:
    """The named form fields that were filled in (empty ones are left out, so schema defaults apply)."""
    return {name: request.form[name].strip() for name in names if request.form.get(name, "").strip()}


def _attempt(action, success: str | None = None) -> bool:
    """Run a change; on bad input flash each problem with its field and roll back (nothing changes)."""
    try:
        action()
    except (ValidationError, DomainError) as error:
        db.session.rollback()
        _flash_messages(error.messages)
        return False
    db.session.commit()
    if success:
        flash(success, "success")
    return True


def _attempt_use_case(action, success: str | None = None) -> bool:
    """A use case commits or rolls back itself: only show what happened."""
    return attempt(action, success)[0]


def _flash_messages(messages, prefix: str = "") -> None:
    from konsey.schemas.messages import translate_validation_messages

    if isinstance(messages, dict):
        for field, inner in translate_validation_messages(messages).items():
            _flash_messages(inner, f"{prefix}{field}: " if not isinstance(inner, dict) else f"{prefix}{field}.")
        return
    for message in messages if isinstance(messages, list) else [messages]:
        flash(f"{prefix}{message}", "error")


# --- applications ---------------------------------------------------------------------------------------------


@bp.get("/applications/")
@requires(Permission.APPLICATIONS_DECIDE)
def application_list():
    status = request.args.get("status")
    query = select(MembershipApplication).order_by(MembershipApplication.number.desc())
    if status in set(ApplicationStatus):
        query = query.where(MembershipApplication.status == ApplicationStatus(status))
    counts = dict(db.session.execute(select(MembershipApplication.status, func.count())
                                     .group_by(MembershipApplication.status)).all())
    return render_template("governance/applications.html", rows=db.session.scalars(query).all(),
                           statuses=list(ApplicationStatus), counts=counts, current=status)


def _application_step(application_id, use_case, *args):
    number = usecase_applications.show_application(application_id).number
    _attempt_use_case(lambda: use_case(application_id, *args), _("Application no. %(number)d: saved.", number=number))
    return redirect(url_for("governance.application_list"))


@bp.post("/applications/<uuid:application_id>/review")
@performs(usecase_applications.start_review)
def application_review(application_id):
    return _application_step(application_id, usecase_applications.start_review)


@bp.post("/applications/<uuid:application_id>/approve")
@performs(usecase_applications.approve_application)
def application_approve(application_id):
    return _application_step(application_id, usecase_applications.approve_application,
                             _form("reason", "decision_reference"))


@bp.post("/applications/<uuid:application_id>/reject")
@performs(usecase_applications.reject_application)
def application_reject(application_id):
    return _application_step(application_id, usecase_applications.reject_application, _form("reason"))


@bp.post("/applications/<uuid:application_id>/withdraw")
@performs(usecase_applications.withdraw_application)
def application_withdraw(application_id):
    return _application_step(application_id, usecase_applications.withdraw_application)


# --- by-laws ------------------------------------------------------------------------------------------------------


@bp.get("/bylaws/")
@performs(usecase_bylaws.list_versions)
def bylaws():
    today = date.today()
    schema = council_schema()()
    in_force = usecase_bylaws.parameters_in_force(today)

    choices = {name: list(v.choices) for name, field in schema.fields.items()
               for v in field.validators if isinstance(v, OneOf)}
    return render_template("governance/bylaws.html", in_force=in_force, versions=usecase_bylaws.list_versions(),
                           fields=schema.fields, today=today, choices=choices)


@bp.post("/bylaws/")
@performs(usecase_bylaws.adopt_version)
def bylaws_adopt():
    schema = council_schema()()
    in_force = usecase_bylaws.parameters_in_force(date.today())
    changes = {}
    for name, field in schema.fields.items():
        if isinstance(field, mf.Boolean):
            value = request.form.get(name) == "y"
        else:
            raw = request.form.get(name, "").strip()
            if raw == "":
                continue
            if isinstance(field, mf.List):
                value = [part.strip() for part in raw.split(",") if part.strip()]
                if isinstance(field.inner, mf.Integer):
                    value = [int(p) if p.isdigit() else p for p in value]
            elif isinstance(field, mf.Integer):
                value = int(raw) if raw.lstrip("-").isdigit() else raw
            elif isinstance(field, mf.Float):
                try:
                    value = float(raw.replace(",", "."))
                except ValueError:
                    value = raw
            else:
                value = raw
        if value != in_force.get(name):
            changes[name] = value

    try:
        effective = date.fromisoformat(request.form.get("effective_from", ""))
    except ValueError:
        effective = None
    if not changes:
        flash(_("Nothing was changed."), "error")
        return redirect(url_for("governance.bylaws"))
    _attempt_use_case(lambda: usecase_bylaws.adopt_version(changes, effective),
                      _("The new version of the by-laws is recorded."))
    return redirect(url_for("governance.bylaws"))


# --- the signed-in person's notifications ------------------------------------------------------------------------


@bp.get("/notifications/")
@requires(Permission.COUNCIL_VIEW)
def notifications_page():
    from konsey.core import notifications
    from konsey.core.notifications import Delivery, Kind, Notification

    member = notifications.member_for(current_user.email)
    notes = db.session.scalars(select(Notification).where(Notification.member_id == member.id)
                               .order_by(Notification.created_at.desc()).limit(100)).all() if member else []
    return render_template("governance/notifications.html", member=member, notes=notes, kinds=list(Kind),
                           deliveries=list(Delivery),
                           chosen=notifications.preferences_of(member.id) if member else {})


@bp.post("/notifications/preferences")
@requires(Permission.COUNCIL_VIEW)
def notification_preferences():
    from konsey.core import notifications
    from konsey.core.notifications import Kind

    member = notifications.member_for(current_user.email)
    if member is None:
        abort(404)
    choices = {kind.value: request.form.get(kind.value, "immediate") for kind in Kind}
    _attempt(lambda: notifications.set_preferences(member.id, choices), _("Saved."))
    return redirect(url_for("governance.notifications_page"))


@bp.post("/notifications/<uuid:notification_id>/read")
@requires(Permission.COUNCIL_VIEW)
def notification_read(notification_id):
    from konsey.core import notifications
    from konsey.core.notifications import Notification

    member = notifications.member_for(current_user.email)
    note = _one(Notification, notification_id, member_id=member.id if member else None)
    notifications.mark_read(note)
    db.session.commit()
    return redirect(url_for("governance.notifications_page"))
