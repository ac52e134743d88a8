"""Turkey's reference data: complete, consistent and rebuildable."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from konsey.core import reference
from konsey.core.text import turkish_sort_key

ROOT = Path(__file__).resolve().parent.parent


def test_provinces():
    provinces = reference.provinces()
    assert [p.code for p in provinces] == list(range(1, 82))
    assert sum(p.metropolitan for p in provinces) == 30
    istanbul = reference.province(34)
    assert istanbul.name == "İstanbul" and istanbul.metropolitan and istanbul.region == "Marmara"
    assert reference.province(38).metropolitan  # Kayseri, corrected in the build
    assert reference.province(82) is None


def test_districts_and_municipalities_are_consistent():
    assert sum(len(reference.districts(code)) for code in range(1, 82)) == 973
    district_ids = {code: {d.id for d in reference.districts(code)} for code in range(1, 82)}
    for municipality in reference.municipalities():
        assert reference.province(municipality.province_code) is not None
        if municipality.district_id is not None:
            assert municipality.district_id in district_ids[municipality.province_code], municipality


def test_known_municipalities():
    kadikoy = [m for m in reference.municipalities(34) if m.name.startswith("Kadıköy")]
    assert [m.type for m in kadikoy] == ["metropolitan_district"]
    assert any(m.name.startswith("Nilüfer") and m.type == "metropolitan_district" for m in reference.municipalities(16))
    assert reference.municipality("35").name == "İzmir Büyükşehir Belediyesi"
    assert reference.municipality("35").type == "metropolitan"
    assert reference.municipality("nope") is None


def test_counts_by_type_match_the_documented_figures():
    assert reference.count_by_type() == {
        "metropolitan": 30, "provincial": 51, "metropolitan_district": 519, "district": 403, "town": 390,
    }
    assert "| **total** | **1,393** |" in (ROOT / "docs" / "reference-data.md").read_text(encoding="utf-8")


def test_shipped_file_is_what_the_build_serialises():
    spec = importlib.util.spec_from_file_location("build_reference_data", ROOT / "scripts" / "build_reference_data.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    path = ROOT / "platform" / "core" / "data" / "turkey.json"
    assert build.serialise(json.loads(path.read_bytes())) == path.read_bytes()


def test_lists_are_in_turkish_order():
    names = [d.name for d in reference.districts(35)]
    assert names == sorted(names, key=turkish_sort_key)
    assert turkish_sort_key("Bursa") < turkish_sort_key("Çanakkale") < turkish_sort_key("Denizli")
    assert turkish_sort_key("Iğdır") < turkish_sort_key("İstanbul")
    assert turkish_sort_key("Sakarya") < turkish_sort_key("Şanlıurfa")
