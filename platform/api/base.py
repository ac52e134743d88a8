"""The API object and its error format: RFC 9457 problem details, translated, naming the fields."""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin
from flask import Response, current_app, json
from flask_babel import gettext as _
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields
from marshmallow import fields as ma_fields
from werkzeug.exceptions import HTTPException

from konsey.pluginkit.operations import documents_body as documents_body
from konsey.pluginkit.operations import takes as takes  # the API's side of a use case owning its input
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


class ProblemSchema(Schema):
    """RFC 9457 problem details: what every error of the API answers, as ``application/problem+json``."""

    type = fields.String(metadata={"description": "A URI naming the kind of problem; about:blank for plain HTTP"})
    title = fields.String(metadata={"description": "A short, translated summary of the status"})
    status = fields.Integer(metadata={"description": "The HTTP status code"})
    detail = fields.String(metadata={"description": "What went wrong this time, translated"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(metadata={"oneOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "description": "A nested object's (or a list's, by position) fields, the same way"}]}),
                         metadata={"description": "Per field (by its name in the request), the translated messages"})


# The statuses any operation may answer besides its own (a public one: no 401/403).
_GUARDED = (401, 403, 404, 409, 422, 429, 503)
_PUBLIC = (404, 422, 429, 503)
_WITH_A_BODY = (400,)  # a JSON body that does not parse
_IN_A_COUNCIL = (410,)  # an archived council answers no more
_WRITING_IN_A_COUNCIL = (410, 423)  # and a suspended one is read-only
# The headers an answer carries, as the server sends them.
_HEADERS = {
    401: {"WWW-Authenticate": {"description": 'Bearer realm="konsey" (with error="invalid_token" when the token '
                                              "sent is not one)", "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The methods the address takes.", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    503: {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
}


def also_answers(*statuses: int):
    """An operation that can answer more than its kind does (a public one that meets a conflict): documented."""

    def mark(view):
        view.konsey_also_answers = statuses
        return view

    return mark


# What a download answers, for @blp.response(200, BINARY, content_type=…): a file, its bytes as they are.
BINARY = {"type": "string", "format": "binary"}


class _OperationsDocumented(BasePlugin):
    """Every operation in the document gets an operationId (its endpoint and method), the bearer token it needs
    (``security: []`` on a public one) and the problem answers it can give."""

    def __init__(self):
        super().__init__()
        self.app = None
        self.operation_ids: set[str] = set()

    def schema_helper(self, name, definition, **kwargs):
        """A schema whose extra properties have a known type (``OPEN_VALUES``: a federation row's indicators,
        which the installed plugins add to) says so, instead of marshmallow's untyped ``true``."""
        values = getattr(kwargs.get("schema"), "OPEN_VALUES", None)
        return {"additionalProperties": values} if values else None

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations or self.app is None:
            return
        view = self.app.view_functions.get(rule.endpoint)
        for method, operation in operations.items():
            handler = getattr(getattr(view, "view_class", None), method, view)
            policy = getattr(handler, "konsey_policy", None) or getattr(view, "konsey_policy", None)
            use_case = getattr(handler, "konsey_use_case", None) or getattr(view, "konsey_use_case", None)
            # An operation is named by the job it does (its use case: ``add_member``), which is what a generated
            # client calls; a use case two operations adapt names the first, the others their endpoint.
            name = getattr(use_case, "__name__", None)
            if not name or name in self.operation_ids:
                name = f"{rule.endpoint.replace('.', '_')}_{method}"
            operation.setdefault("operationId", name)
            self.operation_ids.add(operation["operationId"])
            # A method with no docstring is summarised by the use case it adapts: the same sentence says what
            # the job is, wherever it is done from.
            if not operation.get("summary") and use_case is not None:
                lines = (getattr(use_case, "__doc__", None) or "").strip().splitlines()
                if lines and lines[0].strip():
                    operation["summary"] = lines[0].strip().rstrip(".:")
                    if len(lines) > 1 and not operation.get("description"):
                        operation["description"] = " ".join(line.strip() for line in lines).strip()
            public = policy is not None and policy.is_public
            if public:
                operation["security"] = []
            responses = operation.setdefault("responses", {})
            statuses = [*(_PUBLIC if public else _GUARDED), *getattr(handler, "konsey_also_answers", ())]
            if operation.get("requestBody"):
                statuses += _WITH_A_BODY
            if "{council_slug}" in (path or ""):
                statuses += _IN_A_COUNCIL if method == "get" else _WRITING_IN_A_COUNCIL
            for status in statuses:
                responses.setdefault(str(status), HTTPStatus(status).name)


def _servers(app) -> list[dict]:
    return [{"url": app.config["KONSEY_BASE_URL"].rstrip("/"), "description": "This installation"}]


def _typed(self, field, ret=None, **_kwargs) -> dict:
    """Every property has a type: an enum's from its values (apispec lists the values but names no type); a
    field computed on output (``Function``/``Method``) says its type in ``metadata["type"]``, and is a string
    unless it does."""
    if isinstance(field, ma_fields.Decimal) and field.as_string:  # money: sent as "1234.50", never a float
        return {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
    if "type" in (ret or {}) or "$ref" in (ret or {}) or "allOf" in (ret or {}):
        return {}
    if isinstance(field, ma_fields.Enum):
        values = [member.value if field.by_value else member.name for member in field.enum]
        return {"type": "integer" if all(isinstance(v, int) for v in values) else "string"}
    if isinstance(field, ma_fields.Function | ma_fields.Method):
        return {"type": field.metadata.get("type", "string")}
    return {}


class KonseyApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._operations = _OperationsDocumented()
        super().__init__(*args, spec_kwargs={"extra_plugins": [self._operations]}, **kwargs)

    def init_app(self, app, *, spec_kwargs=None):
        self._operations.app = app
        self._operations.operation_ids = set()  # each app's document names its operations afresh
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme("bearer", {
            "type": "http", "scheme": "bearer", "bearerFormat": "kns_…",
            "description": "An access token made on the account page (Hesabım → Erişim anahtarları)"})
        self.spec.options["security"] = [{"bearer": []}]
        self.spec.options["servers"] = _servers(app)
        self.ma_plugin.converter.add_attribute_function(_typed)

    def _openapi_json(self):
        # One document object serves every app of a process (a test run makes several): its address is the
        # asking app's, not the last one set up.
        self.spec.options["servers"] = _servers(current_app)
        return super()._openapi_json()

    def _register_responses(self):
        """Every error answer documented as what the server sends: problem details (flask-smorest's own says
        ``application/json`` with a schema of its own)."""
        for status in HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            if status in _HEADERS:
                response["headers"] = _HEADERS[status]
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

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

