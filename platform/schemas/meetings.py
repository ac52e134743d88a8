"""Meetings, attendance, votes: what the API and the meeting desk accept and answer."""

from __future__ import annotations

from marshmallow import Schema, fields, pre_dump, validate

from konsey.core.floor_motions import FloorMotionKind, FloorMotionStatus, signature_count
from konsey.core.meetings import Channel, Choice, MeetingKind, MeetingStatus, VoteKind
from konsey.core.rules.meetings import Stance
from konsey.core.sealed_boxes import box_of_vote
from konsey.core.votes import count_of, counts_of
from konsey.schemas.base import Derived, StrictSchema


class NewMeetingSchema(StrictSchema):
    body_id = fields.UUID(required=True)
    kind = fields.Enum(MeetingKind, by_value=True, load_default=MeetingKind.ORDINARY)
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    scheduled_at = fields.AwareDateTime(required=True)
    location = fields.String(load_default=None, validate=validate.Length(max=300))
    agenda = fields.List(fields.String(validate=validate.Length(min=2, max=300)), load_default=list)
    reconvened = fields.Boolean(load_default=False)


class RescheduleSchema(StrictSchema):
    scheduled_at = fields.AwareDateTime(required=True)
    location = fields.String(allow_none=True, validate=validate.Length(max=300),
                             metadata={"description": "The new place; left out, the place stays as it was."})


class CancellationSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500),
                           metadata={"description": "Announced to the invitees and on the public calendar."})


class AgendaItemSchema(Schema):
    id = fields.UUID()
    position = fields.Integer()
    title = fields.String()


class MeetingSchema(Schema):
    id = fields.UUID()
    body_id = fields.UUID()
    kind = fields.Enum(MeetingKind, by_value=True)
    title = fields.String()
    location = fields.String(allow_none=True)
    scheduled_at = fields.DateTime()
    called_at = fields.DateTime()
    reconvened = fields.Boolean()
    status = fields.Enum(MeetingStatus, by_value=True)
    agenda_adopted_at = fields.DateTime(allow_none=True, metadata={
        "description": "When the assembly adopted the proposed agenda (after electing its presiding board)."})
    cancelled_at = fields.DateTime(allow_none=True)
    cancellation_reason = fields.String(allow_none=True)
    sequence = fields.Integer(metadata={"description": "Raised on every change of time, place or status: the "
                                                       "SEQUENCE of the meeting's calendar event."})


class QuorumSchema(Schema):
    """The live quorum of a meeting."""

    full_membership = fields.Integer(metadata={"description": "Seats with a vote in the body on the meeting's day."})
    present = fields.Integer(metadata={"description": "Voting seats filled now (a substitute fills a principal's)."})
    needed = fields.Integer(metadata={"description": "How many must be present for the meeting to decide."})
    quorum_met = fields.Boolean()


class MeetingDetailSchema(MeetingSchema):
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    quorum = fields.Nested(QuorumSchema)


class AttendanceSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    online = fields.Boolean(load_default=False)
    representative_id = fields.UUID(load_default=None)  # required for an institutional member
    stands_in_for_id = fields.UUID(load_default=None)  # a substitute filling an absent principal's seat


class OpenVoteSchema(StrictSchema):
    agenda_item_id = fields.UUID(required=True)
    kind = fields.Enum(VoteKind, by_value=True, load_default=VoteKind.OPEN)
    sealed = fields.Boolean(load_default=False, metadata={
        "description": "A secret vote with sealed ballots: phones seal their ballot, the keyholders (the presiding "
                       "board) open the count together, and the record is published for anyone to check."})
    keyholders = fields.List(fields.UUID(), load_default=None, metadata={
        "description": "For a sealed vote in a meeting without a presiding board: the members who hold the key."})


class BallotSchema(StrictSchema):
    """A name and its choice (a line of a roll call)."""

    member_id = fields.UUID(required=True)
    choice = fields.Enum(Choice, by_value=True, required=True)


class DeskBallotSchema(StrictSchema):
    """The desk records one seat's vote: by name with its choice, or a paper ballot put in the box (no choice:
    it is counted with the hall)."""

    member_id = fields.UUID(required=True)
    channel = fields.Enum(Channel, by_value=True, load_default=Channel.DESK,
                          validate=validate.OneOf([Channel.DESK, Channel.PAPER]),
                          metadata={"description": "desk (by name, with a choice) or paper (the seat's ballot is "
                                                   "in the box)"})
    choice = fields.Enum(Choice, by_value=True, load_default=None)


