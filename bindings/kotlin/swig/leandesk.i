/*
 * SWIG interface for the Java/Kotlin binding of LeanDesk: the JNI layer over include/leandesk/leandesk.h
 * and the headers it includes (export.h, sync.h).
 *
 * This file is the source; bindings/kotlin/build.sh (or the Android module's CMake build) runs
 * `swig -java -package com.leandesk.jni` on it. Nothing it generates is committed.
 *
 * What the generated Java API (class com.leandesk.jni.LeanDeskNative) looks like:
 *
 *  - Every status-returning function keeps its `int` status (LD_OK or a negative LD_E* code). When
 *    the status is not LD_OK, the native wrapper itself reads ld_last_error_code()/ld_last_error()
 *    /ld_last_error_retry_after_ms() on the calling thread, right after the call, and stores them
 *    in com.leandesk.jni.LastError (a
 *    Java ThreadLocal): the Kotlin facade takes them from there. Nothing can run between the C call
 *    and the read, and a Java (even virtual) thread that moved to another OS thread still finds its
 *    own error.
 *  - `char **out` is a `String[] out` holder of length >= 1: out[0] receives the string (decoded
 *    as real UTF-8, not JNI's "modified UTF-8"), and the C string is freed with ld_string_free().
 *    The same for `char **out_html` / `char **out_text` (ld_project_report).
 *  - `ld_db **out` / `ld_session **out` are `SWIGTYPE_p_ld_db[]` / `SWIGTYPE_p_ld_session[]` holders.
 *  - `uint64_t *out` and `int *out` are `long[]` / `int[]` holders; uint64_t inputs are Java longs.
 *  - `const uint8_t *image, size_t size` is a `byte[]` (null = no bytes);
 *    `uint8_t **out, size_t *out_size` is a `byte[][]` holder (freed with ld_bytes_free()).
 *  - `const char *` inputs are Java Strings sent as NUL-terminated UTF-8 (a String holding U+0000 is
 *    refused with IllegalArgumentException: C would cut it there). `const char *` results are
 *    Strings.
 *  - Callbacks (mail sender, log, clock, observers, sync rejections) are Java interfaces
 *    (NativeMailSender, NativeLogSink, NativeClock, NativeObserver, NativeRejectionHandler)
 *    installed through the hand-written C shim in bindings/kotlin/jni/callbacks.c:
 *    ldj_db_set_mail_sender(), ldj_db_set_log(), ldj_db_set_clock(), ldj_db_add_observer(),
 *    ldj_sync_set_rejection_callback(). The raw function-pointer setters are not exposed.
 *  - `ld_progress_fn progress, void *userdata` (export, backup, restore, sync) is one
 *    com.leandesk.jni.NativeProgress argument (null = no progress), held for the call only.
 */
%module(jniclassname="LeanDeskNativeJNI") LeanDeskNative

%{
#include <string.h>
#include "leandesk/leandesk.h"
#include "leandesk/export.h"
#include "leandesk/sync.h"
#include "callbacks.h"
%}

%include <stdint.i>

/* Load libleandesk (when it sits next to us or on java.library.path) and then the JNI library. */
%pragma(java) jniclasscode=%{
  static {
    try {
      System.loadLibrary("leandesk");
    } catch (UnsatisfiedLinkError e) {
      // Not on java.library.path: the dynamic linker finds it through the JNI library's
      // DT_NEEDED entry (rpath, LD_LIBRARY_PATH or, on Android, the app's native library dir).
    }
    System.loadLibrary("leandesk_jni");
  }
%}
%pragma(java) moduleclassmodifiers="public final class"
%pragma(java) jniclassclassmodifiers="public final class"

/* Constants become compile-time Java constants, except the header version: that one is read from
 * the native wrapper, i.e. the header it was compiled against, for the load-time check. */
%javaconst(1);
%javaconst(0) LD_VERSION_NUMBER;

/* ---- status capture ------------------------------------------------------------------------ */
%exception {
  $action
  if (result != LD_OK) ldj_capture_last_error(jenv, (int)result);
}
/* Functions that return something else than a status. */
%noexception ld_version;
%noexception ld_version_number;
%noexception ld_last_error_code;
%noexception ld_last_error;
%noexception ld_last_error_retry_after_ms;
%noexception ld_error_name;
%noexception ld_db_close;
%noexception ld_session_free;

/* ---- JNIEnv for the callback helpers --------------------------------------------------------- */
%typemap(in, numinputs=0) JNIEnv *jenv "$1 = jenv;"

/* ---- strings in: NUL-terminated UTF-8 byte arrays ---------------------------------------------- */
%typemap(jni) const char * "jbyteArray"
%typemap(jtype) const char * "byte[]"
%typemap(jstype) const char * "String"
%typemap(javain) const char * "com.leandesk.jni.Utf8.encodeZ($javainput)"
%typemap(in) const char * {
  $1 = NULL;
  if ($input) {
    $1 = (char *)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1) return $null;
  }
}
%typemap(freearg) const char * {
  if ($1) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}
