"""Deeply nested JSON input, at every JSON entry point of the binding: refused with
InvalidArgument ("nested too deeply"), never a crash or a RecursionError (issue 20).

Two ways in: JSON text (a str, passed to the library as it is, or parsed by the native layer for
the database options), and Python values (dicts, lists, tuples) that the binding encodes with
``json.dumps``, which recurses once per level. The cases that used to kill the interpreter
(SIGSEGV in the C++ wrapper) run in a child interpreter, so a regression fails one test instead of
ending the run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any, Callable

import pytest

import leandesk
from leandesk._inputs import MAX_INPUT_DEPTH

from conftest import World

HOSTILE = 100_000
PNG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44,
             0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89])


def deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def deep_dict(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


DEEP_TEXTS = {
    "array text": "[" * HOSTILE + "]" * HOSTILE,
    "object text": '{"a":' * (HOSTILE - 1) + "{}" + "}" * (HOSTILE - 1),
}
DEEP_VALUES: dict[str, Callable[[], Any]] = {
    "list": lambda: deep_list(HOSTILE),
    "dict": lambda: deep_dict(HOSTILE),
    "tuple": lambda: tuple(deep_list(HOSTILE)),
}


def expect_too_deep(call: Callable[[], object]) -> None:
    with pytest.raises(leandesk.InvalidArgument) as caught:
        call()
    assert "nested too deeply" in caught.value.message


# ---- the database options, as text: parsed by the native layer, then handed to the C++ wrapper --

CHILD = """
import sys, leandesk
n = 100000
text = {text}
try:
    {call}
except leandesk.InvalidArgument as e:
    print("InvalidArgument:", e.message)
    sys.exit(0)
print("no error")
sys.exit(1)
"""


def run_child(text: str, call: str) -> None:
    script = CHILD.format(text=text, call=call)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, (
        f"the child ended with {done.returncode} (negative: killed by that signal)\n"
        f"stdout: {done.stdout}\nstderr: {done.stderr[-2000:]}")
    assert "nested too deeply" in done.stdout, done.stdout


CHILD_TEXTS = {
    "array text": '"[" * n + "]" * n',
    "object text": '"{\\"a\\":" * (n - 1) + "{}" + "}" * (n - 1)',
}


@pytest.mark.parametrize("what", sorted(CHILD_TEXTS))
def test_database_options_text(what: str) -> None:
    run_child(CHILD_TEXTS[what], 'leandesk.Database(":memory:", text)')


@pytest.mark.parametrize("what", sorted(CHILD_TEXTS))
def test_open_replica_options_text(what: str, tmp_path: Any) -> None:
    # Refused before the replica is opened: no server is contacted and no file is made.
    path = str(tmp_path / "replica.db")
    run_child(CHILD_TEXTS[what],
              f'leandesk.Database.open_replica({path!r}, "https://sync.invalid/", options=text)')
    assert not (tmp_path / "replica.db").exists()


# ---- the database options, as values ------------------------------------------------------------

@pytest.mark.parametrize("what", sorted(DEEP_VALUES))
def test_database_options_value(what: str, tmp_path: Any) -> None:
    deep = DEEP_VALUES[what]()
    expect_too_deep(lambda: leandesk.Database(":memory:", {"password_opslimit": deep}))
    expect_too_deep(lambda: leandesk.Database(
        ":memory:", leandesk.DatabaseOptions(product_name=deep)))
    expect_too_deep(lambda: leandesk.Database.open_replica(
        str(tmp_path / "replica.db"), "https://sync.invalid/", options={"x": deep}))
    if what == "dict":
        expect_too_deep(lambda: leandesk.Database(":memory:", deep))


# ---- the entry points of a database and a session -----------------------------------------------

@pytest.mark.parametrize("what", sorted(DEEP_TEXTS))
def test_json_text_entry_points(world: World, what: str) -> None:
    text = DEEP_TEXTS[what]
    ann = world.user("Ann", "Tester")
    expect_too_deep(lambda: world.db.sign_up_json(text))
    expect_too_deep(lambda: ann.execute("create_group", text))
    expect_too_deep(lambda: ann.update_profile_json(text))
    expect_too_deep(lambda: ann.create_action_json(text))
    assert ann.my_groups() == []


@pytest.mark.parametrize("what", sorted(DEEP_VALUES))
def test_value_entry_points(world: World, what: str) -> None:
    deep = DEEP_VALUES[what]()
    ann = world.user("Ann", "Tester")
    group = ann.create_group("Plant")
    project = ann.create_project(group.id, "Scrap")
    action = ann.create_action(project.id, "Measure")
    mails = len(world.mails)
    db = world.db
    expect_too_deep(lambda: db.sign_up(deep, "Tester", "bob@example.com", "a long password 1"))
    expect_too_deep(lambda: db.record_usage(deep))
    expect_too_deep(lambda: ann.execute("create_group", {"input": deep}))
    if what == "dict":
        expect_too_deep(lambda: ann.execute("create_group", deep))
    expect_too_deep(lambda: ann.update_profile(first_name=deep))
    expect_too_deep(lambda: ann.create_group(deep))
    expect_too_deep(lambda: ann.update_group(group.id, name=deep))
    expect_too_deep(lambda: ann.create_action(project.id, deep))
    expect_too_deep(lambda: ann.update_action(action.id, title=deep))
    expect_too_deep(lambda: ann.add_photo(action.id, PNG, caption=deep))
    expect_too_deep(lambda: ann.report_recipients(project.id, [deep]))
    expect_too_deep(lambda: ann.send_project_report(project.id, [deep]))
    # Nothing was applied and nothing was mailed.
    assert [g.name for g in ann.my_groups()] == ["Plant"]
    assert ann.get_action(action.id).action.title == "Measure"
    assert len(world.mails) == mails


def test_a_value_that_contains_itself_is_refused_quickly(world: World) -> None:
    ann = world.user("Ann", "Tester")
    loop: list[Any] = []
    loop.append(loop)
    loop.append(loop)  # two paths per level: a walk that is not depth-first would never end
    expect_too_deep(lambda: ann.execute("create_group", {"input": loop}))


def test_the_bound(world: World) -> None:
    ann = world.user("Ann", "Tester")
    # At the binding's bound the value is encoded and the library refuses it itself (32 levels).
    with pytest.raises(leandesk.InvalidArgument) as at_bound:
        ann.execute("create_group", {"input": deep_list(MAX_INPUT_DEPTH - 1)})
    assert "nested too deeply" in at_bound.value.message
    assert str(MAX_INPUT_DEPTH) not in at_bound.value.message
    # One more level and the binding refuses it before json.dumps.
    with pytest.raises(leandesk.InvalidArgument) as past:
        ann.execute("create_group", {"input": deep_list(MAX_INPUT_DEPTH)})
    assert str(MAX_INPUT_DEPTH) in past.value.message
    # Ordinary nesting is untouched.
    assert ann.execute("create_group", {"input": {"name": "Plant"}})["name"] == "Plant"
