"""The Turkish catalogue is complete, consistent and compiled; run `.venv/bin/python scripts/i18n.py all`
after adding strings."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "platform" / "core" / "translations"
PO = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.mo"
HINT = "run `.venv/bin/python scripts/i18n.py all` and translate the new strings"


def _catalogue(path, reader):
    with open(path, "rb") as handle:
        return {m.id: m for m in reader(handle) if m.id}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text))


def test_every_message_is_translated_and_not_fuzzy():
    untranslated = [m.id for m in _catalogue(PO, read_po).values() if not m.string or m.fuzzy]
    assert not untranslated, f"{HINT}: {untranslated}"


def test_placeholders_survive_translation():
    for message in _catalogue(PO, read_po).values():
        assert _placeholders(message.id) == _placeholders(message.string), message.id


def test_template_and_catalogue_agree():
    template = _catalogue(TRANSLATIONS / "messages.pot", read_po)
    catalogue = _catalogue(PO, read_po)
    assert set(template) == set(catalogue), HINT


def test_compiled_catalogue_is_up_to_date():
    compiled = {k: m.string for k, m in _catalogue(MO, read_mo).items()}
    source = {k: m.string for k, m in _catalogue(PO, read_po).items()}
    assert compiled == source, HINT


def test_marshmallow_templates_are_in_the_catalogue():
    from konsey.core.validation_messages import TEMPLATES

    catalogue = _catalogue(PO, read_po)
    assert set(TEMPLATES) <= set(catalogue)


def test_source_strings_are_all_extracted():
    # A cheap guard against forgetting `extract`: every literal passed to _() in the web package is known.
    template = _catalogue(TRANSLATIONS / "messages.pot", read_po)
    root = TRANSLATIONS.parent.parent
    for path in (root / "web").rglob("*.html"):
        for literal in re.findall(r'_\("([^"]+)"', path.read_text(encoding="utf-8")):
            assert literal in template, f"{path.name}: {literal!r} — {HINT}"
