"""The front page and language choice."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from sqlalchemy import select

from konsey.app.guard import current_principal
from konsey.core.accounts import council_ids_of
from konsey.core.i18n import LANGUAGES
from konsey.core.permissions import public
from konsey.tenants.db import db
from konsey.tenants.models import Council, CouncilStatus

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    principal = current_principal()
    mine = []
    if principal is not None:
        ids = council_ids_of(principal)
        query = select(Council).order_by(Council.name)
        if not principal.is_operator:
            query = query.where(Council.id.in_(ids))
        mine = db.session.scalars(query).all()
    listed = db.session.scalars(
        select(Council).where(Council.status == CouncilStatus.ACTIVE).order_by(Council.name)
    ).all()
    return render_template("home.html", mine=mine, listed=listed)


@bp.get("/lang/<code>")
@public
def choose_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    target = request.args.get("next") or url_for("home.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("home.index")
    return redirect(target)


@bp.get("/health")
@public
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
