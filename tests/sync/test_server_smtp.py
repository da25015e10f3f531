"""leandesk-server delivering account mails through a real SMTP relay (docs/sync.md, "Mail").

A real leandesk-server on loopback over HTTPS, configured with ``smtp_url`` pointing at aiosmtpd
(started here, in a thread of this process) that requires STARTTLS and a login. One CA made at
test time with the ``openssl`` command signs both the server's and the relay's certificates for
localhost/127.0.0.1. A sign-up over HTTPS must put its activation mail in the relay's inbox; the
mailed code then activates the account. Also: a relay the server cannot use (untrusted
certificate, wrong login) makes the sign-up fail cleanly, with nothing kept, and the SMTP password
never appears in the server's log; mail settings that contradict each other stop the server.

Needs LEANDESK_SERVER (the binary; set by ctest), aiosmtpd and the openssl command; without any
of them the tests fail rather than skip.
"""
import email
import email.policy
import json
import ssl

import pytest

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError as missing:  # a failure, not a skip: these tests must run where sync is tested
    raise ImportError("aiosmtpd is missing (scripts/setup.sh installs it)") from missing

import server_fixture
from server_fixture import free_port, openssl, server  # noqa: F401 (server: a pytest fixture)

SMTP_USER = "leandesk-mailer"
SMTP_PASSWORD = "relay pass 7Qz!"
USER_PASSWORD = "correct horse battery"
MAIL_FROM_NAME = "LeanDesk Plant 2"
MAIL_FROM = "no-reply@plant2.example.com"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """ca.pem, and server.pem/server.key for localhost and 127.0.0.1 signed by it."""
    d = tmp_path_factory.mktemp("pki")
    openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
            "/CN=LeanDesk SMTP Test CA")
    openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl(d, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return d


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


@pytest.fixture
def relay(pki):
    """An SMTP relay on loopback: STARTTLS required (the test CA's certificate), login required."""
    inbox = Inbox()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(pki / "server.pem", pki / "server.key")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
              and auth_data.password == SMTP_PASSWORD.encode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    port = free_port()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=tls,
                     require_starttls=True, authenticator=authenticator, auth_required=True)
    ctl.start()
    yield inbox, port
    ctl.stop()


class Server(server_fixture.Server):
    """One leandesk-server process in its own folder; clients trust the test CA."""

    STOP_TIMEOUT_S = 10

    def __init__(self, folder, pki):
        super().__init__(folder, pki, cafile="ca.pem")

    def post(self, path, body):
        """(HTTP status, JSON answer or None), over HTTPS with the test CA."""
        return self.request("POST", path, body)


def smtp_settings(tmp_path, pki, port, password=SMTP_PASSWORD, trust=True):
    secret = tmp_path / "smtp.secret"
    secret.write_text(password + "\n")
    secret.chmod(0o600)
    settings = {"smtp_url": f"smtp://127.0.0.1:{port}", "smtp_user": SMTP_USER,
                "smtp_password_file": str(secret), "smtp_timeout_ms": 10000,
                "mail_from": f"{MAIL_FROM_NAME} <{MAIL_FROM}>"}
    if trust:
        settings["smtp_ca_file"] = str(pki / "ca.pem")
    return settings


def sign_up(server, address):
    return server.post("/v1/accounts", {"email": address, "first_name": "Zoë", "last_name": "Ørsted",
                                        "password": USER_PASSWORD})


