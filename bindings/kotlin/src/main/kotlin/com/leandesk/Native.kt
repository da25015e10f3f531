package com.leandesk

import com.leandesk.jni.LastError
import com.leandesk.jni.LeanDeskNative
import com.leandesk.jni.LeanDeskNativeConstants
import com.leandesk.jni.NativeProgress
import org.json.JSONArray
import org.json.JSONException
import org.json.JSONObject

/** The facade's glue to the SWIG layer: status checks, errors, callbacks' thread state. */
internal object Native {
    /** How deep the calling thread is inside a mail sender, clock, log or progress callback. */
    internal val restrictedDepth = object : ThreadLocal<IntArray>() {
        override fun initialValue() = IntArray(1)
    }

    /** What a mail sender lambda threw on this thread, to become the cause of the LD_EIO. */
    internal val callbackFailure = ThreadLocal<Throwable>()

    /** Throws the exception for a failed [status] (the error the native wrapper captured). */
    fun check(status: Int) {
        if (status != LeanDeskNativeConstants.LD_OK) throw failure(status)
    }

    fun failure(status: Int): LeanDeskException {
        val error = LastError.take(status)
        val cause = callbackFailure.get()
        if (cause != null) callbackFailure.remove()
        // A mail sender's failure is what makes an operation fail with LD_EIO.
        return LeanDeskException.of(
            error.code, error.message, if (error.code == LeanDeskNativeConstants.LD_EIO) cause else null,
            error.retryAfterMs
        )
    }

    /** Refuses a LeanDesk call from inside a callback that the C API forbids to call LeanDesk. */
    fun checkNotRestricted() {
        if (restrictedDepth.get()[0] > 0) {
            throw IllegalStateException(
                "a mail sender, clock, log or progress callback must not call LeanDesk (it runs inside a LeanDesk call)"
            )
        }
    }

    inline fun <T> restricted(block: () -> T): T {
        val depth = restrictedDepth.get()
        depth[0]++
        try {
            return block()
        } finally {
            depth[0]--
        }
    }

    fun recordCallbackFailure(t: Throwable) {
        callbackFailure.set(t)
    }

    /** Runs a C call whose result comes through a `char **out`; returns the string. */
    inline fun string(call: (Array<String?>) -> Int): String {
        val out = arrayOfNulls<String>(1)
        check(call(out))
        return out[0] ?: throw LeanDeskException.Internal("LeanDesk reported success but returned no text")
    }
}

/**
 * One C call that takes an `ld_progress_fn` (export, backup, restore, sync), forwarding to a
 * [Progress] lambda or to none. What the lambda throws cancels the work and is rethrown by [finish]
 * once the C call returned (as the C++ wrapper's ProgressCall does): an exception cannot travel
 * through LeanDesk's C++ frames.
 */
internal class ProgressCall(progress: Progress?) {
    @Volatile
    private var failure: Throwable? = null

    /** The object to hand to the JNI layer; null without a lambda. */
    val native: NativeProgress? = if (progress == null) null else NativeProgress { done, total ->
        try {
            Native.restricted { progress(done, total) }
        } catch (t: Throwable) {
            if (failure == null) failure = t
            false
        }
    }

    /** Rethrows what the lambda threw, if anything, else checks [status]. */
    fun finish(status: Int) {
        val thrown = failure
        if (thrown != null) {
            // The Cancelled error the C call captured for this thread is consumed, not reported.
            if (status != LeanDeskNativeConstants.LD_OK) LastError.take(status)
            throw thrown
        }
        Native.check(status)
    }
}

/** The library is loaded and its version checked once, before the first handle is made. */
internal object Loader {
    private val check: Unit by lazy {
        // The Java layer and libleandesk_jni come from one SWIG run over one header.
        val javaHeader = LeanDeskNativeConstants.LD_VERSION_MAJOR * 1000000 +
            LeanDeskNativeConstants.LD_VERSION_MINOR * 1000 + LeanDeskNativeConstants.LD_VERSION_PATCH
        val nativeHeader = LeanDeskNative.LD_VERSION_NUMBER
        if (javaHeader != nativeHeader) {
            throw LeanDeskException.Conflict(
                "the LeanDesk Java layer was generated from header $javaHeader but libleandesk_jni " +
                    "was compiled against $nativeHeader: rebuild them together"
            )
        }
        // The header the wrapper was compiled against versus the library loaded at run time.
        Native.check(LeanDeskNative.ld_check_version(nativeHeader))
    }

    fun ensure() = check
}

// ---- JSON helpers (org.json as on Android) -----------------------------------------------------

