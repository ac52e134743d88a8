"""What the participation plugin's use cases take (each loads its own input, after the rows it names) and what
its API answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from konsey.pluginkit import StrictSchema

NOTICE_VERSION = "2026-12"  # the residents' information notice (templates/participation/_notice.html)
PASSWORD_LENGTH = validate.Length(min=10, max=200)


class ResidentSignUpSchema(StrictSchema):
    AS_TYPED = frozenset({"password"})
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    neighbourhood = fields.String(required=True, validate=validate.Length(min=2, max=120))
    password = fields.String(required=True, validate=PASSWORD_LENGTH)
    notice_version = fields.String(required=True, metadata={"description": "The notice read: " + NOTICE_VERSION})

    @validates_schema(skip_on_field_errors=False)
    def _notice(self, data, **_kwargs):
        if data.get("notice_version") != NOTICE_VERSION:
            raise ValidationError({"notice_version": [str(_l("Read the information notice and tick the box."))]})


class ResidentSignInSchema(StrictSchema):
    AS_TYPED = frozenset({"password"})
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ForgottenPasswordSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class GroupJoinSchema(StrictSchema):
    consent = fields.Boolean(required=True, metadata={"description": "The resident agrees to being contacted by "
                                                                     "the group (its meeting notices by e-mail)."})

    @validates_schema(skip_on_field_errors=False)
    def _agreed(self, data, **_kwargs):
        if data.get("consent") is not True:
            raise ValidationError({"consent": [str(_l("Agree to being contacted by the group: its meeting notices "
                                                      "come by e-mail."))]})


class ResidentProposalSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=5, max=200))
    text = fields.String(required=True, validate=validate.Length(min=20, max=10000))
    theme = fields.String(required=True, metadata={"description": "A working group's id, or \"other\"."})
    neighbourhood = fields.String(required=True, validate=validate.Length(min=2, max=120))


class ReasonSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=5, max=500))


class ProposalAnswerSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=5, max=5000))


class MergeSchema(StrictSchema):
    into = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=10**9),
                          metadata={"description": "The number of the proposal it duplicates."})


class AssignSchema(StrictSchema):
    body_id = fields.UUID(required=True)


class ReportLinkSchema(StrictSchema):
    """Link the group's existing report (``report_id``), or write its draft report (``title`` and ``text``)."""

    report_id = fields.UUID(load_default=None)
    title = fields.String(load_default=None, validate=validate.Length(min=5, max=300))
    text = fields.String(load_default=None, validate=validate.Length(min=20, max=100000))

    @validates_schema
    def _one_or_other(self, data, **_kwargs):
        if data.get("report_id") is None and not (data.get("title") and data.get("text")):
            raise ValidationError({"report_id": [str(_l("Choose the group's report, or write its title and text."))]})


class MotionLinkSchema(StrictSchema):
    motion_id = fields.UUID(required=True)


class FlagSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(["abuse", "personal_data", "spam", "off_topic"]))


class DraftFromReportSchema(StrictSchema):
    closes_on = fields.Date(required=True)


class BylawsDraftSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=5, max=300))
    text = fields.String(required=True, validate=validate.Length(min=20, max=200000))
    closes_on = fields.Date(required=True)


class DraftRevisionSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=20, max=200000))


class CommentSchema(StrictSchema):
    paragraph = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=10_000))
    text = fields.String(required=True, validate=validate.Length(min=5, max=3000))


class CommentAnswerSchema(StrictSchema):
    answer = fields.String(required=True, validate=validate.OneOf(["taken_in", "not_taken"]))
    reason = fields.String(load_default=None, validate=validate.Length(max=3000))

    @validates_schema
    def _reason_when_not_taken(self, data, **_kwargs):
        if data.get("answer") == "not_taken" and not (data.get("reason") or "").strip():
            raise ValidationError({"reason": [str(_l("Say why the comment was not taken in."))]})


# --- answers -----------------------------------------------------------------------------------------------------


class StepOut(Schema):
    kind = fields.String()
    at = fields.String(allow_none=True, metadata={"description": "The day (ISO 8601); null where the record has none."})
    note = fields.String(allow_none=True)


