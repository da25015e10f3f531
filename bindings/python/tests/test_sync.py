"""Offline sync through the binding against a real leandesk-server on loopback over TLS
(sync_server.py): replicas that edit offline and meet after syncing, progress and cancelling,
rejected commands of a member removed meanwhile, the pending count, the GIL released while a sync
waits for the server, and a certificate from an unknown CA refused."""

from __future__ import annotations

import itertools
import pathlib
import threading
import time
from datetime import timedelta
from typing import Iterator, Optional

import pytest

import leandesk

from conftest import FAST
from sync_server import PASSWORD, SyncServer, server_binary

_ids = itertools.count(1)


def make_server(folder: pathlib.Path, **extra: object) -> Iterator[SyncServer]:
    try:
        server_binary()
    except AssertionError as missing:
        pytest.fail(str(missing), pytrace=False)
    server = SyncServer(folder)
    try:
        server.start(**extra)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    """One server for the module; each test makes accounts of its own."""
    yield from make_server(tmp_path_factory.mktemp("server"))


class Device:
    """One replica database signed in as one user, recording the rejections it is told of."""

    def __init__(self, server: SyncServer, folder: pathlib.Path, email: str) -> None:
        self.db = leandesk.Database.open_replica(folder / f"{email}.leandesk", server.url,
                                                 ca_file=server.ca, options=FAST)
        self.rejections: list[leandesk.SyncRejection] = []
        self.db.on_rejection(self.rejections.append)
        self.me = self.db.sync_sign_in(email, PASSWORD)
        user_id = self.me.info().user_id
        assert user_id is not None
        self.id: str = user_id


@pytest.fixture
def devices(tmp_path: pathlib.Path) -> Iterator[list[Device]]:
    made: list[Device] = []
    yield made
    for device in made:
        device.db.close()


def accounts(server: SyncServer, *names: str) -> list[str]:
    """Activated accounts on the server, with addresses no other test uses."""
    n = next(_ids)
    emails = [f"{name}.{n}@example.com" for name in names]
    for email in emails:
        server.account(email)
    return emails


def device(server: SyncServer, devices: list[Device], tmp_path: pathlib.Path,
           email: str) -> Device:
    made = Device(server, tmp_path, email)
    devices.append(made)
    return made


def shared_project(server: SyncServer, devices: list[Device], tmp_path: pathlib.Path
                   ) -> tuple[Device, Device, leandesk.Group, leandesk.Project, leandesk.Action]:
    """Ann manages a group with Bob, and project "Scrap" with Bob in it and one action; both
    replicas synced."""
    ann_mail, bob_mail = accounts(server, "ann", "bob")
    ann = device(server, devices, tmp_path, ann_mail)
    bob = device(server, devices, tmp_path, bob_mail)
    group = ann.me.create_group("Plant")
    ann.me.add_member(group.id, bob_mail)
    project = ann.me.create_project(group.id, "Scrap")
    ann.db.sync_now()
    ann.me.add_participant(project.id, bob.id)
    action = ann.me.create_action(project.id, "Measure")
    ann.db.sync_now()
    bob.db.sync_now()
    return ann, bob, group, project, action


def test_an_edit_made_offline_reaches_the_other_replica(
        server: SyncServer, devices: list[Device], tmp_path: pathlib.Path) -> None:
    ann, bob, group, project, action = shared_project(server, devices, tmp_path)
    assert [a.title for a in bob.me.project_actions(project.id)] == ["Measure"]

    # Bob edits offline: applied on his replica at once, queued for the server.
    bob.me.update_action(action.id, title="Measure scrap", progress=30)
    bob.me.add_comment(action.id, "counted on the night shift")
    status = bob.db.sync_status()
    assert isinstance(status, leandesk.SyncStatus)
    assert status.pending == 2 and status.signed_in and status.user_id == bob.id
    assert status.server_url == server.url
    assert bob.me.get_action(action.id).action.title == "Measure scrap"
    ann.db.sync_now()
    assert ann.me.get_action(action.id).action.title == "Measure"  # not synced yet

    bob.db.sync_now()
    status = bob.db.sync_status()
    assert status.pending == 0 and status.last_error is None
    assert status.last_success_at is not None and status.rejected == 0
    ann.db.sync_now()
    seen = ann.me.get_action(action.id)
    assert (seen.action.title, seen.action.progress) == ("Measure scrap", 30)
    assert [c.body for c in seen.comments] == ["counted on the night shift"]
    assert bob.rejections == [] and ann.rejections == []


