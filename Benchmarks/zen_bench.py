#!/usr/bin/env python3
"""The peer in the benchmark: the same five criteria as GoRules ZEN decision graphs (JDM).

Run by Benchmarks/run.py inside a virtual environment that has `zen-engine` (2.1.3); not meant to be
run by hand, but it can be:

    python zen_bench.py --data DIR/csv --year 2024 --verdicts verdicts.csv [--json]

It reads the same generated province as criteria-bench (its CSV tables), evaluates every commune with
a commune graph (xa-ntm.19.2, xa-ntm-nang-cao.19.2, xa-ntm-kieu-mau.antt) and every district with a
district graph (huyen-ntm.9.4, huyen-ntm-nang-cao.9.1) fed with its communes' verdicts, with tracing
off and on. It reports the binding's throughput (Python calls, contexts built beforehand, not timed)
and ZEN's own time per evaluation (the `performance` field of each response), and checks that every
verdict equals criteria-bench's (`--verdicts`: lines `entity_id,criterion,outcome`).

The graphs follow Rules/ as of 2024-12-31 (thresholds 70%, 50%, 5%). Three-valued logic is written
out in ZEN expressions: a missing fact is `null`; each condition gives 'pass', 'fail' or 'unknown'
(a share with unknown members is decided when it meets or misses the threshold at both ends);
a decision table (hit policy "first") combines the conditions of a criterion like an `all` group:
any 'fail' gives fail, else any 'unknown' gives unknown, else pass.
"""

import argparse
import csv
import json
import os
import sys
import time

import zen

COMMUNE_BOOL = {"antt_party_resolution", "antt_plan", "security_camera_model"}
COMMUNE_COUNT = {"prohibited_activity_events", "prolonged_mass_complaints", "serious_crimes", "social_order_crimes",
                 "active_security_models", "commune_police_disciplined"}
DISTRICT_BOOL = {"district_antt_resolution", "district_antt_plan", "armed_forces_tasks_completed"}
DISTRICT_COUNT = {"district_mass_complaints", "social_order_hotspots"}


def is_known(path):
    return f"{path} != null"


def truth(path):
    """A boolean fact as a condition outcome."""
    return f"{path} == null ? 'unknown' : ({path} ? 'pass' : 'fail')"


def compare(path, op, value):
    return f"{path} == null ? 'unknown' : ({path} {op} {value} ? 'pass' : 'fail')"


def expression_node(node_id, name, expressions):
    return {
        "id": node_id, "type": "expressionNode", "name": name, "position": {"x": 0, "y": 0},
        "content": {"passThrough": True, "expressions": [
            {"id": f"{node_id}-{k}", "key": key, "value": value} for k, (key, value) in enumerate(expressions)]},
    }


def all_table(node_id, name, fields, output):
    """A decision table that combines condition outcomes like an `all` group (hit policy first)."""
    inputs = [{"id": f"{node_id}-i{k}", "name": field, "field": field} for k, field in enumerate(fields)]
    rules = []
    for verdict in ("fail", "unknown"):
        for k in range(len(fields)):
            rule = {"_id": f"{node_id}-{verdict}-{k}", f"{node_id}-o": f"'{verdict}'"}
            for j in range(len(fields)):
                rule[f"{node_id}-i{j}"] = f"'{verdict}'" if j == k else ""
            rules.append(rule)
    default = {"_id": f"{node_id}-pass", f"{node_id}-o": "'pass'"}
    for j in range(len(fields)):
        default[f"{node_id}-i{j}"] = ""
    rules.append(default)
    return {
        "id": node_id, "type": "decisionTableNode", "name": name, "position": {"x": 0, "y": 0},
        "content": {"hitPolicy": "first", "passThrough": True, "inputs": inputs,
                    "outputs": [{"id": f"{node_id}-o", "name": output, "field": output}], "rules": rules},
    }


def graph(nodes):
    chain = [{"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}}] + nodes + [
        {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 0, "y": 0}}]
    edges = [{"id": f"e{k}", "sourceId": a["id"], "targetId": b["id"], "type": "edge"}
             for k, (a, b) in enumerate(zip(chain, chain[1:]))]
    return {"nodes": chain, "edges": edges}


