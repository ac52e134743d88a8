"""A person's own account: API tokens and a copy of their data. Adapters over :mod:`konsey.usecases.account`."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from konsey.app.guard import current_principal
from konsey.usecases import account
from konsey.usecases.base import performs
from konsey.web import json_download
from konsey.web.forms import TokenForm

bp = Blueprint("account", __name__, url_prefix="/account")

PLATFORM_CHOICE = "platform"


def _token_form(principal) -> TokenForm:
    form = TokenForm()
    form.council.choices = [(str(c.id), c.name) for c in account.my_councils_for_tokens()]
    if principal.platform_role is not None:
        form.council.choices.insert(0, (PLATFORM_CHOICE, _("Platform (no council)")))
    if len(form.council.choices) == 1 and not form.is_submitted():
        form.council.data = form.council.choices[0][0]  # the one council, chosen already
    # A required select starts with an empty choice (HTML: its placeholder), chosen only if nothing else is.
    form.council.choices.insert(0, ("", "—"))
    return form


@bp.route("/tokens", methods=["GET", "POST"])
@performs(account.create_token)
def tokens():
    form = _token_form(current_principal())
    secret = None
    if form.validate_on_submit():
        council_id = None if form.council.data == PLATFORM_CHOICE else uuid.UUID(form.council.data)
        _token, secret = account.create_token(form.name.data, council_id)
        flash(_("Copy the token now: it will not be shown again."), "warning")
    return render_template("account/tokens.html", form=form, tokens=account.my_tokens(), secret=secret,
                           council_names=dict(form.council.choices))


@bp.post("/tokens/<uuid:token_id>/revoke")
@performs(account.revoke_token)
def revoke_token(token_id: uuid.UUID):
    account.revoke_token(token_id)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("account.tokens"))


@bp.get("/export")
@performs(account.my_data)
def export_own_data():
    """Everything the platform keeps about the signed-in person (KVKK art. 11: the right to know)."""
    return json_download(account.my_data(), "konsey-my-data.json")
