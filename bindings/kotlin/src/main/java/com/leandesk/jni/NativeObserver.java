package com.leandesk.jni;

/** Receives the change records of each committed unit of work (see ld_observer_fn). */
public interface NativeObserver {
    /** UTF-8 JSON array of {seq, entity, entity_id, op, fields, at, actor, group_id, project_id}. */
    void onChanges(byte[] changesJsonUtf8);
}
