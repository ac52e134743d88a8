"""Schemas of elections: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.core.elections import Candidacy, ElectionStatus, Office
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db


class NewElectionSchema(StrictSchema):
    electing_body_id = fields.UUID(required=True)
    target_body_id = fields.UUID(required=True)
    office = fields.Enum(Office, by_value=True, required=True)
    seats = fields.Integer(load_default=1, validate=validate.Range(min=1, max=50))
    term_start = fields.Date(required=True)
    term_index = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1))
    meeting_id = fields.UUID(load_default=None, metadata={
        "description": "The electing body's meeting where the election is held (each round may name another)."})


class PassedOverSchema(Schema):
    member_id = fields.String()
    reason = fields.String()


class RoundResultSchema(Schema):
    """What a round decided: for several seats those elected (and who was passed over for parity), for one the
    winner or the run-off; the tie rule where it settled it; the term's end once decided."""

    elected = fields.List(fields.String(), metadata={"description": "Member ids, several seats."})
    passed_over = fields.List(fields.Nested(PassedOverSchema))
    parity_met = fields.Boolean()
    winner = fields.String(allow_none=True, metadata={"description": "Member id, one seat."})
    needed = fields.Integer(allow_none=True)
    runoff_between = fields.List(fields.String())
    tie = fields.Boolean()
    decided_by = fields.String(allow_none=True, metadata={"description": "How a tied last round was settled."})
    lot_seed = fields.Integer(allow_none=True)
    president = fields.String(metadata={"description": "Member id: the most voted, who presides."})
    board_problems = fields.List(fields.String())
    term_ends = fields.String(metadata={"format": "date"})


class HeldRoundSchema(Schema):
    round = fields.Integer()
    votes = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Ballots per candidate's member id."})
    result = fields.Nested(RoundResultSchema)
    meeting_id = fields.String(allow_none=True)
    ballots_cast = fields.Integer(allow_none=True)
    blank = fields.Integer()
    invalid = fields.Integer()
    present = fields.Integer(allow_none=True)


class RoundOutcomeSchema(RoundResultSchema):
    round = fields.Integer()
    board_warnings = fields.List(fields.String())


class ElectionSchema(Schema):
    id = fields.UUID()
    electing_body_id = fields.UUID()
    target_body_id = fields.UUID()
    office = fields.Enum(Office, by_value=True)
    seats = fields.Integer()
    term_start = fields.Date()
    term_index = fields.Integer()
    meeting_id = fields.UUID(allow_none=True)
    status = fields.Enum(ElectionStatus, by_value=True)
    rounds = fields.List(fields.Nested(HeldRoundSchema))
    result = fields.Nested(RoundResultSchema, allow_none=True)
    candidates = fields.Method("_candidates", metadata={
        "type": "array", "items": {"type": "string", "format": "uuid"}, "description": "The candidates' member ids"})

    def _candidates(self, election):
        return [str(c.member_id) for c in db.session.scalars(
            select(Candidacy).where(Candidacy.election_id == election.id))]


class CandidateSchema(StrictSchema):
    member_id = fields.UUID(required=True)


class RoundSchema(StrictSchema):
    votes = fields.Dict(keys=fields.String(), values=fields.Integer(validate=validate.Range(min=0, max=100_000)),
                        required=True)
    # Only when the last round ties and the by-laws let the chair decide: the chosen candidate's member id.
    chair_choice = fields.String(load_default=None)
    meeting_id = fields.UUID(load_default=None, metadata={
        "description": "The sitting where this round is counted (the election's own by default); its quorum must "
                       "be met."})
    ballots_cast = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100_000), metadata={
        "description": "Ballots in the box, at most those present with a vote; for a single seat it defaults to "
                       "the votes plus blank and invalid ballots."})
    blank = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))
    invalid = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))

