"""Requests for an extraordinary general assembly, and their signatures."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.session_requests import (
    RequestSchema,
)
from konsey.usecases import session_requests
from konsey.usecases.base import performs

blp = Blueprint("session_requests", __name__, url_prefix="/api/v1/councils/<council_slug>/session-requests",
                description="Requests for an extraordinary general assembly")


@blp.route("")
class Requests(MethodView):
    @performs(session_requests.list_requests)
    @blp.response(200, RequestSchema(many=True))
    def get(self):
        return session_requests.list_requests()

    @performs(session_requests.open_request)
    @takes(session_requests.open_request)
    @blp.response(201, RequestSchema)
    def post(self, data):
        """Record a request for an extraordinary general assembly (signatures follow)."""
        return session_requests.open_request(data)


@blp.route("/<uuid:request_id>/signatures")
class Signatures(MethodView):
    @performs(session_requests.sign_request)
    @takes(session_requests.sign_request)
    @blp.response(200, RequestSchema)
    def post(self, data, request_id):
        """Record a member's signature (from the signed paper or the desk); the request is due at the threshold."""
        return session_requests.sign_request(request_id, data)


@blp.route("/<uuid:request_id>/meeting")
class Convened(MethodView):
    @performs(session_requests.request_convened)
    @takes(session_requests.request_convened)
    @blp.response(200, RequestSchema)
    def post(self, data, request_id):
        """Link the extraordinary general assembly called in answer to the request."""
        return session_requests.request_convened(request_id, data)
