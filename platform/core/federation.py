"""The national federation's indicators: every council at once, by SQL aggregation, with privacy.

Each indicator is computed for all councils in a handful of GROUP BY queries (never a loop over councils),
through the audited escape hatch ``all_councils``. The federation sees aggregates only: a figure computed
from fewer than :data:`MIN_PEOPLE` people is suppressed (``None``), and nothing about a person ever leaves
this module. Children's assembly data stays in its council: the only plugin figures here are the plugins' own
aggregate indicators, suppressed like the rest.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Uuid, case, func, select, text, true
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import reference
from konsey.core.applications import MembershipApplication
from konsey.core.bodies import Body, BodyKind, BodyStatus
from konsey.core.bylaws import ByLawProfile
from konsey.core.follow_up import ImplementationMilestone
from konsey.core.formats import DEFAULT_ZONE
from konsey.core.meetings import Meeting, MeetingStatus
from konsey.core.membership import Gender, Member, MemberKind, MemberStatus
from konsey.core.motions import ORDER, Motion, MotionStatus
from konsey.core.plugins import PluginEnablement, indicator_values, plugin_manager
from konsey.core.rules import follow_up as follow_up_rules
from konsey.core.rules.parity import minimum_per_gender
from konsey.core.seats import VOTING_ROLES, Seat
from konsey.core.text import spreadsheet_safe
from konsey.tenants.db import HasId, as_utc, db, utcnow
from konsey.tenants.models import Council, CouncilStatus, council_today
from konsey.tenants.scoping import all_councils, bound_council

MIN_PEOPLE = 5
MIN_COUNCILS = 5  # an aggregate over councils is shown only when at least this many take part

# code → label; the figures about people (PEOPLE_BASED) are suppressed below MIN_PEOPLE.
INDICATORS = {
    "members": _l("Members"),
    "members_individual": _l("Individual members"),
    "members_institutional": _l("Institutional members"),
    "women_share_members": _l("Share of women among individual members"),
    "women_share_decision_bodies": _l("Share of women in decision bodies"),
    "parity_met_share": _l("Share of decision bodies meeting the parity rule"),
    "ga_sessions_held": _l("General assembly sessions held this year"),
    "ga_sessions_required": _l("General assembly sessions required a year"),
    "quorum_share": _l("Share of meetings that reached quorum"),
    "motions_adopted": _l("Motions adopted"),
    "motions_delivered": _l("Motions delivered"),
    "motions_answered": _l("Motions answered by the municipal council"),
    "median_days_to_answer": _l("Median days to the municipal answer"),
    "motions_overdue": _l("Overdue motions"),
    "answered_in_time_share": _l("Share of answered motions answered by the due date"),
    "implemented_share": _l("Share of answered motions implemented"),
    "working_groups_active": _l("Active working groups"),
    "assemblies_enabled": _l("Assemblies enabled"),
    "median_days_application": _l("Median days to decide an application"),
}
PEOPLE_BASED = {"members", "members_individual", "members_institutional", "women_share_members",
                "women_share_decision_bodies", "parity_met_share", "median_days_application"}
RANKABLE = ("members", "women_share_decision_bodies", "ga_sessions_held", "quorum_share", "motions_adopted",
            "motions_answered", "median_days_to_answer", "motions_overdue", "answered_in_time_share",
            "implemented_share", "working_groups_active")


class FederationSnapshot(HasId, db.Model):
    """A council's indicators on a day: the federation's own aggregate record, for trends."""

    __tablename__ = "federation_snapshots"

    council_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("councils.id", ondelete="CASCADE"))
    taken_on: Mapped[date] = mapped_column(Date)
    indicators: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (db.UniqueConstraint("council_id", "taken_on"), db.Index("ix_federation_snapshots_taken",
                                                                            "taken_on"))


def suppress(value, people: int | None):
    """A figure from fewer than MIN_PEOPLE people is not shown (None)."""
    return None if people is not None and people < MIN_PEOPLE else value


def suppress_share(part: int, whole: int):
    """A share of people, shown only when the people on both sides of it are at least MIN_PEOPLE: with five
    individual members a share of 0.2 is exactly one woman, whatever is done to the count itself
    (complementary suppression)."""
    if whole < MIN_PEOPLE or part < MIN_PEOPLE or whole - part < MIN_PEOPLE:
        return None
    return _share(part, whole)


def suppress_breakdown(counts: dict) -> dict:
    """Counts of a breakdown with small cells hidden; if only one cell would be hidden, the next smallest is
    hidden with it, so the total minus the others does not give it back."""
    shown = {key: (n if n >= MIN_PEOPLE else None) for key, n in counts.items()}
    hidden = [key for key, n in shown.items() if n is None]
    if len(hidden) == 1:
        rest = sorted((n, key) for key, n in shown.items() if n is not None)
        if rest:
            shown[rest[0][1]] = None
    return dict(sorted(shown.items()))


def quartiles(values: list[float]) -> dict | None:
    """Where a council stands among its peers, without any peer's own value: quartiles of at least five."""
    if len(values) < MIN_PEOPLE:
        return None
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"q1": round(q1, 3), "median": round(q2, 3), "q3": round(q3, 3), "councils": len(values)}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def compute(today: date | None = None, *, reason: str = "federation indicators",
            year: int | None = None) -> dict[uuid.UUID, dict]:
    """Every active council's indicators: council id → {code: value}; a few aggregate queries in all.

    ``year`` narrows what happens in time to that year (meetings, motions adopted, applications submitted);
    membership and seats are as of ``today`` either way.
    """
    period = _Period.of(today or council_today(), year)
    result: dict[uuid.UUID, dict] = {}
    with all_councils(reason=reason) as every:
        for council_id in every.scalars(select(Council.id).where(Council.status == CouncilStatus.ACTIVE)).all():
            result[council_id] = {}
        _members(every, result)
        _decision_bodies(every, result, period.today)
        _meetings(every, result, period)
        _motions(every, result, period)
        _groups_and_assemblies(every, result)
        _applications(every, result, period)
        for values in result.values():
            values.setdefault("working_groups_active", 0)
            values.setdefault("assemblies_enabled", 0)
            values.setdefault("ga_sessions_held", 0)
            values.setdefault("quorum_share", None)
            values.setdefault("median_days_application", None)
    _plugin_indicators(result)
    return result


