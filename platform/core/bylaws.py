"""The by-law profile (yönerge): every rule domain.md calls a "by-law parameter", its default, and the
versions a council adopts.

A council's profile is versioned (:class:`ByLawProfile`); every verdict reads the version in force on its own
day (:func:`parameters_on`). What a valid profile is (types, ranges, allowed values) is said by
:class:`konsey.schemas.bylaws.ByLawParametersSchema`; the use case validates before :func:`adopt_version`.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, Uuid, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Invalid
from konsey.core.plugins import council_hooks, installed_body_types
from konsey.tenants.db import CouncilOwned, db, utcnow
from konsey.tenants.models import Council, council_today
from konsey.tenants.scoping import current_council_id

QUORUM_RULES = ("absolute_majority_of_members",)
MAJORITY_RULES = ("absolute_majority_of_present", "simple_majority_of_votes")
ABSTENTION_RULES = ("count_as_present", "ignore")
TIE_RULES = ("chair_decides", "lot", "fails")
RECONVENE_RULES = ("no_quorum_required", "floor_twice_executive_board", "same_quorum")
ELECTION_ROUND_RULES = ("two_thirds_then_majority_then_runoff", "plurality")

# The statutory defaults (domain.md); the schema's load_default of each field is taken from here.
DEFAULTS: dict = {
    "meeting_quorum_rule": QUORUM_RULES[0],
    "decision_majority_rule": "absolute_majority_of_present",
    "abstentions": "count_as_present",
    "tie_rule": "chair_decides",
    "reconvene_rule": "no_quorum_required",
    "reconvene_after_days": 7,
    "general_assembly_min_sessions_per_year": 2,
    "extraordinary_session_share": 1 / 3,
    "notice_days_elective_assembly": 15,
    "notice_days_other_meetings": 2,
    # The desk may open the roll (check-ins) and votes this many minutes before the scheduled start.
    "check_in_opens_minutes_before": 60,
    # The bodies whose meetings count a member attending online towards the quorum (and let them vote).
    "online_presence_counts_for": ["general_assembly", "executive_board", "assembly", "working_group"],
    # An online participant whose phone has been silent this long is checked out (a lost connection).
    "online_presence_timeout_seconds": 120,
    # The bodies whose meetings ask a phone to confirm its holder (an SMS code, or a passkey) before joining.
    "strong_sign_in_for": [],
    # Speaking time on an agenda item, and for a point of order.
    "speaking_time_minutes": 5,
    "point_of_order_minutes": 2,
    # The bodies whose meetings open by electing a presiding board (divan), and its size beside its chair.
    "presiding_board_for": ["general_assembly"],
    "presiding_board_vice_chairs": 1,
    "presiding_board_clerks": 2,
    # Keyholders who must open a sealed ballot's count together (of the presiding board, or of those named).
    "sealed_ballot_threshold": 2,
    # Signatures a written floor motion (önerge) needs, its proposer's included.
    "floor_motion_signatures": 1,
    "executive_board_min_size": 7,
    # By default the assemblies whose body type says the statute seats their president (ex_officio_default).
    "executive_board_ex_officio_assemblies": [],
    "term_pattern_years": [2, 3],
    "max_consecutive_terms": 2,
    "gender_parity_share": 0.5,
    "co_chairs_one_woman_one_man": False,
    "election_round_rule": "two_thirds_then_majority_then_runoff",
    "working_group_election_min_participants": 6,
    "working_group_one_officer_post": True,
    # Officers a working group elects beside its president, in the same election (0: a facilitator alone).
    "working_group_officers": 0,
    # An election may be recorded for a term that began at most this many days ago (entered after the sitting).
    "election_term_start_past_days": 30,
    "individual_members_vote_in_general_assembly": True,
    "executive_absence_limit_excused": 3,
    "executive_absence_limit_total": 5,
    # Ordinary membership needs the legal age; younger people take part through an assembly with a guardian.
    "ordinary_member_min_age": 18,
    # Days each kind of personal data is kept after its purpose ends (KVKK art. 7; konsey.core.retention).
    "retention_rejected_applications_days": 365,
    "retention_former_members_days": 730,
    "retention_meeting_passes_days": 30,
    "retention_minors_days": 0,
    "retention_access_log_days": 730,
    "retention_sms_days": 90,
}


# What each parameter means and where it comes from (the OpenAPI document and docs/bylaws.md say the same).
# The meaning is translated (the by-laws page explains each parameter in the reader's language); the source names
# laws and documents as they are. The OpenAPI document and docs/bylaws.md take the English.
PARAMETER_NOTES: dict[str, tuple] = {
    "meeting_quorum_rule": (_l("How the quorum of a meeting is counted: an absolute majority of the full membership "
                            "(⌊n/2⌋ + 1)."), "Kent Konseyi Regulation; council by-laws"),
    "decision_majority_rule": (_l("The majority a decision needs: more yes votes than half of those present."),
                               "Kent Konseyi Regulation; council by-laws"),
    "abstentions": (_l("Whether abstaining members count as present for the majority."), "council by-laws"),
    "tie_rule": (_l("What settles a tie: the chair's vote, or lots drawn (logged)."), "council by-laws"),
    "reconvene_rule": (_l("A session reconvened after one without quorum: no quorum required, or a floor of twice "
                       "the executive board's size on the day."), "council by-laws"),
    "reconvene_after_days": (_l("The window (days) after a failed session within which it may be reconvened."),
                             "council by-laws (e.g. one week, at most 25 days)"),
    "general_assembly_min_sessions_per_year": (_l("Ordinary general assembly sessions a year, at least."),
                                               "Kent Konseyi Regulation (twice a year); council by-laws"),
    "extraordinary_session_share": (_l("The share of members whose signatures call an extraordinary session."),
                                    "Kent Konseyi Regulation (one third)"),
    "notice_days_elective_assembly": (_l("Days of notice for an elective general assembly."), "council by-laws (15)"),
    "notice_days_other_meetings": (_l("Days of notice for any other meeting."), "council by-laws (2)"),
    "check_in_opens_minutes_before": (_l("Minutes before a meeting's scheduled start from which people can be checked "
                                      "in (votes open at the start; none after it closes)."), "council by-laws; Konsey"),
    "online_presence_counts_for": (_l("The bodies whose meetings count members attending online (through their "
                                   "personal meeting link) towards the quorum, and let them vote; elsewhere they "
                                   "follow as observers."), "council by-laws"),
    "online_presence_timeout_seconds": (_l("Seconds without a sign from an online participant's phone after which "
                                        "they are checked out."), "council by-laws; Konsey"),
    "strong_sign_in_for": (_l("The bodies whose meetings ask a person opening their meeting link to confirm it is "
                           "them before joining or voting: a code sent by SMS to the mobile number on file, or a "
                           "passkey they added on their phone."),
                           "Associations Regulation art. 15/A (signing in to an electronic general assembly)"),
    "speaking_time_minutes": (_l("Speaking time of a speaker on an agenda item, in minutes."), "council by-laws"),
    "point_of_order_minutes": (_l("Speaking time on a point of order, in minutes."), "council by-laws"),
    "presiding_board_for": (_l("The bodies whose meetings open by electing a presiding board (divan: a chair, "
                            "vice-chairs and clerks), which runs the meeting and signs its minutes."),
                            "council by-laws; Associations Regulation art. 15/A (forming the board)"),
    "presiding_board_vice_chairs": (_l("Vice-chairs on a presiding board."), "council by-laws (1)"),
    "presiding_board_clerks": (_l("Clerks (katip üye) on a presiding board."), "council by-laws (2)"),
    "sealed_ballot_threshold": (_l("Keyholders (members of the presiding board, or those a body names) who must open "
                                "a sealed ballot's count together; fewer cannot."), "council by-laws; Konsey (2)"),
    "floor_motion_signatures": (_l("Signatures a written floor motion (önerge) needs, its proposer's included."),
                                "council by-laws"),
    "executive_board_min_size": (_l("The executive board's smallest lawful size."), "Kent Konseyi Regulation (7)"),
    "executive_board_ex_officio_assemblies": (_l("Assemblies whose president sits on the executive board ex officio "
                                              "where the assembly exists."), "Kent Konseyi Regulation"),
    "term_pattern_years": (_l("Lengths of the terms in one local-election cycle."), "Kent Konseyi Regulation (2 + 3)"),
    "max_consecutive_terms": (_l("Consecutive terms one may serve in the same office."), "Kent Konseyi Regulation (2)"),
    "gender_parity_share": (_l("The share of each gender decision bodies aim for."), "seed 001 (50%)"),
    "co_chairs_one_woman_one_man": (_l("Co-spokespersons must be one woman and one man."), "council by-laws"),
    "election_round_rule": (_l("How election rounds are decided: two thirds, then a majority of the full membership, "
                            "then a run-off; or a plurality in one round."), "council by-laws"),
    "working_group_election_min_participants": (_l("People who must take part for a working-group election to count."),
                                                "council by-laws (e.g. 6)"),
    "working_group_one_officer_post": (_l("One officer post per person across working groups."), "council by-laws"),
    "working_group_officers": (_l("Officers a working group elects beside its president, in one election (0: a "
                               "facilitator alone)."), "council by-laws"),
    "election_term_start_past_days": (_l("Days in the past a new election's term may have begun (an election is "
                                      "entered at or soon after its sitting, not months later)."), "Konsey"),
    "individual_members_vote_in_general_assembly": (_l("Whether individual members vote in the general assembly."),
                                                    "council by-laws"),
    "executive_absence_limit_excused": (_l("Excused absences after which a board member may be removed."),
                                        "council by-laws (3)"),
    "executive_absence_limit_total": (_l("Absences in all after which a board member may be removed."),
                                      "council by-laws (5)"),
    "ordinary_member_min_age": (_l("Age from which a person may be an ordinary member (younger people take part "
                                "through an assembly, with a guardian's consent)."), "Civil Code (legal age 18); KVKK"),
    "retention_rejected_applications_days": (_l("Days a rejected or withdrawn membership application is kept after "
                                             "its decision; then it is deleted."), "KVKK art. 7; Konsey (365)"),
    "retention_former_members_days": (_l("Days a former member's contacts and identity number are kept after the "
                                      "membership ended; the name and number stay for the council's records."),
                                      "KVKK art. 7; Konsey (730)"),
    "retention_meeting_passes_days": (_l("Days a meeting's personal links and codes are kept after the meeting."),
                                      "KVKK art. 7; Konsey (30)"),
    "retention_minors_days": (_l("Days a children's assembly's record of a minor is kept after they come of age or "
                              "leave."), "KVKK art. 7; Konsey (0)"),
    "retention_access_log_days": (_l("Days the record of who read special-category data is kept."),
                                  "KVKK Board decision 2018/10; Konsey (730)"),
    "retention_sms_days": (_l("Days the record of an SMS sent (its number and status) is kept."),
                           "KVKK art. 7; Konsey (90)"),
}


def ex_officio_default() -> list[str]:
    """The assemblies whose president sits on the executive board unless the by-laws say otherwise: those
    whose body type says the statute seats their president (the core names no assembly)."""
    return sorted(t.code for t in installed_body_types() if t.president_on_board)


def default_bylaw_parameters() -> dict:
    """The statutory defaults, as a plain JSON-ready dict (a copy: callers may change it)."""
    return {**copy.deepcopy(DEFAULTS), "executive_board_ex_officio_assemblies": ex_officio_default()}


def profile_in_force(versions, on: date):
    """The version whose ``effective_from`` is the latest on or before ``on`` (None before the first).

    ``versions`` are objects with ``effective_from``; a meeting or election is always judged by the version in
    force on its own date, so later versions never change earlier verdicts.
    """
    candidates = [v for v in versions if v.effective_from <= on]
    return max(candidates, key=lambda v: v.effective_from, default=None)


class ByLawProfile(CouncilOwned, db.Model):
    """One version of the council's by-laws (yönerge) parameters, in force from ``effective_from``."""

    __tablename__ = "bylaw_profiles"

    effective_from: Mapped[date] = mapped_column(Date)
    parameters: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "effective_from"),
    )


