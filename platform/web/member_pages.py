"""The council's members: the list with search and filters, adding and editing a member, the membership's
history (suspend, end, restore with a reason), institutions' representatives, erasure, and the CSV import.

Adapters over :mod:`konsey.usecases.members`, loading with the API's own schemas."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.errors import DomainError, Invalid
from konsey.core.membership import Gender, MemberCategory, MemberStatus
from konsey.core.representatives import Capacity
from konsey.pluginkit.pages import attempt, field_errors, filled, flash_errors, load
from konsey.schemas.members import (
    MemberListArgs,
)
from konsey.usecases import bodies, calendars, members
from konsey.usecases.base import performs
from konsey.usecases.member_import import ImportFileError
from konsey.web import example_import_csv

bp = Blueprint("member_pages", __name__, url_prefix="/<council_slug>")
PER_PAGE = 50

# The member's own fields, in the order the form shows them.
TEXT_FIELDS = ("name", "email", "phone", "neighbourhood", "tckn", "derbis_no", "mersis_no", "detsis_no",
               "kep_address", "representative_name", "substitute_name")
DATE_FIELDS = ("birth_date", "joined_on")


def _choices() -> dict:
    return {"categories": list(MemberCategory), "genders": list(Gender), "statuses": list(MemberStatus),
            "capacities": list(Capacity)}


@bp.get("/members", endpoint="members")
@performs(members.list_members)
def members_page():
    raw = filled(request.args, "page", "after", "q", "category", "status", "body_id")
    try:
        args = load(MemberListArgs, raw)
    except Invalid as error:  # a hand-edited address: show the unfiltered list with the message
        flash_errors(error)
        args = load(MemberListArgs, {})
    try:
        rows, has_next = members.list_members(args["page"], PER_PAGE, args["q"], category=args["category"],
                                              status=args["status"], body_id=args["body_id"], after=args["after"])
    except Invalid as error:  # a stale or hand-edited "next" link: the first page, with the message
        flash_errors(error)
        args["after"], args["page"] = None, 1
        rows, has_next = members.list_members(1, PER_PAGE, args["q"], category=args["category"],
                                              status=args["status"], body_id=args["body_id"])
    filters = {k: raw[k] for k in ("q", "category", "status", "body_id") if k in raw}
    # "Next" continues after the last name shown (keyset); a page reached that way has no page number, so
    # "Previous" is the browser's back (it is shown only for numbered pages).
    return render_template("council/members.html", members=rows, page=args["page"] if not args["after"] else 0,
                           has_next=has_next, next_after=members.member_cursor(rows[-1]) if has_next else None,
                           filters=filters, bodies=bodies.list_bodies(), **_choices())


def _form_input(form, *, editing: bool) -> dict:
    """The form as the schema expects it. Editing sends every field, so that emptying one clears it."""
    if editing:
        data = {name: form.get(name, "").strip() or None for name in TEXT_FIELDS}
        data.update({name: form.get(name, "").strip() or None for name in DATE_FIELDS})
        data["gender"] = form.get("gender") or None
        data["category"] = form.get("category", "")
        data["name"] = form.get("name", "").strip()
        data["sms_consent"] = form.get("sms_consent") == "1"
        return data
    return {**filled(form, "category", "gender", *TEXT_FIELDS, *DATE_FIELDS),
            "sms_consent": form.get("sms_consent") == "1"}


def _member_form(member=None, values=None, errors=None, status=200):
    return render_template("council/member_form.html", member=member, values=values or {}, errors=errors or {},
                           **_choices()), status


@bp.get("/members/new")
@performs(members.add_member)
def member_new():
    return _member_form(values={"category": request.args.get("category", "individual")})


@bp.post("/members/new")
@performs(members.add_member)
def member_add():
    try:
        member = members.add_member(_form_input(request.form, editing=False))
    except DomainError as error:
        return _member_form(values=request.form, errors=field_errors(error), status=error.status)
    flash(_("%(name)s is a member now (no. %(number)s).", name=member.name, number=member.member_no), "success")
    if request.form.get("then") == "another":
        return redirect(url_for("member_pages.member_new", category=member.category.value))
    return redirect(url_for("member_pages.member", member_id=member.id))


@bp.get("/members/<uuid:member_id>/edit")
@performs(members.update_member)
def member_edit(member_id: uuid.UUID):
    member = members.show_member(member_id)
    values = {name: getattr(member, name) or "" for name in (*TEXT_FIELDS, *DATE_FIELDS)}
    values.update(category=member.category.value, gender=member.gender.value if member.gender else "",
                  sms_consent=member.sms_consent_at is not None,
                  tckn="")  # the identity number is never shown again; leaving it empty keeps it
    return _member_form(member, values)


@bp.post("/members/<uuid:member_id>/edit")
@performs(members.update_member)
def member_update(member_id: uuid.UUID):
    member = members.show_member(member_id)
    data = _form_input(request.form, editing=True)
    for unchanged_when_empty in ("tckn", "joined_on"):  # the page never shows the stored identity number
        if not data.get(unchanged_when_empty):
            data.pop(unchanged_when_empty)
    try:
        members.update_member(member_id, data)
    except DomainError as error:
        return _member_form(member, request.form, field_errors(error), error.status)
    flash(_("The member's record is saved."), "success")
    return redirect(url_for("member_pages.member", member_id=member_id))


@bp.get("/members/<uuid:member_id>")
@performs(members.show_member)
def member(member_id: uuid.UUID):
    return render_template("council/member.html", member=members.show_member(member_id),
                           calendar_address=calendars.calendar_address(member_id),
                           history=members.membership_history(member_id),
                           representatives=members.list_representatives(member_id),
                           passkeys=members.passkeys_of(member_id), **_choices())


@bp.post("/members/<uuid:member_id>/passkeys/remove")
@performs(members.remove_passkeys)
def passkeys_remove(member_id: uuid.UUID):
    attempt(lambda: members.remove_passkeys(member_id),
            _("The member's passkeys are removed: the next meeting asks for a code by SMS."))
    return redirect(url_for("member_pages.member", member_id=member_id) + "#passkeys-h")


@bp.post("/members/<uuid:member_id>/status")
@performs(members.change_status)
def member_status(member_id: uuid.UUID):
    attempt(lambda: members.change_status(member_id, filled(request.form, "status", "reason", "on")),
            _("The membership's status is changed."))
    return redirect(url_for("member_pages.member", member_id=member_id))


@bp.post("/members/<uuid:member_id>/representatives")
@performs(members.appoint_representative)
def representative_add(member_id: uuid.UUID):
    attempt(lambda: members.appoint_representative(member_id, filled(
        request.form, "capacity", "name", "mandate_letter", "mandate_expires_on", "mobile")),
            _("The representative is recorded."))
    return redirect(url_for("member_pages.member", member_id=member_id) + "#representatives")


@bp.post("/members/<uuid:member_id>/representatives/<uuid:representative_id>/end")
@performs(members.end_mandate)
def representative_end(member_id: uuid.UUID, representative_id: uuid.UUID):
    attempt(lambda: members.end_mandate(member_id, representative_id), _("The mandate has ended."))
    return redirect(url_for("member_pages.member", member_id=member_id) + "#representatives")


@bp.post("/members/<uuid:member_id>/calendar")
@performs(calendars.renew_calendar_address)
def member_calendar_renew(member_id: uuid.UUID):
    attempt(lambda: calendars.renew_calendar_address(member_id),
            _("The member's calendar has a new address; the old one no longer works."))
    return redirect(url_for("member_pages.member", member_id=member_id) + "#calendar")


@bp.post("/members/<uuid:member_id>/erase")
@performs(members.erase_member)
def member_erase(member_id: uuid.UUID):
    member = members.show_member(member_id)
    if request.form.get("confirm_name", "").strip() != member.name:
        flash(_("Type the member's name exactly to confirm the erasure."), "error")
        return redirect(url_for("member_pages.member", member_id=member_id) + "#erase")
    ok, _result = attempt(lambda: members.erase_member(member_id), _("The member's record is erased."))
    return redirect(url_for("member_pages.members") if ok else url_for("member_pages.member", member_id=member_id))


@bp.get("/members/import")
@performs(members.import_members)
def import_page():
    return render_template("council/member_import.html", report=None, content=None)


MAX_KEPT_CSV = 1_000_000  # a dry run's file is carried to the confirming form; beyond this, upload it again


@bp.post("/members/import")
@performs(members.import_members)
def import_run():
    """A dry run first (every bad row with its line and field); then the same file, all rows or none."""
    upload = request.files.get("file")
    content = upload.read() if upload and upload.filename else request.form.get("content", "").encode("utf-8")
    dry_run = request.form.get("dry_run") == "y"
    if not content.strip():
        return render_template("council/member_import.html", report=None, content=None,
                               errors={"file": [_("Choose a CSV file.")]}), 422
    try:
        report = members.import_members(content, dry_run=dry_run)
    except ImportFileError as error:
        return render_template("council/member_import.html", report=None, content=None,
                               errors={"file": [str(error)]}), 422
    kept = content.decode("utf-8-sig", errors="replace") if report.ok and dry_run and len(content) <= MAX_KEPT_CSV \
        else None
    if report.ok and not dry_run:
        flash(_("%(n)d members were imported.", n=report.imported), "success")
        return redirect(url_for("member_pages.members"))
    return render_template("council/member_import.html", report=report, content=kept), 200 if report.ok else 422


@bp.get("/members/import-example.csv")
@performs(members.import_members)
def import_example():
    return example_import_csv()
