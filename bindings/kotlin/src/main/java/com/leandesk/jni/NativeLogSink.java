package com.leandesk.jni;

/** Receives LeanDesk's log lines (see ld_log_fn). Must not call LeanDesk. */
public interface NativeLogSink {
    void log(int level, byte[] messageUtf8);
}
