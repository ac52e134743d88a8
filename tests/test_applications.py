"""Membership applications: apply with the information notice and consents, review, decide; erasure."""

from __future__ import annotations

import pytest

from konsey.core.applications import KVKK_NOTICE_VERSION, TRANSITIONS, ApplicationStatus, can_move

URL = "/api/v1/councils/izmir/applications"


def _apply(api, applicant, consents=("membership", "communication"), notice=KVKK_NOTICE_VERSION):
    return api(None).post(URL, json={"applicant": applicant, "notice_version": notice, "consents": list(consents)})


@pytest.fixture
def board(world):
    council = world.council("izmir")
    token = world.token(world.user("yk@izmir.example.org", roles={council: "executive_member"}), council)
    viewer = world.token(world.user("v@izmir.example.org", roles={council: "viewer"}), council)
    return {"council": council, "token": token, "viewer": viewer}


def test_transitions_are_one_way():
    assert can_move(ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
    assert not can_move(ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)
    assert all(not TRANSITIONS[s] for s in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED))


def test_individual_application_end_to_end(api, board):
    receipt = _apply(api, {"category": "individual", "name": "Elif Kaya", "email": "elif@example.org",
                           "gender": "female", "birth_date": "1990-05-01"})
    assert receipt.status_code == 201 and receipt.json["number"] == 1 and receipt.json["status"] == "submitted"
    decider = api(board["token"])
    application = decider.get(URL).json[0]
    assert application["applicant"]["name"] == "Elif Kaya"
    early = decider.post(f"{URL}/{application['id']}/approve", json={})
    assert early.status_code == 409 and "status" in early.json["errors"]
    assert decider.post(f"{URL}/{application['id']}/review").json["status"] == "under_review"
    # An approval is the review panel's decision: without its number nothing is approved (it was, before).
    refused = decider.post(f"{URL}/{application['id']}/approve", json={"reason": "Uygun"},
                           headers={"Accept-Language": "tr"})
    assert refused.status_code == 422 and "inceleme" in refused.json["errors"]["decision_reference"][0]
    assert decider.get(f"{URL}/{application['id']}").json["status"] == "under_review"
    approved = decider.post(f"{URL}/{application['id']}/approve", json={"reason": "Uygun",
                                                                        "decision_reference": "İK 2026/3"})
    assert approved.status_code == 200 and approved.json["member_id"]
    assert approved.json["decision_reference"] == "İK 2026/3"
    member = decider.get(f"/api/v1/councils/izmir/members/{approved.json['member_id']}").json
    assert member["name"] == "Elif Kaya" and member["email"] == "elif@example.org"
    assert decider.post(f"{URL}/{application['id']}/reject", json={"reason": "x"}).status_code == 409


def test_consents_become_provable_records(app, api, board):
    from sqlalchemy import select

    from konsey.core.applications import Consent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    _apply(api, {"category": "individual", "name": "Can Demir", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}, consents=["membership"])
    decider = api(board["token"])
    application = decider.get(URL).json[0]
    decider.post(f"{URL}/{application['id']}/review")
    member_id = decider.post(f"{URL}/{application['id']}/approve",
                             json={"decision_reference": "İK 2026/1"}).json["member_id"]
    with app.app_context(), bound_council(board["council"]):
        consents = db.session.scalars(select(Consent)).all()
        assert [(str(c.member_id), c.purpose, c.notice_version) for c in consents] == [
            (member_id, "membership", KVKK_NOTICE_VERSION)]
    assert decider.delete(f"/api/v1/councils/izmir/members/{member_id}").status_code == 403  # only administrators


def test_erasure_forgets_the_applicant(app, api, world, board):
    from sqlalchemy import func, select

    from konsey.core.applications import Consent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin = api(world.token(world.user("gs@izmir.example.org", roles={board["council"]: "administrator"}),
                            board["council"]))
    _apply(api, {"category": "individual", "name": "Deniz Ak", "phone": "0532 111 22 33", "birth_date": "1990-05-01"})
    application = admin.get(URL).json[0]
    admin.post(f"{URL}/{application['id']}/review")
    member_id = admin.post(f"{URL}/{application['id']}/approve",
                           json={"decision_reference": "İK 2026/2"}).json["member_id"]
    assert admin.delete(f"/api/v1/councils/izmir/members/{member_id}").status_code == 204
    after = admin.get(f"{URL}/{application['id']}").json
    assert after["status"] == "approved" and after["member_id"] is None and "Deniz" not in str(after)
    with app.app_context(), bound_council(board["council"]):
        assert db.session.scalar(select(func.count(Consent.id))) == 0