class CountsSchema(StrictSchema):
    """A show of hands or a secret ballot box, read out as counts."""

    yes = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    no = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    abstain = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class RollCallSchema(StrictSchema):
    """A roll call entered as one list: a choice for each name called (all recorded, or none)."""

    ballots = fields.List(fields.Nested(BallotSchema), required=True, validate=validate.Length(min=1, max=5000))


class CloseVoteSchema(StrictSchema):
    chair_vote = fields.String(load_default=None, validate=validate.OneOf(["yes", "no"]))
    confirm = fields.Boolean(load_default=False, metadata={
        "description": "Close although fewer have voted than seats are filled (otherwise 409 with the turnout)."})


def _counted(vote):
    """The vote's count, read once per vote for every field that shows it (VoteSchema's pre_dump)."""
    return vote.__dict__.get("_konsey_count") or count_of(vote)


def _count(choice: str):
    """A secret vote's counts stay unknown until it closes: watching them move after each ballot would reveal
    that voter's choice. An open vote's are the running sum of every channel."""
    def value(vote):
        totals = _counted(vote).totals
        return totals[choice] if totals is not None else None

    return fields.Function(value, allow_none=True, metadata={"type": "integer", "description": f"{choice} votes, every channel (null "
                                                                            "while a secret vote is open)"})


def _sealed_box_id(vote) -> str | None:
    if not vote.sealed:
        return None
    box = box_of_vote(vote.id)
    return str(box.id) if box else None


def _channels(vote) -> list[dict]:
    """Each channel's turnout; for a vote by name its choices too (a secret vote's never: a subtotal of a few
    phones could name a voter)."""
    count = _counted(vote)
    rows = []
    for channel, turnout in sorted(count.turnout.items()):
        row = {"channel": channel, "turnout": turnout}
        if vote.kind is not VoteKind.SECRET:
            row.update(count.named.get(channel) or (count.hall if channel == "hall" and count.hall else {}))
        rows.append(row)
    return rows


class ChannelCountSchema(Schema):
    """One channel's turnout (phone, desk, roll_call, paper, hall); for a vote by name its choices too."""

    channel = fields.String()
    turnout = fields.Integer()
    yes = fields.Integer()
    no = fields.Integer()
    abstain = fields.Integer()


class VoteSchema(Schema):
    id = fields.UUID()
    purpose = fields.Function(lambda vote: vote.purpose.value, metadata={
        "description": "decision (numbered when adopted), presiding_board, agenda or floor_motion"})
    agenda_item_id = fields.UUID()
    kind = fields.Enum(VoteKind, by_value=True)
    sealed = fields.Boolean()
    sealed_box_id = fields.Function(lambda vote: _sealed_box_id(vote), allow_none=True, metadata={
        "description": "A sealed vote's box: its public record at /<council>/sealed/<id>.json once counted."})
    present = fields.Integer()
    yes = _count("yes")
    no = _count("no")
    abstain = _count("abstain")
    turnout = fields.Function(lambda vote: _counted(vote).voted,
                              metadata={"type": "integer", "description": "Seats that have voted, every channel."})
    channels = Derived(ChannelCountSchema, _channels, many=True, metadata={
        "description": "By channel (phone, desk, roll_call, paper, hall): its turnout, and for a vote by name its "
                       "yes, no and abstain."})
    outcome = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    lot_seed = fields.Integer(allow_none=True)
    decision_number = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)

    @pre_dump(pass_collection=True)
    def _count_once(self, votes, **_kwargs):
        """One statement for the counts of every vote dumped (not five a vote: yes, no, abstain, turnout,
        channels each asked)."""
        many = votes if isinstance(votes, list | tuple) else [votes]
        counts = counts_of(list(many))
        for vote in many:
            vote.__dict__["_konsey_count"] = counts[vote.id]
        return votes


class ExcuseSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=300))


class ExcusedAbsenceSchema(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    reason = fields.String()


# --- a hybrid meeting -----------------------------------------------------------------------------------------


class BadgeCodeSchema(StrictSchema):
    """A badge's code, as scanned or typed (case, spaces and dashes do not matter)."""

    code = fields.String(required=True, validate=validate.Length(min=4, max=32))


class StreamSchema(StrictSchema):
    stream_url = fields.Url(load_default=None, allow_none=True, schemes={"https", "http"},
                            validate=validate.Length(max=500),
                            metadata={"description": "The meeting's video stream, shown to online participants."})


class TakeUpSchema(StrictSchema):
    agenda_item_id = fields.UUID(required=True)


class FloorSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    stance = fields.Enum(Stance, by_value=True, load_default=Stance.FOR)


class PhoneFloorSchema(StrictSchema):
    stance = fields.Enum(Stance, by_value=True, load_default=Stance.FOR)


class MoveSpeakerSchema(StrictSchema):
    direction = fields.String(required=True, validate=validate.OneOf(("up", "down")))


class PhoneBallotSchema(StrictSchema):
    choice = fields.Enum(Choice, by_value=True, required=True)
    key = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9-]{8,64}$"),
                        metadata={"description": "The phone's random key for this ballot, sent again with a retry."})
    again = fields.Boolean(load_default=False, metadata={"description": "A retry of a ballot whose answer was lost: "
                                                                         "recorded once, whatever the tries."})


