"""Every answer of the API that the suite sees is checked against the OpenAPI document the server publishes.

The apps the tests make use :class:`DocumentedClient` as their test client: after each request to a documented
operation (``/api/v1/…`` matching a route), the answer's status, media type and body are validated against the
document with openapi-core. A body the document does not describe fails the test that received it, so the
document and the server cannot drift apart. Requests are not validated: the suite sends bad ones on purpose.
"""

from __future__ import annotations

import json
import os

from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

_documents: dict[int, object] = {}


def _document(app):
    from openapi_core import Config, OpenAPI

    key = id(app)
    if key not in _documents:
        document = FlaskClient(app, app.response_class).get("/api/v1/openapi.json").json
        # The test client speaks to http://localhost/, the document names the installation's public address.
        document["servers"] = [{"url": "/"}]
        config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
        _documents[key] = OpenAPI.from_dict(document, config=config)
    return _documents[key]


def _documented_operation(app, request) -> bool:
    if not request.path.startswith("/api/v1/") or request.path.endswith("/openapi.json"):
        return False
    try:
        app.url_map.bind("localhost").match(request.path, request.method)
    except HTTPException:  # no such route (404) or method (405): no operation of the document to hold it to
        return False
    return True


def _request_of(request):
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest

    class AnsweredRequest(WerkzeugOpenAPIRequest):
        body = None  # the request was read by the server; only its answer is checked

    return AnsweredRequest(request)


def check_answer(app, response) -> None:
    """Raise AssertionError when ``response`` (a test client's answer) is not what the document says."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse

    request = response.request
    if request is None or not _documented_operation(app, request) or "Content-Encoding" in response.headers:
        return  # a compressed answer is the same answer the suite sees plain elsewhere
    errors = list(_document(app).iter_response_errors(_request_of(request),
                                                      WerkzeugOpenAPIResponse(response)))
    if errors:
        details = "; ".join(f"{error}: {getattr(error, '__cause__', None) or ''}" for error in errors)
        raise AssertionError(f"{request.method} {request.path} → {response.status_code} is not what the OpenAPI "
                             f"document says: {details}\nbody: {response.get_data(as_text=True)[:600]}")


# The suite run again at other moments of the calendar (KONSEY_TEST_CLOCK) sends the same answers the main run
# checked: it is not checked twice.
CHECKING = not os.environ.get("KONSEY_TEST_CLOCK")


class DocumentedClient(FlaskClient):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if CHECKING:
            check_answer(self.application, response)
        return response
