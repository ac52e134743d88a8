"""Onboarding a council: what the operator must give, checked against Turkey's reference data."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates, validates_schema

from konsey.core import reference
from konsey.core.councils import RESERVED_SLUGS, SLUG_PATTERN
from konsey.core.i18n import LANGUAGES
from konsey.core.sealed_exports import MIN_PASSPHRASE
from konsey.core.text import ascii_spelling, suggested_slug
from konsey.schemas.base import SCALAR, StrictSchema
from konsey.tenants.models import CouncilStatus


class OnboardingSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    slug = fields.String(required=True, validate=validate.Length(min=2, max=63))  # suggested from the name if empty
    province_code = fields.Integer(required=True)
    municipality_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    contact_email = fields.Email(required=True)
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    motion_delivery_address = fields.String(required=True, validate=validate.Length(min=3, max=500))
    locale = fields.String(load_default="tr", validate=validate.OneOf(LANGUAGES))
    timezone = fields.String(load_default="Europe/Istanbul", validate=validate.Length(max=64))
    admin_email = fields.Email(required=True)
    neighbourhood_count = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=2000))

    @pre_load
    def _suggest_slug(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        typed = data.get("slug")
        if isinstance(typed, str) and typed.strip():
            # Typed with Turkish letters or capitals ("Gölcük"): spelled as an address is (golcuk); anything else
            # an address cannot hold (a space) is still refused with the field named.
            data = {**data, "slug": ascii_spelling(typed.strip())}
        elif (data.get("name") or "").strip():
            data = {**data, "slug": suggested_slug(data["name"])}
        return data

    @validates("slug")
    def _slug(self, value: str, **_kwargs) -> None:
        if not SLUG_PATTERN.match(value):
            raise ValidationError(_("Use lowercase letters, digits and single hyphens."))
        if value in RESERVED_SLUGS:
            raise ValidationError(_("This address is reserved."))

    @validates("province_code")
    def _province(self, value: int, **_kwargs) -> None:
        if reference.province(value) is None:
            raise ValidationError(_("Unknown province."))

    @validates("timezone")
    def _timezone(self, value: str, **_kwargs) -> None:
        if value not in available_timezones():
            raise ValidationError(_("Unknown time zone."))

    @validates_schema
    def _municipality_in_province(self, data: dict, **_kwargs) -> None:
        municipality = reference.municipality(data.get("municipality_id", ""))
        if municipality is None:
            raise ValidationError(_("Unknown municipality."), field_name="municipality_id")
        if data.get("province_code") is not None and municipality.province_code != data["province_code"]:
            raise ValidationError(_("This municipality is not in the chosen province."), field_name="municipality_id")




class CouncilSchema(Schema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    province_code = fields.Integer()
    municipality_id = fields.String()
    municipality_name = fields.String()
    municipality_type = fields.String()
    contact_email = fields.String()
    contact_phone = fields.String(allow_none=True)
    motion_delivery_address = fields.String()
    locale = fields.String()
    timezone = fields.String()
    status = fields.Enum(CouncilStatus, by_value=True)
    created_at = fields.DateTime()


class OnboardedSchema(Schema):
    council = fields.Nested(CouncilSchema)
    invitation_url = fields.String()


class StatusChangeSchema(StrictSchema):
    status = fields.Enum(CouncilStatus, by_value=True, required=True)
    export_acknowledged = fields.Boolean(load_default=False)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.UUID(allow_none=True)
    action = fields.String()
    subject_type = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True)
    details = fields.Dict(keys=fields.String(), values=fields.Raw(metadata=SCALAR), metadata={
        "description": "Ids, codes, counts and dates only: never a name or free text."})
    hash = fields.String()


class AuditArgs(StrictSchema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))  # a database integer
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class CalendarArgs(StrictSchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2004, max=2100))



class SealedExportSchema(StrictSchema):
    """The passphrase a council's export travels under (encrypted with it, signed with the council's key)."""

    passphrase = fields.String(required=True, load_only=True, validate=validate.Length(min=MIN_PASSPHRASE, max=200),
                               metadata={"description": "At least 12 characters; the receiving installation's "
                                                        "operator types it to import the file."})


class ExportJobSchema(Schema):
    """A full export being written by the worker, or ready for a week (``download`` then names the file)."""

    id = fields.UUID()
    state = fields.String(attribute="state.value", metadata={
        "description": "queued, running, ready (download it), failed or expired"})
    tables_done = fields.Integer()
    tables_total = fields.Integer()
    percent = fields.Integer()
    size_bytes = fields.Integer(allow_none=True, metadata={"description": "The gzip-compressed document's size."})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    download = fields.Method("_download", allow_none=True, metadata={"type": "string", "description": "Where to fetch the file once it is ready."})

    def _download(self, job):
        from flask import url_for

        if job.state.value != "ready":
            return None
        return url_for("councils.ExportFile", job_id=job.id)


class SessionsOwedSchema(Schema):
    required = fields.Integer(metadata={"description": "The by-laws' minimum of ordinary sessions a year."})
    held = fields.Integer()
    scheduled = fields.Integer()


class CalendarWarningSchema(Schema):
    """A warning of the statutory calendar: its code, its sentence, and the figures the sentence names."""

    code = fields.String()
    message = fields.String()
    year = fields.Integer()
    needed = fields.Integer()
    planned = fields.Integer()
    body = fields.String()
    ends_on = fields.String(metadata={"format": "date"})
    size = fields.Integer()
    minimum = fields.Integer()
    assembly = fields.String()
    count = fields.Integer()


class StatutoryCalendarSchema(Schema):
    year = fields.Integer()
    general_assembly = fields.Nested(SessionsOwedSchema)
    warnings = fields.List(fields.Nested(CalendarWarningSchema))
