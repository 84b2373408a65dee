#!/usr/bin/env bash
# CI smoke test of the benchmark: builds criteria-bench and runs every part of it once on a tiny
# generated province, so that the harness cannot rot. It checks that Criteria, the hand-written
# baseline and (when zen-engine can be installed) GoRules ZEN give the same verdicts; it measures
# nothing worth reading. The real figures come from Benchmarks/run.py (Docs/performance.md).
#
#   Benchmarks/ci-smoke.sh            # from the repository root; under two minutes from cold
#
# It builds in release mode (about 1.5 minutes from a cold cache on two cores); BENCH_CONFIG=debug builds
# in debug mode instead.
set -euo pipefail
cd "$(dirname "$0")/.."

config="${BENCH_CONFIG:-release}"
work="$(mktemp -d "${TMPDIR:-/tmp}/criteria-bench-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== criteria-bench: build ($config)"
# SwiftPM caches the file list of a path dependency; a new engine file needs a fresh plan.
rm -f "Benchmarks/.build/$config.yaml"
swift build --package-path Benchmarks -c "$config" 2>&1 | tail -n 1
bench="$(swift build --package-path Benchmarks -c "$config" --show-bin-path)/criteria-bench"

echo "== generate a tiny province"
python3 Benchmarks/generate.py --communes 150 --out "$work/data"

echo "== criteria-bench (one run of every figure)"
"$bench" --data "$work/data" --rules Benchmarks/workload/Rules --runs 1 --verdicts-out "$work/verdicts.csv" --json > "$work/bench.json"
python3 - "$work/bench.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
keys = ["rule_load_ms", "verdict_evals_per_s", "explain_evals_per_s", "full_explain_evals_per_s", "handwritten_verdict_evals_per_s",
        "handwritten_explain_evals_per_s", "csv_records_per_s", "json_records_per_s", "parallel_speedup"]
missing = [k for k in keys if k not in f]
assert not missing, f"missing keys: {missing}"
assert f["handwritten_agrees"], "the hand-written baseline disagrees with Criteria"
print(f"ok: {f['verdicts']} verdicts; Criteria and the hand-written baseline agree")
PY

echo "== ZEN peer"
venv="${HOME}/.cache/criteria-bench/zen-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import zen" 2>/dev/null; then
  python3 -m venv "$venv" && timeout 120 "$venv/bin/python" -m pip install --quiet "zen-engine==2.1.3" || true
fi
if "$venv/bin/python" -c "import zen" 2>/dev/null; then
  "$venv/bin/python" Benchmarks/zen_bench.py --data "$work/data/csv" --year 2024 --verdicts "$work/verdicts.csv" \
    | grep -E "zen_agrees|zen_verdicts"
else
  echo "skipped: zen-engine 2.1.3 could not be installed (no network?)"
fi