@dataclass(frozen=True)
class _Period:
    """The day the indicators are of, and the year they narrow to (None: all time)."""

    today: date
    now: datetime
    year: int | None
    year_start: datetime
    year_end: datetime

    @classmethod
    def of(cls, today: date, year: int | None) -> _Period:
        # A year is Turkey's (every council keeps its time): a session at 00:30 on 1 January is of the new year,
        # though UTC still says the old one.
        zone = ZoneInfo(DEFAULT_ZONE)
        return cls(today, utcnow(), year, datetime(year or today.year, 1, 1, tzinfo=zone),
                   datetime((year or today.year) + 1, 1, 1, tzinfo=zone))

    def within(self, column):
        """Rows of the year asked for (all, without one)."""
        return (column >= self.year_start) & (column < self.year_end) if self.year else true()


def _members(every, result: dict) -> None:
    """Members: one GROUP BY (council, category, gender) gives the totals, the kinds, the women's share and
    the breakdowns by category and gender (each count under five suppressed)."""
    tallies = defaultdict(lambda: {"total": 0, "individual": 0, "institutional": 0, "women": 0,
                                   "by_category": defaultdict(int), "by_gender": defaultdict(int)})
    for council_id, category, gender, count in every.execute(
            select(Member.council_id, Member.category, Member.gender, func.count())
            # A group's general-assembly seat is a part of the council, not someone who joined it.
            .where(Member.status == MemberStatus.ACTIVE, Member.group_body_id.is_(None))
            .group_by(Member.council_id, Member.category, Member.gender)).all():
        tally = tallies[council_id]
        individual = category.kind is MemberKind.INDIVIDUAL
        tally["total"] += count
        tally["individual" if individual else "institutional"] += count
        tally["women"] += count if individual and gender is Gender.FEMALE else 0
        tally["by_category"][category.value] += count
        tally["by_gender"][gender.value if gender is not None else "not_given"] += count
    for council_id in result:
        tally = tallies[council_id]
        individual = tally["individual"]
        # The total and its two parts: hiding one part alone would leave it as the total minus the other.
        parts = suppress_breakdown({"individual": individual, "institutional": tally["institutional"]})
        result[council_id].update(
            members=suppress(tally["total"], tally["total"]),
            members_individual=parts["individual"],
            members_institutional=parts["institutional"],
            women_share_members=suppress_share(tally["women"], individual),
            members_by_category=suppress_breakdown(tally["by_category"]),
            members_by_gender=suppress_breakdown(tally["by_gender"]))


