#!/usr/bin/env python3
"""Generate a synthetic province of any size for the Criteria benchmark.

THE DATA IS MADE UP: every id, name and figure is invented here and describes no real place.

Deterministic (Python 3 standard library only): commune number k is drawn from its own generator
seeded with (seed, k), so a province of 10,000 communes is the first 10,000 communes of a province
of 1,000,000, and the same command always writes the same bytes. The shape follows
Examples/generate_sample.py:

- one province; districts of 10 to 30 communes; 3 to 12 hamlets per commune;
- facts for 2019 and 2022–2025 at every level (the benchmark evaluates as of 2024-12-31, so 2024 is
  the evaluated year, 2023 "last year" and 2019 the baseline);
- realistic proportions in every year: about 12% of communes miss at least one fact (left out, so
  unknown), about 15% fail a clause of 19.2 on purpose (crime up, too few safe hamlets, a serious
  crime, no plan, ...), the rest pass 19.2; ratings, cameras and fully safe hamlets vary, so the
  advanced and model criteria pass less often; districts sometimes have a hotspot or a missing fact;
  a quarter of the districts are well run (failures and gaps ten times rarer), so some districts
  can meet 9.4, which asks every commune to meet 19.2.

Writes, under OUT (created if needed):

    OUT/province.yaml      nested YAML (Docs/data-format.md)
    OUT/province.json      the same as JSON
    OUT/csv/               the same as a folder of CSV tables
    OUT/commune/commune.yaml   the first commune alone (a root-commune dossier)

Usage:  python3 Benchmarks/generate.py --communes 100000 --out /tmp/criteria-bench/100000
        [--seed 7] [--formats yaml,json,csv]
Generated data never belongs in git: write it to a temporary folder.
"""

import argparse
import json
import os
import random
import sys

YEARS = [2019, 2022, 2023, 2024, 2025]

COMMUNE_FACTS = [
    "antt_party_resolution", "antt_plan", "prohibited_activity_events", "prolonged_mass_complaints",
    "serious_crimes", "social_order_crimes", "active_security_models", "security_camera_model",
    "commune_police_disciplined", "movement_rating",
]
HAMLET_FACTS = ["safe_antt"]
DISTRICT_FACTS = [
    "district_antt_resolution", "district_antt_plan", "district_mass_complaints", "social_order_hotspots",
    "armed_forces_tasks_completed",
]
RATINGS = ["xuat_sac"] * 3 + ["kha"] * 5 + ["trung_binh"] * 2 + ["yeu"]
FAILURES = ["crimes_up", "few_safe_hamlets", "serious_crime", "no_plan", "no_resolution", "prohibited_event",
            "mass_complaint", "police_disciplined", "no_models"]
SYLLABLES = ["Đông", "Tây", "Nam", "Bắc", "Hòa", "Minh", "Ninh", "Khê", "Thanh", "Tiến", "Văn", "Long", "Giang",
             "Công", "Phúc", "Vận", "Trung", "Kim", "Phú", "Quỳ", "Đức", "Thịnh", "Lộc", "Thành", "Tế", "Lợi",
             "Thắng", "Nghĩa", "Liêm", "Yên", "Định", "Hưng", "Tăng", "Hải", "Thọ", "Dân", "Sơn", "Bình", "An",
             "Vân", "Hợp", "Lực", "Xuân", "Quảng", "Nga", "Hoằng", "Thiệu", "Triệu", "Cẩm", "Lam"]
DESCRIPTION = ("Dữ liệu giả định / Made-up benchmark data: a synthetic province written by "
               "Benchmarks/generate.py; it describes no real place.")


