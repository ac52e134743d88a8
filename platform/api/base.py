"""The API object and its error format: RFC 9457 problem details, translated, naming the fields."""

from __future__ import annotations

from flask import Response, json
from flask_babel import gettext as _
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from konsey.schemas.messages import translate_validation_messages

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, errors: dict | None = None) -> Response:
    body: dict = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def status_title(status: int) -> str:
    titles = {
        400: _("The request is malformed."),
        401: _("Sign in or send a valid access token."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        410: _("This council is archived."),
        413: _("The request is too large."),
        415: _("Unsupported content type."),
        422: _("Some fields are invalid."),
        423: _("This council is suspended and read-only."),
        429: _("Too many requests."),
    }
    return titles.get(status, _("The server could not complete the request."))


def flatten_field_errors(messages: dict) -> dict:
    """webargs reports errors per location ({"json": {...}, "query": {...}}); clients want them per field."""
    flat: dict = {}
    for location, errors in messages.items():
        if isinstance(errors, dict):
            flat.update(errors)
        else:
            flat[location] = errors
    return translate_validation_messages(flat)


class KonseyApi(Api):
    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        errors = flatten_field_errors(messages) if isinstance(messages, dict) else None
        status = error.code or 500
        detail = data.get("message") if isinstance(data.get("message"), str) else None
        if status == 400 and errors and "json" in errors:
            detail = "; ".join(errors.pop("json"))
        return with_error_headers(problem(status, status_title(status), detail=detail, errors=errors or None), error)


def with_error_headers(response: Response, error: HTTPException) -> Response:
    """The headers an HTTP error carries besides its body: ``Allow`` on a 405, ``WWW-Authenticate`` on a 401."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
