"""What every screen of a live meeting shows (the desk, the projector, the phones): :func:`state`, the meeting as
plain JSON with its sentences already in the council's language. How it reaches the screens (computed once per
change, versioned, folded, published) is :mod:`konsey.core.live`'s."""

from __future__ import annotations

import hashlib
import json
import time

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.core import floor_motions, meetings, presiding, sealed_boxes, speakers, votes
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.labels import label
from konsey.core.meetings import AgendaItem, Attendance, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.rules import meetings as rules
from konsey.core.seats import full_membership
from konsey.tenants.db import as_utc, db, utcnow
from konsey.tenants.models import Council


def channels_text(vote: Vote, count) -> str:
    """Each channel's turnout in a line ("phones 12 · the hall 31"); a secret vote says no more than this."""
    parts = []
    for channel, turnout in sorted(count.turnout.items()):
        if channel == "paper":
            continue  # inside the hall's counts
        parts.append(_("%(channel)s %(n)d", channel=label(f"channel_{channel}"), n=turnout))
    return " · ".join(parts)


def state(meeting: Meeting) -> dict:
    """The meeting as the live screens show it: in the council's language, one part per thing on the screen."""
    council = db.session.get(Council, meeting.council_id)
    body = db.session.get(Body, meeting.body_id)
    bylaws = parameters_on(meeting.day)  # read once: the quorum, online presence and speaking time all need it
    quorum = meetings.quorum_of(meeting, body, bylaws, full_membership(body, meeting.day, bylaws),
                                meetings.filled_seat_count(meeting, body, bylaws))
    online = db.session.scalar(select(func.count(Attendance.id)).where(
        Attendance.meeting_id == meeting.id, Attendance.left_at.is_(None), Attendance.online)) or 0
    online_counts = rules.online_presence_counts(body.kind.value, bylaws)
    item = speakers.current_item(meeting)
    with force_locale(council.locale):
        speaker, queue = _speakers(meeting, item, bylaws)
        texts = {
            "quorum": (_("Quorum: yes") if quorum["quorum_met"] else _("Quorum: no")) + " · "
            + _("%(needed)d needed", needed=quorum["needed"]),
            "online": (_("%(online)d of them online", online=online) if online_counts
                       else _("%(online)d following online, not counted", online=online)),
            "floor_motions": _floor_motions_waiting(meeting),
        }
        return {
            "meeting_id": str(meeting.id), "status": meeting.status.value, "status_label": label(meeting.status),
            "quorum": {"present": quorum["present"], "needed": quorum["needed"],
                       "full_membership": quorum["full_membership"], "quorum_met": quorum["quorum_met"],
                       "online": online, "online_counts": online_counts},
            "item": {"id": str(item.id), "position": item.position, "title": item.title} if item else None,
            "vote": _latest_vote(meeting, quorum["present"]), "sealed_box": _sealed_box(council, meeting),
            "speaker": speaker, "queue": queue, "floor_motion": _floor_motion_read(meeting),
            "stream_url": meeting.stream_url, "texts": texts,
        }


def _latest_vote(meeting: Meeting, present: int) -> dict | None:
    """The vote opened last: its turnout by channel while open (a secret vote's count only once it closes),
    its count and outcome once closed."""
    latest = db.session.execute(
        select(Vote, AgendaItem).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting.id).order_by(Vote.opened_at.desc()).limit(1)).first()
    if latest is None:
        return None
    vote, voted_item = latest
    count = votes.count_of(vote)
    totals = count.totals  # None for a secret vote until it closes: its turnout is all that is told
    turnout = count.voted
    return {
        "id": str(vote.id), "kind": vote.kind.value, "kind_label": label(vote.kind),
        "open": vote.closed_at is None, "item": presiding.subject_of(vote, voted_item),
        "turnout": turnout,
        "turnout_text": _("%(n)d have voted", n=turnout),
        "channels": channels_text(vote, count),
        "voted_of_present": _("%(voted)d of the %(present)d seats present have voted.", voted=turnout,
                              present=present),
        "yes": totals["yes"] if totals else None, "no": totals["no"] if totals else None,
        "abstain": totals["abstain"] if totals else None,
        "counts_text": _("%(yes)d yes, %(no)d no, %(abstain)d abstaining", **totals) if totals
        else _("The count is shown when the vote closes."),
        "outcome": vote.outcome, "outcome_label": label(vote.outcome) if vote.outcome else None,
        "decision_text": _("Decision no. %(number)s", number=vote.decision_number)
        if vote.decision_number else None,
        "sealed": vote.sealed,
    }


