# Sourced by the test scripts that need Python packages from PyPI (Tests/browser/setup.sh,
# Tests/contract/run.sh): one way to make a virtual environment and install into it.
#
#   venv_with DIR MODULE SPEC [MODULE SPEC …]
#
# creates the virtual environment DIR when it is missing, and installs each SPEC (a pip requirement)
# whose MODULE does not import yet. Safe to run again; once installed it needs no network. Writes
# its progress on standard error only, so a caller's standard output stays its own.
venv_with() {
    local venv=$1
    shift
    if [ ! -x "$venv/bin/python" ]; then
        echo "venv: creating $venv" >&2
        python3 -m venv "$venv" >&2
    fi
    while [ $# -ge 2 ]; do
        if ! "$venv/bin/python" -c "import $1" >/dev/null 2>&1; then
            echo "venv: installing $2 (PyPI) into $venv" >&2
            timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check "$2" >&2
        fi
        shift 2
    done
}
