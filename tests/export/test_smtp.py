"""Mail through the SMTP sender (src/mail) to a real SMTP server on loopback: aiosmtpd, started
here in a thread of this process, receives each message, which Python's email package then parses
and checks: headers (Date, Message-ID, From, To, Subject with RFC 2047 words, MIME-Version), the
multipart/alternative structure, the decoded text and HTML bodies; TLS required (STARTTLS with a
test CA) except to loopback when allowed; authentication; the accounts layer's mails through the
"smtp" option of ld_db_open.

Needs LEANDESK_EXPORT_DRIVER (set by ctest), aiosmtpd and the openssl command.
"""
import datetime as dt
import email
import email.policy
import email.utils
import json
import os
import shutil
import socket
import ssl
import subprocess

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

DRIVER = os.environ.get("LEANDESK_EXPORT_DRIVER")
pytestmark = pytest.mark.skipif(not DRIVER, reason="LEANDESK_EXPORT_DRIVER is not set")

FROM = "noreply@example.com"
FROM_NAME = "Équipe LeanDesk"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "bytes": envelope.original_content or envelope.content,
            "tls": session.ssl is not None,
            "authenticated": session.authenticated,
        })
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def plain_server():
    inbox = Inbox()
    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    yield inbox, port
    ctl.stop()


@pytest.fixture(scope="module")
def test_ca(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", d / "key.pem",
                    "-out", d / "cert.pem"], check=True, capture_output=True)
    return d


@pytest.fixture
def tls_server(test_ca):
    inbox = Inbox()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(test_ca / "cert.pem", test_ca / "key.pem")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == b"s3cret pass"
        # handled=False: aiosmtpd then answers 535 itself (its default, True, answers nothing).
        return AuthResult(success=ok, handled=False)

    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                     authenticator=authenticator, auth_required=True)
    ctl.start()
    yield inbox, port, test_ca / "cert.pem"
    ctl.stop()


def run(*args):
    return subprocess.run([DRIVER, *map(str, args)], capture_output=True, text=True, timeout=120)


def smtp_json(port, **extra):
    cfg = {"url": f"smtp://127.0.0.1:{port}", "from": FROM, "from_name": FROM_NAME, "timeout_ms": 10000}
    cfg.update(extra)
    return json.dumps(cfg)


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def crlf_free(s):
    return s.replace("\r\n", "\n")


