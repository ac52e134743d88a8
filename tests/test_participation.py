"""Residents' participation (plugins/participation): accounts verified by e-mail, proposals supported to a threshold
that puts them on a working group's agenda, the group's report and the decision's motion followed on the
proposal's page to the municipality's answer, working groups open to residents, drafts commented on paragraph by
paragraph and every comment answered, moderation with a public reason and no text in the audit chain, the
federation's aggregates, a resident's export and erasure, and a council that has not enabled it sees none of it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from test_assemblies import councils  # noqa: F401 - the two councils and their administrators
from test_security import limited_app  # noqa: F401 - an app with the rate limits on

from support import clock

A, B = "/api/v1/councils/alpha", "/api/v1/councils/beta"
PA, PB = "/alpha/p/participation", "/beta/p/participation"
PASSWORD = "kent-konseyi-2026"


# --- the rules ----------------------------------------------------------------------------------------------------


def test_supports_needed_is_the_bylaws_number_or_a_share_of_the_population():
    from konsey.plugins.participation.rules import supports_needed

    assert supports_needed(5, None, 4_000_000) == 5
    assert supports_needed(50, 0.0001, 4_479_525) == 448  # rounded up
    assert supports_needed(50, 0.0001, None) == 50  # a town: no population in the reference data
    assert supports_needed(0, None, None) == 1


def test_a_drafts_paragraphs_are_its_blocks_and_its_period_includes_the_closing_day():
    from konsey.plugins.participation.rules import open_for_comment, paragraphs

    assert paragraphs("Birinci.\r\n\r\n  İkinci satır\nsürüyor.  \n\n\n\nÜçüncü.") == [
        "Birinci.", "İkinci satır\nsürüyor.", "Üçüncü."]
    assert open_for_comment("open", date(2026, 3, 1), date(2026, 3, 1))
    assert not open_for_comment("open", date(2026, 3, 1), date(2026, 3, 2))
    assert not open_for_comment("closed", date(2026, 3, 1), date(2026, 2, 1))


def test_figures_per_inhabitants_and_median_days():
    from konsey.plugins.participation.rules import median_days, per_10000

    assert per_10000(12, 4_000_000) == 0.03 and per_10000(3, None) is None
    assert median_days([(date(2026, 1, 1), date(2026, 1, 11)), (date(2026, 1, 1), date(2026, 1, 3)),
                        (date(2026, 2, 1), date(2026, 3, 3))]) == 10.0
    assert median_days([]) is None


# --- helpers ------------------------------------------------------------------------------------------------------


def _enable(admin, base=A, needed=5, config=None):
    assert admin.post(f"{base}/plugins/participation", json={"config": config or {}}).status_code == 201
    assert admin.post(f"{base}/bylaws", json={"effective_from": clock.council_today().isoformat(), "parameters": {
        "proposal_supports_needed": needed}}).status_code in (200, 201)


def _working_group(admin, world, council, name="Çevre Çalışma Grubu", base=A):
    from conftest import approve_by_general_assembly

    group = admin.post(f"{base}/bodies", json={"kind": "working_group", "name": name}).json["id"]
    voters = [str(world.member(council, name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, base, group, voters).json["status"] == "active"
    return group


def _board_motion(admin, world, council, title, base=A) -> str:
    """The executive board adopts a decision at a meeting held now, and the decision becomes a motion: its id."""
    from support.clients import sitting

    board = next(b for b in admin.get(f"{base}/bodies").json if b["kind"] == "executive_board")["id"]
    seated = [str(world.member(council, name=f"Kurul Üyesi {i}")) for i in range(3)]
    for member_id in seated:
        admin.post(f"{base}/bodies/{board}/seats", json={"member_id": member_id, "role": "principal",
                                                          "starts_on": "2026-01-01"})
    meeting = sitting(admin, base, board, seated, title="Yürütme Kurulu")
    url = f"{base}/meetings/{meeting}"
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][0]["id"]}).json
    for member_id in seated:
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": "yes"})
    assert admin.post(f"{url}/votes/{vote['id']}/close", json={}).json["outcome"] == "adopted"
    motion = admin.post(f"{base}/motions", json={"vote_id": vote["id"], "title": title,
                                                 "text": "Yürütme Kurulu kararı: " + title})
    assert motion.status_code == 201, motion.json
    return motion.json["id"]


def _link_in(mailbox, address: str) -> str:
    for message in reversed(mailbox.to(address)):
        found = re.search(r"https?://\S+/verify/\S+", message.get_body(("plain",)).get_content())
        if found:
            return found.group(0)
    raise AssertionError(f"no verification link for {address}")


def _resident(app, mailbox, email, name="Deniz Yurttaş", prefix=PA, neighbourhood="Alsancak"):
    """A resident signed up, verified and signed in: their own browser-like client."""
    client = app.test_client()
    page = client.post(f"{prefix}/sign-up", data={"name": name, "email": email, "neighbourhood": neighbourhood,
                                                    "password": PASSWORD, "notice_version": "2026-12"})
    assert page.status_code == 200, page.get_data(as_text=True)
    link = urlsplit(_link_in(mailbox, email)).path
    assert name in client.get(link).get_data(as_text=True)  # the link shows whose account it confirms
    assert client.post(link).status_code == 302
    signed = client.post(f"{prefix}/sign-in", data={"email": email, "password": PASSWORD})
    assert signed.status_code == 302, signed.get_data(as_text=True)
    return client


def _propose(client, theme, title="Kordon'a bisiklet yolu", prefix=PA, **extra):
    data = {"title": title, "text": "Kordon boyunca kesintisiz ve güvenli bir bisiklet yolu yapılsın.",
            "theme": theme, "neighbourhood": "Alsancak", **extra}
    return client.post(f"{prefix}/proposals/new", data=data, content_type="multipart/form-data")


# --- accounts -----------------------------------------------------------------------------------------------------


def test_a_resident_signs_up_verifies_the_address_and_signs_in(app, councils, mailbox):  # noqa: F811
    _enable(councils["a"])
    client = app.test_client()
    refused = client.post(f"{PA}/sign-up", data={"name": "D", "email": "deniz", "neighbourhood": "Alsancak",
                                                  "password": "kısa"})
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422
    for field in ("name", "email", "password", "notice_version"):
        assert f'id="{field}-err"' in shown, field
    assert 'value="deniz"' in shown and "kısa" not in shown  # what was typed is kept, never the password

    unverified = app.test_client()
    unverified.post(f"{PA}/sign-up", data={"name": "Deniz Yurttaş", "email": "Deniz@Example.org",
                                           "neighbourhood": "Alsancak", "password": PASSWORD,
                                           "notice_version": "2026-12"})
    early = unverified.post(f"{PA}/sign-in", data={"email": "deniz@example.org", "password": PASSWORD})
    assert early.status_code == 422 and "link" in early.get_data(as_text=True)
    link = urlsplit(_link_in(mailbox, "deniz@example.org")).path
    opened = unverified.get(link)  # opening the link (a mail scanner does) confirms nothing
    assert opened.status_code == 200 and 'data-testid="confirm-address"' in opened.get_data(as_text=True)
    assert unverified.post(f"{PA}/sign-in", data={"email": "deniz@example.org", "password": PASSWORD}).status_code == 422
    assert unverified.post(link).status_code == 302
    wrong = unverified.post(f"{PA}/sign-in", data={"email": "deniz@example.org", "password": "yanlış-parola-1"})
    assert wrong.status_code == 422
    assert unverified.post(f"{PA}/sign-in", data={"email": "deniz@example.org", "password": PASSWORD}).status_code == 302
    assert "Deniz Yurttaş" in unverified.get(f"{PA}/account").get_data(as_text=True)

    # The same address again: the same answer, and the owner is told by e-mail (the form tells no one).
    before = len(mailbox.to("deniz@example.org"))
    again = app.test_client().post(f"{PA}/sign-up", data={"name": "Başka Biri", "email": "deniz@example.org",
                                                           "neighbourhood": "Alsancak", "password": PASSWORD,
                                                           "notice_version": "2026-12"})
    assert again.status_code == 200
    assert len(mailbox.to("deniz@example.org")) == before + 1

    # A script filling the hidden field is answered the same, and nothing is made.
    bot = app.test_client().post(f"{PA}/sign-up", data={"name": "Bot Bot", "email": "bot@example.org",
                                                        "neighbourhood": "Alsancak", "password": PASSWORD,
                                                        "notice_version": "2026-12", "website": "http://spam"})
    assert bot.status_code == 200 and mailbox.to("bot@example.org") == []


def test_a_council_with_a_list_of_neighbourhoods_takes_only_those(app, councils, mailbox):  # noqa: F811
    _enable(councils["a"], config={"neighbourhoods": ["Alsancak", "Karşıyaka"]})
    client = app.test_client()
    form = client.get(f"{PA}/sign-up").get_data(as_text=True)
    assert '<option value="Karşıyaka"' in form
    refused = client.post(f"{PA}/sign-up", data={"name": "Deniz Yurttaş", "email": "d@example.org",
                                                  "neighbourhood": "Ay", "password": PASSWORD,
                                                  "notice_version": "2026-12"})
    assert refused.status_code == 422 and 'id="neighbourhood-err"' in refused.get_data(as_text=True)
    assert mailbox.to("d@example.org") == []


# --- the whole way of a proposal ------------------------------------------------------------------------------------


def test_a_proposal_gathers_supports_reaches_its_group_and_its_page_follows_it_to_the_answer(
        app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    group = _working_group(admin, world, alpha)
    when = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    called = admin.post(f"{A}/meetings", json={"body_id": group, "title": "Çalışma grubu toplantısı",
                                               "scheduled_at": when, "agenda": ["Açılış"]}).json
    proposer = _resident(app, mailbox, "oneren@example.org", "Öneren Kişi")

    not_a_theme = _propose(proposer, "00000000-0000-0000-0000-000000000000")
    assert not_a_theme.status_code == 422 and 'id="theme-err"' in not_a_theme.get_data(as_text=True)
    fake = _propose(proposer, group, attachment=(__import__("io").BytesIO(b"MZ\x90\x00 not a photo"), "foto.jpg"))
    assert fake.status_code == 422 and 'id="attachment-err"' in fake.get_data(as_text=True)
    made = _propose(proposer, group, attachment=(__import__("io").BytesIO(b"%PDF-1.4 harita"), "harita.pdf"))
    assert made.status_code == 302
    number = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["threshold"] == 5
    assert app.test_client().get(f"{PA}/proposals/{number}/attachment").data.startswith(b"%PDF")

    supporters = [_resident(app, mailbox, f"destek{i}@example.org", f"Destekçi {i}") for i in range(5)]
    assert app.test_client().post(f"{PA}/proposals/{number}/support").status_code == 302  # signed out: sent to sign in
    for i, supporter in enumerate(supporters[:4]):
        assert supporter.post(f"{PA}/proposals/{number}/support").status_code == 302
        assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["supports"] == i + 1
    supporters[0].post(f"{PA}/proposals/{number}/support")  # twice: still one
    assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["supports"] == 4
    supporters[3].post(f"{PA}/proposals/{number}/withdraw")
    supporters[3].post(f"{PA}/proposals/{number}/support")
    assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["status"] == "open"
    supporters[4].post(f"{PA}/proposals/{number}/support")

    shown = admin.get(f"{A}/plugins/participation/proposals/{number}").json
    assert shown["status"] == "at_body" and shown["body"] == "Çevre Çalışma Grubu" and shown["supports"] == 5
    assert [s["kind"] for s in shown["timeline"]] == ["proposed", "reached", "at_body", "on_meeting_agenda"]
    agenda = [item["title"] for item in admin.get(f"{A}/meetings/{called['id']}").json["agenda"]]
    assert agenda[-1].startswith(f"Proposal {number}") or agenda[-1].startswith(f"Öneri {number}")
    for address in ("oneren@example.org", "destek0@example.org", "destek4@example.org"):
        assert any("Çevre Çalışma Grubu" in m.get_body(("plain",)).get_content() for m in mailbox.to(address)), address

    # The group writes its report on it, publishes it for comment, answers the comment and adopts it.
    report = admin.post(f"{A}/plugins/participation/proposals/{number}/report", json={
        "title": "Kordon bisiklet yolu raporu",
        "text": "Kordon'da bisiklet yolu yoktur.\n\nÇalışma grubu bir yol önerir."})
    assert report.status_code == 200 and report.json["timeline"][-1]["kind"] == "report"
    closes = (clock.council_today() + timedelta(days=10)).isoformat()
    too_soon = admin.post(f"{A}/plugins/participation/proposals/{number}/draft", json={"closes_on": "2020-01-01"})
    assert too_soon.status_code == 422 and "closes_on" in too_soon.json["errors"]
    draft = admin.post(f"{A}/plugins/participation/proposals/{number}/draft", json={"closes_on": closes}).json
    assert [len(v["paragraphs"]) for v in draft["versions"]] == [2] and draft["open_for_comment"]
    out_of_range = supporters[0].post(f"{PA}/drafts/{draft['id']}/comments", data={"paragraph": "3",
                                                                                   "text": "Üçüncü paragraf yok."})
    assert out_of_range.status_code == 422 and 'id="paragraph-err"' in out_of_range.get_data(as_text=True)
    assert supporters[0].post(f"{PA}/drafts/{draft['id']}/comments", data={
        "paragraph": "2", "text": "Yol, yayaların yürüyüş alanından ayrılsın."}).status_code == 302
    comment_id = admin.get(f"{A}/plugins/participation/drafts/{draft['id']}").json["comments"][0]["id"]
    early = admin.post(f"{A}/plugins/participation/drafts/{draft['id']}/adopt")
    assert early.status_code == 409  # the period is not over
    from conftest import login

    desk = app.test_client()
    login(desk, "admin@alpha.example.org")
    assert desk.post(f"{PA}/drafts/{draft['id']}/close").status_code == 302
    unanswered = admin.post(f"{A}/plugins/participation/drafts/{draft['id']}/adopt")
    assert unanswered.status_code == 409 and "1" in str(unanswered.json)
    no_reason = admin.post(f"{A}/plugins/participation/comments/{comment_id}/answer", json={"answer": "not_taken"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    assert admin.post(f"{A}/plugins/participation/comments/{comment_id}/answer",
                      json={"answer": "taken_in"}).status_code == 204
    assert any("answer" in m.get_body(("plain",)).get_content().lower() or "yanıt" in
               m.get_body(("plain",)).get_content().lower() for m in mailbox.to("destek0@example.org"))
    adopted = admin.post(f"{A}/plugins/participation/drafts/{draft['id']}/adopt")
    assert adopted.status_code == 200 and adopted.json["status"] == "adopted"
    reports = {r["title"]: r["status"] for r in admin.get(f"{A}/reports").json}
    assert reports["Kordon bisiklet yolu raporu"] == "approved"

    # The executive board's decision becomes a motion, linked; the municipality answers and starts the work.
    motion_id = _board_motion(admin, world, alpha, "Kordon bisiklet yolu")
    assert admin.post(f"{A}/plugins/participation/proposals/{number}/motion",
                      json={"motion_id": "00000000-0000-0000-0000-000000000000"}).status_code == 422
    linked = admin.post(f"{A}/plugins/participation/proposals/{number}/motion", json={"motion_id": motion_id})
    assert linked.status_code == 200
    assert admin.post(f"{A}/motions/{motion_id}/status", json={"status": "delivered",
                                                               "delivered_on": clock.council_today().isoformat()}
                      ).status_code == 200
    answered = admin.post(f"{A}/motions/{motion_id}/answer", json={
        "answer": "accepted", "text": "Belediye meclisi kabul etti.",
        "municipal_decision_date": clock.council_today().isoformat(), "municipal_decision_number": "2026/412"})
    assert answered.status_code == 200, answered.json
    assert admin.post(f"{A}/motions/{motion_id}/milestones", json={
        "state": "in_progress", "day": clock.council_today().isoformat(), "note": "İhale yapıldı."}).status_code in (200, 201)

    page = app.test_client().get(f"{PA}/proposals/{number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    steps = re.findall(r'data-step="([a-z_]+)"', text)
    assert steps[:5] == ["proposed", "reached", "at_body", "on_meeting_agenda", "report"]
    assert {"report_adopted", "decided", "motion", "delivered", "municipal_answer", "milestone"} <= set(steps)
    assert "2026/412" in text and "Belediye meclisi kabul etti." in text and "İhale yapıldı." in text
    assert "oneren@example.org" not in text  # never an address on a public page


# --- the secretariat's answers ---------------------------------------------------------------------------------------


def test_the_secretariat_answers_declines_merges_and_the_board_assigns(app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin, needed=2)
    group = _working_group(admin, world, alpha)
    proposer = _resident(app, mailbox, "oneren@example.org", "Öneren Kişi")
    first = int(_propose(proposer, "other", "Parklara gölgelik").headers["Location"].rsplit("/", 1)[-1])
    second = int(_propose(proposer, "other", "Parklarda gölgelik olsun").headers["Location"].rsplit("/", 1)[-1])
    third = int(_propose(proposer, group, "Sokak hayvanlarına su kabı").headers["Location"].rsplit("/", 1)[-1])
    P = f"{A}/plugins/participation/proposals"

    helper = _resident(app, mailbox, "yardim@example.org", "Yardımcı Kişi")
    helper.post(f"{PA}/proposals/{second}/support")
    proposer.post(f"{PA}/proposals/{first}/support")
    assert admin.post(f"{P}/{second}/merge", json={"into": second}).status_code == 422
    merged = admin.post(f"{P}/{second}/merge", json={"into": first})
    assert merged.status_code == 200 and merged.json["status"] == "merged" and merged.json["merged_into"] == first
    target = admin.get(f"{P}/{first}").json
    # The duplicate's supporter moved over, and with it the first reached its two supports: the board's agenda
    # (no theme).
    assert target["supports"] == 2 and target["status"] == "at_body" and target["body"] is None
    assert [s["kind"] for s in target["timeline"]][-3:] == ["merged_in", "reached", "at_body"]
    assigned = admin.post(f"{P}/{first}/assign", json={"body_id": group})
    assert assigned.status_code == 200 and assigned.json["body"] == "Çevre Çalışma Grubu"
    assert admin.post(f"{P}/{third}/assign", json={"body_id": group}).status_code == 409  # still collecting

    short = admin.post(f"{P}/{third}/decline", json={"reason": "Yok"})
    assert short.status_code == 422 and "reason" in short.json["errors"]
    declined = admin.post(f"{P}/{third}/decline", json={"reason": "Belediyenin değil, valiliğin işi."})
    assert declined.status_code == 200 and declined.json["answer"] == "Belediyenin değil, valiliğin işi."
    assert admin.post(f"{P}/{third}/decline", json={"reason": "Bir daha reddedilmez."}).status_code == 409
    assert admin.post(f"{P}/{third}/answer", json={"text": "Yanıt, ret gerekçesinin yerine geçmez."}).status_code == 409
    refused = proposer.post(f"{PA}/proposals/{third}/support", follow_redirects=True)
    assert "no longer takes supports" in refused.get_data(as_text=True) or "destek" in refused.get_data(as_text=True)
    assert admin.get(f"{P}/{third}").json["supports"] == 0
    assert any("declined" in m["Subject"] or "reddedildi" in m["Subject"] for m in mailbox.to("oneren@example.org"))


# --- moderation ------------------------------------------------------------------------------------------------------


def test_a_flagged_comment_is_hidden_with_a_public_reason_and_the_audit_keeps_no_text(app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    closes = (clock.council_today() + timedelta(days=20)).isoformat()
    draft = admin.post(f"{A}/plugins/participation/drafts", json={
        "title": "Kent Konseyi Yönergesi taslağı", "closes_on": closes,
        "text": "Madde 1. Amaç.\n\nMadde 2. Genel kurul yılda iki kez toplanır."})
    assert draft.status_code == 201, draft.json
    draft = draft.json
    writer = _resident(app, mailbox, "yazar@example.org", "Yazar Kişi")
    writer.post(f"{PA}/drafts/{draft['id']}/comments", data={"paragraph": "2", "text": "Bu yorumda hakaret var."})
    comment = admin.get(f"{A}/plugins/participation/drafts/{draft['id']}").json["comments"][0]
    anyone = app.test_client()
    assert anyone.post(f"{PA}/comments/{comment['id']}/flag", data={"reason": "abuse"}).status_code == 302
    assert anyone.post(f"{PA}/comments/{comment['id']}/flag", data={"reason": "whatever"}).status_code == 302
    flags = admin.get(f"{A}/plugins/participation/flags").json
    assert [f["reason"] for f in flags] == ["abuse"] and flags[0]["comment_id"] == comment["id"]

    hidden = admin.post(f"{A}/plugins/participation/comments/{comment['id']}/hide", json={"reason": "Hakaret içeriyor."})
    assert hidden.status_code == 204
    assert admin.get(f"{A}/plugins/participation/flags").json == []
    page = anyone.get(f"{PA}/drafts/{draft['id']}").get_data(as_text=True)
    assert "Hakaret içeriyor." in page and "Bu yorumda hakaret var." not in page
    shown = admin.get(f"{A}/plugins/participation/drafts/{draft['id']}").json["comments"][0]
    assert shown["text"] is None and shown["hidden_reason"] == "Hakaret içeriyor."
    assert any("Hakaret içeriyor." in m.get_body(("plain",)).get_content() for m in mailbox.to("yazar@example.org"))

    from sqlalchemy import select

    from konsey.core.audit import AuditEntry
    from konsey.plugins.participation.models import Comment
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(alpha):
        assert db.session.scalar(select(Comment.text)) == "Bu yorumda hakaret var."  # kept for the record
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("participation.%"))).all()
        actions = {e.action for e in entries}
        assert {"participation.commented", "participation.flagged", "participation.comment_hidden"} <= actions
        assert not any(word in str(e.details) for e in entries
                       for word in ("hakaret", "Hakaret", "yazar@example.org", "Yazar Kişi", "Madde"))


# --- working groups open to residents ------------------------------------------------------------------------------


def test_a_resident_joins_a_working_group_and_gets_its_meeting_notices(app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    group = _working_group(admin, world, alpha, "Ulaşım Çalışma Grubu")
    facilitator = str(world.member(alpha, name="Kolay Laştırıcı"))
    admin.post(f"{A}/bodies/{group}/seats", json={"member_id": facilitator, "role": "facilitator",
                                                   "starts_on": clock.council_today().isoformat()})
    listed = app.test_client().get(f"{A}/plugins/participation/working-groups")
    assert [(g["name"], g["facilitators"]) for g in listed.json] == [("Ulaşım Çalışma Grubu", ["Kolay Laştırıcı"])]
    resident = _resident(app, mailbox, "katilimci@example.org", "Katılımcı Yurttaş")
    unagreed = resident.post(f"{PA}/groups/{group}/join", follow_redirects=True).get_data(as_text=True)
    assert admin.get(f"{A}/plugins/participation/join-requests").json == []  # no consent, no request
    assert "e-posta" in unagreed or "e-mail" in unagreed
    assert resident.post(f"{PA}/groups/{group}/join", data={"consent": "true"}).status_code == 302
    again = resident.post(f"{PA}/groups/{group}/join", data={"consent": "true"}, follow_redirects=True)
    assert "already" in again.get_data(as_text=True) or "zaten" in again.get_data(as_text=True)
    waiting = admin.get(f"{A}/plugins/participation/join-requests").json
    assert [(r["name"], r["status"]) for r in waiting] == [("Katılımcı Yurttaş", "pending")]
    assert admin.post(f"{A}/plugins/participation/join-requests/{waiting[0]['id']}/accept").status_code == 204
    assert admin.post(f"{A}/plugins/participation/join-requests/{waiting[0]['id']}/accept").status_code == 409
    participants = admin.get(f"{A}/bodies/{group}/participants").json
    assert [(p["name"], p["email"]) for p in participants] == [("Katılımcı Yurttaş", "katilimci@example.org")]

    before = len(mailbox.to("katilimci@example.org"))
    when = (datetime.now(UTC) + timedelta(days=6)).isoformat()
    admin.post(f"{A}/meetings", json={"body_id": group, "title": "Ulaşım grubu aralık toplantısı",
                                      "scheduled_at": when, "agenda": ["Bisiklet yolları"]})
    from support.clients import relay_all

    relay_all(app)
    notices = mailbox.to("katilimci@example.org")[before:]
    assert len(notices) == 1 and "Ulaşım grubu aralık toplantısı" in notices[0]["Subject"]
    assert any(part.get_content_type() == "text/calendar" for part in notices[0].walk())


# --- the resident's own data ---------------------------------------------------------------------------------------


def test_a_resident_downloads_their_data_and_erases_the_account(app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    group = _working_group(admin, world, alpha)
    resident = _resident(app, mailbox, "silinecek@example.org", "Silinecek Kişi")
    other = _resident(app, mailbox, "kalan@example.org", "Kalan Kişi")
    number = int(_propose(resident, group).headers["Location"].rsplit("/", 1)[-1])
    theirs = int(_propose(other, group, "Başka bir öneri").headers["Location"].rsplit("/", 1)[-1])
    resident.post(f"{PA}/proposals/{theirs}/support")
    resident.post(f"{PA}/groups/{group}/join", data={"consent": "true"})
    request_id = admin.get(f"{A}/plugins/participation/join-requests").json[0]["id"]
    admin.post(f"{A}/plugins/participation/join-requests/{request_id}/accept")
    assert [p["email"] for p in admin.get(f"{A}/bodies/{group}/participants").json] == ["silinecek@example.org"]
    data = resident.get(f"{PA}/account/my-data.json")
    assert data.status_code == 200 and data.headers["Cache-Control"] == "no-store"
    assert data.json["account"]["email"] == "silinecek@example.org"
    assert [p["number"] for p in data.json["proposals"]] == [number]
    assert [s["proposal"] for s in data.json["supports"]] == [theirs]
    assert [g["email"] for g in data.json["working_groups"]] == ["silinecek@example.org"]

    assert resident.post(f"{PA}/account/erase", data={}).status_code == 302  # not confirmed: nothing happens
    assert resident.get(f"{PA}/account").status_code == 200
    assert resident.post(f"{PA}/account/erase", data={"confirm": "1"}).status_code == 302
    assert resident.get(f"{PA}/account").status_code == 302  # signed out: the account is gone
    shown = admin.get(f"{A}/plugins/participation/proposals/{number}").json
    assert shown["author"] is None and shown["title"] == "Kordon'a bisiklet yolu"
    assert admin.get(f"{A}/plugins/participation/proposals/{theirs}").json["supports"] == 0
    page = app.test_client().get(f"{PA}/proposals/{number}").get_data(as_text=True)
    assert "Silinecek Kişi" not in page
    assert admin.get(f"{A}/bodies/{group}/participants").json == []  # the group's record of them went too
    again = app.test_client().post(f"{PA}/sign-in", data={"email": "silinecek@example.org", "password": PASSWORD})
    assert again.status_code == 422


# --- the federation ------------------------------------------------------------------------------------------------


def test_the_federation_sees_aggregates_suppressed_under_five(app, world, councils, api, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin, needed=1)
    group = _working_group(admin, world, alpha)
    resident = _resident(app, mailbox, "cok@example.org", "Çok Öneren")
    from konsey.plugins.participation.usecases import indicators
    from konsey.tenants.scoping import bound_council

    numbers = [int(_propose(resident, group, f"Öneri numarası {i}").headers["Location"].rsplit("/", 1)[-1])
               for i in range(4)]
    with app.app_context(), bound_council(alpha):
        assert indicators() == {"proposals_per_10000": None, "proposals_reaching_a_body_share": None,
                                "median_days_to_decision": None, "median_days_to_motion": None}
    numbers += [int(_propose(resident, group, f"Sonraki öneri {i}").headers["Location"].rsplit("/", 1)[-1])
                for i in range(6)]
    for number in numbers[:4]:
        resident.post(f"{PA}/proposals/{number}/support")
    with app.app_context(), bound_council(alpha):
        figures = indicators()
    assert figures["proposals_per_10000"] == round(10 * 10000 / 4_479_525, 2)  # İzmir's population (the province)
    # Four of ten reached a body: four is a count under five, and the share would give it back (suppressed).
    assert figures["proposals_reaching_a_body_share"] is None
    resident.post(f"{PA}/proposals/{numbers[4]}/support")
    with app.app_context(), bound_council(alpha):
        figures = indicators()
    assert figures["proposals_reaching_a_body_share"] == 0.5
    assert figures["median_days_to_motion"] is None  # no motion yet, and never from fewer than five

    from konsey.core.federation import compute

    with app.app_context():
        row = compute()[alpha]
    assert row["plugin:proposals_reaching_a_body_share"] == 0.5
    # The federation's analyst compares them: labelled in the indicators' list, a column of the CSV.
    from konsey.core.accounts import PlatformRole, User
    from konsey.tenants.db import db

    analyst_id = world.user("analist@federasyon.example.org")
    with app.app_context():
        db.session.get(User, analyst_id).platform_role = PlatformRole.FEDERATION_ANALYST
        db.session.commit()
    analyst = api(world.token(analyst_id))
    listed = analyst.get("/api/v1/federation/indicators").json
    assert listed["indicators"]["plugin:proposals_per_10000"] == "Residents' proposals per 10,000 inhabitants"
    csv_header = analyst.get("/api/v1/federation/indicators.csv").get_data(as_text=True).splitlines()[0]
    assert "plugin:proposals_reaching_a_body_share" in csv_header


# --- isolation and the gate -----------------------------------------------------------------------------------------


def test_a_council_that_has_not_enabled_it_shows_nothing_and_another_councils_ids_are_not_found(
        app, world, councils, mailbox):  # noqa: F811
    admin, other = councils["a"], councils["b"]
    _enable(admin)
    group = _working_group(admin, world, councils["alpha"])
    resident = _resident(app, mailbox, "a@example.org", "A Yurttaşı")
    number = int(_propose(resident, group).headers["Location"].rsplit("/", 1)[-1])
    closes = (clock.council_today() + timedelta(days=20)).isoformat()
    draft = admin.post(f"{A}/plugins/participation/drafts", json={"title": "A'nın yönerge taslağı", "closes_on": closes,
                                                                   "text": "Madde 1. Amaç ve kapsam."}).json
    resident.post(f"{PA}/drafts/{draft['id']}/comments", data={"paragraph": "1", "text": "A'nın yorumu burada."})

    for url in (f"{PB}/", f"{PB}/sign-up", f"{PB}/proposals/{number}", f"{PB}/drafts/{draft['id']}"):
        assert app.test_client().get(url).status_code == 404, url
    # The council's public page leads residents to it; another council's does not.
    assert 'href="/alpha/p/participation/"' in app.test_client().get("/alpha/public").get_data(as_text=True)
    assert "/p/participation" not in app.test_client().get("/beta/public").get_data(as_text=True)
    assert other.get(f"{B}/plugins/participation/proposals").status_code == 404

    _enable(other, B)
    comment = admin.get(f"{A}/plugins/participation/drafts/{draft['id']}").json["comments"][0]["id"]
    anyone = app.test_client()
    assert anyone.get(f"{PB}/proposals/{number}").status_code == 404
    assert anyone.get(f"{PB}/drafts/{draft['id']}").status_code == 404
    assert anyone.post(f"{PB}/comments/{comment}/flag", data={"reason": "spam"}).status_code == 404
    assert other.get(f"{B}/plugins/participation/drafts/{draft['id']}").status_code == 404
    assert other.post(f"{B}/plugins/participation/comments/{comment}/hide", json={"reason": "Başka konseyin."}
                      ).status_code == 404
    assert other.get(f"{B}/plugins/participation/proposals").json["proposals"] == []
    # A's resident's session is no account in B: B's pages send them to sign in, and nothing of A's shows.
    assert resident.get(f"{PB}/account").status_code == 302
    assert resident.post(f"{PB}/groups/{group}/join").status_code == 302
    resident.get(f"{PB}/")  # the messages A's pages left in this browser's session are shown once
    assert "A Yurttaşı" not in resident.get(f"{PB}/").get_data(as_text=True)
    assert resident.post(f"{PB}/sign-in", data={"email": "a@example.org", "password": PASSWORD}).status_code == 422


def test_sign_ups_from_one_address_are_limited(limited_app):  # noqa: F811
    from conftest import World
    from support.clients import ApiClient

    world = World(limited_app)
    council = world.council("limited")
    admin = ApiClient(limited_app.test_client(), world.token(
        world.user("gs@limited.example.org", roles={council: "administrator"}), council))
    _enable(admin, "/api/v1/councils/limited")
    client = limited_app.test_client()
    answers = [client.post("/limited/p/participation/sign-up", data={
        "name": "Toplu Kayıt", "email": f"toplu{i}@example.org", "neighbourhood": "Alsancak", "password": PASSWORD,
        "notice_version": "2026-12"}).status_code for i in range(6)]
    assert answers == [200] * 5 + [429]


# --- an app acting for a resident -------------------------------------------------------------------------------------


def test_an_app_acts_for_a_resident_with_their_key(app, world, councils, api, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin, needed=1)
    group = _working_group(admin, world, alpha)
    public = api()
    R = f"{A}/plugins/participation"
    bad = public.post(f"{R}/residents", json={"name": "Uygulama Kullanıcısı", "email": "app", "neighbourhood": "Alsancak",
                                              "password": PASSWORD, "notice_version": "2026-12"})
    assert bad.status_code == 422 and "email" in bad.json["errors"]
    assert public.post(f"{R}/residents", json={"name": "Uygulama Kullanıcısı", "email": "app@example.org",
                                               "neighbourhood": "Alsancak", "password": PASSWORD,
                                               "notice_version": "2026-12"}).status_code == 202
    early = public.post(f"{R}/residents/session", json={"email": "app@example.org", "password": PASSWORD})
    assert early.status_code == 422  # not verified yet
    app.test_client().post(urlsplit(_link_in(mailbox, "app@example.org")).path)
    token = public.post(f"{R}/residents/session", json={"email": "app@example.org", "password": PASSWORD}).json["token"]
    key = {"X-Resident-Token": token}

    assert public.post(f"{R}/proposals/new", json={"title": "Uygulamadan öneri", "text": "Parka bank konulsun lütfen.",
                                                   "theme": group, "neighbourhood": "Alsancak"}).status_code == 403
    made = public.post(f"{R}/proposals/new", headers=key, json={
        "title": "Uygulamadan öneri", "text": "Parka bank konulsun lütfen.", "theme": group, "neighbourhood": "Alsancak"})
    assert made.status_code == 201 and made.json["author"] == "Uygulama Kullanıcısı"
    number = made.json["number"]
    supported = public.put(f"{R}/proposals/{number}/support", headers=key)
    assert supported.status_code == 200 and supported.json["status"] == "at_body"
    assert public.put(f"{R}/proposals/{number}/support", headers=key).status_code == 409
    assert public.delete(f"{R}/proposals/{number}/support", headers=key).json["supports"] == 0
    joined = public.post(f"{R}/working-groups/{group}/join-requests", headers=key, json={"consent": True})
    assert joined.status_code == 201 and joined.json["group"] == "Çevre Çalışma Grubu"
    closes = (clock.council_today() + timedelta(days=9)).isoformat()
    draft = admin.post(f"{R}/drafts", json={"title": "Yönerge taslağı", "closes_on": closes,
                                            "text": "Madde 1. Kapsam ve amaç."}).json
    commented = public.post(f"{R}/drafts/{draft['id']}/comments", headers=key, json={"paragraph": 1,
                                                                                     "text": "Amaç daha açık olsun."})
    assert commented.status_code == 201 and commented.json["comments"][0]["author"] == "Uygulama Kullanıcısı"
    mine = public.get(f"{R}/residents/me", headers=key).json
    assert mine["account"]["email"] == "app@example.org" and [p["number"] for p in mine["proposals"]] == [number]

    # Another council's key, a forged one, and one made before the resident signed out everywhere are no key.
    assert public.get(f"{R}/residents/me", headers={"X-Resident-Token": token + "x"}).status_code == 403
    _enable(councils["b"], B)
    assert public.get(f"{B}/plugins/participation/residents/me", headers=key).status_code == 403
    client = app.test_client()
    client.post(f"{PA}/sign-in", data={"email": "app@example.org", "password": PASSWORD})
    client.post(f"{PA}/sign-out", data={"everywhere": "1"})
    assert public.get(f"{R}/residents/me", headers=key).status_code == 403
    fresh = {"X-Resident-Token": public.post(f"{R}/residents/session", json={
        "email": "app@example.org", "password": PASSWORD}).json["token"]}
    assert public.delete(f"{R}/residents/me", headers=fresh).status_code == 204
    assert public.get(f"{R}/residents/me", headers=fresh).status_code == 403
    assert public.get(f"{R}/proposals/{number}").json["author"] is None


def test_a_forgotten_password_is_reset_by_a_link_that_works_once(app, councils, mailbox):  # noqa: F811
    _enable(councils["a"])
    resident = _resident(app, mailbox, "unutkan@example.org", "Unutkan Kişi")
    other = app.test_client()
    assert other.post(f"{PA}/password/forgot", data={"email": "yok@example.org"}).status_code == 302
    assert mailbox.to("yok@example.org") == []  # the same answer, and nothing sent
    other.post(f"{PA}/password/forgot", data={"email": "unutkan@example.org"})
    link = next(re.search(r"https?://\S+/password/reset/\S+", m.get_body(("plain",)).get_content()).group(0)
                for m in reversed(mailbox.to("unutkan@example.org")) if "/password/reset/" in m.get_body(("plain",)).get_content())
    path = urlsplit(link.rstrip(".")).path
    mismatch = other.post(path, data={"password": "yeni-parola-2026", "confirm": "başka-parola-2026"})
    assert mismatch.status_code == 422 and 'id="confirm-err"' in mismatch.get_data(as_text=True)
    assert other.post(path, data={"password": "yeni-parola-2026", "confirm": "yeni-parola-2026"}).status_code == 302
    assert resident.get(f"{PA}/account").status_code == 302  # the sessions signed before ended
    assert other.post(path, data={"password": "üçüncü-parola-1", "confirm": "üçüncü-parola-1"}).status_code == 302
    assert other.post(f"{PA}/sign-in", data={"email": "unutkan@example.org", "password": "üçüncü-parola-1"}).status_code == 422
    assert other.post(f"{PA}/sign-in", data={"email": "unutkan@example.org", "password": "yeni-parola-2026"}).status_code == 302


def test_an_unverified_address_is_taken_by_whoever_reads_its_mail(app, councils, mailbox):  # noqa: F811
    _enable(councils["a"])
    squatter = app.test_client()
    squatter.post(f"{PA}/sign-up", data={"name": "Kötü Niyetli", "email": "sahibi@example.org",
                                         "neighbourhood": "Alsancak", "password": "kotu-niyetli-1",
                                         "notice_version": "2026-12"})
    first_link = _link_in(mailbox, "sahibi@example.org")
    owner = app.test_client()
    owner.post(f"{PA}/sign-up", data={"name": "Gerçek Sahibi", "email": "sahibi@example.org",
                                      "neighbourhood": "Alsancak", "password": PASSWORD, "notice_version": "2026-12"})
    second_link = _link_in(mailbox, "sahibi@example.org")
    assert first_link != second_link
    assert owner.get(urlsplit(first_link).path).status_code == 302  # void (to sign up): it took the new password
    assert owner.post(urlsplit(first_link).path).status_code == 302
    assert owner.post(f"{PA}/sign-in", data={"email": "sahibi@example.org", "password": PASSWORD}).status_code == 422
    owner.post(urlsplit(second_link).path)
    assert owner.post(f"{PA}/sign-in", data={"email": "sahibi@example.org", "password": PASSWORD}).status_code == 302
    assert "Gerçek Sahibi" in owner.get(f"{PA}/account").get_data(as_text=True)


def test_a_hidden_proposal_shows_its_number_and_reason_only_and_a_bylaws_draft_is_the_boards(
        app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    group = _working_group(admin, world, alpha)
    author = _resident(app, mailbox, "yazar@example.org", "Yazar Kişi")
    number = int(_propose(author, group, "Kaba bir başlık burada").headers["Location"].rsplit("/", 1)[-1])
    admin.post(f"{A}/plugins/participation/proposals/{number}/hide", json={"reason": "Başlık hakaret içeriyor."})
    public = app.test_client().get(f"{PA}/proposals/{number}").get_data(as_text=True)
    assert "Kaba bir başlık" not in public and "Başlık hakaret içeriyor." in public
    assert "Kaba bir başlık" not in app.test_client().get(f"{PA}/").get_data(as_text=True)
    assert app.test_client().get(f"{A}/plugins/participation/proposals/{number}").json["title"] is None
    assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["title"] == "Kaba bir başlık burada"
    other = int(_propose(author, group, "Başka bir öneri burada").headers["Location"].rsplit("/", 1)[-1])
    into_hidden = admin.post(f"{A}/plugins/participation/proposals/{other}/merge", json={"into": number})
    assert into_hidden.status_code == 422 and "into" in into_hidden.json["errors"]  # its page would name it

    closes = (clock.council_today() + timedelta(days=9)).isoformat()
    draft = admin.post(f"{A}/plugins/participation/drafts", json={"title": "Yönerge taslağı", "closes_on": closes,
                                                                   "text": "Madde 1. Kapsam ve amaç."}).json
    author.post(f"{PA}/drafts/{draft['id']}/comments", data={"paragraph": "1", "text": "Kapsam geniş tutulsun."})
    comment = admin.get(f"{A}/plugins/participation/drafts/{draft['id']}").json["comments"][0]["id"]
    from support.clients import ApiClient

    facilitator = ApiClient(app.test_client(), world.token(
        world.user("kolay@alpha.example.org", roles={alpha: "facilitator"}), alpha))
    refused = facilitator.post(f"{A}/plugins/participation/comments/{comment}/answer", json={"answer": "taken_in"})
    assert refused.status_code == 403  # the board answers on its by-laws, not a group's facilitator
    assert admin.post(f"{A}/plugins/participation/comments/{comment}/answer",
                      json={"answer": "taken_in"}).status_code == 204


def test_the_plugin_imports_nothing_of_konsey_but_the_plugin_kit():
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "plugins" / "participation"
    seen = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("konsey"):
                    seen.add(name)
                    assert name == "konsey.pluginkit" or name.startswith("konsey.plugins.participation"), \
                        f"{path.name} imports {name}"
    assert "konsey.pluginkit" in seen


def test_where_the_council_disables_it_a_resident_still_signs_in_and_erases_the_account(
        app, world, councils, mailbox):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    _enable(admin)
    group = _working_group(admin, world, alpha)
    resident = _resident(app, mailbox, "ayrilan@example.org", "Ayrılan Kişi")
    number = int(_propose(resident, group).headers["Location"].rsplit("/", 1)[-1])
    assert admin.delete(f"{A}/plugins/participation").json["state"] == "disabled"
    assert app.test_client().get(f"{PA}/proposals/{number}").status_code == 200  # the record stays readable
    assert _propose(resident, group, "Kapandıktan sonra bir öneri").status_code == 409  # and read-only
    again = app.test_client()
    assert again.post(f"{PA}/sign-in", data={"email": "ayrilan@example.org", "password": PASSWORD}).status_code == 302
    assert again.post(f"{PA}/account/erase", data={"confirm": "1"}).status_code == 302
    assert admin.get(f"{A}/plugins/participation/proposals/{number}").json["author"] is None
