"""A name is found from any part of it, however it was typed: Turkish casing, and Turkish letters typed on an
ASCII keyboard ("isik" finds "Işık", "ISMAIL" finds "İsmail"); the same rule on the members list (API and page)
and the meeting desk's roster, in SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from support.clients import login


def test_the_search_key_folds_what_people_type():
    from konsey.core.text import search_key

    assert search_key("Ayşe Işık") == search_key("AYSE ISIK") == search_key("ayse isik") == "ayse isik"
    assert search_key("İSMAİL") == search_key("ISMAIL") == search_key("ismail") == "ismail"
    assert search_key("Çağrı Öğütçü") == "cagri ogutcu" and search_key("  Hâle   Ünal ") == "hale unal"
    assert search_key("José Müller") == "jose muller"  # other accents too


def test_members_are_found_anywhere_in_the_name_however_typed(app, world, api):
    council = world.council("izmir")
    for name in ("Ayşe Işık", "İsmail Kaya", "Çiğdem Öztürk", "Zeynep 100% Ak"):
        world.member(council, name=name)
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))

    def found(q):
        return sorted(m["name"] for m in admin.get("/api/v1/councils/izmir/members", query_string={"q": q}).json)

    assert found("isik") == found("IŞIK") == found("şık") == ["Ayşe Işık"]
    assert found("ISMAIL") == found("ismail") == ["İsmail Kaya"]
    assert found("kaya") == ["İsmail Kaya"]  # not only the start
    assert found("ozturk") == found("ÖZTÜRK") == ["Çiğdem Öztürk"]
    assert found("%") == ["Zeynep 100% Ak"]  # a wildcard is a character like any other
    assert found("xyz") == []

    page = app.test_client()
    login(page, "gs@izmir.example.org")
    listed = page.get("/izmir/members?q=CIGDEM").get_data(as_text=True)
    assert "Çiğdem Öztürk" in listed and "Ayşe Işık" not in listed


def test_the_desk_finds_a_name_the_same_way(app, world, api):
    from datetime import UTC, datetime, timedelta

    council = world.council("izmir")
    for name in ("Ayşe Işık", "İsmail Kaya"):
        world.member(council, name=name)
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    bodies = {b["kind"]: b["id"] for b in admin.get("/api/v1/councils/izmir/bodies").json}
    meeting = admin.post("/api/v1/councils/izmir/meetings", json={
        "body_id": bodies["general_assembly"], "title": "Genel Kurul",
        "scheduled_at": (datetime.now(UTC) + timedelta(days=5)).isoformat()}).json
    page = app.test_client()
    login(page, "gs@izmir.example.org")
    lines = page.get(f"/izmir/meetings/{meeting['id']}/roster?q=isik").get_data(as_text=True)
    assert "Ayşe Işık" in lines and "İsmail Kaya" not in lines
    lines = page.get(f"/izmir/meetings/{meeting['id']}/roster?q=KAYA").get_data(as_text=True)
    assert "İsmail Kaya" in lines and "Ayşe Işık" not in lines