/** Decodes LeanDesk's JSON [text]; a shape this binding cannot read is an [LeanDeskException.Internal]. */
internal inline fun <T> decodeObject(what: String, text: String, decode: (JSONObject) -> T): T =
    decoding(what) { decode(JSONObject(text)) }

internal inline fun <T> decodeArray(what: String, text: String, decode: (JSONObject) -> T): List<T> =
    decoding(what) { JSONArray(text).objects(decode) }

internal inline fun <T> decoding(what: String, block: () -> T): T {
    try {
        return block()
    } catch (e: JSONException) {
        throw LeanDeskException.Internal("cannot read the $what LeanDesk returned: ${e.message}", e)
    } catch (e: IllegalArgumentException) {
        throw LeanDeskException.Internal("cannot read the $what LeanDesk returned: ${e.message}", e)
    }
}

internal inline fun <T> JSONArray.objects(decode: (JSONObject) -> T): List<T> {
    val n = length()
    val list = ArrayList<T>(n)
    for (i in 0 until n) list.add(decode(getJSONObject(i)))
    return list
}

internal fun JSONArray.strings(): List<String> {
    val n = length()
    val list = ArrayList<String>(n)
    for (i in 0 until n) {
        val v = get(i)
        if (v !is String) throw JSONException("item $i is not a string")
        list.add(v)
    }
    return list
}

internal fun JSONObject.str(key: String): String {
    val v = get(key)
    if (v !is String) throw JSONException("'$key' is not a string")
    return v
}

internal fun JSONObject.strOrNull(key: String): String? = if (isNull(key)) null else str(key)

internal fun JSONObject.long(key: String): Long {
    val v = get(key)
    if (v !is Number) throw JSONException("'$key' is not a number")
    return v.toLong()
}

internal fun JSONObject.longOrNull(key: String): Long? = if (isNull(key)) null else long(key)

internal fun JSONObject.int(key: String): Int = long(key).toInt()

internal fun JSONObject.double(key: String): Double {
    val v = get(key)
    if (v !is Number) throw JSONException("'$key' is not a number")
    return v.toDouble()
}

internal fun JSONObject.doubleOrNull(key: String): Double? = if (isNull(key)) null else double(key)

internal fun JSONObject.bool(key: String): Boolean {
    val v = get(key)
    if (v !is Boolean) throw JSONException("'$key' is not a boolean")
    return v
}

internal fun JSONObject.obj(key: String): JSONObject = getJSONObject(key)

internal fun JSONObject.array(key: String): JSONArray = getJSONArray(key)

/**
 * The deepest nesting of JSON objects and arrays (and maps, collections and arrays) an input may
 * have here: org.json writes values recursively, so deeper input is refused by [checkDepth] with
 * [LeanDeskException.InvalidArgument] before it is written. The library itself refuses more than
 * 32 levels.
 */
internal const val MAX_INPUT_DEPTH = 512

/**
 * Throws [LeanDeskException.InvalidArgument] when [value] nests containers more than
 * [MAX_INPUT_DEPTH] deep. Walks it with an explicit stack, depth first, never recursively (a value
 * that contains itself is refused too, as too deep).
 */
internal fun checkDepth(value: Any?) {
    val unvisited = ArrayList<Pair<Any?, Int>>()
    unvisited.add(Pair(value, 0))
    walk@ while (unvisited.isNotEmpty()) {
        val (item, parentDepth) = unvisited.removeAt(unvisited.size - 1)
        val children: Iterator<Any?> = when (item) {
            is JSONObject -> item.keys().asSequence().map { item.opt(it) }.iterator()
            is JSONArray -> (0 until item.length()).asSequence().map { item.opt(it) }.iterator()
            is Map<*, *> -> item.values.iterator()
            is Iterable<*> -> item.iterator()
            is Array<*> -> item.iterator()
            else -> continue@walk
        }
        val depth = parentDepth + 1
        if (depth > MAX_INPUT_DEPTH) {
            throw LeanDeskException.InvalidArgument(
                "JSON input is nested too deeply (more than $MAX_INPUT_DEPTH levels of objects and arrays)"
            )
        }
        for (child in children) unvisited.add(Pair(child, depth))
    }
}

/** Builds a JSON object text; null values are left out (use [JSONObject.NULL] for an explicit null). */
internal fun jsonOf(vararg pairs: Pair<String, Any?>): String {
    val o = JSONObject()
    try {
        for ((k, v) in pairs) if (v != null) {
            checkDepth(v)
            o.put(k, v)
        }
    } catch (e: JSONException) {
        throw LeanDeskException.InvalidArgument(e.message ?: "invalid value", e)
    }
    return o.toString()
}
