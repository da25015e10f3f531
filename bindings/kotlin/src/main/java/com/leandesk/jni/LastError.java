package com.leandesk.jni;

/**
 * The last LeanDesk error of the calling Java thread, as the native wrapper read it (on the same
 * thread, right after the failed call: ld_last_error_code(), ld_last_error() and
 * ld_last_error_retry_after_ms()). The Kotlin facade
 * takes it to build its exception.
 */
public final class LastError {
    private static final ThreadLocal<LastError> CURRENT = new ThreadLocal<LastError>();

    /** The LD_E* code. */
    public final int code;
    /** The message ("R9: ..." for a rule refusal); never null. */
    public final String message;
    /** The server's time to wait in milliseconds (ld_last_error_retry_after_ms()), or -1: none. */
    public final long retryAfterMs;

    private LastError(int code, String message, long retryAfterMs) {
        this.code = code;
        this.message = message;
        this.retryAfterMs = retryAfterMs < 0 ? -1 : retryAfterMs;
    }

    /** Called by the native wrapper (bindings/kotlin/jni/callbacks.c) after a failed call. */
    static void capture(int code, byte[] message, long retryAfterMs) {
        String text = Utf8.decode(message);
        CURRENT.set(new LastError(code, text == null ? "" : text, retryAfterMs));
    }

    /**
     * Returns and clears the error captured for the calling thread. When nothing was captured (the
     * call failed in a way the wrapper could not report), the result carries {@code status} and an
     * empty message.
     */
    public static LastError take(int status) {
        LastError e = CURRENT.get();
        CURRENT.remove();
        if (e == null || e.code != status) return new LastError(status, e == null ? "" : e.message, -1);
        return e;
    }

    @Override
    public String toString() {
        return "LastError(" + code + ", " + message + ", " + retryAfterMs + ")";
    }
}
