#!/usr/bin/env python3
"""Generate the synthetic sample province in Examples/thanh-hoa/.

THE DATA IS MADE UP. Names follow the style of Thanh Hóa's districts and communes so that the
examples read naturally, but every id and every figure is invented by this script. It describes
no real commune, district or person.

The script is deterministic (a fixed seed, Python 3 standard library only) and writes the same
dataset three times, in every format Criteria reads (see Docs/data-format.md):

    Examples/thanh-hoa/province.yaml
    Examples/thanh-hoa/province.json
    Examples/thanh-hoa/csv/{dataset,province,districts,communes,units}.csv
    Examples/thanh-hoa/README.md

Run it from anywhere:  python3 Examples/generate_sample.py
"""

import csv
import io
import json
import math
import os
import random

SEED = 20250610
YEARS = [2019, 2022, 2023, 2024, 2025]
EVALUATION_YEAR = 2025

COMMUNE_FACTS = [
    "antt_party_resolution",
    "antt_plan",
    "prohibited_activity_events",
    "prolonged_mass_complaints",
    "serious_crimes",
    "serious_crimes_force_majeure",
    "serious_crimes_handled",
    "social_order_crimes",
    "active_security_models",
    "security_camera_model",
    "commune_police_disciplined",
    "movement_rating",
]
# A commune's residential areas (thôn, bản) are its TT 124 units of kind khu_dan_cu: each registered,
# and recognised "An toàn về ANTT" or not (TT 124 Art. 5(4)).
UNIT_FACTS = ["antt_registered", "antt_recognised"]
DISTRICT_FACTS = [
    "district_antt_resolution",
    "district_antt_plan",
    "district_mass_complaints",
    "social_order_hotspots",
    "armed_forces_tasks_completed",
]

DESCRIPTION = (
    "Dữ liệu giả định, không phải số liệu thật / Made-up sample data, not real figures: "
    "a province modelled on Thanh Hóa for the Criteria examples and tests."
)

PROVINCE = ("38", "Tỉnh Thanh Hóa")

# (id, name, communes)
DISTRICTS = [
    ("381", "Huyện Đông Sơn", ["Xã Đông Hòa", "Xã Đông Minh", "Xã Đông Ninh", "Xã Đông Khê", "Xã Đông Thanh",
                               "Xã Đông Tiến", "Xã Đông Văn"]),
    ("382", "Huyện Thiệu Hóa", ["Xã Thiệu Long", "Xã Thiệu Giang", "Xã Thiệu Công", "Xã Thiệu Nguyên",
                                "Xã Thiệu Phúc", "Xã Thiệu Vận", "Xã Thiệu Trung"]),
    ("383", "Huyện Hoằng Hóa", ["Xã Hoằng Kim", "Xã Hoằng Trung", "Xã Hoằng Phú", "Xã Hoằng Quỳ", "Xã Hoằng Đức",
                                "Xã Hoằng Thịnh", "Xã Hoằng Lộc", "Xã Hoằng Thành"]),
    ("384", "Huyện Nông Cống", ["Xã Trung Chính", "Xã Tế Thắng", "Xã Tế Lợi", "Xã Vạn Thắng", "Xã Minh Nghĩa",
                                "Xã Công Liêm", "Xã Thăng Long"]),
    ("385", "Huyện Yên Định", ["Xã Yên Trường", "Xã Định Hưng", "Xã Định Tăng", "Xã Yên Phú", "Xã Định Liên",
                               "Xã Yên Thái", "Xã Định Hải"]),
    ("386", "Huyện Triệu Sơn", ["Xã Dân Lực", "Xã Hợp Thành", "Xã Thọ Dân", "Xã Minh Sơn", "Xã Đồng Tiến",
                                "Xã Thọ Bình", "Xã An Nông", "Xã Vân Sơn"]),
]

NAMED_HAMLETS = [
    "Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc", "Thôn Trung", "Thôn Thượng", "Thôn Hạ", "Thôn Phú Lộc",
    "Thôn Yên Bình", "Thôn Hòa Bình", "Thôn Tân Lập", "Thôn Quyết Thắng", "Thôn Đồng Tâm", "Thôn Phúc Thịnh",
]

