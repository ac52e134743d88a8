"""Signing in and out, password reset by e-mail, and accepting invitations. Adapters over
:mod:`konsey.usecases.auth`; the session (cookies, Flask-Login) is kept here."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from konsey.app.guard import current_principal
from konsey.core.errors import DomainError, NotFound
from konsey.pluginkit.pages import field_errors, posted, typed_back
from konsey.usecases import auth
from konsey.usecases.base import Actor, acting_as, performs
from konsey.web.adapters import safe_next

bp = Blueprint("auth", __name__)


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
            session.clear()  # a fresh session on sign-in
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("home.start")))
        errors = {"password": [_("E-mail or password is wrong.")]}
    return render_template("auth/login.html", values=typed_back("email"), errors=errors), 400


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
