"""The Turkish catalogue is complete, consistent and compiled; run `.venv/bin/python scripts/i18n.py all`
after adding strings."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "platform" / "core" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "tr" / "LC_MESSAGES" / "messages.mo"
HINT = "run `.venv/bin/python scripts/i18n.py all` and translate the new strings"
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|\{\w*\}")


def _read(path, reader):
    with open(path, "rb") as handle:
        return reader(handle)


def _messages(path, reader=read_po):
    return {(m.id[0] if isinstance(m.id, tuple | list) else m.id): m for m in _read(path, reader) if m.id}


def _forms(value) -> tuple:
    """A message or its translation as a tuple of forms (a plural message has several)."""
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def test_every_message_is_translated_and_not_fuzzy():
    catalogue = _read(PO, read_po)
    # A fuzzy header (e.g. a .po written without its header) makes `pybabel compile` skip the whole file.
    assert not catalogue.fuzzy, f"the catalogue header is fuzzy; {HINT}"
    untranslated = [m.id for m in catalogue if m.id and (not all(_forms(m.string)) or m.fuzzy)]
    assert not untranslated, f"{HINT}: {untranslated}"


def test_placeholders_survive_translation():
    wrong = [m.id for m in _messages(PO).values() for form in _forms(m.string)
             if sorted(PLACEHOLDER.findall(_forms(m.id)[-1])) != sorted(PLACEHOLDER.findall(form))]
    assert not wrong, wrong


def test_every_extracted_message_is_in_the_catalogue():
    missing = sorted(set(_messages(POT)) - set(_messages(PO)))
    assert not missing, f"{HINT}: {missing}"


def test_compiled_catalogue_is_up_to_date():
    compiled = {k: _forms(m.string) for k, m in _messages(MO, read_mo).items()}
    source = {k: _forms(m.string) for k, m in _messages(PO).items()}
    assert compiled == source, f"messages.mo is stale; {HINT}"


def test_marshmallow_templates_are_in_the_catalogue():
    from konsey.schemas.messages import TEMPLATES

    missing = sorted(set(TEMPLATES) - set(_messages(PO)))
    assert not missing, f"{HINT}: {missing}"


def test_template_strings_are_all_extracted():
    # A cheap guard against forgetting `extract`: every literal passed to _() in the web templates is known.
    template = _messages(POT)
    plugins = TRANSLATIONS.parent.parent.parent / "plugins"
    for path in [*(TRANSLATIONS.parent.parent / "web").rglob("*.html"), *plugins.rglob("*.html")]:
        for literal in re.findall(r'\b_\("([^"\\]+)"', path.read_text(encoding="utf-8")):
            assert literal in template, f"{path.name}: {literal!r}; {HINT}"
