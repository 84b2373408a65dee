#!/usr/bin/env python3
"""Runs the whole benchmark — Criteria, the hand-written limit and GoRules ZEN on the same generated
province — checks that they agree record for record, and prints every figure with its target.

    python3 Benchmarks/run.py                      # 100,000 communes (figures in Docs/performance.md)
    python3 Benchmarks/run.py --communes 2000 --runs 3 --quick     # a fast look

What it does, in order:
1. builds `criteria` (root package) and `criteria-bench` (Benchmarks/) in release mode;
2. generates the provinces with Benchmarks/generate.py under --out (default
   $TMPDIR/criteria-bench): the main one (--communes, CSV) and a small one (--small-communes, every
   format) for the JSON/YAML figures; a province already generated with the same script is reused;
3. makes a virtual environment outside the source tree (~/.cache/criteria-bench/zen-venv) with
   zen-engine 2.1.3 from PyPI, if it is not there yet;
4. runs criteria-bench (--json) and Benchmarks/zen_bench.py, then times the `criteria` command
   itself (lint, check of one commune, check of the whole province: wall time and peak memory);
5. prints the figures, the ratios and each target met or missed, and writes them all to
   OUT/results.json. It exits 1 if any two of Criteria, the hand-written code and ZEN disagree on a
   verdict.

The machine's load (`uptime`) is recorded before and after: measure when it is low.
"""

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ZEN_VERSION = "2.1.3"
AS_OF = "2024-12-31"
# The workload: the 2021–2025 rule set as it stood when the benchmark was written, kept here so that a
# change of the law in Rules/ does not change what is measured.
RULES = os.path.join(HERE, "workload", "Rules")


def log(message):
    print(f"[run] {message}", file=sys.stderr, flush=True)


def sh(args, cwd=ROOT, capture=True, check=True):
    result = subprocess.run(args, cwd=cwd, capture_output=capture, text=True)
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout or "")
        sys.stderr.write(result.stderr or "")
        sys.exit(f"command failed ({result.returncode}): {' '.join(args)}")
    return result


def load():
    with open("/proc/loadavg") as handle:
        return [float(x) for x in handle.read().split()[:3]]


def build():
    log("building criteria (release)")
    sh(["swift", "build", "-c", "release", "--product", "criteria"])
    log("building criteria-bench (release)")
    # SwiftPM caches the file list of a path dependency; replanning picks up files added to the engine.
    for stale in ("release.yaml",):
        path = os.path.join(HERE, ".build", stale)
        if os.path.exists(path):
            os.remove(path)
    sh(["swift", "build", "-c", "release"], cwd=HERE)
    bin_root = sh(["swift", "build", "-c", "release", "--show-bin-path"]).stdout.strip()
    bin_bench = sh(["swift", "build", "-c", "release", "--show-bin-path"], cwd=HERE).stdout.strip()
    return os.path.join(bin_root, "criteria"), os.path.join(bin_bench, "criteria-bench")


def generate(out, communes, formats):
    folder = os.path.join(out, str(communes))
    with open(os.path.join(HERE, "generate.py"), "rb") as handle:
        stamp = hashlib.sha256(handle.read() + formats.encode()).hexdigest()
    stamp_path = os.path.join(folder, ".stamp")
    if os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        log(f"reusing {folder}")
        return folder
    log(f"generating {communes} communes ({formats}) in {folder}")
    if os.path.exists(folder):
        shutil.rmtree(folder)
    sh([sys.executable, os.path.join(HERE, "generate.py"), "--communes", str(communes), "--out", folder,
        "--formats", formats], capture=True)
    with open(stamp_path, "w") as handle:
        handle.write(stamp)
    return folder


def zen_python():
    venv = os.path.join(os.path.expanduser("~"), ".cache", "criteria-bench", "zen-venv")
    python = os.path.join(venv, "bin", "python")
    ok = os.path.exists(python) and subprocess.run(
        [python, "-c", f"import importlib.metadata as m; assert m.version('zen-engine') == '{ZEN_VERSION}'"],
        capture_output=True).returncode == 0
    if not ok:
        log(f"installing zen-engine {ZEN_VERSION} into {venv}")
        sh([sys.executable, "-m", "venv", venv])
        sh([python, "-m", "pip", "install", "--quiet", f"zen-engine=={ZEN_VERSION}"])
    return python