/* ---- strings out (static storage: ld_version, ld_last_error, ld_error_name) --------------------- */
%typemap(out) const char * {
  $result = ldj_new_bytes(jenv, $1, $1 ? strlen($1) : 0);
}
%typemap(javaout) const char * {
    return com.leandesk.jni.Utf8.decode($jnicall);
  }

/* ---- char **out: String[] holder ------------------------------------------------------------- */
%typemap(jni) char **out "jobjectArray"
%typemap(jtype) char **out "byte[][]"
%typemap(jstype) char **out "String[]"
%typemap(javain,
         pre="    byte[][] temp$javainput = new byte[1][];",
         post="      $javainput[0] = com.leandesk.jni.Utf8.decode(temp$javainput[0]);") char **out "temp$javainput"
%typemap(in) char **out (char *temp = NULL) {
  $1 = &temp;
}
%typemap(argout) char **out {
  if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
    jbyteArray bytes = ldj_new_bytes(jenv, *$1, strlen(*$1));
    if (bytes) {
      (*jenv)->SetObjectArrayElement(jenv, $input, 0, bytes);
      (*jenv)->DeleteLocalRef(jenv, bytes);
    }
  }
}
%typemap(freearg) char **out {
  if ($1) ld_string_free(*$1);
}

/* Two strings out at once (ld_project_report). */
%apply char **out { char **out_html, char **out_text };

/* ---- handles out ------------------------------------------------------------------------------ */
%typemap(jni) ld_db **out "jlongArray"
%typemap(jtype) ld_db **out "long[]"
%typemap(jstype) ld_db **out "SWIGTYPE_p_ld_db[]"
%typemap(javain,
         pre="    long[] temp$javainput = new long[1];",
         post="      $javainput[0] = temp$javainput[0] == 0 ? null : new SWIGTYPE_p_ld_db(temp$javainput[0], false);") ld_db **out "temp$javainput"
%typemap(in) ld_db **out (ld_db *temp = NULL) {
  $1 = &temp;
}
%typemap(argout) ld_db **out {
  jlong handle = (jlong)(intptr_t)*$1;
  if ((*jenv)->ExceptionCheck(jenv)) {
    ld_db_close(*$1); /* nobody would ever receive it */
  } else {
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &handle);
  }
}

%typemap(jni) ld_session **out "jlongArray"
%typemap(jtype) ld_session **out "long[]"
%typemap(jstype) ld_session **out "SWIGTYPE_p_ld_session[]"
%typemap(javain,
         pre="    long[] temp$javainput = new long[1];",
         post="      $javainput[0] = temp$javainput[0] == 0 ? null : new SWIGTYPE_p_ld_session(temp$javainput[0], false);") ld_session **out "temp$javainput"
%typemap(in) ld_session **out (ld_session *temp = NULL) {
  $1 = &temp;
}
%typemap(argout) ld_session **out {
  jlong handle = (jlong)(intptr_t)*$1;
  if ((*jenv)->ExceptionCheck(jenv)) {
    ld_session_free(*$1); /* nobody would ever receive it */
  } else {
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &handle);
  }
}

/* ---- 64-bit ids and int outputs ----------------------------------------------------------------- */
%apply long long { uint64_t };

%typemap(jni) uint64_t *out "jlongArray"
%typemap(jtype) uint64_t *out "long[]"
%typemap(jstype) uint64_t *out "long[]"
%typemap(javain) uint64_t *out "$javainput"
%typemap(in) uint64_t *out (uint64_t temp = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "out must be an array of length >= 1");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) uint64_t *out {
  jlong value = (jlong)*$1;
  if (!(*jenv)->ExceptionCheck(jenv)) (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &value);
}

%typemap(jni) int *out "jintArray"
%typemap(jtype) int *out "int[]"
%typemap(jstype) int *out "int[]"
%typemap(javain) int *out "$javainput"
%typemap(in) int *out (int temp = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "out must be an array of length >= 1");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) int *out {
  jint value = (jint)*$1;
  if (!(*jenv)->ExceptionCheck(jenv)) (*jenv)->SetIntArrayRegion(jenv, $input, 0, 1, &value);
}

