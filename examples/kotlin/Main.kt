// A first LeanDesk program in Kotlin: two people, a group, a project, an action, a refusal, an export.
//
//   bindings/kotlin/build.sh example
//
// Everything goes through the Kotlin facade (com.leandesk) over the C API; on Android the same code
// runs unchanged once the library module is added (see bindings/kotlin/README.md).
import com.leandesk.Database
import com.leandesk.DatabaseOptions
import com.leandesk.LeanDesk
import com.leandesk.LeanDeskException
import com.leandesk.Mail
import com.leandesk.Session
import java.io.File

fun main() {
    println("LeanDesk ${LeanDesk.version}")

    // Fast password hashing keeps the example quick; an app keeps the defaults.
    val options = DatabaseOptions(productName = "LeanDesk example", passwordOpslimit = 1, passwordMemlimit = 8192)
    Database.open(":memory:", options).use { db ->
        // Sign-up mails an activation code: an app hands the mail to its mailer; here we keep it.
        val outbox = ArrayList<Mail>()
        db.setMailSender { mail -> outbox.add(mail) }
        db.addObserver { changes -> println("  (observer: ${changes.size} change(s): ${changes.joinToString { it.entity + " " + it.op.wire }})") }

        fun join(first: String, last: String, email: String): Session {
            db.signUp(first, last, email, "correct horse battery")
            val code = outbox.last { it.to == email }.text.lines().first { it.startsWith("    ") }.trim()
            db.activate(code)
            return db.signIn(email, "correct horse battery")
        }

        val ann = join("Ann", "Archer", "ann@example.com")
        val bob = join("Bob", "Baker", "bob@example.com")

        val team = ann.createGroup("Lean Team")
        ann.addMember(team.id, "bob@example.com")
        val pilot = ann.createProject(team.id, "Pilot", futureState = "Orders ship the same day")
        println("${ann.me().displayName} created ${team.name} / ${pilot.name}")

        val measure = ann.createAction(pilot.id, "Measure lead time", dueDate = "2030-01-31", priority = 2)
        println("Action '${measure.title}' is due ${measure.dueDate}, overdue: ${measure.overdue}")

        // Bob is in the group but not in the project: R9 refuses, and says so.
        try {
            bob.createAction(pilot.id, "Sneak in")
        } catch (e: LeanDeskException.PermissionDenied) {
            println("Bob was refused (${e.rule}, code ${e.code}): ${e.message}")
        }

        for (step in ann.review(pilot.id).steps) {
            println("  ${step.step.name}: ${step.actions.map { it.title }}")
        }

        // The group spreadsheet (the manager only, R10), with progress, and the project report (R15).
        val xlsx = File.createTempFile("lean-team", ".xlsx")
        ann.exportGroupXlsx(team.id, xlsx.path) { done, _ -> done >= 0 } // false would cancel
        println("Exported ${xlsx.length()} bytes; the report begins: ${ann.projectReport(pilot.id).text.lines().first()}")
        xlsx.delete()
    }
    println("closed")
}
