"""A person's own API tokens, for a program that makes and revokes its own (signed in, or with a token)."""

from __future__ import annotations

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.account import IssuedTokenSchema, TokenSchema
from konsey.usecases import account
from konsey.usecases.base import performs

blp = Blueprint("account_api", __name__, url_prefix="/api/v1/account", description="Your API tokens")


@blp.route("/tokens")
class Tokens(MethodView):
    @performs(account.my_tokens)
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        return account.my_tokens()

    @performs(account.create_token)
    @takes(account.create_token)
    @blp.response(201, IssuedTokenSchema)
    def post(self, data):
        """Make a token; its secret is in this answer only. A token may only make tokens for its own council."""
        asking = g.get("token")
        scope = {"within": asking.council_id} if asking is not None else {}
        token, secret = account.create_token(data, **scope)
        return {**{name: getattr(token, name) for name in TokenSchema().fields}, "secret": secret}


@blp.route("/tokens/<uuid:token_id>")
class TokenRecord(MethodView):
    @performs(account.revoke_token)
    @blp.response(204)
    def delete(self, token_id):
        """Revoke one of your tokens (it stops working at once)."""
        account.revoke_token(token_id)
