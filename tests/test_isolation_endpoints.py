"""The first law, at the edge: for every page and API route of a council, council B's people, tokens and
sessions get 404 for council A, and A's ids are not found through B's URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from conftest import login
from support.clock import days_from_today, years_ago


@pytest.fixture
def councils(world):
    a = world.council("alpha")
    b = world.council("beta", province=16)
    member_a = world.member(a, name="Gizli Üye")
    application_a = world.application(a)
    admin_a = world.user("admin@alpha.example.org", roles={a: "administrator"})
    admin_b = world.user("admin@beta.example.org", roles={b: "administrator"})
    seats = world.body_with_seat(a, member_a)
    for plugin in ("children_assembly", "youth_assembly", "womens_assembly", "elders_assembly", "participation"):
        world.enable(a, plugin)
    return {"a": a, "b": b, "member_a": member_a, "participant_a": world.participant(a, seats["body_a"]),
            "admin_b": admin_b, "token_b": world.token(admin_b, b),
            "grant_a": world.grant_of(admin_a, a), "application_a": application_a,
            **seats, **world.meeting_with_vote(a, member_a),
            "election_a": world.election(a), "report_a": world.report(a), **world.representative(a),
            **world.child(a), "plugin_a": "womens_assembly",
            "action_a": "approve", "kind_a": "allocations", "letter_a": world.dead_letter(a),
            "notification_a": world.notification(a, member_a), "request_a": world.session_request(a),
            "job_a": world.export_job(a), "floor_motion_a": world.floor_motion(a, member_a), "form_a": "board",
            "number_a": 1, "concern_a": _elder_concern(world, a), **_participation(world, a, seats["body_a"])}


def _participation(world, council_id, body_id):
    """A's residents' proposal (number 1), a draft of its by-laws with a comment, and a flag on the comment."""
    from datetime import timedelta

    from konsey.plugins.participation import models
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.models import council_today
    from konsey.tenants.scoping import bound_council

    with world.app.app_context(), bound_council(council_id):
        resident = models.Resident(email="gizli@example.org", name="Gizli Yurttaş", neighbourhood="Alsancak",
                                   password_hash="x", notice_version="2026-12", verified_at=utcnow())
        db.session.add(resident)
        db.session.flush()
        db.session.add(models.Proposal(number=1, title="Gizli öneri", text="Gizli bir öneri metni.",
                                       neighbourhood="Alsancak", author_id=resident.id, threshold=5))
        draft = models.Draft(kind=models.DraftKind.BYLAWS, title="Gizli taslak", body_id=body_id,
                             opens_on=council_today(), closes_on=council_today() + timedelta(days=9))
        db.session.add(draft)
        db.session.flush()
        db.session.add(models.DraftVersion(draft_id=draft.id, version=1, text="Gizli madde."))
        comment = models.Comment(draft_id=draft.id, version=1, paragraph=1, text="Gizli yorum.",
                                 author_id=resident.id)
        db.session.add(comment)
        db.session.flush()
        flag = models.Flag(comment_id=comment.id, reason=models.FlagReason.SPAM)
        db.session.add(flag)
        db.session.commit()
        return {"draft_a": draft.id, "comment_a": comment.id, "flag_a": flag.id}


def _elder_concern(world, council_id):
    from konsey.plugins.elders_assembly.models import ConcernTheme
    from konsey.plugins.elders_assembly.usecases import record_concern
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.base import SYSTEM, acting_as

    with world.app.app_context(), bound_council(council_id), acting_as(SYSTEM):
        return record_concern({"theme": ConcernTheme.HEALTH, "summary": "Gizli bir dert, yalnız A'nın."}).id


def council_rules(app, *, public: bool = False):
    from konsey.app.guard import policy_of

    rules = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "council_slug" in rule.arguments:
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    if policy_of(rule.endpoint, method).is_public == public:
                        rules.append((rule, method))
    return rules


def valid_body(method: str, rule: str, councils: dict) -> dict:
    if method == "PATCH":
        return {"name": "Değişti"}
    if rule.endswith("/attendance") or rule.endswith("/ballots"):
        return {"member_id": str(councils["member_a"]), "choice": "yes"} if "ballots" in rule else {
            "member_id": str(councils["member_a"])}
    if rule.endswith("/meetings/<uuid:meeting_id>/votes") and method == "POST":
        return {"agenda_item_id": str(councils["vote_a"])}
    if rule.endswith("/counts"):
        return {"yes": 1, "no": 0}
    if rule.endswith("/roll-call"):
        return {"ballots": [{"member_id": str(councils["member_a"]), "choice": "yes"}]}
    if rule.endswith("/motions/<uuid:motion_id>/status"):
        return {"status": "sent"}
    if rule.endswith("/answer"):
        return {"answer": "accepted"}
    if rule.endswith("/reports/<uuid:report_id>/versions"):
        return {"text": "Yeni metin"}
    if rule.endswith("/reports/<uuid:report_id>/agenda"):
        return {"meeting_id": str(councils["meeting_a"])}
    if rule.endswith("/representatives"):
        return {"capacity": "representative", "name": "Temsilci Kişi", "mandate_letter": "2026/1",
                "mandate_expires_on": days_from_today(1000).isoformat()}
    if rule.endswith("/history"):
        return {"status": "suspended", "reason": "deneme"}
    if rule.endswith("/candidates"):
        return {"member_id": str(councils["member_a"])}
    if rule.endswith("/rounds"):
        return {"votes": {}}
    if rule.endswith("/seats"):
        return {"member_id": str(councils["member_a"]), "role": "principal", "starts_on": "2026-02-01"}
    if rule.endswith("/plugins/<plugin_name>"):
        return {"config": {}}
    if rule.endswith("/children"):
        return {"name": "Ece Y.", "birth_date": years_ago(11).isoformat(), "guardian": {"name": "Selin Yıldız", "relation": "anne"}}
    if rule.endswith("/consent"):
        return {"guardian_name": "Selin Yıldız", "relation": "anne", "given_on": "2026-01-01", "method": "written_form"}
    if rule.endswith("/officers"):
        return {"office": "president", "votes": {str(councils["child_a"]): 3}}
    if rule.endswith("/impact-note"):
        return {"text": "Bu önerinin kadınlar üzerindeki etkisi olumludur.", "author": "Kadın Meclisi"}
    if rule.endswith("/delivery"):
        return {"channel": "email", "address": "evrak@example.org"}
    if rule.endswith("/notifications/preferences") and method == "PUT":
        return {"preferences": {"decision": "off"}}
    if rule.endswith("/minutes-versions/<int:number>/approvals"):
        return {"member_id": str(councils["member_a"]), "code": "ABCD1234"}
    if rule.endswith("/signatures"):
        return {"member_id": str(councils["member_a"])}
    if rule.endswith("/session-requests/<uuid:request_id>/meeting"):
        return {"meeting_id": str(councils["meeting_a"])}
    if rule.endswith("/absences") and method == "POST":
        return {"member_id": str(councils["member_a"]), "reason": "Hastalık"}
    if rule.endswith("/participants"):
        return {"name": "Deniz Deniz", "consent": True}
    if rule.endswith("/leave"):
        return {"on": "2026-06-01"}
    if rule.endswith("/approval"):
        return {"vote_id": str(councils["vote_a"])}
    if rule.endswith("/reschedule"):
        return {"scheduled_at": (datetime.now(UTC) + timedelta(days=40)).isoformat()}
    if rule.endswith("/cancellation"):
        return {"reason": "Salon tadilatta"}
    if rule.endswith("/dissolution"):
        return {"on": "2026-06-01", "reason": "deneme"}
    if rule.endswith("/end"):
        return {"on": "2026-03-01", "reason": "deneme"}
    if rule.endswith("/by-code"):
        return {"code": "ABCDEFGH"}
    if rule.endswith("/current-item"):
        return {"agenda_item_id": str(councils["item_a"])}
    if rule.endswith("/speakers"):
        return {"member_id": str(councils["member_a"]), "stance": "for"}
    if rule.endswith("/move"):
        return {"direction": "up"}
    if rule.endswith("/presiding-board"):
        return {"chair": str(councils["member_a"])}
    if rule.endswith("/floor-motions"):
        return {"member_id": str(councils["member_a"]), "kind": "procedure", "text": "Ara verilsin."}
    if rule.endswith("/refusal"):
        return {"reason": "Yönetmelikte yok."}
    if rule.endswith("/milestones"):
        return {"state": "planned", "day": "2026-03-01"}
    return {}


def test_public_council_routes_are_the_intended_ones(app):
    assert {(method, rule.rule) for rule, method in council_rules(app, public=True)} == PUBLIC_COUNCIL_ROUTES


ARGUMENTS = {"member_id": "member_a", "grant_id": "grant_a", "application_id": "application_a",
             "body_id": "body_a", "seat_id": "seat_a", "meeting_id": "meeting_a", "vote_id": "vote_a",
             "motion_id": "motion_a", "item_id": "item_a", "election_id": "election_a",
             "report_id": "report_a", "representative_id": "representative_a",
             "participant_id": "participant_a", "plugin_name": "plugin_a", "child_id": "child_a",
             "action": "action_a", "kind": "kind_a", "letter_id": "letter_a",
             "notification_id": "notification_a", "request_id": "request_a", "job_id": "job_a",
             "floor_motion_id": "floor_motion_a", "form": "form_a", "number": "number_a",
             "concern_id": "concern_a", "draft_id": "draft_a", "comment_id": "comment_a", "flag_id": "flag_a"}
NOT_IDS = {"plugin_name", "action", "kind", "form", "number"}
# Council routes anyone may use (they reveal nothing of the council's data): checked separately.
PUBLIC_COUNCIL_ROUTES = {("POST", "/api/v1/councils/<council_slug>/applications"),
                         ("GET", "/<council_slug>/tracker"), ("GET", "/<council_slug>/tracker.atom"),
                         ("GET", "/api/v1/councils/<council_slug>/signing-key"),
                         # authenticated by the council's webhook signature, not by a person:
                         ("POST", "/api/v1/councils/<council_slug>/motions/<uuid:motion_id>/municipal-answer"),
                         ("GET", "/<council_slug>/public"), ("GET", "/<council_slug>/apply"),
                         ("POST", "/<council_slug>/apply"),
                         # a meeting pass's phone page: its link's signed token is the key (exchanged for a
                         # cookie of that meeting's pages), and opens one pass of the council the address names
                         # (tests/test_hybrid_meeting.py tries another's)
                         ("GET", "/<council_slug>/remote/<token>"),
                         *{(method, f"/<council_slug>/remote/m/<uuid:meeting_id>{tail}") for method, tail in (
                             ("GET", ""), ("GET", "/live.json"), ("POST", "/join"), ("POST", "/here"),
                             ("POST", "/leave"), ("POST", "/votes/<uuid:vote_id>"), ("POST", "/floor"),
                             ("POST", "/floor/withdraw"), ("POST", "/floor-motions"),
                             ("POST", "/floor-motions/<uuid:floor_motion_id>/sign"),
                             # a board member reads and approves the minutes (tests/test_meeting_record.py)
                             ("GET", "/minutes/<int:number>.pdf"), ("POST", "/minutes/<int:number>/approve"),
                             # the board's desk on a board member's phone, that meeting only
                             # (tests/test_meeting_record.py::test_the_board_runs_its_meeting_from_its_phones…)
                             ("GET", "/board"), ("POST", "/board/take-up"), ("POST", "/board/votes"),
                             ("POST", "/board/votes/<uuid:vote_id>/counts"), ("POST", "/board/votes/<uuid:vote_id>/close"),
                             ("POST", "/board/floor-motions/<uuid:floor_motion_id>/read"),
                             ("POST", "/board/floor-motions/<uuid:floor_motion_id>/refusal"),
                             ("POST", "/board/floor-motions/<uuid:floor_motion_id>/vote"),
                             # a sealed ballot's page, its state and its steps: a keyholder's or a voter's, in
                             # that meeting only (tests/test_sealed_ballots.py tries another meeting and council)
                             ("GET", "/sealed/<uuid:box_id>"), ("GET", "/sealed/<uuid:box_id>/state.json"),
                             ("POST", "/sealed/<uuid:box_id>/ballot"),
                             ("POST", "/sealed/<uuid:box_id>/<any(transport, dealing, confirm, complaint, "
                                      "decryption, paper):step>"),
                             # confirming the holder where the by-laws ask for it, and a passkey added by a confirmed
                             # phone (tests/test_phone_confirmation.py tries another council's key)
                             ("GET", "/confirm"), ("POST", "/confirm"), ("POST", "/confirm/code"),
                             ("POST", "/confirm/passkey/options"), ("POST", "/confirm/passkey"),
                             ("POST", "/passkeys/options"), ("POST", "/passkeys"))},
                         # a sealed vote's public result and record, for anyone to check (another council's box
                         # is not found: tests/test_sealed_ballots.py)
                         ("GET", "/<council_slug>/sealed/<uuid:box_id>"), ("GET", "/<council_slug>/sealed/<uuid:box_id>.json"),
                         # the council's meetings calendar (no people), and a member's own at a secret address of
                         # that council (tests/test_calendars.py: a renewed or forged one is not found)
                         ("GET", "/<council_slug>/calendar.ics"), ("GET", "/<council_slug>/calendar/<token>.ics"),
                         # the public check of an archive or a fingerprint against the council's own key and
                         # minutes (tests/test_meeting_record.py tries another council's)
                         ("GET", "/<council_slug>/verify"), ("POST", "/<council_slug>/verify"),
                         # residents' participation: public reads, and a resident's own steps (their session
                         # holds an account of that council only: tests/test_participation.py tries another's)
                         *{(method, f"/<council_slug>/p/participation{tail}") for method, tail in (
                             ("GET", "/"), ("GET", "/sign-up"), ("POST", "/sign-up"), ("GET", "/verify/<token>"), ("POST", "/verify/<token>"),
                             ("GET", "/sign-in"), ("POST", "/sign-in"), ("POST", "/sign-out"), ("GET", "/account"),
                             ("GET", "/password/forgot"), ("POST", "/password/forgot"),
                             ("GET", "/password/reset/<token>"), ("POST", "/password/reset/<token>"),
                             ("GET", "/account/my-data.json"), ("POST", "/account/erase"),
                             ("GET", "/proposals/new"), ("POST", "/proposals/new"),
                             ("GET", "/proposals/<int:number>"), ("GET", "/proposals/<int:number>/attachment"),
                             ("POST", "/proposals/<int:number>/support"), ("POST", "/proposals/<int:number>/withdraw"),
                             ("POST", "/proposals/<int:number>/flag"), ("GET", "/groups"),
                             ("POST", "/groups/<uuid:body_id>/join"), ("GET", "/drafts"),
                             ("GET", "/drafts/<uuid:draft_id>"), ("POST", "/drafts/<uuid:draft_id>/comments"),
                             ("POST", "/comments/<uuid:comment_id>/flag"))},
                         *{(method, f"/api/v1/councils/<council_slug>/plugins/participation{tail}") for method, tail in (
                             ("GET", "/proposals"), ("GET", "/proposals/<int:number>"),
                             ("POST", "/proposals/<int:number>/flags"), ("GET", "/working-groups"), ("GET", "/drafts"),
                             ("GET", "/drafts/<uuid:draft_id>"), ("POST", "/comments/<uuid:comment_id>/flags"),
                             # a resident's own steps with their key (X-Resident-Token), which names its council
                             ("POST", "/residents"), ("POST", "/residents/session"), ("GET", "/residents/me"),
                             ("DELETE", "/residents/me"), ("DELETE", "/residents/me/sessions"),
                             ("POST", "/residents/password-reset"), ("POST", "/proposals/new"),
                             ("PUT", "/proposals/<int:number>/support"), ("DELETE", "/proposals/<int:number>/support"),
                             ("POST", "/drafts/<uuid:draft_id>/comments"),
                             ("POST", "/working-groups/<uuid:body_id>/join-requests"))}}


def build(rule, slug: str, councils: dict) -> str:
    path = rule.rule.replace("<council_slug>", slug)
    path = path.replace("<int:year>", "2026")
    for argument, key in ARGUMENTS.items():
        path = re.sub(rf"<(?:uuid:|int:)?{argument}>", str(councils[key]), path)
    return path


def test_every_council_route_is_covered(app):
    rules = council_rules(app)
    assert len(rules) >= 10
    for rule, _method in rules:
        unknown = set(rule.arguments) - {"council_slug", "year", *ARGUMENTS}
        assert not unknown, f"teach this test the argument(s) {unknown} of {rule.rule}"


def test_other_councils_people_get_404_everywhere(app, councils):
    api_client = app.test_client()
    page_client = app.test_client()
    assert login(page_client, "admin@beta.example.org").status_code == 302
    checked = 0
    for rule, method in council_rules(app):
        url = build(rule, "alpha", councils)
        if url.startswith("/api/"):
            response = api_client.open(url, method=method, json={},
                                       headers={"Authorization": f"Bearer {councils['token_b']}"})
        else:
            response = page_client.open(url, method=method, data={})
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        assert b"Gizli" not in response.data
        checked += 1
    assert checked >= 10


def test_ids_of_another_council_are_not_found_through_own_urls(app, councils):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {councils['token_b']}"}
    page_client = app.test_client()
    login(page_client, "admin@beta.example.org")
    for rule, method in council_rules(app):
        if not (set(ARGUMENTS) - NOT_IDS) & set(rule.arguments):
            continue  # a plugin's name is the same in every council: nothing of A's to find
        url = build(rule, "beta", councils)
        if url.startswith("/api/"):
            body = valid_body(method, rule.rule, councils)  # valid, so that the lookup itself must answer
            response = client.open(url, method=method, json=body, headers=headers)
        else:
            response = page_client.open(url, method=method)
        assert response.status_code == 404, f"{method} {url}"
    # and A's member is untouched
    from konsey.core.accounts import CouncilRole
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["a"]):
        assert db.session.get(Member, councils["member_a"]).name == "Gizli Üye"
        assert db.session.get(CouncilRole, councils["grant_a"]) is not None


def test_token_of_one_council_is_useless_in_another_even_for_its_admin(app, world, councils):
    # The same person administers both councils, but a token is scoped to one.
    from konsey.core.accounts import CouncilRoleName, User, grant_role
    from konsey.tenants.db import db

    with app.app_context():
        grant_role(db.session.get(User, councils["admin_b"]), councils["a"], CouncilRoleName.ADMINISTRATOR)
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {councils['token_b']}"}
    assert client.get("/api/v1/councils/beta/members", headers=headers).status_code == 200
    assert client.get("/api/v1/councils/alpha/members", headers=headers).status_code == 404


def test_unknown_council_is_404_like_a_foreign_one(app, councils):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {councils['token_b']}"}
    unknown = client.get("/api/v1/councils/nowhere/members", headers=headers)
    foreign = client.get("/api/v1/councils/alpha/members", headers=headers)
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.json["title"] == foreign.json["title"]


def test_council_list_shows_only_own_councils(app, councils):
    client = app.test_client()
    response = client.get("/api/v1/councils", headers={"Authorization": f"Bearer {councils['token_b']}"})
    assert [c["slug"] for c in response.json] == ["beta"]
