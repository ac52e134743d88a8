"""The statute's rules as pure functions, tested directly with their edge cases."""

from __future__ import annotations

from datetime import date

import pytest

from konsey.core.bylaws import default_bylaw_parameters
from konsey.core.rules.elections import (
    count_round,
    round_ballot_problem,
    settle_final_tie,
    term_start_problem,
    votes_needed_in_round,
)
from konsey.core.rules.meetings import (
    Outcome,
    Tally,
    absolute_majority,
    decide,
    decision_number,
    extraordinary_session_threshold,
    meeting_quorum,
    quorum_met,
)
from konsey.core.rules.parity import Candidate, allocate_seats, minimum_per_gender, parity_met
from konsey.core.rules.terms import Mandate, consecutive_terms, may_stand, term_end


@pytest.fixture
def bylaws():
    return default_bylaw_parameters()


def with_(bylaws, **changes):
    return {**bylaws, **changes}


# --- meetings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,expected", [(0, 1), (1, 1), (2, 2), (7, 4), (8, 5), (101, 51)])
def test_absolute_majority(n, expected):
    assert absolute_majority(n) == expected


def test_quorum_odd_and_even(bylaws):
    assert meeting_quorum(10, bylaws) == 6 and meeting_quorum(11, bylaws) == 6
    assert quorum_met(6, 10, bylaws) and not quorum_met(5, 10, bylaws)


def test_a_reconvened_session_follows_a_failed_one_within_the_window():
    from datetime import date

    from konsey.core.rules.meetings import reconvening_problem

    failed = date(2026, 3, 2)
    assert reconvening_problem(None, date(2026, 3, 5), 7) == "no_failed_session"
    assert reconvening_problem(failed, date(2026, 3, 2), 7) == "not_after"
    assert reconvening_problem(failed, date(2026, 3, 9), 7) is None
    assert reconvening_problem(failed, date(2026, 3, 10), 7) == "too_late"


def test_reconvened_sessions(bylaws):
    assert meeting_quorum(40, bylaws, reconvened=True) == 0
    assert quorum_met(1, 40, bylaws, reconvened=True) and not quorum_met(0, 40, bylaws, reconvened=True)
    floor = with_(bylaws, reconvene_rule="floor_twice_executive_board")
    assert meeting_quorum(40, floor, reconvened=True, executive_board_size=7) == 14
    assert meeting_quorum(10, floor, reconvened=True, executive_board_size=7) == 10
    with pytest.raises(ValueError):
        meeting_quorum(40, floor, reconvened=True)
    assert meeting_quorum(40, with_(bylaws, reconvene_rule="same_quorum"), reconvened=True) == 21


def test_majority_of_present_counts_abstentions(bylaws):
    assert decide(Tally(yes=5, no=3, abstain=2, present=10), bylaws).outcome is Outcome.REJECTED
    verdict = decide(Tally(yes=6, no=3, abstain=1, present=10), bylaws)
    assert verdict.outcome is Outcome.ADOPTED and verdict.needed == 6
    # present but not voting still counts: 5 of 11 present is not more than half
    assert decide(Tally(yes=5, no=0, abstain=0, present=11), bylaws).outcome is Outcome.REJECTED


def test_abstentions_ignored_and_simple_majority(bylaws):
    ignore = with_(bylaws, abstentions="ignore")
    assert decide(Tally(yes=5, no=3, abstain=2, present=10), ignore).outcome is Outcome.ADOPTED
    simple = with_(bylaws, decision_majority_rule="simple_majority_of_votes")
    assert decide(Tally(yes=2, no=1, abstain=7, present=10), simple).outcome is Outcome.ADOPTED
    assert decide(Tally(yes=0, no=0, abstain=3, present=3), simple).outcome is Outcome.REJECTED


def test_ties(bylaws):
    tie = Tally(yes=4, no=4, abstain=0, present=8)
    assert decide(tie, bylaws, chair_vote="yes").outcome is Outcome.ADOPTED
    assert decide(tie, bylaws, chair_vote="no").decided_by == "chair"
    with pytest.raises(ValueError):
        decide(tie, bylaws)
    lot = with_(bylaws, tie_rule="lot")
    first = decide(tie, lot, lot_seed=42)
    assert first.decided_by == "lot" and first.lot_seed == 42
    assert decide(tie, lot, lot_seed=42).outcome is first.outcome  # the kept seed reproduces the draw
    outcomes = {decide(tie, lot, lot_seed=seed).outcome for seed in range(40)}
    assert outcomes == {Outcome.ADOPTED, Outcome.REJECTED}
    assert decide(tie, with_(bylaws, tie_rule="fails")).outcome is Outcome.REJECTED
    assert decide(Tally(yes=0, no=0, abstain=5, present=5), bylaws).tie is False


