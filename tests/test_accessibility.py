"""Every page passes axe-core's WCAG 2.1 AA rules and fits a 390 px phone without sideways scrolling, in a
real browser (Debian's Chromium), with a council that has something on every page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from test_browser import browser, live_server  # noqa: F401 (fixtures)

from support.world import sitting_now

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _living_council(app, world) -> dict:
    """A council with members, a body with seats, a called meeting with a closed vote, an application, a
    motion, a report: so that each page shows its tables and forms, not only "nothing yet"."""
    from konsey.core import meetings, votes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    ids = [world.member(council, name=name, gender=gender) for name, gender in
           [("Ayşe Kaya", "female"), ("Mehmet Demir", "male"), ("Zeynep Ak", "female"),
            ("Kemal Uzunsoyadlıoğulları", "male")]]
    chamber = world.representative(council)["institution_a"]
    world.application(council, name="Başvuran Vatandaş", email="b@example.org")
    world.dead_letter(council)  # the delivery page's list of what failed for good
    for plugin in ("womens_assembly", "youth_assembly", "children_assembly", "disabled_assembly", "elders_assembly"):
        world.enable(council, plugin)

    with app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in ids[:3]:
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        when, called = sitting_now()
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Aralık genel kurulu", when,
                                    "Kültür Merkezi", ["Bisiklet yolu", "Park"], now=called)
        for member_id in [*ids, ]:
            meetings.check_in(meeting, db.session.get(Member, member_id), online=False)
        from konsey.core import presiding

        # Its presiding board elected: the desk's opening panel, and the board's desk on the chair's phone.
        slate = presiding.propose(meeting, assembly, ids[0], [ids[1]], [ids[2], ids[3]])
        votes.record_counts(slate, meeting, assembly, yes=4, no=0, abstain=0)
        votes.close_vote(slate, meeting, assembly)
        presiding.vote_closed(meeting, slate)
        items = db.session.scalars(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id,
                                                                     meetings.AgendaItem.position > 0)
                                   .order_by(meetings.AgendaItem.position)).all()
        vote = votes.open_vote(meeting, assembly, items[0], meetings.VoteKind.OPEN)
        votes.record_counts(vote, meeting, assembly, yes=3, no=1, abstain=0)
        votes.close_vote(vote, meeting, assembly)
        votes.open_vote(meeting, assembly, items[1], meetings.VoteKind.ROLL_CALL)
        from konsey.core import passes, speakers
        from konsey.core.rules.meetings import Stance

        passes.issue(meeting)  # the desk's hybrid panel and a phone page with someone speaking, one waiting
        speakers.give_floor(meeting, speakers.ask(meeting, db.session.get(Member, ids[2]), Stance.AGAINST))
        speakers.ask(meeting, db.session.get(Member, ids[1]), Stance.FOR)
        db.session.commit()
        meeting_id, vote_id, board_id = meeting.id, vote.id, board.id
        with app.test_request_context():
            phone = passes.link_token(db.session.scalar(select(passes.MeetingPass).where(
                passes.MeetingPass.member_id == ids[0])))
        # A general assembly held and closed, its board elected: the desk's minutes panel with one approval of
        # four, and a board member's phone offering the approval.
        from konsey.core import meeting_record

        held = meetings.schedule(assembly, meetings.MeetingKind.EXTRAORDINARY, "Kasım olağanüstü genel kurulu",
                                 when, "Kültür Merkezi", ["Bütçe"], now=called)
        for member_id in ids:
            meetings.check_in(held, db.session.get(Member, member_id), online=False)
        slate = presiding.propose(held, assembly, ids[0], [ids[1]], [ids[2], ids[3]])
        votes.record_counts(slate, held, assembly, yes=4, no=0, abstain=0)
        votes.close_vote(slate, held, assembly)
        presiding.vote_closed(held, slate)
        passes.issue(held)
        meetings.close_meeting(held)
        with app.test_request_context():
            version = meeting_record.draw_up(held)
            meeting_record.approve(held, version, db.session.get(Member, ids[0]))
            board_phone = passes.link_token(db.session.scalar(select(passes.MeetingPass).where(
                passes.MeetingPass.meeting_id == held.id, passes.MeetingPass.member_id == ids[1])))
        held_id = held.id
        # A meeting called for next month: its desk offers to move or cancel it.
        later = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Ocak genel kurulu", when + timedelta(days=30),
                                  "Kültürpark", ["Açılış"], now=called).id
        db.session.commit()
        sealed_open, sealed_counted, tracker = _sealed_boxes(meeting_id, assembly, ids)
        db.session.commit()
    from konsey.usecases.base import SYSTEM, acting_as
    from konsey.usecases.motions import adopt_motion

    with app.app_context(), bound_council(council), acting_as(SYSTEM):
        motion = adopt_motion({"vote_id": vote_id, "title": "Bisiklet yolu", "text": "Bisiklet yolu yapılsın."})
        motion_id = motion.id
        from konsey.core import export

        job = export.request_export(None)  # the export page then offers a file
        export.write_export(job.id, db.session.commit)
        db.session.commit()
    return {"council": council, "meeting": meeting_id, "member": ids[0], "institution": chamber,
            "board": board_id, "motion": motion_id, "phone": phone, "held": held_id, "board_phone": board_phone,
            "sealed_open": sealed_open, "sealed_counted": sealed_counted, "tracker": tracker,
            "later": later, **_participation_life(app, world, council, board_id, motion_id)}


def _participation_life(app, world, council, board_id, motion_id) -> dict:
    """Residents' proposals at the group with a motion, a draft with comments answered, hidden and waiting, a
    request to join, a flag: the participation pages with their lists and forms."""
    from konsey.core.bodies import Body, BodyKind, BodyStatus
    from konsey.plugins.participation import models as p
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.models import council_today
    from konsey.tenants.scoping import bound_council

    world.enable(council, "participation")
    with app.app_context(), bound_council(council):
        group = Body(kind=BodyKind.WORKING_GROUP, name="Çevre Çalışma Grubu", status=BodyStatus.ACTIVE)
        resident = p.Resident(email="sakin@example.org", name="Deniz Yurttaş", neighbourhood="Alsancak",
                              password_hash="x", notice_version="2026-12", verified_at=utcnow())
        db.session.add_all([group, resident])
        db.session.flush()
        proposal = p.Proposal(number=1, title="Kordon'a gölgelik", text="Kordon boyunca gölgelik yapılsın.",
                              theme_body_id=group.id, neighbourhood="Alsancak", author_id=resident.id, threshold=5,
                              supports=5, status=p.ProposalStatus.AT_BODY, body_id=group.id, motion_id=motion_id,
                              reached_at=utcnow())
        db.session.add(proposal)
        db.session.flush()
        for kind, note in (("proposed", None), ("reached", "5"), ("at_body", group.name), ("report", None)):
            db.session.add(p.ProposalEvent(proposal_id=proposal.id, kind=kind, note=note))
        draft = p.Draft(kind=p.DraftKind.BYLAWS, title="Yönerge taslağı", body_id=board_id,
                        opens_on=council_today(), closes_on=council_today() + timedelta(days=10))
        db.session.add(draft)
        db.session.flush()
        db.session.add(p.DraftVersion(draft_id=draft.id, version=1, text="Madde 1. Amaç.\n\nMadde 2. Toplantılar."))
        answered = p.Comment(draft_id=draft.id, version=1, paragraph=1, author_id=resident.id, text="Katılıyorum.",
                             answer=p.CommentAnswer.NOT_TAKEN, answer_reason="Yönetmelik buna izin vermiyor.",
                             answered_at=utcnow())
        hidden = p.Comment(draft_id=draft.id, version=1, paragraph=2, author_id=resident.id, text="Kaba söz.",
                           hidden_reason="Hakaret içeriyor.", hidden_at=utcnow())
        waiting = p.Comment(draft_id=draft.id, version=1, paragraph=2, author_id=resident.id,
                            text="Toplantılar akşam olsun.")
        db.session.add_all([answered, hidden, waiting])
        db.session.flush()
        db.session.add_all([p.Flag(comment_id=waiting.id, reason=p.FlagReason.OFF_TOPIC),
                            p.Flag(proposal_id=proposal.id, reason=p.FlagReason.SPAM),
                            p.JoinRequest(body_id=group.id, resident_id=resident.id)])
        db.session.commit()
        return {"proposal": proposal.number, "draft": draft.id}


def _sealed_boxes(meeting_id, assembly, ids) -> tuple:
    """An executive board election in the sitting with two sealed rounds: one whose key is being made (the
    chair's phone shows its page, as a keyholder), one counted (its public result, a tracker looked up)."""
    from opencount import box as protocol

    from konsey.core import elections, sealed_boxes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.models import council_today

    meeting = db.session.get(Meeting, meeting_id)
    board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    term = council_today().replace(day=1)
    election = elections.call_election(assembly, board, elections.Office.EXECUTIVE_BOARD, 2, term, 0, meeting)
    options = [str(member_id) for member_id in ids]
    keying = sealed_boxes.call(meeting.id, ids[:3], 2, options, 0, 2, election_id=election.id)
    counted = sealed_boxes.call(meeting.id, ids[:3], 2, options, 0, 2, election_id=election.id)
    holders = sealed_boxes.keyholders(counted)
    devices = [protocol.Keyholder(str(counted.id), h.index, 2) for h in holders]
    for holder, device in zip(holders, devices):
        sealed_boxes.give_transport_key(counted, holder, device.transport_key.hex())
    keys = {d.index: d.transport_key for d in devices}
    the_box = bytes.fromhex(counted.statement)
    dealings = {d.index: d.dealing(keys, the_box) for d in devices}
    for holder, device in zip(holders, devices):
        sealed_boxes.give_dealing(counted, holder, dealings[device.index])
    for holder, device in zip(holders, devices):
        sealed_boxes.confirm_share(counted, holder, device.receive(dealings, the_box, keys)["proof"])
    key = bytes.fromhex(counted.public_key)
    for seat, marks in zip(ids, ([1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0])):
        ballot = protocol.seal(str(counted.id), the_box, key, marks, 0, 2)
        sealed_boxes.drop(counted, seat, ballot, protocol.tracker(ballot))
    sealed_boxes.seal_board(counted)
    sums = [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in counted.sums]
    for holder, device in list(zip(holders, devices))[:2]:
        sealed_boxes.give_decryption(counted, holder, device.decrypt(counted.fingerprint, sums))
    return keying.id, counted.id, protocol.tracker(counted.board[0])


def _pages(things: dict) -> list[str]:
    return [
        "/", "/login", "/izmir/", "/izmir/members", "/izmir/members/new", f"/izmir/members/{things['member']}",
        f"/izmir/members/{things['institution']}", f"/izmir/members/{things['member']}/edit", "/izmir/members/import",
        "/izmir/applications/", "/izmir/meetings/", f"/izmir/meetings/{things['meeting']}",
        f"/izmir/meetings/{things['meeting']}/projector", f"/izmir/remote/{things['phone']}",
        f"/izmir/remote/m/{things['meeting']}/board", "/izmir/bodies/", f"/izmir/bodies/{things['board']}",
        "/izmir/motions/", f"/izmir/motions/{things['motion']}", "/izmir/reports/", "/izmir/elections/",
        "/izmir/money/", "/izmir/bylaws/", "/izmir/people", "/izmir/notifications/", "/izmir/plugins/",
        "/izmir/delivery/", "/izmir/session-requests/", "/izmir/federation", "/izmir/public", "/izmir/tracker", "/izmir/motions/calendar", "/izmir/export", "/izmir/apply", "/izmir/personal-data/",
        "/account/tokens", "/account/security", "/federation/public", "/izmir/p/womens_assembly/", "/izmir/p/youth_assembly/", "/izmir/p/disabled_assembly/",
        "/izmir/p/children_assembly/", "/izmir/p/elders_assembly/", f"/izmir/meetings/{things['held']}", f"/izmir/remote/{things['board_phone']}",
        "/izmir/verify", f"/izmir/remote/m/{things['meeting']}/sealed/{things['sealed_open']}",
        f"/izmir/meetings/{things['later']}",
        f"/izmir/sealed/{things['sealed_counted']}?tracker={things['tracker']}",
        *(f"/izmir/p/participation{tail}" for tail in (
            "/", "/sign-up", "/sign-in", f"/proposals/{things['proposal']}", "/groups", "/join-requests", "/drafts",
            f"/drafts/{things['draft']}", "/drafts/bylaws", "/moderation")),
    ]


def _english_sentences() -> set[str]:
    """The catalogue's English message ids that a Turkish page must never show (sentences and phrases with
    their own Turkish, not names or codes that read the same in both)."""
    from babel.messages.pofile import read_po

    with open(Path(__file__).parent.parent / "platform/core/translations/tr/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    found = set()
    for message in catalogue:
        text = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else message.string[0]
        if text and "%" not in text and "{" not in text and len(text) >= 14 and " " in text and string != text:
            found.add(text)
    return found


def _violations(page) -> list[dict]:
    page.evaluate(AXE)
    found = page.evaluate("(rules) => axe.run(document, {runOnly: {type: 'tag', values: rules}})"
                          ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
                          " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))", RULES)
    return found


# Each word of each visible table cell, on one line: a word the cell broke has client rectangles on two lines.
BROKEN_WORDS = """() => { const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.offsetParent === null || cell.getBoundingClientRect().width <= 2) continue;  // hidden headings
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s\\-–—/]+/g)) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken; }"""
# The page's cumulative layout shift so far (the browser records shifts from the first paint).
LAYOUT_SHIFT = """() => new Promise(resolve => { let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 50); })"""
# Text in a chart as drawn: its font size times the SVG's scale on screen.
SMALL_CHART_TEXT = """() => [
  ...[...document.querySelectorAll('svg text')].filter(t => t.getClientRects().length)
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM() ? t.getScreenCTM().a : 1)]),
  ...[...document.querySelectorAll('.bar-chart .bar-label, .bar-chart .bar-value, .bar-chart figcaption')]
    .filter(t => t.getClientRects().length).map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)]),
].filter(([, size]) => size < 11.5).map(([text, size]) => `${text} ${size.toFixed(1)} px`)"""

# Every visible control a finger must hit, at least 44 × 44 px (a box or a radio: its label, which carries it).
SMALL_TARGETS = """() => [...document.querySelectorAll('button, select, textarea, input, summary')]
  .filter(e => !['hidden', 'file'].includes(e.type) && e.offsetParent !== null)
  .map(e => { const box = ['checkbox', 'radio'].includes(e.type);
    const target = box ? (e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e) : e;
    const rect = target.getBoundingClientRect(); return [e, rect.height, rect.width]; })
  .filter(([, height, width]) => height < 43.5 || width < 43.5)
  .map(([e, height, width]) => `${e.tagName.toLowerCase()}[name=${e.name || e.id}] ${Math.round(width)}×${Math.round(height)} px`)"""

# What a person reads, text and the values of the fields they would edit: a key of the code (two words or more
# joined by "_") never shows there.
# The page's text but what it shows as code on purpose (an address, a fingerprint, a record's route): the internal
# names a person should never read are the ones in its prose.
SHOWN_PROSE = """() => { let shown = document.body.innerText;
  const codes = [...document.querySelectorAll('code')].map(c => c.innerText).filter(Boolean);
  codes.sort((a, b) => b.length - a.length);  // the longest first: "members" is inside "membership_applications"
  for (const code of codes) shown = shown.split(code).join(' ');
  return shown; }"""
SHOWN_VALUES = """() => [...document.querySelectorAll('input, textarea')]
  .filter(e => !['hidden', 'checkbox', 'radio', 'submit', 'button', 'file'].includes(e.type))
  .filter(e => e.offsetParent !== null).map(e => e.value).join(' ')"""


def _check(page, path: str, viewport: dict, english: set[str], problems: dict) -> None:
    """axe's violations, English on a Turkish page, and a page wider than the phone, into ``problems``."""
    shown = page.locator("body").inner_text()
    untranslated = sorted(text for text in english if text in shown)
    if untranslated:
        problems.setdefault(path, []).append({"id": "english-on-a-turkish-page", "help": untranslated[:5]})
    problems.setdefault(path, []).extend(_violations(page))
    title = page.title()
    if "<" in title or len(title) > 150:
        problems[path].append({"id": "title-with-markup", "help": title[:80]})
    clipped = page.evaluate("() => { const h = document.querySelector('header.top'); if (!h) return false;"
                            " const box = h.getBoundingClientRect();"
                            " return [...h.querySelectorAll(':scope > div:first-child > *')].some(e => { const r = e.getBoundingClientRect();"
                            " return r.top < box.top - 1 || r.bottom > box.bottom + 1; }); }")
    if clipped:  # the header's own items stick out of it (a class shared with a chart once squashed it)
        problems[path].append({"id": "header-clipped", "help": "the top bar does not hold its items"})
    doubled = page.evaluate("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                            " return [...new Set(ids.filter((v, i) => ids.indexOf(v) !== i))]; }")
    if doubled:
        problems[path].append({"id": "duplicate-ids", "help": doubled[:5]})
    if viewport is PHONE:  # a finger needs 44 px: every visible control (a box's label carries it for the box)
        small = page.evaluate(SMALL_TARGETS)
        if small:
            problems[path].append({"id": "target-smaller-than-44px", "help": small[:5]})
    broken = page.evaluate(BROKEN_WORDS)
    if broken:  # a cell too narrow for its words ("Tesl/im/edil/di"): cards or a box of its own, not this
        problems[path].append({"id": "word-broken-in-a-table-cell", "help": broken[:5]})
    shift = page.evaluate(LAYOUT_SHIFT)
    if shift > 0.1:  # the page moved under the reader as it loaded
        problems[path].append({"id": "layout-shift", "help": f"cumulative layout shift {shift:.2f}"})
    tiny = page.evaluate(SMALL_CHART_TEXT)
    if tiny:
        problems[path].append({"id": "chart-text-under-12px", "help": tiny[:5]})
    raw = sorted(set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", page.evaluate(SHOWN_PROSE) + " " +
                                page.evaluate(SHOWN_VALUES))))
    if raw:  # an internal name shown to a person (a by-law parameter's key, say)
        problems[path].append({"id": "raw-key-shown", "help": raw[:5]})
    if viewport is PHONE and not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        width = page.evaluate("document.documentElement.scrollWidth")
        problems[path].append({"id": "wider-than-phone", "help": f"{width} px wide"})
    if not problems[path]:
        del problems[path]


