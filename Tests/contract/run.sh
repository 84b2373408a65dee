#!/usr/bin/env bash
# The API contract against the running server: schemathesis (PyPI) generates requests from
# /v1/openapi.yaml for every operation, sends them to the built `criteria serve` (127.0.0.1, a free
# port, a fresh database in a temporary folder) and checks every answer: no 500, a status, media
# type, headers and body the document describes (jsonschema), bad input refused. Bounded in time
# (CRITERIA_CONTRACT_SECONDS, default 120 s of generation, plus the setup). See Docs/server.md, "Tests".
#
#   bash Tests/contract/run.sh .build/debug/criteria
#
# schemathesis is installed into a virtual environment under .build/ (CRITERIA_CONTRACT_VENV), as
# Tests/browser/setup.sh does for Selenium. Exit status 0 when every check held.
set -euo pipefail
cd "$(dirname "$0")/../.."
criteria="${1:-.build/debug/criteria}"
seconds="${CRITERIA_CONTRACT_SECONDS:-120}"
venv="${CRITERIA_CONTRACT_VENV:-.build/schemathesis-venv}"

# shellcheck source=../venv.sh
. Tests/venv.sh
venv_with "$venv" schemathesis 'schemathesis>=4.32,<5'

work="$(mktemp -d)"
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$criteria" serve --rules Rules --examples Examples --database "$work/decisions.sqlite" --port "$port" \
    > "$work/server.log" 2>&1 &
server=$!
stop() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('$base/v1/status', timeout=2)" 2>/dev/null; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; echo "contract: the server did not start" >&2; exit 1; fi
    sleep 0.2
done

# Every check schemathesis has, but those about authentication and object ownership (the API has
# neither) and `positive_data_acceptance`, which expects any request the schema allows to succeed:
# the schema cannot say that an evaluation date must be one the rules know, or that a dataset must
# be a dataset. Seeded, so that a failure can be run again with the same requests.
status=0
timeout $((seconds + 120)) "$venv/bin/schemathesis" --config-file Tests/contract/schemathesis.toml run "$base/v1/openapi.yaml" --url "$base" \
    --checks all --exclude-checks ignored_auth,object_level_authorization,positive_data_acceptance \
    --max-time "$seconds" --workers 1 --request-timeout 15 --seed 16018 \
    --suppress-health-check too_slow,filter_too_much \
    --report junit --report-dir "$work/report" || status=$?
if [ "$status" -ne 0 ]; then
    echo "contract: schemathesis found breaches (exit $status); the server's log:" >&2
    tail -n 40 "$work/server.log" >&2
fi
exit "$status"
