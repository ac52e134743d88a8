"""Meeting passes: one per person entitled to sit in a meeting, for a hybrid meeting.

A pass carries two keys. Its **short code** (printed on the attendance badge, with a QR code of it) lets the
desk check the person in by scanning or typing it. Its **link** (a signed token naming the pass, sent by e-mail)
opens the person's phone page: opening it checks them in as online, the phone gives a sign of life while it
stays open, and a phone silent for longer than the by-laws allow is checked out (it left or lost the
connection). Whether online presence counts towards the quorum is the by-laws' (``online_presence_counts_for``).
"""

from __future__ import annotations

import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import String, Uuid, case, func, select, update
from sqlalchemy.orm import Mapped, contains_eager, load_only, mapped_column

from konsey.core import meetings, sms
from konsey.core.audit import record
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.errors import ConfirmationNeeded, Conflict, Invalid, NotFound
from konsey.core.formats import moment_text
from konsey.core.identifiers import mobile_number
from konsey.core.mail import build_message, deliver
from konsey.core.meetings import Attendance, Meeting, MeetingStatus
from konsey.core.membership import Member, MemberKind, in_order
from konsey.core.minutes import a4_document
from konsey.core.outbox import emit, handles
from konsey.core.representatives import Representative
from konsey.core.rules import sign_in as sign_in_rules
from konsey.core.sign_in_codes import HoldsSignInCode
from konsey.core.urls import external_url
from konsey.tenants.db import CouncilOwned, db, lock, same_council_fk, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id

# Badge codes avoid letters and digits read alike (0/O, 1/I/L, 5/S, 2/Z): typed from a badge in a noisy hall.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


