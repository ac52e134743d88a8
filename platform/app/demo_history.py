"""A year in the life of a demo council: board meetings every month, two general assemblies, votes with
numbered decisions, a working group approved by the assembly with its report, motions in every state
(answered, overdue, queued), applications waiting, money, and meetings coming up.

Made with the core's own services (so every rule holds: notice, quorum, majorities, numbering), with the
clock set back where a service takes one. Differences between councils come from the seed: each council's
attendance, results and follow-up differ, so the federation has something to compare."""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from konsey.core import (
    follow_up,
    meeting_record,
    meetings,
    money,
    motions,
    passes,
    presiding,
    reports,
    representatives,
    sealed_boxes,
    seats,
    speakers,
    votes,
)
from konsey.core.applications import KVKK_NOTICE_VERSION
from konsey.core.bodies import Body, BodyKind, create_body
from konsey.core.bylaws import ByLawProfile, parameters_on
from konsey.core.errors import Conflict, Invalid
from konsey.core.meetings import Meeting, MeetingStatus
from konsey.core.membership import Gender, Member, MemberKind, MemberStatus
from konsey.core.municipal_calendar import MunicipalMeetingKind
from konsey.core.outbox import OutboxEvent
from konsey.core.rules import follow_up as follow_up_rules
from konsey.core.seats import SeatRole
from konsey.tenants.db import as_of, as_utc, db
from konsey.tenants.models import council_midnight, council_today
from konsey.usecases.applications import start_review, submit_application

BOARD_ITEMS = ["Aylık faaliyet raporu", "Bütçe izleme", "Çalışma gruplarının önerileri", "Etkinlik takvimi",
               "Basın açıklaması", "Gönüllü çağrısı"]
ASSEMBLY_ITEMS = [
    ("Ulaşım Çalışma Grubunun kurulması", "group"),
    ("Bisiklet yolu ağının genişletilmesi önerisi", "motion"),
    ("Mahalle parklarının aydınlatılması önerisi", "motion"),
    ("Kent arşivinin açılması önerisi", "motion"),
]


def _at(day: date, hour: int = 18) -> datetime:
    return datetime.combine(day, time(hour - 3, 0), tzinfo=UTC)  # 18:00 in İstanbul (UTC+3)


def _sealed_vote(meeting: Meeting, body: Body, item, online: list[Member], rng: random.Random,
                 share: float) -> meetings.Vote:
    """A secret vote with sealed ballots, as its people's devices run it (opencount's reference side standing in
    for their browsers): the presiding board makes the key, the phones seal their ballots, the board signs the
    hall's paper counts, the desk closes, two keyholders open the count, the vote is judged. Its record is public."""
    from opencount import box as protocol

    vote = votes.open_vote(meeting, body, item, meetings.VoteKind.SECRET, sealed=True)
    box = sealed_boxes.call(meeting.id, [member.id for _seat, member in presiding.board(meeting)], 2,
                            sealed_boxes.VOTE_OPTIONS, 1, 1, vote_id=vote.id)
    holders = sealed_boxes.keyholders(box)
    devices = {h.index: protocol.Keyholder(str(box.id), h.index, box.threshold) for h in holders}
    for holder in holders:
        sealed_boxes.give_transport_key(box, holder, devices[holder.index].transport_key.hex())
    the_box, keys = bytes.fromhex(box.statement), {i: d.transport_key for i, d in devices.items()}
    dealings = {i: d.dealing(keys, the_box) for i, d in devices.items()}
    for holder in holders:
        sealed_boxes.give_dealing(box, holder, dealings[holder.index])
    for holder in holders:
        sealed_boxes.confirm_share(box, holder, devices[holder.index].receive(dealings, the_box, keys)["proof"])
    key = bytes.fromhex(box.public_key)
    for member in online:
        marks = [1, 0, 0] if rng.random() < share else rng.choice([[0, 1, 0], [0, 0, 1]])
        with suppress(Invalid):  # where online presence does not count, who follows online does not vote
            seat = votes.cast(vote, meeting, body, member, None, meetings.Channel.PHONE, sealed=True)
            ballot = protocol.seal(str(box.id), the_box, key, marks, 1, 1)
            sealed_boxes.drop(box, seat, ballot, protocol.tracker(ballot))
    voters = votes.hall_capacity(vote, meeting, body)
    yes = max(0, min(voters, round(voters * share)))
    no = rng.randint(0, voters - yes)
    paper = [yes, no, voters - yes - no]
    for holder in holders[:2]:
        sealed_boxes.sign_paper(box, holder, paper, voters, devices[holder.index].sign_paper(paper, voters))
    votes.record_counts(vote, meeting, body, yes=yes, no=no, abstain=voters - yes - no)
    votes.check_closable(vote, meeting, body)
    sealed_boxes.seal_board(box)
    sums = [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in box.sums]
    for holder in holders[:2]:
        sealed_boxes.give_decryption(box, holder, devices[holder.index].decrypt(box.fingerprint, sums))
    votes.close_vote(vote, meeting, body, chair_vote="yes",
                        sealed_counts=dict(zip(sealed_boxes.VOTE_OPTIONS, box.result["sealed"], strict=True)))
    return vote