def test_progress_is_called_and_false_or_an_exception_cancels(
        server: SyncServer, devices: list[Device], tmp_path: pathlib.Path) -> None:
    [email] = accounts(server, "ann")
    ann = device(server, devices, tmp_path, email)
    group = ann.me.create_group("Plant")
    calls: list[tuple[int, int]] = []
    threads: set[int] = set()

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        threads.add(threading.get_ident())
        return True

    ann.db.sync_now(progress)
    assert calls and all(total == 0 for _, total in calls) and calls[0][0] >= 1
    assert threads == {threading.get_ident()}

    # False cancels: the pushed batch is kept, the sync stops before pulling.
    ann.me.update_group(group.id, name="Plant 2")
    reports: list[int] = []

    def stop_now(done: int, total: int) -> bool:
        reports.append(done)
        return False

    with pytest.raises(leandesk.Cancelled) as cancelled:
        ann.db.sync_now(stop_now)
    assert cancelled.value.code == -13 and len(reports) == 1
    status = ann.db.sync_status()
    assert status.pending == 0  # acknowledged before the cancel: not lost, not repeated
    assert status.last_error is not None and status.last_error.code == -13

    # An exception raised by the progress cancels and comes back unchanged.
    class Stop(Exception):
        pass

    stop = Stop("the app is closing")
    ann.me.update_group(group.id, name="Plant 3")

    def raising(done: int, total: int) -> bool:
        raise stop

    with pytest.raises(Stop) as raised:
        ann.db.sync_now(raising)
    assert raised.value is stop

    # cancel_sync() from the sync's own callback; a sync started there is refused (it would
    # wait for the running one forever), and that refusal cancels too.
    ann.me.update_group(group.id, name="Plant 4")

    def cancel(done: int, total: int) -> bool:
        ann.db.cancel_sync()
        return True

    with pytest.raises(leandesk.Cancelled):
        ann.db.sync_now(cancel)
    ann.me.update_group(group.id, name="Plant 5")

    def nested(done: int, total: int) -> bool:
        ann.db.sync_now()
        return True

    with pytest.raises(leandesk.InvalidArgument, match="cannot start a sync"):
        ann.db.sync_now(nested)

    ann.db.sync_now()
    assert ann.db.sync_status().last_error is None
    # Nothing was lost: a second device of Ann's gets the last name from the server.
    (tmp_path / "second").mkdir()
    other = device(server, devices, tmp_path / "second", email)
    other.db.sync_now()
    assert other.me.get_group(group.id).name == "Plant 5"


def test_a_member_removed_with_queued_edits_is_told_and_loses_the_project(
        server: SyncServer, devices: list[Device], tmp_path: pathlib.Path,
        caplog: pytest.LogCaptureFixture) -> None:
    ann, bob, group, project, action = shared_project(server, devices, tmp_path)
    told: list[leandesk.SyncRejection] = []
    refused: list[leandesk.InvalidArgument] = []

    def handler(rejection: leandesk.SyncRejection) -> None:
        told.append(rejection)
        bob.me.my_groups()  # reading LeanDesk from the handler is fine
        try:
            bob.db.sync_now()  # starting a sync from it is not
        except leandesk.InvalidArgument as e:
            refused.append(e)
        if len(told) == 1:
            raise RuntimeError("handler bug")  # logged; the sync goes on

    bob.db.on_rejection(handler)
    # Bob works offline on the project...
    bob.me.update_action(action.id, title="Bob's offline title")
    bob.me.create_action(project.id, "Bob's own")
    assert bob.db.sync_status().pending == 2
    # ...while Ann removes him from the group, and so from the project (R4).
    ann.me.remove_member(group.id, bob.id)
    ann.db.sync_now()

    bob.db.sync_now()
    assert [r.command for r in told] == ["update_action", "create_action"]
    for rejection in told:
        assert rejection.code in (-3, -2), rejection.message
        assert isinstance(rejection.error(), (leandesk.PermissionDenied, leandesk.NotFound))
        assert rejection.command_id and rejection.message
    assert told[0].args["action_id"] == action.id and told[0].rule is not None
    assert len(refused) == 2 and "cannot start a sync" in refused[0].message
    assert "rejection handler" in caplog.text and "handler bug" in caplog.text
    status = bob.db.sync_status()
    assert (status.pending, status.rejected) == (0, 2)
    # The group and the project are gone from his replica.
    assert bob.me.my_projects() == [] and bob.me.my_groups() == []
    with pytest.raises(leandesk.NotFound):
        bob.me.get_project(project.id)
    # The server never took his edits; Ann still has everything.
    ann.db.sync_now()
    assert [a.title for a in ann.me.project_actions(project.id)] == ["Measure"]
    bob.db.on_rejection(None)