def versions() -> list[ByLawProfile]:
    return db.session.scalars(select(ByLawProfile).order_by(ByLawProfile.effective_from)).all()


@dataclass(frozen=True)
class _Version:
    effective_from: date
    parameters: dict


# Each process's copy of every council's by-law versions, read once per ``Council.bylaws_version`` (which every
# write of a version bumps, _by_laws_written): a phone's ballot asks for the by-laws in force, and 1,500 ballots in
# ten seconds asked the database 1,500 times for the same few rows. The council row, read once per request, says
# whether the copy is current, so a change is seen by every process on its next request.
_held: dict[uuid.UUID, tuple[int, tuple[_Version, ...]]] = {}
_HELD_COUNCILS = 512
_WRITTEN = "konsey_bylaws_written"  # the councils whose by-laws this session's open transaction wrote


def _versions_held():
    council_id = current_council_id()
    council = db.session.get(Council, council_id) if council_id is not None else None
    if council is None:
        return versions()
    if council_id in db.session.info.get(_WRITTEN, ()):
        return versions()  # written in this transaction, which may yet roll back: nothing of it is kept
    known = council.bylaws_version
    held = _held.get(council_id)
    if held is not None and held[0] == known:
        return held[1]
    # Read after the version was: what is kept is never older than the version it is kept under.
    found = tuple(_Version(v.effective_from, copy.deepcopy(v.parameters)) for v in versions())
    if len(_held) >= _HELD_COUNCILS:
        _held.clear()
    _held[council_id] = (known, found)
    return found


