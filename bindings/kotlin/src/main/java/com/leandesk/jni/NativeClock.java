package com.leandesk.jni;

/** Replaces LeanDesk's clock (see ld_clock_fn). Must not call LeanDesk. */
public interface NativeClock {
    /** Milliseconds since the Unix epoch (UTC). */
    long nowMillis();
}
