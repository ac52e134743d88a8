"""A person's own API tokens, as the API shows and takes them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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


class SecondFactorCodeSchema(StrictSchema):
    """A code an authenticator app shows (six digits; spaces are forgiven)."""

    code = fields.String(required=True, validate=validate.Length(min=6, max=8),
                         metadata={"label": _l("Code from the app")})


class SignInCodeSchema(StrictSchema):
    """The second step of signing in: the app's code of the moment, or a recovery code."""

    code = fields.String(required=True, validate=validate.Length(min=6, max=20), metadata={"label": _l("Code")})
    remember = fields.Boolean(load_default=False, metadata={"description": "Remember this device for 30 days."})


class SecondFactorRequirementSchema(StrictSchema):
    required = fields.Boolean(required=True, metadata={"description": "Everyone with a role in the council signs "
                                                                     "in with a second factor."})


class NewPasskeySchema(StrictSchema):
    """A passkey the browser made (its WebAuthn answer, as JSON) and the name the person gives it."""

    credential = fields.Dict(required=True, metadata={"description": "The PublicKeyCredential, as JSON."})
    name = fields.String(required=True, validate=validate.Length(min=1, max=60), metadata={"label": _l("Name")})


class SmsCodeSchema(StrictSchema):
    """A code sent by SMS (six digits; spaces are forgiven)."""

    code = fields.String(required=True, validate=validate.Length(min=6, max=8),
                         metadata={"label": _l("Code sent by SMS")})


class SmsFactorSchema(StrictSchema):
    """A staff member's mobile number for sign-in codes, and the council whose SMS account sends them."""

    council_id = fields.UUID(required=True, metadata={"label": _l("Council")})
    mobile = fields.String(required=True, validate=validate.Length(min=10, max=20),
                           metadata={"label": _l("Mobile number")})


class SmsSecondFactorPolicySchema(StrictSchema):
    allowed = fields.Boolean(required=True, metadata={"description": "Staff may take a code sent by SMS as their "
                                                                     "second factor."})
