"""Turkish text rules: casing (İ/i, I/ı) and alphabetical order; what is text at all."""

from __future__ import annotations

import re
import unicodedata

_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
# Each Turkish letter maps to a two-character code that sorts in alphabet order; anything else keeps
# its own character after the letters.
_SORT_CODES = {ch: f"{i:02d}" for i, ch in enumerate(_ALPHABET)} | {"q": "16q", "w": "25w", "x": "25x"}


def turkish_lower(s: str) -> str:
    return s.replace("I", "ı").replace("İ", "i").lower()


def turkish_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


_ASCII = str.maketrans("çğıöşüâîûÇĞİIÖŞÜÂÎÛ", "cgiosuaiuCGIIOSUAIU")


def ascii_spelling(s: str) -> str:
    """Turkish letters as an address spells them, in lower case: "Gölcük" → "golcuk" (nothing else changes)."""
    return s.translate(_ASCII).lower()


def search_key(s: str) -> str:
    """A name as a search matches it: lower case the Turkish way, every letter folded to its plain ASCII
    form, other accents dropped, spaces collapsed. "Işık" and "ISIK", "İsmail" and "ISMAIL" (typed on a
    keyboard without Turkish letters) give the same key, so a search finds a name however it was typed."""
    folded = unicodedata.normalize("NFKD", ascii_spelling(turkish_lower(s)))
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def ascii_slug(s: str) -> str:
    """A web address part from a Turkish name: "İnegöl Kent Konseyi" → "inegol-kent-konseyi" (letters as a
    Turkish reader would spell them in ASCII, never a combining dot)."""

    ascii_text = s.translate(_ASCII).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def suggested_slug(council_name: str) -> str:
    """The address a council's name suggests: "İnegöl Kent Konseyi" → "inegol"."""
    slug = ascii_slug(council_name)
    for suffix in ("-kent-konseyi", "-kent-konseyi-genel-sekreterligi"):
        slug = slug.removesuffix(suffix)
    return slug[:63].strip("-")


def email_lower(address: str) -> str:
    """An e-mail address in lower case: ASCII folding, except that a dotted capital İ becomes i (Python's
    lower() would give i plus a combining dot, which no mail server knows)."""
    return address.strip().replace("İ", "i").lower()


def turkish_sort_key(s: str) -> str:
    """A string whose plain (byte) order is Turkish alphabetical order, so the database can index it."""
    out = []
    for ch in turkish_lower(s.strip()):
        code = _SORT_CODES.get(ch)
        if code is None:
            code = "~" + ch if ch.isalnum() else " "
        out.append(code)
    return "".join(out)


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage return, which
    some programs skip first) is prefixed with an apostrophe (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# What is not text anywhere Konsey takes it in (API, pages, CSV, CLI: the schemas refuse it) or writes it out (XML):
# control characters other than tab, line feed and carriage return (a form's line break is CR LF), DEL and the C1
# controls, halves of surrogate pairs, and the two non-characters XML cannot hold. NUL is among them (PostgreSQL
# cannot store it).
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_not_text(s: str) -> str | None:
    """The first character of ``s`` that is not text (see NOT_TEXT), as ``U+0003``; None if there is none."""
    found = NOT_TEXT.search(s)
    return f"U+{ord(found.group()):04X}" if found else None


def xml_safe(s) -> str:
    """``s`` with what XML 1.0 cannot hold dropped: text stored before the schemas refused it never breaks a
    feed (escaping ``<`` and ``&`` is the template's)."""
    return NOT_TEXT.sub("", "" if s is None else str(s))