def _hold(body: Body, title: str, day: date, items: list[str], present: list[Member], rng: random.Random,
          *, yes_share: float, sealed_last: bool = False) -> list[meetings.Vote]:
    """Call a meeting (notice respected: called three weeks before), check people in, vote each item by show
    of hands (the last with sealed ballots, ``sealed_last``), close it. Returns the votes."""
    # As it happened: called three weeks before, held on its evening (the platform's clock set back for it).
    with as_of(_at(day) - timedelta(days=21)):
        meeting = meetings.schedule(body, meetings.MeetingKind.ORDINARY, title, _at(day), "Kent Konseyi Salonu",
                                    items, now=_at(day) - timedelta(days=21))
    with as_of(_at(day)):
        online = [member for member in present if rng.random() < 0.1]
        for member in present:
            meetings.check_in(meeting, member, online=member in online)
        board = presiding.has_board(meeting)
        if board:  # a general assembly opens: its presiding board elected, its agenda adopted, by the hall
            for step in (lambda: presiding.propose(meeting, body, present[0].id, [present[1].id],
                                                   [present[2].id, present[3].id]),
                         lambda: presiding.put_agenda_to_vote(meeting, body)):
                vote = step()
                votes.record_counts(vote, meeting, body, yes=votes.hall_capacity(vote, meeting, body), no=0,
                                       abstain=0)
                votes.close_vote(vote, meeting, body)
                presiding.vote_closed(meeting, vote)
        agenda = db.session.scalars(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id,
                                                                      meetings.AgendaItem.position > 0)
                                    .order_by(meetings.AgendaItem.position)).all()
        held = []
        for item in agenda:
            share = yes_share + rng.uniform(-0.15, 0.15)
            if sealed_last and board and item is agenda[-1]:
                held.append(_sealed_vote(meeting, body, item, online, rng, share))
                continue
            # One vote: those online from their phones, the room by a show of hands the tellers count.
            vote = votes.open_vote(meeting, body, item, meetings.VoteKind.OPEN)
            for member in online:
                choice = meetings.Choice.YES if rng.random() < share else rng.choice([meetings.Choice.NO,
                                                                                       meetings.Choice.ABSTAIN])
                with suppress(Invalid):  # where online presence does not count, who follows online does not vote
                    votes.cast(vote, meeting, body, member, choice, meetings.Channel.PHONE)
            voters = votes.hall_capacity(vote, meeting, body)
            yes = max(0, min(voters, round(voters * share)))
            no = rng.randint(0, voters - yes)
            votes.record_counts(vote, meeting, body, yes=yes, no=no, abstain=voters - yes - no)
            votes.close_vote(vote, meeting, body, chair_vote="yes")
            held.append(vote)
        meetings.close_meeting(meeting)
        if board:  # the board approves the minutes: frozen, and the meeting's signed archive sealed
            version = meeting_record.draw_up(meeting)
            for member in present[:4]:
                meeting_record.approve(meeting, version, member)
        return held


def _numbered(votes) -> int:
    return sum(1 for vote in votes if vote.decision_number)


