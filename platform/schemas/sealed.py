"""What a phone sends of a sealed ballot. The shapes only: every value is checked by the protocol
(konsey.core.sealed_boxes, through opencount), which says which part does not check."""

from __future__ import annotations

from marshmallow import fields, validate

from konsey.schemas.base import StrictSchema

_HEX = validate.Regexp(r"^[0-9a-f]{64}$", error="64 lowercase hex digits.")
_PROOF = fields.List(fields.List(fields.String(validate=_HEX), validate=validate.Length(equal=2)),
                     required=True, validate=validate.Length(min=1, max=64))


class SealedBallotInSchema(StrictSchema):
    ballot = fields.Dict(required=True)


class TransportKeySchema(StrictSchema):
    transport_key = fields.String(required=True, validate=_HEX)


class DealingSchema(StrictSchema):
    dealing = fields.Dict(required=True)


class KeyProofSchema(StrictSchema):
    proof = _PROOF


class ComplaintSchema(StrictSchema):
    against = fields.Integer(required=True, validate=validate.Range(1, 64))


class DecryptionSchema(StrictSchema):
    shares = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=64))


class PaperCountsSchema(StrictSchema):
    counts = fields.List(fields.Integer(validate=validate.Range(0, 100000)), required=True,
                         validate=validate.Length(min=1, max=64))
    ballots = fields.Integer(required=True, validate=validate.Range(0, 100000))
    signature = _PROOF


STEP_SCHEMAS = {"transport": TransportKeySchema, "dealing": DealingSchema, "confirm": KeyProofSchema,
                "complaint": ComplaintSchema, "decryption": DecryptionSchema, "paper": PaperCountsSchema}


class HoldSealedRoundSchema(StrictSchema):
    keyholders = fields.List(fields.UUID(), load_default=None, metadata={
        "description": "Where the meeting has no presiding board: the members who hold the key (the chair and two "
                       "members)."})


class SealedResultSchema(StrictSchema):
    """A counted box: the counts per option, in the options' order (the sealed ballots', the hall's paper ones,
    their total) and how many ballots of each kind."""

    sealed = fields.List(fields.Integer())
    paper = fields.List(fields.Integer())
    total = fields.List(fields.Integer())
    ballots = fields.Integer()
    paper_ballots = fields.Integer()


class SealedBoxSchema(StrictSchema):
    """A sealed ballot box: its stage, what it asks, who holds its key; the result once counted."""

    id = fields.UUID()
    meeting_id = fields.UUID()
    vote_id = fields.UUID(allow_none=True)
    election_id = fields.UUID(allow_none=True)
    stage = fields.Function(lambda box: box.stage.value, metadata={
        "description": "keying, open, counting, counted or failed"})
    options = fields.List(fields.String(), metadata={"description": "yes/no/abstain, or the candidates' member ids"})
    least = fields.Integer()
    most = fields.Integer()
    threshold = fields.Integer(metadata={"description": "Keyholders who must open the count together."})
    public_key = fields.String(allow_none=True)
    fingerprint = fields.String(allow_none=True, metadata={"description": "Of the frozen board of ballots."})
    result = fields.Nested("SealedResultSchema", allow_none=True)


class EnterSealedRoundSchema(StrictSchema):
    chair_choice = fields.UUID(load_default=None, metadata={
        "description": "On a final tie the by-laws settle by the chair: the candidate the chair chooses."})