class FloorRequestSchema(Schema):
    id = fields.UUID()
    agenda_item_id = fields.UUID()
    member_id = fields.UUID()
    stance = fields.Enum(Stance, by_value=True)
    requested_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)


class SpeakersListSchema(Schema):
    item = fields.Nested(AgendaItemSchema, allow_none=True, metadata={"description": "The item under discussion."})
    speaking = fields.Nested(FloorRequestSchema, allow_none=True)
    queue = fields.List(fields.Nested(FloorRequestSchema), metadata={"description": "Waiting, in speaking order."})


class PassesSummarySchema(Schema):
    issued = fields.Integer()
    mailed = fields.Integer()
    online_now = fields.Integer()
    without_email = fields.Integer(metadata={"description": "Pass holders with no e-mail address: no link reaches "
                                                           "them; they are given their badge code."})


class CheckedInSchema(Schema):
    member_id = fields.UUID(attribute="id")
    name = fields.String()


class LiveQuorumSchema(Schema):
    present = fields.Integer()
    needed = fields.Integer()
    full_membership = fields.Integer()
    quorum_met = fields.Boolean()
    online = fields.Integer(metadata={"description": "Of those present, how many follow online."})
    online_counts = fields.Boolean(metadata={"description": "Whether the by-laws count online presence."})


class LiveItemSchema(Schema):
    id = fields.String()
    position = fields.Integer()
    title = fields.String()


class LiveVoteSchema(Schema):
    id = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    open = fields.Boolean()
    item = fields.String(metadata={"description": "What the vote decides, in words."})
    turnout = fields.Integer()
    turnout_text = fields.String()
    channels = fields.String(metadata={"description": "The turnout by channel, in words."})
    voted_of_present = fields.String()
    yes = fields.Integer(allow_none=True)
    no = fields.Integer(allow_none=True)
    abstain = fields.Integer(allow_none=True)
    counts_text = fields.String()
    outcome = fields.String(allow_none=True)
    outcome_label = fields.String(allow_none=True)
    decision_text = fields.String(allow_none=True)
    sealed = fields.Boolean()


class LiveSealedBoxSchema(Schema):
    id = fields.String()
    stage = fields.String()
    path = fields.String(metadata={"description": "The phones' page of the sealed ballot."})
    text = fields.String()


class LiveSpeakerSchema(Schema):
    id = fields.String()
    name = fields.String()
    stance_label = fields.String()
    started_at = fields.String(metadata={"format": "date-time"})
    limit_seconds = fields.Integer(allow_none=True)


class LiveWaitingSchema(Schema):
    id = fields.String()
    name = fields.String()
    stance_label = fields.String()


class LiveFloorMotionSchema(Schema):
    id = fields.String()
    number = fields.Integer()
    kind_label = fields.String()
    text = fields.String()
    proposer = fields.String()
    heading = fields.String()


class LiveStateSchema(Schema):
    """What a meeting's live screens show (konsey.core.live_state.state)."""

    meeting_id = fields.UUID()
    status = fields.String()
    status_label = fields.String()
    quorum = fields.Nested(LiveQuorumSchema)
    item = fields.Nested(LiveItemSchema, allow_none=True)
    vote = fields.Nested(LiveVoteSchema, allow_none=True, metadata={
        "description": "The latest vote; a secret vote's counts are null until it closes."})
    sealed_box = fields.Nested(LiveSealedBoxSchema, allow_none=True, metadata={
        "description": "A sealed ballot under way (its key being made, open, or being counted)."})
    speaker = fields.Nested(LiveSpeakerSchema, allow_none=True)
    queue = fields.List(fields.Nested(LiveWaitingSchema))
    floor_motion = fields.Nested(LiveFloorMotionSchema, allow_none=True, metadata={
        "description": "The floor motion the board has read out, while it is decided."})
    stream_url = fields.String(allow_none=True)
    texts = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The screens' sentences (quorum, online, floor motions waiting), in the council's language."})


