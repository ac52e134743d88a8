"""Meetings: call with notice, check people in and out, watch quorum, vote, number decisions."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api import paging
from konsey.api.base import BINARY, takes
from konsey.pluginkit import file_download
from konsey.schemas.base import PageArgs
from konsey.schemas.meetings import (
    AgendaItemSchema,
    BoardSeatSchema,
    CheckedInSchema,
    ExcusedAbsenceSchema,
    FloorMotionSchema,
    FloorRequestSchema,
    LiveStateSchema,
    MeetingDetailSchema,
    MeetingRecordSchema,
    MeetingSchema,
    PassesSummarySchema,
    SpeakersListSchema,
    VoteSchema,
)
from konsey.usecases import assembly, hybrid, meeting_record, meetings
from konsey.usecases.base import performs

blp = Blueprint("meetings", __name__, url_prefix="/api/v1/councils/<council_slug>/meetings", description="Meetings")


@blp.route("")
class Meetings(MethodView):
    @performs(meetings.list_meetings)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MeetingSchema(many=True))
    def get(self, args):
        """The meetings, the latest first, a page at a time (``Link: rel="next"`` when there is more)."""
        return paging.answer(meetings.list_meetings(args["page"], args["per_page"]), "meetings.Meetings",
                             args["per_page"])

    @performs(meetings.call_meeting)
    @takes(meetings.call_meeting)
    @blp.response(201, MeetingSchema)
    def post(self, data):
        """Call a meeting of a body, with its agenda; the by-laws' notice period applies."""
        return meetings.call_meeting(data)


@blp.route("/<uuid:meeting_id>")
class MeetingDetail(MethodView):
    @performs(meetings.show_meeting)
    @blp.response(200, MeetingDetailSchema)
    def get(self, meeting_id):
        """The meeting with its agenda and live quorum."""
        return meetings.show_meeting(meeting_id)


@blp.route("/<uuid:meeting_id>/reschedule")
class Reschedule(MethodView):
    @performs(meetings.reschedule_meeting)
    @takes(meetings.reschedule_meeting)
    @blp.response(200, MeetingSchema)
    def post(self, data, meeting_id):
        return meetings.reschedule_meeting(meeting_id, data)


@blp.route("/<uuid:meeting_id>/cancellation")
class Cancellation(MethodView):
    @performs(meetings.cancel_meeting)
    @takes(meetings.cancel_meeting)
    @blp.response(200, MeetingSchema)
    def post(self, data, meeting_id):
        return meetings.cancel_meeting(meeting_id, data)


@blp.route("/<uuid:meeting_id>/attendance")
class Attendance(MethodView):
    @performs(meetings.check_in)
    @takes(meetings.check_in)
    @blp.response(200, MeetingDetailSchema)
    def post(self, data, meeting_id):
        """Check a member in (in person or online); the answer carries the quorum now."""
        return meetings.check_in(meeting_id, data)


@blp.route("/<uuid:meeting_id>/attendance/<uuid:member_id>")
class Departure(MethodView):
    @performs(meetings.check_out)
    @blp.response(200, MeetingDetailSchema)
    def delete(self, meeting_id, member_id):
        """A member leaves; the quorum is recounted."""
        return meetings.check_out(meeting_id, member_id)


