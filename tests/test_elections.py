"""Elections: eligibility with the term limit, rounds by the by-laws, seats with parity and 2 + 3 year terms."""

from __future__ import annotations

from datetime import timedelta

import pytest

from support.clock import first_of_a_month_ahead, in_years

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def setup(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    people = {}
    for name, gender in [("Ayşe", "female"), ("Zeynep", "female"), ("Elif", "female"), ("Mehmet", "male"),
                         ("Can", "male"), ("Ali", "male"), ("Emre", "male")]:
        people[name] = str(world.member(council, name=name, gender=gender))
    # The general assembly sits now with all seven present: where its elections' rounds are counted (rule 1).
    from conftest import sitting

    ga_sitting = sitting(admin, BASE, bodies["general_assembly"], list(people.values()))
    return {"admin": admin, "bodies": bodies, "people": people, "sitting": ga_sitting}


def first_term():
    """A first term starting some months ahead (by-laws refuse a term that began over 30 days ago)."""
    return first_of_a_month_ahead(6)


def _iso(day) -> str:
    return day.isoformat()


def _election(setup, office, seats=1, term_start=None, term_index=0):
    term_start = term_start or _iso(first_term())
    return setup["admin"].post(f"{BASE}/elections", json={
        "electing_body_id": setup["bodies"]["general_assembly"], "target_body_id": setup["bodies"]["executive_board"],
        "office": office, "seats": seats, "term_start": term_start, "term_index": term_index,
        "meeting_id": setup["sitting"]}).json


def _working_group(setup, name, participants=0):
    """An approved working group with ``participants`` non-members taking part."""
    from conftest import approve_by_general_assembly

    admin = setup["admin"]
    group = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": name}).json
    assert approve_by_general_assembly(admin, BASE, group["id"], list(setup["people"].values())).status_code == 200
    for index in range(participants):
        admin.post(f"{BASE}/bodies/{group['id']}/participants", json={"name": f"Katılımcı {index + 1}",
                                                                       "consent": True})
    return group


def test_president_elected_in_the_third_round(setup):
    admin, people = setup["admin"], setup["people"]
    election = _election(setup, "president")
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet", "Can"):
        assert admin.post(f"{url}/candidates", json={"member_id": people[name]}).status_code == 201
    # 7 members: round 1 needs 5 (two thirds), round 2 needs 4 (absolute majority), then a run-off.
    first = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 3, people["Mehmet"]: 3, people["Can"]: 1}}).json
    assert first["winner"] is None and first["needed"] == 5
    second = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 3, people["Mehmet"]: 3, people["Can"]: 1}}).json
    assert second["runoff_between"] == sorted([people["Ayşe"], people["Mehmet"]])
    refused = admin.post(f"{url}/rounds", json={"votes": {people["Can"]: 7}})
    assert refused.status_code == 422  # only the run-off pair
    third = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 4, people["Mehmet"]: 3}}).json
    assert third["winner"] == people["Ayşe"]
    decided = admin.get(url).json
    ends = _iso(in_years(first_term(), 2) - timedelta(days=1))  # first term: 2 years
    assert decided["status"] == "decided" and decided["result"]["term_ends"] == ends
    assert [r["meeting_id"] for r in decided["rounds"]] == [setup["sitting"]] * 3
    assert decided["rounds"][0]["present"] == 7 and decided["rounds"][0]["ballots_cast"] == 7
    on = _iso(first_term() + timedelta(days=1))
    seats = admin.get(f"{BASE}/bodies/{setup['bodies']['executive_board']}?on={on}").json["seats"]
    assert [(s["member_name"], s["role"], s["ends_on"]) for s in seats] == [("Ayşe", "chair", ends)]


def test_term_limit_blocks_a_third_consecutive_term(setup):
    admin, people = setup["admin"], setup["people"]
    for start, index in ((_iso(first_term()), 0), (_iso(in_years(first_term(), 2)), 1)):
        election = _election(setup, "president", term_start=start, term_index=index)
        url = f"{BASE}/elections/{election['id']}"
        admin.post(f"{url}/candidates", json={"member_id": people["Ayşe"]})
        assert admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 6}}).json["winner"] == people["Ayşe"]
    third = _election(setup, "president", term_start=_iso(in_years(first_term(), 5)))
    refused = admin.post(f"{BASE}/elections/{third['id']}/candidates", json={"member_id": people["Ayşe"]})
    assert refused.status_code == 422 and "member_id" in refused.json["errors"]
    assert admin.post(f"{BASE}/elections/{third['id']}/candidates", json={"member_id": people["Can"]}).status_code == 201


