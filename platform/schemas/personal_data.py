"""A council's personal data as its data officer sees it: who read special-category data, what is due to be
deleted, the processing inventory and the data key."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.schemas.base import PageArgs, StrictSchema


class ReadsArgs(PageArgs):
    since = fields.Date(load_default=None, metadata={"description": "From this day (the council's), inclusive."})
    until = fields.Date(load_default=None, metadata={"description": "Until this day (the council's), inclusive."})


class ReadsCsvArgs(StrictSchema):
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)


class SpecialDataReadSchema(Schema):
    """A person read a record's special-category fields (never a value)."""

    id = fields.UUID()
    at = fields.DateTime()
    reader = fields.String(metadata={"description": "An account's e-mail address, a member's number, or the platform."})
    reader_user_id = fields.UUID(allow_none=True)
    reader_member_id = fields.UUID(allow_none=True)
    record_type = fields.String(metadata={"description": "The table of the record read."})
    record_label = fields.String(metadata={"description": "What the record is, for a person."})
    record_id = fields.String()
    fields_read = fields.List(fields.String(), attribute="fields", data_key="fields",
                              metadata={"description": "The fields read, as table.field."})
    route = fields.String(metadata={"description": "The page, API operation or job that read it."})


class RetentionDueSchema(Schema):
    code = fields.String(attribute="kind.code")
    label = fields.Function(lambda due: str(due.kind.label))
    parameter = fields.String(attribute="kind.parameter", metadata={"description": "The by-law parameter of its days."})
    days = fields.Integer()
    cutoff = fields.Date(metadata={"description": "Records whose purpose ended before this day go."})
    count = fields.Integer(metadata={"description": "How many go at the next daily sweep."})


class InventoryLineSchema(Schema):
    """A line of the processing inventory, in the shape VERBİS asks for."""

    category = fields.String()
    data = fields.String(metadata={"description": "What the data is, for a person."})
    field = fields.String(metadata={"description": "Where the code keeps it: table.field."})
    subjects = fields.String()
    purpose = fields.String()
    legal_basis = fields.String()
    recipients = fields.String()
    transfer_abroad = fields.String()
    retention = fields.String()
    measures = fields.String()


class KeyStatusSchema(Schema):
    version = fields.Integer(metadata={"description": "The data key that seals new values (0: nothing sealed yet)."})
    versions = fields.List(fields.Integer(), metadata={"description": "Every data key kept, newest first."})
    sealed = fields.Integer(metadata={"description": "Values sealed with the newest key."})
    total = fields.Integer(metadata={"description": "Sealed values in all."})
    percent = fields.Integer(validate=validate.Range(0, 100))