def test_report_mails_are_well_formed_multipart_messages(plain_server):
    inbox, port = plain_server
    done = run("smtp-report", smtp_json(port, allow_plaintext_loopback=True))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(inbox.messages) == 3
    expected_to = [("Ann Archer", "ann@example.com"), ("Zoë Ørsted-Ünal", "zoe@example.com"), ("", "dan@example.com")]
    ids = set()
    for got, (name, address) in zip(inbox.messages, expected_to):
        assert got["mail_from"] == FROM
        assert got["rcpt_tos"] == [address]
        raw = got["bytes"]
        assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF"
        assert all(len(line) <= 998 for line in raw.split(b"\r\n")), "RFC 5322 line limit"
        raw.decode("ascii")  # 7-bit clean: non-ASCII only through RFC 2047 and quoted-printable
        msg = parse(raw)
        assert msg["MIME-Version"] == "1.0"
        assert msg["Subject"] == report["subject"] == "LeanDesk: project report \u2013 Reduce scrap <quickly>"
        assert msg["From"].addresses[0].display_name == FROM_NAME
        assert msg["From"].addresses[0].addr_spec == FROM
        assert msg["To"].addresses[0].display_name == name
        assert msg["To"].addresses[0].addr_spec == address
        date = email.utils.parsedate_to_datetime(msg["Date"])
        assert date == dt.datetime.fromtimestamp(report["date_ms"] // 1000, dt.timezone.utc)
        mid = msg["Message-ID"]
        assert mid.startswith("<") and mid.endswith("@example.com>")
        ids.add(mid)
        assert msg.get_content_type() == "multipart/alternative"
        parts = list(msg.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        for p in parts:
            assert p.get_content_charset() == "utf-8"
            assert p["Content-Transfer-Encoding"] == "quoted-printable"
        assert crlf_free(parts[0].get_content()) == crlf_free(report["text"])
        assert crlf_free(parts[1].get_content()) == crlf_free(report["html"])
        assert "Zoë Ørsted-Ünal" in parts[0].get_content()
        assert "<h2>Overdue actions</h2>" in parts[1].get_content()
        assert "Reduce scrap &lt;quickly&gt;" in parts[1].get_content()
    assert len(ids) == 3, "each message has its own Message-ID"


def test_tls_is_required_unless_loopback_plain_text_is_allowed(plain_server):
    inbox, port = plain_server
    done = run("smtp-report", smtp_json(port))
    assert done.returncode == 1
    assert done.stderr.startswith("error -8 smtp:"), done.stderr
    assert "TLS" in done.stderr
    assert inbox.messages == [], "nothing was sent in clear"


def test_starttls_with_authentication(tls_server):
    inbox, port, ca = tls_server
    done = run("smtp-report", smtp_json(port, username="mailer", password="s3cret pass", ca_file=str(ca)))
    assert done.returncode == 0, done.stderr
    assert len(inbox.messages) == 3
    assert all(m["tls"] and m["authenticated"] for m in inbox.messages)
    assert parse(inbox.messages[0]["bytes"]).get_content_type() == "multipart/alternative"


def test_wrong_password_and_untrusted_certificate_are_refused(tls_server):
    inbox, port, ca = tls_server
    done = run("smtp-report", smtp_json(port, username="mailer", password="wrong", ca_file=str(ca)))
    assert done.returncode == 1
    assert done.stderr.startswith("error -16 smtp:"), done.stderr
    assert "wrong" not in done.stderr, "the password never appears in a message"
    # Without the test CA the server's certificate is not trusted.
    done = run("smtp-report", smtp_json(port, username="mailer", password="s3cret pass"))
    assert done.returncode == 1
    assert done.stderr.startswith("error -8 smtp:"), done.stderr
    assert inbox.messages == []


def mailed_code(got):
    body = parse(got["bytes"]).get_body(preferencelist=("plain",)).get_content()
    return [line.strip() for line in body.splitlines() if line.startswith("    ") and line.strip()]


def test_account_mails_go_through_the_smtp_open_option(plain_server, tmp_path):
    inbox, port = plain_server
    db = str(tmp_path / "accounts.db")
    settings = smtp_json(port, allow_plaintext_loopback=True)
    done = run("smtp-accounts", settings, db)
    assert done.returncode == 0, done.stderr
    assert len(inbox.messages) == 1, "the activation mail"
    # A reset mails activated accounts only (docs/accounts.md): activate with the mailed code.
    codes = mailed_code(inbox.messages[0])
    assert len(codes) == 1, codes
    done = run("smtp-accounts", settings, db, codes[0])
    assert done.returncode == 0, done.stderr
    assert len(inbox.messages) == 2, "the activation mail, then the reset mail"
    for got in inbox.messages:
        assert got["rcpt_tos"] == ["zoe@example.com"]
        msg = parse(got["bytes"])
        assert msg["To"].addresses[0].addr_spec == "zoe@example.com"
        body = msg.get_body(preferencelist=("plain",)).get_content()
        codes = [line.strip() for line in body.splitlines() if line.startswith("    ") and line.strip()]
        assert codes, body
    subjects = [parse(m["bytes"])["Subject"] for m in inbox.messages]
    assert subjects[0] != subjects[1]


def test_bad_smtp_options_are_refused_at_open(plain_server, tmp_path):
    _, port = plain_server
    for cfg, needle in [
        ({"url": "http://127.0.0.1", "from": FROM}, "smtps://"),
        ({"url": "smtp://mail.example.com:587", "from": FROM, "allow_plaintext_loopback": True}, "loopback"),
        ({"url": f"smtp://127.0.0.1:{port}", "from": "nobody"}, "e-mail"),
        ({"url": f"smtp://127.0.0.1:{port}", "from": FROM, "colour": "red"}, "colour"),
    ]:
        done = run("smtp-accounts", json.dumps(cfg), str(tmp_path / "refused.db"))
        assert done.returncode == 1
        assert done.stderr.startswith("error -4 "), done.stderr
        assert needle in done.stderr, done.stderr
