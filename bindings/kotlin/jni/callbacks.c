/*
 * JNI upcalls for the LeanDesk callbacks (ld_mail_fn, ld_log_fn, ld_clock_fn, ld_observer_fn,
 * ld_rejection_fn, ld_progress_fn) and the small helpers the SWIG-generated wrapper relies on.
 * Compiled into libleandesk_jni together with the generated leandesk_wrap.c.
 *
 * Each installed Java object is held through a JNI global reference inside a small counted record
 * passed to LeanDesk as `userdata`; LeanDesk's free function drops its count when the callback is
 * replaced, removed or the database closed, and the global reference goes with the last count.
 * The record is counted so that the helper installing it still owns it after a failed call, whether
 * or not LeanDesk called the free function on that failure path.
 *
 * A progress object lives for one call only: it is held by a global reference from before the call
 * to after it (ldj_progress_begin/end), not by LeanDesk.
 *
 * Threads: mail, log, clock and progress callbacks run on the thread of the LeanDesk call (a Java
 * thread in this binding); observers run on the committing thread, rejections on the thread of
 * ld_sync_now(). A thread that is not attached to the JVM is attached as a daemon and detached when
 * it ends.
 */
#include "callbacks.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static JavaVM *g_vm;
static pthread_key_t g_detach_key;

static jclass g_last_error_class;
static jmethodID g_last_error_capture; /* static void capture(int, byte[], long) */

static jclass g_mail_class, g_log_class, g_clock_class, g_observer_class, g_progress_class,
    g_rejection_class;
static jmethodID g_mail_send;           /* int send(byte[]) */
static jmethodID g_log_log;             /* void log(int, byte[]) */
static jmethodID g_clock_now;           /* long nowMillis() */
static jmethodID g_observer_on_changes; /* void onChanges(byte[]) */
static jmethodID g_progress_on_progress; /* boolean onProgress(long, long) */
static jmethodID g_rejection_on_rejection; /* void onRejection(byte[]) */

/* An error a helper below recorded itself, before or instead of a LeanDesk call. */
static __thread int t_local_error_set;
static __thread int t_local_error_code;
static __thread const char *t_local_error_message;

static int local_error(int code, const char *message) {
    t_local_error_set = 1;
    t_local_error_code = code;
    t_local_error_message = message;
    return code;
}

/* ---- threads ------------------------------------------------------------------------------ */

static void detach_at_thread_exit(void *value) {
    (void)value;
    if (g_vm != NULL) (*g_vm)->DetachCurrentThread(g_vm);
}

/* The JNIEnv of the calling thread, attaching it (as a daemon) when needed. */
static JNIEnv *current_env(void) {
    JNIEnv *env = NULL;
    if (g_vm == NULL) return NULL;
    jint rc = (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_6);
    if (rc == JNI_OK) return env;
    if (rc != JNI_EDETACHED) return NULL;
    JavaVMAttachArgs args;
    args.version = JNI_VERSION_1_6;
    args.name = (char *)"leandesk-callback";
    args.group = NULL;
#ifdef __ANDROID__
    rc = (*g_vm)->AttachCurrentThreadAsDaemon(g_vm, &env, &args);
#else
    rc = (*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args);
#endif
    if (rc != JNI_OK) return NULL;
    pthread_setspecific(g_detach_key, (void *)1);
    return env;
}

/* ---- load / unload -------------------------------------------------------------------------- */