# What each special commune shows in the evaluation year; every other commune passes criterion 19.2.
# (scenario, number of hamlets or None for random, explanation for the README)
SCENARIOS = {
    "Xã Thiệu Long": ("crimes_up", None, "fails: 41 social-order crimes in 2025 against 38 in 2024"),
    "Xã Đông Khê": ("hamlets_5_of_8", 8, "fails: 5 of 8 residential areas recognised safe (62.5% < 70%)"),
    "Xã Hoằng Phú": ("hamlets_6_of_9", 9, "fails just below the threshold: 6 of 9 residential areas recognised safe (66.7%)"),
    "Xã Hoằng Quỳ": ("serious_crime", None, "fails: one serious crime in 2025"),
    "Xã Tế Lợi": ("no_plan", None, "fails: no People's Committee plan on security and order in 2025"),
    "Xã Yên Thái": ("no_resolution", None, "fails: no Party committee resolution in 2025"),
    "Xã Định Tăng": ("prohibited_event", None, "fails: one prohibited activity event in 2025"),
    "Xã Thọ Dân": ("mass_complaint", None, "fails: one prolonged mass complaint in 2025; movement rated yếu"),
    "Xã Hoằng Thành": ("police_disciplined", None, "fails: one commune police officer disciplined in 2025"),
    "Xã Minh Sơn": ("no_models", None, "fails: no effective security model in 2025"),
    "Xã Thiệu Vận": ("hamlets_7_of_10", 10, "passes at the boundary: exactly 7 of 10 residential areas recognised safe (70%)"),
    "Xã Đông Văn": ("crimes_equal", None, "passes at the boundary: 22 crimes in 2025, equal to 2024"),
    "Xã Vạn Thắng": ("missing_crimes", None, "incomplete: social_order_crimes for 2025 not reported"),
    "Xã An Nông": ("missing_plan", None, "incomplete: antt_plan and security_camera_model for 2025 not reported"),
    "Xã Công Liêm": ("missing_hamlets", 9, "incomplete: 2 of 9 residential areas have no 2025 recognition result (6 recognised, 1 not)"),
    "Xã Hợp Thành": ("missing_last_year", None, "incomplete: social_order_crimes for 2024 not reported, so 2025 cannot be compared"),
    "Xã Định Hải": ("failed_2024", None, "failed in 2024 (27 crimes against 25 in 2023), passes in 2025"),
}

HEADER_COMMENT = """\
# Sample dataset for Criteria — DỮ LIỆU GIẢ ĐỊNH / MADE-UP DATA.
# Every id, name and figure in this file is invented by Examples/generate_sample.py (seed {seed});
# it describes no real commune, district or person. Do not edit by hand: run the script again.
# The same data is in province.json and csv/. Format: Docs/data-format.md.
"""


def commune_id(district_index, commune_index):
    return f"{15100 + 60 * district_index + 3 * commune_index:05d}"


def make_hamlets(rng, cid, count):
    if rng.random() < 0.5:
        names = [f"Thôn {k}" for k in range(1, count + 1)]
    else:
        names = rng.sample(NAMED_HAMLETS, count) if count <= len(NAMED_HAMLETS) else [
            f"Thôn {k}" for k in range(1, count + 1)]
    return [{"id": f"{cid}-{k + 1:02d}", "name": name, "facts": {}} for k, name in enumerate(names)]


def set_safe(rng, hamlets, year, safe_count, unknown_count=0):
    """Mark `safe_count` hamlets safe, `unknown_count` unreported, the rest not safe, at random places."""
    order = list(range(len(hamlets)))
    rng.shuffle(order)
    for position, index in enumerate(order):
        if position < safe_count:
            hamlets[index]["facts"][year] = {"antt_registered": True, "antt_recognised": True}
        elif position < safe_count + unknown_count:
            hamlets[index]["facts"][year] = {"antt_registered": True}  # recognition not reported: unknown
        else:
            hamlets[index]["facts"][year] = {"antt_registered": True, "antt_recognised": False}


def passing_safe_count(rng, count):
    """A number of safe hamlets strictly above 70%, so random data never lands on the boundary."""
    return rng.randint(math.floor(0.7 * count) + 1, count)


