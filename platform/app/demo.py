"""Demo data for the embedded platform: three councils with people, members of every category and a year of
life each (see :mod:`konsey.app.demo_history`)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from konsey.app.demo_history import demo_tckn, seed_history, sitting_now
from konsey.core import reference
from konsey.core.accounts import (
    CouncilRoleName,
    PlatformRole,
    User,
    accept_invitation,
    find_user_by_email,
    grant_role,
)
from konsey.core.bylaws import ByLawProfile
from konsey.core.councils import change_status, onboard_council
from konsey.core.membership import Gender, MemberCategory, add_member
from konsey.core.passes import link_token, pass_of
from konsey.core.plugins import council_hooks
from konsey.core.text import ascii_slug
from konsey.schemas.councils import OnboardingSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council, CouncilStatus, council_today
from konsey.tenants.scoping import bound_council
from konsey.usecases.base import SYSTEM, acting_as
from konsey.usecases.plugins import enable_plugin

DEMO_PASSWORD = "konsey-demo-2026"  # noqa: S105 - printed for the demo on purpose

COUNCILS = [
    ("izmir", "İzmir Kent Konseyi", 35, "metropolitan", "İzmir"),
    ("nilufer", "Nilüfer Kent Konseyi", 16, "metropolitan_district", "Nilüfer"),
    ("kadikoy", "Kadıköy Kent Konseyi", 34, "metropolitan_district", "Kadıköy"),
]

WOMEN = ["Ayşe", "Fatma", "Zeynep", "Elif", "Merve", "Esra", "Derya", "Gülşen", "Şule", "İpek", "Özlem", "Hülya"]
MEN = ["Mehmet", "Ahmet", "Mustafa", "Emre", "Burak", "Hakan", "Oğuz", "İsmail", "Çağlar", "Serkan", "Ömer", "Uğur"]
SURNAMES = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan",
            "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir", "Güneş", "Bulut", "Erdoğan", "Işık"]
NEIGHBOURHOODS = ["Merkez", "Cumhuriyet", "Atatürk", "Yeni", "Fatih", "Barış", "Gazi", "İnönü", "Zafer", "Çamlık"]

INSTITUTIONS = [
    (MemberCategory.PUBLIC_BODY, "{city} İl Sağlık Müdürlüğü", {"detsis_no": "12345678"}),
    (MemberCategory.PUBLIC_BODY, "{city} İl Milli Eğitim Müdürlüğü", {"detsis_no": "23456789"}),
    (MemberCategory.CIVIL_ADMINISTRATION, "{city} Kaymakamlığı", {}),
    (MemberCategory.MUNICIPALITY, "{city} Belediyesi", {}),
    (MemberCategory.UNIVERSITY, "{city} Üniversitesi", {}),
    (MemberCategory.PROFESSIONAL_CHAMBER, "Mimarlar Odası {city} Şubesi", {}),
    (MemberCategory.PROFESSIONAL_CHAMBER, "{city} Tabip Odası", {}),
    (MemberCategory.UNION, "Eğitim Sen {city} Şubesi", {}),
    (MemberCategory.BAR_ASSOCIATION, "{city} Barosu", {}),
    (MemberCategory.NOTARY, "{city} Noterler Birliği", {}),
    (MemberCategory.POLITICAL_PARTY, "Cumhuriyet Halk Partisi {city} Örgütü", {}),
    (MemberCategory.POLITICAL_PARTY, "Adalet ve Kalkınma Partisi {city} Örgütü", {}),
    (MemberCategory.ASSOCIATION, "{city} Engelliler Derneği", {"derbis_no": "35-154-120"}),
    (MemberCategory.ASSOCIATION, "{city} Çevre Gönüllüleri Derneği", {"derbis_no": "35-201-077"}),
    (MemberCategory.FOUNDATION, "{city} Eğitim Vakfı", {}),
]


def _municipality_id(province_code: int, type_: str, name: str) -> str:
    for municipality in reference.municipalities(province_code):
        if municipality.type == type_ and municipality.name.startswith(name):
            return municipality.id
    raise LookupError(f"{name} ({type_}) is not in the reference data")


def _person(rng: random.Random, taken: set[str] | None = None) -> tuple[str, Gender]:
    """A name and gender; never one of ``taken`` (a council's people are told apart by name), which it joins."""
    while True:
        gender = rng.choice([Gender.FEMALE, Gender.MALE])
        name = f"{rng.choice(WOMEN if gender is Gender.FEMALE else MEN)} {rng.choice(SURNAMES)}"
        if taken is None or name not in taken:
            break
    if taken is not None:
        taken.add(name)
    return name, gender


def _user(email: str, name: str, platform_role: PlatformRole | None = None) -> User:
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, display_name=name, platform_role=platform_role)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user


def _seed_members(rng: random.Random, city: str) -> int:
    count = 0
    taken: set[str] = set()
    numbers = random.Random(f"{city} identity numbers")  # apart from ``rng``: the demo's people stay who they were
    for _ in range(rng.randint(36, 58)):  # councils differ in size, so the federation has something to compare
        name, gender = _person(rng, taken)
        add_member({
            "category": MemberCategory.INDIVIDUAL, "name": name, "gender": gender,
            "birth_date": date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            "neighbourhood": rng.choice(NEIGHBOURHOODS) + " Mahallesi",
            "email": f"uye{count + 1}@{ascii_slug(city)}.ornek.org",
            "tckn": demo_tckn(numbers),
        })
        count += 1
    for i in range(4):
        name, gender = _person(rng, taken)
        add_member({"category": MemberCategory.MUHTAR, "name": name, "gender": gender,
                    "neighbourhood": NEIGHBOURHOODS[i] + " Mahallesi"})
        count += 1
    for category, template, extra in rng.sample(INSTITUTIONS, rng.randint(10, len(INSTITUTIONS))):
        representative, _gender = _person(rng, taken)
        substitute, _gender = _person(rng, taken)
        add_member({"category": category, "name": template.format(city=city),
                    "representative_name": representative, "substitute_name": substitute, **extra})
        count += 1
    return count