static jclass global_class(JNIEnv *env, const char *name) {
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) return NULL;
    jclass global = (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
    /* Classes are looked up here, with the class loader that loads this library: a thread attached
     * later from native code would only see the system class loader (Android). */
    g_last_error_class = global_class(env, "com/leandesk/jni/LastError");
    g_mail_class = global_class(env, "com/leandesk/jni/NativeMailSender");
    g_log_class = global_class(env, "com/leandesk/jni/NativeLogSink");
    g_clock_class = global_class(env, "com/leandesk/jni/NativeClock");
    g_observer_class = global_class(env, "com/leandesk/jni/NativeObserver");
    g_progress_class = global_class(env, "com/leandesk/jni/NativeProgress");
    g_rejection_class = global_class(env, "com/leandesk/jni/NativeRejectionHandler");
    if (!g_last_error_class || !g_mail_class || !g_log_class || !g_clock_class || !g_observer_class ||
        !g_progress_class || !g_rejection_class) {
        return JNI_ERR;
    }
    g_last_error_capture = (*env)->GetStaticMethodID(env, g_last_error_class, "capture", "(I[BJ)V");
    g_mail_send = (*env)->GetMethodID(env, g_mail_class, "send", "([B)I");
    g_log_log = (*env)->GetMethodID(env, g_log_class, "log", "(I[B)V");
    g_clock_now = (*env)->GetMethodID(env, g_clock_class, "nowMillis", "()J");
    g_observer_on_changes = (*env)->GetMethodID(env, g_observer_class, "onChanges", "([B)V");
    g_progress_on_progress = (*env)->GetMethodID(env, g_progress_class, "onProgress", "(JJ)Z");
    g_rejection_on_rejection = (*env)->GetMethodID(env, g_rejection_class, "onRejection", "([B)V");
    if (!g_last_error_capture || !g_mail_send || !g_log_log || !g_clock_now || !g_observer_on_changes ||
        !g_progress_on_progress || !g_rejection_on_rejection) {
        return JNI_ERR;
    }
    if (pthread_key_create(&g_detach_key, detach_at_thread_exit) != 0) return JNI_ERR;
    g_vm = vm;
    return JNI_VERSION_1_6;
}

JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) return;
    jclass *classes[] = {&g_last_error_class, &g_mail_class,     &g_log_class,      &g_clock_class,
                         &g_observer_class,   &g_progress_class, &g_rejection_class};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; ++i) {
        if (*classes[i] != NULL) (*env)->DeleteGlobalRef(env, *classes[i]);
        *classes[i] = NULL;
    }
    g_vm = NULL;
}

/* ---- helpers for the generated wrapper ------------------------------------------------------- */

jbyteArray ldj_new_bytes(JNIEnv *env, const char *data, size_t size) {
    if (data == NULL) return NULL;
    if (size > (size_t)INT32_MAX) {
        jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
        if (oom != NULL) (*env)->ThrowNew(env, oom, "LeanDesk returned more than 2 GiB");
        return NULL;
    }
    jbyteArray array = (*env)->NewByteArray(env, (jsize)size);
    if (array == NULL) return NULL;
    if (size > 0) (*env)->SetByteArrayRegion(env, array, 0, (jsize)size, (const jbyte *)data);
    return array;
}

void ldj_capture_last_error(JNIEnv *env, int status) {
    int code;
    const char *message;
    int64_t retry_after_ms = -1; /* the server's time to wait, when the failure came with one */
    if (t_local_error_set) {
        code = t_local_error_code;
        message = t_local_error_message;
        t_local_error_set = 0;
    } else {
        code = ld_last_error_code();
        message = ld_last_error();
        retry_after_ms = ld_last_error_retry_after_ms();
        if (code == LD_OK) code = status; /* never report success for a failed call */
    }
    if ((*env)->ExceptionCheck(env)) return; /* a Java exception is already on its way */
    if (message == NULL) message = "";
    jbyteArray bytes = ldj_new_bytes(env, message, strlen(message));
    if (bytes == NULL) return;
    (*env)->CallStaticVoidMethod(env, g_last_error_class, g_last_error_capture, (jint)code, bytes,
                                 (jlong)retry_after_ms);
    (*env)->ExceptionCheck(env); /* an exception (out of memory) stays pending for the caller */
    (*env)->DeleteLocalRef(env, bytes);
}

/* ---- counted global references --------------------------------------------------------------- */