def commune_graph():
    c192 = [
        ("c192.nghi_quyet_ke_hoach", "now.antt_party_resolution == false or now.antt_plan == false ? 'fail' : "
                                     "(now.antt_party_resolution == null or now.antt_plan == null ? 'unknown' : 'pass')"),
        ("c192.khong_hoat_dong_chong_pha", compare("now.prohibited_activity_events", "==", "0")),
        ("c192.khong_khieu_kien_dong_nguoi", compare("now.prolonged_mass_complaints", "==", "0")),
        ("c192.khong_trong_an", compare("now.serious_crimes", "==", "0")),
        ("c192.kiem_che_toi_pham", "now.social_order_crimes == null or last.social_order_crimes == null ? 'unknown' : "
                                   "(now.social_order_crimes <= last.social_order_crimes ? 'pass' : 'fail')"),
        ("c192.mo_hinh_hieu_qua", compare("now.active_security_models", ">=", "1")),
        ("c192.khong_ky_luat_cong_an", compare("now.commune_police_disciplined", "==", "0")),
        # A share with unknown members is decided when both ends (unknown as false, unknown as true) agree.
        ("c192.thon_an_toan", "len(hamlets) == 0 ? 'unknown' : "
                              "(count(hamlets, # == true) / len(hamlets) >= 0.7 ? 'pass' : "
                              "((count(hamlets, # == true) + count(hamlets, # == null)) / len(hamlets) < 0.7 ? 'fail' : 'unknown'))"),
    ]
    advanced = [
        ("cnc.dat_chuan_19_2", "v.ntm"),
        ("cnc.mo_hinh_camera", truth("now.security_camera_model")),
        ("cnc.xep_loai_phong_trao", "now.movement_rating == null ? 'unknown' : "
                                    "(now.movement_rating in ['xuat_sac', 'kha'] ? 'pass' : 'fail')"),
    ]
    model = [
        ("ckm.dat_nang_cao", "v.advanced"),
        ("ckm.tat_ca_thon_an_toan", "len(hamlets) == 0 ? 'unknown' : (some(hamlets, # == false) ? 'fail' : "
                                    "(some(hamlets, # == null) ? 'unknown' : 'pass'))"),
        ("ckm.phong_trao_xuat_sac", compare("now.movement_rating", "==", "'xuat_sac'")),
        ("ckm.giam_toi_pham_so_voi_2019", "now.social_order_crimes == null or base.social_order_crimes == null ? 'unknown' : "
                                          "(now.social_order_crimes <= base.social_order_crimes * (1 - 0.05) ? 'pass' : 'fail')"),
    ]
    return graph([
        expression_node("x192", "xa-ntm.19.2 conditions", c192),
        all_table("t192", "xa-ntm.19.2", [k for k, _ in c192], "v.ntm"),
        expression_node("xnc", "xa-ntm-nang-cao.19.2 conditions", advanced),
        all_table("tnc", "xa-ntm-nang-cao.19.2", [k for k, _ in advanced], "v.advanced"),
        expression_node("xkm", "xa-ntm-kieu-mau.antt conditions", model),
        all_table("tkm", "xa-ntm-kieu-mau.antt", [k for k, _ in model], "v.model"),
    ])


