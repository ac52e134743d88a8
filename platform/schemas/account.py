"""A person's own API tokens, as the API shows and takes them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.schemas.base import StrictSchema


class TokenSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    council_id = fields.UUID(allow_none=True)
    hint = fields.String(metadata={"description": "The token's first characters, to recognise it."})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    council_id = fields.UUID(load_default=None, metadata={"description": "The council it acts in (null: the "
                                                                         "platform, for a platform role)."})


class IssuedTokenSchema(TokenSchema):
    secret = fields.String(metadata={"description": "Shown this once; only its digest is kept."})