def make_commune(rng, district_index, commune_index, name):
    cid = commune_id(district_index, commune_index)
    scenario, hamlet_count, _ = SCENARIOS.get(name, ("pass", None, ""))
    count = hamlet_count or rng.randint(4, 12)
    hamlets = make_hamlets(rng, cid, count)

    # Crimes: falling slowly from 2019, never rising year on year unless the scenario says so.
    crimes = {2019: rng.randint(18, 60)}
    crimes[2022] = max(0, crimes[2019] - rng.randint(1, 6))
    for year in (2023, 2024, 2025):
        crimes[year] = max(0, crimes[year - 1] - rng.randint(0, 3))
    if scenario == "crimes_up":
        crimes = {2019: 46, 2022: 43, 2023: 40, 2024: 38, 2025: 41}
    elif scenario == "crimes_equal":
        crimes = {2019: 30, 2022: 27, 2023: 25, 2024: 22, 2025: 22}
    elif scenario == "failed_2024":
        crimes = {2019: 33, 2022: 29, 2023: 25, 2024: 27, 2025: 24}

    ratings = ["xuat_sac"] * 3 + ["kha"] * 5 + ["trung_binh"] * 2
    facts = {}
    for year in YEARS:
        f = {
            "antt_party_resolution": True,
            "antt_plan": True if year != 2019 else rng.random() > 0.1,
            "prohibited_activity_events": 0,
            "prolonged_mass_complaints": 0,
            "serious_crimes": 0 if year != 2019 else (1 if rng.random() < 0.1 else 0),
            "serious_crimes_force_majeure": 0,
            "serious_crimes_handled": 0,
            "social_order_crimes": crimes[year],
            "active_security_models": rng.randint(1, 6),
            "security_camera_model": rng.random() > 0.12,
            "commune_police_disciplined": 0,
            "movement_rating": rng.choice(ratings),
        }
        facts[year] = f
        if year == EVALUATION_YEAR:
            set_safe(rng, hamlets, year, passing_safe_count(rng, count))
        else:
            set_safe(rng, hamlets, year, passing_safe_count(rng, count) if rng.random() > 0.1
                     else math.floor(0.6 * count))

    latest = facts[EVALUATION_YEAR]
    if scenario == "hamlets_5_of_8":
        set_safe(rng, hamlets, EVALUATION_YEAR, 5)
    elif scenario == "hamlets_6_of_9":
        set_safe(rng, hamlets, EVALUATION_YEAR, 6)
    elif scenario == "hamlets_7_of_10":
        set_safe(rng, hamlets, EVALUATION_YEAR, 7)
    elif scenario == "missing_hamlets":
        for hamlet in hamlets:
            hamlet["facts"].pop(EVALUATION_YEAR, None)
        set_safe(rng, hamlets, EVALUATION_YEAR, 6, unknown_count=2)
    elif scenario == "serious_crime":
        latest["serious_crimes"] = 1
    elif scenario == "no_plan":
        latest["antt_plan"] = False
    elif scenario == "no_resolution":
        latest["antt_party_resolution"] = False
    elif scenario == "prohibited_event":
        latest["prohibited_activity_events"] = 1
    elif scenario == "mass_complaint":
        latest["prolonged_mass_complaints"] = 1
        latest["movement_rating"] = "yeu"
    elif scenario == "police_disciplined":
        latest["commune_police_disciplined"] = 1
    elif scenario == "no_models":
        latest["active_security_models"] = 0
        latest["movement_rating"] = "trung_binh"
    elif scenario == "missing_crimes":
        del latest["social_order_crimes"]
    elif scenario == "missing_plan":
        del latest["antt_plan"]
        del latest["security_camera_model"]
    elif scenario == "missing_last_year":
        del facts[2024]["social_order_crimes"]

    group = rng.choice([1, 1, 2, 2, 2, 3])
    return {"id": cid, "name": name, "group": group, "facts": facts, "units": hamlets}


def make_district(rng, index, did, name, commune_names):
    facts = {}
    for year in YEARS:
        facts[year] = {
            "district_antt_resolution": True,
            "district_antt_plan": True,
            "district_mass_complaints": 0,
            "social_order_hotspots": 0,
            "armed_forces_tasks_completed": True,
        }
    if name == "Huyện Hoằng Hóa":  # the district with a complex social-order hotspot
        facts[2024]["social_order_hotspots"] = 1
        facts[2025]["social_order_hotspots"] = 1
    if name == "Huyện Triệu Sơn":  # an old mass complaint, resolved since
        facts[2022]["district_mass_complaints"] = 1
    if name == "Huyện Nông Cống":  # an incomplete old record
        del facts[2019]["armed_forces_tasks_completed"]
    communes = [make_commune(rng, index, k, commune) for k, commune in enumerate(commune_names)]
    return {"id": did, "name": name, "facts": facts, "communes": communes}


