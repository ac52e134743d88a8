"""The attendance list (*hazırun cetveli*) of a meeting, as a PDF for the hall and the record.

Before the opening it lists everyone entitled to sit (an institution with its representative of the day), each
with a signature box for the hall; during and after the meeting the same list says who came, when they arrived
and left, and how (in the hall, online). Numbered pages, a heading and a footer on each, so a page that comes
loose is still known."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.formats import clock_text, moment_text
from konsey.core.labels import label
from konsey.core.meetings import Attendance, Meeting, MeetingStatus, eligible_members, substitutes
from konsey.core.membership import Member, MemberKind, in_order
from konsey.core.minutes import a4_document
from konsey.core.representatives import Representative
from konsey.core.text import turkish_sort_key, turkish_upper
from konsey.tenants.db import db
from konsey.tenants.models import Council


def _representatives(meeting: Meeting, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each institution's representative of the meeting's day (the first whose mandate is valid then)."""
    found: dict[uuid.UUID, str] = {}
    for rep in in_order(db.session.scalars(select(Representative).where(Representative.member_id.in_(ids or [None]))
                                  )):
        if rep.member_id not in found and rep.valid_on(meeting.day):
            found[rep.member_id] = rep.name
    return found


def entries(meeting: Meeting) -> list[dict]:
    """One line per person entitled to sit, in Turkish alphabetical order: the name (an institution with its
    representative), the capacity, and their spells in the meeting (arrived, left, online)."""
    body = db.session.get(Body, meeting.body_id)
    bylaws = parameters_on(meeting.day)
    principals = eligible_members(body, meeting.day, bylaws)
    entitled = principals | substitutes(body, meeting.day)
    spells: dict[uuid.UUID, list[Attendance]] = {}
    for attendance in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                                         .order_by(Attendance.arrived_at)):
        spells.setdefault(attendance.member_id, []).append(attendance)
    people = db.session.scalars(select(Member).where(Member.id.in_(list(entitled | set(spells)) or [None]))).all()
    representatives = _representatives(meeting, [m.id for m in people if m.kind is MemberKind.INSTITUTIONAL])
    lines = []
    for member in sorted(people, key=lambda m: turkish_sort_key(m.name)):
        name = member.name
        if member.id in representatives:
            name = f"{member.name} — {representatives[member.id]}"
        capacity = _("substitute") if member.id in entitled - principals else label(member.category)
        lines.append({"name": name, "capacity": capacity, "spells": spells.get(member.id, [])})
    return lines


def attendance_list_pdf(meeting: Meeting) -> bytes:
    """The list as a PDF: a signature box per line; once people have come, their times and how they attended."""
    council = db.session.get(Council, meeting.council_id)
    body = db.session.get(Body, meeting.body_id)
    zone = council.timezone
    # (No _() inside f-strings: the message extractor cannot see them there.)
    named, date_label, place_label = _("Attendance list"), _("Date"), _("Place")
    title = f"{turkish_upper(council.name)} — {named}"
    pdf = a4_document(first_page=False, footer=f"{body.name} · {meeting.title} · {named}",
                      title=f"{body.name} — {named}: {meeting.title}", author=council.name)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5.5, f"{body.name} — {meeting.title} ({label(meeting.kind)})", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5.5, f"{date_label}: {moment_text(meeting.scheduled_at, zone)}"
                   + (f" · {place_label}: {meeting.location}" if meeting.location else ""),
                   new_x="LMARGIN", new_y="NEXT")
    lines = entries(meeting)
    came = sum(1 for line in lines if line["spells"])
    started = meeting.opened_at is not None or meeting.status is MeetingStatus.CLOSED or came
    pdf.multi_cell(0, 5.5, _("%(n)d entitled to sit; %(came)d came.", n=len(lines), came=came) if started
                   else _("%(n)d entitled to sit.", n=len(lines)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 8.5)
    if started:
        headings = ("No", _("Name"), _("Capacity"), _("Arrived"), _("Left"), _("How"), _("Signature"))
        widths = (8, 56, 30, 15, 15, 30, 36)
    else:
        headings = ("No", _("Name"), _("Capacity"), _("Signature"))
        widths = (8, 74, 38, 70)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=6, first_row_as_headings=True,
                   repeat_headings=1) as table:
        table.row(headings)
        for number, line in enumerate(lines, start=1):
            cells = [str(number), line["name"], line["capacity"]]
            if started:
                spells = line["spells"]
                arrived = clock_text(spells[0].arrived_at, zone) if spells else ""
                last = spells[-1] if spells else None
                left = clock_text(last.left_at, zone) if last is not None and last.left_at else ""
                how = ", ".join(dict.fromkeys(_("online") if s.online else _("in the hall") for s in spells))
                cells += [arrived, left, how]
            table.row([*cells, ""])
    return bytes(pdf.output())
