"""A real leandesk-server process for the sync tests, on loopback over TLS.

As tests/sync/sync_e2e_test.cpp does it: a CA and a server certificate for ``localhost`` made at
test time with the ``openssl`` command (plus a second, unknown CA), a JSON config (the keys of
src/server/config.cpp), accounts signed up and activated through the HTTP API with the code read
from the server's mail pickup folder. The binary comes from the environment variable
``LEANDESK_SERVER`` (scripts/test.sh sets it); without it the tests fail, they are not skipped.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from typing import Any, Optional

PASSWORD = "correct horse battery"


def server_binary() -> str:
    """The leandesk-server to start, from LEANDESK_SERVER; AssertionError when it is missing."""
    path = os.environ.get("LEANDESK_SERVER", "")
    if not path:
        raise AssertionError(
            "LEANDESK_SERVER is not set: the sync tests need the leandesk-server binary "
            "(build it with `ninja -C build leandesk-server`; scripts/test.sh sets it)")
    if not os.access(path, os.X_OK):
        raise AssertionError(f"LEANDESK_SERVER={path} is not an executable file")
    return path


def make_tls(folder: pathlib.Path) -> None:
    """ca.pem (+ key), server.pem/server.key for localhost signed by it, and other.pem: a CA
    that signed nothing of this server."""
    def openssl(*args: str) -> None:
        done = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise AssertionError(f"openssl {' '.join(args)} failed: {done.stderr}")

    for name, subject in (("ca", "/CN=LeanDesk Python Test CA"), ("other", "/CN=Unknown CA")):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
                "-out", f"{name}.pem", "-days", "2", "-subj", subject)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=localhost")
    (folder / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")


def free_port() -> int:
    """A port nobody listens on now (the kernel's choice, so parallel runs do not collide)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class SyncServer:
    """One leandesk-server in ``folder``: start(), stop(), accounts, and its log."""

    def __init__(self, folder: pathlib.Path) -> None:
        self.folder = folder
        (folder / "mail").mkdir(parents=True, exist_ok=True)
        make_tls(folder)
        self.ca = str(folder / "ca.pem")
        self.other_ca = str(folder / "other.pem")
        self.port = 0
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._tls = ssl.create_default_context(cafile=self.ca)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    def start(self, **extra: Any) -> None:
        """Starts the server (``extra``: more config keys, e.g. test_push_delay_ms) and waits
        until it answers its health check; raises AssertionError with its log otherwise."""
        binary = server_binary()
        for _attempt in range(3):  # a free port may be taken between choosing and binding
            self.port = free_port()
            config = {
                "listen_address": "127.0.0.1", "port": self.port,
                "tls_cert": str(self.folder / "server.pem"),
                "tls_key": str(self.folder / "server.key"),
                "database": str(self.folder / "server.db"),
                "mail_pickup_dir": str(self.folder / "mail"),
                "password_opslimit": 1, "password_memlimit": 8192,
                "requests_per_minute": 1000000, **extra,
            }
            (self.folder / "config.json").write_text(json.dumps(config))
            with open(self.folder / "server.log", "ab") as log:
                self._process = subprocess.Popen(
                    [binary, "--config", str(self.folder / "config.json")],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if self._wait_ready():
                return
            self.stop()
            if "bind_failed" not in self.log():
                break
        raise AssertionError(f"leandesk-server did not start; its log:\n{self.log()}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/v1/health", context=self._tls,
                                            timeout=2) as answer:
                    if answer.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """SIGTERM (a clean stop), SIGKILL if it does not end within 10 s."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def events(self, event: str) -> int:
        """How many log lines hold ``event`` (JSON lines with an "event" key)."""
        return self.log().count(f'"event":"{event}"')

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self._tls, timeout=30) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def account(self, email: str, first: str = "F", last: str = "L") -> None:
        """Signs ``email`` up on the server and activates it with the mailed code."""
        self.post("/v1/accounts", {"email": email, "first_name": first, "last_name": last,
                                   "password": PASSWORD})
        code = self.mailed_code(email)
        self.post("/v1/accounts/activate", {"code": code})

    def mailed_code(self, email: str) -> str:
        """The code of the newest pickup mail to ``email``: the line that starts with 4 spaces."""
        for mail in sorted((self.folder / "mail").glob("*.eml"), reverse=True,
                           key=lambda p: p.stat().st_mtime_ns):
            text = mail.read_text()
            if not re.search(rf"^To: .*{re.escape(email)}", text, re.MULTILINE):
                continue
            match = re.search(r"^    (\S+)\s*$", text, re.MULTILINE)
            if match:
                return match.group(1)
        raise AssertionError(f"no mail with a code to {email} in the pickup folder")
