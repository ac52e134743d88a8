"""How a page calls a use case: parse the form with the API's own schema, run the use case, and on a refusal
show the messages (translated, naming the field) with what the person typed kept.

A page never commits and never calls the core's services: the use case is the unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from flask import flash
from marshmallow import ValidationError

from konsey.core.errors import DomainError, Invalid, NotFound
from konsey.schemas.messages import translate_validation_messages


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def filled(form: Mapping, *names: str) -> dict:
    """The named form fields that were filled in (empty ones are left out, so schema defaults apply)."""
    return {name: form[name].strip() for name in names if (form.get(name) or "").strip()}


def load(schema_class, data: dict, **schema_options) -> dict:
    """``data`` loaded by the schema the API uses; refusals as :class:`Invalid` with translated messages."""
    try:
        return schema_class(**schema_options).load(data)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        raise Invalid(translate_validation_messages(messages)) from error


def flash_errors(error: DomainError) -> None:
    for message in _lines(error.errors):
        flash(message, "error")


def _lines(messages, prefix: str = "") -> list[str]:
    if isinstance(messages, dict):
        lines = []
        for inner in messages.values():
            lines.extend(_lines(inner, prefix))
        return lines
    if isinstance(messages, list | tuple):
        return [line for m in messages for line in _lines(m, prefix)]
    return [f"{prefix}{messages}"]


def attempt(action: Callable[[], object], success: str | None = None) -> tuple[bool, object]:
    """Run ``action`` (a use case call); flash its refusal or the ``success`` message."""
    try:
        result = action()
    except NotFound:
        raise  # a wrong id in the URL (another council's, say) is a 404 page, not a message
    except DomainError as error:
        flash_errors(error)
        return False, error
    if success:
        flash(success, "success")
    return True, result
