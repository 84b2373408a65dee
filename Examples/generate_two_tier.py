#!/usr/bin/env python3
"""Generate the synthetic two-tier sample province in Examples/thanh-hoa-2026/.

THE DATA IS MADE UP. Names follow the style of Thanh Hóa's communes so that the examples read
naturally, but every id and every figure is invented by this script. It describes no real commune,
ward, unit or person.

The province as the 2026 inspector sees it: districts were abolished on 2025-07-01 (two-tier local
government) and communes merged, renamed and split; since then communes sit directly under the
province, each with its 2026–2030 group and its TT 124 units (khu dân cư, cơ quan, doanh nghiệp,
cơ sở giáo dục). The former districts and communes are listed with their 2019 and 2023–2025 facts;
`successions` says what became of them, so that "so với năm trước" reads their figures.

The facts are those Rules/inputs.yaml declares (read when the script runs), each given a plausible
passing value, then a few communes are changed on purpose so that the sample has passes, fails and
unknowns, each for a reason the README states.

Deterministic (no randomness), Python 3 standard library only. It writes the same dataset three
times, in every format Criteria reads (Docs/data-format.md):

    Examples/thanh-hoa-2026/province.yaml
    Examples/thanh-hoa-2026/province.json
    Examples/thanh-hoa-2026/csv/{dataset,province,districts,communes,units,successions}.csv
    Examples/thanh-hoa-2026/README.md

Run it from anywhere:  python3 Examples/generate_two_tier.py
"""

import csv
import io
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "thanh-hoa-2026")

DESCRIPTION = (
    "Dữ liệu giả định, không phải số liệu thật / Made-up sample data, not real figures: "
    "a two-tier province modelled on Thanh Hóa after the 2025 reorganisation, for the Criteria examples and tests."
)
MERGER = "2025-07-01"
FORMER_YEARS = [2019, 2023, 2024, 2025]


def declared_inputs():
    """(name, type, level, values) of every input in Rules/inputs*.yaml, read line by line."""
    folder = os.path.join(ROOT, "Rules")
    text = "\n".join(open(os.path.join(folder, name), encoding="utf-8").read()
                     for name in sorted(os.listdir(folder)) if name.startswith("inputs") and name.endswith(".yaml"))
    inputs, current = [], None
    for line in text.splitlines():
        m = re.match(r"\s*- name: (\w+)", line)
        if m:
            current = {"name": m.group(1)}
            inputs.append(current)
            continue
        if current is None:
            continue
        for key in ("type", "level"):
            m = re.match(rf"\s+{key}: (\w+)", line)
            if m:
                current[key] = m.group(1)
        m = re.match(r"\s+values: \[(.*)\]", line)
        if m:
            current["values"] = [v.strip() for v in m.group(1).split(",")]
    return inputs


INPUTS = declared_inputs()


def names(level):
    return [i["name"] for i in INPUTS if i.get("level") == level]


# Counts that measure crime and disorder: they fall a little every year in a commune that passes.
FALLING = {"social_order_crimes", "criminal_cases", "social_evil_cases", "other_violation_cases"}
# Counts that must be at least one, and what a passing commune has.
AT_LEAST = {"active_security_models": 2}


def passing_value(spec, base):
    """A value of the input that a commune (or unit) in good order has; `base` sizes the counts."""
    name, kind = spec["name"], spec.get("type")
    if kind == "bool":
        return True
    if kind == "enum":
        values = spec.get("values", [])
        return "kha" if "kha" in values else (values[0] if values else None)
    if kind == "count":
        if name in FALLING:
            return base
        if name in AT_LEAST:
            return AT_LEAST[name]
        if name.endswith("households") or name.endswith("households_registered"):
            return 40 + base * 7
        return 0
    return None


def commune_facts(base, years, drift=-1):
    """Facts of a commune for each year: crime counts change by `drift` a year (negative: falling)."""
    facts = {}
    for k, year in enumerate(years):
        row = {}
        for spec in INPUTS:
            if spec.get("level") != "commune":
                continue
            value = passing_value(spec, base)
            if spec["name"] in FALLING:
                value = max(0, base + drift * (k - len(years) + 1))
            if value is not None:
                row[spec["name"]] = value
        facts[year] = row
    return facts


UNIT_KINDS = [
    ("khu_dan_cu", "Thôn {}"),
    ("khu_dan_cu", "Thôn {}"),
    ("khu_dan_cu", "Thôn {}"),
    ("khu_dan_cu", "Thôn {}"),
    ("co_quan", "Trạm Y tế xã {}"),
    ("doanh_nghiep", "Công ty TNHH {}"),
    ("co_so_giao_duc", "Trường THCS {}"),
]


