"""The sign-in, password, invitation, token, operator and people pages read their forms with the same marshmallow
schemas as the API and the command line (no second set of rules): a refusal names the field in the page's
language, keeps what was typed (never a password) and changes nothing."""

from __future__ import annotations

import io
import re

import pytest

from conftest import login


@pytest.fixture
def person(world):
    council = world.council("izmir")
    world.user("deniz@example.org", roles={council: "administrator"})
    return council


def _errors(page: str, field: str) -> str:
    found = re.search(rf'<div role="alert"><ul class="errors" id="{field}-err">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_sign_in_names_the_missing_field_and_keeps_the_address(app, person):
    client = app.test_client()
    refused = client.post("/login", data={"email": "deniz@example.org", "password": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and _errors(page, "password") and not _errors(page, "email")
    assert 'value="deniz@example.org"' in page
    wrong = client.post("/login", data={"email": "deniz@example.org", "password": "not the one at all"})
    said = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "E-posta ya da parola yanlış." in _errors(said, "password")
    assert "not the one at all" not in said  # a password is never written back into the page
    assert login(client, "deniz@example.org").status_code == 302


def test_a_reset_link_is_asked_for_a_real_address_only(app, person, mailbox):
    refused = app.test_client().post("/password/forgot", data={"email": "not an address"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and _errors(page, "email") and 'value="not an address"' in page
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_a_new_password_has_its_length_in_one_place(app, person, mailbox):
    client = app.test_client()
    client.post("/password/forgot", data={"email": "deniz@example.org"})
    link = re.search(r"http://konsey\.test(/password/reset/\S+)", mailbox.wait_for(1)[0].get_body(("plain",))
                     .get_content()).group(1)
    short = client.post(link, data={"password": "kısa", "confirm": "kısa"})
    assert short.status_code == 422 and _errors(short.get_data(as_text=True), "password")
    assert login(app.test_client(), "deniz@example.org").status_code == 302  # nothing changed
    # The operators' command line is refused by the same schema.
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "op2@konsey.example.org", "--name", "Op",
                                 "--password", "kısa"])
    assert result.exit_code != 0 and "10" in result.output, result.output  # the schema's length, said
    made = runner.invoke(args=["users", "create", "--email", "op3@konsey.example.org", "--name", "Op Üç",
                               "--password", "uzun-bir-parola-10"])
    assert made.exit_code == 0, made.output
    with app.app_context():
        from sqlalchemy import select

        from konsey.core.accounts import User
        from konsey.tenants.db import db

        assert db.session.scalar(select(User).where(User.email == "op2@konsey.example.org")) is None
        assert db.session.scalar(select(User).where(User.email == "op3@konsey.example.org")) is not None


def test_the_token_page_asks_for_a_council_and_a_name(app, person):
    client = app.test_client()
    login(client, "deniz@example.org")
    shown = client.get("/account/tokens").get_data(as_text=True)
    assert f'<option value="{person}" selected>' in shown  # the person's one council, chosen already
    refused = client.post("/account/tokens", data={"name": "", "council": str(person)})
    assert refused.status_code == 422 and _errors(refused.get_data(as_text=True), "name")
    foreign = client.post("/account/tokens", data={"name": "betik", "council": "platform"})
    assert foreign.status_code == 422 and _errors(foreign.get_data(as_text=True), "council")
    assert "kns_" not in foreign.get_data(as_text=True)


def test_the_people_page_keeps_the_invitation_it_refused(app, person, mailbox):
    client = app.test_client()
    login(client, "deniz@example.org")
    refused = client.post("/izmir/people", data={"email": "yeni@example.org", "role": "emperor"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and _errors(page, "role") and 'value="yeni@example.org"' in page
    assert mailbox.wait_for(1, timeout=0.5) == []
    sent = client.post("/izmir/people", data={"email": "yeni@example.org", "role": "facilitator"})
    assert sent.status_code == 302 and mailbox.wait_for(1)[0]["To"] == "yeni@example.org"


def test_the_operators_council_page_names_what_is_missing(app, world, person):
    world.user("op@konsey.example.org", platform_role="operator")
    client = app.test_client()
    login(client, "op@konsey.example.org")
    shown = client.get("/operator/councils/izmir").get_data(as_text=True)
    assert 'name="status"' in shown and 'type="checkbox"' in shown and 'name="file"' in shown
    archive = client.post("/operator/councils/izmir", data={"status": "archived", "reason": "birleşme"})
    page = archive.get_data(as_text=True)
    assert archive.status_code in (409, 422) and 'value="birleşme"' in page
    assert "errors" in page and 'name="status"' in page  # the form is shown again, not a bare error page
    no_file = client.post("/operator/councils/izmir/import", data={"dry_run": "1"},
                          content_type="multipart/form-data")
    assert no_file.status_code == 422 and _errors(no_file.get_data(as_text=True), "file")
    empty = client.post("/operator/councils/izmir/import", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b""), "uyeler.csv"), "dry_run": "1"})
    assert empty.status_code == 422 and _errors(empty.get_data(as_text=True), "file")


def test_a_password_is_what_was_typed_whatever_the_keyboard_composed(app, person):
    """The schemas compose text (NFC) and refuse control characters, but a password is hashed as typed: one
    set with a decomposed "ş" (s + U+0327) or a U+0085 signs in with exactly that, and only with that."""
    from konsey.core.accounts import User
    from konsey.tenants.db import db

    typed = "gizli-s\u0327ifre-\u0085-1234"
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "deniz@example.org"))
        user.set_password(typed)
        db.session.commit()
    assert login(app.test_client(), "deniz@example.org", typed).status_code == 302
    composed = "gizli-şifre-\u0085-1234"  # the same letters as one code point each: another password
    assert login(app.test_client(), "deniz@example.org", composed).status_code == 400


