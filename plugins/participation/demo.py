"""The demo's year of residents' participation: residents, proposals at every stage (collecting supports, on the
working group's agenda with its report and the motion the decision became, on the board's agenda, declined,
merged), a draft of the by-laws open for comment with its comments, one answered, and what waits for the
secretariat (a request to join a working group, a flag)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from konsey.pluginkit import city, current_council, db
from konsey.plugins.participation.models import (
    Comment,
    CommentAnswer,
    Draft,
    DraftKind,
    DraftVersion,
    Flag,
    FlagReason,
    JoinRequest,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Resident,
    Support,
)

DEMO_RESIDENT_PASSWORD = "konsey-sakin-2026"  # noqa: S105 - printed for the demo on purpose
NAMES = ["Aylin Deniz", "Barış Toprak", "Ceren Yıldırım", "Doğan Eren", "Ebru Sevim", "Furkan Akın", "Gizem Ural",
         "Hasan Tekin", "Irmak Sezer", "Kerem Öz", "Leyla Şen", "Murat Işıl"]
BYLAWS_DRAFT = (
    "Madde 1. Bu yönerge, kent konseyinin çalışma usul ve esaslarını düzenler.\n\n"
    "Madde 2. Genel kurul yılda en az iki kez, nisan ve ekim aylarında toplanır.\n\n"
    "Madde 3. Çalışma gruplarına konseye üye olmayan kentliler de katılabilir; katılım başvurusu "
    "kolaylaştırıcıya yapılır.\n\n"
    "Madde 4. Kentlilerin önerileri, yönergenin belirlediği sayıda destek aldığında ilgili çalışma grubunun "
    "gündemine alınır.")


def _at(day: date, hour: int = 19) -> datetime:
    return datetime.combine(day, time(hour - 3), tzinfo=UTC)  # an evening in Istanbul, in UTC


def seed(today: date) -> None:
    council = current_council()
    rng = random.Random(f"participation:{council.slug}")
    neighbourhoods = ["Merkez", "Cumhuriyet", "Atatürk", "Yeni", "Fatih", "Barış"]
    password = city.hash_password(DEMO_RESIDENT_PASSWORD)
    residents = []
    for n, name in enumerate(NAMES):
        joined = today - timedelta(days=rng.randint(370, 400))  # before the first proposal they support
        resident = Resident(email=f"sakin{n + 1}@{council.slug}.ornek.org", name=name,
                            neighbourhood=rng.choice(neighbourhoods), password_hash=password,
                            notice_version="2026-12", consented_at=_at(joined), verified_at=_at(joined),
                            created_at=_at(joined))
        db.session.add(resident)
        residents.append(resident)
    db.session.flush()

    groups = city.working_groups()
    group = groups[0]["id"] if groups else None
    board = city.executive_board()
    motions = city.motions_to_link()
    number = 0

    def proposal(title, text, theme, days_ago, supporters, **fields):
        nonlocal number
        number += 1
        made = today - timedelta(days=days_ago)
        row = Proposal(number=number, title=title, text=text, theme_body_id=theme, neighbourhood=rng.choice(neighbourhoods),
                       author_id=residents[number % len(residents)].id, threshold=5, supports=len(supporters),
                       created_at=_at(made), **fields)
        db.session.add(row)
        db.session.flush()
        db.session.add(ProposalEvent(proposal_id=row.id, kind="proposed", at=_at(made)))
        for k, resident in enumerate(supporters):
            db.session.add(Support(proposal_id=row.id, resident_id=resident.id,
                                   created_at=_at(made + timedelta(days=k + 1))))
        return row, made

    # On the working group's agenda, its report written and the motion the decision became followed: made six weeks
    # before the decision that became the council's first motion, so that its page tells the story in order.
    first = city.motion_trail(motions[-1]["id"]) if motions else None
    decided = city.council_day_of(first["adopted_at"]) if first else today - timedelta(days=200)
    reached, made = proposal("Otobüs duraklarına gölgelik ve oturak",
                             "Yazın duraklarda beklemek çok zor. Merkez hattındaki duraklara gölgelik ve oturak "
                             "konulsun; yaşlılar ve engelliler için öncelik verilsin.",
                             group, (today - decided).days + 42, residents[1:7], status=ProposalStatus.AT_BODY,
                             body_id=group)
    reached.reached_at = _at(made + timedelta(days=6))
    reports = city.reports_of(group) if group else []
    reached.report_id = reports[0]["id"] if reports else None
    reached.motion_id = motions[-1]["id"] if motions else None
    for kind, offset, note in (("reached", 6, "6"), ("at_body", 6, groups[0]["name"] if groups else None),
                               ("report", 20, None), ("report_adopted", 34, reports[0]["title"] if reports else None)):
        db.session.add(ProposalEvent(proposal_id=reached.id, kind=kind, note=note, at=_at(made + timedelta(days=offset))))

    # Collecting supports, and one on the executive board's agenda waiting to be given to a group.
    proposal("Kordon boyunca kesintisiz bisiklet yolu",
             "Bisiklet yolu birçok yerde kesiliyor ve yayalarla karışıyor. Kordon boyunca ayrılmış, kesintisiz bir "
             "bisiklet yolu yapılsın.", group, 20, residents[3:6])
    at_board, made = proposal("Parklara içme suyu çeşmesi",
                              "Mahalle parklarında içme suyu yok. Her parka en az bir çeşme konulsun.",
                              None, 45, residents[5:11], status=ProposalStatus.AT_BODY,
                              body_id=board.id if board else None)
    at_board.reached_at = _at(made + timedelta(days=9))
    for kind in ("reached", "at_body"):
        db.session.add(ProposalEvent(proposal_id=at_board.id, kind=kind, at=at_board.reached_at,
                                     note=board.name if kind == "at_body" and board else None))

    # Declined with its reason, and a duplicate merged into the first.
    reason = "Reklam panoları kent konseyinin değil, belediyenin imar biriminin yetkisindedir; başvuru oraya yönlendirildi."
    declined, made = proposal("Reklam panolarının kaldırılması", "Kaldırımlardaki reklam panoları yürümeyi "
                              "zorlaştırıyor, hepsi kaldırılsın.", None, 90, residents[:2],
                              status=ProposalStatus.DECLINED, answer=reason)
    db.session.add(ProposalEvent(proposal_id=declined.id, kind="declined", note=reason, at=_at(made + timedelta(days=12))))
    duplicate, made = proposal("Duraklara gölgelik", "Duraklara gölgelik yapılsın.", group, 200, [],
                               status=ProposalStatus.MERGED, merged_into_id=reached.id)
    db.session.add(ProposalEvent(proposal_id=duplicate.id, kind="merged", note=str(reached.number),
                                 at=_at(made + timedelta(days=3))))

    # The executive board's draft of the by-laws, open for comment; one comment answered.
    if board is not None:
        opened = today - timedelta(days=10)
        draft = Draft(kind=DraftKind.BYLAWS, title="Çalışma Yönergesi değişiklik taslağı", body_id=board.id,
                      opens_on=opened, closes_on=today + timedelta(days=20), created_at=_at(opened))
        db.session.add(draft)
        db.session.flush()
        db.session.add(DraftVersion(draft_id=draft.id, version=1, text=BYLAWS_DRAFT, created_at=_at(opened)))
        db.session.add(Comment(draft_id=draft.id, version=1, paragraph=2, author_id=residents[2].id,
                               text="Toplantılar hafta sonu da yapılabilsin; çalışanlar katılamıyor.",
                               answer=CommentAnswer.TAKEN_IN, answered_at=_at(today - timedelta(days=3)),
                               created_at=_at(opened + timedelta(days=1))))
        spam = Comment(draft_id=draft.id, version=1, paragraph=3, author_id=residents[4].id,
                       text="Çalışma gruplarının toplantı yeri ve saati önceden duyurulsun.",
                       created_at=_at(today - timedelta(days=2)))
        db.session.add(spam)
        db.session.flush()
        db.session.add(Flag(comment_id=spam.id, reason=FlagReason.OFF_TOPIC, created_at=_at(today - timedelta(days=1))))
    if group is not None:
        db.session.add(JoinRequest(body_id=group, resident_id=residents[8].id, created_at=_at(today - timedelta(days=2))))
    db.session.flush()