def units(cid, short, years, recognised=None, unregistered=()):
    """The TT 124 units of a commune: four residential areas, a state body, an enterprise, a school.
    `recognised` is how many are recognised (all by default); `unregistered` lists unit numbers."""
    result = []
    count = len(UNIT_KINDS)
    recognised = count if recognised is None else recognised
    for n, (kind, pattern) in enumerate(UNIT_KINDS, start=1):
        label = str(n) if kind == "khu_dan_cu" else short
        facts = {}
        for year in years:
            row = {}
            for spec in INPUTS:
                if spec.get("level") != "unit":
                    continue
                if spec["name"].startswith("kdc_") and kind != "khu_dan_cu":
                    continue
                value = passing_value(spec, n)
                if value is not None:
                    row[spec["name"]] = value
            if "antt_registered" in row:
                row["antt_registered"] = n not in unregistered
            if "antt_recognised" in row:
                row["antt_recognised"] = n <= recognised and n not in unregistered
            facts[year] = row
        result.append({"id": f"{cid}-{n:02d}", "name": pattern.format(label), "kind": kind, "facts": facts})
    return result


def build():
    # The former districts and communes, until 2025-06-30.
    d381 = [("15301", "Xã Đông Hòa", 14), ("15304", "Xã Đông Minh", 11), ("15307", "Xã Đông Ninh", 9),
            ("15310", "Xã Đông Khê", 8), ("15313", "Xã Đông Thanh", 7), ("15316", "Xã Đông Hoàng", 10)]
    d382 = [("15401", "Xã Dân Lực", 20), ("15404", "Xã Dân Lý", 12), ("15407", "Xã Thọ Dân", 6)]
    former = {}
    for cid, name, base in d381 + d382:
        former[cid] = {"id": cid, "name": name, "facts": commune_facts(base, FORMER_YEARS)}
    # Xã Thọ Dân (15407) is not merged: it keeps its id and reports 2026 itself, under the province now.
    tho_dan = former["15407"]
    tho_dan["group"] = 3
    tho_dan["facts"].update(commune_facts(6, [2025, 2026]))
    tho_dan["units"] = units("15407", "Thọ Dân", [2025, 2026])
    # …but its police discipline figure for 2026 was not sent: unknown.
    tho_dan["facts"][2026].pop("commune_police_disciplined", None)

    districts = [
        {"id": "381", "name": "Huyện Đông Sơn", "communes": [former[c] for c, _, _ in d381]},
        {"id": "382", "name": "Huyện Triệu Sơn", "communes": [former[c] for c, _, _ in d382]},
    ]

    def new(cid, name, group, base, **unit_options):
        commune = {"id": cid, "name": name, "facts": commune_facts(base, [2026]),
                   "units": units(cid, name.split(" ", 1)[1], [2025, 2026], **unit_options)}
        if group is not None:
            commune["group"] = group
        return commune

    # 2025: 14+11+9 = 34 and 8+7 = 15 (each former commune's 2025 figure is its base).
    communes = [
        new("16001", "Xã Đông Sơn", 1, 30),                          # 30 ≤ 34: passes
        new("16002", "Xã Đông Tiến", 2, 18),                         # 18 > 15: crime up on the two former communes
        new("16003", "Phường Đông Hoàng", 1, 9, unregistered=(3,)),  # a residential area not registered
        new("16004", "Xã Dân Lực", 2, 11),                           # 60% of 20 = 12 last year: passes
        new("16005", "Xã Dân Hòa", 3, 7, recognised=4),              # 4 of 7 units recognised: 57% < 70%
        new("16006", "Xã Dân Lý", 3, 5),                             # split without shares: last year unknown
        new("16007", "Xã Dân Quyền", None, 4),                       # …and no group either
    ]
    successions = [
        {"date": MERGER, "merged": ["15301", "15304", "15307"], "into": "16001"},
        {"date": MERGER, "merged": ["15310", "15313"], "into": "16002"},
        {"date": MERGER, "renamed": "15316", "into": "16003"},
        {"date": MERGER, "split": "15401", "into": {"16004": "60%", "16005": "40%"}},
        {"date": MERGER, "split": "15404", "into": ["16006", "16007"]},
        {"date": MERGER, "abolished": "381", "children_to": "38"},
        {"date": MERGER, "abolished": "382", "children_to": "38"},
    ]
    province = {"id": "38", "name": "Tỉnh Thanh Hóa", "districts": districts, "communes": communes}
    return province, successions