def district_graph():
    c94 = [
        ("h94.nghi_quyet_ke_hoach", "now.district_antt_resolution == false or now.district_antt_plan == false ? 'fail' : "
                                    "(now.district_antt_resolution == null or now.district_antt_plan == null ? 'unknown' : 'pass')"),
        ("h94.khong_khieu_kien", compare("now.district_mass_complaints", "==", "0")),
        ("h94.khong_tu_diem", compare("now.social_order_hotspots", "==", "0")),
        ("h94.kiem_che_toi_pham", "len(communes) == 0 or some(communes, #.now == null or #.last == null) ? 'unknown' : "
                                  "(sum(map(communes, #.now)) <= sum(map(communes, #.last)) ? 'pass' : 'fail')"),
        ("h94.luc_luong_vu_trang", truth("now.armed_forces_tasks_completed")),
        ("h94.tat_ca_xa_dat_19_2", "len(communes) == 0 ? 'unknown' : (some(communes, #.ntm == 'fail') ? 'fail' : "
                                   "(some(communes, #.ntm != 'pass') ? 'unknown' : 'pass'))"),
    ]
    c91 = [
        ("h91.dat_9_4", "v.d94"),
        ("h91.ty_le_xa_nang_cao", "len(communes) == 0 ? 'unknown' : "
                                  "(count(communes, #.advanced == 'pass') / len(communes) >= 0.5 ? 'pass' : "
                                  "((count(communes, #.advanced == 'pass') + count(communes, #.advanced != 'pass' and #.advanced != 'fail')) "
                                  "/ len(communes) < 0.5 ? 'fail' : 'unknown'))"),
    ]
    return graph([
        expression_node("x94", "huyen-ntm.9.4 conditions", c94),
        all_table("t94", "huyen-ntm.9.4", [k for k, _ in c94], "v.d94"),
        expression_node("x91", "huyen-ntm-nang-cao.9.1 conditions", c91),
        all_table("t91", "huyen-ntm-nang-cao.9.1", [k for k, _ in c91], "v.d91"),
    ])


# ---------------------------------------------------------------- data

def typed(name, text, bools, counts):
    if text == "":
        return None
    if name in bools:
        return text.lower() == "true"
    if name in counts:
        return int(text)
    return text


def read_rows(path, bools, counts):
    """{id: {year: {fact: value}}}, {id: parent id}, ids in order of first appearance."""
    facts, parent, order = {}, {}, []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for row in reader:
            record = dict(zip(header, row))
            entity = record["id"]
            if entity not in facts:
                facts[entity] = {}
                order.append(entity)
                parent[entity] = record.get("commune_id") or record.get("district_id") or record.get("province_id")
            if record["year"]:
                values = {k: typed(k, v, bools, counts) for k, v in record.items()
                          if k not in ("id", "name", "year", "group", "commune_id", "district_id", "province_id")}
                facts[entity][int(record["year"])] = {k: v for k, v in values.items() if v is not None}
    return facts, parent, order


def contexts(folder, year):
    communes, commune_district, commune_order = read_rows(os.path.join(folder, "communes.csv"), COMMUNE_BOOL, COMMUNE_COUNT)
    hamlets, hamlet_commune, hamlet_order = read_rows(os.path.join(folder, "hamlets.csv"), {"safe_antt"}, set())
    districts, _, district_order = read_rows(os.path.join(folder, "districts.csv"), DISTRICT_BOOL, DISTRICT_COUNT)
    by_commune = {}
    for h in hamlet_order:
        by_commune.setdefault(hamlet_commune[h], []).append(hamlets[h].get(year, {}).get("safe_antt"))
    commune_contexts = [(c, {"now": communes[c].get(year, {}), "last": communes[c].get(year - 1, {}),
                             "base": communes[c].get(2019, {}), "hamlets": by_commune.get(c, [])})
                        for c in commune_order]
    by_district = {}
    for c in commune_order:
        by_district.setdefault(commune_district[c], []).append(c)
    return commune_contexts, districts, district_order, by_district, communes


