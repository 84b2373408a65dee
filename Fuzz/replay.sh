#!/bin/sh
# Builds the fuzz targets and runs every seed of Fuzz/seeds once, as CI does.
#
#   Fuzz/replay.sh            plain build (no sanitizers): FuzzReplay feeds each seed through the
#                             same entry point as the fuzzers
#   Fuzz/replay.sh sanitized  the libFuzzer targets under AddressSanitizer, with -runs=0
#
# Exit status 0 when every seed ran without a crash, trap or broken property.
set -eu
cd "$(dirname "$0")"
mode=${1:-plain}
export CRITERIA_FUZZ_RULES="${CRITERIA_FUZZ_RULES:-$(cd .. && pwd)/Rules}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
./build.sh "$mode"
for pair in ruleFile:RuleFileFuzz expression:ExpressionFuzz evaluator:EvaluatorFuzz dataset:DatasetFuzz xlsx:XLSXFuzz multipart:MultipartFuzz http:HTTPFuzz; do
    name=${pair%%:*}
    exe=${pair##*:}
    case "$mode" in
        plain) .build-replay/debug/FuzzReplay "$name" "seeds/$name" ;;
        sanitized)
            log=$(mktemp)
            if ! ".build-fuzz/release/$exe" -runs=0 -timeout=5 -rss_limit_mb=2048 "seeds/$name" > "$log" 2>&1; then
                cat "$log"
                rm -f "$log"
                exit 1
            fi
            echo "$name: $(tail -n 1 "$log")"
            rm -f "$log" ;;
    esac
done
