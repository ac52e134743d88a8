"""Signing in and out, password reset by e-mail, and accepting invitations. Adapters over
:mod:`konsey.usecases.auth`; the session (cookies, Flask-Login) is kept here."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from konsey.app.guard import current_principal
from konsey.core.errors import DomainError, NotFound
from konsey.pluginkit.pages import field_errors, posted, typed_back
from konsey.usecases import auth, second_factor
from konsey.usecases.base import Actor, acting_as, performs
from konsey.web.adapters import safe_next, webauthn_site

bp = Blueprint("auth", __name__)

# The second step of signing in (konsey.usecases.second_factor): a password that was right waits this long in the
# session for its code, for a few tries; a device the person asked to be remembered is known by its cookie.
PENDING, PENDING_SECONDS, MAX_TRIES = "pending_sign_in", 300, 5
SECOND_FACTOR = "second_factor"  # this session signed in with a second factor
DEVICE_COOKIE, REMEMBERED_FOR = "konsey_device", timedelta(days=30)


@bp.route("/login", methods=["GET", "POST"])
@performs(auth.sign_in)
def login():
    if request.method == "GET":
        return render_template("auth/login.html", values={}, errors={})
    try:
        user = auth.sign_in(posted("email", "password", as_typed=("password",)))
    except DomainError as error:
        errors = field_errors(error)
    else:
        if user is not None:
            following = request.args.get("next")
            session.clear()  # a fresh session on sign-in
            enrolled = second_factor.has_second_factor(user.id)
            if enrolled and not second_factor.device_remembered(user.id, request.cookies.get(DEVICE_COOKIE)):
                # The password was right; the person is not signed in until the second step.
                session[PENDING] = {"user": str(user.id), "at": time.time(), "next": following, "tries": 0}
                return redirect(url_for("auth.second_step"))
            login_user(user)
            session[SECOND_FACTOR] = enrolled  # a device remembered for 30 days counts as the second step
            return redirect(safe_next(following, url_for("home.start")))
        errors = {"password": [_("E-mail or password is wrong.")]}
    return render_template("auth/login.html", values=typed_back("email"), errors=errors), 400


@bp.route("/login/second-factor", methods=["GET", "POST"])
@performs(second_factor.second_step)
def second_step():
    """The second step of signing in: the authenticator's code of the moment, or a recovery code."""
    pending = session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        session.pop(PENDING, None)
        flash(_("Sign in again."), "info")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return _second_step_page(pending, {}, sent=request.args.get("sent"))
    try:
        user, device = second_factor.second_step(uuid.UUID(pending["user"]), posted("code", "remember"))
    except DomainError as error:
        pending["tries"] += 1
        if pending["tries"] >= MAX_TRIES:  # a few tries per password: guessing starts again from the password
            session.pop(PENDING, None)
            flash(_("Too many wrong codes: sign in again."), "error")
            return redirect(url_for("auth.login"))
        session[PENDING] = pending
        return _second_step_page(pending, field_errors(error)), error.status
    session.clear()
    login_user(user)
    session[SECOND_FACTOR] = True
    response = redirect(safe_next(pending.get("next"), url_for("home.start")))
    if device is not None:
        response.set_cookie(DEVICE_COOKIE, device, max_age=int(REMEMBERED_FOR.total_seconds()), path="/login",
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _second_step_page(pending: dict, errors: dict, sent: str | None = None) -> str:
    user_id = uuid.UUID(pending["user"])
    return render_template("auth/second_factor.html", errors=errors, passkeys=second_factor.has_passkeys(user_id),
                           sms_end=second_factor.sms_number_end(user_id), sent=sent)


@bp.post("/login/second-factor/sms")
@performs(second_factor.send_sign_in_code)
def send_sign_in_code():
    """A code by SMS for the second step, where the person's council allows it."""
    pending = _pending_sign_in()
    if pending is None:
        flash(_("Sign in again."), "info")
        return redirect(url_for("auth.login"))
    try:
        end = second_factor.send_sign_in_code(uuid.UUID(pending["user"]))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.second_step"))
    return redirect(url_for("auth.second_step", sent=end))


def _pending_sign_in() -> dict | None:
    pending = session.get(PENDING)
    return pending if pending and time.time() - pending["at"] <= PENDING_SECONDS else None


@bp.post("/login/second-factor/passkey/options")
@performs(second_factor.passkey_sign_in_options)
def passkey_sign_in_options():
    """The challenge a passkey signs for the second step (static/passkeys.js asks, then answers below)."""
    pending = _pending_sign_in()
    if pending is None:
        return jsonify(next=url_for("auth.login")), 409
    options, challenge = second_factor.passkey_sign_in_options(uuid.UUID(pending["user"]), webauthn_site()[0])
    session[PENDING] = {**pending, "challenge": base64.b64encode(challenge).decode()}
    return Response(options, mimetype="application/json")


@bp.post("/login/second-factor/passkey")
@performs(second_factor.second_step_with_passkey)
def passkey_sign_in():
    pending = _pending_sign_in()
    if pending is None:
        return jsonify(next=url_for("auth.login")), 409
    challenge = pending.pop("challenge", None)  # one answer per challenge
    rp_id, origin = webauthn_site()
    try:
        user = second_factor.second_step_with_passkey(uuid.UUID(pending["user"]), request.get_json(silent=True) or {},
                                                      base64.b64decode(challenge) if challenge else None, rp_id, origin)
    except DomainError as error:
        pending["tries"] += 1
        session[PENDING] = pending if pending["tries"] < MAX_TRIES else None
        return jsonify(errors=field_errors(error)), error.status
    session.clear()
    login_user(user)
    session[SECOND_FACTOR] = True
    return jsonify(next=safe_next(pending.get("next"), url_for("home.start")))


@bp.post("/logout")
@performs(auth.sign_out)
def logout():
    auth.sign_out(current_principal())
    logout_user()
    session.clear()
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@performs(auth.request_password_reset)
def forgot_password():
    if request.method == "GET":
        return render_template("auth/forgot.html", values={}, errors={})
    try:
        auth.request_password_reset(posted("email"))
    except DomainError as error:
        return render_template("auth/forgot.html", values=typed_back("email"), errors=field_errors(error)), \
            error.status
    # The same answer whether or not the address is known: no account enumeration.
    flash(_("If the address belongs to an account, a link is on its way."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@performs(auth.reset_password)
def reset_password(token: str):
    if not auth.reset_link_is_valid(token):
        return render_template("error.html", status=400, title=_("This link is invalid or has expired.")), 400
    if request.method == "GET":
        return render_template("auth/reset.html", errors={})
    try:
        auth.reset_password(token, posted("password", "confirm", as_typed=("password", "confirm")))
    except NotFound:
        raise  # a wrong id in the address is the 404 page (Gone: the expired link's page)
    except DomainError as error:
        return render_template("auth/reset.html", errors=field_errors(error)), error.status
    flash(_("Your password was changed. Sign in with the new one."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
@performs(auth.accept_with_new_account)
def accept_invitation(secret: str):
    try:
        view = auth.invitation(secret)
    except NotFound:
        return render_template("error.html", status=404, title=_("This invitation is invalid, used or expired.")), 404
    invitation, council = view.invitation, view.council
    principal = current_principal()
    if view.existing is not None:
        if principal is None or principal.id != view.existing.id:
            flash(_("Sign in as %(email)s to accept the invitation.", email=invitation.email), "info")
            return redirect(url_for("auth.login", next=request.path))
        if request.method == "POST":
            with acting_as(Actor(principal.id)):
                auth.accept_as_signed_in(secret)
            return redirect(url_for("council.dashboard", council_slug=council.slug))
        return render_template("auth/invitation.html", invitation=invitation, council=council, new_account=False)
    page = {"invitation": invitation, "council": council, "new_account": True}
    if request.method == "GET":
        return render_template("auth/invitation.html", **page, values={}, errors={})
    try:
        user, council = auth.accept_with_new_account(
            secret, posted("display_name", "password", "confirm", as_typed=("password", "confirm")))
    except NotFound:
        raise  # a wrong id in the address is the 404 page (Gone: the expired link's page)
    except DomainError as error:
        return render_template("auth/invitation.html", **page, values=typed_back("display_name"),
                               errors=field_errors(error)), error.status
    login_user(user)
    return redirect(url_for("council.dashboard", council_slug=council.slug))
