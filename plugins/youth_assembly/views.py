"""The youth assembly's page: its members and adding one within the age band."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from konsey.pluginkit import (
    Body,
    Member,
    MemberKind,
    MemberStatus,
    Permission,
    db,
    plugin_config,
    requires,
    seat_from_form,
    seats_on,
)

NAME = "youth_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")


def assembly() -> Body:
    body = db.session.scalar(select(Body).where(Body.type_code == NAME))
    if body is None:
        abort(404)
    return body


@pages.get("/")
@requires(Permission.COUNCIL_VIEW)
def index():
    from konsey.plugins.youth_assembly import in_band

    body = assembly()
    today = date.today()
    seats = seats_on(body, today)
    seated = {s.member_id for s in seats}
    settings = plugin_config(NAME) or {"age_min": 15, "age_max": 29}  # a disabled plugin's page is read-only
    candidates = [m for m in db.session.scalars(select(Member).where(
        Member.status == MemberStatus.ACTIVE, Member.kind == MemberKind.INDIVIDUAL).order_by(Member.sort_name))
        if m.id not in seated and in_band(m.birth_date, today, settings)]
    return render_template("youth_assembly/index.html", body=body, seats=seats, candidates=candidates,
                           settings=settings)


@pages.post("/members")
@requires(Permission.BODIES_MANAGE)
def add_member():
    member = seat_from_form(assembly(), request.form.get("member_id"))
    if member is not None:
        flash(_("%(name)s joined the youth assembly.", name=member.name), "success")
    return redirect(url_for(f"{NAME}.index"))
