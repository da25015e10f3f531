#!/usr/bin/env bash
# Installs everything the LeanDesk core build and its test suites need on Debian 12 (bookworm).
#
# Idempotent: it asks dpkg and Python what is already there and installs only what is missing; when
# everything is present it changes nothing and touches no network. Runs non-interactively as root,
# or through sudo otherwise.
#
# To add a dependency, add one line to DEBIAN_PACKAGES or PYTHON_PACKAGES below.
set -euo pipefail

# Debian packages for the build, every test suite, the bindings and the tooling around them.
DEBIAN_PACKAGES=(
    # toolchain
    cmake
    ninja-build
    g++
    clang
    libclang-rt-14-dev
    clang-format
    clang-tidy
    pkg-config
    ccache
    # engine dependencies
    libsqlite3-dev
    sqlite3
    libsodium-dev
    nlohmann-json3-dev
    libcurl4-openssl-dev
    libxlsxwriter-dev
    libcpp-httplib-dev
    libboost-dev
    libssl-dev
    openssl
    # bindings
    pybind11-dev
    swig
    # tests and benchmarks
    libgtest-dev
    libgmock-dev
    libbenchmark-dev
    kotlin
    junit4
    libandroid-json-java
    # ABI checks and API docs
    abigail-tools
    doxygen
)

# Python packages for the Python test suites, as "pip-name:import-name".
PYTHON_PACKAGES=(
    pytest:pytest
    jsonschema:jsonschema
    # reading exported workbooks back, and the comparison benchmark (tests/export)
    openpyxl:openpyxl
    # a real SMTP server on loopback for the e-mail tests
    aiosmtpd:aiosmtpd
    # building the Python binding (bindings/python) and its wheel
    scikit-build-core:scikit_build_core
    pybind11:pybind11
    build:build
    # type-checking the Python binding and its stubs (bindings/python/run.sh)
    mypy:mypy
)

log() { printf '[setup] %s\n' "$*"; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root for: $*  (run as root or install sudo)" >&2
        return 1
    fi
}

is_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# ---- Debian packages --------------------------------------------------------------------------
if ! command -v dpkg-query >/dev/null 2>&1; then
    log "this script expects Debian 12 (dpkg/apt); install the packages listed in it by hand" >&2
    exit 1
fi

# Python itself, when there is none on the PATH (the project is also used with a pyenv Python).
if ! command -v python3 >/dev/null 2>&1; then
    DEBIAN_PACKAGES+=(python3 python3-pip)
fi

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    log "installing ${#missing[@]} Debian package(s): ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
else
    log "all ${#DEBIAN_PACKAGES[@]} Debian packages present"
fi

# ---- Python packages --------------------------------------------------------------------------
# One interpreter start for all of them: it prints the pip names whose module cannot be found.
mapfile -t missing_py < <(python3 - "${PYTHON_PACKAGES[@]}" <<'PY'
import importlib.util, sys
for entry in sys.argv[1:]:
    pip_name, _, module = entry.partition(":")
    if importlib.util.find_spec(module or pip_name) is None:
        print(pip_name)
PY
)

if ((${#missing_py[@]})); then
    log "installing ${#missing_py[@]} Python package(s): ${missing_py[*]}"
    pip_args=(--quiet --disable-pip-version-check)
    if python3 -c 'import sys; sys.exit(0 if sys.prefix == "/usr" else 1)'; then
        # Debian's own Python is externally managed (PEP 668) and lacks some of these packages
        # (scikit-build-core): pip installs them beside Debian's, for root only.
        is_installed python3-pip || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
            -qq --no-install-recommends python3-pip
        pip_args+=(--break-system-packages)
    fi
    python3 -m pip install "${pip_args[@]}" "${missing_py[@]}"
else
    log "all ${#PYTHON_PACKAGES[@]} Python packages present"
fi

# ---- Tools that do not come from apt ----------------------------------------------------------
# Swift (for the Swift binding, later) is a toolchain tarball, not a Debian package; it is looked
# for on the PATH and in /opt/swift/usr/bin. Its absence is not an error here.
if ! command -v swift >/dev/null 2>&1 && [[ ! -x /opt/swift/usr/bin/swift ]]; then
    log "note: no Swift toolchain found (only the Swift suite needs one)"
fi
