"""leandesk-server's clock bound end to end (docs/protocol.md, "Clocks"; issue 21 item 1): a push
stamped further ahead of the server's clock than `max_clock_skew_ms` is refused whole over HTTPS,
and the clock every answer hands out does not move; a stamp within the bound applies and moves it;
the key's range is checked at start-up.

Needs LEANDESK_SERVER (the binary; set by ctest) and the openssl command.
"""
import os
import time
import uuid

import pytest

import server_fixture
from server_fixture import free_port, pki, server  # noqa: F401 (pki, server: pytest fixtures)

PASSWORD = "correct horse battery"
SKEW_MS = 60_000


def stamp(wall_ms, counter=0, node="00000000000000c1"):
    return f"{wall_ms:015d}-{counter:06d}-{node}"


def now_ms():
    return int(time.time() * 1000)


class Server(server_fixture.Server):
    """Mails go to a pickup folder, where `account` finds the activation code."""

    def __init__(self, folder, pki):
        super().__init__(folder, pki, mail_pickup_dir=str(folder / "mail"))
        (folder / "mail").mkdir(exist_ok=True)

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