@blp.route("/<uuid:meeting_id>/votes")
class Votes(MethodView):
    @performs(meetings.list_votes)
    @blp.response(200, VoteSchema(many=True))
    def get(self, meeting_id):
        return meetings.list_votes(meeting_id)

    @performs(meetings.open_vote)
    @takes(meetings.open_vote)
    @blp.response(201, VoteSchema)
    def post(self, data, meeting_id):
        """Open a vote on an agenda item; refused without quorum."""
        return meetings.open_vote(meeting_id, data)


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/ballots")
class Ballots(MethodView):
    @performs(meetings.cast_ballot)
    @takes(meetings.cast_ballot)
    @blp.response(204)
    def post(self, data, meeting_id, vote_id):
        """The desk records a present member's vote by name (``channel`` desk, with a choice), or marks their
        paper ballot (``channel`` paper: its choice is in the box, counted with the hall); one vote per seat
        across every channel. A secret vote's ledger keeps only that the seat voted."""
        meetings.cast_ballot(meeting_id, vote_id, data)


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/counts")
class Counts(MethodView):
    @performs(meetings.record_counts)
    @takes(meetings.record_counts)
    @blp.response(200, VoteSchema)
    def put(self, data, meeting_id, vote_id):
        """The tellers' counts of the room (a show of hands, the ballot box) for the seats in it that have not
        voted by name; at most that many, at least the paper ballots marked; a second entry corrects the first."""
        return meetings.record_counts(meeting_id, vote_id, data)


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/roll-call")
class RollCall(MethodView):
    @performs(meetings.cast_roll_call)
    @takes(meetings.cast_roll_call)
    @blp.response(200, VoteSchema)
    def post(self, data, meeting_id, vote_id):
        """A roll call as one list of names and choices: all are recorded, or none."""
        return meetings.cast_roll_call(meeting_id, vote_id, data)


@blp.route("/<uuid:meeting_id>/votes/<uuid:vote_id>/close")
class CloseVote(MethodView):
    @performs(meetings.close_vote)
    @takes(meetings.close_vote)
    @blp.response(200, VoteSchema)
    def post(self, data, meeting_id, vote_id):
        """Close and count every channel: the verdict by the by-laws of the meeting's day, and the decision number.
        While fewer have voted than seats are filled: 409 with the turnout, unless ``confirm`` is true."""
        return meetings.close_vote(meeting_id, vote_id, data)


@blp.route("/<uuid:meeting_id>/minutes.pdf")
class Minutes(MethodView):
    @performs(meetings.minutes_pdf)
    @blp.response(200, BINARY, content_type="application/pdf")
    def get(self, meeting_id):
        """The minutes (tutanak) as a PDF, made from the record."""
        meeting, pdf = meetings.minutes_pdf(meeting_id)
        return file_download(pdf, "application/pdf", meetings.document_name(meeting, "tutanak"), inline=True)


@blp.route("/<uuid:meeting_id>/attendance-list.pdf")
class AttendanceList(MethodView):
    @performs(meetings.attendance_list_pdf)
    @blp.response(200, BINARY, content_type="application/pdf")
    def get(self, meeting_id):
        """The attendance list (hazırun cetveli) as a PDF: everyone entitled to sit with a signature column; once
        people came, when each arrived and left and how (in the hall, online)."""
        meeting, pdf = meetings.attendance_list_pdf(meeting_id)
        return file_download(pdf, "application/pdf", meetings.document_name(meeting, "hazirun-cetveli"), inline=True)


@blp.route("/<uuid:meeting_id>/close")
class CloseMeeting(MethodView):
    @performs(meetings.close_meeting)
    @blp.response(200, MeetingSchema)
    def post(self, meeting_id):
        return meetings.close_meeting(meeting_id)


@blp.route("/<uuid:meeting_id>/absences")
class Absences(MethodView):
    @performs(meetings.excuse_absence)
    @takes(meetings.excuse_absence)
    @blp.response(201, ExcusedAbsenceSchema)
    def post(self, data, meeting_id):
        """Record that a member with a vote was absent with an excuse the body accepted."""
        return meetings.excuse_absence(meeting_id, data)


# --- a hybrid meeting: passes, the speakers' list, the live state ------------------------------------------------


@blp.route("/<uuid:meeting_id>/passes")
class Passes(MethodView):
    @performs(hybrid.passes_summary)
    @blp.response(200, PassesSummarySchema)
    def get(self, meeting_id):
        """How many passes are issued, how many links e-mailed, how many attend online now."""
        return hybrid.passes_summary(meeting_id)

    @performs(hybrid.issue_passes)
    @blp.response(200, PassesSummarySchema)
    def post(self, meeting_id):
        """Issue a pass (badge code, personal link) to everyone entitled to sit who has none yet."""
        hybrid.issue_passes(meeting_id)
        return hybrid.passes_summary(meeting_id)