def _speakers(meeting: Meeting, item, bylaws: dict) -> tuple[dict | None, list[dict]]:
    """Who has the floor (with the by-laws' time for their stance) and who waits for it on the current item."""
    speaking = speakers.now_speaking(meeting)
    waiting = speakers.queue(meeting, item)
    names = dict(db.session.execute(select(Member.id, Member.name).where(Member.id.in_(
        [r.member_id for r in waiting] + ([speaking.member_id] if speaking else []) or [None]))).all())
    speaker = None
    if speaking is not None:
        speaker = {"id": str(speaking.id), "name": names.get(speaking.member_id, "?"),
                   "stance_label": label(speaking.stance),
                   "started_at": as_utc(speaking.started_at).isoformat(),
                   "limit_seconds": rules.speaking_limit_seconds(speaking.stance, bylaws)}
    return speaker, [{"id": str(r.id), "name": names.get(r.member_id, "?"), "stance_label": label(r.stance)}
                     for r in waiting]


def _floor_motion_read(meeting: Meeting) -> dict | None:
    """The floor motion the board is reading out, as the projector and the phones show it."""
    reading = floor_motions.being_read(meeting)
    if reading is None:
        return None
    proposer = db.session.get(Member, reading.proposer_id)
    return {"id": str(reading.id), "number": reading.number, "kind_label": label(reading.kind),
            "text": reading.text, "proposer": proposer.name if proposer else "",
            "heading": _("Floor motion no. %(n)d", n=reading.number)}


def _floor_motions_waiting(meeting: Meeting) -> str:
    """The desk hears of floor motions handed in from the phones without reloading its page."""
    pending = db.session.scalar(select(func.count(floor_motions.FloorMotion.id)).where(
        floor_motions.FloorMotion.meeting_id == meeting.id,
        floor_motions.FloorMotion.status.in_([floor_motions.FloorMotionStatus.HANDED_IN,
                                              floor_motions.FloorMotionStatus.READ]))) or 0
    return ngettext("%(num)d floor motion waiting for the board",
                    "%(num)d floor motions waiting for the board", pending) if pending \
        else _("No floor motion is waiting for the board.")


def _sealed_box(council: Council, meeting: Meeting) -> dict | None:
    """A sealed ballot under way: the phones link to its page; its keyholders' phones take their steps there."""
    box = sealed_boxes.under_way(meeting.id)
    if box is None:
        return None
    return {"id": str(box.id), "stage": box.stage.value,
            "path": f"/{council.slug}/remote/m/{meeting.id}/sealed/{box.id}",
            "text": {"keying": _("The presiding board is making the sealed ballot's key."),
                     "open": _("A sealed ballot is open: vote on its page."),
                     "counting": _("The sealed ballot is closed; the board is opening the count."),
                     }[box.stage.value]}


def etag(meeting_state: dict) -> str:
    """The same state, the same tag: a screen polling without change gets 304."""
    return hashlib.sha256(json.dumps(meeting_state, sort_keys=True).encode()).hexdigest()[:32]


def stamped(meeting_state: dict, version: int | None = None) -> dict:
    """The state as sent: with the server's clock (the speaker's timer runs against it) and a version (a screen
    never replaces a state by an older one)."""
    return {**meeting_state, "now": utcnow().isoformat(), "version": version or time.time_ns() // 1000}
