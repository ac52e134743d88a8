"""What the chair needs is in one screen: the projector on a 1280×800 or 1920×1080 screen shows the quorum, the item,
the speaker and the vote's result without scrolling; the desk on a laptop puts the agenda with its votes beside a
long roster (each scrolling in its own column), so the chair never scrolls past the names to open a vote."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_browser import browser, live_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _assembly_with_a_long_roster(app, world, people: int = 80):
    """İzmir's general assembly sitting now: ``people`` members, most of them present, the first item decided,
    the second taken up with a member speaking on it and three more waiting."""
    from konsey.core import meetings, speakers, votes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.rules.meetings import Stance
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.world import sitting_now

    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    ids = [world.member(council, name=f"Üye {n:03d} Karaosmanoğlu") for n in range(people)]
    with app.app_context(), bound_council(council):
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        when, called = sitting_now()
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Aralık genel kurulu", when,
                                    "Kültür Merkezi", ["Bisiklet yolu ağının genişletilmesi", "Park"], now=called)
        present = people * 5 // 8
        for member_id in ids[:present]:
            meetings.check_in(meeting, db.session.get(Member, member_id), online=False)
        items = db.session.scalars(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id,
                                                                     meetings.AgendaItem.position > 0)
                                   .order_by(meetings.AgendaItem.position)).all()
        vote = votes.open_vote(meeting, assembly, items[0], meetings.VoteKind.OPEN)
        votes.record_counts(vote, meeting, assembly, yes=present - 4, no=2, abstain=2)
        votes.close_vote(vote, meeting, assembly)
        speakers.take_up(meeting, items[1])
        for member_id in ids[:4]:
            speakers.ask(meeting, db.session.get(Member, member_id), Stance.FOR)
        speakers.give_floor(meeting, speakers.queue(meeting, items[1])[0])
        db.session.commit()
        return meeting.id


def _signed_in(browser, live_server, viewport):  # noqa: F811
    page = browser.new_context(locale="tr-TR", viewport=viewport).new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("gs@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.wait_for_url(f"{live_server}/izmir/")
    return page


@pytest.mark.parametrize("screen", [{"width": 1280, "height": 800}, {"width": 1920, "height": 1080}],
                         ids=["1280x800", "1920x1080"])
def test_the_projector_shows_quorum_item_speaker_and_result_in_one_screen(live_server, browser, sqlite_app,  # noqa: F811
                                                                         screen):
    from conftest import World

    meeting_id = _assembly_with_a_long_roster(sqlite_app, World(sqlite_app))
    page = _signed_in(browser, live_server, screen)
    page.goto(f"{live_server}/izmir/meetings/{meeting_id}/projector")
    page.get_by_test_id("live-result").wait_for()
    assert page.get_by_test_id("live-result").inner_text().strip()  # the decided item's result is up
    assert "Üye 000 Karaosmanoğlu" in page.locator(".live-speaker").first.inner_text()  # someone is speaking
    for part in ("[data-testid=live-quorum]", "[data-testid=live-item]", ".live-speaker",
                 "[data-testid=live-result]"):
        box = page.locator(part).first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= screen["height"], (part, box)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


def test_the_desk_on_a_laptop_puts_the_agenda_beside_the_roster(live_server, browser, sqlite_app):  # noqa: F811
    from conftest import World

    meeting_id = _assembly_with_a_long_roster(sqlite_app, World(sqlite_app))
    page = _signed_in(browser, live_server, {"width": 1280, "height": 800})
    page.goto(f"{live_server}/izmir/meetings/{meeting_id}")
    roster = page.locator("#attendance").bounding_box()
    agenda = page.locator("#agenda").bounding_box()
    assert agenda["x"] >= roster["x"] + roster["width"] - 1  # beside, not below
    assert agenda["y"] < 600  # the agenda starts in the first screen, not below eighty names
    # The second item's controls (take it up, open its vote) are reached within the agenda's column: the roster
    # stays in sight beside it.
    button = page.locator("#agenda article.item").nth(1).locator("button").first
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
    roster_now = page.locator("#attendance").bounding_box()
    assert roster_now["y"] < 800 and roster_now["y"] + roster_now["height"] > 200  # still in the screen
    # The roster scrolls in its own column: all eighty names are there, the page itself is not 8,000 px long.
    assert page.locator("#roster li").count() >= 50
    assert page.evaluate("document.getElementById('attendance').scrollHeight > "
                         "document.getElementById('attendance').clientHeight")
    assert page.evaluate("document.documentElement.scrollHeight") < 4000  # not one 8,000 px column
    page.context.close()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}],
                         ids=["phone", "laptop"])
def test_a_jump_or_a_tab_lands_below_the_desks_sticky_bar(live_server, browser, sqlite_app, viewport):  # noqa: F811
    """The quorum bar stays on top of the desk as it scrolls; a jump to a part of the desk, or a control reached
    with the keyboard, is shown below it, not hidden under it."""
    from conftest import World

    meeting_id = _assembly_with_a_long_roster(sqlite_app, World(sqlite_app), people=30)
    page = _signed_in(browser, live_server, viewport)
    page.goto(f"{live_server}/izmir/meetings/{meeting_id}")
    page.get_by_test_id("desk-jump").get_by_role("link", name="Gündem ve kararlar").click()
    page.wait_for_timeout(300)  # the jump's scroll
    bar = page.locator(".desk-head").bounding_box()
    heading = page.locator("#agenda-h").bounding_box()
    assert heading["y"] >= bar["y"] + bar["height"] - 1, (bar, heading)
    # A control far down the page, reached with the keyboard: it is scrolled into view below the bar.
    control = page.locator("#agenda article.item").last.locator("button").first
    control.focus()
    page.wait_for_timeout(300)
    bar = page.locator(".desk-head").bounding_box()
    box = control.bounding_box()
    assert box["y"] >= bar["y"] + bar["height"] - 1 and box["y"] + box["height"] <= viewport["height"] + 1, (bar, box)
    page.context.close()
