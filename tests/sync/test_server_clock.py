"""leandesk-server's clock bound end to end (docs/protocol.md, "Clocks"; issue 21 item 1): a push
stamped further ahead of the server's clock than `max_clock_skew_ms` is refused whole over HTTPS,
and the clock every answer hands out does not move; a stamp within the bound applies and moves it;
the key's range is checked at start-up.

Needs LEANDESK_SERVER (the binary; set by ctest) and the openssl command.
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
import uuid

import pytest

SERVER = os.environ.get("LEANDESK_SERVER", "")
PASSWORD = "correct horse battery"
SKEW_MS = 60_000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stamp(wall_ms, counter=0, node="00000000000000c1"):
    return f"{wall_ms:015d}-{counter:06d}-{node}"


def now_ms():
    return int(time.time() * 1000)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.fail("the openssl command is missing (scripts/setup.sh installs it)")
    d = tmp_path_factory.mktemp("pki")
    done = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", "server.key", "-out", "server.pem", "-days", "2", "-subj",
         "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        cwd=d, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return d


class Server:
    def __init__(self, folder, pki):
        self.folder = folder
        self.pki = pki
        self.port = 0
        self.process = None
        self.tls = ssl.create_default_context(cafile=str(pki / "server.pem"))
        (folder / "mail").mkdir(exist_ok=True)

    def config(self, **extra):
        return {"listen_address": "127.0.0.1", "port": self.port,
                "tls_cert": str(self.pki / "server.pem"), "tls_key": str(self.pki / "server.key"),
                "database": str(self.folder / "server.db"),
                "mail_pickup_dir": str(self.folder / "mail"),
                "password_opslimit": 1, "password_memlimit": 8192, **extra}

    def run_until_exit(self, **extra):
        (self.folder / "config.json").write_text(json.dumps(self.config(**extra)))
        done = subprocess.run([SERVER, "--config", str(self.folder / "config.json")],
                              capture_output=True, text=True, timeout=30)
        return done.returncode, done.stderr

    def start(self, **extra):
        for _attempt in range(3):
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
                if self.request("GET", "/v1/health")[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def stop(self):
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log(self):
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def request(self, method, path, body=None, token=None):
        """(HTTP status, JSON answer or None), over HTTPS with the test certificate."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"https://localhost:{self.port}{path}", data=data,
                                     method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.tls, timeout=60) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        return status, (json.loads(text) if text else None)

    def account(self, email, first):
        """Signs up, activates (the code from the pickup folder) and signs in: (user id, token)."""
        before = set(os.listdir(self.folder / "mail"))
        status, answer = self.request("POST", "/v1/accounts", {
            "email": email, "first_name": first, "last_name": "Test", "password": PASSWORD})
        assert status == 201, answer
        user_id = answer["user_id"]
        mails = sorted(set(os.listdir(self.folder / "mail")) - before)
        assert len(mails) == 1, mails
        text = (self.folder / "mail" / mails[0]).read_text()
        codes = [line.strip() for line in text.splitlines() if line.startswith("    ") and line.strip()]
        assert len(codes) == 1, text
        status, answer = self.request("POST", "/v1/accounts/activate", {"code": codes[0]})
        assert status == 200, answer
        status, answer = self.request("POST", "/v1/sessions", {"email": email, "password": PASSWORD})
        assert status == 200, answer
        return user_id, answer["token"]

    def push_profile(self, token, user_id, first_name, hlc):
        return self.request("POST", "/v1/sync/push", {"commands": [{
            "id": str(uuid.uuid4()), "command": "update_profile",
            "args": {"user_id": user_id, "patch": {"first_name": first_name}}, "hlc": hlc}]},
            token=token)

    def clock(self, token):
        status, page = self.request("POST", "/v1/sync/pull", {"checkpoints": {}}, token=token)
        assert status == 200, page
        return page["hlc"]


@pytest.fixture
def server(tmp_path, pki):
    if not SERVER or not os.access(SERVER, os.X_OK):
        pytest.fail(f"LEANDESK_SERVER={SERVER!r} is not the leandesk-server binary (ctest and "
                    "scripts/test.sh set it)")
    s = Server(tmp_path, pki)
    yield s
    s.stop()


def test_a_push_stamped_beyond_the_bound_is_refused_and_the_clock_stays_put(server):
    server.start(max_clock_skew_ms=SKEW_MS)
    ann, ann_token = server.account("ann@example.com", "Ann")
    bob, bob_token = server.account("bob@example.com", "Bob")
    before = server.clock(bob_token)

    for far in (stamp(now_ms() + 3_600_000), stamp(999_999_999_999_999, 999_999)):
        status, answer = server.push_profile(ann_token, ann, "Poisoned", far)
        assert status == 400, answer
        assert answer["error"]["code"] == -4, answer
        assert "ahead of the server's clock" in answer["error"]["message"], answer
    # Nothing applied, and the clock every answer hands out did not move.
    assert server.clock(bob_token) == before
    assert server.clock(ann_token) == before

    # Within the bound: applied, and the clock follows it; everyone goes on syncing.
    within = stamp(now_ms() + SKEW_MS // 2)
    status, answer = server.push_profile(ann_token, ann, "Ahead", within)
    assert status == 200, answer
    assert answer["results"][0]["outcome"] == "applied", answer
    assert answer["hlc"][:22] == within[:22], answer
    status, answer = server.push_profile(bob_token, bob, "Robert", stamp(now_ms() + 1000, 0,
                                                                          "00000000000000c2"))
    assert status == 200 and answer["results"][0]["outcome"] == "applied", answer
    assert server.clock(bob_token)[:15] <= stamp(now_ms() + SKEW_MS)[:15]


@pytest.mark.parametrize("bad", [0, 999, 300_001])
def test_a_clock_skew_bound_out_of_range_stops_the_server(server, bad):
    server.port = free_port()
    code, log = server.run_until_exit(max_clock_skew_ms=bad)
    assert code != 0
    assert "max_clock_skew_ms" in log, log