# The mark lasts until the transaction itself ends: SQLAlchemy announces a released savepoint as a commit and a
# savepoint rolled back as a rollback, and the outer transaction, still holding its version, may yet roll back.
@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction is None or not previous_transaction.nested:
        session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_flush")
def _by_laws_written(session: Session, _flush_context) -> None:
    """Any version of the by-laws written (adopted, replaced, or changed by hand): its council's by-laws version
    goes up in the same transaction, and this process's copy is dropped at once."""
    written = {obj.council_id for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, ByLawProfile) and obj.council_id is not None}
    if written:
        session.info.setdefault(_WRITTEN, set()).update(written)
    for council_id in written:
        session.connection().execute(update(Council).where(Council.id == council_id)
                                     .values(bylaws_version=Council.bylaws_version + 1))
        _held.pop(council_id, None)
        council = session.identity_map.get(session.identity_key(Council, council_id))
        if council is not None:
            session.expire(council, ["bylaws_version"])


def plugin_fields() -> dict:
    """The by-law fields the current council's enabled plugins add (name → field with a load_default)."""
    hooks = council_hooks()
    extra = hooks.cache.get("bylaw_fields")
    if extra is None:
        extra = {}
        for answer in hooks.hook.konsey_bylaw_fields():
            extra.update(answer or {})
        hooks.cache["bylaw_fields"] = extra
    return extra


