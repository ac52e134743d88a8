"""The municipality's side of a download-link delivery: fetch the package, confirm its receipt.

The link carries a signed, expiring token naming the council and the motion; nothing else is needed, and
nothing else is shown (the token is the only key, and it opens one motion's package)."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core.delivery import confirm_receipt, read_receipt_token
from konsey.core.errors import DomainError
from konsey.core.motions import Motion
from konsey.core.permissions import public
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council

bp = Blueprint("receipts", __name__, url_prefix="/receipts")


@contextmanager
def _motion_of(token: str):
    """The council bound and the motion the token names (404 for anything else)."""
    try:
        council_id, motion_id = read_receipt_token(token)
    except (ValidationError, DomainError):
        abort(404)
    council = db.session.get(Council, council_id)
    if council is None:
        abort(404)
    with bound_council(council.id):
        motion = db.session.scalar(select(Motion).where(Motion.id == motion_id))
        if motion is None:
            abort(404)
        yield council, motion


@bp.get("/<token>")
@public
def receipt(token):
    with _motion_of(token) as (council, motion):
        return render_template("receipts/receipt.html", council=council, motion=motion, token=token)


@bp.get("/<token>/package.zip")
@public
def package(token):
    from konsey.core.motion_package import build_package

    with _motion_of(token) as (_council, motion):
        built = build_package(motion)
        db.session.commit()
        return Response(built.content, mimetype="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{built.filename}"'})


@bp.post("/<token>/confirm")
@public
def confirm(token):
    with _motion_of(token) as (_council, motion):
        first = confirm_receipt(motion)
        db.session.commit()
    flash(_("Thank you: the receipt is recorded.") if first else _("The receipt was already recorded."), "success")
    return redirect(url_for("receipts.receipt", token=token))