@blp.route("/<uuid:meeting_id>/passes/links")
class PassLinks(MethodView):
    @performs(hybrid.send_links)
    @blp.response(202, PassesSummarySchema)
    def post(self, meeting_id):
        """E-mail every pass holder with an address their personal link (the worker sends them)."""
        hybrid.send_links(meeting_id)
        return hybrid.passes_summary(meeting_id)


@blp.route("/<uuid:meeting_id>/passes/<uuid:member_id>")
class PassOfMember(MethodView):
    @performs(hybrid.reissue_pass)
    @blp.response(201, PassesSummarySchema)
    def post(self, meeting_id, member_id):
        """A new pass for one person (a link passed on or lost): the old link and badge code stop working, and
        the new link is e-mailed where there is an address."""
        hybrid.reissue_pass(meeting_id, member_id)
        return hybrid.passes_summary(meeting_id)


@blp.route("/<uuid:meeting_id>/badges.pdf")
class Badges(MethodView):
    @performs(hybrid.badges_pdf)
    @blp.response(200, BINARY, content_type="application/pdf")
    def get(self, meeting_id):
        """The attendance badges, 8 to an A4 page, each with its QR code and code."""
        meeting, pdf = hybrid.badges_pdf(meeting_id)
        return file_download(pdf, "application/pdf", meetings.document_name(meeting, "yaka-kartlari"), inline=True, secret=True)


@blp.route("/<uuid:meeting_id>/attendance/by-code")
class CodeCheckIn(MethodView):
    @performs(hybrid.check_in_by_code)
    @takes(hybrid.check_in_by_code)
    @blp.response(200, CheckedInSchema)
    def post(self, data, meeting_id):
        """Check in the holder of a badge, by its code (scanned or typed), in the room."""
        return hybrid.check_in_by_code(meeting_id, data)


@blp.route("/<uuid:meeting_id>/stream")
class Stream(MethodView):
    @performs(hybrid.set_stream)
    @takes(hybrid.set_stream)
    @blp.response(200, MeetingSchema)
    def put(self, data, meeting_id):
        """Attach the meeting's video stream link (null removes it)."""
        return hybrid.set_stream(meeting_id, data)


@blp.route("/<uuid:meeting_id>/current-item")
class CurrentItem(MethodView):
    @performs(hybrid.take_up_item)
    @takes(hybrid.take_up_item)
    @blp.response(200, AgendaItemSchema)
    def put(self, data, meeting_id):
        """Move the meeting to an agenda item: the speakers' list and the screens follow it."""
        return hybrid.take_up_item(meeting_id, data)


@blp.route("/<uuid:meeting_id>/speakers")
class Speakers(MethodView):
    @performs(hybrid.speakers_list)
    @blp.response(200, SpeakersListSchema)
    def get(self, meeting_id):
        """The item under discussion, who has the floor and who waits, in order."""
        return hybrid.speakers_list(meeting_id)

    @performs(hybrid.ask_floor)
    @takes(hybrid.ask_floor)
    @blp.response(201, FloorRequestSchema)
    def post(self, data, meeting_id):
        """Put a person present on the speakers' list (for, against, or a point of order)."""
        return hybrid.ask_floor(meeting_id, data)


@blp.route("/<uuid:meeting_id>/speakers/<uuid:request_id>/floor")
class GiveFloor(MethodView):
    @performs(hybrid.give_floor)
    @blp.response(200, FloorRequestSchema)
    def post(self, meeting_id, request_id):
        """Give this speaker the floor (whoever had it stops); the by-laws' speaking time runs."""
        return hybrid.give_floor(meeting_id, request_id)


@blp.route("/<uuid:meeting_id>/speakers/<uuid:request_id>/move")
class MoveSpeaker(MethodView):
    @performs(hybrid.move_speaker)
    @takes(hybrid.move_speaker)
    @blp.response(204)
    def post(self, data, meeting_id, request_id):
        """Move a waiting speaker one place up or down."""
        hybrid.move_speaker(meeting_id, request_id, data)


