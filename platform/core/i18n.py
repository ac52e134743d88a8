"""Languages: Turkish by default, English on request, and translated validation messages."""

from __future__ import annotations

from flask import g, has_request_context, request, session

LANGUAGES = ("tr", "en")
DEFAULT_LANGUAGE = "tr"


def select_locale() -> str:
    """The language of this request: explicit choice, then the person's setting, then the council's."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if request.path.startswith("/api/") and "Accept-Language" in request.headers:
        best = request.accept_languages.best_match(LANGUAGES)
        if best:
            return best
    from flask_login import current_user

    preferred = getattr(current_user, "locale", None) if current_user else None
    if preferred in LANGUAGES:
        return preferred
    council = g.get("council")
    if council is not None and council.locale in LANGUAGES:
        return council.locale
    return DEFAULT_LANGUAGE
