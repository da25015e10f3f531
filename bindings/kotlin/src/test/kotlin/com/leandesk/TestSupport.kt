package com.leandesk

import org.junit.Assert.assertEquals
import org.junit.Assert.fail
import java.io.Closeable
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList

/** Fast password hashing for tests (the library's minimum). */
val FAST = DatabaseOptions(passwordOpslimit = 1, passwordMemlimit = 8192)
const val FAST_JSON = """{"password_opslimit":1,"password_memlimit":8192}"""
const val PASSWORD = "correct horse battery"

/** Collects the mails LeanDesk sends. */
class Mailbox {
    val mails = CopyOnWriteArrayList<Mail>()

    fun lastTo(address: String): Mail =
        mails.lastOrNull { it.to == address } ?: throw AssertionError("no mail to $address in ${mails.map { it.to }}")

    /** The code of the last mail to [address]: the line of its text that starts with 4 spaces. */
    fun codeFor(address: String): String {
        val line = lastTo(address).text.lines().firstOrNull { it.startsWith("    ") }
            ?: throw AssertionError("no code line in the mail to $address")
        return line.trim()
    }
}

/** A temporary database with a mail capture; sign-up helpers. */
class World(options: DatabaseOptions = FAST, path: String = ":memory:") : Closeable {
    val db: Database = Database.open(path, options)
    val mailbox = Mailbox()

    init {
        db.setMailSender { mailbox.mails.add(it) }
    }

    /** Signs up, activates through the mailed code and signs in. */
    fun user(first: String, last: String, email: String, password: String = PASSWORD): Session {
        db.signUp(first, last, email, password)
        db.activate(mailbox.codeFor(email))
        return db.signIn(email, password)
    }

    override fun close() = db.close()
}

/** A scratch directory under the build dir (-Dleandesk.test.tmp), else the system's. */
fun tempDir(name: String): File {
    val base = System.getProperty("leandesk.test.tmp")?.let { File(it) } ?: File(System.getProperty("java.io.tmpdir"))
    val dir = File(base, name + "-" + System.nanoTime())
    check(dir.mkdirs()) { "cannot create $dir" }
    return dir
}

inline fun <reified T : Throwable> expectThrows(block: () -> Unit): T {
    try {
        block()
    } catch (t: Throwable) {
        if (t is T) return t
        throw AssertionError("expected ${T::class.java.name} but got $t", t)
    }
    fail("expected ${T::class.java.name}, nothing was thrown")
    throw IllegalStateException()
}

fun assertRefused(rule: String, block: () -> Unit) {
    val e = expectThrows<LeanDeskException.PermissionDenied>(block)
    assertEquals(-3, e.code)
    assertEquals(rule, e.rule)
    if (!e.message.startsWith("$rule:")) fail("message '${e.message}' does not start with '$rule:'")
}