def test_institutional_approval_needs_the_board_decision(api, board):
    _apply(api, {"category": "association", "name": "Kent Derneği", "representative_name": "Oya Er",
                 "derbis_no": "35-100-200", "phone": "0532 111 22 33"})
    decider = api(board["token"])
    application = decider.get(URL).json[0]
    decider.post(f"{URL}/{application['id']}/review")
    refused = decider.post(f"{URL}/{application['id']}/approve", json={})
    assert refused.status_code == 422 and "decision_reference" in refused.json["errors"]
    approved = decider.post(f"{URL}/{application['id']}/approve", json={"decision_reference": "YK 2026/14"})
    assert approved.json["decision_reference"] == "YK 2026/14"


def test_rejection_needs_a_reason(api, board):
    _apply(api, {"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"})
    decider = api(board["token"])
    application = decider.get(URL).json[0]
    decider.post(f"{URL}/{application['id']}/review")
    assert "reason" in decider.post(f"{URL}/{application['id']}/reject", json={}).json["errors"]
    assert decider.post(f"{URL}/{application['id']}/reject", json={"reason": "Eksik belge"}).json["status"] == "rejected"


@pytest.mark.parametrize(
    "applicant,consents,notice,field",
    [
        ({"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}, ["communication"], KVKK_NOTICE_VERSION, "consents"),
        ({"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}, ["membership", "spam"], KVKK_NOTICE_VERSION, "consents"),
        ({"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}, ["membership"], "2019-01", "notice_version"),
        ({"category": "individual", "name": "A", "tckn": "12345678901", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}, ["membership"],
         KVKK_NOTICE_VERSION, "applicant"),
        ({"category": "individual", "name": "Ali Veli", "birth_date": "1990-05-01"}, ["membership"], KVKK_NOTICE_VERSION,
         "applicant"),  # no contact
        ({"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33"}, ["membership"],
         KVKK_NOTICE_VERSION, "applicant"),  # no date of birth: the legal age cannot be checked
        ({"category": "notary", "name": "Beşinci Noterlik", "phone": "0232 111 22 33"}, ["membership"],
         KVKK_NOTICE_VERSION, "applicant"),  # a notary sits by office, it does not apply
    ],
)
def test_bad_applications_are_refused_and_nothing_is_stored(api, board, applicant, consents, notice, field):
    response = _apply(api, applicant, consents, notice)
    assert response.status_code == 422 and field in response.json["errors"]
    assert api(board["token"]).get(URL).json == []


def test_applications_are_private_to_the_deciders(api, board):
    _apply(api, {"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"})
    assert api(board["viewer"]).get(URL).status_code == 403
    assert api(None).get(URL).status_code == 401


def test_suspended_council_takes_no_applications(api, world, board):
    operator = world.token(world.user("op@example.org", platform_role="operator"))
    api(operator).post("/api/v1/councils/izmir/status", json={"status": "suspended"})
    assert _apply(api, {"category": "individual", "name": "Ali Veli", "phone": "0532 111 22 33", "birth_date": "1990-05-01"}).status_code == 423


def test_citizens_apply_through_the_page(app, board):
    client = app.test_client()
    form = client.get("/izmir/apply")
    assert form.status_code == 200 and "KVKK" in form.get_data(as_text=True)
    refused = client.post("/izmir/apply", data={"category": "individual", "name": "Elif Kaya",
                                                "consents": ["communication"], "phone": "0532 111 22 33", "birth_date": "1990-05-01"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "aydınlatma metnini" in page and "açık rıza" in page
    accepted = client.post("/izmir/apply", data={"category": "individual", "name": "Elif Kaya", "gender": "female",
                                                 "notice_version": KVKK_NOTICE_VERSION,
                                                 "consents": ["membership", "communication"], "phone": "0532 111 22 33", "birth_date": "1990-05-01"})
    assert accepted.status_code == 200 and "1" in accepted.get_data(as_text=True)
    from conftest import ApiClient

    listed = ApiClient(app.test_client(), board["token"]).get(URL).json
    assert [(a["applicant"]["name"], [c["purpose"] for c in a["consents"]]) for a in listed] == [
        ("Elif Kaya", ["communication", "membership"])]


def test_the_citizen_form_offers_only_what_a_citizen_applies_as_and_enforces_contact_and_consent(app, world):
    world.council("izmir")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    form = client.get("/izmir/apply").get_data(as_text=True)
    assert 'value="individual"' in form and 'value="association"' in form
    assert 'value="notary"' not in form and 'value="municipality"' not in form and 'value="civil_administration"' not in form
    assert 'id="name" name="name" required' in form and 'type="date"' in form
    refused = client.post("/izmir/apply", data={"category": "individual", "name": "Yalnız Ad", "birth_date": "1990-05-01"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="Yalnız Ad"' in html
    assert "e-posta adresi ya da bir telefon" in html.lower() and 'aria-invalid="true"' in html
    sent = client.post("/izmir/apply", data={"category": "individual", "name": "Yalnız Ad", "phone": "0532 111 22 33",
                                             "birth_date": "1990-05-01",
                                             "notice_version": KVKK_NOTICE_VERSION, "consents": "membership"})
    assert sent.status_code == 200 and "Yalnız Ad" not in sent.get_data(as_text=True).split("<main")[1][:50]
