#!/usr/bin/env bash
# Builds, tests and runs the example of the Java/Kotlin binding of LeanDesk on this machine's JVM,
# with plain swig, cc, javac and kotlinc (no Gradle, no network).
#
#   bindings/kotlin/build.sh [options] [build|test|example|clean]...     # default: build
#
#   build    swig -java over leandesk.i, libleandesk_jni.so, the generated Java and the Kotlin
#            facade into leandesk-kotlin.jar
#   test     build, compile the JUnit tests and run them (JUnit's summary, then a closing line
#            "kotlin: N passed, M failed"); exits non-zero when a test failed
#   example  build, compile examples/kotlin/Main.kt and run it
#   clean    remove the build directory
#
# Options (each also read from the environment):
#   --include-dir DIR  LEANDESK_INCLUDE_DIR   holds leandesk/leandesk.h     (default: <repo>/include)
#   --lib-dir DIR      LEANDESK_LIB_DIR       holds libleandesk.so          (default: <repo>/build)
#   --build-dir DIR    LEANDESK_KOTLIN_BUILD_DIR  where everything goes     (default: <repo>/build/kotlin)
# Tools: JAVA_HOME (default: from `javac` on PATH), CC (default cc), SWIG, KOTLINC, and the jars
# JSON_ANDROID_JAR (Android's org.json, Debian's libandroid-json-java), JUNIT_JAR, HAMCREST_JAR,
# KOTLIN_STDLIB_JAR; each has a Debian default. JAVA_TEST_OPTS adds JVM options to the test and
# example runs (e.g. "-Xcheck:jni"). Nothing is written outside the build directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

INCLUDE_DIR=${LEANDESK_INCLUDE_DIR:-$ROOT/include}
LIB_DIR=${LEANDESK_LIB_DIR:-$ROOT/build}
BUILD=${LEANDESK_KOTLIN_BUILD_DIR:-$ROOT/build/kotlin}

targets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --include-dir) INCLUDE_DIR=$2; shift 2 ;;
        --include-dir=*) INCLUDE_DIR=${1#*=}; shift ;;
        --lib-dir) LIB_DIR=$2; shift 2 ;;
        --lib-dir=*) LIB_DIR=${1#*=}; shift ;;
        --build-dir) BUILD=$2; shift 2 ;;
        --build-dir=*) BUILD=${1#*=}; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        build | test | example | clean) targets+=("$1"); shift ;;
        *) echo "build.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(build)

log() { echo "[kotlin] $*"; }
die() { echo "[kotlin] error: $*" >&2; exit 1; }

abs_dir() { (cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"; }

first_file() {
    local f
    for f in "$@"; do
        [[ -n $f && -f $f ]] && { echo "$f"; return 0; }
    done
    return 1
}

# ---- tools ---------------------------------------------------------------------------------------
find_tools() {
    INCLUDE_DIR=$(abs_dir "$INCLUDE_DIR")
    LIB_DIR=$(abs_dir "$LIB_DIR")
    [[ -f $INCLUDE_DIR/leandesk/leandesk.h ]] || die "$INCLUDE_DIR/leandesk/leandesk.h not found (set LEANDESK_INCLUDE_DIR)"
    [[ -e $LIB_DIR/libleandesk.so ]] ||
        die "$LIB_DIR/libleandesk.so not found: build the core first (scripts/build.sh) or set LEANDESK_LIB_DIR"

    if [[ -z ${JAVA_HOME:-} ]]; then
        local javac
        javac=$(command -v javac) || die "javac not found: install a JDK (Debian: default-jdk) or set JAVA_HOME"
        JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$javac")")")
    fi
    [[ -f $JAVA_HOME/include/jni.h ]] || die "no jni.h under JAVA_HOME=$JAVA_HOME (a JDK, not a JRE, is needed)"
    JAVAC=$JAVA_HOME/bin/javac
    JAVA=$JAVA_HOME/bin/java
    JAR=$JAVA_HOME/bin/jar
    CC=${CC:-cc}
    SWIG=${SWIG:-swig}
    command -v "$SWIG" >/dev/null || die "swig not found (Debian: swig)"
    KOTLINC=${KOTLINC:-kotlinc}
    command -v "$KOTLINC" >/dev/null || die "kotlinc not found (Debian: kotlin)"
    local kotlin_home
    kotlin_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$KOTLINC")")")")

    JSON_ANDROID_JAR=$(first_file "${JSON_ANDROID_JAR:-}" /usr/share/java/json-android.jar \
        /usr/share/java/com.android.json.jar /usr/share/java/com.android.json-android-*.jar \
        /usr/share/maven-repo/com/android/json/android-*/json-android-*.jar) ||
        die "Android's org.json jar not found (Debian: libandroid-json-java) or set JSON_ANDROID_JAR"
    JUNIT_JAR=$(first_file "${JUNIT_JAR:-}" /usr/share/java/junit4.jar) || JUNIT_JAR=
    HAMCREST_JAR=$(first_file "${HAMCREST_JAR:-}" /usr/share/java/hamcrest-core.jar /usr/share/java/hamcrest.jar) || HAMCREST_JAR=
    KOTLIN_STDLIB_JAR=$(first_file "${KOTLIN_STDLIB_JAR:-}" "$kotlin_home/lib/kotlin-stdlib.jar" \
        /usr/share/java/kotlin-stdlib.jar) || die "kotlin-stdlib.jar not found; set KOTLIN_STDLIB_JAR"

    mkdir -p "$BUILD"
    BUILD=$(abs_dir "$BUILD")
}

