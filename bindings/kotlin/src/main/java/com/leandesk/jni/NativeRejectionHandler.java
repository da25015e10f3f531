package com.leandesk.jni;

/** Receives a command the sync server refused, already undone on the replica (see ld_rejection_fn). */
public interface NativeRejectionHandler {
    /** UTF-8 JSON {command_id, command, args, code, rule, message}. */
    void onRejection(byte[] rejectionJsonUtf8);
}
