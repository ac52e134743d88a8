"""The youth assembly's page: its members and adding one within the age band."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from konsey.pluginkit import add_member_route, performs
from konsey.plugins.youth_assembly import usecases

NAME = "youth_assembly"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")


@pages.get("/")
@performs(usecases.overview)
def index():
    return render_template("youth_assembly/index.html", **usecases.overview())


add_member_route(pages, usecases.assembly, _l("%(name)s joined the youth assembly."), f"{NAME}.index")