# ---- up-to-date checks: a stamp per step records its configuration ----------------------------------
# fresh STAMP CONFIG INPUT...: true when STAMP exists, holds CONFIG and is newer than every input.
fresh() {
    local stamp=$1 config=$2
    shift 2
    [[ -f $stamp && $(cat "$stamp") == "$config" ]] || return 1
    [[ -z $(find "$@" -newer "$stamp" -print -quit 2>/dev/null) ]]
}

# ---- steps ----------------------------------------------------------------------------------------
step_swig() {
    local config="swig $INCLUDE_DIR $($SWIG -version | grep -i version)"
    if fresh "$BUILD/.swig.stamp" "$config" "$HERE/swig" "$INCLUDE_DIR/leandesk"; then return; fi
    log "swig -java ($INCLUDE_DIR/leandesk/leandesk.h)"
    rm -rf "$BUILD/generated"
    mkdir -p "$BUILD/generated/java/com/leandesk/jni" "$BUILD/generated/native"
    "$SWIG" -java -package com.leandesk.jni -Werror \
        -I"$INCLUDE_DIR" -I"$HERE/jni" \
        -outdir "$BUILD/generated/java/com/leandesk/jni" \
        -o "$BUILD/generated/native/leandesk_wrap.c" \
        "$HERE/swig/leandesk.i"
    echo "$config" >"$BUILD/.swig.stamp"
}

step_native() {
    local config="native $CC $JAVA_HOME $INCLUDE_DIR $LIB_DIR"
    if fresh "$BUILD/.native.stamp" "$config" "$BUILD/generated/native" "$HERE/jni" "$LIB_DIR/libleandesk.so"; then
        return
    fi
    log "cc -> libleandesk_jni.so"
    mkdir -p "$BUILD/lib"
    # -fno-strict-aliasing: SWIG's generated code casts between jlong and pointers.
    "$CC" -std=c99 -D_GNU_SOURCE -O2 -g -fPIC -shared -fvisibility=hidden -fno-strict-aliasing \
        -Wall -Wno-unused-parameter -Wno-unused-function \
        -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -I"$INCLUDE_DIR" -I"$HERE/jni" \
        "$BUILD/generated/native/leandesk_wrap.c" "$HERE/jni/callbacks.c" \
        -L"$LIB_DIR" -lleandesk -lpthread -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined \
        -o "$BUILD/lib/libleandesk_jni.so"
    echo "$config" >"$BUILD/.native.stamp"
}

step_jar() {
    local config="jar $JAVA_HOME $KOTLINC $JSON_ANDROID_JAR"
    if fresh "$BUILD/.jar.stamp" "$config" "$BUILD/generated/java" "$HERE/src/main"; then return; fi
    log "javac (generated JNI layer + hand-written Java)"
    rm -rf "$BUILD/classes" "$BUILD/kotlin-classes"
    mkdir -p "$BUILD/classes" "$BUILD/kotlin-classes"
    local java_sources=()
    mapfile -t java_sources < <(find "$BUILD/generated/java" "$HERE/src/main/java" -name '*.java' | sort)
    "$JAVAC" --release 8 -Xlint:-options -encoding UTF-8 -d "$BUILD/classes" "${java_sources[@]}"
    log "kotlinc (facade)"
    kotlin_compile "$BUILD/kotlin-classes" "$BUILD/classes:$JSON_ANDROID_JAR" "$HERE/src/main/kotlin"
    "$JAR" cf "$BUILD/leandesk-kotlin.jar" -C "$BUILD/classes" . -C "$BUILD/kotlin-classes" .
    log "built $BUILD/leandesk-kotlin.jar and $BUILD/lib/libleandesk_jni.so"
    echo "$config" >"$BUILD/.jar.stamp"
}