def test_board_seats_honour_parity_and_say_who_was_passed_over(setup):
    admin, people = setup["admin"], setup["people"]
    election = _election(setup, "executive_board", seats=4)
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Mehmet", "Can", "Ali", "Ayşe", "Zeynep"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    result = admin.post(f"{url}/rounds", json={"votes": {people["Mehmet"]: 7, people["Can"]: 6, people["Ali"]: 5,
                                                          people["Ayşe"]: 4, people["Zeynep"]: 3},
                                               "ballots_cast": 7}).json
    assert set(result["elected"]) == {people["Mehmet"], people["Can"], people["Ayşe"], people["Zeynep"]}
    assert result["passed_over"] == [{"member_id": people["Ali"], "reason": "parity"}]
    assert result["parity_met"] is True
    on = _iso(first_term() + timedelta(days=30))
    parity = admin.get(f"{BASE}/bodies/{setup['bodies']['executive_board']}?on={on}").json["parity"]
    assert parity["met"] and parity["women"] == 2


def test_bad_election_input(setup):
    admin, people = setup["admin"], setup["people"]
    assert admin.post(f"{BASE}/elections", json={"electing_body_id": setup["bodies"]["general_assembly"],
                                                 "target_body_id": setup["bodies"]["executive_board"],
                                                 "office": "president", "seats": 3,
                                                 "term_start": _iso(first_term())}).status_code == 422
    election = _election(setup, "president")
    url = f"{BASE}/elections/{election['id']}"
    admin.post(f"{url}/candidates", json={"member_id": people["Ayşe"]})
    twice = admin.post(f"{url}/candidates", json={"member_id": people["Ayşe"]})
    assert twice.status_code == 409
    assert admin.post(f"{url}/rounds", json={"votes": {people["Can"]: 3}}).status_code == 422  # not a candidate
    assert admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: -1}}).status_code == 422


def test_co_spokespersons_are_one_woman_and_one_man_where_the_bylaws_say_so(setup):
    from datetime import date, timedelta

    admin, people = setup["admin"], setup["people"]
    group = _working_group(setup, "Kadın Çalışma Grubu", participants=6)
    start = (date.today() + timedelta(days=10)).isoformat()
    payload = {"electing_body_id": group["id"], "target_body_id": group["id"], "office": "facilitator", "seats": 2,
               "term_start": start}
    assert admin.post(f"{BASE}/elections", json=payload).status_code == 422  # by default one facilitator
    admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                       "parameters": {"co_chairs_one_woman_one_man": True}})
    election = admin.post(f"{BASE}/elections", json=payload).json
    url = f"{BASE}/elections/{election['id']}"
    voters = [people[name] for name in ("Mehmet", "Can", "Ayşe", "Zeynep", "Elif")]
    for member_id in voters:
        admin.post(f"{BASE}/bodies/{group['id']}/seats", json={"member_id": member_id, "role": "principal",
                                                              "starts_on": "2026-01-01"})
    for name in ("Mehmet", "Can", "Ayşe"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    from conftest import sitting

    result = admin.post(f"{url}/rounds", json={"votes": {people["Mehmet"]: 5, people["Can"]: 3,
                                                          people["Ayşe"]: 2}, "ballots_cast": 5,
                                               "meeting_id": sitting(admin, BASE, group["id"], voters)}).json
    assert set(result["elected"]) == {people["Mehmet"], people["Ayşe"]}
    assert result["passed_over"] == [{"member_id": people["Can"], "reason": "parity"}]


def test_a_tied_run_off_is_decided_by_lot_where_the_bylaws_say_so(setup):
    import random
    from datetime import date, timedelta

    admin, people = setup["admin"], setup["people"]
    admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                       "parameters": {"tie_rule": "lot"}})
    election = _election(setup, "president", term_start=(date.today() + timedelta(days=5)).isoformat())
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    tie = {people["Ayşe"]: 3, people["Mehmet"]: 3}
    admin.post(f"{url}/rounds", json={"votes": tie})
    admin.post(f"{url}/rounds", json={"votes": tie})
    third = admin.post(f"{url}/rounds", json={"votes": tie}).json
    assert third["tie"] and third["winner"] in tie
    assert third["winner"] == random.Random(third["lot_seed"]).choice(sorted(tie))  # the kept seed redoes it
    assert admin.get(url).json["status"] == "decided"


