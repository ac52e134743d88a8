"""Marshmallow schemas for members: shared by the API, the CSV import and the pages."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates, validates_schema

from konsey.core.identifiers import (
    derbis_is_valid,
    detsis_is_valid,
    kep_address_is_valid,
    mersis_is_valid,
    mobile_number,
    phone_is_valid,
    tckn_is_valid,
    tckn_masked,
)
from konsey.core.membership import (
    GROUP_SEAT_CATEGORIES,
    PUBLIC_APPLICATION_CATEGORIES,
    Gender,
    MemberCategory,
    MemberKind,
    MemberStatus,
)
from konsey.core.representatives import Capacity
from konsey.core.text import email_lower
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import utcnow
from konsey.tenants.models import council_today

_blank_to_none = lambda v: v.strip() or None if isinstance(v, str) else v  # noqa: E731


class MemberInputSchema(StrictSchema):
    """A member as entered: one schema for creating, for the CSV import, and (partial) for updates."""

    category = fields.Enum(MemberCategory, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    sms_consent = fields.Boolean(metadata={"description": "The member agreed to meeting notices and reminders by SMS "
                                                          "at the mobile number (their meeting link and sign-in codes "
                                                          "go to it regardless, being how they take part)."})
    birth_date = fields.Date(load_default=None, allow_none=True)
    gender = fields.Enum(Gender, by_value=True, load_default=None, allow_none=True)
    neighbourhood = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    tckn = fields.String(load_default=None, allow_none=True)
    derbis_no = fields.String(load_default=None, allow_none=True)
    mersis_no = fields.String(load_default=None, allow_none=True)
    detsis_no = fields.String(load_default=None, allow_none=True)
    kep_address = fields.String(load_default=None, allow_none=True)
    representative_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    substitute_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    status = fields.Enum(MemberStatus, by_value=True, load_default=MemberStatus.ACTIVE)
    joined_on = fields.Date(load_default=None, allow_none=True)

    @validates("phone")
    def _phone(self, value, **_kw):
        if value and not phone_is_valid(value):
            raise ValidationError(_("Not a valid phone number."))

    @validates("tckn")
    def _tckn(self, value, **_kw):
        if value and not tckn_is_valid(value):
            raise ValidationError(_("Not a valid TC Kimlik No (11 digits with valid check digits)."))

    @validates("derbis_no")
    def _derbis(self, value, **_kw):
        if value and not derbis_is_valid(value):
            raise ValidationError(_("Not a valid DERBİS registry number."))

    @validates("mersis_no")
    def _mersis(self, value, **_kw):
        if value and not mersis_is_valid(value):
            raise ValidationError(_("A MERSİS number has 16 digits."))

    @validates("detsis_no")
    def _detsis(self, value, **_kw):
        if value and not detsis_is_valid(value):
            raise ValidationError(_("A DETSİS number has 8 digits."))

    @validates("kep_address")
    def _kep(self, value, **_kw):
        if value and not kep_address_is_valid(value):
            raise ValidationError(_("A KEP address ends in .kep.tr."))

    @validates("birth_date")
    def _birth_date(self, value, **_kw):
        if value and (value > council_today() or value.year < 1900):
            raise ValidationError(_("Not a plausible birth date."))

    @validates_schema
    def _kind_specific(self, data, partial=False, **_kw):
        category = data.get("category")
        if category is None:
            return
        if category.kind is MemberKind.INSTITUTIONAL:
            for field in ("birth_date", "gender", "tckn"):
                if data.get(field):
                    raise ValidationError(_("Only individual members have this field."), field_name=field)
            # A group's seat is attended under a mandate (its representatives), not by a name typed here.
            if not partial and not data.get("representative_name") and category not in GROUP_SEAT_CATEGORIES:
                raise ValidationError(
                    _("An institutional member needs a named representative."), field_name="representative_name"
                )
        if category is MemberCategory.ASSOCIATION and not partial and not data.get("derbis_no"):
            raise ValidationError(_("An association cites its DERBİS registry number."), field_name="derbis_no")

    @post_load
    def _normalise(self, data, **_kw):
        for key in ("email", "phone", "neighbourhood", "tckn", "derbis_no", "mersis_no", "detsis_no",
                    "kep_address", "representative_name", "substitute_name"):
            if key in data:
                data[key] = _blank_to_none(data[key])
        if data.get("email"):
            data["email"] = email_lower(data["email"])
        if "sms_consent" in data:  # recorded as the moment it was given (konsey.core.membership keeps an earlier one)
            data["sms_consent_at"] = utcnow() if data.pop("sms_consent") else None
        if "name" in data:
            data["name"] = " ".join(data["name"].split())
        return data


class MemberUpdateSchema(MemberInputSchema):
    """The same rules, for PATCH: partial, a field left out is left as it is. The status is not among them: it
    changes only through the membership history, with its reason (``POST …/members/<id>/history``). The joining
    date can be corrected, never emptied."""

    joined_on = fields.Date()

    class Meta:
        exclude = ("status",)

    def __init__(self, **options):
        options.setdefault("partial", True)
        super().__init__(**options)


class PublicApplicantSchema(MemberInputSchema):
    """What a citizen may say about themselves when applying: never a status or a joining date (the council
    decides those). A birth date, when given, must be of the legal age (checked by the use case)."""

    class Meta:
        exclude = ("status", "joined_on")

    @validates("category")
    def _applies_publicly(self, value, **kwargs):
        if value not in PUBLIC_APPLICATION_CATEGORIES:
            raise ValidationError(_("Members of this category are recorded by the secretariat; they do not "
                                    "apply through this form."))

    @validates_schema
    def _reachable(self, data, **kwargs):
        # The council must be able to answer: an e-mail address or a phone number.
        if not data.get("email") and not data.get("phone"):
            raise ValidationError(_("Give an e-mail address or a phone number, so that the council can answer."),
                                  field_name="email")
        # Ordinary membership has a minimum age: a person says when they were born (the use case checks it).
        if data.get("category") is MemberCategory.INDIVIDUAL and not data.get("birth_date"):
            raise ValidationError(_("Give your date of birth: ordinary membership starts at the legal age."),
                                  field_name="birth_date")



class MemberOutputSchema(Schema):
    id = fields.UUID()
    member_no = fields.Integer()
    kind = fields.Enum(MemberKind, by_value=True)
    category = fields.Enum(MemberCategory, by_value=True)
    name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    sms_consent_at = fields.DateTime(allow_none=True, metadata={"description": "When the member agreed to notices "
                                                                               "by SMS (null: none by SMS)."})
    birth_date = fields.Date(allow_none=True)
    gender = fields.Enum(Gender, by_value=True, allow_none=True)
    neighbourhood = fields.String(allow_none=True)
    # Never shown in full: its last two digits, kept beside the sealed number, so a list opens none.
    tckn = fields.Function(lambda m: tckn_masked("0" * 9 + m.tckn_hint) if m.tckn_hint else None, allow_none=True)
    derbis_no = fields.String(allow_none=True)
    mersis_no = fields.String(allow_none=True)
    detsis_no = fields.String(allow_none=True)
    kep_address = fields.String(allow_none=True)
    representative_name = fields.String(allow_none=True)
    substitute_name = fields.String(allow_none=True)
    status = fields.Enum(MemberStatus, by_value=True)
    joined_on = fields.Date()


class MemberListArgs(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    after = fields.String(load_default=None, validate=validate.Length(max=1200),
                          metadata={"description": "Continue after this cursor (from the `Link: rel=\"next\"` "
                                                   "header); faster than `page` for deep pages."})
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    category = fields.Enum(MemberCategory, by_value=True, load_default=None)
    status = fields.Enum(MemberStatus, by_value=True, load_default=None)
    body_id = fields.UUID(load_default=None)


class MemberStatusChangeSchema(StrictSchema):
    status = fields.Enum(MemberStatus, by_value=True, required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))
    on = fields.Date(load_default=None)


class MembershipEventSchema(Schema):
    status = fields.Enum(MemberStatus, by_value=True)
    reason = fields.String()
    on = fields.Date()


class RepresentativeSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    capacity = fields.Enum(Capacity, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    mandate_letter = fields.String(required=True, validate=validate.Length(min=3, max=200))
    mandate_expires_on = fields.Date(required=True)
    mobile = fields.String(load_default=None, allow_none=True, metadata={
        "description": "The representative's mobile number (+90…): the institution's meeting link and sign-in codes "
                       "reach them by SMS where the institution has no e-mail address."})
    valid = fields.Function(lambda r: r.valid_on(council_today()), dump_only=True, metadata={"type": "boolean"})

    @validates("mobile")
    def _mobile(self, value, **_kw):
        if value and mobile_number(value) is None:
            raise ValidationError(_("Type a Turkish mobile number, such as 0532 123 45 67."))

    @post_load
    def _normalise_mobile(self, data, **_kw):
        if "mobile" in data:
            data["mobile"] = mobile_number(data["mobile"]) if data["mobile"] else None
        return data

