"""What a person types to sign in, to reset a password and to accept an invitation: the one place where a
password's length and a name's are written (the pages, and the operators' command line, load these)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from konsey.schemas.base import StrictSchema

PASSWORD_LENGTH = validate.Length(min=10, max=200)


class SignInSchema(StrictSchema):
    # No format check on sign-in: the account decides, and the refusal must not tell which part was wrong.
    AS_TYPED = frozenset({"password"})
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ForgotPasswordSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class NewPasswordSchema(StrictSchema):
    AS_TYPED = frozenset({"password", "confirm"})
    password = fields.String(required=True, validate=PASSWORD_LENGTH)
    confirm = fields.String(required=True)

    @validates_schema(skip_on_field_errors=True)
    def _the_same_twice(self, data, **_kwargs):
        if data["password"] != data["confirm"]:
            raise ValidationError({"confirm": [str(_l("The two passwords are not the same."))]})


class AcceptInvitationSchema(NewPasswordSchema):
    display_name = fields.String(required=True, validate=validate.Length(min=2, max=200))


class NewAccountSchema(StrictSchema):
    """An account an operator makes at the command line."""

    AS_TYPED = frozenset({"password"})

    email = fields.Email(required=True, validate=validate.Length(max=254))
    display_name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    password = fields.String(required=True, validate=PASSWORD_LENGTH)
