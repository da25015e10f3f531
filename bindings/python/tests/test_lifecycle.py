"""Handles: context managers close deterministically; a closed handle raises a clear error."""

from __future__ import annotations

import pathlib
import threading

import pytest

import leandesk

from conftest import FAST, PASSWORD, World


def test_close_is_idempotent_and_closes_sessions(world: World) -> None:
    ann = world.user("Ann", "Archer")
    ann.close()
    ann.close()
    assert ann.closed
    with pytest.raises(leandesk.HandleClosed) as e:
        ann.me()
    assert isinstance(e.value, leandesk.InvalidArgument) and e.value.code == -4
    assert "session is closed" in e.value.message

    again = world.db.sign_in("ann@example.com", PASSWORD)
    world.db.close()
    world.db.close()
    assert world.db.closed and again.closed  # closing the database closed its sessions
    with pytest.raises(leandesk.HandleClosed):
        again.me()
    with pytest.raises(leandesk.HandleClosed) as db_closed:
        world.db.sign_in("ann@example.com", PASSWORD)
    assert "database is closed" in db_closed.value.message


def test_with_blocks_close_handles() -> None:
    with leandesk.Database(":memory:", FAST) as db:
        db.set_mail_sender(lambda mail: None)
        db.set_operator_secret("", "a long operator secret")
        with db.operator_sign_in("a long operator secret") as s:
            assert s.info().is_operator
        assert s.closed and not db.closed
    assert db.closed


def test_a_file_database_keeps_data_and_sessions(tmp_path: pathlib.Path) -> None:
    path = str(tmp_path / "app.leandesk")
    w = World(path)
    with w.db:
        ann = w.user("Ann", "Archer")
        ann.create_group("Lean Team")
        token = ann.token
        w.db.checkpoint()
    with leandesk.Database(path, FAST) as db:
        info = db.storage_info()
        assert info.journal_mode == "wal" and info.foreign_keys and info.schema_version >= 1
        with db.resume(token) as s:
            assert [g.name for g in s.my_groups()] == ["Lean Team"]


def test_a_session_keeps_the_database_reachable(world: World) -> None:
    ann = world.user("Ann", "Archer")
    db = world.db
    del world  # the fixture still closes it at the end; the session holds the Python object
    assert ann.database is db and ann.me().first_name == "Ann"


def test_one_database_from_several_threads(world: World) -> None:
    ann = world.user("Ann", "Archer")
    group = ann.create_group("G")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                ann.group_members(group.id)
                ann.my_groups()
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors


def test_closing_from_another_thread_while_calls_run(world: World) -> None:
    """A close() racing with calls either lets a call finish or makes it raise HandleClosed."""
    ann = world.user("Ann", "Archer")
    group = ann.create_group("G")
    outcomes: list[str] = []

    def work() -> None:
        for _ in range(200):
            try:
                ann.group_members(group.id)
                outcomes.append("ok")
            except leandesk.HandleClosed:
                outcomes.append("closed")
                return

    t = threading.Thread(target=work)
    t.start()
    ann.close()
    t.join(timeout=60)
    assert not t.is_alive() and set(outcomes) <= {"ok", "closed"}
