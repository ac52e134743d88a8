"""An API operation over a use case that loads its own input (``UseCase.takes``): the platform's API and the
plugins' use :func:`takes` alike."""

from __future__ import annotations

from copy import deepcopy
from functools import wraps
from http import HTTPStatus

from flask import request


def documents_body(schema):
    """The operation's JSON body documented as ``schema`` (and 422 among its answers), the view left to read the
    body itself: what :func:`takes` documents, for a body the use case must see as bytes (a signed one)."""

    def decorator(view):
        view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        documented = view._apidoc.setdefault("arguments", {})
        documented.setdefault("parameters", []).append({"in": "json", "required": True, "schema": schema})
        documented.setdefault("responses", {})[422] = HTTPStatus(422).name
        return view

    return decorator


def takes(use_case):
    """An operation over a use case that loads its own input (``UseCase.takes``): the body is documented with
    that schema, and handed to the use case as it came (a JSON object, else nothing), which loads it after the
    rows the path names. So an unknown motion answers 404 before a bad body answers 422, as the pages do; the
    view receives the body where ``@blp.arguments`` would put the loaded data."""
    schema = use_case.takes
    parameter = {"in": "json", "required": True, "schema": schema}

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            # A JSON body that does not parse is the client's broken request (400); anything else that is not
            # a JSON object is input the schema refuses, field by field (422).
            body = request.get_json() if request.is_json else None
            return view(*args, body if isinstance(body, dict) else {}, **kwargs)

        wrapper._apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
        documented = wrapper._apidoc.setdefault("arguments", {})
        documented.setdefault("parameters", []).append(parameter)
        documented.setdefault("responses", {})[422] = HTTPStatus(422).name
        return wrapper

    return decorator
