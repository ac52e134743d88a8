"""The member API: CRUD, validation with translated problem+json, pagination, erasure."""

import json

import pytest

from konsey.core.identifiers import tckn_is_valid

VALID_TCKN = "10000000146"


@pytest.fixture
def setup(world):
    council = world.council("izmir")
    admin = world.user("admin@izmir.example.org", roles={council: "administrator"})
    viewer = world.user("viewer@izmir.example.org", roles={council: "viewer"})
    member = world.user("member@izmir.example.org", roles={council: "member"})
    return {
        "council": council,
        "admin": world.token(admin, council),
        "viewer": world.token(viewer, council),
        "member": world.token(member, council),
    }


URL = "/api/v1/councils/izmir/members"


def test_create_read_update_delete(api, setup):
    admin = api(setup["admin"])
    created = admin.post(URL, json={"category": "individual", "name": "Ayşe  Yılmaz", "tckn": VALID_TCKN,
                                    "gender": "female", "birth_date": "1985-03-14"})
    assert created.status_code == 201, created.json
    body = created.json
    assert body["name"] == "Ayşe Yılmaz" and body["member_no"] == 1 and body["kind"] == "individual"
    assert body["tckn"] == "*********46"
    assert tckn_is_valid(VALID_TCKN)

    url = f"{URL}/{body['id']}"
    assert admin.get(url).json["name"] == "Ayşe Yılmaz"
    patched = admin.patch(url, json={"neighbourhood": "Alsancak"})
    assert patched.status_code == 200 and patched.json["neighbourhood"] == "Alsancak"
    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404