@blp.route("/<uuid:meeting_id>/speakers/<uuid:request_id>")
class FloorRequestItem(MethodView):
    @performs(hybrid.withdraw_floor)
    @blp.response(204)
    def delete(self, meeting_id, request_id):
        """Take a waiting request off the list."""
        hybrid.withdraw_floor(meeting_id, request_id)


@blp.route("/<uuid:meeting_id>/speakers/current/stop")
class StopSpeaker(MethodView):
    @performs(hybrid.stop_speaker)
    @blp.response(200, FloorRequestSchema)
    def post(self, meeting_id):
        """The speaker's time is over: the floor is taken back."""
        return hybrid.stop_speaker(meeting_id)


@blp.route("/<uuid:meeting_id>/live")
class LiveState(MethodView):
    @performs(hybrid.live_state)
    @blp.etag
    @blp.response(200, LiveStateSchema)
    def get(self, meeting_id):
        """What the meeting's live screens show now: quorum (and how many online), the item, the latest vote
        (a secret vote's counts only once closed), the speaker and the queue. Answers 304 to ``If-None-Match``
        while nothing changed."""
        return hybrid.live_state(meeting_id)


# --- the general assembly's procedure: the presiding board, the agenda, floor motions ---------------------------


@blp.route("/<uuid:meeting_id>/presiding-board")
class PresidingBoard(MethodView):
    @performs(assembly.presiding_board)
    @blp.response(200, BoardSeatSchema(many=True))
    def get(self, meeting_id):
        """The presiding board as elected: the chair, the vice-chairs and the clerks."""
        return assembly.presiding_board(meeting_id)

    @performs(assembly.propose_board)
    @takes(assembly.propose_board)
    @blp.response(201, VoteSchema)
    def post(self, data, meeting_id):
        """Propose a slate for the presiding board (its size is the by-laws'): it goes at once to an open vote of
        those present, the hall and the phones; adopted when that vote closes, it is the board."""
        return assembly.propose_board(meeting_id, data)


@blp.route("/<uuid:meeting_id>/agenda/adoption")
class AgendaAdoption(MethodView):
    @performs(assembly.put_agenda_to_vote)
    @blp.response(201, VoteSchema)
    def post(self, meeting_id):
        """Put the proposed agenda to the assembly (after the board is elected and the floor motions to change
        the agenda are decided); adopted when that vote closes."""
        return assembly.put_agenda_to_vote(meeting_id)


@blp.route("/<uuid:meeting_id>/floor-motions")
class FloorMotions(MethodView):
    @performs(assembly.list_floor_motions)
    @blp.response(200, FloorMotionSchema(many=True))
    def get(self, meeting_id):
        """The meeting's written floor motions (önerge), in the order handed in, each with its fate."""
        return assembly.list_floor_motions(meeting_id)

    @performs(assembly.hand_in_floor_motion)
    @takes(assembly.hand_in_floor_motion)
    @blp.response(201, FloorMotionSchema)
    def post(self, data, meeting_id):
        """Enter a floor motion a member present handed in, in the hall; it is numbered in the meeting."""
        return assembly.hand_in_floor_motion(meeting_id, data)


@blp.route("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/signatures")
class FloorMotionSignatures(MethodView):
    @performs(assembly.sign_floor_motion)
    @takes(assembly.sign_floor_motion)
    @blp.response(201, FloorMotionSchema)
    def post(self, data, meeting_id, floor_motion_id):
        """Enter a co-signer's signature (a member present); the by-laws say how many a floor motion needs."""
        return assembly.sign_floor_motion(meeting_id, floor_motion_id, data)


@blp.route("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/reading")
class FloorMotionReading(MethodView):
    @performs(assembly.read_floor_motion)
    @blp.response(200, FloorMotionSchema)
    def post(self, meeting_id, floor_motion_id):
        """The board reads the floor motion out: the projector and the phones show it."""
        return assembly.read_floor_motion(meeting_id, floor_motion_id)


