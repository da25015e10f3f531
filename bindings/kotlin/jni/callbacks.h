/*
 * The hand-written part of the JNI layer: C callbacks of leandesk.h that call Java objects, and the
 * helpers the SWIG-generated wrapper (bindings/kotlin/swig/leandesk.i) uses.
 */
#ifndef LEANDESK_JNI_CALLBACKS_H
#define LEANDESK_JNI_CALLBACKS_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include "leandesk/leandesk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stores the calling thread's last LeanDesk error in com.leandesk.jni.LastError (a Java
 * ThreadLocal). Called by every generated wrapper right after a call that did not return LD_OK.
 * `status` is the call's result; when a helper below failed on its own (before LeanDesk ran), the
 * error it recorded is kept instead. */
void ldj_capture_last_error(JNIEnv *env, int status);

/* A new Java byte[] holding `size` bytes of `data` (NULL when `data` is NULL or on failure, with a
 * pending OutOfMemoryError in the latter case). */
jbyteArray ldj_new_bytes(JNIEnv *env, const char *data, size_t size);

/* Installs (or, with a null object, removes) a Java callback. The database keeps a JNI global
 * reference to the object until the callback is replaced, removed or the database closed. */
int ldj_db_set_mail_sender(ld_db *db, JNIEnv *env, jobject mail_sender); /* NativeMailSender */
int ldj_db_set_log(ld_db *db, JNIEnv *env, jobject log_sink);            /* NativeLogSink */
int ldj_db_set_clock(ld_db *db, JNIEnv *env, jobject clock);             /* NativeClock */
/* Registers a NativeObserver (required); `*out` receives the id for ld_db_remove_observer(). */
int ldj_db_add_observer(uint64_t *out, ld_db *db, JNIEnv *env, jobject observer);
/* Installs (or, with a null object, removes) a NativeRejectionHandler on a sync replica. */
int ldj_sync_set_rejection_callback(ld_db *db, JNIEnv *env, jobject rejection_handler);

/* Progress of one call (export, backup, restore, sync): the wrapper of a function taking
 * `ld_progress_fn progress, void *userdata` calls ldj_progress_begin() with the NativeProgress
 * object before the call, passes ldj_progress_trampoline and the returned pointer to LeanDesk, and
 * calls ldj_progress_end() after it. begin returns NULL (with a pending OutOfMemoryError) on
 * failure. The object is held by a global reference for the call only, so the trampoline works on
 * whichever thread LeanDesk calls it. A Java exception thrown by the object cancels the work. */
void *ldj_progress_begin(JNIEnv *env, jobject progress);
void ldj_progress_end(JNIEnv *env, void *userdata);
int ldj_progress_trampoline(int64_t done, int64_t total, void *userdata);

#ifdef __cplusplus
}
#endif

#endif /* LEANDESK_JNI_CALLBACKS_H */
