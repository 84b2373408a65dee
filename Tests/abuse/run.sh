#!/usr/bin/env bash
# Load and abuse test of the built `criteria serve` (Tests/abuse/abuse.py): loopback only, Python's
# standard library only, at most 3 minutes. Usage: bash Tests/abuse/run.sh [path/to/criteria]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 200 python3 Tests/abuse/abuse.py "${1:-.build/debug/criteria}"