def _decision_bodies(every, result: dict, today: date) -> None:
    """Decision bodies: voting seats today, women among them, bodies meeting parity."""
    seat_rows = every.execute(
        select(Seat.council_id, Seat.body_id, func.count(),
               func.sum(case((Member.gender == Gender.FEMALE, 1), else_=0)),
               func.sum(case((Member.gender == Gender.MALE, 1), else_=0)))
        .join(Member, (Member.id == Seat.member_id) & (Member.council_id == Seat.council_id))
        .join(Body, (Body.id == Seat.body_id) & (Body.council_id == Seat.council_id))
        .where(Seat.role.in_(list(VOTING_ROLES)), Seat.starts_on <= today,
               (Seat.ends_on.is_(None)) | (Seat.ends_on >= today), Body.kind != BodyKind.GENERAL_ASSEMBLY)
        .group_by(Seat.council_id, Seat.body_id)).all()
    profiles = _bylaws_in_force(every.execute(
        select(ByLawProfile.council_id, ByLawProfile.effective_from, ByLawProfile.parameters)).all(), today)
    seats, women_seats, bodies, bodies_met = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)

    for council_id, _body_id, count, women, men in seat_rows:
        women, men = int(women or 0), int(men or 0)
        seats[council_id] += count
        women_seats[council_id] += women
        bodies[council_id] += 1
        needed = minimum_per_gender(count, profiles.get(council_id, {"gender_parity_share": 0.5}))
        bodies_met[council_id] += int(women >= needed and men >= needed)
    for council_id in result:
        result[council_id].update(
            women_share_decision_bodies=suppress_share(women_seats[council_id], seats[council_id]),
            parity_met_share=suppress(_share(bodies_met[council_id], bodies[council_id]), seats[council_id]),
            ga_sessions_required=profiles.get(council_id, {}).get("general_assembly_min_sessions_per_year", 2))


def _meetings(every, result: dict, period: _Period) -> None:
    """Meetings: general assembly sessions held in the year; meetings that reached quorum (a vote was opened)."""
    meeting_rows = every.execute(
        select(Meeting.council_id,
               func.sum(case(((Body.kind == BodyKind.GENERAL_ASSEMBLY) & (Meeting.scheduled_at >= period.year_start)
                              & (Meeting.scheduled_at < period.year_end) & (Meeting.opened_at.is_not(None)), 1),
                             else_=0)),
               # meetings that should have taken place by period.now (or did, early)
               func.sum(case(((Meeting.scheduled_at <= period.now) | (Meeting.opened_at.is_not(None)), 1), else_=0)),
               func.sum(case((Meeting.opened_at.is_not(None), 1), else_=0)))
        .join(Body, (Body.id == Meeting.body_id) & (Body.council_id == Meeting.council_id))
        .where(period.within(Meeting.scheduled_at), Meeting.status != MeetingStatus.CANCELLED)
        .group_by(Meeting.council_id)).all()
    for council_id, held, past, quorate in meeting_rows:
        if council_id in result:
            result[council_id].update(ga_sessions_held=int(held or 0),
                                      quorum_share=_share(int(quorate or 0), int(past or 0)))


# The motions' stages, in order: a motion from "delivered" on has reached the municipality; from "answered" on,
# its answer is recorded.
_DELIVERED = [s for s in ORDER if ORDER.index(s) >= ORDER.index(MotionStatus.DELIVERED)]
_ANSWERED = [s for s in ORDER if ORDER.index(s) >= ORDER.index(MotionStatus.ANSWERED)]
_WAITING = [s for s in _DELIVERED if s not in _ANSWERED]


def _motions(every, result: dict, period: _Period) -> None:
    """Motions: counts by status in SQL; rows only where a date matters (overdue, days to the answer, implemented)."""
    counts = defaultdict(lambda: [0, 0, 0])
    for council_id, adopted, delivered_count, answered_count in every.execute(
            select(Motion.council_id, func.count(),
                   func.sum(case((Motion.status.in_(_DELIVERED), 1), else_=0)),
                   func.sum(case((Motion.status.in_(_ANSWERED), 1), else_=0)))
            .where(period.within(Motion.adopted_at)).group_by(Motion.council_id)).all():
        counts[council_id] = [adopted, int(delivered_count or 0), int(answered_count or 0)]
    overdue, in_time = _deadlines(every, period)
    days = _median_days_to_answer(every, period)
    implemented = _implemented(every, period)
    for council_id in result:
        adopted, delivered_count, answered_count = counts[council_id]
        result[council_id].update(
            motions_adopted=adopted, motions_delivered=delivered_count, motions_answered=answered_count,
            motions_overdue=overdue[council_id],
            median_days_to_answer=days.get(council_id),
            answered_in_time_share=_share(in_time[council_id], answered_count),
            implemented_share=_share(implemented[council_id], answered_count))


