import pytest

from konsey.core import identifiers as ids
from konsey.core.text import turkish_lower, turkish_sort_key, turkish_upper


def _with_check_digits(first_nine: str) -> str:
    d = [int(c) for c in first_nine]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    eleventh = (sum(d) + tenth) % 10
    return f"{first_nine}{tenth}{eleventh}"


@pytest.mark.parametrize("value", ["10000000146", _with_check_digits("123456789"), _with_check_digits("987654321")])
def test_valid_tckn(value):
    assert ids.tckn_is_valid(value)


@pytest.mark.parametrize(
    "value",
    ["10000000147", "00000000000", _with_check_digits("012345678"), "1234567890", "123456789012",
     "1000000014a", "١٠٠٠٠٠٠٠١٤٦", ""],
)
def test_invalid_tckn(value):
    assert not ids.tckn_is_valid(value)


def test_tckn_is_masked_to_last_two_digits():
    assert ids.tckn_masked("10000000146") == "*********46"
    assert ids.tckn_masked(None) is None


@pytest.mark.parametrize("value,ok", [("06-154-120", True), ("35.001/77", True), ("abc", False), ("", False)])
def test_derbis_is_loose_but_not_anything(value, ok):
    assert ids.derbis_is_valid(value) is ok


def test_mersis_detsis_kep():
    assert ids.mersis_is_valid("0123456789012345") and not ids.mersis_is_valid("012345678901234")
    assert ids.detsis_is_valid("12345678") and not ids.detsis_is_valid("1234567x")
    assert ids.kep_address_is_valid("izmir.belediyesi@hs01.kep.tr")
    assert not ids.kep_address_is_valid("info@izmir.bel.tr")


def test_turkish_casing():
    assert turkish_lower("IĞDIR İSTANBUL") == "ığdır istanbul"
    assert turkish_upper("izmir ılgaz") == "İZMİR ILGAZ"


def test_turkish_order():
    names = ["Zeynep", "Çağla", "Cem", "Ilgaz", "İpek", "Şule", "Sena", "Ömer", "Oya", "Ümit", "Ufuk", "Gül", "Ğ"]
    assert sorted(names, key=turkish_sort_key) == [
        "Cem", "Çağla", "Gül", "Ğ", "Ilgaz", "İpek", "Oya", "Ömer", "Sena", "Şule", "Ufuk", "Ümit", "Zeynep"
    ]
