"""The youth assembly's page: its members and adding one within the age band."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.pluginkit import join_assembly, performs, seat_from_form
from konsey.plugins.youth_assembly import usecases

NAME = "youth_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")


@pages.get("/")
@performs(usecases.overview)
def index():
    return render_template("youth_assembly/index.html", **usecases.overview())


@pages.post("/members")
@performs(join_assembly)
def add_member():
    member = seat_from_form(usecases.assembly(), request.form.get("member_id"))
    if member is not None:
        flash(_("%(name)s joined the youth assembly.", name=member.name), "success")
    return redirect(url_for(f"{NAME}.index"))
