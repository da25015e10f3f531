"""What the pytest modules of tests/sync that run a real leandesk-server share: a free loopback
port, a test certificate made with the openssl command, and a `Server` that writes config.json,
starts the binary, waits for /v1/health, stops it with SIGTERM and reads its JSON log lines.

A plain module: each test module imports it (pytest puts this folder, which has no __init__.py,
on sys.path, however ctest runs the file). Each module keeps its own configuration (deadlines,
caps, mail settings) and passes it to `Server` as config entries.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest

SERVER = os.environ.get("LEANDESK_SERVER", "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_server():
    if not SERVER or not os.access(SERVER, os.X_OK):
        pytest.fail(f"LEANDESK_SERVER={SERVER!r} is not the leandesk-server binary (ctest and "
                    "scripts/test.sh set it)")


def openssl(folder, *args):
    """Runs the openssl command in `folder`; the test fails when it is missing or fails."""
    if not shutil.which("openssl"):
        pytest.fail("the openssl command is missing (scripts/setup.sh installs it)")
    done = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """server.pem (self-signed, for localhost and 127.0.0.1) and server.key."""
    d = tmp_path_factory.mktemp("pki")
    openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "server.key", "-out", "server.pem", "-days", "2", "-subj",
            "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    return d


class Server:
    """One leandesk-server process in its own folder. `settings`: config entries of every start
    (over the defaults); `cafile`: the certificate in `pki` that clients trust."""

    STOP_TIMEOUT_S = 20

    def __init__(self, folder, pki, cafile="server.pem", **settings):
        self.folder = folder
        self.pki = pki
        self.settings = settings
        self.port = 0
        self.process = None
        self.context = ssl.create_default_context(cafile=str(pki / cafile))

    @property
    def url(self):
        return f"https://localhost:{self.port}"

    def config(self, **extra):
        return {"listen_address": "127.0.0.1", "port": self.port,
                "tls_cert": str(self.pki / "server.pem"), "tls_key": str(self.pki / "server.key"),
                "database": str(self.folder / "server.db"),
                "password_opslimit": 1, "password_memlimit": 8192, **self.settings, **extra}

    def run_until_exit(self, **extra):
        """Runs the server with a config it must refuse; returns (exit code, log)."""
        (self.folder / "config.json").write_text(json.dumps(self.config(**extra)))
        done = subprocess.run([SERVER, "--config", str(self.folder / "config.json")],
                              capture_output=True, text=True, timeout=30)
        return done.returncode, done.stderr

    def start(self, **extra):
        for _attempt in range(3):  # a free port may be taken between choosing and binding
            self.port = free_port()
            (self.folder / "config.json").write_text(json.dumps(self.config(**extra)))
            with open(self.folder / "server.log", "ab") as log:
                self.process = subprocess.Popen(
                    [SERVER, "--config", str(self.folder / "config.json")],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if self._ready():
                return self
            self.stop()
            if "bind_failed" not in self.log():
                break
        raise AssertionError(f"leandesk-server did not start; its log:\n{self.log()}")

    def _ready(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.health_ok():
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def health_ok(self):
        return self.request("GET", "/v1/health")[0] == 200

    def stop(self):
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=self.STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self):
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def lines(self):
        return [json.loads(line) for line in self.log().splitlines() if line.startswith("{")]

    def events(self, name):
        return [e for e in self.lines() if e.get("event") == name]

    def request(self, method, path, body=None, token=None):
        """(HTTP status, JSON answer or None), over HTTPS trusting `cafile`."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.context, timeout=60) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        return status, (json.loads(text) if text else None)


@pytest.fixture
def server(request, tmp_path, pki):
    """A stopped server of the test module's own `Server` class in the test's folder (the module's
    `pki`); stopped after the test."""
    require_server()
    s = request.module.Server(tmp_path, pki)
    yield s
    s.stop()
