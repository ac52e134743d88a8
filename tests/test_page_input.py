"""Bad input on any page never gives a server error: every POST form of a council's pages, given nonsense,
answers with a page (a message, a redirect back, a 4xx), never a 500."""

from __future__ import annotations

import re

import pytest
from test_isolation_endpoints import build, council_rules, councils  # noqa: F401 - `councils` is a fixture

from conftest import login

FIELDS = ("body_id", "kind", "title", "date", "time", "location", "agenda", "reconvened", "member_id",
          "representative_id", "stands_in_for_id", "online", "choice", "chair_vote", "reason", "status",
          "delivered_on", "answer", "text", "municipal_decision_date", "municipal_decision_number", "meeting_id",
          "name", "proposal", "role", "starts_on", "ends_on", "on", "email", "phone", "organisation", "consent",
          "electing_body_id", "target_body_id", "office", "seats", "term_start", "term_index", "chair_choice",
          "year", "amount", "municipal_decision", "description", "estimated_value", "spent_on", "category",
          "channel", "address", "effective_from", "public", "decision_reference", "guardian_name", "relation",
          "given_on", "method", "birth_date", "school_grade", "guardian_email", "guardian_relation",
          "notice_version", "consents", "votes-x", "tie_rule", "notice_days_other_meetings",
          "gender_parity_share", "term_pattern_years", "export_acknowledged", "immediate", "decision",
          "yes", "no", "abstain", "choice-00000000-0000-0000-0000-000000000000", "content", "confirm_name", "then",
          "capacity", "mandate_letter", "mandate_expires_on", "vote_id", "author", "motion_id", "neighbourhood",
          "tckn", "derbis_no", "mersis_no", "detsis_no", "kep_address", "representative_name", "substitute_name",
          "joined_on", "gender", "dry_run", "representative")

NONSENSE = [
    {},
    dict.fromkeys(FIELDS, "bogus"),
    dict.fromkeys(FIELDS, ""),
    dict.fromkeys(FIELDS, "-1"),
    dict.fromkeys(FIELDS, "9999-99-99"),
    dict.fromkeys(FIELDS, "x" * 5000),
    dict.fromkeys(FIELDS, "00000000-0000-0000-0000-000000000000"),
]


@pytest.mark.parametrize("payload", range(len(NONSENSE)))
def test_no_page_form_answers_a_server_error(sqlite_app, councils, payload):  # noqa: F811 - the fixture
    client = sqlite_app.test_client()
    assert login(client, "admin@alpha.example.org").status_code == 302
    checked = 0
    for rule, method in council_rules(sqlite_app) + council_rules(sqlite_app, public=True):
        if method != "POST" or rule.rule.startswith("/api/"):
            continue
        url = build(rule, "alpha", councils)
        response = client.post(url, data=NONSENSE[payload])
        assert response.status_code < 500, f"POST {url} with {list(NONSENSE[payload].values())[:1]}: " \
                                           f"{response.status_code}"
        checked += 1
    assert checked >= 30


def test_a_field_without_errors_names_no_error_message(sqlite_app):
    """aria-describedby points at the field's error list only when there is one (it once read "None")."""
    page = sqlite_app.test_client().get("/login").get_data(as_text=True)
    assert 'id="email"' in page and '="None"' not in page and "aria-invalid" not in page
    refused = sqlite_app.test_client().post("/login", data={"email": "x@example.org"}).get_data(as_text=True)
    assert 'aria-describedby="password-err"' in refused and 'id="password-err"' in refused
    assert 'aria-invalid="true"' in refused and 'value="x@example.org"' in refused


def test_a_page_to_come_back_to_carries_no_stray_question_mark(sqlite_app):
    """Werkzeug's full path ends in "?" when there is no query: the language link and the sign-in redirect
    name the path alone."""
    client = sqlite_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'next=/login"' in page and not re.search(r'next=[^"]*(\?|%3F)"', page)
    sent = client.get("/izmir/members")
    assert sent.status_code in (302, 404)
    if sent.status_code == 302:
        assert not sent.headers["Location"].endswith("%3F")