def _answered_day():
    # The day an answer was recorded is its day where the council is, not its UTC date.
    return func.cast(func.timezone(Council.timezone, Motion.answered_at), Date)


def _deadlines(every, period: _Period) -> tuple[dict, dict]:
    """Per council: the delivered motions past their answer's due day with no answer, and the answered ones
    the municipal council decided in time. Each motion's due date is the stored one, else the estimate (the end
    of the month after delivery), and when the municipal council decided: the rules of rules.follow_up, in SQL
    on PostgreSQL, over rows else."""
    overdue: dict = defaultdict(int)
    in_time: dict = defaultdict(int)
    if every.get_bind().dialect.name == "postgresql":
        estimate = func.cast(func.date_trunc("month", Motion.delivered_on) + text("interval '2 months'")
                             - text("interval '1 day'"), Date)
        due = func.coalesce(Motion.answer_due_on, estimate)
        decided = func.coalesce(Motion.municipal_decided_on, _answered_day())
        for council_id, late, timely in every.execute(
                select(Motion.council_id,
                       func.sum(case((Motion.status.in_(_WAITING) & (due < period.today), 1), else_=0)),
                       func.sum(case((Motion.status.in_(_ANSWERED) & (decided <= due), 1), else_=0)))
                .join(Council, Council.id == Motion.council_id)
                .where(Motion.status.in_(_DELIVERED), Motion.delivered_on.is_not(None),
                       period.within(Motion.adopted_at))
                .group_by(Motion.council_id)).all():
            overdue[council_id], in_time[council_id] = int(late or 0), int(timely or 0)
        return overdue, in_time
    for council_id, status, delivered_on, due_on, decided_on, answered_at, zone in every.execute(
            select(Motion.council_id, Motion.status, Motion.delivered_on, Motion.answer_due_on,
                   Motion.municipal_decided_on, Motion.answered_at, Council.timezone)
            .join(Council, Council.id == Motion.council_id)
            .where(Motion.status.in_(_DELIVERED), Motion.delivered_on.is_not(None),
                   period.within(Motion.adopted_at))).all():
        due_day = due_on or follow_up_rules.estimated_due(delivered_on)
        if status in _WAITING:
            overdue[council_id] += follow_up_rules.overdue(due_day, False, period.today)
        elif follow_up_rules.answered_in_time(due_day, decided_on or _day_in(answered_at, zone)):
            in_time[council_id] += 1
    return overdue, in_time


def _median_days_to_answer(every, period: _Period) -> dict:
    """Per council: the median days from delivery to the municipal decision (PostgreSQL takes it by
    percentile_cont; elsewhere over the rows)."""
    if every.get_bind().dialect.name == "postgresql":
        answer_days = func.coalesce(Motion.municipal_decided_on, _answered_day()) - Motion.delivered_on
        return {council_id: _number(median) for council_id, median in every.execute(
            select(Motion.council_id, func.percentile_cont(0.5).within_group(answer_days))
            .join(Council, Council.id == Motion.council_id)
            .where(Motion.answered_at.is_not(None), Motion.delivered_on.is_not(None),
                   period.within(Motion.adopted_at))
            .group_by(Motion.council_id)).all()}
    spans = defaultdict(list)
    for council_id, delivered_on, decided_on, answered_at, zone in every.execute(
            select(Motion.council_id, Motion.delivered_on, Motion.municipal_decided_on, Motion.answered_at,
                   Council.timezone)
            .join(Council, Council.id == Motion.council_id)
            .where(Motion.answered_at.is_not(None), Motion.delivered_on.is_not(None),
                   period.within(Motion.adopted_at))).all():
        spans[council_id].append(((decided_on or _day_in(answered_at, zone)) - delivered_on).days)
    return {council_id: statistics.median(values) for council_id, values in spans.items()}