@pytest.mark.parametrize("tie_rule", ["chair_decides", "fails"])
def test_a_tied_last_round_follows_the_bylaws_tie_rule(setup, tie_rule):
    from datetime import date, timedelta

    admin, people = setup["admin"], setup["people"]
    admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                       "parameters": {"tie_rule": tie_rule}})
    election = _election(setup, "president", term_start=(date.today() + timedelta(days=5)).isoformat())
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    tie = {people["Ayşe"]: 3, people["Mehmet"]: 3}
    admin.post(f"{url}/rounds", json={"votes": tie})
    admin.post(f"{url}/rounds", json={"votes": tie})
    if tie_rule == "chair_decides":
        refused = admin.post(f"{url}/rounds", json={"votes": tie})
        assert refused.status_code == 422 and "chair_choice" in refused.json["errors"]
        assert len(admin.get(url).json["rounds"]) == 2  # nothing recorded
        third = admin.post(f"{url}/rounds", json={"votes": tie, "chair_choice": people["Mehmet"]}).json
        assert third["winner"] == people["Mehmet"] and third["decided_by"] == "chair"
        assert admin.get(url).json["status"] == "decided"
    else:
        third = admin.post(f"{url}/rounds", json={"votes": tie}).json
        assert third["winner"] is None and third["decided_by"] == "failed"
        assert admin.get(url).json["status"] == "failed"
        again = admin.post(f"{url}/rounds", json={"votes": tie})
        assert again.status_code == 409  # a failed election takes no more rounds


def test_working_group_elections_need_enough_people_and_one_officer_post_each(setup):
    from datetime import date, timedelta

    admin, people = setup["admin"], setup["people"]
    start = (date.today() + timedelta(days=10)).isoformat()
    small = _working_group(setup, "Küçük Grup", participants=5)
    payload = {"electing_body_id": small["id"], "target_body_id": small["id"], "office": "facilitator",
               "term_start": start}
    refused = admin.post(f"{BASE}/elections", json=payload)
    assert refused.status_code == 422 and "electing_body_id" in refused.json["errors"]
    admin.post(f"{BASE}/bodies/{small['id']}/seats", json={"member_id": people["Ayşe"], "role": "principal",
                                                          "starts_on": "2026-01-01"})
    election = admin.post(f"{BASE}/elections", json=payload)  # 5 participants and a member make 6
    assert election.status_code == 201

    other = _working_group(setup, "Ulaşım Grubu", participants=6)
    admin.post(f"{BASE}/bodies/{other['id']}/seats", json={"member_id": people["Can"], "role": "facilitator",
                                                          "starts_on": "2026-01-01"})
    url = f"{BASE}/elections/{election.json['id']}/candidates"
    busy = admin.post(url, json={"member_id": people["Can"]})
    assert busy.status_code == 409 and "member_id" in busy.json["errors"]
    assert admin.post(url, json={"member_id": people["Ayşe"]}).status_code == 201
    admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                       "parameters": {"working_group_one_officer_post": False}})
    assert admin.post(url, json={"member_id": people["Can"]}).status_code == 201


