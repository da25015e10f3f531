#!/usr/bin/env bash
# Sets up the machine, builds LeanDesk core and runs every test suite, then prints a summary.
#
#   scripts/test.sh [suite...]     # no suite: all of them (what CI runs)
#   LEANDESK_QUICK=1 scripts/test.sh       # all but the fuzz and sanitizer suites, which each
#                                          # need a build of their own (a faster local run)
#
# The last line of output is always "N passed, M failed" (counting the build and the suites; a
# suite turned off by a build option shows as SKIP and counts in neither); the exit status is
# non-zero when anything failed. Each suite's full output goes to
# $BUILD_DIR/logs/<suite>.log; the tail of it is printed when the suite fails.
#
# Environment: BUILD_DIR (default build), JOBS (default: number of cores), TAIL_LINES (lines of a
# failed suite's log to show; default 40, 200 when CI is set), LEANDESK_SERVER (the leandesk-server
# the bindings' sync tests start; default: the one of this build) and what scripts/build.sh reads.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

export BUILD_DIR=${BUILD_DIR:-build}
export JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
[[ -n ${CI:-} && ${CI} != false ]] && TAIL_LINES=${TAIL_LINES:-200}
TAIL_LINES=${TAIL_LINES:-40}
BUILD_ABS=$(mkdir -p "$BUILD_DIR" && cd "$BUILD_DIR" && pwd)
LOG_DIR=$BUILD_ABS/logs
# What a suite's tests may want to know.
export LEANDESK_SOURCE_DIR=$ROOT LEANDESK_BUILD_DIR=$BUILD_ABS
# The sync server the bindings' end-to-end tests start on loopback (built with the library).
export LEANDESK_SERVER=${LEANDESK_SERVER:-$BUILD_ABS/src/server/leandesk-server}