def timed(args, runs):
    """Median wall time (s) and the largest peak memory (MB) of `runs` runs of a command."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(args)} failed: {result.stderr[-2000:]}")
    return statistics.median(times), max(peaks)


def markdown(f, targets):
    """The figures as the Markdown tables of Docs/performance.md."""
    def n(key, digits=0):
        value = f.get(key)
        if value is None:
            return "—"
        return f"{value:,.{digits}f}"
    rows = [
        ("Rule loading + checking of Rules/ (in process)", n("rule_load_ms", 1) + " ms"),
        ("Verdicts only, 1 core", n("verdict_evals_per_s") + " communes/s"),
        ("Verdicts only, 2 cores", n("verdict_evals_per_s_all_cores") + " communes/s"),
        ("Parallel speed-up, verdicts", n("parallel_speedup", 2) + "×"),
        ("With short explanations, 1 core", n("explain_evals_per_s") + " communes/s"),
        ("With short explanations, 2 cores", n("explain_evals_per_s_all_cores") + " communes/s"),
        ("Parallel speed-up, explanations", n("parallel_speedup_explain", 2) + "×"),
        ("With full explanation trees, 1 core", n("full_explain_evals_per_s") + " communes/s"),
        ("With full explanation trees, 2 cores", n("full_explain_evals_per_s_all_cores") + " communes/s"),
        ("Hand-written, verdicts, 1 core", n("handwritten_verdict_evals_per_s") + " communes/s"),
        ("Hand-written, with explanation tree, 1 core", n("handwritten_explain_evals_per_s") + " communes/s"),
        ("ZEN 2.1.3, own time, untraced", n("zen_untraced_own_evals_per_s") + " communes/s"),
        ("ZEN 2.1.3, own time, traced", n("zen_traced_own_evals_per_s") + " communes/s"),
        ("ZEN 2.1.3, through the Python binding, untraced", n("zen_untraced_binding_evals_per_s") + " communes/s"),
        ("ZEN 2.1.3, through the Python binding, traced", n("zen_traced_binding_evals_per_s") + " communes/s"),
        ("CSV folder, all tables", n("csv_records_per_s") + " rows/s (" + n("csv_read_s", 2) + " s)"),
        ("CSV folder, per commune row (hamlet rows charged to their commune)", n("csv_commune_rows_per_s") + " rows/s"),
        ("CSV folder without hamlets.csv (province, district and commune rows)", n("csv_communes_only_rows_per_s") + " rows/s (" + n("csv_communes_only_s", 2) + " s)"),
        ("JSON (small province)", n("json_records_per_s") + " records/s"),
        ("Foundation JSONDecoder, same file", n("foundation_json_records_per_s") + " records/s"),
        ("YAML (small province, size limit raised)", n("yaml_records_per_s") + " records/s"),
        ("JSON output of every verdict with its short explanation (small province)", n("json_output_verdicts_per_s") + " verdicts/s, " + n("json_output_mb_per_s", 1) + " MB/s"),
        ("`criteria lint Rules`, whole process", n("cli_lint_s", 3) + " s"),
        ("`criteria check` of one commune, whole process", n("cli_check_one_s", 3) + " s"),
        ("`criteria check` of the province, text", n("cli_check_province_text_s", 2) + " s, " + n("cli_check_province_text_peak_mb") + " MB peak"),
        ("`criteria check` of the province, JSON", n("cli_check_province_json_s", 2) + " s, " + n("cli_check_province_json_peak_mb") + " MB peak"),
        ("`criteria check` beyond reading the dataset, peak, large / small province", n("check_over_dataset_big_mb") + " MB / " + n("check_over_dataset_small_mb") + " MB"),
        ("Reading the dataset alone, peak, large / small province", n("dataset_read_big_peak_mb") + " MB / " + n("dataset_read_small_peak_mb") + " MB"),
        ("Peak memory of criteria-bench", n("peak_memory_mb") + " MB"),
    ]
    ratios = [
        ("Hand-written ÷ Criteria, verdicts", n("handwritten_vs_verdicts", 1) + "×"),
        ("Hand-written ÷ Criteria, explanations", n("handwritten_vs_explain", 1) + "×"),
        ("Criteria explanations ÷ ZEN own traced", n("explain_vs_zen_traced_own", 1) + "×"),
        ("Criteria explanations ÷ ZEN traced through Python", n("explain_vs_zen_traced_binding", 1) + "×"),
        ("Criteria verdicts ÷ ZEN own untraced", n("verdicts_vs_zen_untraced_own", 1) + "×"),
        ("JSON reader ÷ JSONDecoder", n("json_vs_foundation", 2) + "×"),
    ]
    out = ["| figure | value |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows]
    out += ["", "| ratio | value |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in ratios]
    out += ["", "| target | |", "| --- | --- |"] + [f"| {name} | {'met' if met else '**missed**'} |" for name, met in targets]
    out += ["", f"Province: {f['communes']:,} communes, {f['districts']:,} districts, {f['hamlets']:,} hamlets, "
            f"{f['records']:,} entity-year records; small province: {f['small_records']:,} records. "
            f"{f['cores']} cores; load average before {f['load_before']}, after {f['load_after']}. "
            f"Verdicts agree (Criteria, hand-written, ZEN, {f.get('zen_verdicts', 0):,} verdicts): "
            f"{'yes' if f.get('agree') else 'NO'}."]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communes", type=int, default=100_000)
    parser.add_argument("--small-communes", type=int, default=10_000)
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "criteria-bench"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="skip the whole-process check of the large province")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    load_before = load()
    criteria, bench = (os.path.join(ROOT, ".build/release/criteria"), os.path.join(HERE, ".build/release/criteria-bench")) \
        if args.no_build else build()
    big = generate(args.out, args.communes, "csv")
    small = generate(args.out, args.small_communes, "yaml,json,csv")
    python = zen_python()

    verdicts = os.path.join(args.out, f"verdicts-{args.communes}.csv")
    log("criteria-bench")
    result = sh([bench, "--data", big, "--small-data", small, "--rules", RULES, "--as-of", AS_OF, "--runs", str(args.runs),
                 "--verdicts-out", verdicts, "--json"], check=False)
    sys.stderr.write(result.stderr)
    figures = json.loads(result.stdout)
    if result.returncode != 0:
        figures["handwritten_agrees"] = False

    log("zen")
    zen = sh([python, os.path.join(HERE, "zen_bench.py"), "--data", os.path.join(big, "csv"), "--year", AS_OF[:4],
              "--verdicts", verdicts, "--json"], check=False)
    sys.stderr.write(zen.stderr)
    figures.update(json.loads(zen.stdout))

    log("criteria lint / check (whole process)")
    cli_runs = max(5, args.runs)
    figures["cli_lint_s"], _ = timed([criteria, "lint", RULES], cli_runs)
    figures["cli_check_one_s"], _ = timed([criteria, "check", os.path.join(big, "commune", "commune.yaml"), "--rules", RULES, "--as-of", AS_OF], cli_runs)
    if not args.quick:
        log("criteria check of the whole province (whole process; it writes as it evaluates)")
        for fmt in ("text", "json"):
            t, peak = timed([criteria, "check", os.path.join(big, "csv"), "--rules", RULES, "--as-of", AS_OF, "--format", fmt], 3)
            figures[f"cli_check_province_{fmt}_s"] = t
            figures[f"cli_check_province_{fmt}_peak_mb"] = peak
        # Does the check's memory grow with the communes beyond the dataset it reads? Its peak at the
        # small size too, and the peak of reading each dataset alone.
        _, figures["cli_check_small_text_peak_mb"] = timed([criteria, "check", os.path.join(small, "csv"), "--rules", RULES, "--as-of", AS_OF], 1)
        for key, folder in (("big", big), ("small", small)):
            out = sh([bench, "--data", folder, "--rules", RULES, "--as-of", AS_OF, "--skip", "all"]).stdout
            figures[f"dataset_read_{key}_peak_mb"] = float(out.split(": ")[-1].split(" MB")[0])
        figures["check_over_dataset_big_mb"] = figures["cli_check_province_text_peak_mb"] - figures["dataset_read_big_peak_mb"]
        figures["check_over_dataset_small_mb"] = figures["cli_check_small_text_peak_mb"] - figures["dataset_read_small_peak_mb"]
    figures["load_before"] = load_before
    figures["load_after"] = load()

    f = figures
    ratios = {
        "handwritten_vs_verdicts": f["handwritten_verdict_evals_per_s"] / f["verdict_evals_per_s"],
        "handwritten_vs_explain": f["handwritten_explain_evals_per_s"] / f["explain_evals_per_s"],
        "explain_vs_zen_traced_own": f["explain_evals_per_s"] / f["zen_traced_own_evals_per_s"],
        "explain_vs_zen_traced_binding": f["explain_evals_per_s"] / f["zen_traced_binding_evals_per_s"],
        "verdicts_vs_zen_untraced_own": f["verdict_evals_per_s"] / f["zen_untraced_own_evals_per_s"],
    }
    figures.update(ratios)
    targets = [
        ("verdicts only ≥ 2,000,000 communes/s on one core", f["verdict_evals_per_s"] >= 2_000_000),
        ("verdicts ≤ 5× slower than hand-written", ratios["handwritten_vs_verdicts"] <= 5),
        ("explanations ≥ 300,000 communes/s on one core", f["explain_evals_per_s"] >= 300_000),
        ("explanations ≤ 3× slower than hand-written with explanations", ratios["handwritten_vs_explain"] <= 3),
        ("full explanation trees ≥ 150,000 communes/s on one core", f["full_explain_evals_per_s"] >= 150_000),
        ("explanations ≥ 5× ZEN's own traced rate", ratios["explain_vs_zen_traced_own"] >= 5),
        (f"both cores ≥ 1.7× one core ({f['communes']:,} communes)", f["parallel_speedup"] >= 1.7),
        ("CSV ≥ 500,000 commune rows/s (commune tables without hamlets.csv)", f["csv_communes_only_rows_per_s"] >= 500_000),
        ("CSV ≥ 500,000 commune rows/s (whole folder, hamlet rows charged to communes)", f["csv_commune_rows_per_s"] >= 500_000),
        ("JSON reader ≥ 4× Foundation's JSONDecoder", f["json_vs_foundation"] >= 4),
        ("rule loading + checking < 20 ms in process", f["rule_load_ms"] < 20),
        ("criteria lint Rules < 100 ms whole process", f["cli_lint_s"] < 0.1),
        ("criteria check (one commune) < 50 ms whole process", f["cli_check_one_s"] < 0.05),
    ]
    if not args.quick:
        targets += [
            ("criteria check (province) < 3 s wall", f["cli_check_province_text_s"] < 3),
            ("criteria check (province) peak memory < 500 MB", f["cli_check_province_text_peak_mb"] < 500),
        ]
    agree = bool(f.get("handwritten_agrees")) and bool(f.get("zen_agrees"))
    figures["agree"] = agree
    figures["targets"] = {name: met for name, met in targets}
    with open(os.path.join(args.out, "results.json"), "w") as handle:
        json.dump(figures, handle, indent=1, ensure_ascii=False)

    with open(os.path.join(args.out, "results.md"), "w") as handle:
        handle.write(markdown(figures, targets))

    width = max(len(k) for k in figures)
    for key, value in figures.items():
        if key == "targets":
            continue
        shown = f"{value:,.4g}" if isinstance(value, float) else str(value)
        print(f"{key.ljust(width)}  {shown}")
    print()
    for name, met in targets:
        print(f"{'MET   ' if met else 'MISSED'}  {name}")
    print(f"\nverdicts agree (Criteria, hand-written, ZEN): {'yes' if agree else 'NO'}")
    print(f"load average before {load_before}, after {figures['load_after']}; results in {args.out}/results.json")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
