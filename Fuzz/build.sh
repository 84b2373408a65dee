#!/bin/sh
# Builds the fuzz package: `build.sh sanitized [PRODUCT…]` builds the libFuzzer targets with
# AddressSanitizer into .build-fuzz; `build.sh plain` builds FuzzReplay without sanitizers into
# .build-replay. Used by run.sh and replay.sh.
set -eu
cd "$(dirname "$0")"
mode=$1
shift
case "$mode" in
    sanitized)
        products=${*:-RuleFileFuzz ExpressionFuzz EvaluatorFuzz}
        for product in $products; do
            swift build -c release --scratch-path .build-fuzz --product "$product" \
                -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
                -Xcc -fsanitize=fuzzer-no-link,address
        done ;;
    plain)
        swift build -c release --scratch-path .build-replay --product FuzzReplay ;;
    *) echo "usage: $0 sanitized [PRODUCT…] | plain" >&2; exit 64 ;;
esac
