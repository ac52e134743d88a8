"""The minutes (tutanak) of a meeting, as a PDF made from the record: attendance, quorum, votes, decisions."""

from __future__ import annotations

import hashlib
from importlib.resources import files
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import floor_motions, presiding
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.formats import clock_text, moment_text
from konsey.core.labels import label
from konsey.core.meetings import (
    AgendaItem,
    Attendance,
    Ballot,
    ExcusedAbsence,
    Meeting,
    MeetingStatus,
    Vote,
    VoteKind,
    VotePurpose,
    eligible_members,
    quorum_status,
)
from konsey.core.membership import Member
from konsey.core.rules.meetings import online_presence_counts
from konsey.core.speakers import spoken
from konsey.core.text import ascii_slug, turkish_sort_key, turkish_upper
from konsey.core.votes import count_of
from konsey.tenants.db import db
from konsey.tenants.models import Council

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = files("konsey.core") / "fonts"


def a4_document(*, first_page: bool = True, footer: str | None = None, title: str | None = None,
                author: str | None = None) -> FPDF:
    """An A4 PDF with Konsey's fonts (the minutes, the attendance list, the badges). ``footer``: a line at the
    foot of every page, with "page n/N" (a page that comes loose is still known)."""
    # fpdf2 (and the fontTools it loads) is a fifth of the application's import time; only PDFs need it.
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self):
            if footer is None:
                return
            self.set_y(-12)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(90, 90, 90)
            page = _("page %(n)d/%(of)s", n=self.page_no(), of="{nb}")
            self.cell(0, 5, f"{footer} · {page}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Document(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    # DejaVu has every Turkish letter (ğ, ş, ı, İ …), which the PDF core fonts lack.
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("Konsey")
    pdf.set_lang("tr")  # the council's documents are Turkish (screen readers pick the voice from it)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    if first_page:
        pdf.add_page()
    return pdf


def channel_lines(vote: Vote, count) -> list[str]:
    """How the vote was cast, channel by channel: a vote by name gives each channel's choices; a secret one only
    each channel's turnout (a subtotal of a few phones could name a voter)."""
    parts = []
    for channel, turnout in sorted(count.turnout.items()):
        choices = count.named.get(channel) or (count.hall if channel == "hall" else None)
        if vote.kind is not VoteKind.SECRET and choices:
            parts.append(_("%(channel)s: %(yes)d yes, %(no)d no, %(abstain)d abstaining", channel=label(
                f"channel_{channel}"), **choices))
        else:
            parts.append(_("%(channel)s: %(n)d voted", channel=label(f"channel_{channel}"), n=turnout))
    return parts or [_("No votes recorded.")]


def file_name(meeting: Meeting, what: str, version: int | None = None) -> str:
    """A document's file name that says what it is: ``tutanak-genel-kurul-2026-12-05.pdf`` (the meeting's day
    where the council is), ``…-surum-2.pdf`` for a version of the minutes."""
    body = db.session.get(Body, meeting.body_id)
    name = f"{what}-{ascii_slug(body.name)}-{meeting.day.isoformat()}"
    return f"{name}-surum-{version}.pdf" if version else f"{name}.pdf"


def build_minutes(meeting: Meeting) -> bytes:
    """The minutes as the record stands now (a draft until the presiding board approves a version of them:
    konsey.core.meeting_record)."""
    draft = _("Draft minutes")
    return _render(meeting, f"{meeting.title} · {draft}")[0]


def fingerprint_of(text: str) -> str:
    """A version's fingerprint: the SHA-256 of its text, as the reader sees it (16 hex digits in groups of four on
    the page; the whole on the verification page)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_fingerprint(fingerprint: str) -> str:
    return "-".join(fingerprint[i:i + 4].upper() for i in range(0, 16, 4))


def minutes_version(meeting: Meeting, number: int, corrects: int | None = None,
                    reason: str | None = None) -> tuple[bytes, str]:
    """Version ``number`` of the minutes for the board to approve (a correction of version ``corrects``, for
    ``reason``): (the PDF, its fingerprint). The version and what it corrects are written under the heading, so
    they are in the fingerprint too (two versions never share one); every page's footer names the version and the
    fingerprint, so a page that comes loose is still known and checkable."""
    preface = [_("Version %(n)d of the minutes.", n=number)]
    if corrects is not None:
        preface.append(_("It corrects version %(n)d: %(reason)s", n=corrects, reason=reason or ""))
    _document, text = _render(meeting, None, tuple(preface))
    fingerprint = fingerprint_of(text)
    version = _("minutes, version %(n)d", n=number)
    fingerprint_label = _("fingerprint")
    document, _text = _render(meeting, f"{meeting.title} · {version} · {fingerprint_label} "
                                       f"{short_fingerprint(fingerprint)}", tuple(preface))
    return document, fingerprint


class _Writer:
    """The minutes' PDF as it is written, and the text written in it (what its fingerprint is of)."""

    def __init__(self, pdf, zone: str):
        self.pdf, self.zone, self.width, self.written = pdf, zone, pdf.epw, []

    def heading(self, text: str, size: int = 12) -> None:
        self.written.append(text)
        self.pdf.set_font("DejaVu", "B", size)
        self.pdf.multi_cell(self.width, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("DejaVu", "", 10)

    def line(self, text: str, *, bold: bool = False) -> None:
        self.written.append(text)
        if bold:
            self.pdf.set_font("DejaVu", "B", 10)
        self.pdf.multi_cell(self.width, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        if bold:
            self.pdf.set_font("DejaVu", "", 10)


def _render(meeting: Meeting, footer: str | None, preface: tuple[str, ...] = ()) -> tuple[bytes, str]:
    """The minutes' PDF with ``footer`` on every page and the ``preface`` lines under the heading, and the text
    written in it (what its fingerprint is of): the heading, who attended, the presiding board, the agenda with
    its speakers and votes, the floor motions, the signatures."""
    council = db.session.get(Council, meeting.council_id)
    body = db.session.scalar(select(Body).where(Body.id == meeting.body_id))
    minutes_title = _("Minutes")
    pdf = a4_document(footer=footer, title=f"{body.name} — {minutes_title}: {meeting.title}", author=council.name)
    writer = _Writer(pdf, council.timezone)
    _opening(writer, council, body, meeting, preface)
    _attendance(writer, body, meeting)
    board = presiding.board(meeting)
    if board:
        writer.heading(_("Presiding board"))
        for seat, member in board:
            writer.line(f"• {member.name} ({label(seat.role)})")
        pdf.ln(3)
    _agenda(writer, meeting)
    _floor_motions(writer, meeting)
    _signatures(writer, board)
    return bytes(pdf.output()), "\n".join(writer.written)


def _opening(writer: _Writer, council: Council, body: Body, meeting: Meeting, preface: tuple[str, ...]) -> None:
    writer.heading(turkish_upper(council.name), 14)
    # (No _() inside f-strings: the message extractor cannot see them there.)
    minutes, date_label, place_label = _("Minutes"), _("Date"), _("Place")
    writer.heading(f"{body.name} — {minutes}")
    writer.line(f"{meeting.title} ({label(meeting.kind)})")
    writer.line(f"{date_label}: {moment_text(meeting.scheduled_at, writer.zone)}")
    if meeting.location:
        writer.line(f"{place_label}: {meeting.location}")
    for said in preface:
        writer.line(said)
    writer.pdf.ln(3)


def _attendance(writer: _Writer, body: Body, meeting: Meeting) -> None:
    """Who attended and how, who followed online only, who was excused and who absent; the quorum."""
    line, zone = writer.line, writer.zone
    all_attendances = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                                         .order_by(Attendance.arrived_at)).all()
    bylaws = parameters_on(meeting.day)
    # Where online presence does not count in this body, following online is not attending: those who only
    # followed are listed apart, and are absent for the record (as for the absence limit).
    counts_online = online_presence_counts(body.kind.value, bylaws)
    attendances = [a for a in all_attendances if counts_online or not a.online]
    followers = [a for a in all_attendances if not counts_online and a.online
                 and a.member_id not in {b.member_id for b in attendances}]
    eligible = eligible_members(body, meeting.day, bylaws)
    excused = {e.member_id: e.reason for e in db.session.scalars(
        select(ExcusedAbsence).where(ExcusedAbsence.meeting_id == meeting.id))}
    came = {a.member_id for a in attendances} | {a.stands_in_for_id for a in attendances if a.stands_in_for_id}
    people = db.session.scalars(select(Member).where(Member.id.in_(
        [a.member_id for a in all_attendances] + list(eligible) + list(excused) or [None]))).all()
    names = {m.id: m.name for m in people}
    writer.heading(_("Attendance"))
    # A person is listed once, however often they came and went (a phone that lost its connection and came
    # back): how they attended, whom they stood in for, and when they last left if they did not stay.
    by_person: dict = {}
    for attendance in attendances:
        by_person.setdefault(attendance.member_id, []).append(attendance)
    online = sum(1 for spells in by_person.values() if any(a.online for a in spells))
    line(_("Present (%(n)d, of them online %(online)d):", n=len(by_person), online=online))
    for member_id, spells in by_person.items():
        modes = [_("online") if a.online else _("in person") for a in spells]
        mode = ", ".join(dict.fromkeys(modes))
        last = spells[-1]
        left = ", " + _("left at %(time)s", time=clock_text(last.left_at, zone)) if last.left_at else ""
        principals = [a.stands_in_for_id for a in spells if a.stands_in_for_id]
        standing = (", " + _("substitute for %(name)s", name=names.get(principals[-1], "?")) if principals else "")
        line(f"• {names.get(member_id, '?')} ({mode}{standing}{left})")
    if followers:
        followed = sorted({a.member_id for a in followers}, key=lambda m: turkish_sort_key(names.get(m, "")))
        line(_("Followed online, not counted under the by-laws (%(n)d):", n=len(followed)))
        for member_id in followed:
            line(f"• {names.get(member_id, '?')}")
    by_name = sorted(eligible - came, key=lambda member_id: turkish_sort_key(names.get(member_id, "")))
    excused_here = [m for m in by_name if m in excused]
    absent = [m for m in by_name if m not in excused]
    if excused_here:
        line(_("Excused (%(n)d):", n=len(excused_here)))
        for member_id in excused_here:
            line(f"• {names.get(member_id, '?')} — {excused[member_id]}")
    line(_("Absent (%(n)d):", n=len(absent)))
    for member_id in absent:
        line(f"• {names.get(member_id, '?')}")
    _quorum(writer, body, meeting, attended=len(by_person))
    writer.pdf.ln(3)


def _quorum(writer: _Writer, body: Body, meeting: Meeting, attended: int) -> None:
    quorum = quorum_status(meeting, body)
    full, needed = quorum["full_membership"], quorum["needed"]
    if meeting.status is not MeetingStatus.CLOSED:
        writer.line(_("Full membership %(full)d, present now %(present)d, quorum %(needed)d.",
                      full=full, present=quorum["present"], needed=needed))
        return
    # Once closed nobody is "present now": the record says how many were present as each vote opened.
    present_at_votes = sorted(db.session.scalars(select(Vote.present).join(
        AgendaItem, AgendaItem.id == Vote.agenda_item_id).where(AgendaItem.meeting_id == meeting.id)))
    if present_at_votes and present_at_votes[0] == present_at_votes[-1]:  # never "from 12 to 12"
        writer.line(_("Full membership %(full)d, quorum %(needed)d; %(present)d present at every vote.",
                      full=full, needed=needed, present=present_at_votes[0]))
    elif present_at_votes:
        writer.line(_("Full membership %(full)d, quorum %(needed)d; present as the votes opened: %(low)d to "
                      "%(high)d.", full=full, needed=needed, low=present_at_votes[0], high=present_at_votes[-1]))
    else:
        writer.line(_("Full membership %(full)d, quorum %(needed)d; %(came)d attended.",
                      full=full, needed=needed, came=attended))


def _agenda(writer: _Writer, meeting: Meeting) -> None:
    """Each item with its speakers and its votes: how each was cast, what it decided (a roll call by name)."""
    line, zone = writer.line, writer.zone
    writer.heading(_("Agenda and decisions"))
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    speeches: dict = {}
    for request, name in spoken(meeting):
        speeches.setdefault(request.agenda_item_id, []).append((request, name))
    for item in items:
        line(f"{item.position}. {item.title}", bold=True)
        if speeches.get(item.id):
            line(_("Speakers:"))
            for request, name in speeches[item.id]:
                until = f"–{clock_text(request.ended_at, zone)}" if request.ended_at else ""
                line(f"   {name} ({label(request.stance)}, {clock_text(request.started_at, zone)}{until})")
        for vote in db.session.scalars(select(Vote).where(Vote.agenda_item_id == item.id).order_by(Vote.opened_at)):
            _vote(writer, vote, item)


def _vote(writer: _Writer, vote: Vote, item: AgendaItem) -> None:
    line = writer.line
    count = count_of(vote)
    if vote.purpose is not VotePurpose.DECISION:  # a step of the meeting, not a vote on the item itself
        line(presiding.subject_of(vote, item))
    if count.totals is None:  # a secret vote still open: its turnout, and nothing that moves with a choice
        line(_("%(kind)s vote with %(present)d present, still open: %(voted)d have voted.",
               kind=label(vote.kind), present=vote.present, voted=count.voted))
    else:
        line(_("%(kind)s vote with %(present)d present: %(yes)d yes, %(no)d no, %(abstain)d abstaining.",
               kind=label(vote.kind), present=vote.present, **count.totals)
             + ("" if vote.closed_at else " " + _("(still open)")))
    for channel_line in channel_lines(vote, count):
        line("   " + channel_line)
    if vote.outcome:
        outcome = label(vote.outcome)
        if vote.decided_by == "chair":
            outcome += " " + _("(tie, decided by the chair's vote)")
        elif vote.decided_by == "lot":
            outcome += " " + _("(tie, decided by lot, seed %(seed)d)", seed=vote.lot_seed)
        number = " — " + _("Decision no. %(number)s", number=vote.decision_number) if vote.decision_number else ""
        line(f"{outcome}{number}")
    if vote.kind is VoteKind.ROLL_CALL:
        roll = db.session.execute(
            select(Member.name, Ballot.choice).join(Member, Member.id == Ballot.member_id)
            .where(Ballot.vote_id == vote.id).order_by(Member.sort_name)
        ).all()
        for name, choice in roll:
            line(f"   {name}: {label(choice)}")


def _floor_motions(writer: _Writer, meeting: Meeting) -> None:
    """Every floor motion handed in: who, how and when, its text, its signatures and its fate."""
    motions = floor_motions.of_meeting(meeting)
    if not motions:
        return
    writer.pdf.ln(3)
    writer.heading(_("Floor motions"))
    names_of = {m.id: m.name for m in db.session.scalars(select(Member).where(
        Member.id.in_([motion.proposer_id for motion in motions])))}
    for motion in motions:
        writer.line(_("No. %(n)d, %(kind)s — %(proposer)s (%(channel)s, %(time)s)", n=motion.number,
                      kind=label(motion.kind), proposer=names_of.get(motion.proposer_id, "?"),
                      channel=label(f"channel_{motion.channel.value}"),
                      time=clock_text(motion.handed_in_at, writer.zone)), bold=True)
        writer.line(f"   {motion.text}")
        fate = label(motion.status)
        if motion.refusal_reason:
            fate = f"{fate}: {motion.refusal_reason}"
        signatures = _("Signatures: %(n)d", n=floor_motions.signature_count(motion))
        writer.line(f"   {signatures} · {fate}")


def _signatures(writer: _Writer, board: list) -> None:
    """The closing sentence and the signature lines of the presiding board (the chair and the secretary general
    where there is none), four to a row."""
    signers = [(member.name, label(seat.role)) for seat, member in board] or [("", _("Chair")),
                                                                              ("", _("Secretary general"))]
    width = writer.width
    # The signatures never stand alone at the top of a page: they go with the closing paragraph.
    with writer.pdf.unbreakable() as block:
        block.ln(6)
        block.multi_cell(width, 5.5, _("These minutes were drawn up from the meeting's record."),
                         new_x="LMARGIN", new_y="NEXT")
        column = width / min(len(signers), 4)
        for start in range(0, len(signers), 4):
            block.ln(14)
            row = signers[start:start + 4]
            for index, (name, role) in enumerate(row):
                last = index == len(row) - 1
                block.cell(column, 6, name or role, align="C", **({"new_x": "LMARGIN", "new_y": "NEXT"} if last else {}))
            if any(name for name, _role in row):
                for index, (_name, role) in enumerate(row):
                    last = index == len(row) - 1
                    block.cell(column, 5, role, align="C", **({"new_x": "LMARGIN", "new_y": "NEXT"} if last else {}))
    writer.written.extend(f"{name} ({role})" for name, role in signers)
