#!/bin/sh
# Builds the Python package as a user would (pip install, maturin underneath, into a
# fresh virtual environment) and runs its tests with pytest: the API, the datatrove step,
# the datasets helper and Spark in local mode (needs Java 17+ for Spark).
# SHARDSCRUB_PY_VENV=DIR reuses a virtual environment instead of a fresh one.
set -eu
cd "$(dirname "$0")"
venv="${SHARDSCRUB_PY_VENV:-$(mktemp -d)/venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check ".[test]"
# From tests/, not python/: there the source folder would shadow the installed package.
cd tests
"$venv/bin/pytest" -q
