#!/bin/sh
# Builds the fuzz package: `build.sh sanitized [PRODUCT…]` builds the libFuzzer targets in release
# with AddressSanitizer into .build-fuzz (about 3 minutes from clean on 2 cores); `build.sh plain`
# builds FuzzReplay in debug without sanitizers into .build-replay (about 45 seconds from clean).
# Used by run.sh and replay.sh. The fuzzers link with lld: gold fails on them ("internal error in
# format_file_lineno").
set -eu
cd "$(dirname "$0")"
mode=$1
shift
case "$mode" in
    sanitized)
        products=${*:-RuleFileFuzz ExpressionFuzz EvaluatorFuzz DatasetFuzz XLSXFuzz MultipartFuzz HTTPFuzz}
        for product in $products; do
            swift build -c release --scratch-path .build-fuzz --product "$product" \
                -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
                -Xcc -fsanitize=fuzzer-no-link,address
        done ;;
    plain)
        swift build --scratch-path .build-replay --product FuzzReplay ;;
    *) echo "usage: $0 sanitized [PRODUCT…] | plain" >&2; exit 64 ;;
esac
