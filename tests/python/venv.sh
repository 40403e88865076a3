# Sourced by the python tests: makes (once) the virtual environment $venv with `python -m venv`
# from the interpreter the module was built for, and installs the packages named in "$@" from the
# package index. Exits 77 (ctest: skipped) with the reason when either step fails.
make_venv() {
  local python=$1; shift
  if "$venv/bin/python" -c "import $(IFS=,; echo "${modules[*]}")" 2>/dev/null; then return 0; fi
  if ! "$python" -m venv "$venv" >/dev/null; then
    echo "skipped: '$python -m venv $venv' failed (Debian: apt-get install python3-venv)"
    exit 77
  fi
  if ! "$venv/bin/pip" install -q "$@"; then
    echo "skipped: pip could not install $* into $venv (no package index reachable?)"
    exit 77
  fi
}
