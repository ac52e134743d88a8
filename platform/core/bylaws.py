"""The by-law profile (yönerge): every rule domain.md calls a "by-law parameter", with its default.

A council's profile is versioned (:class:`konsey.tenants.models.ByLawProfile`); this module holds the
defaults and the schema that validates a profile. The governance rules read their parameters from here.
"""

from __future__ import annotations

from datetime import date

from marshmallow import fields, validate

from konsey.core.schemas import StrictSchema

QUORUM_RULES = ("absolute_majority_of_members",)
MAJORITY_RULES = ("absolute_majority_of_present", "simple_majority_of_votes")
ABSTENTION_RULES = ("count_as_present", "ignore")
TIE_RULES = ("chair_decides", "lot", "fails")
RECONVENE_RULES = ("no_quorum_required", "floor_twice_executive_board", "same_quorum")
ELECTION_ROUND_RULES = ("two_thirds_then_majority_then_runoff", "plurality")


class ByLawParametersSchema(StrictSchema):
    meeting_quorum_rule = fields.String(validate=validate.OneOf(QUORUM_RULES), load_default=QUORUM_RULES[0])
    decision_majority_rule = fields.String(
        validate=validate.OneOf(MAJORITY_RULES), load_default="absolute_majority_of_present"
    )
    abstentions = fields.String(validate=validate.OneOf(ABSTENTION_RULES), load_default="count_as_present")
    tie_rule = fields.String(validate=validate.OneOf(TIE_RULES), load_default="chair_decides")
    reconvene_rule = fields.String(validate=validate.OneOf(RECONVENE_RULES), load_default="no_quorum_required")
    reconvene_after_days = fields.Integer(validate=validate.Range(1, 25), load_default=7)
    general_assembly_min_sessions_per_year = fields.Integer(validate=validate.Range(1, 12), load_default=2)
    extraordinary_session_share = fields.Float(validate=validate.Range(0.05, 1.0), load_default=1 / 3)
    notice_days_elective_assembly = fields.Integer(validate=validate.Range(0, 90), load_default=15)
    notice_days_other_meetings = fields.Integer(validate=validate.Range(0, 90), load_default=2)
    executive_board_min_size = fields.Integer(validate=validate.Range(3, 99), load_default=7)
    executive_board_ex_officio_assemblies = fields.List(
        fields.String(), load_default=lambda: ["womens_assembly", "youth_assembly", "disabled_assembly"]
    )
    term_pattern_years = fields.List(
        fields.Integer(validate=validate.Range(1, 5)), validate=validate.Length(min=1, max=5), load_default=lambda: [2, 3]
    )
    max_consecutive_terms = fields.Integer(validate=validate.Range(1, 10), load_default=2)
    gender_parity_share = fields.Float(validate=validate.Range(0.0, 0.5), load_default=0.5)
    co_chairs_one_woman_one_man = fields.Boolean(load_default=False)
    election_round_rule = fields.String(
        validate=validate.OneOf(ELECTION_ROUND_RULES), load_default="two_thirds_then_majority_then_runoff"
    )
    working_group_election_min_participants = fields.Integer(validate=validate.Range(0, 100), load_default=6)
    working_group_one_officer_post = fields.Boolean(load_default=True)
    individual_members_vote_in_general_assembly = fields.Boolean(load_default=True)
    executive_absence_limit_excused = fields.Integer(validate=validate.Range(1, 50), load_default=3)
    executive_absence_limit_total = fields.Integer(validate=validate.Range(1, 50), load_default=5)


def default_bylaw_parameters() -> dict:
    """The statutory defaults, as a plain JSON-ready dict."""
    return ByLawParametersSchema().load({})


def profile_in_force(versions, on: date):
    """The version whose ``effective_from`` is the latest on or before ``on`` (None before the first).

    ``versions`` are objects with ``effective_from``; a meeting or election is always judged by the version in
    force on its own date, so later versions never change earlier verdicts.
    """
    candidates = [v for v in versions if v.effective_from <= on]
    return max(candidates, key=lambda v: v.effective_from, default=None)
