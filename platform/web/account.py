"""A person's own account: API tokens and a copy of their data. Adapters over :mod:`konsey.usecases.account`."""

from __future__ import annotations

import base64
import uuid

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from konsey.app.guard import current_principal
from konsey.core.errors import DomainError, NotFound
from konsey.pluginkit.pages import attempt, field_errors, posted, typed_back
from konsey.usecases import account, second_factor
from konsey.usecases.base import performs
from konsey.web import json_download
from konsey.web.adapters import webauthn_site

bp = Blueprint("account", __name__, url_prefix="/account")

PLATFORM_CHOICE = "platform"


def _council_choices(principal) -> list[tuple[str, str]]:
    choices = [(str(c.id), c.name) for c in account.my_councils_for_tokens()]
    if principal.platform_role is not None:
        choices.insert(0, (PLATFORM_CHOICE, _("Platform (no council)")))
    return choices


@bp.route("/tokens", methods=["GET", "POST"])
@performs(account.create_token)
def tokens():
    choices = _council_choices(current_principal())
    # The one council, chosen already; else the person chooses (a required select starts empty).
    values = {"council": choices[0][0] if len(choices) == 1 else ""}
    errors, secret, status = {}, None, 200
    if request.method == "POST":
        typed = posted("name", "council")
        values = {"name": request.form.get("name", ""), "council": request.form.get("council", "")}
        council = typed.pop("council", None)
        if council is None:
            errors = {"council": [_("Choose the council the token acts in.")]}
        else:
            # The page's "platform" is the API's null council; any other choice is a council's id.
            typed["council_id"] = None if council == PLATFORM_CHOICE else council
            try:
                _token, secret = account.create_token(typed)
            except NotFound:
                raise  # a wrong id in the address is the 404 page (Gone: the expired link's page)
            except DomainError as error:
                errors = field_errors(error)
                errors.setdefault("council", []).extend(errors.pop("council_id", []))
                status = error.status
            else:
                flash(_("Copy the token now: it will not be shown again."), "warning")
                values = {"council": values["council"]}
    return render_template("account/tokens.html", values=values, errors=errors, choices=choices,
                           tokens=account.my_tokens(), secret=secret, council_names=dict(choices)), status


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


@bp.get("/security")
@performs(second_factor.status)
def security():
    """The person's second factor: set up an authenticator app, new recovery codes."""
    return _security_page()


def _security_page(*, setup=None, codes=None, errors=None, values=None, required=None, sms_errors=None):
    return render_template("account/security.html", status=second_factor.status(), setup=setup, codes=codes,
                           errors=errors or {}, sms_errors=sms_errors or {}, values=values or {},
                           required=request.args.get("required") == "1" if required is None else required)


@bp.post("/security/sms")
@performs(second_factor.start_sms)
def start_sms():
    """Codes by SMS as a second factor: the number, confirmed by the code sent to it."""
    try:
        end = second_factor.start_sms(posted("council_id", "mobile"))
    except DomainError as error:
        return _security_page(sms_errors=field_errors(error), values=typed_back("council_id", "mobile"),
                              required=False), error.status
    flash(_("A code is on its way to your number ending in %(end)s: type it below.", end=end), "success")
    return redirect(url_for("account.security") + "#sms-h")


@bp.post("/security/sms/<uuid:factor_id>/confirm")
@performs(second_factor.confirm_sms)
def confirm_sms(factor_id: uuid.UUID):
    try:
        codes = second_factor.confirm_sms(factor_id, posted("code"))
    except NotFound as error:
        flash(error.message, "error")
        return redirect(url_for("account.security"))
    except DomainError as error:
        return _security_page(sms_errors=field_errors(error), required=False), error.status
    session["second_factor"] = True  # this session has just proved a second factor
    flash(_("Your mobile number is confirmed: you can sign in with a code sent to it."), "success")
    return _security_page(codes=codes or None, required=False)


@bp.post("/security/sms/remove")
@performs(second_factor.remove_sms)
def remove_sms():
    attempt(second_factor.remove_sms, _("Sign-in codes are no longer sent to your phone."))
    return redirect(url_for("account.security"))


@bp.post("/security/authenticator")
@performs(second_factor.start_authenticator)
def start_authenticator():
    return _security_page(setup=second_factor.start_authenticator(), required=False)


@bp.post("/security/authenticator/<uuid:factor_id>/confirm")
@performs(second_factor.confirm_authenticator)
def confirm_authenticator(factor_id: uuid.UUID):
    try:
        codes = second_factor.confirm_authenticator(factor_id, posted("code"))
    except NotFound:
        flash(_("Start setting up the authenticator again."), "error")
        return redirect(url_for("account.security"))
    except DomainError as error:
        # The same key again: the app already holds it (a new key would need a new scan).
        return _security_page(setup=second_factor.authenticator_again(factor_id), errors=field_errors(error),
                              required=False), error.status
    session["second_factor"] = True  # this session has just proved the second factor
    flash(_("The authenticator app is set up: from now on you sign in with its code."), "success")
    return _security_page(codes=codes, required=False)


@bp.post("/security/recovery-codes")
@performs(second_factor.new_recovery_codes)
def recovery_codes():
    done, codes = attempt(second_factor.new_recovery_codes)
    if not done:
        return redirect(url_for("account.security"))
    return _security_page(codes=codes, required=False)


@bp.post("/security/passkeys/options")
@performs(second_factor.passkey_options)
def passkey_options():
    """What the browser needs to make a passkey here (static/passkeys.js asks, then answers to add_passkey)."""
    options, challenge = second_factor.passkey_options(webauthn_site()[0])
    session["passkey_challenge"] = base64.b64encode(challenge).decode()
    return Response(options, mimetype="application/json")


@bp.post("/security/passkeys")
@performs(second_factor.add_passkey)
def add_passkey():
    challenge = session.pop("passkey_challenge", None)
    rp_id, origin = webauthn_site()
    try:
        codes = second_factor.add_passkey(request.get_json(silent=True) or {},
                                          base64.b64decode(challenge) if challenge else None, rp_id, origin)
    except DomainError as error:
        return jsonify(errors=field_errors(error)), error.status
    session["second_factor"] = True  # this session has just proved a second factor
    flash(_("The passkey is added: from now on you can sign in with it."), "success")
    return jsonify(next=url_for("account.security"), recovery_codes=codes or [])
