package com.leandesk.jni;

/**
 * Progress of long work: export, backup, restore, sync (see ld_progress_fn). Called on the thread
 * doing the work, during the call only. Must not call LeanDesk.
 */
public interface NativeProgress {
    /** {@code done} of {@code total} units ({@code total} 0 when unknown); false cancels the work. */
    boolean onProgress(long done, long total);
}
