"""A council's own pages: /<council-slug>/…"""

from __future__ import annotations

from flask import Blueprint, g, render_template

from konsey.app.guard import current_principal
from konsey.core.accounts import roles_in
from konsey.core.permissions import Permission, allowed
from konsey.usecases import councils
from konsey.usecases.base import performs
from konsey.web import json_download

bp = Blueprint("council", __name__, url_prefix="/<council_slug>")


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


@bp.get("/export")
@performs(councils.full_export)
def export():
    council = councils.show_council()
    return json_download(councils.full_export(), f"{council.slug}-export.json")
