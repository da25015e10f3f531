"""Observers, log, clock and mail callbacks: threads, the GIL, and exceptions that must not crash."""

from __future__ import annotations

import logging
import threading

import pytest

import leandesk

from conftest import World


def test_observer_receives_typed_changes_until_removed(world: World) -> None:
    seen: list[leandesk.Change] = []
    token = world.db.add_observer(seen.extend)
    ann = world.user("Ann", "Archer")
    group = ann.create_group("Lean Team")
    groups = [c for c in seen if c.entity == "group"]
    assert groups and groups[-1].entity_id == group.id and groups[-1].op == "insert"
    assert groups[-1].actor == ann.me().id and isinstance(groups[-1].fields, tuple)
    assert token.active and token.id > 0
    token.remove()
    token.remove()  # idempotent
    count = len(seen)
    ann.update_group(group.id, name="Renamed")
    assert len(seen) == count
    assert world.db.changes_since(0, 100000)[-1].entity == "group"


def test_observer_as_context_manager_and_after_close(world: World) -> None:
    seen: list[list[leandesk.Change]] = []
    with world.db.add_observer(seen.append) as token:
        world.user("Ann", "Archer").create_group("G")
    assert seen and not token.active
    late = world.db.add_observer(seen.append)
    world.db.close()
    assert not late.active
    late.remove()  # after the database closed: does nothing


def test_observer_exception_is_logged_and_the_call_succeeds(world: World, caplog: pytest.LogCaptureFixture) -> None:
    def broken(changes: list[leandesk.Change]) -> None:
        raise ValueError("observer bug")

    world.db.add_observer(broken)
    with caplog.at_level(logging.ERROR, logger="leandesk"):
        ann = world.user("Ann", "Archer")
        group = ann.create_group("Still works")
    assert ann.get_group(group.id).name == "Still works"
    assert "observer bug" in caplog.text


def test_observer_may_call_leandesk(world: World) -> None:
    ann = world.user("Ann", "Archer")
    names: list[str] = []

    def reread(changes: list[leandesk.Change]) -> None:
        for c in changes:
            if c.entity == "group" and c.op == "insert":
                names.append(ann.get_group(c.entity_id).name)

    world.db.add_observer(reread)
    ann.create_group("Lean Team")
    assert names == ["Lean Team"]


def test_commits_from_other_threads_reach_python_observers(world: World) -> None:
    """Observers run on the committing thread (a Python thread here, with the GIL released by the
    binding during C calls): several threads committing at once neither deadlock nor lose one."""
    ann = world.user("Ann", "Archer")
    group = ann.create_group("Lean Team")
    project = ann.create_project(group.id, "Pilot")
    threads_seen: set[str] = set()  # names: idents are reused
    created: list[str] = []
    lock = threading.Lock()

    def observe(changes: list[leandesk.Change]) -> None:
        with lock:
            threads_seen.add(threading.current_thread().name)
            created.extend(c.entity_id for c in changes if c.entity == "action" and c.op == "insert")

    world.db.add_observer(observe)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                ann.create_action(project.id, f"t{n}-{i}")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,), name=f"committer-{n}") for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    assert len(created) == 80
    assert threads_seen == {f"committer-{n}" for n in range(4)}
    assert len(ann.project_actions(project.id)) == 80


def test_log_receives_lines_and_a_failing_sink_is_harmless(world: World, caplog: pytest.LogCaptureFixture) -> None:
    lines: list[tuple[leandesk.LogLevel, str]] = []
    world.db.set_log(lambda level, line: lines.append((level, line)))
    world.user("Ann", "Archer")
    assert lines and all(isinstance(level, leandesk.LogLevel) for level, _ in lines)
    assert not any("correct horse" in line for _, line in lines)  # never a password

    def broken(level: leandesk.LogLevel, line: str) -> None:
        raise RuntimeError("log sink bug")

    world.db.set_log(broken)
    world.user("Bob", "Baker")
    assert "log sink bug" in caplog.text
    world.db.set_log(None)


def test_failing_clock_falls_back_to_system_time(world: World, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> int:
        raise RuntimeError("clock bug")

    world.db.set_clock(broken)
    ann = world.user("Ann", "Archer")
    assert ann.me().created_at > 1_600_000_000_000
    assert "clock bug" in caplog.text
    world.db.set_clock(None)


def test_replacing_and_closing_release_callbacks(world: World) -> None:
    import gc
    import weakref

    class Sink:
        def __call__(self, *args: object) -> None:
            pass

    first, second = Sink(), Sink()
    refs = [weakref.ref(first), weakref.ref(second)]
    world.db.set_log(first)
    world.db.set_log(second)  # the library drops the first
    del first
    gc.collect()
    assert refs[0]() is None and refs[1]() is not None
    del second
    world.db.close()  # closing drops the rest
    gc.collect()
    assert refs[1]() is None


def test_non_callables_are_refused(world: World) -> None:
    with pytest.raises(TypeError):
        world.db.add_observer(42)  # type: ignore[arg-type]