typedef struct ldj_ref {
    jobject object;       /* global reference */
    int count;            /* one for LeanDesk, one for the installing helper while it runs */
    int library_released; /* set when LeanDesk called the free function */
} ldj_ref;

static ldj_ref *ref_new(JNIEnv *env, jobject object) {
    ldj_ref *ref = (ldj_ref *)calloc(1, sizeof *ref);
    if (ref == NULL) return NULL;
    ref->object = (*env)->NewGlobalRef(env, object);
    if (ref->object == NULL) {
        free(ref);
        return NULL;
    }
    ref->count = 2;
    return ref;
}

static void ref_release(ldj_ref *ref) {
    if (__atomic_sub_fetch(&ref->count, 1, __ATOMIC_ACQ_REL) != 0) return;
    JNIEnv *env = current_env();
    if (env != NULL) (*env)->DeleteGlobalRef(env, ref->object);
    free(ref);
}

/* The ld_free_fn handed to LeanDesk. */
static void ref_free_by_library(void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    __atomic_store_n(&ref->library_released, 1, __ATOMIC_RELEASE);
    ref_release(ref);
}

/* After the install call: drop the helper's count, and LeanDesk's when it never took it. */
static int ref_settle(ldj_ref *ref, int status) {
    if (status != LD_OK && !__atomic_load_n(&ref->library_released, __ATOMIC_ACQUIRE)) {
        ref_release(ref);
    }
    ref_release(ref);
    return status;
}

/* ---- trampolines ------------------------------------------------------------------------------ */

/* Runs before a Java upcall: a local frame so that nothing leaks on long-lived native threads. */
static int enter(JNIEnv *env) {
    if ((*env)->PushLocalFrame(env, 8) != 0) {
        (*env)->ExceptionClear(env);
        return 0;
    }
    return 1;
}

/* Runs after it: a Java exception cannot cross LeanDesk's C++ frames, so it ends here (the Kotlin
 * facade catches its callers' exceptions before they reach this point). */
static int leave(JNIEnv *env) {
    int failed = (*env)->ExceptionCheck(env) ? 1 : 0;
    if (failed) (*env)->ExceptionClear(env);
    (*env)->PopLocalFrame(env, NULL);
    return failed;
}

static int mail_trampoline(const char *mail_json, void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || mail_json == NULL || !enter(env)) return 1;
    jint result = 1;
    jbyteArray bytes = ldj_new_bytes(env, mail_json, strlen(mail_json));
    if (bytes != NULL) result = (*env)->CallIntMethod(env, ref->object, g_mail_send, bytes);
    if (leave(env)) result = 1;
    return (int)result;
}

static void log_trampoline(int level, const char *message, void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || message == NULL || !enter(env)) return;
    jbyteArray bytes = ldj_new_bytes(env, message, strlen(message));
    if (bytes != NULL) (*env)->CallVoidMethod(env, ref->object, g_log_log, (jint)level, bytes);
    leave(env);
}

static int64_t system_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t clock_trampoline(void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || !enter(env)) return system_now_ms();
    jlong now = (*env)->CallLongMethod(env, ref->object, g_clock_now);
    if (leave(env)) return system_now_ms();
    return (int64_t)now;
}

static void observer_trampoline(const char *changes_json, void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || changes_json == NULL || !enter(env)) return;
    jbyteArray bytes = ldj_new_bytes(env, changes_json, strlen(changes_json));
    if (bytes != NULL) (*env)->CallVoidMethod(env, ref->object, g_observer_on_changes, bytes);
    leave(env);
}

static void rejection_trampoline(const char *rejection_json, void *userdata) {
    ldj_ref *ref = (ldj_ref *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || rejection_json == NULL || !enter(env)) return;
    jbyteArray bytes = ldj_new_bytes(env, rejection_json, strlen(rejection_json));
    if (bytes != NULL) (*env)->CallVoidMethod(env, ref->object, g_rejection_on_rejection, bytes);
    leave(env);
}