def test_a_working_group_elects_its_president_and_officers_in_one_election(setup):
    """Rule 6: where the by-laws set officers, one election fills the president's post and as many officer posts;
    the minimum of participants and one officer post per person across groups hold as for a single seat."""
    from datetime import date, timedelta

    admin, people = setup["admin"], setup["people"]
    changed = admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                                 "parameters": {"working_group_officers": 2}})
    assert changed.status_code == 201, changed.json
    group = _working_group(setup, "Çevre Grubu", participants=3)
    for name in ("Ayşe", "Mehmet", "Zeynep", "Can"):
        admin.post(f"{BASE}/bodies/{group['id']}/seats", json={"member_id": people[name], "role": "principal",
                                                              "starts_on": "2026-01-01"})
    start = (date.today() + timedelta(days=10)).isoformat()
    payload = {"electing_body_id": group["id"], "target_body_id": group["id"], "office": "facilitator",
               "term_start": start}
    one_seat = admin.post(f"{BASE}/elections", json=payload)
    assert one_seat.status_code == 422 and "3" in str(one_seat.json["errors"]["seats"])
    election = admin.post(f"{BASE}/elections", json={**payload, "seats": 3})
    assert election.status_code == 201, election.json
    url = f"{BASE}/elections/{election.json['id']}"
    other = _working_group(setup, "Ulaşım Grubu", participants=6)
    admin.post(f"{BASE}/bodies/{other['id']}/seats", json={"member_id": people["Ali"], "role": "facilitator",
                                                          "starts_on": "2026-01-01"})
    assert admin.post(f"{url}/candidates", json={"member_id": people["Ali"]}).status_code == 409  # one post each
    for name in ("Ayşe", "Mehmet", "Zeynep", "Can"):
        assert admin.post(f"{url}/candidates", json={"member_id": people[name]}).status_code == 201
    from conftest import sitting

    voters = [people[name] for name in ("Ayşe", "Mehmet", "Zeynep", "Can")]
    decided = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 2, people["Mehmet"]: 4,
                                                          people["Zeynep"]: 3, people["Can"]: 1}, "ballots_cast": 4,
                                                "meeting_id": sitting(admin, BASE, group["id"], voters)})
    assert decided.status_code == 200, decided.json
    assert decided.json["president"] == people["Mehmet"]
    seats = admin.get(f"{BASE}/bodies/{group['id']}?on={start}").json["seats"]
    officers = {s["member_name"]: s["role"] for s in seats if s["role"] in ("chair", "facilitator")}
    assert officers["Mehmet"] == "chair"
    assert sorted(name for name, role in officers.items() if role == "facilitator") == ["Ayşe", "Zeynep"]


def test_an_election_that_leaves_the_board_short_says_why(setup):
    """Rule 3: the board is flagged (its API field says so) and the election that leaves it so says why."""
    admin, people = setup["admin"], setup["people"]
    election = _election(setup, "executive_board", seats=3)
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet", "Zeynep", "Can"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    decided = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 5, people["Mehmet"]: 4,
                                                          people["Zeynep"]: 3, people["Can"]: 1}, "ballots_cast": 7})
    assert decided.status_code == 200, decided.json
    assert decided.json["board_problems"] == ["below_minimum"]
    assert any("3" in line and "7" in line for line in decided.json["board_warnings"])
    board = admin.get(f"{BASE}/bodies/{setup['bodies']['executive_board']}?on={_iso(first_term() + timedelta(days=1))}").json
    assert board["lawfully_composed"] is False and "below_minimum" in board["composition_problems"]


def test_a_round_is_counted_in_a_quorate_sitting_of_the_electing_body(setup):
    """Rule 1: each round takes place in a meeting of the electing body whose quorum is met, with no more
    ballots than those present with a vote and no more votes than the ballots carry; refusals change nothing."""
    from conftest import sitting

    admin, people, bodies = setup["admin"], setup["people"], setup["bodies"]
    election = admin.post(f"{BASE}/elections", json={
        "electing_body_id": bodies["general_assembly"], "target_body_id": bodies["executive_board"],
        "office": "president", "term_start": _iso(first_term())}).json
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    votes = {people["Ayşe"]: 2, people["Mehmet"]: 1}

    nowhere = admin.post(f"{url}/rounds", json={"votes": votes})
    assert nowhere.status_code == 422 and "meeting_id" in nowhere.json["errors"]
    board_sitting = sitting(admin, BASE, bodies["executive_board"], [])
    elsewhere = admin.post(f"{url}/rounds", json={"votes": votes, "meeting_id": board_sitting})
    assert elsewhere.status_code == 422 and "meeting_id" in elsewhere.json["errors"]
    thin = sitting(admin, BASE, bodies["general_assembly"], [people["Ayşe"], people["Mehmet"], people["Can"]])
    no_quorum = admin.post(f"{url}/rounds", json={"votes": votes, "meeting_id": thin})
    assert no_quorum.status_code == 409 and "3" in no_quorum.json["errors"]["meeting_id"][0]

    quorate = sitting(admin, BASE, bodies["general_assembly"],
                      [people[name] for name in ("Ayşe", "Mehmet", "Can", "Ali")])  # 4 of 7: the quorum
    stuffed = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 3, people["Mehmet"]: 2},
                                                "meeting_id": quorate})
    assert stuffed.status_code == 422 and "4" in stuffed.json["errors"]["ballots_cast"][0]
    over = admin.post(f"{url}/rounds", json={"votes": votes, "ballots_cast": 3, "blank": 1, "meeting_id": quorate})
    assert over.status_code == 422 and "votes" in over.json["errors"]
    blanks = admin.post(f"{url}/rounds", json={"votes": {}, "ballots_cast": 2, "blank": 2, "invalid": 1,
                                               "meeting_id": quorate})
    assert blanks.status_code == 422 and "blank" in blanks.json["errors"]
    assert admin.get(url).json["rounds"] == []  # nothing of the refused rounds was kept

    counted = admin.post(f"{url}/rounds", json={"votes": votes, "blank": 1, "meeting_id": quorate})
    assert counted.status_code == 200, counted.json
    kept = admin.get(url).json["rounds"][0]
    assert (kept["meeting_id"], kept["ballots_cast"], kept["blank"], kept["present"]) == (quorate, 4, 1, 4)
    assert counted.json["needed"] == 5  # two thirds of the full membership (7) on the sitting's day

    admin.post(f"{BASE}/meetings/{quorate}/close", json={})
    closed = admin.post(f"{url}/rounds", json={"votes": votes, "meeting_id": quorate})
    assert closed.status_code == 409 and "meeting_id" in closed.json["errors"]


