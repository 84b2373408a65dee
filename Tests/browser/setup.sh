#!/usr/bin/env bash
# Installs what Tests/browser/test_pages.py needs, and prints the Python to run it with:
# Debian's chromium and chromium-driver, and Selenium and axe-selenium-python (which ships axe-core,
# the accessibility checker) from PyPI in a virtual environment outside the source tree
# (CRITERIA_BROWSER_VENV, default ~/.cache/criteria-browser-venv). Safe to run again; once installed
# it needs no network.
set -euo pipefail

venv="${CRITERIA_BROWSER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/criteria-browser-venv}"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "setup.sh: installing chromium and chromium-driver (Debian)" >&2
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get update -qq >&2
    timeout 1200 apt-get install -y -qq chromium chromium-driver >&2
fi

# shellcheck source=../venv.sh
. "$(dirname "$0")/../venv.sh"
venv_with "$venv" selenium 'selenium>=4.10,<5' axe_selenium_python 'axe-selenium-python>=2.1.6,<4'

echo "$venv/bin/python"
