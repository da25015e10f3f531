// The Swift side of the binding speed figures (bench.py --swift): times Session.action(_:) (one
// ld_action_get decoded into an ActionDetail) and Session.actions(ofProject:) (one
// ld_project_actions decoded into [Action]) through the Swift facade of bindings/swift, on the
// database file bench.py made, and prints one JSON object per repetition, like capi_timer.c.
//
// bench.py builds it as the only target of a throwaway package (Package.swift.in) that depends on
// bindings/swift by path, so bindings/swift itself is not touched.
//
// Usage: SwiftBench DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS
import Foundation
import LeanDesk

func cpuMicros() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
}

func wallMicros() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
}

let args = CommandLine.arguments
guard args.count == 8, let reps = Int(args[6]), let gets = Int(args[7]) else {
    FileHandle.standardError.write("usage: SwiftBench DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS\n".data(using: .utf8)!)
    exit(2)
}
let (actionID, projectID) = (args[4], args[5])
do {
    let db = try Database(path: args[1])
    let s = try db.signIn(email: args[2], password: args[3])
    var sink = 0
    for rep in -1..<reps {  // -1 warms the caches
        let g0 = (cpuMicros(), wallMicros())
        for _ in 0..<gets { sink += try s.action(actionID).comments.count }
        let g1 = (cpuMicros(), wallMicros())
        sink += try s.actions(ofProject: projectID).count
        let l1 = (cpuMicros(), wallMicros())
        if rep >= 0 {
            print(String(format: "{\"get_cpu_us\": %.3f, \"get_wall_us\": %.3f, \"list_cpu_ms\": %.3f, \"list_wall_ms\": %.3f}",
                         (g1.0 - g0.0) / Double(gets), (g1.1 - g0.1) / Double(gets),
                         (l1.0 - g1.0) / 1e3, (l1.1 - g1.1) / 1e3))
        }
    }
    FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)
} catch {
    FileHandle.standardError.write("SwiftBench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