def test_a_wrong_id_in_a_form_is_the_404_page_and_a_refusal_without_a_field_is_said(app, world, person):
    other = world.council("nilufer", province=16)
    client = app.test_client()
    login(client, "deniz@example.org")
    foreign = client.post("/account/tokens", data={"name": "betik", "council": str(other)})
    assert foreign.status_code == 404 and "kns_" not in foreign.get_data(as_text=True)


def test_a_picker_of_people_bodies_or_meetings_chooses_nobody_by_default():
    """A select that names a row (a member, a body, a meeting, a vote) starts with an empty, required choice or
    marks the one already chosen: the first member in the list (a political party) is never picked for the
    person who did not look."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    templates = [*root.glob("platform/web/templates/**/*.html"), *root.glob("plugins/*/templates/**/*.html")]
    found = []
    for path in templates:
        for match in re.finditer(r"<select\b([^>]*)>(.*?)</select>", path.read_text(), re.S):
            attributes, options = match.groups()
            name = re.search(r'name="([^"]+)"', attributes)
            if not name or not name.group(1).endswith("_id") or "multiple" in attributes:
                continue
            first = re.search(r"<option\b[^>]*>", options)
            chosen = "selected" in options
            if not chosen and not (first and 'value=""' in first.group(0)):  # empty: "choose", or "none"
                found.append(f"{path.relative_to(root)}: {name.group(1)}")
    assert len(templates) > 60 and found == []


def test_every_list_reads_on_a_phone_one_way():
    """A list is a table whose rows become labelled cards on a phone (``table.responsive``, each cell after the
    first naming its column in ``data-label``), or a table whose columns are compared, scrolling in a box of its
    own (``div.table-scroll``): no table is left to squeeze its words letter by letter."""
    from html.parser import HTMLParser
    from pathlib import Path

    class Tables(HTMLParser):
        """Each table's kind; in a responsive one, each row's cells that name no column: one heads the card, an
        action cell (a form, a button) needs no name, any other must."""

        def __init__(self):
            super().__init__()
            self.stack, self.problems, self.tables = [], [], 0
            self.unnamed, self.pending = [], None

        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            classes = (attributes.get("class") or "").split()
            if tag == "div":
                self.stack.append("scroll" if "table-scroll" in classes else "div")
            elif tag == "table":
                self.tables += 1
                scrolls = "scroll" in self.stack
                self.stack.append("responsive" if "responsive" in classes else "scrolled" if scrolls else "bare")
                if self.stack[-1] == "bare":
                    self.problems.append(f"line {self.getpos()[0]}: a table neither responsive nor in a scroll box")
            elif tag == "tr":
                self.unnamed = []
            elif tag == "td" and self._table() == "responsive":
                named = "data-label" in attributes or "colspan" in attributes
                self.pending = None if named else self.getpos()[0]
            elif tag in ("form", "button"):
                self.pending = None  # an action cell

        def handle_endtag(self, tag):
            if tag == "td" and self.pending is not None:
                self.unnamed.append(self.pending)
                self.pending = None
                if len(self.unnamed) > 1:
                    self.problems.append(f"line {self.unnamed[-1]}: a cell after the card's heading names no column")
            elif tag in ("div", "table") and self.stack:
                self.stack.pop()

        def _table(self):
            return next((kind for kind in reversed(self.stack) if kind in ("responsive", "scrolled", "bare")), None)

    root = Path(__file__).resolve().parent.parent
    found, tables = [], 0
    for path in [*root.glob("platform/web/templates/**/*.html"), *root.glob("plugins/*/templates/**/*.html")]:
        parser = Tables()
        parser.feed(path.read_text())
        tables += parser.tables
        found += [f"{path.relative_to(root)} {problem}" for problem in parser.problems]
    assert tables > 20 and found == []