def seed_history(slug: str, today: date | None = None) -> dict:
    """A year of the bound council's life, ending today. Returns counts for the start-up lines."""
    today = today or council_today()
    rng = random.Random(f"history:{slug}")
    year_ago = today - timedelta(days=365)
    active = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                .order_by(Member.sort_name)).all()
    for member in active:
        member.joined_on = year_ago - timedelta(days=rng.randint(30, 900))
    people = [m for m in active if m.kind is MemberKind.INDIVIDUAL]
    # The council joined Konsey before this year: its first by-laws are not dated today (a version the desk
    # adopts from today on is then a new one, not a clash with the first).
    for profile in db.session.scalars(select(ByLawProfile).where(ByLawProfile.effective_from == today)):
        profile.effective_from = year_ago - timedelta(days=60)
    bodies = {b.kind: b for b in db.session.scalars(select(Body))}
    board, assembly = bodies[BodyKind.EXECUTIVE_BOARD], bodies[BodyKind.GENERAL_ASSEMBLY]

    # The executive board: nine principals with parity, two substitutes, for the whole year.
    women = [m for m in people if m.gender is Gender.FEMALE]
    men = [m for m in people if m.gender is Gender.MALE]
    principals = women[:5] + men[:4]
    for member in principals:
        seats.assign_seat(board, member, SeatRole.PRINCIPAL, year_ago, None)
    for member in (women[5], men[4]):
        seats.assign_seat(board, member, SeatRole.SUBSTITUTE, year_ago, None)

    # Every month, a board meeting; attendance differs by council (its seed).
    diligence = rng.uniform(0.6, 0.95)
    decisions = 0
    for month in range(11, 0, -1):
        day = today - timedelta(days=30 * month + rng.randint(0, 5))
        present = [m for m in principals if rng.random() < diligence] or principals[:5]
        if len(present) < 5:
            present = principals[:5]
        decisions += _numbered(_hold(board, f"Yürütme Kurulu {day.strftime('%m/%Y')} toplantısı", day,
                               rng.sample(BOARD_ITEMS, 2), present, rng, yes_share=0.8))

    # Two general assemblies; the first approves a working group, the second sends motions.
    group = create_body(BodyKind.WORKING_GROUP, "Ulaşım Çalışma Grubu", "YK kararı")
    turnout = rng.uniform(0.55, 0.85)
    voters = [m for m in active if m.kind is MemberKind.INDIVIDUAL]
    needed = len(active) // 2 + 1
    first_day, second_day = today - timedelta(days=300), today - timedelta(days=120)
    first = _hold(assembly, "Olağan Genel Kurul (bahar)", first_day, [ASSEMBLY_ITEMS[0][0], ASSEMBLY_ITEMS[1][0]],
                  voters[:max(needed, int(len(voters) * turnout))], rng, yes_share=0.85)
    seats.approve_body(group, first[0], votes.meeting_of_vote(first[0]))
    group_members = rng.sample(people, 7)
    for member in group_members:
        seats.assign_seat(group, member, SeatRole.PRINCIPAL, first_day + timedelta(days=7), None)
    # The group's seat in the general assembly (rule 5) and who attends it: the full membership grew by one.
    representatives.appoint(seats.group_seat(group), representatives.Capacity.REPRESENTATIVE, group_members[0].name,
                            "Çalışma grubunun temsilci kararı", today + timedelta(days=365))
    needed = (len(active) + 1) // 2 + 1
    second = _hold(assembly, "Olağan Genel Kurul (sonbahar)", second_day,
                   [ASSEMBLY_ITEMS[2][0], ASSEMBLY_ITEMS[3][0]],
                   voters[:max(needed, int(len(voters) * (turnout - 0.1)))], rng, yes_share=0.75, sealed_last=True)
    decisions += _numbered(first) + _numbered(second)

    # The working group's report, approved and sent to the board.
    report = reports.draft(group, "Toplu ulaşım erişilebilirlik raporu",
                           "Duraklar, rampalar ve sesli anonslar üzerine saha çalışmasının bulguları.")
    reports.approve(report)
    reports.send_to_board(report)

    # The municipal council's calendar: it meets on the first Wednesday of each month (Law 5393 art. 20), and
    # held one extraordinary meeting; the motions' due dates come from it.
    for year in {first_day.year, today.year}:
        follow_up.add_many([(day, MunicipalMeetingKind.REGULAR)
                            for day in follow_up_rules.regular_meeting_days(year, weekday=2, week=1)])
    follow_up.add_many([(first_day + timedelta(days=45), follow_up.MunicipalMeetingKind.EXTRAORDINARY)])

    # Motions: the spring one answered, the autumn ones overdue or answered, one delivered last week.
    adopted = [v for v in (first[1], second[0], second[1]) if v.decision_number]
    made = []
    for vote in adopted:
        item = db.session.get(meetings.AgendaItem, vote.agenda_item_id)
        motion = motions.adopt(vote, item.title, f"Genel Kurul kararı ({vote.decision_number}): {item.title}.")
        # Adopted the evening of the assembly that took the decision, not the day the demo was made: then
        # delivered, then answered, in that order.
        sat = db.session.get(meetings.Meeting, item.meeting_id).scheduled_at
        motion.adopted_at = motion.changed_at = sat + timedelta(hours=3)
        made.append(motion)
    for motion, delivered, answered in zip(made, (first_day + timedelta(days=10), second_day + timedelta(days=8),
                                                  today - timedelta(days=6)), (True, False, False), strict=False):
        motions.advance(motion, motions.MotionStatus.DELIVERED, delivered_on=delivered)
        if answered:
            decided = min(motions.answer_due(motion) + timedelta(days=rng.choice([0, 0, 28])), today)
            motions.record_answer(motion, motions.MunicipalAnswer.ACCEPTED, "Belediye meclisi görüştü ve kabul etti.",
                                  decided, f"{delivered.year}/{rng.randint(100, 600)}")
            # What the municipality did with it since: planned, started, and in some councils done.
            steps = [(follow_up.MilestoneState.PLANNED, decided + timedelta(days=10), "Fen İşleri programına alındı."),
                     (follow_up.MilestoneState.IN_PROGRESS, decided + timedelta(days=40), "İhale yapıldı, iş başladı.")]
            if rng.random() < 0.5:
                steps.append((follow_up.MilestoneState.DONE, decided + timedelta(days=90), "Tamamlandı."))
            for state, day, note in steps:
                if day <= today:
                    follow_up.add_milestone(motion, state, day, note, today=today)

    # Each motion last changed when its last step happened "back then" (the writes above are all of today).
    db.session.flush()
    for motion in made:
        steps = db.session.scalars(select(follow_up.ImplementationMilestone.day).where(
            follow_up.ImplementationMilestone.motion_id == motion.id)).all()
        days = [d for d in (motion.delivered_on, motion.municipal_decided_on, *steps) if d is not None]
        latest = max([as_utc(motion.adopted_at)] + [council_midnight(d) + timedelta(hours=12) for d in days])
        db.session.execute(update(motions.Motion).where(motions.Motion.id == motion.id).values(changed_at=latest))
    money.add(money.BudgetAllocation(year=today.year, amount=Decimal(rng.randrange(250_000, 900_000, 5_000)),
                                     municipal_decision=f"Belediye Meclisi {today.year}/{rng.randint(10, 60)}"))
    money.add(money.InKindSupport(year=today.year, kind=money.InKindKind.OFFICE, description="Belediye hizmet binası",
                                  estimated_value=Decimal("120000")))
    for n in range(6):
        money.add(money.Expense(spent_on=today - timedelta(days=40 * n + 3), amount=Decimal(rng.randrange(2_000, 40_000)),
                                category=rng.choice(list(money.ExpenseCategory)),
                                description=rng.choice(["Çalıştay", "Afiş baskısı", "Salon düzeni", "Ulaşım"])))

    # The worker must not send a year of invitations and deliveries now: that happened "back then".
    db.session.execute(update(OutboxEvent).where(OutboxEvent.completed_at.is_(None))
                       .values(completed_at=datetime.now(UTC)).execution_options(synchronize_session=False))

    # What waits now: the next general assembly and board meeting, applications, a motion to deliver.
    winter = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Olağan Genel Kurul (kış)",
                               _at(today + timedelta(days=18)), "Kültür Merkezi",
                               ["Faaliyet raporu", "Çalışma gruplarının raporları", "Dilek ve öneriler"])
    passes.issue(winter)  # a hybrid assembly: its badges can be printed; the desk sends the links when it chooses
    meetings.schedule(board, meetings.MeetingKind.ORDINARY, "Yürütme Kurulu toplantısı", _at(today + timedelta(days=4)),
                      "Kent Konseyi Salonu", ["Genel kurul hazırlığı"])
    waiting = 0
    for n in range(rng.randint(2, 4)):
        application = submit_application({
            "applicant": {"category": "individual", "name": f"Başvuran {['Aylin', 'Berk', 'Cem', 'Deniz'][n]} Yurt",
                          "email": f"basvuru{n}@{slug}.ornek.org", "birth_date": date(1980 + 3 * n, 5, 17).isoformat(),
                          "tckn": demo_tckn(random.Random(f"{slug} applicant {n}"))},
            "notice_version": KVKK_NOTICE_VERSION, "consents": ["membership"]})
        if n == 0:
            start_review(application.id)
        waiting += 1
    return {"decisions": decisions, "motions": len(made), "applications": waiting}