def performance_seconds(text):
    """ZEN's `performance` field ("27.8µs", "1.2ms", "850ns") in seconds."""
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("us", 1e-6), ("ms", 1e-3), ("s", 1.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    raise ValueError(text)


def run(engine, key, items, trace):
    """Evaluates every context; returns the results, the wall time and the sum of ZEN's own times.

    `ZenEngine.evaluate(key, context)` with a static loader is the binding's fast path (the decision
    is loaded once and cached); `ZenDecision.evaluate` is ten times slower per call in 2.1.3."""
    options = {"trace": True} if trace else None
    results = []
    own = 0.0
    start = time.perf_counter()
    for _, context in items:
        response = engine.evaluate(key, context, options) if options else engine.evaluate(key, context)
        results.append(response)
    wall = time.perf_counter() - start
    for response in results:
        own += performance_seconds(response["performance"])
    return results, wall, own


def main():
    parser = argparse.ArgumentParser(description="GoRules ZEN peer for criteria-bench")
    parser.add_argument("--data", required=True, help="the CSV folder of a generated province")
    parser.add_argument("--year", type=int, default=2024, help="the evaluated year (the as-of date's year)")
    parser.add_argument("--verdicts", help="criteria-bench's verdicts to compare with")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--graphs-out", help="write the two decision graphs (JDM) to this folder")
    args = parser.parse_args()

    commune_jdm, district_jdm = commune_graph(), district_graph()
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"commune": commune_jdm, "district": district_jdm}}})
    if args.graphs_out:
        os.makedirs(args.graphs_out, exist_ok=True)
        for name, jdm in (("commune.json", commune_jdm), ("district.json", district_jdm)):
            with open(os.path.join(args.graphs_out, name), "w", encoding="utf-8") as handle:
                json.dump(jdm, handle, ensure_ascii=False, indent=1)

    commune_items, districts, district_order, by_district, communes = contexts(args.data, args.year)
    n = len(commune_items)
    # Warm up (graph compilation and caches), then measure.
    for _, context in commune_items[:200]:
        engine.evaluate("commune", context)
        engine.evaluate("commune", context, {"trace": True})

    figures = {"zen_version": getattr(zen, "__version__", "2.1.3"), "zen_communes": n, "zen_districts": len(district_order)}
    verdicts = {}
    outcome_of = {}
    for trace in (False, True):
        results, wall, own = run(engine, "commune", commune_items, trace)
        if not trace:
            for (commune, _), response in zip(commune_items, results):
                v = response["result"]["v"]
                outcome_of[commune] = v
                verdicts[(commune, "xa-ntm.19.2")] = v["ntm"]
                verdicts[(commune, "xa-ntm-nang-cao.19.2")] = v["advanced"]
                verdicts[(commune, "xa-ntm-kieu-mau.antt")] = v["model"]
        district_items = []
        for d in district_order:
            members = by_district.get(d, [])
            district_items.append((d, {
                "now": districts[d].get(args.year, {}),
                "communes": [{"now": communes[c].get(args.year, {}).get("social_order_crimes"),
                              "last": communes[c].get(args.year - 1, {}).get("social_order_crimes"),
                              "ntm": outcome_of[c]["ntm"], "advanced": outcome_of[c]["advanced"]} for c in members]}))
        d_results, d_wall, d_own = run(engine, "district", district_items, trace)
        if not trace:
            for (d, _), response in zip(district_items, d_results):
                verdicts[(d, "huyen-ntm.9.4")] = response["result"]["v"]["d94"]
                verdicts[(d, "huyen-ntm-nang-cao.9.1")] = response["result"]["v"]["d91"]
        key = "traced" if trace else "untraced"
        figures[f"zen_{key}_binding_evals_per_s"] = n / (wall + d_wall)
        figures[f"zen_{key}_own_evals_per_s"] = n / (own + d_own)
        figures[f"zen_{key}_own_us_per_commune_graph"] = own / n * 1e6
        if trace:
            figures["zen_trace_nodes_per_commune"] = sum(len(r.get("trace") or {}) for r in results) / n

    if args.verdicts:
        expected = {}
        with open(args.verdicts, encoding="utf-8") as handle:
            for line in handle:
                entity, criterion, outcome = line.strip().split(",")
                expected[(entity, criterion)] = outcome
        mismatches = [(k, expected.get(k), v) for k, v in verdicts.items() if expected.get(k) != v]
        missing = [k for k in expected if k not in verdicts]
        figures["zen_verdicts"] = len(verdicts)
        figures["zen_agrees"] = not mismatches and not missing
        for k, e, v in mismatches[:10]:
            print(f"[zen] DISAGREE {k[0]} {k[1]}: criteria {e}, zen {v}", file=sys.stderr)
        for k in missing[:10]:
            print(f"[zen] MISSING {k[0]} {k[1]}", file=sys.stderr)
    print(json.dumps(figures, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))
    return 0 if figures.get("zen_agrees", True) else 1


if __name__ == "__main__":
    sys.exit(main())
