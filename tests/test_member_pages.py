"""The members' pages: add and edit a member, change a status with its reason, institutions' representatives,
erasure, filters and the CSV import, each through the same use case as the API; a bad form names its field
in Turkish, keeps what was typed and changes nothing; another council's members are not found."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from conftest import login
from support.clock import days_from_today


def _members(app, council, **criteria):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return db.session.scalars(select(Member).filter_by(**criteria)).all()


def test_add_a_member_by_hand_then_another(app, secretary):
    client = secretary["client"]
    page = client.get("/izmir/members/new")
    assert page.status_code == 200 and 'name="category"' in page.get_data(as_text=True)
    added = client.post("/izmir/members/new", data={"category": "individual", "name": "  Ayşe   Kaya ",
                                                     "email": "ayse@example.org", "gender": "female",
                                                     "then": "another"})
    assert added.status_code == 302 and added.headers["Location"].endswith("/izmir/members/new?category=individual")
    (ayse,) = _members(app, secretary["council"])
    assert ayse.name == "Ayşe Kaya" and ayse.email == "ayse@example.org"
    assert "Ayşe Kaya" in client.get(added.headers["Location"]).get_data(as_text=True)  # the flash says who


def test_a_bad_member_form_names_the_field_keeps_the_input_and_adds_nothing(app, secretary):
    client = secretary["client"]
    refused = client.post("/izmir/members/new", data={"category": "individual", "name": "Zeynep Ak",
                                                       "email": "not-an-address", "phone": "0532 111 22 33"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="email" name="email" type="email" value="not-an-address" aria-invalid="true"' in html
    assert 'value="Zeynep Ak"' in html and 'value="0532 111 22 33"' in html
    assert "Geçerli bir e-posta adresi" in html  # Turkish, beside the field
    assert _members(app, secretary["council"]) == []
    unknown = client.post("/izmir/members/new", data={"category": "bogus", "name": "Ali"})
    assert unknown.status_code == 422 and 'id="category"' in unknown.get_data(as_text=True)


def test_edit_a_member_clears_a_field_and_never_shows_the_identity_number(app, world, secretary):
    client = secretary["client"]
    member_id = world.member(secretary["council"], name="Mehmet Er", neighbourhood="Alsancak",
                             tckn="10000000146")
    form = client.get(f"/izmir/members/{member_id}/edit").get_data(as_text=True)
    assert "10000000146" not in form and 'value="Alsancak"' in form
    saved = client.post(f"/izmir/members/{member_id}/edit", data={"category": "individual", "name": "Mehmet Eren",
                                                                  "neighbourhood": ""})
    assert saved.status_code == 302
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(secretary["council"]):  # the number opens with the council's key
        (member,) = db.session.scalars(select(Member)).all()
        assert member.name == "Mehmet Eren" and member.neighbourhood is None and member.tckn == "10000000146"


def test_status_changes_with_a_reason_and_the_history_shows_it(app, world, secretary):
    client = secretary["client"]
    member_id = world.member(secretary["council"], name="Deniz Su")
    refused = client.post(f"/izmir/members/{member_id}/status", data={"status": "suspended"}, follow_redirects=True)
    assert "reason" in refused.get_data(as_text=True).lower() or "gerek" in refused.get_data(as_text=True).lower()
    assert _members(app, secretary["council"])[0].status.value == "active"
    client.post(f"/izmir/members/{member_id}/status", data={"status": "suspended", "reason": "Üç toplantıya gelmedi"})
    page = client.get(f"/izmir/members/{member_id}").get_data(as_text=True)
    assert _members(app, secretary["council"])[0].status.value == "suspended"
    assert "Üç toplantıya gelmedi" in page


def test_an_institution_gets_a_representative_with_a_mandate_letter(app, world, secretary):
    client = secretary["client"]
    added = client.post("/izmir/members/new", data={"category": "professional_chamber", "name": "Mimarlar Odası",
                                                     "representative_name": "Selin Yurt"})
    assert added.status_code == 302, added.get_data(as_text=True)
    (chamber,) = _members(app, secretary["council"])
    expires = days_from_today(400)  # a mandate still valid, whatever today is
    client.post(f"/izmir/members/{chamber.id}/representatives",
                data={"capacity": "representative", "name": "Selin Yurt", "mandate_letter": "12.01.2026 / 45",
                      "mandate_expires_on": expires.isoformat()})
    page = client.get(f"/izmir/members/{chamber.id}").get_data(as_text=True)
    assert "Selin Yurt" in page and "12.01.2026 / 45" in page and expires.strftime("%d.%m.%Y") in page
    missing = client.post(f"/izmir/members/{chamber.id}/representatives",
                          data={"capacity": "representative", "name": "Can"}, follow_redirects=True)
    assert missing.status_code == 200 and "Can" not in page


def test_erasure_needs_the_name_typed(app, world, secretary):
    client = secretary["client"]
    member_id = world.member(secretary["council"], name="Eda Nur")
    client.post(f"/izmir/members/{member_id}/erase", data={"confirm_name": "Eda"})
    assert len(_members(app, secretary["council"])) == 1
    client.post(f"/izmir/members/{member_id}/erase", data={"confirm_name": "Eda Nur"})
    assert _members(app, secretary["council"]) == []


def test_filters_by_category_and_status(app, world, secretary):
    client = secretary["client"]
    world.member(secretary["council"], name="Ali Veli")
    world.member(secretary["council"], name="Kadın Derneği", category="professional_chamber", representative_name="Nur Ak")
    only = client.get("/izmir/members?category=professional_chamber").get_data(as_text=True)
    assert "Kadın Derneği" in only and "Ali Veli" not in only
    suspended = client.get("/izmir/members?status=suspended").get_data(as_text=True)
    assert "Ali Veli" not in suspended
    assert client.get("/izmir/members?category=bogus").status_code == 200  # a hand-edited address: no 500


CSV_HEADER = "category,name,email,gender\n"


def test_csv_import_dry_run_lists_bad_rows_then_all_or_nothing(app, secretary):
    client = secretary["client"]
    bad = CSV_HEADER + "individual,Ayşe Kaya,ayse@example.org,female\nindividual,B,not-mail,female\n"
    checked = client.post("/izmir/members/import", data={"dry_run": "y", "file": (io.BytesIO(bad.encode()), "u.csv")})
    html = checked.get_data(as_text=True)
    assert checked.status_code == 422 and "<td>3</td>" in html  # the bad row's line
    assert _members(app, secretary["council"]) == []
    rows = CSV_HEADER + "".join(f"individual,Üye {i:02d} Kaya,uye{i}@example.org,female\n" for i in range(50))
    checked = client.post("/izmir/members/import", data={"dry_run": "y", "file": (io.BytesIO(rows.encode()), "u.csv")})
    assert checked.status_code == 200 and 'data-testid="import-confirm"' in checked.get_data(as_text=True)
    assert _members(app, secretary["council"]) == []
    done = client.post("/izmir/members/import", data={"content": rows})
    assert done.status_code == 302
    assert len(_members(app, secretary["council"])) == 50
    empty = client.post("/izmir/members/import", data={"dry_run": "y"})
    assert empty.status_code == 422


def test_another_councils_member_is_not_found_on_every_member_page(app, world, secretary):
    other = world.council("nilufer", province=16)
    stranger = world.member(other, name="Başka Biri")
    client = secretary["client"]
    for method, path in (("get", f"/izmir/members/{stranger}"), ("get", f"/izmir/members/{stranger}/edit"),
                         ("post", f"/izmir/members/{stranger}/edit"), ("post", f"/izmir/members/{stranger}/status"),
                         ("post", f"/izmir/members/{stranger}/representatives"),
                         ("post", f"/izmir/members/{stranger}/erase")):
        assert getattr(client, method)(path, data={"category": "individual", "name": "X Y", "status": "ended",
                                                   "reason": "deneme", "confirm_name": "Başka Biri"}).status_code == 404
    assert len(_members(app, other)) == 1
    assert _members(app, other)[0].status.value == "active"


def test_a_viewer_sees_members_but_cannot_add(app, world):
    council = world.council("izmir")
    world.user("viewer@izmir.example.org", roles={council: "viewer"})
    client = app.test_client()
    login(client, "viewer@izmir.example.org")
    assert client.post("/izmir/members/new", data={"category": "individual", "name": "Ali Veli"}).status_code == 403
    assert _members(app, council) == []
    _ = func