# ── YAML ─────────────────────────────────────────────────────────────────────────────────────

def yaml_scalar(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) else text


def yaml_facts(facts, indent):
    pad = " " * indent
    lines = [f"{pad}facts:"]
    for year in sorted(facts):
        items = ", ".join(f"{k}: {yaml_scalar(v)}" for k, v in facts[year].items())
        lines.append(f"{pad}  {year}: {{ {items} }}")
    return lines


def yaml_entity(entity, indent, first_key_prefix):
    pad = " " * indent
    lines = [f"{first_key_prefix}id: {yaml_scalar(entity['id'])}", f"{pad}name: {yaml_scalar(entity['name'])}"]
    for key in ("group", "kind"):
        if key in entity:
            lines.append(f"{pad}{key}: {yaml_scalar(entity[key])}")
    if entity.get("facts"):
        lines += yaml_facts(entity["facts"], indent)
    for key in ("districts", "communes", "units"):
        if entity.get(key):
            lines.append(f"{pad}{key}:")
            for child in entity[key]:
                lines += yaml_entity(child, indent + 4, f"{pad}  - ")
    return lines


def write_yaml(province, successions, path):
    lines = [
        "# Sample dataset for Criteria — DỮ LIỆU GIẢ ĐỊNH / MADE-UP DATA.",
        "# Every id, name and figure in this file is invented by Examples/generate_two_tier.py;",
        "# it describes no real commune, ward, unit or person. Do not edit by hand: run the script again.",
        "# The same data is in province.json and csv/. Format: Docs/data-format.md.",
        "dataset: 1",
        "synthetic: true",
        f"description: {json.dumps(DESCRIPTION, ensure_ascii=False)}",
        "province:",
    ]
    lines += yaml_entity(province, 2, "  ")
    lines.append("successions:")
    for s in successions:
        parts = []
        for key, value in s.items():
            if isinstance(value, list):
                parts.append(f"{key}: [" + ", ".join(json.dumps(v) for v in value) + "]")
            elif isinstance(value, dict):
                parts.append(f"{key}: {{ " + ", ".join(f"{json.dumps(k)}: {v}" for k, v in value.items()) + " }")
            elif key == "date":
                parts.append(f"{key}: {value}")
            else:
                parts.append(f"{key}: {json.dumps(value)}")
        lines.append("  - { " + ", ".join(parts) + " }")
    write_text(path, "\n".join(lines) + "\n")


# ── JSON ─────────────────────────────────────────────────────────────────────────────────────

def json_entity(entity):
    result = {"id": entity["id"], "name": entity["name"]}
    for key in ("group", "kind"):
        if key in entity:
            result[key] = entity[key]
    if entity.get("facts"):
        result["facts"] = {str(y): entity["facts"][y] for y in sorted(entity["facts"])}
    for key in ("districts", "communes", "units"):
        if entity.get(key):
            result[key] = [json_entity(c) for c in entity[key]]
    return result


def write_json(province, successions, path):
    def share(value):
        return {k: float(v.rstrip("%")) / 100 for k, v in value.items()} if isinstance(value, dict) else value

    document = {
        "dataset": 1,
        "synthetic": True,
        "description": DESCRIPTION,
        "province": json_entity(province),
        "successions": [{k: share(v) for k, v in s.items()} for s in successions],
    }
    write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


# ── CSV ──────────────────────────────────────────────────────────────────────────────────────

