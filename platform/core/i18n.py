"""Languages: Turkish by default, English on request, and translated validation messages."""

from __future__ import annotations

import re
from functools import cache

from flask import g, has_request_context, request, session
from flask_babel import gettext

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


@cache
def _template_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    from konsey.core.validation_messages import TEMPLATES

    patterns = []
    for template in TEMPLATES:
        regex = re.escape(template)
        regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>.+?)", regex)
        patterns.append((re.compile(f"^{regex}$"), template))
    return tuple(patterns)


def translate_message(message: str) -> str:
    for pattern, template in _template_patterns():
        match = pattern.match(message)
        if match:
            return gettext(template).format(**match.groupdict())
    return message


def translate_validation_messages(messages):
    """Translate marshmallow's English messages (nested dicts and lists) into the request's language."""
    if isinstance(messages, dict):
        return {key: translate_validation_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_validation_messages(value) for value in messages]
    if isinstance(messages, str):
        return translate_message(messages)
    return str(messages)