def test_institutional_member_needs_representative_and_derbis(api, setup):
    response = api(setup["admin"]).post(URL, json={"category": "association", "name": "Çevre Derneği"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]) == {"representative_name"}
    response = api(setup["admin"]).post(URL, json={"category": "association", "name": "Çevre Derneği",
                                                   "representative_name": "Can Demir"})
    assert set(response.json["errors"]) == {"derbis_no"}
    ok = api(setup["admin"]).post(URL, json={"category": "association", "name": "Çevre Derneği",
                                             "representative_name": "Can Demir", "derbis_no": "35-154-120"})
    assert ok.status_code == 201 and ok.json["kind"] == "institutional"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"category": "individual", "name": "Ali Veli", "tckn": "10000000147"}, "tckn"),
        ({"category": "individual", "name": "Ali Veli", "email": "not-an-email"}, "email"),
        ({"category": "martian", "name": "Ali Veli"}, "category"),
        ({"category": "individual", "name": "A"}, "name"),
        ({"category": "individual", "name": "Ali Veli", "salary": 5}, "salary"),
        ({"category": "individual", "name": 7}, "name"),
        ({"name": "Ali Veli"}, "category"),
        ({"category": "individual", "name": "Ali Veli", "birth_date": "2999-01-01"}, "birth_date"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(api, setup, payload, field):
    admin = api(setup["admin"])
    response = admin.post(URL, json=payload)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert admin.get(URL).json == []


def test_errors_are_translated_to_turkish(api, setup):
    response = api(setup["admin"], language="tr").post(URL, json={"name": "Ali Veli", "tckn": "123"})
    assert response.status_code == 422
    assert response.json["title"] == "Bazı alanlar geçersiz."
    assert response.json["errors"]["category"] == ["Bu alan zorunludur."]
    assert "TC Kimlik" in response.json["errors"]["tckn"][0]
    english = api(setup["admin"], language="en").post(URL, json={"name": "Ali Veli"})
    assert english.json["errors"]["category"] == ["Missing data for required field."]


def test_malformed_json_and_wrong_types(api, setup):
    admin = api(setup["admin"])
    response = admin.post(URL, data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert admin.post(URL, json=["a", "list"]).status_code == 422


def test_oversized_body_is_refused(api, setup, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    payload = json.dumps({"category": "individual", "name": "x" * (limit + 10)})
    response = api(setup["admin"]).post(URL, data=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_pagination_in_turkish_order(api, setup, world):
    for name in ["Zeynep Ak", "Çağla Er", "Cem Uz", "İpek Su", "Ilgaz Ün", "Şule Ok", "Sena Al"]:
        world.member(setup["council"], name=name)
    viewer = api(setup["viewer"])
    first = viewer.get(URL + "?per_page=4")
    assert [m["name"] for m in first.json] == ["Cem Uz", "Çağla Er", "Ilgaz Ün", "İpek Su"]
    assert 'rel="next"' in first.headers["Link"]
    second = viewer.get(URL + "?per_page=4&page=2")
    assert [m["name"] for m in second.json] == ["Sena Al", "Şule Ok", "Zeynep Ak"]
    assert "Link" not in second.headers
    # Anywhere in the name, however typed: ç and c find each other (an ASCII keyboard), in Turkish order.
    assert [m["name"] for m in viewer.get(URL + "?q=ç").json] == ["Cem Uz", "Çağla Er"]
    assert [m["name"] for m in viewer.get(URL + "?q=CAG").json] == ["Çağla Er"]
    assert viewer.get(URL + "?per_page=1000").status_code == 422


def test_the_next_link_continues_after_the_last_member(api, setup, world):
    """Keyset pagination on (sort name, id): the Link header's next page starts after the last member shown,
    however many were added before it meanwhile; a broken cursor is a 422 naming ``after``."""
    import re

    names = ["Zeynep Ak", "Çağla Er", "Cem Uz", "İpek Su", "Ilgaz Ün", "Şule Ok", "Sena Al", "Sena Al"]
    for name in names:
        world.member(setup["council"], name=name)
    viewer = api(setup["viewer"])
    seen, url = [], URL + "?per_page=3"
    while url:
        page = viewer.get(url)
        assert page.status_code == 200
        seen += [(m["name"], m["id"]) for m in page.json]
        link = page.headers.get("Link")
        url = re.match(r"<([^>]+)>", link).group(1) if link else None
        assert url is None or "after=" in url and "&page=" not in url and "?page=" not in url
        if len(seen) == 3:  # someone is added before the cursor while the client pages: no repeats, no gaps
            world.member(setup["council"], name="Ahmet Ay")
    assert [name for name, _ in seen] == ["Cem Uz", "Çağla Er", "Ilgaz Ün", "İpek Su", "Sena Al", "Sena Al",
                                          "Şule Ok", "Zeynep Ak"]
    assert len({member_id for _, member_id in seen}) == 8  # the two Sena Al, told apart by id
    refused = viewer.get(URL + "?after=not-a-cursor")
    assert refused.status_code == 422 and "after" in str(refused.json)


def test_roles(api, setup):
    assert api(setup["member"]).get(URL).status_code == 403  # a member may not browse others' data
    assert api(setup["viewer"]).post(URL, json={"category": "individual", "name": "Ali Veli"}).status_code == 403
    anonymous = api(None).get(URL)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer") and "error" not in anonymous.headers["WWW-Authenticate"]
    forged = api("kns_not-a-real-token").get(URL)
    assert forged.status_code == 401 and "invalid_token" in forged.headers["WWW-Authenticate"]


def test_revoked_and_expired_tokens_stop_working(api, setup, app):
    from datetime import timedelta

    from sqlalchemy import update

    from konsey.core.accounts import AccessToken
    from konsey.tenants.db import db, utcnow

    viewer = api(setup["viewer"])
    assert viewer.get(URL).status_code == 200
    with app.app_context():
        db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert viewer.get(URL).status_code == 401


def test_membership_history_with_reasons(api, setup, world):
    member_id = world.member(setup["council"], name="Can Demir")
    admin = api(setup["admin"])
    url = f"{URL}/{member_id}/history"
    assert admin.post(url, json={"status": "suspended", "reason": "Üç toplantıya mazeretsiz katılmadı",
                                 "on": "2026-03-01"}).status_code == 201
    again = admin.post(url, json={"status": "suspended", "reason": "Yine"})
    assert again.status_code == 409 and "status" in again.json["errors"]
    admin.post(url, json={"status": "active", "reason": "Genel Kurul kararı", "on": "2026-05-01"})
    history = admin.get(url).json
    assert [(h["status"], h["on"]) for h in history] == [("suspended", "2026-03-01"), ("active", "2026-05-01")]
    assert admin.get(f"{URL}/{member_id}").json["status"] == "active"
    assert "reason" not in str(admin.get("/api/v1/councils/izmir/audit?limit=500").json[-1]["details"])


def test_partial_update_is_validated_against_the_whole_member(api, setup, world):
    institution = world.member(setup["council"], category="university", name="Ege Üniversitesi",
                               representative_name="Prof. Dr. Nur Ak")
    admin = api(setup["admin"])
    refused = admin.patch(f"{URL}/{institution}", json={"gender": "female"})
    assert refused.status_code == 422 and "gender" in refused.json["errors"]
    assert admin.get(f"{URL}/{institution}").json["gender"] is None
    assert admin.patch(f"{URL}/{institution}", json={"phone": "+90 232 000 00 00"}).status_code == 200


def test_one_member_per_e_mail_whatever_its_case_and_per_identity_number(api, setup):
    admin = api(setup["admin"])
    first = admin.post(URL, json={"category": "individual", "name": "Ayşe Kaya", "email": "ayse@example.org",
                                  "tckn": "10000000146"})
    assert first.status_code == 201
    again = admin.post(URL, json={"category": "individual", "name": "Ayşe K.", "email": "AYSE@Example.org"})
    assert again.status_code == 409 and "email" in again.json["errors"]
    same_number = admin.post(URL, json={"category": "individual", "name": "Başka Biri", "tckn": "10000000146"})
    assert same_number.status_code == 409 and "tckn" in same_number.json["errors"]
    other = admin.post(URL, json={"category": "individual", "name": "Zeynep Ak", "email": "zeynep@example.org"}).json
    taken = admin.patch(f"{URL}/{other['id']}", json={"email": "ayse@example.org"})
    assert taken.status_code == 409 and "email" in taken.json["errors"]
    assert len(admin.get(URL).json) == 2


def test_a_name_typed_with_combining_marks_is_stored_composed_and_found(api, setup):
    admin = api(setup["admin"])
    created = admin.post(URL, json={"category": "individual", "name": "S\u0327ule Kaya"})  # S + combining cedilla
    assert created.status_code == 201 and created.json["name"] == "Şule Kaya"
    found = admin.get(URL, query_string={"q": "Şule"}).json
    assert [m["name"] for m in found] == ["Şule Kaya"]
