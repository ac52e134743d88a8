"""Bulk import of a council's members from CSV: a dry run reports every bad row, a real run is all or nothing.

The file is UTF-8 (a BOM is fine), separated by ``;`` or ``,``, with a header row. Column names may be
English (``name``) or Turkish (``ad_soyad``); categories and genders may be written either way too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core.audit import record
from konsey.core.errors import DomainError
from konsey.core.labels import label
from konsey.core.membership import (
    Member,
    MemberCategory,
    check_another_university,
    check_category_cap,
    new_member,
    next_member_no,
    refuse_group_seat_by_hand,
)
from konsey.core.special_data import lookup_hash
from konsey.core.text import email_lower, turkish_lower
from konsey.schemas.members import MemberInputSchema
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.db import db

COLUMN_ALIASES = {
    "category": ("category", "kategori", "uyelik_turu", "üyelik_türü"),
    "name": ("name", "ad_soyad", "adı_soyadı", "ad", "kurum_adi", "kurum_adı", "unvan"),
    "email": ("email", "e-posta", "e_posta", "eposta"),
    "phone": ("phone", "telefon"),
    "birth_date": ("birth_date", "dogum_tarihi", "doğum_tarihi"),
    "gender": ("gender", "cinsiyet"),
    "neighbourhood": ("neighbourhood", "mahalle"),
    "tckn": ("tckn", "tc_kimlik_no", "tc"),
    "derbis_no": ("derbis_no", "derbis"),
    "mersis_no": ("mersis_no", "mersis"),
    "detsis_no": ("detsis_no", "detsis"),
    "kep_address": ("kep_address", "kep", "kep_adresi"),
    "representative_name": ("representative_name", "temsilci"),
    "substitute_name": ("substitute_name", "yedek_temsilci", "yedek"),
    "joined_on": ("joined_on", "uyelik_tarihi", "üyelik_tarihi"),
}
_HEADER_TO_FIELD = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}

CATEGORY_WORDS = {
    "bireysel": "individual", "kamu kurumu": "public_body", "mülki idare": "civil_administration",
    "belediye": "municipality", "muhtar": "muhtar", "siyasi parti": "political_party",
    "üniversite": "university", "meslek odası": "professional_chamber", "sendika": "union", "noter": "notary",
    "baro": "bar_association", "dernek": "association", "vakıf": "foundation",
    "meclis temsilcisi": "assembly_representative", "çalışma grubu temsilcisi": "working_group_representative",
    "diğer": "other",
}
GENDER_WORDS = {"kadın": "female", "erkek": "male", "diğer": "other", "belirtmek istemiyorum": "undisclosed",
                "k": "female", "e": "male"}

MAX_ROWS = 50_000


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    total_rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, header): nothing is imported."""

    def __init__(self, message: str, field: str = "file"):
        super().__init__(message)
        self.field = field


def _normalise_header(name: str) -> str:
    return turkish_lower(name.strip()).replace(" ", "_")


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileError(
            _("The file is not UTF-8 (first bad byte on line %(line)d). Save it as CSV UTF-8 and try again.",
              line=line)
        ) from error


def _rows(text: str) -> tuple[list[str], csv.DictReader]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    fields = []
    for column in header:
        key = _normalise_header(column)
        if key not in _HEADER_TO_FIELD:
            raise ImportFileError(_("Unknown column: %(column)s", column=column.strip()), field="header")
        fields.append(_HEADER_TO_FIELD[key])
    for required in ("category", "name"):
        if required not in fields:
            raise ImportFileError(_("The column %(column)s is missing.", column=required), field="header")
    return fields, reader


def _prepare(raw: dict) -> dict:
    data = {k: v.strip() for k, v in raw.items() if v is not None and v.strip() != ""}
    if "category" in data:
        word = turkish_lower(data["category"])
        data["category"] = CATEGORY_WORDS.get(word, word)
    if "gender" in data:
        word = turkish_lower(data["gender"])
        data["gender"] = GENDER_WORDS.get(word, word)
    for date_field in ("birth_date", "joined_on"):
        value = data.get(date_field)
        if value and "." in value:
            with suppress(ValueError):  # left as it is, the schema then names the field
                data[date_field] = datetime.strptime(value, "%d.%m.%Y").date().isoformat()
    return data


