"""Turkish text rules: casing (İ/i, I/ı) and alphabetical order."""

from __future__ import annotations

_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
# Each Turkish letter maps to a two-character code that sorts in alphabet order; anything else keeps
# its own character after the letters.
_SORT_CODES = {ch: f"{i:02d}" for i, ch in enumerate(_ALPHABET)} | {"q": "16q", "w": "25w", "x": "25x"}


def turkish_lower(s: str) -> str:
    return s.replace("I", "ı").replace("İ", "i").lower()


def turkish_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


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