def _with_second_factor(app, user_id) -> None:
    import pyotp

    from konsey.core import second_factors
    from konsey.tenants.db import db

    with app.app_context():
        factor, secret = second_factors.start_enrolment(user_id)
        assert second_factors.confirm(factor, pyotp.TOTP(secret).now()) is not None
        db.session.add(second_factors.Passkey(user_id=user_id, credential_id=b"a11y", public_key=b"-", name="Telefon"))
        db.session.commit()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe_and_fits(live_server, browser, sqlite_app, viewport):  # noqa: F811
    from conftest import World

    things = _living_council(sqlite_app, World(sqlite_app))
    # axe is injected into the page; the pages' own policy allows no script but theirs.
    context = browser.new_context(locale="tr-TR", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("gs@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{live_server}/izmir/")
    # axe itself is awake: a picture with no text alternative is caught.
    page.set_content('<html lang="tr"><head><title>t</title></head><body><main><img src="data:,"></main></body></html>')
    assert "image-alt" in {v["id"] for v in _violations(page)}
    english = _english_sentences()
    problems = {}
    for path in _pages(things):
        response = page.goto(f"{live_server}{path}")
        assert response.ok, f"{path}: {response.status}"
        _check(page, path, viewport, english, problems)
    # The federation analyst's pages (aggregates of every council).
    World(sqlite_app).user("analyst@federasyon.example.org", platform_role="federation_analyst")
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("analyst@federasyon.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{live_server}/federation/")
    for path in ("/federation/", "/federation/?indicator=quorum_share"):
        page.goto(f"{live_server}{path}")
        _check(page, path, viewport, english, problems)
    # The operator's pages, and what a person meets signed out (their forms read by schemas, not WTForms).
    World(sqlite_app).user("op@konsey.example.org", platform_role="operator")
    page.context.clear_cookies()
    page.goto(f"{live_server}/password/forgot")
    _check(page, "/password/forgot", viewport, english, problems)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("op@konsey.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{live_server}/operator/")
    for path in ("/operator/", "/operator/councils/new", "/operator/councils/izmir"):
        assert page.goto(f"{live_server}{path}").ok, path
        _check(page, path, viewport, english, problems)
    # The second step of signing in, for someone with an authenticator app and a passkey.
    _with_second_factor(sqlite_app, World(sqlite_app).user("iki@izmir.example.org"))
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("iki@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{live_server}/login/second-factor")
    _check(page, "/login/second-factor", viewport, english, problems)
    context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
