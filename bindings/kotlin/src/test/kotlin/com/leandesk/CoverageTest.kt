package com.leandesk

import com.leandesk.jni.LeanDeskNative
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import java.io.File

/**
 * Every function of leandesk.h and of the headers it includes (export.h, sync.h) is reachable from
 * Java (SWIG layer) and used by the Kotlin facade, so a function added to the C API without a
 * binding fails here.
 */
class CoverageTest {
    private val header = File(System.getProperty("leandesk.header") ?: "include/leandesk/leandesk.h")
    private val sources = File(System.getProperty("leandesk.kotlin.src") ?: "bindings/kotlin/src/main")

    /** Functions the generated wrapper uses itself, and what replaces the function-pointer setters. */
    private val handledInside = mapOf(
        "ld_string_free" to "the char **out typemap",
        "ld_bytes_free" to "the uint8_t **out typemap",
        "ld_last_error" to "the status capture",
        "ld_last_error_code" to "the status capture",
        "ld_last_error_retry_after_ms" to "the status capture (RateLimited.retryAfterMs)",
        "ld_db_set_log" to "ldj_db_set_log",
        "ld_db_set_mail_sender" to "ldj_db_set_mail_sender",
        "ld_db_set_clock" to "ldj_db_set_clock",
        "ld_db_add_observer" to "ldj_db_add_observer",
        "ld_sync_set_rejection_callback" to "ldj_sync_set_rejection_callback"
    )

    /** leandesk.h and the headers it includes from its own folder. */
    private fun headers(): List<File> {
        assertTrue("header not found: $header", header.isFile)
        val included = Regex("#include \"([a-z0-9_]+\\.h)\"").findAll(header.readText())
            .map { File(header.parentFile, it.groupValues[1]) }.toList()
        for (f in included) assertTrue("included header not found: $f", f.isFile)
        return listOf(header) + included
    }

    private fun cFunctions(): List<String> {
        val text = headers().joinToString("\n") { it.readText() }
        return Regex("LD_API[^;(]*?\\b(ld_[a-z0-9_]+)\\s*\\(").findAll(text).map { it.groupValues[1] }.toList()
    }

    @Test
    fun theIncludedHeadersAreRead() {
        val names = headers().map { it.name }
        assertTrue(names.toString(), "export.h" in names && "sync.h" in names)
        assertTrue("ld_sync_now" in cFunctions() && "ld_group_export_xlsx" in cFunctions())
    }

    @Test
    fun everyCFunctionIsInTheJniLayer() {
        val functions = cFunctions()
        assertTrue(functions.size > 80)
        val java = LeanDeskNative::class.java.methods.map { it.name }.toSet()
        val missing = functions.filter { it !in java && it !in handledInside }
        assertEquals("C functions without a Java wrapper", emptyList<String>(), missing)
        for (replacement in handledInside.values.filter { it.startsWith("ldj_") }) {
            assertTrue(replacement, replacement in java)
        }
    }

    @Test
    fun everyCFunctionIsUsedByTheFacade() {
        assertTrue("sources not found: $sources", sources.isDirectory)
        val facade = sources.walk().filter { it.isFile && it.name.endsWith(".kt") }.joinToString("\n") { it.readText() }
        val unused = (cFunctions().filter { it !in handledInside } + handledInside.values.filter { it.startsWith("ldj_") })
            .filter { !Regex("\\bN\\.$it\\(|LeanDeskNative\\.$it\\(").containsMatchIn(facade) }
        assertEquals("C functions the Kotlin facade does not offer", emptyList<String>(), unused)
    }
}