class MeetingPass(HoldsSignInCode, CouncilOwned, db.Model):
    """A person's pass to one meeting; where the by-laws ask for it, the code sent by SMS that confirms its holder
    (konsey.core.sign_in_codes)."""

    __tablename__ = "meeting_passes"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    code: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    mailed_at: Mapped[datetime | None]  # the link went out by e-mail
    last_seen_at: Mapped[datetime | None]  # the phone page's latest sign of life
    left_at: Mapped[datetime | None]  # the person left from the phone (a sign of life does not bring them back)
    held_out_at: Mapped[datetime | None]  # the desk checked them out: the phone stays out until the desk lets them in

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "member_id"),
        db.UniqueConstraint("council_id", "meeting_id", "code"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _unused_code(codes: set) -> str:
    """A new code no pass of the meeting has (``codes``, which it joins)."""
    code = new_code()
    while code in codes:
        code = new_code()
    codes.add(code)
    return code


def normalised_code(typed: str) -> str:
    """A code as typed or scanned: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="konsey.meeting-pass")


# A phone that confirmed its holder (a code by SMS, a passkey) holds a key of its own for a meeting day; the link's
# key, passed on or read over a shoulder, does not confirm anyone.
CONFIRMED_FOR = timedelta(hours=24)


def _confirmed_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="konsey.meeting-pass.confirmed")


def link_token(meeting_pass: MeetingPass) -> str:
    return _signer().dumps([str(meeting_pass.id), str(meeting_pass.council_id)])


def confirmed_token(meeting_pass: MeetingPass) -> str:
    """The key of a phone that confirmed the pass's holder: the link's key and the confirmation in one."""
    return _confirmed_signer().dumps([str(meeting_pass.id), str(meeting_pass.council_id)])


def personal_link(council: Council, meeting_pass: MeetingPass) -> str:
    """The address a pass holder opens their meeting's phone page with (e-mailed or texted)."""
    return external_url("remote_pages.open_link", council_slug=council.slug, token=link_token(meeting_pass))


def _read(token: str) -> tuple[uuid.UUID, bool]:
    """The pass a key names and whether it is a confirmed phone's; NotFound for a forged or mangled key, an
    expired confirmation, or a key of another council than the one the address names (refused before any query:
    the scoped query would not find it either)."""
    try:
        try:
            ids, confirmed = _signer().loads(token), False
        except BadSignature:
            ids = _confirmed_signer().loads(token, max_age=int(CONFIRMED_FOR.total_seconds()))
            confirmed = True
        pass_id, council_id = ids
        if uuid.UUID(council_id) != current_council_id():
            raise ValueError("another council's link")
        return uuid.UUID(pass_id), confirmed
    except (BadSignature, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def pass_id_of(token: str) -> uuid.UUID:
    """The pass a personal link (or a confirmed phone's key) names, or NotFound."""
    return _read(token)[0]


def confirmation_needed(meeting: Meeting) -> bool:
    """Whether the by-laws ask a phone to confirm its holder before taking part in this meeting."""
    return sign_in_rules.strong_sign_in_required(meeting.body.kind.value, parameters_on(meeting.day))


def _confirmed_or_refused(confirmed: bool, meeting: Meeting) -> None:
    if not confirmed and confirmation_needed(meeting):
        raise ConfirmationNeeded(_("Confirm it is you first, with the code sent to your phone or your passkey."))


def entitled(meeting: Meeting, body: Body) -> list[uuid.UUID]:
    """Everyone who may sit: those with a vote on the meeting's day and, for a body with seats, its substitutes."""
    bylaws = parameters_on(meeting.day)
    return sorted(meetings.eligible_members(body, meeting.day, bylaws) | meetings.substitutes(body, meeting.day))


def issue(meeting: Meeting) -> int:
    """A pass for everyone entitled who has none yet; returns how many were issued now."""
    if meeting.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    if meeting.status is MeetingStatus.CANCELLED:
        raise Conflict({"meeting": [_("The meeting was cancelled.")]})
    # Two desks issuing at once: the second finds them issued. FOR NO KEY UPDATE, so check-ins (which only
    # reference the meeting) go on meanwhile.
    lock(meeting, "no_key_update")
    body = db.session.get(Body, meeting.body_id)
    have = set(db.session.scalars(select(MeetingPass.member_id).where(MeetingPass.meeting_id == meeting.id)))
    codes = set(db.session.scalars(select(MeetingPass.code).where(MeetingPass.meeting_id == meeting.id)))
    issued = 0
    for member_id in entitled(meeting, body):
        if member_id in have:
            continue
        db.session.add(MeetingPass(meeting_id=meeting.id, member_id=member_id, code=_unused_code(codes)))
        issued += 1
    db.session.flush()
    if issued:
        record("meeting.passes_issued", meeting, {"issued": issued})
    return issued


def reissue(meeting: Meeting, member: Member) -> MeetingPass:
    """A new pass for one person (a link passed on or lost, a badge gone): the old link and code stop working at
    once; the new link goes by e-mail where there is an address."""
    lock(meeting, "no_key_update")
    if meeting.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    body = db.session.get(Body, meeting.body_id)
    if member.id not in set(entitled(meeting, body)):
        raise Invalid({"member_id": [_("This person is not entitled to sit in this meeting.")]})
    old = db.session.scalar(select(MeetingPass).where(MeetingPass.meeting_id == meeting.id,
                                                      MeetingPass.member_id == member.id))
    if old is not None:
        db.session.delete(old)
        db.session.flush()
    here = attending(meeting, member.id)
    if here is not None and here.online:
        meetings.check_out(meeting, member)  # that link is dead: whoever held it is no longer counted
    codes = set(db.session.scalars(select(MeetingPass.code).where(MeetingPass.meeting_id == meeting.id)))
    fresh = MeetingPass(meeting_id=meeting.id, member_id=member.id, code=_unused_code(codes))
    db.session.add(fresh)
    db.session.flush()
    record("meeting.pass_reissued", meeting, {"member": str(member.id)})
    if member.email:  # this one link only: the others go when the desk sends the links
        emit("meeting.links", {"meeting_id": str(meeting.id), "member_id": str(member.id)})
    return fresh


def send_links(meeting: Meeting) -> int:
    """Issue what is missing and e-mail every pass holder with an address their personal link (the worker
    sends them); returns how many will be sent."""
    issue(meeting)
    waiting = db.session.scalar(select(func.count(MeetingPass.id)).join(Member, Member.id == MeetingPass.member_id)
                                .where(MeetingPass.meeting_id == meeting.id, MeetingPass.mailed_at.is_(None),
                                       Member.email.is_not(None))) or 0
    if waiting:
        emit("meeting.links", {"meeting_id": str(meeting.id)})
    texted = text_links(meeting)
    if waiting or texted:
        record("meeting.links_sent", meeting, {"links": waiting, "sms": texted})
    return waiting + texted


def text_links(meeting: Meeting) -> int:
    """Members with no e-mail address but a mobile number (for an institution, its representative's) get their
    link by SMS, where the council has an SMS account (konsey.core.sms); each pass once. How many were queued."""
    if sms.settings() is None:
        return 0
    council = db.session.get(Council, meeting.council_id)
    queued = 0
    for meeting_pass, member in db.session.execute(
            select(MeetingPass, Member).join(Member, Member.id == MeetingPass.member_id).where(
                MeetingPass.meeting_id == meeting.id, MeetingPass.mailed_at.is_(None), Member.email.is_(None))).all():
        number = number_for(meeting, member)
        if number is None:
            continue
        url = personal_link(council, meeting_pass)
        with force_locale(council.locale):
            text = _("%(council)s: %(title)s, %(when)s. Your personal link (do not pass it on): %(url)s Badge code: "
                     "%(code)s", council=council.name, title=meeting.title,
                     when=moment_text(meeting.scheduled_at, council.timezone), url=url, code=meeting_pass.code)
        sms.queue(number, text, "meeting_link", member.id)
        meeting_pass.mailed_at = utcnow()  # sent: by the worker, through the council's provider
        queued += 1
    return queued


@handles("meeting.links")
def _on_links(event, keep) -> None:
    only = event.payload.get("member_id")
    mail_links(uuid.UUID(event.payload["meeting_id"]), keep, only=uuid.UUID(only) if only else None)


def mail_links(meeting_id: uuid.UUID, keep=None, *, only: uuid.UUID | None = None) -> int:
    """E-mail the links not sent yet (``only`` one person's), each claimed as it goes (a retry after a failure
    sends only the rest)."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        return 0
    council = db.session.get(Council, meeting.council_id)
    body = db.session.get(Body, meeting.body_id)
    waiting = select(MeetingPass, Member).join(Member, Member.id == MeetingPass.member_id).where(
        MeetingPass.meeting_id == meeting.id, MeetingPass.mailed_at.is_(None), Member.email.is_not(None))
    if only is not None:
        waiting = waiting.where(MeetingPass.member_id == only)
    waiting = db.session.execute(waiting).all()
    sent = 0
    for meeting_pass, member in waiting:
        # Claimed before it is sent: of two runs at once (two clicks on "send"), one sends each link.
        claimed = db.session.execute(update(MeetingPass).where(MeetingPass.id == meeting_pass.id,
                                                               MeetingPass.mailed_at.is_(None))
                                     .values(mailed_at=utcnow()).execution_options(synchronize_session=False))
        if not claimed.rowcount:
            continue
        url = personal_link(council, meeting_pass)
        with force_locale(council.locale):
            subject = _("Your link to the meeting: %(title)s", title=meeting.title)
            text = _("%(body)s meets: %(title)s, on %(when)s.\n\nYour personal link to follow the meeting, be "
                     "counted present online where the by-laws allow it, vote and ask for the floor from your "
                     "phone (do not pass it on: it stands for you):\n%(url)s\n\nYour badge code at the desk: "
                     "%(code)s\n", body=body.name, title=meeting.title,
                     when=moment_text(meeting.scheduled_at, council.timezone), url=url,
                     code=meeting_pass.code)
        deliver(build_message(member.email, subject, text))
        sent += 1
        if keep is not None and sent % 50 == 0:
            keep()
    return sent


def pass_of(meeting: Meeting, member_id: uuid.UUID) -> MeetingPass | None:
    return db.session.scalar(select(MeetingPass).where(MeetingPass.meeting_id == meeting.id,
                                                       MeetingPass.member_id == member_id))


# What a phone's requests read of the pass's holder (the rest, personal data a ballot has no use for, is loaded
# only if something asks: half the columns of the phones' hottest query).
_HOLDER_COLUMNS = load_only(Member.id, Member.member_no, Member.kind, Member.status, Member.name)


def _pass_with(meeting_pass_id: uuid.UUID, *more):
    """The select of a pass, its meeting and its holder (the meeting's body brought into the session: every phone
    request asks for it next, and finds it there), with ``more`` columns the caller joins."""
    return (select(MeetingPass, Meeting, Member, *more)
            .join(Meeting, Meeting.id == MeetingPass.meeting_id)
            .join(Member, Member.id == MeetingPass.member_id)
            .join(Body, Body.id == Meeting.body_id)
            .options(contains_eager(Meeting.body), _HOLDER_COLUMNS)
            .where(MeetingPass.id == meeting_pass_id))


def holder_of(token: str, *, confirming: bool = False, confirmed_only: bool = False
              ) -> tuple[MeetingPass, Meeting, Member]:
    """The pass a personal link's key names, its meeting and its holder (NotFound for any other key); where the
    by-laws ask for it, only for a phone that confirmed its holder (ConfirmationNeeded), unless ``confirming``.
    ``confirmed_only``: a confirmed phone's whatever the by-laws (what outlives the meeting, a member's passkey)."""
    pass_id, confirmed = _read(token)
    found = pass_for(pass_id)
    if confirmed_only and not confirmed:
        raise ConfirmationNeeded(_("Confirm it is you first, with the code sent to your phone or your passkey."))
    if not confirming:
        _confirmed_or_refused(confirmed, found[1])
    return found


def pass_for(meeting_pass_id: uuid.UUID) -> tuple[MeetingPass, Meeting, Member]:
    """A pass, its meeting and its holder, in one round trip."""
    found = db.session.execute(_pass_with(meeting_pass_id)).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def pass_and_vote(token: str, vote_id: uuid.UUID) -> tuple[MeetingPass, Meeting, Member, meetings.Vote]:
    """:func:`holder_of` and the vote ``vote_id`` of the pass's meeting, in the same round trip (a phone's ballot,
    the hot path of a 1,500-phone vote); NotFound for a vote of another meeting as for a wrong pass."""
    pass_id, confirmed = _read(token)
    vote, item = meetings.Vote, meetings.AgendaItem
    found = db.session.execute(
        _pass_with(pass_id, vote, item.id)
        .outerjoin(vote, vote.id == vote_id)
        .outerjoin(item, (item.id == vote.agenda_item_id) & (item.meeting_id == Meeting.id))).first()
    if found is None or found[4] is None:
        raise NotFound(_("Not found."))
    _confirmed_or_refused(confirmed, found[1])
    return found[0], found[1], found[2], found[3]


# --- confirming the holder (where the by-laws ask for it) -------------------------------------------------------


def number_for(meeting: Meeting, member: Member) -> str | None:
    """The mobile number a link or a code for this pass goes to: the member's; for an institution, that of the
    representative it attends through on the meeting's day (:func:`_representative`), else the institution's."""
    if member.kind is MemberKind.INSTITUTIONAL:
        try:
            attends_through = _representative(meeting, member)
        except Invalid:
            attends_through = None  # no valid mandate: the institution's own number, if it has one
        representative = db.session.get(Representative, attends_through) if attends_through else None
        if representative is not None and representative.mobile:
            return representative.mobile
    return mobile_number(member.phone)


def send_code(meeting_pass: MeetingPass, meeting: Meeting, member: Member) -> str:
    """Text a code to the holder's number on file; the number's last digits (for the page to say where it went).
    Only where the by-laws ask for it and while the meeting can still be joined: a code costs the council."""
    if not confirmation_needed(meeting) or meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict({"code": [_("This meeting asks for no code.")]})
    number = number_for(meeting, member)
    if number is None:
        raise Conflict({"code": [_("No mobile number of yours is on file: show your badge at the desk, or ask the "
                                   "council to add your number.")]})
    if sms.settings() is None:
        raise Conflict({"code": [_("The council sends no SMS: show your badge at the desk.")]})
    code = meeting_pass.code_to_send()
    council = db.session.get(Council, meeting.council_id)
    with force_locale(council.locale):
        text = _("%(council)s: %(code)s is your code to take part in %(title)s. It is good for 5 minutes; do not "
                 "tell it to anyone.", council=council.name, code=code, title=meeting.title)
    sms.queue(number, text, sms.SIGN_IN_CODE, member.id)
    record("meeting.confirmation_code_sent", meeting, {"member": str(member.id)})
    return number[-2:]


def confirm_with_code(meeting_pass: MeetingPass, meeting: Meeting, member: Member, typed: str) -> str | None:
    """The code typed back: the confirmed phone's key, or None (a wrong try counts, and is audited). The pass is
    locked first: two tries at once take their turns."""
    lock(meeting_pass)
    if not meeting_pass.use_code(typed):
        record("meeting.confirmation_refused", meeting, {"how": "sms", "member": str(member.id)})
        return None
    record("meeting.holder_confirmed", meeting, {"how": "sms", "member": str(member.id)})
    return confirmed_token(meeting_pass)


def pass_by_code(meeting: Meeting, typed: str) -> MeetingPass:
    meeting_pass = db.session.scalar(select(MeetingPass).where(MeetingPass.meeting_id == meeting.id,
                                                               MeetingPass.code == normalised_code(typed)))
    if meeting_pass is None:
        raise Invalid({"code": [_("No badge of this meeting has this code.")]})
    return meeting_pass


def _representative(meeting: Meeting, member: Member) -> uuid.UUID | None:
    """The representative an institution attends through on the day (the first whose mandate is valid)."""
    if member.kind is not MemberKind.INSTITUTIONAL:
        return None
    for rep in in_order(db.session.scalars(select(Representative).where(Representative.member_id == member.id)
                                  )):
        if rep.valid_on(meeting.day):
            return rep.id
    raise Invalid({"representative_id": [_("The institution has no representative with a valid mandate letter "
                                           "on the meeting's day.")]})


def attending(meeting: Meeting, member_id: uuid.UUID) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                      Attendance.member_id == member_id,
                                                      Attendance.left_at.is_(None)))


def join_online(meeting_pass: MeetingPass, meeting: Meeting, member: Member) -> Attendance:
    """The phone page opens (or gives a sign of life after a lost connection): the person is checked in as
    online unless they are here already (in the room, or online). Refused while the desk holds them out."""
    if meeting_pass.held_out_at is not None:
        raise Conflict({"meeting": [_("The desk checked you out of the meeting. Ask the desk to let you back in.")]})
    meeting_pass.left_at = None
    here = attending(meeting, member.id)
    if here is None:
        here = meetings.check_in(meeting, member, online=True, representative_id=_representative(meeting, member))
    meeting_pass.last_seen_at = utcnow()  # after the arrival: this attendance is the phone's
    return here


def sign_of_life(meeting_pass: MeetingPass, meeting: Meeting, member: Member, arrival: Attendance | None) -> bool:
    """The open phone page says it is still there; returns whether the person is in the meeting now. One who
    was checked out for silence is checked in again; one who left from the phone stays out. ``arrival``: their
    :func:`attending` now, which the caller looked up (1,500 phones give a sign every few seconds)."""
    if meeting.status is MeetingStatus.CLOSED:
        return False  # a closed meeting's record changes no more, not even a phone's last sign
    if meeting_pass.left_at is not None or meeting_pass.held_out_at is not None:
        meeting_pass.last_seen_at = utcnow()
        return False
    if arrival is not None:
        meeting_pass.last_seen_at = utcnow()
        return True
    problem, _opens = meetings.sitting_window(meeting, parameters_on(meeting.day))
    if problem is not None:
        return False
    join_online(meeting_pass, meeting, member)
    return True


def leave_online(meeting_pass: MeetingPass, meeting: Meeting, member: Member) -> bool:
    """The person leaves from their phone; whether they were in the meeting online (and now are not)."""
    if meeting.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    meeting_pass.left_at = utcnow()
    here = attending(meeting, member.id)
    if here is not None and here.online:
        meetings.check_out(meeting, member)
        return True
    return False


def hold_out(meeting: Meeting, member: Member) -> None:
    """The desk checked this person out: their phone does not bring them back by itself (it says why)."""
    db.session.execute(update(MeetingPass).where(MeetingPass.meeting_id == meeting.id,
                                                 MeetingPass.member_id == member.id)
                       .values(held_out_at=utcnow()).execution_options(synchronize_session=False))


def let_back(meeting: Meeting, member: Member) -> None:
    """The desk checks this person in again: whatever held their phone out is lifted."""
    db.session.execute(update(MeetingPass).where(MeetingPass.meeting_id == meeting.id,
                                                 MeetingPass.member_id == member.id,
                                                 MeetingPass.held_out_at.is_not(None))
                       .values(held_out_at=None).execution_options(synchronize_session=False))


def check_in_by_code(meeting: Meeting, typed: str) -> Member:
    """The desk scans or types a badge's code: that person is checked in, in the room."""
    meeting_pass = pass_by_code(meeting, typed)
    member = db.session.get(Member, meeting_pass.member_id)
    here = attending(meeting, member.id)
    representative, stands_in_for = _representative(meeting, member), None
    if here is not None and here.online:
        # Came into the room after following online: one attendance, in person, in the same capacity (the same
        # representative, the same seat stood in for).
        representative, stands_in_for = here.representative_id or representative, here.stands_in_for_id
        meetings.check_out(meeting, member)
    meetings.check_in(meeting, member, online=False, representative_id=representative,
                      stands_in_for_id=stands_in_for)
    return member