def name(rng, prefix):
    return f"{prefix} {rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def commune(seed, k, district_id, care):
    """Commune number k (0-based): its facts by year and its hamlets; `care` divides the chance of
    failures and gaps (10 in a well-run district, 1 elsewhere)."""
    rng = random.Random(seed * 1_000_003 + k)
    cid = f"{1_000_000 + k}"
    count = rng.randint(3, 12)
    hamlets = [{"id": f"{cid}-{h + 1:02d}", "name": f"Thôn {h + 1}", "facts": {}} for h in range(count)]
    crimes = {2019: rng.randint(10, 60)}
    crimes[2022] = max(0, crimes[2019] - rng.randint(1, 6))
    for year in (2023, 2024, 2025):
        crimes[year] = max(0, crimes[year - 1] - rng.randint(0, 3))
    all_safe = rng.random() < 0.45  # every hamlet safe in every year (the model commune's condition)
    facts = {}
    for year in YEARS:
        f = {
            "antt_party_resolution": True,
            "antt_plan": True,
            "prohibited_activity_events": 0,
            "prolonged_mass_complaints": 0,
            "serious_crimes": 0,
            "social_order_crimes": crimes[year],
            "active_security_models": rng.randint(1, 6),
            "security_camera_model": rng.random() > 0.12,
            "commune_police_disciplined": 0,
            "movement_rating": rng.choice(RATINGS),
        }
        safe = count if all_safe else rng.randint(count * 7 // 10 + 1, count)
        failure = rng.choice(FAILURES) if rng.random() < 0.15 / care else None
        if failure == "crimes_up" and year != 2019:
            f["social_order_crimes"] = crimes[year] + rng.randint(1, 4)
        elif failure == "few_safe_hamlets":
            safe = rng.randint(0, count * 7 // 10 - (1 if count * 7 % 10 == 0 else 0))
        elif failure == "serious_crime":
            f["serious_crimes"] = 1
        elif failure == "no_plan":
            f["antt_plan"] = False
        elif failure == "no_resolution":
            f["antt_party_resolution"] = False
        elif failure == "prohibited_event":
            f["prohibited_activity_events"] = rng.randint(1, 2)
        elif failure == "mass_complaint":
            f["prolonged_mass_complaints"] = 1
            f["movement_rating"] = "yeu"
        elif failure == "police_disciplined":
            f["commune_police_disciplined"] = 1
        elif failure == "no_models":
            f["active_security_models"] = 0
        order = list(range(count))
        rng.shuffle(order)
        for position, h in enumerate(order):
            hamlets[h]["facts"].setdefault(year, {})["safe_antt"] = position < safe
        if rng.random() < 0.12 / care:  # an incomplete record: one fact or one hamlet's result not reported
            if rng.random() < 0.75:
                del f[rng.choice(COMMUNE_FACTS)]
            else:
                hamlets[rng.randrange(count)]["facts"].pop(year, None)
        facts[year] = f
    return {"id": cid, "name": name(rng, "Xã"), "group": rng.choice([1, 1, 2, 2, 2, 3]), "facts": facts,
            "hamlets": hamlets, "district": district_id}


def district(seed, d):
    rng = random.Random(seed * 1_000_033 + 7_000_000_000 + d)
    facts = {}
    for year in YEARS:
        f = {
            "district_antt_resolution": True,
            "district_antt_plan": True,
            "district_mass_complaints": 1 if rng.random() < 0.05 else 0,
            "social_order_hotspots": 1 if rng.random() < 0.08 else 0,
            "armed_forces_tasks_completed": rng.random() > 0.03,
        }
        if rng.random() < 0.05:
            del f[rng.choice(DISTRICT_FACTS)]
        facts[year] = f
    return {"id": f"{d + 1:05d}", "name": name(rng, "Huyện"), "facts": facts, "size": rng.randint(10, 30),
            "care": 10 if rng.random() < 0.25 else 1}


def districts(seed, communes):
    """Yields (district, [communes]) until `communes` communes have been made."""
    k = 0
    d = 0
    while k < communes:
        dist = district(seed, d)
        size = min(dist["size"], communes - k)
        yield dist, [commune(seed, k + i, dist["id"], dist["care"]) for i in range(size)]
        k += size
        d += 1


# ---------------------------------------------------------------- writers

def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value in ("xuat_sac", "kha", "trung_binh", "yeu"):
        return value
    return json.dumps(value, ensure_ascii=False)


def yaml_facts(out, facts, names, pad, flow=False):
    present = [y for y in YEARS if facts.get(y)]
    if not present:
        return
    out.append(f"{pad}facts:\n")
    for y in present:
        values = facts[y]
        if flow:
            body = ", ".join(f"{n}: {scalar(values[n])}" for n in names if n in values)
            out.append(f"{pad}  {y}: {{ {body} }}\n")
        else:
            out.append(f"{pad}  {y}:\n")
            for n in names:
                if n in values:
                    out.append(f"{pad}    {n}: {scalar(values[n])}\n")


def yaml_commune(c, pad):
    out = [f"{pad}- id: \"{c['id']}\"\n", f"{pad}  name: {scalar(c['name'])}\n", f"{pad}  group: {c['group']}\n"]
    yaml_facts(out, c["facts"], COMMUNE_FACTS, pad + "  ")
    out.append(f"{pad}  hamlets:\n")
    for h in c["hamlets"]:
        out.append(f"{pad}    - id: \"{h['id']}\"\n{pad}      name: {scalar(h['name'])}\n")
        yaml_facts(out, h["facts"], HAMLET_FACTS, pad + "      ", flow=True)
    return "".join(out)


def json_facts(facts, names):
    return {str(y): {n: facts[y][n] for n in names if n in facts[y]} for y in YEARS if facts.get(y)}


def json_commune(c):
    return json.dumps({
        "id": c["id"], "name": c["name"], "group": c["group"], "facts": json_facts(c["facts"], COMMUNE_FACTS),
        "hamlets": [{"id": h["id"], "name": h["name"], "facts": json_facts(h["facts"], HAMLET_FACTS)}
                    for h in c["hamlets"]],
    }, ensure_ascii=False)


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(value):
    text = str(value)
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_rows(entity, parent, names, group=None):
    rows = []
    for y in YEARS:
        values = entity["facts"].get(y, {})
        row = [entity["id"], csv_text(entity["name"]), parent, str(y)]
        if group is not None:
            row.append(str(group))
        row += [cell(values.get(n)) for n in names]
        rows.append(",".join(row) + "\n")
    return "".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communes", type=int, required=True, help="number of communes (100 to 1,000,000)")
    parser.add_argument("--out", required=True, help="output folder (never inside the source tree's git files)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="yaml,json,csv", help="comma-separated: yaml, json, csv")
    args = parser.parse_args()
    if not 1 <= args.communes <= 1_000_000:
        sys.exit("--communes must be between 1 and 1,000,000")
    formats = set(args.formats.split(","))
    os.makedirs(args.out, exist_ok=True)
    province_id, province_name = "00", "Tỉnh Giả Định"

    def open_text(*parts):
        path = os.path.join(args.out, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

    yaml = json_out = None
    tables = {}
    if "yaml" in formats:
        yaml = open_text("province.yaml")
        yaml.write("# Made-up benchmark data (Benchmarks/generate.py); it describes no real place.\n")
        yaml.write(f"dataset: 1\nsynthetic: true\ndescription: {scalar(DESCRIPTION)}\nprovince:\n"
                   f"  id: \"{province_id}\"\n  name: {scalar(province_name)}\n  districts:\n")
    if "json" in formats:
        json_out = open_text("province.json")
        json_out.write('{"dataset": 1, "synthetic": true, "description": ' + json.dumps(DESCRIPTION, ensure_ascii=False)
                       + ',\n "province": {"id": "' + province_id + '", "name": ' + json.dumps(province_name, ensure_ascii=False)
                       + ',\n  "districts": [\n')
    if "csv" in formats:
        for table in ("dataset", "province", "districts", "communes", "hamlets"):
            tables[table] = open_text("csv", table + ".csv")
        tables["dataset"].write(f"dataset,synthetic,description\n1,true,{csv_text(DESCRIPTION)}\n")
        tables["province"].write(f"id,name,year\n{province_id},{province_name},\n")
        tables["districts"].write(",".join(["id", "name", "province_id", "year"] + DISTRICT_FACTS) + "\n")
        tables["communes"].write(",".join(["id", "name", "district_id", "year", "group"] + COMMUNE_FACTS) + "\n")
        tables["hamlets"].write(",".join(["id", "name", "commune_id", "year"] + HAMLET_FACTS) + "\n")

    first_commune = None
    counts = {"districts": 0, "communes": 0, "hamlets": 0}
    for index, (dist, communes) in enumerate(districts(args.seed, args.communes)):
        counts["districts"] += 1
        counts["communes"] += len(communes)
        counts["hamlets"] += sum(len(c["hamlets"]) for c in communes)
        if first_commune is None:
            first_commune = communes[0]
        if yaml:
            out = [f"    - id: \"{dist['id']}\"\n      name: {scalar(dist['name'])}\n"]
            yaml_facts(out, dist["facts"], DISTRICT_FACTS, "      ")
            out.append("      communes:\n")
            out += [yaml_commune(c, "        ") for c in communes]
            yaml.write("".join(out))
        if json_out:
            head = json.dumps({"id": dist["id"], "name": dist["name"], "facts": json_facts(dist["facts"], DISTRICT_FACTS)},
                              ensure_ascii=False)[:-1]
            json_out.write(("" if index == 0 else ",\n") + "   " + head + ', "communes": [\n    '
                           + ",\n    ".join(json_commune(c) for c in communes) + "]}")
        if tables:
            tables["districts"].write(csv_rows(dist, province_id, DISTRICT_FACTS))
            tables["communes"].write("".join(csv_rows(c, dist["id"], COMMUNE_FACTS, c["group"]) for c in communes))
            tables["hamlets"].write("".join(csv_rows(h, c["id"], HAMLET_FACTS) for c in communes for h in c["hamlets"]))
    if json_out:
        json_out.write("\n  ]}}\n")
        json_out.close()
    if yaml:
        yaml.close()
    for handle in tables.values():
        handle.close()
    with open_text("commune", "commune.yaml") as single:
        single.write("# Made-up benchmark data (Benchmarks/generate.py); it describes no real place.\n"
                     "dataset: 1\nsynthetic: true\ncommune:\n")
        text = yaml_commune(first_commune, "")  # "- id: …" then "  name: …": drop the list dash
        single.write("  " + text[2:])
    print(f"{args.out}: 1 province, {counts['districts']} districts, {counts['communes']} communes, "
          f"{counts['hamlets']} hamlets, years {YEARS[0]}, {YEARS[1]}–{YEARS[-1]}")


if __name__ == "__main__":
    main()
