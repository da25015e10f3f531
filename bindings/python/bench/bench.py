"""What the Python binding costs over the C API (issue 7): "get one action" and "list a
10,000-action project".

    $LEANDESK_BUILD_DIR/python/venv/bin/python bindings/python/bench/bench.py \
        [--actions 10000] [--reps 15] [--gets 2000] [--build-dir $LEANDESK_BUILD_DIR/python/cmake]

Run it with an interpreter where the binding is installed (e.g. the venv run.sh makes:
$LEANDESK_BUILD_DIR/python/venv/bin/python). It

1. makes one database file through the binding: Ann, a group, a project of N actions (spread over
   the four default steps, most with a due date, half with a description), one of them with a
   comment;
2. builds leandesk_capi_timer (target of bindings/python/CMakeLists.txt) in --build-dir, the CMake
   tree run.sh's pip install left there, and runs it: a C program, a C program that times
   ld_action_get() and ld_project_actions() on that file, JSON text out, freed with
   ld_string_free();
3. times in this process, on the same file and the same signed-in user:
   * "native": the extension's call alone (C call with the GIL released, JSON text into a str),
   * "python": the public API, ``Session.get_action()`` / ``Session.project_actions()``, which
     also parses the JSON and builds the frozen dataclasses (dates as datetime.date, enums...).

With ``--kotlin DIR`` (the build directory of ``bindings/kotlin/build.sh --lib-dir <lib> --build-dir
DIR build``), it also runs KotlinBench.kt (compiled here with kotlinc against DIR's jar) on the
same file: Session.action() and Session.actions() of the Kotlin facade, decoded into its data
classes; ``--lib-dir`` names the folder of the libleandesk.so that binding was built with.

With ``--swift``, it also builds (``swift build -c release``) a throwaway package in
<build-dir>/swift-bench holding swift/SwiftBench.swift and a path dependency on bindings/swift
(swift/Package.swift.in), linked to the libleandesk.so of ``--lib-dir``, and runs it the same way:
Session.action(_:) and Session.actions(ofProject:) decoded into the facade's Codable structs.

Each side runs REPS repetitions after one warm-up; a "get" figure is the mean of GETS calls. The
C program and the Python side alternate in ROUNDS rounds (the C program runs in another process, so
repetitions cannot be paired one by one); the medians are compared. Kotlin and Swift run after.
CPU time is the calling thread's; wall time is shown too. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta

import leandesk

HERE = pathlib.Path(__file__).resolve().parent
PASSWORD = "correct horse battery"


def make_database(path: str, n: int) -> tuple[str, str]:
    """The benchmark database; returns (action id to get, project id to list)."""
    rng = random.Random(7)
    mails: list[leandesk.Mail] = []
    with leandesk.Database(path, {"password_opslimit": 1, "password_memlimit": 8192}) as db:
        db.set_mail_sender(mails.append)
        db.sign_up("Ann", "Archer", "ann@example.com", PASSWORD)
        code = next(line.strip() for line in mails[-1].text.splitlines() if line.startswith("    "))
        db.activate(code)
        with db.sign_in("ann@example.com", PASSWORD) as ann:
            group = ann.create_group("Bench")
            steps = [s.id for s in ann.group_steps(group.id)]
            project = ann.create_project(group.id, "Ten thousand")
            me = ann.me().id
            first = None
            for i in range(n):
                a = ann.create_action(
                    project.id, f"Action {i}", id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    step_id=steps[i % len(steps)], owner_id=me if i % 3 else None,
                    due_date=date(2026, 1, 1) + timedelta(days=rng.randrange(365)) if i % 5 else None,
                    description="Some details about the action. " * 3 if i % 2 else None,
                    priority=i % 4, progress=rng.randrange(101))
                first = first or a.id
            ann.add_comment(first, "A comment")
        return first, project.id


def measure(fn, repeat: int = 1) -> tuple[float, float]:
    """(cpu ms, wall ms) of ``repeat`` calls of fn, per call."""
    c0, w0 = time.thread_time(), time.perf_counter()
    for _ in range(repeat):
        fn()
    return ((time.thread_time() - c0) * 1e3 / repeat, (time.perf_counter() - w0) * 1e3 / repeat)


def build_timer(build_dir: pathlib.Path, jobs: str) -> pathlib.Path:
    exe = build_dir / "leandesk_capi_timer"
    if not (build_dir / "CMakeCache.txt").exists():
        subprocess.run(["cmake", "-S", str(HERE.parent), "-B", str(build_dir), "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], check=True, stdout=subprocess.DEVNULL)
    built = subprocess.run(["cmake", "--build", str(build_dir), "--target", "leandesk_capi_timer",
                            "-j", jobs], capture_output=True, text=True)
    if built.returncode != 0:
        sys.exit(f"building leandesk_capi_timer failed:\n{built.stdout}{built.stderr}")
    return exe


def run_kotlin(kotlin_dir: pathlib.Path, lib_dir: pathlib.Path, out_dir: pathlib.Path,
               argv: list[str]) -> list[dict]:
    """Compiles KotlinBench.kt when needed and runs it; its JSON rows."""
    source = HERE / "KotlinBench.kt"
    jar = out_dir / "kotlin-bench.jar"
    facade = kotlin_dir / "leandesk-kotlin.jar"
    if not jar.exists() or jar.stat().st_mtime < max(source.stat().st_mtime, facade.stat().st_mtime):
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["kotlinc", "-cp", str(facade), str(source), "-d", str(jar)], check=True,
                       capture_output=True)
    java_share = pathlib.Path("/usr/share/java")
    cp = [jar, facade, java_share / "kotlin-stdlib.jar",
          next(java_share.glob("*json-android*.jar"))]
    env = dict(os.environ, LD_LIBRARY_PATH=str(lib_dir))
    out = subprocess.run(["java", "-cp", ":".join(map(str, cp)),
                          f"-Djava.library.path={kotlin_dir / 'lib'}:{lib_dir}", "KotlinBenchKt",
                          *argv], check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def run_swift(lib_dir: pathlib.Path, out_dir: pathlib.Path, argv: list[str]) -> list[dict]:
    """Builds SwiftBench in a throwaway package over bindings/swift and runs it; its JSON rows."""
    package = out_dir / "swift-bench"
    sources = package / "Sources" / "SwiftBench"
    sources.mkdir(parents=True, exist_ok=True)
    (sources / "main.swift").write_text((HERE / "swift" / "SwiftBench.swift").read_text())
    (package / "Package.swift").write_text((HERE / "swift" / "Package.swift.in").read_text()
                                           .replace("@LEANDESK_SWIFT_DIR@",
                                                    str(HERE.parents[1] / "swift")))
    env = dict(os.environ, LEANDESK_LIB_DIR=str(lib_dir))
    subprocess.run(["swift", "build", "-c", "release", "--package-path", str(package)], check=True,
                   capture_output=True, env=env)
    exe = package / ".build" / "release" / "SwiftBench"
    out = subprocess.run([str(exe), *argv], check=True, capture_output=True, text=True,
                         env=dict(env, LD_LIBRARY_PATH=str(lib_dir))).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--actions", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--gets", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5,
                    help="C and Python alternate in this many rounds of REPS/ROUNDS repetitions")
    ap.add_argument("--build-dir", default=os.path.join(
        os.environ.get("LEANDESK_BUILD_DIR", "build"), "python", "cmake"))
    ap.add_argument("--timer", help="an already built leandesk_capi_timer")
    ap.add_argument("--kotlin", help="build directory of bindings/kotlin/build.sh (also times Kotlin)")
    ap.add_argument("--swift", action="store_true", help="also time the Swift binding")
    ap.add_argument("--lib-dir", help="folder of the libleandesk.so the Kotlin and Swift bindings load "
                                      "(default: <build-dir>/leandesk)")
    args = ap.parse_args()

    timer = pathlib.Path(args.timer) if args.timer else build_timer(
        pathlib.Path(args.build_dir).resolve(), os.environ.get("JOBS", "2"))
    with tempfile.TemporaryDirectory(prefix="leandesk-py-bench-") as tmp:
        path = os.path.join(tmp, "bench.leandesk")
        t0 = time.perf_counter()
        action_id, project_id = make_database(path, args.actions)
        print(f"made {args.actions} actions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

        lib_dir = pathlib.Path(args.lib_dir or os.path.join(args.build_dir, "leandesk")).resolve()
        out_dir = pathlib.Path(args.build_dir).resolve()
        rounds = max(1, min(args.rounds, args.reps))
        per_round = max(1, args.reps // rounds)

        def others(reps: int) -> list[str]:
            return [path, "ann@example.com", PASSWORD, action_id, project_id, str(reps),
                    str(args.gets)]

        # The C side runs in its own process: it is started once per round, between the rounds
        # of the Python side, so that both see the same periods of machine load.
        c_rows: list[dict] = []
        rows: dict[str, list[tuple[float, float]]] = {k: [] for k in
                                                      ("get_n", "get_py", "list_n", "list_py")}
        with leandesk.Database(path) as db, db.sign_in("ann@example.com", PASSWORD) as s:
            raw = s._raw  # the native layer, to split the binding's cost from decoding
            assert len(s.project_actions(project_id)) == args.actions
            for round_ in range(rounds):
                out = subprocess.run([str(timer), *others(per_round)], check=True,
                                     capture_output=True, text=True).stdout
                c_rows += [json.loads(line) for line in out.splitlines() if line.strip()]
                for rep in range(-1 if round_ == 0 else 0, per_round):  # -1 warms the caches
                    got = {
                        "get_n": measure(lambda: raw.action_get(action_id), args.gets),
                        "get_py": measure(lambda: s.get_action(action_id), args.gets),
                        "list_n": measure(lambda: raw.project_actions(project_id)),
                        "list_py": measure(lambda: s.project_actions(project_id)),
                    }
                    if rep >= 0:
                        for k, v in got.items():
                            rows[k].append(v)
        kt_rows = run_kotlin(pathlib.Path(args.kotlin).resolve(), lib_dir, out_dir / "kotlin-bench",
                             others(args.reps)) if args.kotlin else []
        sw_rows = run_swift(lib_dir, out_dir, others(args.reps)) if args.swift else []

    med = statistics.median
    c_get = (med(r["get_cpu_us"] for r in c_rows), med(r["get_wall_us"] for r in c_rows))
    c_list = (med(r["list_cpu_ms"] for r in c_rows), med(r["list_wall_ms"] for r in c_rows))
    py = {k: (med(x[0] for x in v), med(x[1] for x in v)) for k, v in rows.items()}

    print(f"LeanDesk Python binding vs C API: {args.actions} actions, {args.reps} reps, "
          f"{args.gets} gets/rep, Python {sys.version.split()[0]}")
    print(f"{'':28}{'cpu':>12}{'wall':>12}{'ratio cpu':>12}{'ratio wall':>12}")
    for label, c, n, p, unit, scale in (
            ("get one action", c_get, py["get_n"], py["get_py"], "us", 1e3),
            (f"list {args.actions} actions", c_list, py["list_n"], py["list_py"], "ms", 1.0)):
        print(f"{label + ', C API':28}{c[0]:10.2f}{unit}{c[1]:10.2f}{unit}")
        for name, v in (("native (JSON str)", n), ("python (dataclasses)", p)):
            v = (v[0] * scale, v[1] * scale)
            print(f"{'  ' + name:28}{v[0]:10.2f}{unit}{v[1]:10.2f}{unit}"
                  f"{v[0] / c[0]:11.2f}x{v[1] / c[1]:11.2f}x")
    for name, other in (("kotlin", kt_rows), ("swift", sw_rows)):
        if not other:
            continue
        o_get = (med(r["get_cpu_us"] for r in other), med(r["get_wall_us"] for r in other))
        o_list = (med(r["list_cpu_ms"] for r in other), med(r["list_wall_ms"] for r in other))
        for label, c, k, unit in (("get one action", c_get, o_get, "us"),
                                  (f"list {args.actions} actions", c_list, o_list, "ms")):
            print(f"{'  ' + name + ', ' + label:28}{k[0]:10.2f}{unit}{k[1]:10.2f}{unit}"
                  f"{k[0] / c[0]:11.2f}x{k[1] / c[1]:11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