def _implemented(every, period: _Period) -> dict:
    """Per council: the answered motions whose latest implementation milestone says "done"."""
    steps: dict = defaultdict(list)
    for council_id, motion_id, on, state in every.execute(
            select(ImplementationMilestone.council_id, ImplementationMilestone.motion_id,
                   ImplementationMilestone.day, ImplementationMilestone.state)
            .join(Motion, (Motion.id == ImplementationMilestone.motion_id)
                  & (Motion.council_id == ImplementationMilestone.council_id))
            .where(period.within(Motion.adopted_at))
            .order_by(ImplementationMilestone.day, ImplementationMilestone.created_at)).all():
        steps[(council_id, motion_id)].append((on, state.value))
    implemented: dict = defaultdict(int)
    for (council_id, _motion), milestones in steps.items():
        implemented[council_id] += follow_up_rules.implementation_state(milestones) == "done"
    return implemented


def _groups_and_assemblies(every, result: dict) -> None:
    """Working groups active and assemblies enabled."""
    for council_id, groups in every.execute(
            select(Body.council_id, func.count()).where(Body.kind == BodyKind.WORKING_GROUP,
                                                        Body.status == BodyStatus.ACTIVE)
            .group_by(Body.council_id)).all():
        if council_id in result:
            result[council_id]["working_groups_active"] = groups
    for council_id, enabled in every.execute(
            select(PluginEnablement.council_id, func.count()).where(PluginEnablement.enabled.is_(True))
            .group_by(PluginEnablement.council_id)).all():
        if council_id in result:
            result[council_id]["assemblies_enabled"] = enabled


def _applications(every, result: dict, period: _Period) -> None:
    """Applications: days from submission to decision (about people: suppressed under five)."""
    if every.get_bind().dialect.name == "postgresql":
        wait_days = func.extract("epoch", MembershipApplication.decided_at - MembershipApplication.submitted_at) / 86400
        for council_id, decided, median in every.execute(
                select(MembershipApplication.council_id, func.count(),
                       func.percentile_cont(0.5).within_group(wait_days))
                .where(MembershipApplication.decided_at.is_not(None),
                       period.within(MembershipApplication.submitted_at))
                .group_by(MembershipApplication.council_id)).all():
            if council_id in result:
                result[council_id]["median_days_application"] = suppress(round(float(median), 1), decided)
    else:
        waits = defaultdict(list)
        for council_id, submitted, decided in every.execute(
                select(MembershipApplication.council_id, MembershipApplication.submitted_at,
                       MembershipApplication.decided_at)
                .where(MembershipApplication.decided_at.is_not(None),
                       period.within(MembershipApplication.submitted_at))).all():
            waits[council_id].append((decided - submitted).total_seconds() / 86400)
        for council_id, values in waits.items():
            if council_id in result:
                result[council_id]["median_days_application"] = suppress(
                    round(statistics.median(values), 1), len(values))


def _number(value):
    """A median as the loop would give it: an int when whole, else a float."""
    value = float(value)
    return int(value) if value.is_integer() else value


def _bylaws_in_force(rows, today: date) -> dict:
    latest: dict = {}
    for council_id, effective_from, parameters in rows:
        if effective_from <= today and (council_id not in latest or effective_from > latest[council_id][0]):
            latest[council_id] = (effective_from, parameters)
    return {council_id: parameters for council_id, (_day, parameters) in latest.items()}


def _plugin_indicators(result: dict) -> None:
    """Plugins' own aggregates, for the councils that enabled them (each computed with its council bound)."""

    with all_councils(reason="federation: which councils have plugin indicators", audit=False) as every:
        councils = set(every.scalars(select(PluginEnablement.council_id).where(
            PluginEnablement.enabled.is_(True))).all())
    for council_id in councils & set(result):
        with bound_council(council_id):
            for code, value in indicator_values().items():
                # A plugin's count of people (children above all) is suppressed like any other.
                result[council_id][f"plugin:{code}"] = suppress(value, value if isinstance(value, int) else None)


# --- views on the indicators --------------------------------------------------------------------------------------


def population_band(population: int | None) -> str:
    if population is None:
        return "unknown"
    if population < 500_000:
        return "<500k"
    if population < 1_000_000:
        return "500k-1M"
    if population < 3_000_000:
        return "1M-3M"
    return ">3M"