# ---- the suites ------------------------------------------------------------------------------
# One line per suite:  suite <name> <runner> <folder>
# A suite is listed only when its folder exists. Runners are the run_* functions further down:
#   run_engine_ctest  the GoogleTest engine tests, and any ctest test that no other suite claims
#   run_ctest         the ctest tests registered by <folder>/CMakeLists.txt
#   run_pytest        pytest on <folder>
#   run_folder        ctest if <folder> registers ctest tests, else pytest if it holds Python tests
#   run_script        <folder>/run.sh, for suites with their own build (bindings, sanitizers, fuzz)
declare_suites() {
    suite engine  run_engine_ctest tests/cpp
    suite c-api   run_ctest        tests/c
    suite package run_ctest        tests/package
    suite schema  run_folder       tests/schema
    suite bench   run_ctest        tests/bench
    suite hpp     run_ctest        tests/hpp
    suite abi     run_ctest        tests/abi
    suite swift   run_swift        bindings/swift
    suite kotlin  run_kotlin       bindings/kotlin
    suite python  run_script       bindings/python
    suite export  run_folder       tests/export
    suite sync    run_folder       tests/sync
    suite faults  run_folder       tests/faults
    # Extended checks, each with a build of its own (clang + libFuzzer; ASan + UBSan): always in
    # CI; left out with LEANDESK_QUICK=1 unless named (scripts/test.sh fuzz sanitize).
    extended_suite fuzz     run_script tests/fuzz
    extended_suite sanitize run_script tests/sanitizers
    # The library built as an integrator would (plain Release) and its ABI check.
    extended_suite release  run_script tests/release
    # Any other folder of Python tests (test_*.py or *_test.py) becomes a suite of its own.
    local dir
    for dir in tests/*/; do
        dir=${dir%/}
        is_listed "$dir" || ! has_python_tests "$dir" || suite "$(basename "$dir")" run_folder "$dir"
    done
}

# ---- runners: each gets the folder, writes to stdout/stderr (captured in the log) and returns 0
# ---- when the suite passed, 77 when it was skipped, anything else when it failed.

# The ctest tests defined directly by a folder's CMakeLists.txt (and its subfolders).
run_ctest() {
    if [[ ! -f $ROOT/$1/CMakeLists.txt ]]; then
        echo "$1 has no CMakeLists.txt: nothing registers its tests"
        return 1
    fi
    if ! in_ctest_tree "$1"; then
        echo "$1 is not part of this build (turned off by a LEANDESK_BUILD_* option)"
        return 77
    fi
    ctest --test-dir "$BUILD_ABS/$1" --output-on-failure --no-tests=error -j "$JOBS"
}

# Every ctest test of the build that no other suite's folder registers: the GoogleTest cases of
# tests/cpp (which gtest_discover_tests registers in the tests/ folder itself), and any other.
run_engine_ctest() {
    local claimed=() name pattern=()
    if ! in_ctest_tree tests; then
        echo "the tests are not part of this build (LEANDESK_BUILD_TESTS is off)"
        return 77
    fi
    for name in "${CTEST_FOLDERS[@]}"; do
        mapfile -t -O "${#claimed[@]}" claimed < <(ctest_names "$name")
    done
    for name in "${claimed[@]}"; do
        pattern+=("$(sed 's/[][\\.^$*+?(){}|]/\\&/g' <<<"$name")")
    done
    local exclude=()
    if ((${#pattern[@]})); then
        exclude=(-E "^($(IFS='|'; echo "${pattern[*]}"))\$")
    fi
    ctest --test-dir "$BUILD_ABS" --output-on-failure --no-tests=error -j "$JOBS" "${exclude[@]}"
}

# The Swift package's XCTest suite and its example, against this build's library. Build products go
# under the build directory, never into the source tree.
run_swift() {
    (
        cd "$ROOT/$1" &&
            export PATH="/opt/swift/usr/bin:$PATH" LEANDESK_INCLUDE_DIR="$ROOT/include" \
                LEANDESK_LIB_DIR="$BUILD_ABS" \
                LD_LIBRARY_PATH="$BUILD_ABS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" &&
            swift test --scratch-path "$BUILD_ABS/swift/package" &&
            swift run --package-path "$ROOT/examples/swift/LeanDeskExample" \
                --scratch-path "$BUILD_ABS/swift/example" LeanDeskExample
    )
}

# The Kotlin/Java binding: SWIG, the JNI library, the facade and its JUnit tests, against this build.
run_kotlin() {
    LEANDESK_INCLUDE_DIR="$ROOT/include" LEANDESK_LIB_DIR="$BUILD_ABS" \
        LEANDESK_KOTLIN_BUILD_DIR="$BUILD_ABS/kotlin" "$ROOT/$1/build.sh" example test
}

# A suite that drives itself: <folder>/run.sh gets the environment above (LEANDESK_SOURCE_DIR,
# LEANDESK_BUILD_DIR, JOBS) and returns 0 (pass), 77 (skip) or anything else (fail).
run_script() {
    if [[ ! -x $ROOT/$1/run.sh ]]; then
        echo "$1/run.sh is missing or not executable"
        return 1
    fi
    "$ROOT/$1/run.sh"
}

run_pytest() {
    local dir=$1 rc
    python3 -m pytest -q -p no:cacheprovider "$dir"
    rc=$?
    if ((rc == 5)) && ! has_python_tests "$dir"; then
        echo "no Python tests in $dir yet"
        return 0
    fi
    return "$rc"
}

run_folder() {
    if [[ -n $(ctest_names "$1") ]]; then
        run_ctest "$1"
    else
        run_pytest "$1"
    fi
}

# ---- machinery -------------------------------------------------------------------------------
SUITE_NAMES=() SUITE_RUNNERS=() SUITE_DIRS=() CTEST_FOLDERS=()
RESULT_NAMES=() RESULTS=() TIMES=()

suite() {
    local name=$1 runner=$2 dir=$3
    [[ -d $ROOT/$dir ]] || return 0
    SUITE_NAMES+=("$name") SUITE_RUNNERS+=("$runner") SUITE_DIRS+=("$dir")
}

extended_suite() {
    local name=$1
    if [[ ${LEANDESK_QUICK:-0} != 1 ]] || [[ " ${REQUESTED[*]} " == *" $name "* ]]; then
        suite "$@"
    fi
}

is_listed() {
    local d
    for d in "${SUITE_DIRS[@]}"; do [[ $d == "$1" ]] && return 0; done
    return 1
}

has_python_tests() {
    [[ -n $(find "$1" \( -name 'test_*.py' -o -name '*_test.py' \) -print -quit 2>/dev/null) ]]
}

# Whether the build's ctest tree reaches <folder> (a folder left out by an option may still have a
# stale CTestTestfile.cmake in the build directory from an earlier configuration).
in_ctest_tree() {
    local path=$BUILD_ABS comp comps
    IFS=/ read -r -a comps <<<"$1"
    for comp in "${comps[@]}"; do
        grep -qxF "subdirs(\"$comp\")" "$path/CTestTestfile.cmake" 2>/dev/null || return 1
        path=$path/$comp
    done
}

# The names of the ctest tests registered by <folder> (none when it is not part of the build).
ctest_names() {
    in_ctest_tree "$1" || return 0
    ctest --test-dir "$BUILD_ABS/$1" -N 2>/dev/null | sed -n 's/^ *Test *#[0-9]*: //p'
}

record() {
    RESULT_NAMES+=("$1") RESULTS+=("$2") TIMES+=("$3")
}

# Runs "$@" with all output in $LOG_DIR/<name>.log; prints one line, and the log's tail on failure.
run_step() {
    local name=$1 start rc
    shift
    local log=$LOG_DIR/$name.log
    printf '%-10s ... ' "$name"
    start=$SECONDS
    "$@" >"$log" 2>&1 </dev/null
    rc=$?
    local took=$((SECONDS - start))
    if ((rc == 0)); then
        printf 'PASS (%ss)\n' "$took"
        record "$name" PASS "$took"
    elif ((rc == 77)); then
        printf 'SKIP (%s)\n' "$(tail -n 1 "$log")"
        record "$name" SKIP "$took"
        rc=0
    else
        printf 'FAIL (%ss, exit %s)\n' "$took" "$rc"
        echo "---- last $TAIL_LINES lines of ${log#"$ROOT"/} ----"
        tail -n "$TAIL_LINES" "$log"
        echo "----"
        record "$name" FAIL "$took"
    fi
    return "$rc"
}

summary() {
    local i log passed=0 failed=0
    echo
    echo "==================== summary ===================="
    printf '%-10s %-6s %6s  %s\n' suite result time log
    for i in "${!RESULT_NAMES[@]}"; do
        log=$LOG_DIR/${RESULT_NAMES[$i]}.log
        [[ -f $log ]] && log=${log#"$ROOT"/} || log=-
        printf '%-10s %-6s %5ss  %s\n' "${RESULT_NAMES[$i]}" "${RESULTS[$i]}" "${TIMES[$i]}" "$log"
        case ${RESULTS[$i]} in
        PASS) ((passed++)) ;;
        FAIL) ((failed++)) ;;
        esac
    done
    echo "================================================="
    echo "$passed passed, $failed failed"
    ((failed == 0))
}

# ---- main ------------------------------------------------------------------------------------
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

REQUESTED=("$@")
declare_suites
for want in "$@"; do
    if ! printf '%s\n' "${SUITE_NAMES[@]}" | grep -qxF -- "$want"; then
        echo "unknown suite '$want' (known: ${SUITE_NAMES[*]})"
        record "$want" FAIL 0
        summary
        exit 1
    fi
done

echo "== setup"
if ! "$ROOT/scripts/setup.sh"; then
    echo "setup failed: see the messages above"
    record setup FAIL 0
    summary
    exit 1
fi

echo "== build ($BUILD_DIR, log in ${LOG_DIR#"$ROOT"/}/build.log)"
if ! run_step build "$ROOT/scripts/build.sh"; then
    echo "the build failed: no suite was run"
    summary
    exit 1
fi

# The extended suites (fuzz, sanitize) each need a build tree of their own. They are built now, in
# the background at the lowest CPU priority, while the main suites run: a test waiting on a server,
# a JVM or a sleep leaves a core idle, and the build takes it, but the build never slows a test that
# wants the CPU (nice 19 gets about 1/70 of a core against a test at nice 0). Each suite then waits
# for its build before it runs (its run.sh finds the tree up to date). LEANDESK_BUILD_ONLY=1 tells a
# run.sh to build and stop.
EXTENDED_BUILD_PID=
start_extended_builds() {
    local wanted=() i
    for i in "${!SUITE_NAMES[@]}"; do
        case ${SUITE_NAMES[$i]} in fuzz | sanitize | release) ;; *) continue ;; esac
        if (($#)) && [[ " $* " != *" ${SUITE_NAMES[$i]} "* ]]; then continue; fi
        wanted+=("${SUITE_DIRS[$i]}")
    done
    ((${#wanted[@]})) || return 0
    (
        for dir in "${wanted[@]}"; do
            echo "== building $dir (LEANDESK_BUILD_ONLY=1 $dir/run.sh)"
            LEANDESK_BUILD_ONLY=1 nice -n 19 "$ROOT/$dir/run.sh" || echo "== $dir: build failed (the suite reports it)"
            : >"$LOG_DIR/.built-$(basename "$dir")"
        done
    ) >"$LOG_DIR/extended-build.log" 2>&1 </dev/null &
    EXTENDED_BUILD_PID=$!
    echo "== building ${wanted[*]} in the background (log in ${LOG_DIR#"$ROOT"/}/extended-build.log)"
}
start_extended_builds "$@"

# The folders whose ctest tests their own suite runs, so that the engine suite leaves them out.
for i in "${!SUITE_NAMES[@]}"; do
    [[ ${SUITE_RUNNERS[$i]} == run_engine_ctest ]] || CTEST_FOLDERS+=("${SUITE_DIRS[$i]}")
done

echo "== test suites (${*:-${SUITE_NAMES[*]}})"
for i in "${!SUITE_NAMES[@]}"; do
    if (($#)) && [[ " $* " != *" ${SUITE_NAMES[$i]} "* ]]; then continue; fi
    case ${SUITE_NAMES[$i]} in
    fuzz | sanitize | release)
        # Its own tree is ready when its marker is there (the other tree may still be building:
        # the fuzz runs use one core, the sanitizer build takes the other).
        while [[ -n $EXTENDED_BUILD_PID && ! -e $LOG_DIR/.built-$(basename "${SUITE_DIRS[$i]}") ]] &&
            kill -0 "$EXTENDED_BUILD_PID" 2>/dev/null; do
            sleep 2
        done
        ;;
    esac
    run_step "${SUITE_NAMES[$i]}" "${SUITE_RUNNERS[$i]}" "${SUITE_DIRS[$i]}"
done
[[ -z $EXTENDED_BUILD_PID ]] || wait "$EXTENDED_BUILD_PID"

summary