# --- the general assembly's procedure: the presiding board, the agenda, floor motions ---------------------------


class BoardSlateSchema(StrictSchema):
    """A slate for the presiding board: its size is the by-laws' (one chair, vice-chairs, clerks)."""

    chair = fields.UUID(required=True)
    vice_chairs = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=3))
    clerks = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=4))


class BoardSeatSchema(Schema):
    member_id = fields.Function(lambda row: str(row[0].member_id))
    name = fields.Function(lambda row: row[1].name)
    role = fields.Function(lambda row: row[0].role.value, metadata={"description": "chair, vice_chair or clerk"})


class FloorMotionInSchema(StrictSchema):
    """A written floor motion, as its proposer hands it in."""

    kind = fields.Enum(FloorMotionKind, by_value=True, required=True, metadata={
        "description": "agenda (add or change an item), amendment (of an item's draft decision), close_debate, "
                       "procedure"})
    text = fields.String(required=True, validate=validate.Length(min=3, max=2000))
    agenda_item_id = fields.UUID(load_default=None, allow_none=True)


class DeskFloorMotionSchema(FloorMotionInSchema):
    """A floor motion handed in in the hall, entered by the desk for its proposer."""

    member_id = fields.UUID(required=True)


class FloorMotionSignatureSchema(StrictSchema):
    member_id = fields.UUID(required=True)


class RefusalSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class FloorMotionVoteSchema(StrictSchema):
    kind = fields.Enum(VoteKind, by_value=True, load_default=VoteKind.OPEN)


class FloorMotionSchema(Schema):
    id = fields.UUID()
    number = fields.Integer()
    kind = fields.Enum(FloorMotionKind, by_value=True)
    agenda_item_id = fields.UUID(allow_none=True)
    text = fields.String()
    proposer_id = fields.UUID()
    channel = fields.Enum(Channel, by_value=True)
    status = fields.Enum(FloorMotionStatus, by_value=True)
    signatures = fields.Function(signature_count, metadata={"type": "integer", "description": "Signatures, the proposer's included."})
    handed_in_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    vote_id = fields.UUID(allow_none=True)


# --- the minutes the board approves, and the archive ------------------------------------------------------------


class DrawUpMinutesSchema(StrictSchema):
    """The first version has no reason; a correction of approved minutes says what it corrects."""

    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class MinutesApprovalInSchema(StrictSchema):
    """A board member confirms with the code printed on their badge."""

    code = fields.String(required=True, validate=validate.Length(min=4, max=32))


class DeskMinutesApprovalSchema(MinutesApprovalInSchema):
    """A member of the board approving at the desk, typing the code on their badge."""

    member_id = fields.UUID(required=True)


class MinutesApproverSchema(Schema):
    member_id = fields.Function(lambda row: str(row[1].id))
    name = fields.Function(lambda row: row[1].name)
    role = fields.Function(lambda row: row[0].role.value, metadata={"description": "chair, vice_chair or clerk"})


class MinutesApprovalSchema(Schema):
    member_id = fields.UUID()
    approved_at = fields.DateTime()


class ArchiveSchema(Schema):
    filename = fields.String()
    sealed_at = fields.DateTime()
    manifest_sha256 = fields.String()


class MinutesVersionSchema(Schema):
    number = fields.Function(lambda state: state.version.number, metadata={"type": "integer"})
    fingerprint = fields.Function(lambda state: state.version.fingerprint,
                                  metadata={"description": "SHA-256 of the version's text; its first 16 digits are "
                                                           "printed at the foot of every page."})
    drawn_up_at = fields.Function(lambda state: state.version.drawn_up_at.isoformat())
    corrects_version = fields.Function(lambda state: state.corrects_number, allow_none=True, metadata={"type": "integer"})
    correction_reason = fields.Function(lambda state: state.version.correction_reason, allow_none=True)
    frozen_at = fields.Function(lambda state: state.version.frozen_at.isoformat() if state.version.frozen_at else None,
                                allow_none=True, metadata={"format": "date-time"})
    approved_by = Derived(MinutesApprovalSchema, lambda state: [
        {"member_id": member_id, "approved_at": at} for member_id, at in state.approved.items()], many=True)
    waiting_for = Derived(MinutesApproverSchema, lambda state: state.waiting_for, many=True)


class MeetingRecordSchema(Schema):
    versions = Derived(MinutesVersionSchema, lambda record: record.versions, many=True)
    archive = Derived(ArchiveSchema, lambda record: record.archive, allow_none=True)
    can_draw_up = fields.Boolean()
