"""A motion's package for the municipality: cover letter, decision extract, reports, plugin files, a signed
manifest — as one reproducible zip.

The cover letter follows the official correspondence form (Sayı, Tarih dd.mm.yyyy, Konu, the addressee
"… BELEDİYE BAŞKANLIĞINA", İlgi, body, "Arz ederim", signatures, Ek, verification code). It is written in
Turkish whatever the reader's language: it is an official letter to a Turkish municipality.

Reproducible: every date inside comes from the record (the decision's day), PDFs carry that date as their
creation date, zip entries a fixed timestamp and a fixed order, so building twice gives the same bytes and the
same manifest; the manifest lists the SHA-256 of every file and is signed with the council's Ed25519 key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from konsey.core.accounts import CouncilRole, CouncilRoleName, User
from konsey.core.bodies import Body
from konsey.core.council_keys import council_key
from konsey.core.meetings import AgendaItem, Ballot, Meeting, Vote, VoteKind
from konsey.core.membership import Member
from konsey.core.minutes import a4_document
from konsey.core.motions import Motion
from konsey.core.plugins import package_files
from konsey.core.reports import Report, ReportVersion
from konsey.core.signed_packages import problems_of, seal
from konsey.core.text import turkish_upper
from konsey.tenants.db import as_utc, db
from konsey.tenants.models import Council


@dataclass(frozen=True)
class Package:
    filename: str
    content: bytes  # the zip
    manifest: bytes
    signature: str
    verification_code: str


def addressee(municipality_name: str) -> str:
    """"İzmir Büyükşehir Belediyesi" → "İZMİR BÜYÜKŞEHİR BELEDİYE BAŞKANLIĞINA"."""
    name = municipality_name.strip()
    for suffix in ("Belediyesi", "BELEDİYESİ"):
        if name.endswith(suffix):
            name = name[: -len(suffix)] + "Belediye"
            break
    else:
        name = f"{name} Belediye"
    return turkish_upper(f"{name} Başkanlığına")


def document_number(council: Council, motion: Motion) -> str:
    """Sayı: the council's own running number of the motion, prefixed by its address."""
    return f"{turkish_upper(council.slug)}-{motion.decision_number.replace('/', '-')}-{motion.number:04d}"


def _decision_day(motion: Motion, council: Council):
    return as_utc(motion.adopted_at).astimezone(ZoneInfo(council.timezone)).date()


def _signatories(council: Council) -> tuple[str, str]:
    def holder(role: CouncilRoleName) -> str:
        user = db.session.scalar(select(User).join(CouncilRole, CouncilRole.user_id == User.id).where(
            CouncilRole.council_id == council.id, CouncilRole.role == role).order_by(CouncilRole.granted_at))
        return user.display_name if user else "………………"

    return holder(CouncilRoleName.PRESIDENT), holder(CouncilRoleName.ADMINISTRATOR)


def _pdf(build, day, *, title: str, author: str) -> bytes:
    pdf = a4_document(title=title, author=author, footer=title)  # "page n/N" on each page, a loose one is known
    pdf.set_creation_date(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC))
    build(pdf)
    return bytes(pdf.output())