@blp.route("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/refusal")
class FloorMotionRefusal(MethodView):
    @performs(assembly.refuse_floor_motion)
    @takes(assembly.refuse_floor_motion)
    @blp.response(200, FloorMotionSchema)
    def post(self, data, meeting_id, floor_motion_id):
        """The board does not put the floor motion to the vote, with its reason (kept in the minutes)."""
        return assembly.refuse_floor_motion(meeting_id, floor_motion_id, data)


@blp.route("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/vote")
class FloorMotionVote(MethodView):
    @performs(assembly.vote_on_floor_motion)
    @takes(assembly.vote_on_floor_motion)
    @blp.response(201, VoteSchema)
    def post(self, data, meeting_id, floor_motion_id):
        """Put a floor motion the board has read to a vote (on the item it concerns); it is adopted or rejected
        when that vote closes."""
        return assembly.vote_on_floor_motion(meeting_id, floor_motion_id, data)


@blp.route("/<uuid:meeting_id>/minutes-versions")
class MinutesVersions(MethodView):
    @performs(meeting_record.minutes_record)
    @blp.response(200, MeetingRecordSchema)
    def get(self, meeting_id):
        """The versions of the minutes drawn up for the presiding board, each with who approved it and who has
        yet to, and the latest signed archive."""
        return meeting_record.minutes_record(meeting_id)

    @performs(meeting_record.draw_up_minutes)
    @takes(meeting_record.draw_up_minutes)
    @blp.response(201, MeetingRecordSchema)
    def post(self, data, meeting_id):
        """Draw up a version of the closed meeting's minutes for the board's approval; a correction of frozen
        minutes gives its ``reason``. 409 while a version awaits approval, or without an elected board."""
        meeting_record.draw_up_minutes(meeting_id, data)
        return meeting_record.minutes_record(meeting_id)


@blp.route("/<uuid:meeting_id>/minutes-versions/<int:number>.pdf")
class MinutesVersionDocument(MethodView):
    @performs(meeting_record.minutes_version_pdf)
    @blp.response(200, BINARY, content_type="application/pdf")
    def get(self, meeting_id, number):
        """One version of the minutes, with its fingerprint on every page."""
        meeting, version = meeting_record.minutes_version_pdf(meeting_id, number)
        return file_download(version.document, "application/pdf", meetings.document_name(meeting, "tutanak", number), inline=True)


@blp.route("/<uuid:meeting_id>/archive.zip")
class MeetingArchiveDocument(MethodView):
    @performs(meeting_record.meeting_archive)
    @blp.response(200, BINARY, content_type="application/zip")
    def get(self, meeting_id):
        """The meeting's signed archive (minutes, attendance list, votes with their ledgers, floor motions,
        speakers, audit excerpt; the manifest signed with the council's key), sealed when the board's last member
        approved the minutes. Check it with ``konsey package verify`` or the council's verification page."""
        archive = meeting_record.meeting_archive(meeting_id)
        return file_download(archive.content, "application/zip", archive.filename)


@blp.route("/<uuid:meeting_id>/minutes-versions/<int:number>/approvals")
class MinutesDeskApproval(MethodView):
    @performs(meeting_record.approve_minutes_at_desk)
    @takes(meeting_record.approve_minutes_at_desk)
    @blp.response(200, MeetingRecordSchema)
    def post(self, data, meeting_id, number):
        """A member of the board without their phone approves at the desk with the code on their badge; the last
        approval freezes the version and seals the archive."""
        meeting_record.approve_minutes_at_desk(meeting_id, number, data)
        return meeting_record.minutes_record(meeting_id)


@blp.route("/<uuid:meeting_id>/minutes-versions/<int:number>/withdrawal")
class MinutesWithdrawal(MethodView):
    @performs(meeting_record.withdraw_minutes)
    @blp.response(200, MeetingRecordSchema)
    def post(self, meeting_id, number):
        """Take back a version the board has not approved in full (409 once frozen); another is drawn up after."""
        meeting_record.withdraw_minutes(meeting_id, number)
        return meeting_record.minutes_record(meeting_id)
