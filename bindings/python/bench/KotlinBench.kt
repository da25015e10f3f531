// The Kotlin side of the binding speed figures (bench.py --kotlin): times Session.action() (one
// ld_action_get turned into an ActionDetail) and Session.actions() (one ld_project_actions turned
// into a List<Action>) through the Kotlin facade of bindings/kotlin, on the database file bench.py
// made, and prints one JSON object per repetition, like capi_timer.c:
//   {"get_cpu_us":..., "get_wall_us":..., "list_cpu_ms":..., "list_wall_ms":...}
// The first WARMUP repetitions (JIT compilation) are not printed.
//
// Usage: java ... KotlinBenchKt DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS
import com.leandesk.Database
import java.lang.management.ManagementFactory
import java.util.Locale

private const val WARMUP = 5

fun main(args: Array<String>) {
    require(args.size == 7) { "usage: KotlinBench DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS" }
    val (path, email, password, actionId, projectId) = args
    val reps = args[5].toInt()
    val gets = args[6].toInt()
    val threads = ManagementFactory.getThreadMXBean()
    var sink = 0L
    Database.open(path, null as String?).use { db ->
        db.signIn(email, password).use { s ->
            for (rep in -WARMUP until reps) {
                val gCpu0 = threads.currentThreadCpuTime
                val gWall0 = System.nanoTime()
                for (i in 0 until gets) sink += s.action(actionId).comments.size
                val gCpu = threads.currentThreadCpuTime - gCpu0
                val gWall = System.nanoTime() - gWall0
                val lCpu0 = threads.currentThreadCpuTime
                val lWall0 = System.nanoTime()
                sink += s.actions(projectId).size
                val lCpu = threads.currentThreadCpuTime - lCpu0
                val lWall = System.nanoTime() - lWall0
                if (rep >= 0) {
                    val row = "{\"get_cpu_us\": %.3f, \"get_wall_us\": %.3f, \"list_cpu_ms\": %.3f, \"list_wall_ms\": %.3f}"
                    println(String.format(Locale.ROOT, row, gCpu / 1e3 / gets, gWall / 1e3 / gets, lCpu / 1e6, lWall / 1e6))
                }
            }
        }
    }
    System.err.println("checksum $sink")
}
