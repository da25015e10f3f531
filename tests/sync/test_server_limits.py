"""leandesk-server under connection and request-size attacks (docs/server.md, issue 21 items 2, 3,
11, 13), each performed over loopback against the real binary and seen to fail.

One server per test module, configured with small deadlines (handshake and header 1 s) and small
caps (20 connections per address, 1 MiB bodies), so that every attack ends quickly. The
assertions are outcomes: a health check succeeds while the attack is on; the attacking connection
is refused (431/413) or closed, and a log line names its address; the server's peak memory stays
under a generous bound. No assertion is a tight latency bound.

Needs LEANDESK_SERVER (the binary; set by ctest) and the openssl command.
"""
import json
import select
import signal
import socket
import ssl
import time

import pytest

import server_fixture
from server_fixture import free_port, pki, require_server  # noqa: F401 (pki: a pytest fixture)

OPERATOR_SECRET = "operator secret 9Kq!"
PER_ADDRESS = 20
MAX_BODY = 1024 * 1024
HANDSHAKE_S = 1.0
HEADER_S = 1.0
MARGIN_S = 8.0  # how long past a deadline a connection may still be open; never reached when right


class Server(server_fixture.Server):
    """The small deadlines and caps above (`extra` over them) and an operator secret; requests on
    raw TLS connections."""

    def __init__(self, folder, pki, **extra):
        super().__init__(folder, pki, **{
            "operator_secret_file": str(folder / "secret"),
            "threads": 2, "max_connections_per_address": PER_ADDRESS,
            "max_body_bytes": MAX_BODY,
            "handshake_timeout_ms": int(HANDSHAKE_S * 1000),
            "header_timeout_ms": int(HEADER_S * 1000),
            "body_timeout_ms": 2000, "idle_timeout_ms": 60000,
            "max_failed_sign_ins": 3, **extra})

    def start(self):
        require_server()
        (self.folder / "secret").write_text(OPERATOR_SECRET)
        return super().start()

    def peak_rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise AssertionError("no VmHWM")

    def tls(self, **versions):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(str(self.pki / "server.pem"))
        for key, value in versions.items():
            setattr(ctx, key, value)
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return ctx.wrap_socket(raw, server_hostname="localhost")

    def request(self, method, path, body=b"", headers=None):
        """One request on a new connection: (status, headers, body)."""
        with self.tls() as s:
            head = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            for k, v in (headers or {}).items():
                head += f"{k}: {v}\r\n"
            head += f"Content-Length: {len(body)}\r\n\r\n"
            s.sendall(head.encode() + body)
            return read_response(s)


def eventually(predicate, within_s=10.0):
    """True once `predicate()` holds (a log line may follow the close it reports by a moment)."""
    deadline = time.monotonic() + within_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def read_response(sock, data=b""):
    """(status, headers, body) of one answer (`data`: its first bytes, already read); the body by
    Content-Length."""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before an answer: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


