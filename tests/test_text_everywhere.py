"""One rule for text on every front: a control character (other than tab and line breaks) is refused, naming the
field and the character, and nothing is written — through the API (a motion's title, a body's name, a member's
name), a page's form (kept as typed), the CSV import (the row and its column) and the command line (the option)."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import adopted_motion, login

BASE = "/api/v1/councils/izmir"
NOT_TEXT = "Bisiklet\x03 yolu"


def _count(app, council_id, model) -> int:
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        return db.session.scalar(select(func.count(model.id)))


def test_the_api_refuses_a_control_character_in_a_motions_title_and_a_bodys_name(app, world, api):
    from konsey.core.bodies import Body
    from konsey.core.motions import Motion

    izmir = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={izmir: "administrator"}), izmir))
    adopted_motion(app, world, izmir)
    vote_id = admin.get(f"{BASE}/motions").json[0]["id"]  # any id: the title is refused before anything is looked up
    motions, bodies = _count(app, izmir, Motion), _count(app, izmir, Body)
    refused = admin.post(f"{BASE}/motions", json={"vote_id": vote_id, "title": NOT_TEXT, "text": "Sahil boyunca."},
                         headers={"Accept-Language": "tr"})
    assert refused.status_code == 422 and "U+0003" in refused.json["errors"]["title"][0]
    refused = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": "Ulaşım\x1b Grubu"})
    assert refused.status_code == 422 and "U+001B" in refused.json["errors"]["name"][0]
    assert (_count(app, izmir, Motion), _count(app, izmir, Body)) == (motions, bodies)


def test_a_page_refuses_it_beside_the_field_and_keeps_what_was_typed(app, world):
    from konsey.core.membership import Member

    izmir = world.council("izmir")
    world.user("gs@izmir.example.org", roles={izmir: "administrator"})
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    refused = client.post("/izmir/members/new", data={"category": "individual", "name": "Ayşe\x07 Kaya"},
                          headers={"Accept-Language": "tr"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "U+0007" in page and 'value="Ayşe' in page
    assert _count(app, izmir, Member) == 0


def test_the_csv_import_names_the_row_and_the_column(app, world):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.member_import import import_members

    izmir = world.council("izmir")
    content = ("kategori;ad_soyad;mahalle\nbireysel;Ayşe Yılmaz;Alsancak\nbireysel;İsmail\x0b Çelik;Karşıyaka\n"
               ).encode()
    with app.app_context(), bound_council(izmir):
        report = import_members(content, dry_run=False)
        db.session.rollback()
    assert not report.ok and [(e.line, e.field) for e in report.errors] == [(3, "name")]
    assert "U+000B" in report.errors[0].message
    assert _count(app, izmir, Member) == 0


def test_the_command_line_names_the_option_it_refuses(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "op@example.org",
                                                "--name", "Operatör\x1f Bir", "--password", "uzun bir parola 42"])
    assert result.exit_code == 2 and "display_name:" in result.output and "U+001F" in result.output
    from konsey.core.accounts import find_user_by_email

    with app.app_context():
        assert find_user_by_email("op@example.org") is None


def test_a_key_of_a_map_is_text_too(app, world, api):
    """A map a person sends (the by-laws' changes, a round's votes) has keys as well as values: a control
    character in a key is refused like one in a value, naming the field."""
    izmir = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={izmir: "administrator"}), izmir))
    from datetime import date, timedelta

    refused = admin.post(f"{BASE}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                                 "parameters": {"speaking_time_minutes\x07": 5}},
                         headers={"Accept-Language": "tr"})
    assert refused.status_code == 422 and "U+0007" in str(refused.json["errors"]["parameters"])