def test_the_gil_is_released_while_a_sync_waits_and_another_thread_cancels_it(
        tmp_path_factory: pytest.TempPathFactory, devices: list[Device],
        tmp_path: pathlib.Path) -> None:
    # Every push waits 3 s on this server (its test-only key), long enough to act meanwhile.
    for slow in make_server(tmp_path_factory.mktemp("slow"), test_push_delay_ms=3000):
        [email] = accounts(slow, "ann")
        ann = device(slow, devices, tmp_path, email)
        ann.me.create_group("Plant")
        outcome: list[Optional[BaseException]] = []

        def sync() -> None:
            try:
                ann.db.sync_now()
                outcome.append(None)
            except BaseException as e:  # noqa: BLE001 - handed to the main thread
                outcome.append(e)

        worker = threading.Thread(target=sync)
        worker.start()
        deadline = time.monotonic() + 30
        while slow.events("test_push_delay") == 0 and time.monotonic() < deadline:
            time.sleep(0.02)  # this thread runs Python while the worker is inside sync_now
        assert slow.events("test_push_delay") == 1
        assert worker.is_alive()  # still waiting for the server, without holding the GIL
        assert ann.db.sync_status().pending == 1  # other calls run meanwhile
        ann.db.cancel_sync()
        worker.join(60)
        assert len(outcome) == 1 and isinstance(outcome[0], leandesk.Cancelled), outcome
        # The cancel aborted the push under way (docs/sync.md "Retries"): it was not acknowledged,
        # so it stays queued and the next sync sends it again, applied once.
        assert ann.db.sync_status().pending == 1
        ann.db.sync_now()
        assert ann.db.sync_status().pending == 0
        assert [g.name for g in ann.me.my_groups()] == ["Plant"]
        ann.db.close()  # before the server stops: its open connection would hold the stop up


def test_a_certificate_from_an_unknown_ca_is_refused(server: SyncServer,
                                                     tmp_path: pathlib.Path) -> None:
    [email] = accounts(server, "cat")
    path = tmp_path / "cat.leandesk"
    with leandesk.Database.open_replica(path, server.url, ca_file=server.other_ca,
                                        options=FAST) as db:
        with pytest.raises(leandesk.NetworkError) as refused:
            db.sync_sign_in(email, PASSWORD)
        assert refused.value.code == -8 and refused.value.message
        assert not db.sync_status().signed_in
    # Plain HTTP is not even attempted.
    with pytest.raises(leandesk.InvalidArgument):
        leandesk.Database.open_replica(path, f"http://localhost:{server.port}")
    # The same replica with the right CA signs in.
    with leandesk.Database.open_replica(path, server.url, ca_file=server.ca) as db:
        with db.sync_sign_in(email, PASSWORD) as cat:
            assert cat.my_groups() == []
        db.sync_now()
    # A plain database is no replica.
    with leandesk.Database() as plain:
        with pytest.raises(leandesk.InvalidArgument):
            plain.sync_status()
        with pytest.raises(leandesk.InvalidArgument):
            plain.sync_now()


def test_a_rate_limited_sign_in_carries_the_servers_time_to_wait(
        server: SyncServer, tmp_path: pathlib.Path) -> None:
    # The server throttles per (address, client): five failures, then 429 with Retry-After
    # (docs/accounts.md); the replica returns it at once with the wait as data.
    [email] = accounts(server, "dee")
    with leandesk.Database.open_replica(tmp_path / "dee.leandesk", server.url, ca_file=server.ca,
                                        options=FAST) as db:
        for _ in range(5):
            with pytest.raises(leandesk.AuthFailed) as failed:
                db.sync_sign_in(email, "wrong password!!")
            assert failed.value.code == -16
        with pytest.raises(leandesk.RateLimited) as limited:
            db.sync_sign_in(email, PASSWORD)
        wait = limited.value.retry_after
        assert wait is not None and wait.total_seconds() >= 1
        assert limited.value.message.endswith(f"(retry after {int(wait.total_seconds())} s)")
    # A refusal that came without a time to wait has none.
    none = leandesk.error_for(-12, "rate limited")
    assert isinstance(none, leandesk.RateLimited) and none.retry_after is None
    assert leandesk.RateLimited(-12, "x", 1500).retry_after == timedelta(milliseconds=1500)
