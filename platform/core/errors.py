"""The errors the domain raises, and nothing about HTTP.

Core and the use cases raise these; each front end maps them once: the API to problem+json
(:mod:`konsey.app.errors`), the pages to the form shown again with the input kept and the messages beside the
fields (:mod:`konsey.pluginkit.pages`), the CLI to a message and a non-zero exit. Messages are translated when raised
(the request's language), and always name the field they are about, so a person knows what to change.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal. ``errors`` maps a field name to its messages (``_schema`` for the whole)."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str | None = None, field: str = "_schema"):
        if errors is None:
            errors = {}
        elif isinstance(errors, str):
            errors = {field: [errors]}
        self.errors: dict = {key: (value if isinstance(value, (list, dict)) else [value]) for key, value in errors.items()}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """All messages in one line (for a flash, a log, a CLI)."""
        parts: list[str] = []
        for value in self.errors.values():
            parts.extend(_flatten(value))
        return " ".join(parts)

    @property
    def messages(self) -> dict:
        return self.errors


def _flatten(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flatten(v)]
    if isinstance(value, list):
        return [m for v in value for m in _flatten(v)]
    return [str(value)]


class Invalid(DomainError):
    """The input is wrong: the person can fix it by changing what they typed (422)."""

    status = 422


class Conflict(DomainError):
    """The input is fine but the state of things forbids it now: closed, already done, not yet allowed (409)."""

    status = 409


class NotFound(DomainError):
    """No such thing in this council (404; another council's ids are simply not found)."""

    status = 404


class Forbidden(DomainError):
    """The person acting lacks the permission the use case declares (403)."""

    status = 403


class ConfirmationNeeded(Forbidden):
    """The person must confirm who they are first (a code sent by SMS, a passkey): the by-laws ask it (403)."""


class Gone(DomainError):
    """The council is archived (410)."""

    status = 410


class Locked(DomainError):
    """The council is suspended and read-only (423)."""

    status = 423