def plugin_defaults() -> dict:
    defaults = {}
    for name, field in plugin_fields().items():
        default = getattr(field, "load_default", None)
        default = default() if callable(default) else default
        if default is not None:
            defaults[name] = default
    return defaults


def parameters_on(day: date) -> dict:
    """The parameters in force on ``day``; before the first version (records from before the council joined
    Konsey), the first version's. Fields of plugins enabled since then take their defaults."""
    all_versions = _versions_held()
    profile = profile_in_force(all_versions, day) or (all_versions[0] if all_versions else None)
    parameters = profile.parameters if profile else default_bylaw_parameters()
    # A version adopted before a parameter existed (or before a plugin was enabled) reads its default.
    return {**DEFAULTS, "executive_board_ex_officio_assemblies": ex_officio_default(), **plugin_defaults(),
            **parameters}


def base_for(effective_from: date, *, today: date | None = None, replaceable: bool = False) -> dict:
    """The parameters a new version taking effect on ``effective_from`` starts from; refuses the past and a
    date another version already has, unless that version is ``replaceable`` (nothing has been judged by it
    yet: a council setting its by-laws on the day it was onboarded)."""
    today = today or council_today()
    if effective_from < today:
        raise Invalid({"effective_from": [_("A new version cannot take effect in the past.")]})
    existing = versions()
    if any(v.effective_from == effective_from for v in existing) and not replaceable:
        raise Invalid({"effective_from": [_("Another version takes effect on this date.")]})
    base = profile_in_force(existing, effective_from)
    return dict(base.parameters) if base else {}


def adopt_version(parameters: dict, effective_from: date, changed: list[str], *,
                  today: date | None = None, replaceable: bool = False) -> ByLawProfile:
    """Record a new version with ``parameters`` (already validated in full) in force from ``effective_from``;
    a ``replaceable`` version of the same day is replaced (the change is in the audit chain)."""
    base_for(effective_from, today=today, replaceable=replaceable)
    same_day = next((v for v in versions() if v.effective_from == effective_from), None)
    if same_day is not None:
        same_day.parameters = parameters
        db.session.flush()
        record("bylaws.replaced", same_day, {"effective_from": effective_from.isoformat(), "changed": sorted(changed)})
        return same_day
    profile = ByLawProfile(effective_from=effective_from, parameters=parameters)
    db.session.add(profile)
    db.session.flush()
    record("bylaws.adopted", profile, {"effective_from": effective_from.isoformat(), "changed": sorted(changed)})
    return profile