def check_out_silent(now: datetime | None = None) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Check out the online participants whose phone went silent too long (the bound council's open meetings);
    returns who, meeting by meeting (only meetings where someone was).

    :func:`konsey.core.rules.meetings.silent_too_long` in one conditional UPDATE, so that a sign of life
    committed meanwhile is never overruled. Only a phone's presence falls silent: an attendance the phone gave a
    sign of life during (its last sign at or after the arrival). Someone the desk checked in as online (a video
    call, say) whose link was never opened, or who was checked in again since the phone's last sign, stays."""
    now = now or utcnow()
    dropped: dict[uuid.UUID, int] = {}
    online_now = select(Attendance.meeting_id).where(Attendance.online, Attendance.left_at.is_(None))
    for meeting in db.session.scalars(select(Meeting).where(Meeting.status != MeetingStatus.CLOSED,
                                                            Meeting.id.in_(online_now))).all():
        cutoff = now - timedelta(seconds=parameters_on(meeting.day)["online_presence_timeout_seconds"])
        silent = select(MeetingPass.id).where(
            MeetingPass.meeting_id == Attendance.meeting_id, MeetingPass.member_id == Attendance.member_id,
            MeetingPass.last_seen_at < cutoff, MeetingPass.last_seen_at >= Attendance.arrived_at).exists()
        gone = db.session.scalars(
            update(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.online,
                                     Attendance.left_at.is_(None), silent)
            .values(left_at=now).returning(Attendance.member_id).execution_options(synchronize_session=False)).all()
        if gone:
            dropped[meeting.id] = list(gone)
    return dropped


def badges_pdf(meeting: Meeting) -> bytes:
    """Attendance badges, 8 to an A4 page (2 × 4): the person, the meeting, a QR code of the pass's code and the
    code in letters for typing; in the council's language, whoever prints them."""
    council = db.session.get(Council, meeting.council_id)
    with force_locale(council.locale):
        return _badges(meeting, council)


def _badges(meeting: Meeting, council: Council) -> bytes:
    import segno  # here: only the badges need it (as fpdf2 for PDFs, it is slow to import)

    body = db.session.get(Body, meeting.body_id)
    rows = db.session.execute(select(MeetingPass.code, Member.name).join(Member, Member.id == MeetingPass.member_id)
                              .where(MeetingPass.meeting_id == meeting.id).order_by(Member.sort_name)).all()
    pdf = a4_document(first_page=False, title=_("Attendance badges: %(body)s — %(meeting)s", body=body.name,
                                                 meeting=meeting.title), author=council.name)
    pdf.set_auto_page_break(False)
    width, height = 105, 297 / 4
    for index, (code, name) in enumerate(rows):
        if index % 8 == 0:
            pdf.add_page()
        x, y = (index % 2) * width, ((index % 8) // 2) * height
        pdf.set_draw_color(180, 180, 180)
        pdf.rect(x + 2, y + 2, width - 4, height - 4)
        picture = io.BytesIO()
        segno.make_qr(code, error="m").save(picture, kind="png", scale=6, border=2)
        picture.seek(0)
        # Described for a screen reader: the one part of the sheet that is no text (fpdf2 tags an image that has
        # an alternative text; it writes no tags for text, so the rest of the sheet stays untagged).
        pdf.image(picture, x=x + 6, y=y + 12, w=44, h=44, alt_text=_("The badge's QR code, for the desk's camera"))
        pdf.set_xy(x + 54, y + 10)
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(width - 60, 4, council.name, new_x="LEFT", new_y="NEXT")
        pdf.set_x(x + 54)
        pdf.multi_cell(width - 60, 4, f"{body.name} — {meeting.title}", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x + 54, y + 32)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width - 60, 6, name, new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x + 54, y + 52)
        pdf.set_font("DejaVu", "B", 14)
        pdf.cell(width - 60, 8, f"{code[:4]} {code[4:]}")
    if not rows:
        pdf.add_page()
        pdf.set_font("DejaVu", "", 12)
        pdf.cell(0, 10, _("No passes issued yet."))
    return bytes(pdf.output())


@dataclass
class PassesSummary:
    issued: int
    mailed: int
    online_now: int
    without_email: int  # pass holders no link can reach: they get their badge code at the desk


def summary(meeting: Meeting) -> PassesSummary:
    online = select(func.count(Attendance.id)).where(
        Attendance.meeting_id == meeting.id, Attendance.online, Attendance.left_at.is_(None)).scalar_subquery()
    issued, mailed, online_now, without_email = db.session.execute(  # one statement: the desk counts them
        select(func.count(MeetingPass.id), func.count(MeetingPass.mailed_at), online,
               func.count(case((Member.email.is_(None), 1))))
        .join(Member, Member.id == MeetingPass.member_id)
        .where(MeetingPass.meeting_id == meeting.id)).one()
    return PassesSummary(issued, mailed, online_now or 0, without_email or 0)
