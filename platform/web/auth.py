"""Signing in and out, password reset by e-mail, and accepting invitations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from konsey.app.guard import current_principal
from konsey.core import accounts
from konsey.core.accounts import User, find_user_by_email, invitation_from_secret
from konsey.core.password_reset import reset_token, user_from_reset_token
from konsey.core.permissions import public
from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.core.urls import external_url
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.web.forms import AcceptInvitationForm, ForgotPasswordForm, LoginForm, NewPasswordForm

bp = Blueprint("auth", __name__)


def _safe_next(default: str) -> str:
    target = request.args.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_active and user.check_password(form.password.data):
            session.clear()  # a fresh session on sign-in
            login_user(user)
            db.session.commit()  # a re-hashed password is kept
            return redirect(_safe_next(url_for("home.index")))
        form.password.errors.append(_("E-mail or password is wrong."))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" or form.errors == {} else 400


@bp.post("/logout")
@public
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.is_active:
            link = external_url("auth.reset_password", token=reset_token(user))
            enqueue_after_commit(
                "konsey.send_email",
                to=user.email,
                subject=_("Resetting your Konsey password"),
                body=_("Open this link within an hour to choose a new password:\n%(link)s\n\n"
                       "If you did not ask for this, ignore this e-mail.", link=link),
            )
            db.session.commit()
        # The same answer whether or not the address is known: no account enumeration.
        flash(_("If the address belongs to an account, a link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = user_from_reset_token(token)
    if user is None:
        return render_template("error.html", status=400, title=_("This link is invalid or has expired.")), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        flash(_("Your password was changed. Sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
@public
def accept_invitation(secret: str):
    invitation = invitation_from_secret(secret)
    if invitation is None:
        return render_template("error.html", status=404, title=_("This invitation is invalid, used or expired.")), 404
    council = db.session.get(Council, invitation.council_id)
    existing = find_user_by_email(invitation.email)
    principal = current_principal()
    if existing is not None:
        if principal is None or principal.id != existing.id:
            flash(_("Sign in as %(email)s to accept the invitation.", email=invitation.email), "info")
            return redirect(url_for("auth.login", next=request.path))
        if request.method == "POST":
            accounts.accept_invitation(invitation, existing)
            db.session.commit()
            return redirect(url_for("council.dashboard", council_slug=council.slug))
        return render_template("auth/invitation.html", invitation=invitation, council=council, form=None)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = User(email=invitation.email, display_name=form.display_name.data.strip(), locale=council.locale)
        user.set_password(form.password.data)
        db.session.add(user)
        accounts.accept_invitation(invitation, user)
        db.session.commit()
        login_user(user)
        return redirect(url_for("council.dashboard", council_slug=council.slug))
    return render_template("auth/invitation.html", invitation=invitation, council=council, form=form)
