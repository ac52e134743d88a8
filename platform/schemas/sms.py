"""A council's SMS provider account, as the pages and the API take and show it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from konsey.core.sms import PROVIDERS, SmsStatus
from konsey.schemas.base import StrictSchema

# The fields each provider's account needs: Netgsm a username and password, İleti Merkezi an API key and its hash.
CREDENTIAL_FIELDS = {"netgsm": ("username", "password"), "iletimerkezi": ("key", "hash")}


class SmsSettingsSchema(StrictSchema):
    provider = fields.String(required=True, validate=validate.OneOf(PROVIDERS))
    sender = fields.String(required=True, validate=validate.Length(min=2, max=11),
                           metadata={"label": _l("Sender name"), "description": "As registered with the provider."})
    username = fields.String(load_default=None, validate=validate.Length(max=100), load_only=True)
    password = fields.String(load_default=None, validate=validate.Length(max=200), load_only=True)
    key = fields.String(load_default=None, validate=validate.Length(max=200), load_only=True)
    hash = fields.String(load_default=None, validate=validate.Length(max=200), load_only=True)

    @validates_schema
    def _credentials(self, data, **_kw):
        for name in CREDENTIAL_FIELDS.get(data.get("provider"), ()):
            if not data.get(name):
                raise ValidationError(_l("The provider needs this."), field_name=name)


class SmsAccountSchema(Schema):
    """The account as shown back: the credentials masked, the month's count."""

    provider = fields.String()
    sender = fields.String()
    credentials = fields.Dict(keys=fields.String(), values=fields.String(),
                              metadata={"description": "Masked: the first two characters of each."})
    sent_this_month = fields.Integer()


class SmsMessageSchema(Schema):
    id = fields.UUID()
    number = fields.String(metadata={"description": "The number's last four digits."})
    purpose = fields.String()
    status = fields.Enum(SmsStatus, by_value=True)
    attempts = fields.Integer()
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    report = fields.String(allow_none=True, metadata={"description": "The provider's delivery report: delivered, "
                                                                     "undelivered, or null (not known yet)."})
    error = fields.String(metadata={"description": "The provider's answer to the last try, in words."})