def cover_letter(council: Council, motion: Motion, attachments: list[str], code: str) -> bytes:
    day = _decision_day(motion, council)
    president, secretary = _signatories(council)

    def build(pdf):
        width = pdf.epw
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 6, turkish_upper(council.name), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(width, 5, council.contact_email, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(width / 2, 6, f"Sayı: {document_number(council, motion)}")
        pdf.cell(width / 2, 6, f"Tarih: {day.strftime('%d.%m.%Y')}", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(width, 6, f"Konu: {motion.title}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(width, 6, addressee(council.municipality_name), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width, 6, f"İlgi: {council.name} Genel Kurulunun {day.strftime('%d.%m.%Y')} tarihli ve "
                                 f"{motion.decision_number} sayılı kararı.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        body = (f"Kent Konseyimizin ilgi kararı ile kabul edilen \"{motion.title}\" konulu önerge, 5393 sayılı "
                f"Belediye Kanununun 76. maddesi uyarınca belediye meclisinin ilk toplantısının gündemine "
                f"alınarak görüşülmek üzere ekte sunulmuştur.\n\n{motion.text}\n\nArz ederim.")
        pdf.multi_cell(width, 6, body, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(12)
        pdf.cell(width / 2, 6, secretary, align="C")
        pdf.cell(width / 2, 6, president, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(width / 2, 6, "Genel Sekreter", align="C")
        pdf.cell(width / 2, 6, "Kent Konseyi Başkanı", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(10)
        pdf.multi_cell(width, 6, "Ek:", new_x="LMARGIN", new_y="NEXT")
        for index, name in enumerate(attachments, start=1):
            pdf.multi_cell(width, 5, f"{index}- {name}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(width, 4, f"Doğrulama kodu: {code} — imzalı manifest ve konseyin açık anahtarı: "
                                 f"{council.slug} kamu sayfası", new_x="LMARGIN", new_y="NEXT")

    return _pdf(build, day, title=f"Üst yazı: {motion.title}", author=council.name)


def decision_extract(council: Council, motion: Motion) -> bytes:
    vote = db.session.scalar(select(Vote).where(Vote.id == motion.vote_id))
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == vote.agenda_item_id))
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == item.meeting_id))
    body = db.session.scalar(select(Body).where(Body.id == meeting.body_id))
    day = _decision_day(motion, council)
    kinds = {VoteKind.OPEN: "açık oylama", VoteKind.ROLL_CALL: "ad okunarak oylama", VoteKind.SECRET: "gizli oylama"}
    named = []
    if vote.kind is VoteKind.ROLL_CALL:  # a secret ballot names nobody; an open vote records counts only
        choices = {"yes": "kabul", "no": "ret", "abstain": "çekimser"}
        for ballot, name in db.session.execute(
                select(Ballot, Member.name).join(Member, Member.id == Ballot.member_id)
                .where(Ballot.vote_id == vote.id).order_by(Member.sort_name)).all():
            named.append(f"{name}: {choices[ballot.choice.value]}")

    def build(pdf):
        width = pdf.epw
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(width, 6, f"{turkish_upper(council.name)} — KARAR ÖZETİ", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for text in (f"Organ: {body.name}", f"Toplantı: {meeting.title}",
                     f"Karar tarihi: {day.strftime('%d.%m.%Y')}", f"Karar sayısı: {motion.decision_number}",
                     f"Gündem maddesi: {item.position}. {item.title}",
                     f"Oylama: {kinds[vote.kind]} — toplantıda bulunan {vote.present}; kabul {vote.yes}, "
                     f"ret {vote.no}, çekimser {vote.abstain}", "Sonuç: kabul edildi", *named):
            pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(width, 6, motion.text, new_x="LMARGIN", new_y="NEXT")

    return _pdf(build, day, title=f"Karar özeti {motion.decision_number}: {motion.title}", author=council.name)


def _reports(motion: Motion) -> list[tuple[str, bytes]]:
    """The working-group reports that were on the agenda item the decision was taken on (latest version)."""
    vote = db.session.scalar(select(Vote).where(Vote.id == motion.vote_id))
    files = []
    for report in db.session.scalars(select(Report).where(Report.agenda_item_id == vote.agenda_item_id)
                                     .order_by(Report.title)):
        version = db.session.scalar(select(ReportVersion).where(ReportVersion.report_id == report.id)
                                    .order_by(ReportVersion.version.desc()))
        text = f"{report.title}\n(sürüm {version.version})\n\n{version.text}\n"
        files.append((f"rapor-{len(files) + 1}.txt", text.encode("utf-8")))
    return files


def verification_code(council: Council, motion: Motion) -> str:
    """Short and stable: the council's key fingerprint and the motion, hashed; printed on the letter."""
    seed = f"{council_key().public_key}|{motion.id}|{motion.decision_number}".encode()
    digest = hashlib.sha256(seed).hexdigest().upper()
    return "-".join(digest[i:i + 4] for i in range(0, 12, 4))


def build_package(motion: Motion) -> Package:

    council = db.session.get(Council, motion.council_id)
    code = verification_code(council, motion)
    extras = [(f.name, f.content, f.title or f.name) for f in package_files(motion)]
    reports = _reports(motion)
    attachment_titles = ["Karar özeti", *[f"Çalışma grubu raporu {i}" for i in range(1, len(reports) + 1)],
                         *[title for _name, _content, title in extras]]
    files = [("ust-yazi.pdf", cover_letter(council, motion, attachment_titles, code)),
             ("karar-ozeti.pdf", decision_extract(council, motion)), *reports,
             *[(name, content) for name, content, _title in extras]]
    content, manifest, signature = seal({
        "format": "konsey-motion-package/1",
        "council": {"name": council.name, "slug": council.slug, "public_key": council_key().public_key},
        "motion": {"id": str(motion.id), "number": motion.number, "title": motion.title,
                   "decision_number": motion.decision_number,
                   "decision_date": _decision_day(motion, council).isoformat()},
        "verification_code": code,
    }, files)
    filename = f"onerge-{council.slug}-{motion.number:04d}.zip"
    return Package(filename, content, manifest, signature, code)


def verify_package(zip_bytes: bytes, public_key_b64: str) -> list[str]:
    """What is wrong with a package (empty: it is intact and signed by the holder of ``public_key``)."""
    return problems_of(zip_bytes, public_key_b64)
