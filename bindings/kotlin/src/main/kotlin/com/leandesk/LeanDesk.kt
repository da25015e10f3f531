package com.leandesk

import com.leandesk.jni.LeanDeskNative as N

/** The library as a whole: versions and error names. */
object LeanDesk {
    /** The loaded library's version ("0.1.0"). */
    @JvmStatic
    val version: String
        get() {
            Loader.ensure()
            return N.ld_version()
        }

    /** The loaded library's version as MAJOR * 1000000 + MINOR * 1000 + PATCH. */
    @JvmStatic
    val versionNumber: Int
        get() {
            Loader.ensure()
            return N.ld_version_number()
        }

    /** The version of the header this binding was built against. */
    @JvmStatic
    val headerVersionNumber: Int
        get() = N.LD_VERSION_NUMBER

    /**
     * Loads the native libraries and checks that the library can serve this binding (same major
     * version, minor at least the header's); throws [LeanDeskException.Conflict] otherwise. Done
     * automatically before the first database opens.
     */
    @JvmStatic
    fun checkVersion() = Loader.ensure()

    /** A short stable name for a status code ("permission denied"). */
    @JvmStatic
    fun errorName(code: Int): String = N.ld_error_name(code)
}