def test_impossible_tallies():
    with pytest.raises(ValueError):
        Tally(yes=5, no=5, abstain=1, present=10)
    with pytest.raises(ValueError):
        Tally(yes=-1, no=0, abstain=0, present=0)


def test_extraordinary_session_threshold(bylaws):
    assert extraordinary_session_threshold(30, bylaws) == 10
    assert extraordinary_session_threshold(31, bylaws) == 11


def test_decision_numbers():
    assert decision_number(2026, []) == "2026/1"
    assert decision_number(2026, ["2026/1", "2026/13", "2025/40", "2026/x"]) == "2026/14"
    assert decision_number(2027, ["2026/13"]) == "2027/1"


# --- terms ------------------------------------------------------------------------------------------------


def test_term_pattern_two_then_three(bylaws):
    assert term_end(date(2024, 6, 1), 0, bylaws) == date(2026, 5, 31)
    assert term_end(date(2026, 6, 1), 1, bylaws) == date(2029, 5, 31)
    assert term_end(date(2024, 2, 29), 0, bylaws) == date(2026, 2, 27)


def test_consecutive_term_limit(bylaws):
    first = Mandate("president", date(2019, 6, 1), date(2021, 5, 31))
    second = Mandate("president", date(2021, 6, 1), date(2024, 5, 31))
    assert consecutive_terms([first, second], "president", date(2024, 6, 1)) == 2
    assert not may_stand([first, second], "president", date(2024, 6, 1), bylaws)
    assert may_stand([second], "president", date(2024, 6, 1), bylaws)
    assert may_stand([first, second], "facilitator", date(2024, 6, 1), bylaws)  # another office
    after_a_break = date(2026, 6, 1)
    assert consecutive_terms([first, second], "president", after_a_break) == 0
    assert may_stand([first, second], "president", date(2024, 6, 1), with_(bylaws, max_consecutive_terms=3))


# --- parity -----------------------------------------------------------------------------------------------


def test_minimum_per_gender(bylaws):
    assert [minimum_per_gender(n, bylaws) for n in (2, 7, 9, 10)] == [1, 3, 4, 5]
    assert minimum_per_gender(10, with_(bylaws, gender_parity_share=0.4)) == 4


def test_parity_met(bylaws):
    assert parity_met(["female"] * 3 + ["male"] * 4, bylaws)
    assert not parity_met(["female"] * 2 + ["male"] * 5, bylaws)
    assert not parity_met(["female"] * 3 + ["male"] * 2 + ["other", "undisclosed"], bylaws)


def _ranked(spec: str) -> list[Candidate]:
    # "MMMWW" → M1 (most votes), M2, … in rank order
    counts: dict[str, int] = {}
    ranked = []
    for position, letter in enumerate(spec):
        counts[letter] = counts.get(letter, 0) + 1
        gender = {"M": "male", "W": "female", "O": "other"}[letter]
        ranked.append(Candidate(f"{letter}{counts[letter]}", gender, 100 - position))
    return ranked


def test_allocation_passes_over_to_keep_parity(bylaws):
    result = allocate_seats(_ranked("MMMMWW"), 5, bylaws)
    assert [c.id for c in result.elected] == ["M1", "M2", "M3", "W1", "W2"]
    assert [(c.id, reason) for c, reason in result.passed_over] == [("M4", "parity")]
    assert result.parity_met


def test_allocation_without_conflict_follows_the_ranking(bylaws):
    result = allocate_seats(_ranked("WMWMWMM"), 7, bylaws)
    assert [c.id for c in result.elected] == ["W1", "M1", "W2", "M2", "W3", "M3", "M4"]
    assert result.passed_over == [] and result.parity_met


def test_allocation_with_too_few_women_fills_seats_and_says_so(bylaws):
    result = allocate_seats(_ranked("MMMMMW"), 5, bylaws)
    assert [c.id for c in result.elected] == ["M1", "M2", "M3", "M4", "W1"]
    assert not result.parity_met