# kotlin_compile OUT CLASSPATH SOURCES...
kotlin_compile() {
    local out=$1 cp=$2
    shift 2
    # kotlinc prints a JVM warning about -noverify on JDK 13+; keep the rest.
    "$KOTLINC" -jvm-target 1.8 -cp "$cp" -d "$out" "$@" 2> >(grep -v -e '-Xverify:none and -noverify were deprecated' >&2)
}

do_build() {
    find_tools
    step_swig
    step_native
    step_jar
}

runtime_classpath() {
    echo "$BUILD/leandesk-kotlin.jar:$JSON_ANDROID_JAR:$KOTLIN_STDLIB_JAR"
}

run_java() {
    # libleandesk_jni.so needs libleandesk.so.0: the JNI class loads "leandesk" from
    # java.library.path first; LD_LIBRARY_PATH covers a lib dir holding only the versioned name.
    local opts=()
    read -r -a opts <<<"${JAVA_TEST_OPTS:-}"
    LD_LIBRARY_PATH="$LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$JAVA" "${opts[@]}" -Djava.library.path="$BUILD/lib:$LIB_DIR" "$@"
}

do_test() {
    # A build that fails still closes with the plain summary line.
    trap 'echo "kotlin: 0 passed, 1 failed"' EXIT
    do_build
    [[ -n $JUNIT_JAR ]] || die "JUnit 4 not found (Debian: junit4) or set JUNIT_JAR"
    [[ -n $HAMCREST_JAR ]] || die "hamcrest not found (Debian: libhamcrest-java) or set HAMCREST_JAR"
    local config="test $JUNIT_JAR"
    if ! fresh "$BUILD/.test.stamp" "$config" "$HERE/src/test" "$BUILD/leandesk-kotlin.jar"; then
        log "kotlinc (tests)"
        rm -rf "$BUILD/test-classes"
        mkdir -p "$BUILD/test-classes"
        kotlin_compile "$BUILD/test-classes" "$(runtime_classpath):$JUNIT_JAR:$HAMCREST_JAR" "$HERE/src/test/kotlin"
        echo "$config" >"$BUILD/.test.stamp"
    fi
    local classes=()
    mapfile -t classes < <(cd "$BUILD/test-classes" && find . -name '*Test.class' ! -name '*$*' |
        sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
    [[ ${#classes[@]} -gt 0 ]] || die "no test classes found"
    trap - EXIT
    log "JUnit: ${classes[*]}"
    local out=$BUILD/junit.log status=0
    run_java -Dleandesk.header="$INCLUDE_DIR/leandesk/leandesk.h" -Dleandesk.kotlin.src="$HERE/src/main" \
        -Dleandesk.test.tmp="$BUILD/tmp" \
        -cp "$BUILD/test-classes:$(runtime_classpath):$JUNIT_JAR:$HAMCREST_JAR" \
        org.junit.runner.JUnitCore "${classes[@]}" 2>&1 | tee "$out" || status=$?
    # JUnit's summary is "OK (N tests)" or "Tests run: N,  Failures: M"; close with the plain line.
    local run failed
    if run=$(sed -n 's/^OK (\([0-9]*\) tests\{0,1\})$/\1/p' "$out") && [[ -n $run ]]; then
        failed=0
    else
        run=$(sed -n 's/^Tests run: *\([0-9]*\), *Failures: *\([0-9]*\).*/\1/p' "$out" | tail -1)
        failed=$(sed -n 's/^Tests run: *\([0-9]*\), *Failures: *\([0-9]*\).*/\2/p' "$out" | tail -1)
        run=${run:-0}
        failed=${failed:-1}
        [[ $status -ne 0 ]] || status=1
    fi
    # A failing @BeforeClass counts as a failure of no test run: never report fewer than 0 passed.
    local passed=$((run - failed))
    [[ $passed -ge 0 ]] || passed=0
    echo "kotlin: $passed passed, $failed failed"
    return "$status"
}

do_example() {
    do_build
    local config="example"
    if ! fresh "$BUILD/.example.stamp" "$config" "$ROOT/examples/kotlin" "$BUILD/leandesk-kotlin.jar"; then
        log "kotlinc (examples/kotlin)"
        rm -rf "$BUILD/example-classes"
        mkdir -p "$BUILD/example-classes"
        kotlin_compile "$BUILD/example-classes" "$(runtime_classpath)" "$ROOT/examples/kotlin"
        echo "$config" >"$BUILD/.example.stamp"
    fi
    log "running examples/kotlin/Main.kt"
    run_java -cp "$BUILD/example-classes:$(runtime_classpath)" MainKt
}

for target in "${targets[@]}"; do
    case $target in
        build) do_build ;;
        test) do_test ;;
        example) do_example ;;
        clean) log "removing $BUILD"; rm -rf "$BUILD" ;;
    esac
done