DEMO_ASSEMBLIES = {"izmir": ("womens_assembly", "youth_assembly", "children_assembly"),
                   "nilufer": ("youth_assembly", "disabled_assembly")}
# On in every demo council: residents' proposals, with the threshold its by-laws set at five supports.
DEMO_PLUGINS = {"participation": {"neighbourhoods": ["Atatürk", "Barış", "Cumhuriyet", "Fatih", "Merkez", "Yeni"]}}
DEMO_BYLAWS = {"proposal_supports_needed": 5}


def seed_demo() -> list[str]:
    """Idempotent: existing demo councils are left as they are."""
    lines = []
    operator = _user("operator@example.org", "Platform Operatörü", PlatformRole.OPERATOR)
    _user("analist@example.org", "Federasyon Analisti", PlatformRole.FEDERATION_ANALYST)
    db.session.flush()
    for slug, name, province_code, type_, city in COUNCILS:
        if db.session.scalar(select(Council.id).where(Council.slug == slug)) is not None:
            continue
        data = OnboardingSchema().load({
            "name": name, "slug": slug, "province_code": province_code,
            "municipality_id": _municipality_id(province_code, type_, city),
            "contact_email": f"iletisim@{slug}.example.org",
            "motion_delivery_address": f"{city} Belediyesi Yazı İşleri Müdürlüğü, evrak@{slug}.bel.tr",
            "admin_email": f"sekreter@{slug}.example.org",
        })
        onboarded = onboard_council(data, operator=operator)
        council = onboarded.council
        change_status(council, CouncilStatus.ACTIVE, reason="demo")
        secretary = _user(f"sekreter@{slug}.example.org", f"{city} Genel Sekreteri")
        president = _user(f"baskan@{slug}.example.org", f"{city} Kent Konseyi Başkanı")
        member_user = _user(f"uye@{slug}.example.org", f"{city} Üyesi")
        db.session.flush()

        accept_invitation(onboarded.invitation, secretary)
        grant_role(president, council.id, CouncilRoleName.PRESIDENT)
        grant_role(member_user, council.id, CouncilRoleName.MEMBER)
        with bound_council(council.id):
            total = _seed_members(random.Random(slug), city)
            # Each demo council shows a different choice of assemblies (a plugin per council).
            for plugin in DEMO_ASSEMBLIES.get(slug, ()):
                with acting_as(SYSTEM):
                    enable_plugin(plugin, {})
            with acting_as(SYSTEM):
                for plugin, config in DEMO_PLUGINS.items():
                    enable_plugin(plugin, config)
                _demo_bylaws(council)
                history = seed_history(slug)
                council_hooks(council.id).hook.konsey_demo_life(today=council_today())
        council.federation_public = slug != "kadikoy"  # one council keeps its name out of public comparisons
        lines.append(f"{name}: {total} members, a year of meetings ({history['decisions']} decisions), "
                     f"{history['motions']} motions, {history['applications']} applications waiting")
    db.session.commit()
    return lines


def _demo_bylaws(council: Council) -> None:
    """The demo's own by-law values, in the council's first version (its year of life ran under them)."""
    for profile in db.session.scalars(select(ByLawProfile)):
        profile.parameters = {**profile.parameters, **DEMO_BYLAWS}
    council.bylaws_version += 1  # every process's copy of the by-laws is read again


def demo_logins() -> list[tuple[str, str]]:
    logins = [("operator@example.org", "platform operator")]
    for slug, name, *_ in COUNCILS:
        logins.append((f"sekreter@{slug}.example.org", f"{name}: administrator"))
    logins.append(("baskan@izmir.example.org", "İzmir Kent Konseyi: president"))
    logins.append(("uye@izmir.example.org", "İzmir Kent Konseyi: member"))
    logins.append(("analist@example.org", "federation analyst"))
    logins.append(("sakin1@izmir.ornek.org", "İzmir: a resident (residents' proposals; password konsey-sakin-2026)"))
    return logins


def sittings_now(base_url: str) -> list[str]:
    """Each demo council's meeting sitting now (made if the demo starts on another day or hour than its last
    one); lines that name İzmir's desk and a member's phone page, to open side by side."""
    lines = []
    base = base_url.rstrip("/")
    for slug, name, *_ in COUNCILS:
        council_id = db.session.scalar(select(Council.id).where(Council.slug == slug))
        if council_id is None:
            continue
        with bound_council(council_id), acting_as(SYSTEM):
            meeting, newcomer = sitting_now(slug)
            desk = f"{base}/{slug}/meetings/{meeting.id}"
            lines.append(f"{name}: {meeting.title} sits now — the desk: {desk}")
            if slug == "izmir" and newcomer is not None:
                meeting_pass = pass_of(meeting, newcomer.id)
                lines.append(f"  {newcomer.name}'s phone (open it in another browser or a private window): "
                             f"{base}/{slug}/remote/{link_token(meeting_pass)}")
                lines.append(f"  the projector: {desk}/projector")
            db.session.commit()
    return lines
