"""Turkish identifiers: pure validation functions, no I/O."""

from __future__ import annotations

import re


def tckn_is_valid(value: str) -> bool:
    """TC Kimlik No: 11 digits, first not 0, with the two check digits of the official algorithm."""
    if not (isinstance(value, str) and len(value) == 11 and value.isascii() and value.isdigit()):
        return False
    d = [int(c) for c in value]
    if d[0] == 0:
        return False
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    eleventh = sum(d[:10]) % 10
    return d[9] == tenth and d[10] == eleventh


def tckn_masked(value: str | None) -> str | None:
    """Only the last two digits are ever shown."""
    if not value:
        return None
    return "*" * (len(value) - 2) + value[-2:]


# DERBİS numbers are not standardised (e.g. "06-154-120"): digits in groups separated by '-', '.' or '/'.
_DERBIS = re.compile(r"^[0-9]{1,6}([-./][0-9]{1,8}){0,4}$")


def derbis_is_valid(value: str) -> bool:
    return bool(_DERBIS.match(value.strip()))


def mersis_is_valid(value: str) -> bool:
    return len(value) == 16 and value.isascii() and value.isdigit()


def detsis_is_valid(value: str) -> bool:
    return len(value) == 8 and value.isascii() and value.isdigit()


def kep_address_is_valid(value: str) -> bool:
    local, _, domain = value.strip().lower().rpartition("@")
    return bool(local) and domain.endswith(".kep.tr") and " " not in value


_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


def phone_is_valid(value: str) -> bool:
    return bool(_PHONE.match(value.strip()))


def mobile_number(value: str | None) -> str | None:
    """A Turkish mobile number as +905XXXXXXXXX, whatever way it was written (0532 123 45 67, 532-123-4567,
    +90 532 …); None when it is not one (a landline, a foreign or short number: no SMS goes there)."""
    if not value:
        return None
    digits = "".join(c for c in value if c.isdigit())
    if digits.startswith("90") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = digits[1:]
    if len(digits) == 10 and digits.startswith("5") and digits.isascii():
        return "+90" + digits
    return None
