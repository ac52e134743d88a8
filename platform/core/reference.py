"""Turkey's provinces, districts and municipalities (read-only reference data shipped with the project)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from konsey.core.text import turkish_sort_key

MUNICIPALITY_TYPES = ("metropolitan", "provincial", "metropolitan_district", "district", "town")


@dataclass(frozen=True)
class Province:
    code: int
    name: str
    region: str
    metropolitan: bool
    population: int | None


@dataclass(frozen=True)
class District:
    id: int
    province_code: int
    name: str
    population: int | None


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    type: str
    province_code: int
    district_id: int | None


@cache
def _data():
    raw = json.loads((files("konsey.core") / "data" / "turkey.json").read_text(encoding="utf-8"))
    provinces = sorted((Province(**p) for p in raw["provinces"]), key=lambda p: p.code)
    districts = sorted((District(**d) for d in raw["districts"]), key=lambda d: turkish_sort_key(d.name))
    order = {t: i for i, t in enumerate(MUNICIPALITY_TYPES)}
    municipalities = sorted(
        (Municipality(**m) for m in raw["municipalities"]),
        key=lambda m: (order[m.type], turkish_sort_key(m.name)),
    )
    return provinces, districts, municipalities, {m.id: m for m in municipalities}


def provinces() -> list[Province]:
    return list(_data()[0])


def province(code: int) -> Province | None:
    return next((p for p in _data()[0] if p.code == code), None)


def districts(province_code: int) -> list[District]:
    return [d for d in _data()[1] if d.province_code == province_code]


def municipalities(province_code: int | None = None) -> list[Municipality]:
    return [m for m in _data()[2] if province_code is None or m.province_code == province_code]


def municipality(id: str) -> Municipality | None:  # noqa: A002 - the domain's word
    return _data()[3].get(id)


def count_by_type() -> dict[str, int]:
    counts = dict.fromkeys(MUNICIPALITY_TYPES, 0)
    for m in _data()[2]:
        counts[m.type] += 1
    return counts