def csv_cell(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else str(value)


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    write_text(path, buffer.getvalue())


def table_rows(entities, facts_names, leading):
    """One row per entity and year (one row without a year for an entity without facts)."""
    rows = []
    for entity, lead in zip(entities, leading):
        years = sorted(entity.get("facts", {})) or [None]
        for year in years:
            facts = entity.get("facts", {}).get(year, {})
            rows.append(lead + [year] + [facts.get(n) for n in facts_names])
    return rows


def write_csv_folder(province, successions, folder):
    os.makedirs(folder, exist_ok=True)
    write_csv(os.path.join(folder, "dataset.csv"), ["dataset", "synthetic", "description"], [[1, True, DESCRIPTION]])
    write_csv(os.path.join(folder, "province.csv"), ["id", "name", "year"], [[province["id"], province["name"], None]])
    districts = province["districts"]
    write_csv(os.path.join(folder, "districts.csv"), ["id", "name", "province_id", "year"],
              [[d["id"], d["name"], province["id"], None] for d in districts])
    commune_names = names("commune")
    communes, leading = [], []
    for d in districts:
        for c in d["communes"]:
            communes.append(c)
            leading.append([c["id"], c["name"], d["id"], None, c.get("group")])
    for c in province["communes"]:
        communes.append(c)
        leading.append([c["id"], c["name"], None, province["id"], c.get("group")])
    write_csv(os.path.join(folder, "communes.csv"), ["id", "name", "district_id", "province_id", "group", "year"] + commune_names,
              table_rows(communes, commune_names, leading))
    unit_names = names("unit")
    all_units, leading = [], []
    for c in communes:
        for u in c.get("units", []):
            all_units.append(u)
            leading.append([u["id"], u["name"], c["id"], u["kind"]])
    write_csv(os.path.join(folder, "units.csv"), ["id", "name", "commune_id", "kind", "year"] + unit_names,
              table_rows(all_units, unit_names, leading))
    rows = []
    for s in successions:
        if "merged" in s:
            rows += [[s["date"], "merged", f, s["into"], None] for f in s["merged"]]
        elif "renamed" in s:
            rows.append([s["date"], "renamed", s["renamed"], s["into"], None])
        elif "split" in s:
            parts = s["into"].items() if isinstance(s["into"], dict) else [(p, None) for p in s["into"]]
            rows += [[s["date"], "split", s["split"], p, share] for p, share in parts]
        elif "abolished" in s:
            rows.append([s["date"], "abolished", s["abolished"], s["children_to"], None])
    write_csv(os.path.join(folder, "successions.csv"), ["date", "change", "from", "into", "share"], rows)


README = """# Thanh Hóa 2026 — a two-tier sample province (DỮ LIỆU GIẢ ĐỊNH / MADE-UP DATA)

Every id, name and figure here is invented by `Examples/generate_two_tier.py`; nothing describes a
real commune, ward, unit or person. The same dataset is written three times: `province.yaml`,
`province.json` and `csv/` (give any of them to `criteria`; they give the same verdicts).

The province as an inspector sees it in 2026: the districts Huyện Đông Sơn (381) and Huyện Triệu
Sơn (382) were abolished on 01/07/2025 and their communes merged, renamed or split. The former
districts and communes are listed with their 2019 and 2023–2025 figures; `successions` says what
became of them, so that a rule that compares with last year reads the figures of the communes that
existed then. The new communes sit directly under the province, each with its 2026–2030 group and
its TT 124 units: four residential areas, a health station, an enterprise and a school.

```sh
swift run criteria check Examples/thanh-hoa-2026/province.yaml            # as of today
swift run criteria explain Examples/thanh-hoa-2026/province.yaml --entity 16002 --criterion tt124.xa
```

| commune | what the sample shows |
| --- | --- |
| 16001 Xã Đông Sơn (group 1) | merged from 15301, 15304 and 15307: its 2025 crime is their sum (34); 30 in 2026 — passes |
| 16002 Xã Đông Tiến (group 2) | merged from 15310 and 15313 (15 in 2025); 18 in 2026 — fails "so với năm trước", explained through its former communes |
| 16003 Phường Đông Hoàng (group 1) | 15316 renamed; one residential area did not register — fails the 100% registration of TT 124 Art. 5(4) |
| 16004 Xã Dân Lực (group 2) | 60% of the split 15401 (12 of 20 in 2025); 11 in 2026 — passes |
| 16005 Xã Dân Hòa (group 3) | 40% of 15401; 4 of its 7 units recognised (57%) — fails the 70% of Art. 5(4) |
| 16006 Xã Dân Lý (group 3) | 15404 split without shares: its 2025 counts cannot be divided — unknown, and the explanation says why |
| 16007 Xã Dân Quyền (no group) | the other part of 15404 — unknown for the same reason |
| 15407 Xã Thọ Dân (group 3) | not merged; moved under the province when Huyện Triệu Sơn was abolished; its 2026 police discipline figure is missing — unknown |
"""


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    province, successions = build()
    write_yaml(province, successions, os.path.join(OUT, "province.yaml"))
    write_json(province, successions, os.path.join(OUT, "province.json"))
    write_csv_folder(province, successions, os.path.join(OUT, "csv"))
    write_text(os.path.join(OUT, "README.md"), README)


if __name__ == "__main__":
    main()