/* ---- progress: one call's object ------------------------------------------------------------- */

void *ldj_progress_begin(JNIEnv *env, jobject progress) {
    jobject *global = (jobject *)malloc(sizeof *global);
    if (global != NULL) *global = (*env)->NewGlobalRef(env, progress);
    if (global == NULL || *global == NULL) {
        free(global);
        if (!(*env)->ExceptionCheck(env)) {
            jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
            if (oom != NULL) (*env)->ThrowNew(env, oom, "cannot hold the progress callback");
        }
        return NULL;
    }
    return global;
}

void ldj_progress_end(JNIEnv *env, void *userdata) {
    jobject *global = (jobject *)userdata;
    if (global == NULL) return;
    (*env)->DeleteGlobalRef(env, *global);
    free(global);
}

/* Non-zero (cancel) when the object says so, throws, or cannot be reached: the work then stops
 * with LD_ECANCELLED and leaves nothing behind, which beats going on unobserved. */
int ldj_progress_trampoline(int64_t done, int64_t total, void *userdata) {
    jobject *global = (jobject *)userdata;
    JNIEnv *env = current_env();
    if (env == NULL || global == NULL || !enter(env)) return 1;
    jboolean go = (*env)->CallBooleanMethod(env, *global, g_progress_on_progress, (jlong)done, (jlong)total);
    if (leave(env)) return 1;
    return go ? 0 : 1;
}

/* ---- installers -------------------------------------------------------------------------------- */

int ldj_db_set_mail_sender(ld_db *db, JNIEnv *env, jobject mail_sender) {
    t_local_error_set = 0;
    if (mail_sender == NULL) return ld_db_set_mail_sender(db, NULL, NULL, NULL);
    ldj_ref *ref = ref_new(env, mail_sender);
    if (ref == NULL) return local_error(LD_ENOMEM, "out of memory");
    return ref_settle(ref, ld_db_set_mail_sender(db, mail_trampoline, ref, ref_free_by_library));
}

int ldj_db_set_log(ld_db *db, JNIEnv *env, jobject log_sink) {
    t_local_error_set = 0;
    if (log_sink == NULL) return ld_db_set_log(db, NULL, NULL, NULL);
    ldj_ref *ref = ref_new(env, log_sink);
    if (ref == NULL) return local_error(LD_ENOMEM, "out of memory");
    return ref_settle(ref, ld_db_set_log(db, log_trampoline, ref, ref_free_by_library));
}

int ldj_db_set_clock(ld_db *db, JNIEnv *env, jobject clock) {
    t_local_error_set = 0;
    if (clock == NULL) return ld_db_set_clock(db, NULL, NULL, NULL);
    ldj_ref *ref = ref_new(env, clock);
    if (ref == NULL) return local_error(LD_ENOMEM, "out of memory");
    return ref_settle(ref, ld_db_set_clock(db, clock_trampoline, ref, ref_free_by_library));
}

int ldj_db_add_observer(uint64_t *out, ld_db *db, JNIEnv *env, jobject observer) {
    t_local_error_set = 0;
    if (out != NULL) *out = 0;
    if (observer == NULL) return local_error(LD_EINVAL, "observer must not be null");
    ldj_ref *ref = ref_new(env, observer);
    if (ref == NULL) return local_error(LD_ENOMEM, "out of memory");
    return ref_settle(ref, ld_db_add_observer(out, db, observer_trampoline, ref, ref_free_by_library));
}

int ldj_sync_set_rejection_callback(ld_db *db, JNIEnv *env, jobject rejection_handler) {
    t_local_error_set = 0;
    if (rejection_handler == NULL) return ld_sync_set_rejection_callback(db, NULL, NULL, NULL);
    ldj_ref *ref = ref_new(env, rejection_handler);
    if (ref == NULL) return local_error(LD_ENOMEM, "out of memory");
    return ref_settle(ref, ld_sync_set_rejection_callback(db, rejection_trampoline, ref, ref_free_by_library));
}