def test_a_multi_seat_round_needs_its_ballots_and_no_candidate_beyond_them(setup):
    admin, people = setup["admin"], setup["people"]
    election = _election(setup, "executive_board", seats=3)
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet", "Zeynep", "Can"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    votes = {people["Ayşe"]: 5, people["Mehmet"]: 4, people["Zeynep"]: 3, people["Can"]: 1}
    unsaid = admin.post(f"{url}/rounds", json={"votes": votes})
    assert unsaid.status_code == 422 and "ballots_cast" in unsaid.json["errors"]
    beyond = admin.post(f"{url}/rounds", json={"votes": votes, "ballots_cast": 4})  # Ayşe's 5 on 4 ballots
    assert beyond.status_code == 422 and "votes" in beyond.json["errors"]
    assert admin.post(f"{url}/rounds", json={"votes": votes, "ballots_cast": 5}).status_code == 200


def test_the_full_membership_of_a_round_is_the_bodys_on_the_sittings_day(setup):
    """A working group of four today, six from the term's first day: round 1 needs two thirds of four."""
    from datetime import date, timedelta

    from conftest import sitting

    admin, people = setup["admin"], setup["people"]
    group = _working_group(setup, "Kent Tarihi Grubu", participants=2)
    start = date.today() + timedelta(days=10)
    for name in ("Ayşe", "Mehmet", "Zeynep", "Can"):
        admin.post(f"{BASE}/bodies/{group['id']}/seats", json={"member_id": people[name], "role": "principal",
                                                              "starts_on": "2026-01-01"})
    for name in ("Ali", "Emre"):
        admin.post(f"{BASE}/bodies/{group['id']}/seats", json={"member_id": people[name], "role": "principal",
                                                              "starts_on": start.isoformat()})
    election = admin.post(f"{BASE}/elections", json={"electing_body_id": group["id"], "target_body_id": group["id"],
                                                     "office": "facilitator", "term_start": start.isoformat()}).json
    url = f"{BASE}/elections/{election['id']}"
    for name in ("Ayşe", "Mehmet"):
        admin.post(f"{url}/candidates", json={"member_id": people[name]})
    here = sitting(admin, BASE, group["id"], [people[name] for name in ("Ayşe", "Mehmet", "Zeynep", "Can")])
    decided = admin.post(f"{url}/rounds", json={"votes": {people["Ayşe"]: 3, people["Mehmet"]: 1},
                                                "meeting_id": here}).json
    assert decided["needed"] == 3 and decided["winner"] == people["Ayşe"]


def test_an_election_is_not_called_for_a_term_long_begun(setup):
    from datetime import date, timedelta

    admin, bodies = setup["admin"], setup["bodies"]
    payload = {"electing_body_id": bodies["general_assembly"], "target_body_id": bodies["executive_board"],
               "office": "president"}
    months_ago = admin.post(f"{BASE}/elections",
                            json={**payload, "term_start": (date.today() - timedelta(days=31)).isoformat()})
    assert months_ago.status_code == 422 and "30" in months_ago.json["errors"]["term_start"][0]
    assert admin.get(f"{BASE}/elections").json == []
    lately = admin.post(f"{BASE}/elections", json={**payload, "term_start": (date.today() - timedelta(days=10))
                                                   .isoformat()})
    assert lately.status_code == 201
