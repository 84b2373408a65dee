#!/bin/sh
# Fuzz one target for a given time with libFuzzer, under AddressSanitizer.
#
#   Fuzz/run.sh TARGET SECONDS [libFuzzer options…]
#
# TARGET is ruleFile, expression, evaluator, dataset, multipart or http (or RuleFileFuzz, ExpressionFuzz,
# EvaluatorFuzz, DatasetFuzz, MultipartFuzz, HTTPFuzz).
# The working corpus grows in Fuzz/corpus/TARGET (not committed); the seeds in Fuzz/seeds/TARGET are
# read, never written. A crash, trap, timeout (> 5 s for one input) or broken property is written to
# Fuzz/findings/TARGET/ and stops the run with a non-zero status: add the file to the seeds as
# finding-<what> once it is fixed. See Docs/fuzzing.md.
set -eu
cd "$(dirname "$0")"
[ $# -ge 2 ] || { echo "usage: $0 ruleFile|expression|evaluator|dataset|xlsx|multipart|http SECONDS [libFuzzer options…]" >&2; exit 64; }
case "$1" in
    ruleFile|RuleFileFuzz) name=ruleFile; exe=RuleFileFuzz; max_len=4096 ;;
    expression|ExpressionFuzz) name=expression; exe=ExpressionFuzz; max_len=4096 ;;
    evaluator|EvaluatorFuzz) name=evaluator; exe=EvaluatorFuzz; max_len=2048 ;;
    dataset|DatasetFuzz) name=dataset; exe=DatasetFuzz; max_len=4096 ;;
    xlsx|XLSXFuzz) name=xlsx; exe=XLSXFuzz; max_len=65536 ;;
    multipart|MultipartFuzz) name=multipart; exe=MultipartFuzz; max_len=65536 ;;
    http|HTTPFuzz) name=http; exe=HTTPFuzz; max_len=8192 ;;
    *) echo "unknown target '$1': ruleFile, expression, evaluator, dataset, xlsx, multipart or http" >&2; exit 64 ;;
esac
seconds=$2
shift 2
./build.sh sanitized "$exe"
mkdir -p "corpus/$name" "findings/$name"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export CRITERIA_FUZZ_RULES="${CRITERIA_FUZZ_RULES:-$(cd .. && pwd)/Rules}"
exec ".build-fuzz/release/$exe" "corpus/$name" "seeds/$name" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len="$max_len" \
    -artifact_prefix="findings/$name/" -print_final_stats=1 -detect_leaks=0 "$@"