def closed_by_server(sock, within_s):
    """True when the peer closes (EOF or reset) within `within_s`; any answer bytes are read."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            if not sock.recv(65536):
                return True
        except (ConnectionError, ssl.SSLError):
            return True
        except (socket.timeout, TimeoutError):
            return False
        except OSError:
            return True
    return False


def send_until_answered(sock, chunks):
    """Sends chunks until the server answers (or stops reading); then (status, headers, body)."""
    answer = b""
    for chunk in chunks:
        # Readable is not enough (TLS 1.3 session tickets arrive after the handshake): an answer
        # is there when a read without waiting returns bytes.
        readable, _, _ = select.select([sock], [], [], 0)
        if readable or sock.pending():
            sock.setblocking(False)
            try:
                answer = sock.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
            except (ConnectionError, ssl.SSLError, OSError):
                break
            finally:
                sock.setblocking(True)
            if answer:
                break
        try:
            sock.sendall(chunk)
        except (ConnectionError, ssl.SSLError, socket.timeout, OSError):
            break
    sock.settimeout(10)
    return read_response(sock, answer)


@pytest.fixture(scope="module")
def server(tmp_path_factory, pki):
    s = Server(tmp_path_factory.mktemp("server"), pki).start()
    yield s
    s.stop()


def test_silent_tcp_connections_do_not_block_health_and_are_dropped(server):
    """Item 2: connections that never start TLS (more than there are workers) neither delay a
    health check nor stay open past the handshake deadline; each is logged with its address."""
    silent = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(12)]
    try:
        assert server.health_ok()  # while all twelve are open and silent
        for s in silent:
            assert closed_by_server(s, HANDSHAKE_S + MARGIN_S)
    finally:
        for s in silent:
            s.close()
    def timeouts():
        return [e for e in server.events("connection_timeout") if e["phase"] == "handshake"]

    assert eventually(lambda: len(timeouts()) >= 12)
    assert all(e["address"] == "127.0.0.1" for e in timeouts())


def test_trickling_header_is_cut_off_at_the_header_deadline(server):
    """Item 2: a TLS connection sending one header byte at a time is closed at the header deadline
    (however long it would go on), a health check succeeds meanwhile, and a log line names it."""
    before = len(server.events("connection_timeout"))
    with server.tls() as s:
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < HEADER_S + MARGIN_S:
            try:
                s.sendall(b"a")
            except (ConnectionError, ssl.SSLError, OSError):
                closed = True
                break
            if closed_by_server(s, 0.2):
                closed = True
                break
            if time.monotonic() - started < HEADER_S / 2:
                assert server.health_ok()
        assert closed, "the trickling connection was still open past the header deadline"
    assert eventually(lambda: any(e["phase"] == "header" and e["address"] == "127.0.0.1"
                                  for e in server.events("connection_timeout")[before:]))


def test_connections_beyond_the_per_address_cap_are_refused_and_logged(server):
    held = []
    try:
        for _ in range(PER_ADDRESS):
            held.append(server.tls())  # handshake done: each is an open, idle connection
        with pytest.raises((ConnectionError, ssl.SSLError, OSError)):
            extra = server.tls()  # the server closes it at once: the handshake cannot finish
            extra.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            if not extra.recv(1):
                raise ConnectionError("closed")
        assert eventually(lambda: server.events("connection_refused"))
        refused = server.events("connection_refused")
        assert refused[-1]["address"] == "127.0.0.1"
        assert refused[-1]["reason"] == "max_connections_per_address"
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 10
    while not server.health_ok() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server counts the closed ones out as it notices them
    assert server.health_ok()


def test_51200_header_lines_get_431_and_the_connection_closed(server):
    """Item 3: before, 51,200 header lines were accepted (+100 MiB)."""
    with server.tls() as s:
        head = b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\n"
        lines = [b"".join(b"X-Pad-%d: v\r\n" % (i + j) for j in range(512))
                 for i in range(0, 51200, 512)]
        status, headers, body = send_until_answered(s, [head, *lines, b"\r\n"])
        assert status == 431
        assert json.loads(body)["error"]["name"] == "invalid argument"
        assert closed_by_server(s, MARGIN_S)
    refused = server.events("request_refused")
    assert refused[-1]["status"] == 431 and refused[-1]["address"] == "127.0.0.1"


def test_a_100_mib_header_line_gets_431(server):
    """Item 3: before, one 100 MiB header line without a newline added 157 MiB."""
    with server.tls() as s:
        block = b"a" * (1024 * 1024)
        chunks = [b"GET /v1/health HTTP/1.1\r\nX-Long: ", *([block] * 100)]
        status, _, _ = send_until_answered(s, chunks)
        assert status == 431
        assert closed_by_server(s, MARGIN_S)
    assert server.peak_rss_kib() < 200 * 1024


def test_a_chunked_body_over_max_body_bytes_gets_413_and_memory_stays_flat(server):
    """Item 3: before, a chunked body ignored max_body_bytes (300 MiB sent: 557 MiB peak)."""
    with server.tls() as s:
        head = (b"POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\n"
                b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n")
        piece = b"x" * (256 * 1024)
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        status, _, body = send_until_answered(s, [head, *([chunk] * 1200)])  # 300 MiB
        assert status == 413
        assert "too large" in json.loads(body)["error"]["message"]
        assert closed_by_server(s, MARGIN_S)
    # A sized body over the cap is refused from its header, before any of it is read.
    with server.tls() as s:
        s.sendall(b"POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\n"
                  b"Content-Length: %d\r\n\r\n" % (300 * 1024 * 1024))
        assert read_response(s)[0] == 413
    refused = server.events("request_refused")
    assert [e["status"] for e in refused[-2:]] == [413, 413]
    assert all(e["address"] == "127.0.0.1" for e in refused[-2:])
    assert server.peak_rss_kib() < 200 * 1024  # a few MiB of buffers, not hundreds


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("version", ["TLSv1", "TLSv1_1"])
def test_tls_1_0_and_1_1_handshakes_fail(server, version):
    """Item 11. The client allows the old version itself (security level 0), so only the server
    can be what refuses it."""
    v = getattr(ssl.TLSVersion, version)
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(str(server.pki / "server.pem"))
        ctx.set_ciphers("ALL:@SECLEVEL=0")
        ctx.minimum_version = v
        ctx.maximum_version = v
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        with ctx.wrap_socket(raw, server_hostname="localhost"):
            pass
    assert eventually(lambda: server.events("tls_handshake_failed"))
    assert server.events("tls_handshake_failed")[-1]["address"] == "127.0.0.1"


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_tls_1_2_and_1_3_work(server, version):
    v = getattr(ssl.TLSVersion, version)
    with server.tls(minimum_version=v, maximum_version=v) as s:
        assert s.version() == version.replace("_", ".")
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert read_response(s)[0] == 200


def test_operator_secret_guessing_is_throttled_like_sign_in(server):
    """Item 13: after max_failed_sign_ins (3 here) wrong secrets from one address, that address
    gets 429 with Retry-After, even for the right secret; before, every guess was checked."""
    def guess(secret):
        return server.request("POST", "/v1/operator/sessions",
                              json.dumps({"secret": secret}).encode(),
                              {"Content-Type": "application/json"})

    for i in range(3):
        assert guess(f"wrong {i}")[0] == 401
    status, headers, body = guess("wrong again")
    assert status == 429 and int(headers["retry-after"]) > 0
    assert json.loads(body)["error"]["name"] == "rate limited"
    assert guess(OPERATOR_SECRET)[0] == 429
    throttled = server.events("operator_sign_in_throttled")
    assert len(throttled) >= 2 and all(e["address"] == "127.0.0.1" for e in throttled)


def test_every_request_and_refusal_log_line_has_the_client_address(server):
    """Item 13: request lines (routed, unknown route, bad method) and refusals before routing."""
    assert server.request("GET", "/v1/nowhere")[0] == 404
    assert server.request("BREW", "/v1/health")[0] == 400
    with server.tls() as s:
        s.sendall(b"NOT AN HTTP REQUEST\r\n\r\n")
        assert read_response(s)[0] == 400
    kinds = {"request", "request_refused", "connection_refused", "connection_timeout",
             "tls_handshake_failed", "rate_limited", "operator_sign_in_throttled"}
    lines = [e for e in server.lines() if e.get("event") in kinds]
    assert len(lines) > 10
    assert all(e.get("address") == "127.0.0.1" for e in lines), \
        [e for e in lines if e.get("address") != "127.0.0.1"]
    assert any(e["event"] == "request" and e["status"] == 404 for e in lines)
    assert any(e["event"] == "request_refused" and e["status"] == 400 for e in lines)


def test_a_full_request_queue_answers_503_with_retry_after(tmp_path, pki):
    """One worker and a queue of one: while an operator sign-in (a slow Argon2id check here)
    holds the worker and a second waits, a third request is answered 503 with Retry-After at once
    rather than queued without bound, and the refusal is logged with the address."""
    s = Server(tmp_path, pki, threads=1, max_queued_requests=1, password_opslimit=8,
               password_memlimit=64 * 1024 * 1024, max_failed_sign_ins=100).start()
    try:
        body = json.dumps({"secret": OPERATOR_SECRET}).encode()
        connections = [s.tls() for _ in range(3)]
        for c in connections:
            c.sendall(b"POST /v1/operator/sessions HTTP/1.1\r\nHost: localhost\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        answers = []
        for c in connections:
            c.settimeout(60)
            answers.append(read_response(c))
            c.close()
        # One runs, at most one waits: the others are refused (which ones, the scheduling decides).
        statuses = sorted(a[0] for a in answers)
        assert statuses[0] == 200 and statuses[-1] == 503 and set(statuses) == {200, 503}, statuses
        busy = next(a for a in answers if a[0] == 503)
        assert busy[1]["retry-after"] == "1"
        refused = [e for e in s.events("request_refused") if e["status"] == 503]
        assert refused and refused[0]["address"] == "127.0.0.1"
    finally:
        s.stop()


def test_sigterm_closes_idle_connections_at_once(tmp_path, pki):
    """A stop does not wait for idle keep-alive connections (idle deadline here: 60 s)."""
    s = Server(tmp_path, pki).start()
    idle = [s.tls() for _ in range(5)]
    try:
        started = time.monotonic()
        s.process.send_signal(signal.SIGTERM)
        s.process.wait(timeout=30)
        assert time.monotonic() - started < 30
        assert s.process.returncode == 0
        assert any(e.get("event") == "stopped" for e in s.lines())
        for c in idle:
            assert closed_by_server(c, 5)
    finally:
        for c in idle:
            c.close()
        s.stop()