def test_allocation_counts_other_genders_towards_neither(bylaws):
    # Five seats at 50%: two women and two men at least, so the fifth seat is free for anyone.
    result = allocate_seats(_ranked("OMMMWW"), 5, bylaws)
    assert [c.id for c in result.elected] == ["O1", "M1", "M2", "W1", "W2"]
    assert result.parity_met
    # Four seats at 50% leave no seat outside the two minimums: the first-ranked is passed over, and why.
    even = allocate_seats(_ranked("OMMMWW"), 4, bylaws)
    assert [c.id for c in even.elected] == ["M1", "M2", "W1", "W2"]
    assert [(c.id, reason) for c, reason in even.passed_over] == [("O1", "parity"), ("M3", "parity")]


# --- elections --------------------------------------------------------------------------------------------


def test_three_round_election(bylaws):
    assert votes_needed_in_round(1, 30, bylaws) == 20 and votes_needed_in_round(2, 30, bylaws) == 16
    assert count_round(1, {"Ayşe": 20, "Can": 10}, 30, bylaws).winner == "Ayşe"
    assert count_round(1, {"Ayşe": 19, "Can": 11}, 30, bylaws).winner is None
    second = count_round(2, {"Ayşe": 15, "Can": 10, "Deniz": 5}, 30, bylaws)
    assert second.winner is None and second.runoff_between == ("Ayşe", "Can")
    assert count_round(2, {"Ayşe": 16, "Can": 14}, 30, bylaws).winner == "Ayşe"
    assert count_round(3, {"Ayşe": 15, "Can": 13}, 30, bylaws).winner == "Ayşe"
    tied = count_round(3, {"Ayşe": 14, "Can": 14}, 30, bylaws)
    assert tied.tie and tied.winner is None


def test_runoff_keeps_everyone_tied_for_second(bylaws):
    result = count_round(2, {"Ayşe": 12, "Can": 8, "Deniz": 8, "Ece": 2}, 30, bylaws)
    assert set(result.runoff_between) == {"Ayşe", "Can", "Deniz"}


def test_plurality_election(bylaws):
    plurality = with_(bylaws, election_round_rule="plurality")
    assert count_round(1, {"Ayşe": 3, "Can": 2}, 30, plurality).winner == "Ayşe"
    assert count_round(1, {"Ayşe": 3, "Can": 3}, 30, plurality).tie


def test_a_rounds_ballots_against_those_present_and_the_votes():
    # A single seat: one name per valid ballot.
    assert round_ballot_problem({"Ayşe": 3, "Can": 1}, 1, 4, 0, 0, present_entitled=4) is None
    assert round_ballot_problem({"Ayşe": 3, "Can": 1}, 1, 5, 0, 0, present_entitled=4) == "over_present"
    assert round_ballot_problem({"Ayşe": 3, "Can": 1}, 1, 4, 1, 0, present_entitled=4) == "over_ballots"
    assert round_ballot_problem({}, 1, 2, 2, 1, present_entitled=4) == "blank_invalid"
    assert round_ballot_problem({"Ayşe": 2}, 1, 4, 1, 1, present_entitled=4) is None
    # Three seats: up to three names on a ballot, none twice.
    assert round_ballot_problem({"A": 4, "B": 4, "C": 4}, 3, 4, 0, 0, present_entitled=9) is None
    assert round_ballot_problem({"A": 5, "B": 1}, 3, 4, 0, 0, present_entitled=9) == "over_ballots"
    assert round_ballot_problem({"A": 4, "B": 4, "C": 4, "D": 1}, 3, 4, 0, 0, present_entitled=9) == "over_ballots"


def test_an_elections_term_may_have_begun_a_little_ago():
    today = date(2026, 12, 1)
    assert term_start_problem(date(2027, 6, 1), today, 30) is None
    assert term_start_problem(date(2026, 11, 1), today, 30) is None  # 30 days ago
    assert term_start_problem(date(2026, 10, 31), today, 30) == "too_far_past"
    assert term_start_problem(date(2026, 11, 30), today, 0) == "too_far_past"


# --- statutory calendar -----------------------------------------------------------------------------------


def test_general_assembly_warnings():
    from konsey.core.rules.calendar import general_assembly_warnings

    assert [w.code for w in general_assembly_warnings(2026, 1, 1, 2, date(2026, 3, 1))] == []
    assert [w.code for w in general_assembly_warnings(2026, 0, 1, 2, date(2026, 3, 1))] == [
        "general_assembly_sessions_missing"]
    assert [w.code for w in general_assembly_warnings(2026, 0, 2, 2, date(2026, 8, 1))] == [
        "general_assembly_none_held"]