class ResidentProposalOut(Schema):
    number = fields.Integer()
    title = fields.String(allow_none=True, metadata={"description": "null while hidden by moderation (the "
                                                                     "secretariat sees it)."})
    text = fields.String(allow_none=True, metadata={"description": "null while hidden by moderation."})
    theme = fields.String(allow_none=True)
    neighbourhood = fields.String()
    author = fields.String(allow_none=True)
    status = fields.String()
    supports = fields.Integer()
    threshold = fields.Integer()
    body = fields.String(allow_none=True)
    answer = fields.String(allow_none=True)
    hidden_reason = fields.String(allow_none=True)
    merged_into = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    url = fields.String()
    timeline = fields.List(fields.Nested(StepOut))


class GroupMeetingOut(Schema):
    title = fields.String()
    at = fields.DateTime()
    location = fields.String(allow_none=True)


class WorkingGroupOut(Schema):
    id = fields.UUID()
    name = fields.String()
    facilitators = fields.List(fields.String())
    next_meetings = fields.List(fields.Nested(GroupMeetingOut))
    participants = fields.Integer()


class JoinRequestOut(Schema):
    id = fields.UUID()
    body_id = fields.UUID()
    consented_at = fields.DateTime(allow_none=True)
    group = fields.String(metadata={"description": "The working group's name."})
    name = fields.String(metadata={"description": "The resident's name."})
    status = fields.String()
    created_at = fields.DateTime()


class CommentOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    paragraph = fields.Integer()
    author = fields.String(allow_none=True)
    text = fields.String(allow_none=True, metadata={"description": "null while hidden by moderation."})
    answer = fields.String(allow_none=True)
    answer_reason = fields.String(allow_none=True)
    hidden_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class DraftVersionOut(Schema):
    version = fields.Integer()
    paragraphs = fields.List(fields.String())
    created_at = fields.DateTime()


class DraftOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    status = fields.String()
    open_for_comment = fields.Boolean()
    opens_on = fields.Date()
    closes_on = fields.Date()
    versions = fields.List(fields.Nested(DraftVersionOut))
    comments = fields.List(fields.Nested(CommentOut))


class FlagOut(Schema):
    id = fields.UUID()
    reason = fields.String()
    proposal = fields.Integer(allow_none=True)
    comment_id = fields.UUID(allow_none=True)
    created_at = fields.DateTime()


class AcceptedOut(Schema):
    message = fields.String(metadata={"description": "What happens next (the same whatever the address)."})


class AccountOut(Schema):
    name = fields.String()
    email = fields.String()
    neighbourhood = fields.String()
    verified_at = fields.String(allow_none=True)
    notice_version = fields.String()
    consented_at = fields.String(allow_none=True)
    created_at = fields.String(allow_none=True)


class MyProposalOut(Schema):
    number = fields.Integer()
    title = fields.String()
    text = fields.String()
    created_at = fields.String(allow_none=True)


class MySupportOut(Schema):
    proposal = fields.Integer()
    at = fields.String(allow_none=True)


class MyCommentOut(Schema):
    draft_id = fields.String()
    paragraph = fields.Integer()
    text = fields.String()
    created_at = fields.String(allow_none=True)


class MyJoinRequestOut(Schema):
    body_id = fields.String()
    status = fields.String()
    created_at = fields.String(allow_none=True)
    consented_at = fields.String(allow_none=True)


class MyParticipationOut(Schema):
    body_id = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    joined_on = fields.String()
    left_on = fields.String(allow_none=True)


class MyDataOut(Schema):
    """Everything the council holds about the resident (KVKK art. 11)."""

    account = fields.Nested(AccountOut)
    proposals = fields.List(fields.Nested(MyProposalOut))
    supports = fields.List(fields.Nested(MySupportOut))
    comments = fields.List(fields.Nested(MyCommentOut))
    join_requests = fields.List(fields.Nested(MyJoinRequestOut))
    working_groups = fields.List(fields.Nested(MyParticipationOut))
