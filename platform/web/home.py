"""The front page, the language choice and the health probe."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from konsey.app.guard import current_principal
from konsey.core.i18n import LANGUAGES
from konsey.core.permissions import public
from konsey.usecases import platform
from konsey.usecases.base import performs
from konsey.web.adapters import safe_next

bp = Blueprint("home", __name__)


@bp.get("/")
@performs(platform.front_page)
def index():
    return render_template("home.html", **platform.front_page(current_principal()))


@bp.get("/start")
@performs(platform.landing)
def start():
    """Where sign-in leads when no page was asked for."""
    page, arguments = platform.landing(current_principal())
    return redirect(url_for(page, **arguments))


@bp.get("/lang/<code>")
@public  # changes only this browser's session, nothing of a council's: no use case
def choose_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("home.index")))


@bp.get("/health")
@performs(platform.health)
def health():
    return platform.health()