def test_terms_ending_within_ninety_days():
    from konsey.core.rules.calendar import terms_ending

    today = date(2026, 11, 1)
    ends = [("Yürütme Kurulu", date(2026, 12, 31)), ("Yürütme Kurulu", date(2026, 12, 31)),
            ("Çalışma grubu", date(2027, 6, 1)), ("Eski", date(2026, 10, 1))]
    assert [(w.message_args["body"], w.message_args["ends_on"]) for w in terms_ending(ends, today)] == [
        ("Yürütme Kurulu", "2026-12-31")]


def test_category_caps():
    from konsey.core.rules.membership import category_cap

    assert category_cap("public_body", None) == 10
    assert category_cap("muhtar", 12) == 12  # all of them
    assert category_cap("muhtar", 20) == 20
    assert category_cap("muhtar", 50) == 20  # 30% is 15: at least 20
    assert category_cap("muhtar", 100) == 30
    assert category_cap("muhtar", None) is None and category_cap("individual", 100) is None


def test_a_tied_last_round_is_settled_by_the_tie_rule():
    tied = ("ayse", "mehmet")
    assert settle_final_tie(tied, "chair_decides", chair_choice="mehmet") == ("mehmet", "chair")
    with pytest.raises(ValueError):
        settle_final_tie(tied, "chair_decides")  # the chair has not chosen
    with pytest.raises(ValueError):
        settle_final_tie(tied, "chair_decides", chair_choice="can")  # not one of the tied
    assert settle_final_tie(tied, "fails") == (None, "failed")
    drawn = {settle_final_tie(tied, "lot", seed=seed)[0] for seed in range(30)}
    assert drawn == set(tied)  # both can be drawn, and only they
    assert settle_final_tie(tied, "lot", seed=7) == settle_final_tie(tied, "lot", seed=7)


def test_an_executive_board_is_lawfully_composed():
    from konsey.core.rules.meetings import board_composition_problems

    assert board_composition_problems(7, 7, []) == []
    assert board_composition_problems(6, 7, []) == ["below_minimum"]
    assert board_composition_problems(11, 7, ["youth_assembly"]) == ["president_missing:youth_assembly"]


def test_check_ins_and_votes_happen_within_the_meeting():
    from datetime import UTC, datetime, timedelta

    from konsey.core.rules.meetings import sitting_problem

    start = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    assert sitting_problem(start - timedelta(days=3), start, False, 60) == "not_yet"
    assert sitting_problem(start - timedelta(minutes=61), start, False, 60) == "not_yet"
    assert sitting_problem(start - timedelta(minutes=60), start, False, 60) is None  # the roll opens early
    assert sitting_problem(start - timedelta(minutes=1), start, False, 0) == "not_yet"  # no tolerance
    assert sitting_problem(start + timedelta(hours=5), start, False, 60) is None  # a long meeting goes on
    assert sitting_problem(start + timedelta(minutes=5), start, True, 60) == "closed"


def test_the_general_assembly_counts_a_seat_for_each_approved_group():
    from konsey.core.rules.membership import general_assembly_full_membership

    assert general_assembly_full_membership(40, 12, 3, individuals_vote=True) == 55
    assert general_assembly_full_membership(40, 12, 3, individuals_vote=False) == 15  # groups keep their vote
    assert general_assembly_full_membership(0, 0, 0, individuals_vote=True) == 0


def test_a_meeting_moves_later_freely_and_earlier_only_with_notice():
    from datetime import UTC, datetime, timedelta

    from konsey.core.rules.meetings import reschedule_problem

    now = datetime(2027, 3, 1, 9, tzinfo=UTC)
    called_for = now + timedelta(days=4)
    assert reschedule_problem(now, called_for, now + timedelta(days=5), 7) is None  # postponed: notice kept
    assert reschedule_problem(now, called_for, now + timedelta(days=2), 7) == "notice"  # brought forward, short
    assert reschedule_problem(now, called_for, now + timedelta(days=3), 3) is None  # brought forward with notice
    assert reschedule_problem(now, called_for, now - timedelta(minutes=1), 0) == "past"
    assert reschedule_problem(now, called_for, now, 0) == "past"


def test_votes_open_at_the_announced_start():
    from datetime import UTC, datetime, timedelta

    from konsey.core.rules.meetings import votes_open

    start = datetime(2027, 3, 1, 18, tzinfo=UTC)
    assert not votes_open(start - timedelta(seconds=1), start) and votes_open(start, start)
    assert votes_open(start + timedelta(hours=2), start)