def build():
    rng = random.Random(SEED)
    districts = [make_district(rng, i, did, name, communes) for i, (did, name, communes) in enumerate(DISTRICTS)]
    return {"id": PROVINCE[0], "name": PROVINCE[1], "districts": districts}


# ---------------------------------------------------------------- writers

def yaml_scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value in ("xuat_sac", "kha", "trung_binh", "yeu"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted string


def yaml_facts(out, facts, names, indent, flow=False):
    pad = " " * indent
    present = [year for year in YEARS if facts.get(year)]
    if not present:
        return
    out.append(f"{pad}facts:")
    for year in present:
        values = facts[year]
        if flow:
            body = ", ".join(f"{n}: {yaml_scalar(values[n])}" for n in names if n in values)
            out.append(f"{pad}  {year}: {{ {body} }}")
        else:
            out.append(f"{pad}  {year}:")
            for n in names:
                if n in values:
                    out.append(f"{pad}    {n}: {yaml_scalar(values[n])}")


def write_yaml(province, path):
    out = [HEADER_COMMENT.format(seed=SEED).rstrip("\n"), "dataset: 1", "synthetic: true",
           f"description: {yaml_scalar(DESCRIPTION)}", "province:",
           f"  id: {yaml_scalar(province['id'])}", f"  name: {yaml_scalar(province['name'])}", "  districts:"]
    for d in province["districts"]:
        out.append(f"    - id: {yaml_scalar(d['id'])}")
        out.append(f"      name: {yaml_scalar(d['name'])}")
        yaml_facts(out, d["facts"], DISTRICT_FACTS, 6)
        out.append("      communes:")
        for c in d["communes"]:
            out.append(f"        - id: {yaml_scalar(c['id'])}")
            out.append(f"          name: {yaml_scalar(c['name'])}")
            out.append(f"          group: {c['group']}")
            yaml_facts(out, c["facts"], COMMUNE_FACTS, 10)
            out.append("          units:")
            for h in c["units"]:
                out.append(f"            - id: {yaml_scalar(h['id'])}")
                out.append(f"              name: {yaml_scalar(h['name'])}")
                out.append("              kind: khu_dan_cu")
                yaml_facts(out, h["facts"], UNIT_FACTS, 14, flow=True)
    write_text(path, "\n".join(out) + "\n")


def json_facts(facts, names):
    return {str(year): {n: facts[year][n] for n in names if n in facts[year]}
            for year in YEARS if facts.get(year)}


def write_json(province, path):
    def entity(e, names, children_key=None, child=None):
        result = {"id": e["id"], "name": e["name"]}
        if "group" in e:
            result["group"] = e["group"]
        if names is UNIT_FACTS:
            result["kind"] = "khu_dan_cu"
        f = json_facts(e["facts"], names)
        if f:
            result["facts"] = f
        if children_key:
            result[children_key] = [child(x) for x in e[children_key]]
        return result

    def unit(h):
        return entity(h, UNIT_FACTS)

    def commune(c):
        return entity(c, COMMUNE_FACTS, "units", unit)

    def district(d):
        return entity(d, DISTRICT_FACTS, "communes", commune)

    document = {
        "dataset": 1,
        "synthetic": True,
        "description": DESCRIPTION,
        "province": {"id": province["id"], "name": province["name"],
                     "districts": [district(d) for d in province["districts"]]},
    }
    write_text(path, json_text(document) + "\n")


def json_text(value, indent=0):
    """JSON with one entry per line, except that flat or small objects (one year's facts) stay on one line."""
    compact = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    flat = isinstance(value, dict) and not any(isinstance(v, (dict, list)) for v in value.values())
    if not isinstance(value, (dict, list)) or flat or len(compact) + indent <= 110:
        return compact
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {json_text(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + json_text(v, indent + 2) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows, path):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def write_csv_folder(province, folder):
    os.makedirs(folder, exist_ok=True)
    write_csv([["dataset", "synthetic", "description"], ["1", "true", DESCRIPTION]],
              os.path.join(folder, "dataset.csv"))
    write_csv([["id", "name", "year"], [province["id"], province["name"], ""]],
              os.path.join(folder, "province.csv"))

    def table(entities, parent_column, names, with_group=False, kind=None):
        header = ["id", "name", parent_column, "year"] + (["group"] if with_group else []) + (["kind"] if kind else []) + names
        rows = [header]
        for parent_id, e in entities:
            for year in YEARS:
                values = e["facts"].get(year, {})
                row = [e["id"], e["name"], parent_id, str(year)]
                if with_group:
                    row.append(str(e["group"]))
                if kind:
                    row.append(kind)
                row += [csv_cell(values.get(n)) for n in names]
                rows.append(row)
        return rows

    districts = [(province["id"], d) for d in province["districts"]]
    communes = [(d["id"], c) for d in province["districts"] for c in d["communes"]]
    units = [(c["id"], h) for d in province["districts"] for c in d["communes"] for h in c["units"]]
    write_csv(table(districts, "province_id", DISTRICT_FACTS), os.path.join(folder, "districts.csv"))
    write_csv(table(communes, "district_id", COMMUNE_FACTS, with_group=True), os.path.join(folder, "communes.csv"))
    write_csv(table(units, "commune_id", UNIT_FACTS, kind="khu_dan_cu"), os.path.join(folder, "units.csv"))


def write_readme(province, path):
    communes = [(d, c) for d in province["districts"] for c in d["communes"]]
    hamlet_count = sum(len(c["units"]) for _, c in communes)
    lines = [
        "# Sample province (Thanh Hóa-like) — made-up data",
        "",
        "**Dữ liệu giả định. Everything in this folder is made up.** The district and commune names follow",
        "the style of Thanh Hóa so the examples read naturally, but every id, every figure and every",
        "residential area is invented by [`../generate_sample.py`](../generate_sample.py) (fixed seed "
        f"{SEED}). It describes no real commune, district or person, and must not be used as statistics.",
        "The files carry `synthetic: true` (and, for CSV, `dataset.csv`).",
        "",
        "The same dataset in the four formats Criteria reads ([Docs/data-format.md](../../Docs/data-format.md)):",
        "",
        "- `province.yaml` — one YAML document",
        "- `province.json` — the same as JSON",
        "- `csv/` — a folder of CSV tables: `dataset.csv`, `province.csv`, `districts.csv`, `communes.csv`, "
        "`units.csv` (each commune's residential areas, its TT 124 units of kind `khu_dan_cu`)",
        "- `province.xlsx` — the CSV tables as an Excel workbook saved by LibreOffice Calc, a sheet per table",
        "  (and a sheet `Ghi chú` the reader ignores). Made by [`make-xlsx.py`](make-xlsx.py): it writes the",
        "  tables as a flat OpenDocument spreadsheet with typed cells (numbers, booleans, text, a date) and",
        "  converts it with `soffice --headless --convert-to xlsx`. Run it again after regenerating `csv/`.",
        "",
        f"Contents: 1 province, {len(province['districts'])} districts, {len(communes)} communes, "
        f"{hamlet_count} residential areas (thôn, as TT 124 units), with facts for {', '.join(str(y) for y in YEARS)}.",
        "",
        "Do not edit the files by hand; change the script and run `python3 Examples/generate_sample.py`.",
        "",
        f"## What the communes show in {EVALUATION_YEAR}",
        "",
        "Most communes pass every clause of criterion 19.2. These are the deliberate exceptions:",
        "",
        "| commune | id | district | in " + str(EVALUATION_YEAR) + " |",
        "| --- | --- | --- | --- |",
    ]
    for d, c in communes:
        if c["name"] in SCENARIOS:
            lines.append(f"| {c['name']} | {c['id']} | {d['name']} | {SCENARIOS[c['name']][2]} |")
    lines += [
        "",
        "Districts: Huyện Hoằng Hóa has a complex social-order hotspot in 2024 and 2025; Huyện Triệu Sơn had",
        "a prolonged mass complaint in 2022; Huyện Nông Cống's 2019 record lacks",
        "`armed_forces_tasks_completed`. District crime is the sum of its communes' `social_order_crimes`;",
        "every commune has 2019 figures, so crime can be compared with 2019.",
        "",
    ]
    write_text(path, "\n".join(lines))


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.join(here, "thanh-hoa")
    os.makedirs(folder, exist_ok=True)
    province = build()
    write_yaml(province, os.path.join(folder, "province.yaml"))
    write_json(province, os.path.join(folder, "province.json"))
    write_csv_folder(province, os.path.join(folder, "csv"))
    write_readme(province, os.path.join(folder, "README.md"))


if __name__ == "__main__":
    main()
