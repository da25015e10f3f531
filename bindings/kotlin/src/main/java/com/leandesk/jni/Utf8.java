package com.leandesk.jni;

import java.nio.charset.StandardCharsets;

/**
 * Strings across the JNI boundary as real UTF-8. JNI's own string functions speak "modified UTF-8"
 * (characters outside the BMP as two 3-byte surrogates, U+0000 as two bytes), which is not what
 * LeanDesk reads or writes, so the generated wrapper passes bytes and converts here.
 */
public final class Utf8 {
    private Utf8() {}

    /** UTF-8 bytes of {@code s} followed by a terminating 0 byte; null for null. */
    public static byte[] encodeZ(String s) {
        if (s == null) return null;
        if (s.indexOf('\u0000') >= 0) {
            throw new TextContainsNulException();
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, z, 0, bytes.length);
        return z;
    }

    /** The string of UTF-8 {@code bytes}; null for null. */
    public static String decode(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