# --- a meeting sitting now -----------------------------------------------------------------------------------

SITTING_TITLES = {BodyKind.GENERAL_ASSEMBLY: "Olağanüstü Genel Kurul (hibrit)",
                  BodyKind.EXECUTIVE_BOARD: "Yürütme Kurulu olağan toplantısı"}


def sitting_now(slug: str, now: datetime | None = None) -> tuple[Meeting, Member | None]:
    """The bound council's meeting sitting now, made if there is none (whatever the hour the demo starts): it
    began ten minutes ago, called a month before. İzmir's is its general assembly, hybrid: passes issued, most of
    those needed for the quorum in the hall, some online, the first item under discussion and a vote ready to
    open; the other councils', their executive board. Returns it and a member not yet in it (whose phone page
    the start-up lines name)."""
    now = now or datetime.now(UTC)
    kind = BodyKind.GENERAL_ASSEMBLY if slug == "izmir" else BodyKind.EXECUTIVE_BOARD
    body = db.session.scalar(select(Body).where(Body.kind == kind))
    # Today's sitting, where the council is (one that began at 23:20 is yesterday's at 02:00).
    meeting = db.session.scalar(select(Meeting).where(
        Meeting.body_id == body.id, Meeting.title == SITTING_TITLES[kind], Meeting.status != MeetingStatus.CLOSED,
        Meeting.scheduled_at >= council_midnight(council_today()), Meeting.scheduled_at <= now + timedelta(minutes=5)))
    bylaws = parameters_on(council_today())
    eligible = sorted(meetings.eligible_members(body, council_today(), bylaws))
    people = db.session.scalars(select(Member).where(Member.id.in_(eligible), Member.kind == MemberKind.INDIVIDUAL)
                                .order_by(Member.sort_name)).all()
    if meeting is not None:
        here = {a.member_id for a in db.session.scalars(select(meetings.Attendance).where(
            meetings.Attendance.meeting_id == meeting.id, meetings.Attendance.left_at.is_(None)))}
        return meeting, next((m for m in people if m.id not in here), None)
    for stale in db.session.scalars(select(Meeting).where(Meeting.title == SITTING_TITLES[kind],
                                                          Meeting.status != MeetingStatus.CLOSED)):
        with suppress(Conflict):  # yesterday's sitting ends (unless a vote was left open)
            meetings.close_meeting(stale)
    agenda = (["Kent Konseyi Yönetmeliği değişiklik önerisi", "Kentsel dönüşüm komisyonu önerisi", "Dilek ve öneriler"]
              if kind is BodyKind.GENERAL_ASSEMBLY else ["Genel kurul hazırlığı", "Aylık faaliyet raporu"])
    meeting = meetings.schedule(body, meetings.MeetingKind.EXTRAORDINARY if kind is BodyKind.GENERAL_ASSEMBLY
                                else meetings.MeetingKind.ORDINARY, SITTING_TITLES[kind], now - timedelta(minutes=10),
                                "Kent Konseyi Salonu", agenda, now=now - timedelta(days=30))
    passes.issue(meeting)
    needed = meetings.quorum_status(meeting, body)["needed"]
    coming = people[:max(0, min(len(people) - 3, needed + 4))]  # three stay out: one of them joins from a phone
    online = set(m.id for m in coming[::5]) if kind is BodyKind.GENERAL_ASSEMBLY else set()
    for member in coming:
        meetings.check_in(meeting, member, online=member.id in online)
    item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id)
                             .order_by(meetings.AgendaItem.position))
    speakers.take_up(meeting, item)
    return meeting, next((m for m in people if m not in coming), None)


def demo_tckn(rng: random.Random) -> str:
    """A made-up identity number that passes the official check digits (the register's numbers are sealed)."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    digits.append(((sum(digits[0:9:2]) * 7) - sum(digits[1:8:2])) % 10)
    digits.append(sum(digits) % 10)
    return "".join(map(str, digits))