/* ---- bytes in: byte[] ------------------------------------------------------------------------ */
%typemap(jni) (const uint8_t *image, size_t size) "jbyteArray"
%typemap(jtype) (const uint8_t *image, size_t size) "byte[]"
%typemap(jstype) (const uint8_t *image, size_t size) "byte[]"
%typemap(javain) (const uint8_t *image, size_t size) "$javainput"
%typemap(in) (const uint8_t *image, size_t size) {
  $1 = NULL;
  $2 = 0;
  if ($input) {
    /* Not GetPrimitiveArrayCritical: the call may run observers, which make JNI calls. */
    $1 = (uint8_t *)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1) return $null;
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
  }
}
%typemap(freearg) (const uint8_t *image, size_t size) {
  if ($1) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* ---- bytes out: byte[][] holder ---------------------------------------------------------------- */
%typemap(jni) (uint8_t **out, size_t *out_size) "jobjectArray"
%typemap(jtype) (uint8_t **out, size_t *out_size) "byte[][]"
%typemap(jstype) (uint8_t **out, size_t *out_size) "byte[][]"
%typemap(javain) (uint8_t **out, size_t *out_size) "$javainput"
%typemap(in) (uint8_t **out, size_t *out_size) (uint8_t *temp = NULL, size_t temp_size = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "out must be an array of length >= 1");
    return $null;
  }
  $1 = &temp;
  $2 = &temp_size;
}
%typemap(argout) (uint8_t **out, size_t *out_size) {
  if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
    jbyteArray bytes = ldj_new_bytes(jenv, (const char *)*$1, *$2);
    if (bytes) {
      (*jenv)->SetObjectArrayElement(jenv, $input, 0, bytes);
      (*jenv)->DeleteLocalRef(jenv, bytes);
    }
  }
}
%typemap(freearg) (uint8_t **out, size_t *out_size) {
  if ($1) ld_bytes_free(*$1);
}

/* ---- callback objects: typed Java interfaces --------------------------------------------------- */
%typemap(jtype) jobject mail_sender "com.leandesk.jni.NativeMailSender"
%typemap(jstype) jobject mail_sender "com.leandesk.jni.NativeMailSender"
%typemap(jtype) jobject log_sink "com.leandesk.jni.NativeLogSink"
%typemap(jstype) jobject log_sink "com.leandesk.jni.NativeLogSink"
%typemap(jtype) jobject clock "com.leandesk.jni.NativeClock"
%typemap(jstype) jobject clock "com.leandesk.jni.NativeClock"
%typemap(jtype) jobject observer "com.leandesk.jni.NativeObserver"
%typemap(jstype) jobject observer "com.leandesk.jni.NativeObserver"
%typemap(jtype) jobject rejection_handler "com.leandesk.jni.NativeRejectionHandler"
%typemap(jstype) jobject rejection_handler "com.leandesk.jni.NativeRejectionHandler"

/* ---- progress of one call: a NativeProgress object ----------------------------------------------- */
%typemap(jni) (ld_progress_fn progress, void *userdata) "jobject"
%typemap(jtype) (ld_progress_fn progress, void *userdata) "com.leandesk.jni.NativeProgress"
%typemap(jstype) (ld_progress_fn progress, void *userdata) "com.leandesk.jni.NativeProgress"
%typemap(javain) (ld_progress_fn progress, void *userdata) "$javainput"
%typemap(in) (ld_progress_fn progress, void *userdata) {
  $1 = NULL;
  $2 = NULL;
  if ($input) {
    $2 = ldj_progress_begin(jenv, $input);
    if (!$2) return $null; /* an OutOfMemoryError is pending */
    $1 = ldj_progress_trampoline;
  }
}
%typemap(freearg) (ld_progress_fn progress, void *userdata) {
  ldj_progress_end(jenv, $2);
}

/* ---- what is not exposed as is ----------------------------------------------------------------- */
/* Memory is managed by the typemaps above. */
%ignore ld_string_free;
%ignore ld_bytes_free;
/* Function-pointer setters: use the ldj_* helpers below. */
%ignore ld_db_set_log;
%ignore ld_db_set_mail_sender;
%ignore ld_db_set_clock;
%ignore ld_db_add_observer;
%ignore ld_sync_set_rejection_callback;
/* Callback typedefs need no Java counterpart. */
%ignore ld_free_fn;
%ignore ld_log_fn;
%ignore ld_mail_fn;
%ignore ld_clock_fn;
%ignore ld_observer_fn;
%ignore ld_progress_fn;
%ignore ld_rejection_fn;
/* LD_API expands to nothing for SWIG. */
#define LD_API

%include "leandesk/leandesk.h"
/* leandesk.h includes these; SWIG does not follow #include, so they are named here. */
%include "leandesk/export.h"
%include "leandesk/sync.h"

/* ---- the callback helpers (bindings/kotlin/jni/callbacks.c) ------------------------------------ */
int ldj_db_set_mail_sender(ld_db *db, JNIEnv *jenv, jobject mail_sender);
int ldj_db_set_log(ld_db *db, JNIEnv *jenv, jobject log_sink);
int ldj_db_set_clock(ld_db *db, JNIEnv *jenv, jobject clock);
int ldj_db_add_observer(uint64_t *out, ld_db *db, JNIEnv *jenv, jobject observer);
int ldj_sync_set_rejection_callback(ld_db *db, JNIEnv *jenv, jobject rejection_handler);