def import_members(
    content: bytes, *, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Validate every row and, unless ``dry_run`` or any row is bad, add them all in the current council.

    The use case (konsey.usecases.members.import_members) commits on success; on any error nothing is added.
    """
    fields, reader = _rows(_decode(content))
    schema = MemberInputSchema()
    report = ImportReport(dry_run=dry_run)
    loaded: list[tuple[int, dict]] = []
    seen_emails: dict[str, int] = {}
    seen_tckns: dict[str, int] = {}
    # The rule of membership.check_unique_identity, for a whole file at once (one query, not one per row).
    existing_emails = {email_lower(e) for e in db.session.scalars(select(Member.email).where(Member.email.is_not(None)))}
    existing_tckns = set(db.session.scalars(select(Member.tckn_hash).where(Member.tckn_hash.is_not(None))))

    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        report.total_rows += 1
        if report.total_rows > MAX_ROWS:
            raise ImportFileError(_("A file may hold at most %(count)d members.", count=MAX_ROWS))
        if len(row) != len(fields):
            report.errors.append(RowError(line, "row", _("Expected %(expected)d columns, found %(found)d.",
                                                           expected=len(fields), found=len(row))))
            continue
        prepared = _prepare(dict(zip(fields, row, strict=True)))
        try:
            data = schema.load(prepared)
        except ValidationError as error:
            data = None
            for name, messages in translate_validation_messages(error.messages).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    report.errors.append(RowError(line, name, str(message)))
        # Duplicates are reported even on rows with other problems, so one pass shows everything.
        duplicate = False
        # Identity numbers are compared by the council's keyed hash: the plain ones are sealed (special_data).
        for key, seen, existing, comparable in (("email", seen_emails, existing_emails, email_lower),
                                                ("tckn", seen_tckns, existing_tckns, lookup_hash)):
            raw = (data or {}).get(key) or (prepared.get(key) or "").strip()
            if not raw:
                continue
            value = comparable(raw)
            if value in existing:
                report.errors.append(RowError(line, key, _("A member with this value already exists.")))
                duplicate = True
            elif value in seen:
                report.errors.append(RowError(line, key, _("Same value as line %(line)d.", line=seen[value])))
                duplicate = True
            else:
                seen[value] = line
        if data is not None and not duplicate:
            loaded.append((line, data))

    per_category: dict = {}
    for _line, data in loaded:
        per_category[data["category"]] = per_category.get(data["category"], 0) + 1
    for category, adding in per_category.items():
        try:
            # The rules of adding one member (konsey.core.membership.add_member), for the file's members at once.
            refuse_group_seat_by_hand(category)
            check_category_cap(category, adding=adding)
            if category is MemberCategory.UNIVERSITY:
                check_another_university()
        except DomainError as error:
            report.errors.append(RowError(0, "category", f"{label(category)}: {error.errors['category'][0]}"))
    if dry_run or report.errors:
        return report
    total = len(loaded)
    number = next_member_no(count=total) if total else 0
    for done, (_line, data) in enumerate(loaded, start=1):
        db.session.add(new_member(data, number))
        number += 1
        if progress and (done % 200 == 0 or done == total):
            db.session.flush()
            progress(done, total)
    db.session.flush()
    report.imported = total

    record("members.imported", details={"count": total, "first_member_no": number - total})
    return report


def example_csv() -> str:
    header = ";".join(["kategori", "ad_soyad", "e_posta", "telefon", "dogum_tarihi", "cinsiyet", "mahalle",
                       "derbis", "temsilci", "yedek_temsilci"])
    return header + "\n" + "\n".join(
        [
            "bireysel;Ayşe Yılmaz;ayse@example.org;+90 532 000 00 00;14.03.1985;kadın;Alsancak;;;",
            "dernek;Kent Gönüllüleri Derneği;info@gonullu.org;;;;;35-123-456;Mehmet Öz;Elif Şahin",
        ]
    ) + "\n"

