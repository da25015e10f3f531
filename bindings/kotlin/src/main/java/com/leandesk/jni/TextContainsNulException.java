package com.leandesk.jni;

/**
 * A String passed to LeanDesk holds U+0000, which a C string cannot carry. The Kotlin facade turns
 * it into an invalid-argument error, as LeanDesk does for a NUL inside JSON.
 */
public final class TextContainsNulException extends IllegalArgumentException {
    public TextContainsNulException() {
        super("text passed to LeanDesk must not contain a NUL character (U+0000)");
    }
}