def table(filters: dict | None = None, *, public_only: bool = False, today: date | None = None) -> list[dict]:
    """One row per council: identity (province, region, type, population band) and indicators, filtered."""

    filters = dict(filters or {})
    year = filters.pop("year", None)
    values = compute(today, year=int(year) if year else None)
    councils = {c.id: c for c in db.session.scalars(select(Council).where(Council.id.in_(list(values))))}
    rows = []
    for council_id, indicators in values.items():
        council = councils[council_id]
        if public_only and not council.federation_public:
            continue
        province = reference.province(council.province_code)
        row = {"slug": council.slug, "name": council.name, "province": province.name if province else None,
               "region": province.region if province else None, "municipality_type": council.municipality_type,
               "population_band": population_band(province.population if province else None), **indicators}
        if all(str(row.get(key)) == str(value) for key, value in filters.items() if value):
            rows.append(row)
    return sorted(rows, key=lambda r: r["name"])


def indicator_labels() -> dict:
    """Every indicator the federation compares, code → label: the core's, then each installed plugin's as
    ``plugin:<code>`` (residents' proposals per 10,000 inhabitants, a children's assembly's size…)."""
    labels = dict(INDICATORS)
    for answer in plugin_manager().hook.konsey_federation_indicators():
        for indicator in answer or []:
            labels.setdefault(f"plugin:{indicator.code}", indicator.label)
    return labels


def medians(rows: list[dict], *, minimum: int = 1) -> dict:
    """Each indicator's median over the rows that have a figure; None where fewer than ``minimum`` have one."""
    out = {}
    for code in indicator_labels():
        present = [r[code] for r in rows if isinstance(r.get(code), (int, float))]
        out[code] = round(statistics.median(present), 3) if present and len(present) >= minimum else None
    return out


def position(slug: str, today: date | None = None) -> dict:
    """A council against the national median and its peers' (same municipality type), peers anonymised."""
    rows = table(today=today)
    mine = next((r for r in rows if r["slug"] == slug), None)
    if mine is None:
        return {}
    peers = [r for r in rows if r["municipality_type"] == mine["municipality_type"]]
    # Peers as quartiles of at least five councils, never a list of their values (a named or deducible
    # council's exact figure would be one of them).
    distribution = {code: quartiles([r[code] for r in peers if isinstance(r.get(code), (int, float))])
                    for code in RANKABLE}
    # A median of fewer than five councils gives one away: of two, the median and our own figure are the
    # other's exact value. Below five, no median is shown.
    return {"council": {k: mine[k] for k in ("slug", "name", "municipality_type", *indicator_labels()) if k in mine},
            "national_median": medians(rows, minimum=MIN_COUNCILS), "peer_median": medians(peers, minimum=MIN_COUNCILS),
            "peer_count": len(peers), "peer_distribution": distribution}


def take_snapshot(today: date | None = None) -> int:
    today = today or council_today()
    values = compute(today, reason="federation: daily snapshot of the indicators")
    for council_id, indicators in values.items():
        existing = db.session.scalar(select(FederationSnapshot).where(
            FederationSnapshot.council_id == council_id, FederationSnapshot.taken_on == today))
        if existing is None:
            db.session.add(FederationSnapshot(council_id=council_id, taken_on=today, indicators=indicators))
        else:
            existing.indicators = indicators
    db.session.flush()
    return len(values)


def trend(code: str, slug: str | None = None) -> list[tuple[str, float | None]]:
    """(day, median over councils — or one council's value) for each snapshot day."""

    query = select(FederationSnapshot.taken_on, FederationSnapshot.indicators, Council.slug).join(
        Council, Council.id == FederationSnapshot.council_id).order_by(FederationSnapshot.taken_on)
    by_day = defaultdict(list)
    for day, indicators, council_slug in db.session.execute(query).all():
        if slug is None or council_slug == slug:
            value = indicators.get(code)
            if isinstance(value, (int, float)):
                by_day[day].append(value)
    return [(day.isoformat(), round(statistics.median(v), 3) if v else None) for day, v in sorted(by_day.items())]


def csv_of(rows: list[dict]) -> str:
    import csv
    import io

    columns = ["slug", "name", "province", "region", "municipality_type", "population_band", *indicator_labels()]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _day_in(instant, zone: str):
    """An instant's calendar day in a council's zone (the rows of a query across councils carry the zone)."""
    return as_utc(instant).astimezone(ZoneInfo(zone)).date() if instant else None
