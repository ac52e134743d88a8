"""A person's own account: API tokens and a copy of their data."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from konsey.app.guard import current_principal
from konsey.core.accounts import AccessToken, council_ids_of, issue_token
from konsey.core.permissions import Permission, requires
from konsey.tenants.db import db, utcnow
from konsey.tenants.models import Council
from konsey.web import json_download
from konsey.web.forms import TokenForm

bp = Blueprint("account", __name__, url_prefix="/account")

PLATFORM_CHOICE = "platform"


def _token_form(principal) -> TokenForm:
    form = TokenForm()
    councils = db.session.scalars(
        select(Council).where(Council.id.in_(council_ids_of(principal))).order_by(Council.name)
    ).all()
    form.council.choices = [(str(c.id), c.name) for c in councils]
    if principal.platform_role is not None:
        form.council.choices.insert(0, (PLATFORM_CHOICE, _("Platform (no council)")))
    return form


@bp.route("/tokens", methods=["GET", "POST"])
@requires(Permission.TOKENS_OWN)
def tokens():
    principal = current_principal()
    form = _token_form(principal)
    secret = None
    if form.validate_on_submit():
        council_id = None if form.council.data == PLATFORM_CHOICE else uuid.UUID(form.council.data)
        _token, secret = issue_token(principal, form.name.data.strip(), council_id)
        db.session.commit()
        flash(_("Copy the token now: it will not be shown again."), "warning")
    mine = db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == principal.id).order_by(AccessToken.created_at.desc())
    ).all()
    return render_template(
        "account/tokens.html", form=form, tokens=mine, secret=secret, council_names=dict(form.council.choices)
    )


@bp.post("/tokens/<uuid:token_id>/revoke")
@requires(Permission.TOKENS_OWN)
def revoke_token(token_id: uuid.UUID):
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != current_principal().id:
        abort(404)
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    flash(_("The token was revoked."), "success")
    return redirect(url_for("account.tokens"))


@bp.get("/export")
@requires(Permission.TOKENS_OWN)
def export_own_data():
    """Everything the platform keeps about the signed-in person (KVKK art. 11: the right to know)."""
    principal = current_principal()
    councils = {c.id: c.slug for c in db.session.scalars(select(Council).where(Council.id.in_(council_ids_of(principal))))}
    document = {
        "account": {"email": principal.email, "display_name": principal.display_name, "locale": principal.locale,
                    "platform_role": principal.platform_role.value if principal.platform_role else None,
                    "created_at": principal.created_at.isoformat()},
        "roles": [{"council": councils.get(g.council_id), "role": g.role.value, "granted_at": g.granted_at.isoformat()}
                  for g in principal.grants],
        "tokens": [{"name": t.name, "council": councils.get(t.council_id), "created_at": t.created_at.isoformat(),
                    "revoked": t.revoked_at is not None}
                   for t in db.session.scalars(select(AccessToken).where(AccessToken.user_id == principal.id))],
    }
    return json_download(document, "konsey-my-data.json")