def test_the_activation_mail_of_a_sign_up_arrives_through_the_relay(server, relay, tmp_path, pki):
    inbox, port = relay
    server.start(**smtp_settings(tmp_path, pki, port))
    started = server.events("mail_smtp")
    assert len(started) == 1 and started[0]["tls"] == "required" and started[0]["authenticated"]

    status, answer = sign_up(server, "zoe@example.com")
    assert status == 201, answer
    assert len(inbox.messages) == 1
    got = inbox.messages[0]
    assert got["tls"], "the server upgraded to TLS (STARTTLS)"
    assert got["authenticated"], "the server logged in with smtp_user and the password file"
    assert got["mail_from"] == MAIL_FROM
    assert got["rcpt_tos"] == ["zoe@example.com"]
    msg = email.message_from_bytes(got["bytes"], policy=email.policy.default)
    assert msg["From"].addresses[0].display_name == MAIL_FROM_NAME
    assert msg["From"].addresses[0].addr_spec == MAIL_FROM
    assert msg["To"].addresses[0].addr_spec == "zoe@example.com"
    # The names typed at sign-up are unverified until the code comes back: the activation mail
    # carries none of them, in the header or the text (docs/accounts.md, issue 21 item 5).
    assert msg["To"].addresses[0].display_name == ""
    assert "Zo" not in got["bytes"].decode("utf-8", "replace").split("\r\n\r\n", 1)[0]
    # Unstructured (RFC 5322 3.6.5): no quotes around an ASCII subject.
    assert msg["Subject"] == "Activate your LeanDesk account"
    assert msg["Message-ID"].endswith("@plant2.example.com>")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    codes = [line.strip() for line in body.splitlines() if line.startswith("    ") and line.strip()]
    assert len(codes) == 1, body

    # The mailed code is the real one: a made-up code is refused, the mailed one activates the
    # account (once: codes are single-use), which then signs in.
    status, answer = server.post("/v1/accounts/activate", {"code": codes[0][::-1]})
    assert status == 401, answer
    status, answer = server.post("/v1/accounts/activate", {"code": codes[0]})
    assert status == 200, answer
    status, answer = server.post("/v1/accounts/activate", {"code": codes[0]})
    assert status == 401, answer
    status, answer = server.post("/v1/sessions", {"email": "zoe@example.com", "password": USER_PASSWORD})
    assert status == 200, answer
    assert answer["token"]

    assert len(server.events("mail_sent")) == 1
    assert SMTP_PASSWORD not in server.log()
    assert codes[0] not in server.log(), "the activation code is never logged"


@pytest.mark.parametrize("problem", ["untrusted certificate", "wrong password"])
def test_a_relay_the_server_cannot_use_fails_the_sign_up_and_keeps_nothing(server, relay, tmp_path, pki,
                                                                           problem):
    inbox, port = relay
    if problem == "untrusted certificate":
        settings = smtp_settings(tmp_path, pki, port, trust=False)  # the system store lacks the test CA
    else:
        settings = smtp_settings(tmp_path, pki, port, password="not the relay's password")
    server.start(**settings)

    for _attempt in range(2):
        status, answer = sign_up(server, "zoe@example.com")
        # 500, not 401: the relay refused the server, not the person signing up.
        assert status == 500, answer
        assert "could not be delivered" in answer["error"]["message"], answer
    # The second attempt failed the same way, not with "already signed up": nothing was kept.
    assert inbox.messages == []
    failures = server.events("mail_failed")
    assert len(failures) == 2
    assert all("zoe@example.com" not in json.dumps(f) for f in failures), "no address in the log"
    if problem == "wrong password":
        assert failures[0]["code"] == "authentication failed"
    else:
        assert failures[0]["code"] == "network" and "certificate" in failures[0]["reason"]
    log = server.log()
    assert SMTP_PASSWORD not in log and "not the relay's password" not in log


def test_mail_settings_that_contradict_each_other_stop_the_server(server, tmp_path, pki):
    (tmp_path / "mail").mkdir()
    code, log = server.run_until_exit(smtp_url="smtp://127.0.0.1:2525",
                                      mail_pickup_dir=str(tmp_path / "mail"),
                                      mail_from=f"LeanDesk <{MAIL_FROM}>")
    assert code == 1
    assert "'smtp_url' and 'mail_pickup_dir' are both set" in log

    code, log = server.run_until_exit(smtp_url="smtp://127.0.0.1:2525", smtp_user=SMTP_USER,
                                      mail_from=f"LeanDesk <{MAIL_FROM}>")
    assert code == 1
    assert "'smtp_user' and 'smtp_password_file' go together" in log

    code, log = server.run_until_exit(mail_pickup_dir=str(tmp_path / "mail"),
                                      smtp_ca_file=str(pki / "ca.pem"))
    assert code == 1
    assert "without 'smtp_url'" in log

    # The default sender, no-reply@localhost, is fine for a pickup folder but not for a relay.
    code, log = server.run_until_exit(smtp_url="smtp://127.0.0.1:2525")
    assert code == 1
    assert "'mail_from' holds no usable sender address" in log

    code, log = server.run_until_exit(smtp_url="smtps://mailer:secret@mail.example.com:465",
                                      mail_from=f"LeanDesk <{MAIL_FROM}>")
    assert code == 1
    assert "must not hold credentials" in log and "mailer:secret" not in log


def test_without_any_mail_setting_the_server_warns_and_sign_ups_fail(server):
    server.start()
    warning = server.events("mail_not_configured")
    assert len(warning) == 1 and warning[0]["level"] == "warning"
    status, answer = sign_up(server, "zoe@example.com")
    assert status == 500, answer
