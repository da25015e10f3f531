package com.leandesk.jni;

/** Receives a mail from LeanDesk (see ld_mail_fn): UTF-8 JSON {to, to_name, subject, text, html}. */
public interface NativeMailSender {
    /** 0 when the mail was handed over, non-zero when not (the operation then fails with LD_EIO). */
    int send(byte[] mailJsonUtf8);
}
