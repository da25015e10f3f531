"""Errors: every code maps to its class with code and message kept; bad input never crashes."""

from __future__ import annotations

import pathlib
import pickle
from typing import Optional

import pytest

import leandesk

from conftest import Team, World

CLASSES = {
    -1: leandesk.LeanDeskError, -2: leandesk.NotFound, -3: leandesk.PermissionDenied,
    -4: leandesk.InvalidArgument, -5: leandesk.Conflict, -6: leandesk.NotSignedIn,
    -7: leandesk.SessionExpired, -8: leandesk.NetworkError, -9: leandesk.IOFailure,
    -10: leandesk.Busy, -11: leandesk.OutOfMemory, -12: leandesk.RateLimited,
    -13: leandesk.Cancelled, -14: leandesk.Corrupt, -15: leandesk.InternalError,
    -16: leandesk.AuthFailed,
}


def test_code_mapping_and_names() -> None:
    for code, cls in CLASSES.items():
        e = leandesk.error_for(code, "msg")
        assert type(e) is cls and e.code == code and e.message == "msg"
        assert isinstance(e, leandesk.LeanDeskError)
        assert e.name == leandesk.error_name(code) and e.name not in ("", "unknown")
    assert leandesk.error_name(-3) == "permission denied"
    unknown = leandesk.error_for(-99, "future")
    assert type(unknown) is leandesk.LeanDeskError and unknown.code == -99
    again = pickle.loads(pickle.dumps(leandesk.error_for(-3, "R9: no")))
    assert type(again) is leandesk.PermissionDenied and again.rule == "R9"


def test_rule_parsing() -> None:
    def rule(message: str) -> Optional[str]:
        error = leandesk.error_for(-3, message)
        assert isinstance(error, leandesk.PermissionDenied)
        return error.rule

    assert rule("R12: deactivated") == "R12"
    assert rule("no rule here") is None
    assert rule("R: odd") is None


def test_rule_refusal_keeps_code_and_message(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    with pytest.raises(leandesk.PermissionDenied) as e:
        cat.create_action(pilot.id, "Sneak")
    err = e.value
    assert (err.code, err.rule, err.name) == (-3, "R9", "permission denied")
    assert err.message.startswith("R9: ")
    assert err.message in str(err) and "permission denied" in str(err)
    assert len(bob.project_actions(pilot.id)) == 0


def test_bad_json_and_wrong_shapes_are_invalid_argument(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    bad_inputs = [
        "{",  # malformed
        "[]",  # not an object
        '{"project_id": "%s"}' % pilot.id,  # no title
        '{"project_id": "%s", "title": 5}' % pilot.id,  # wrong type
        '{"project_id": "%s", "title": "x", "priority": 9}' % pilot.id,  # out of range
        '{"project_id": "%s", "title": "x", "colour": "red"}' % pilot.id,  # unknown key
        '{"project_id": "%s", "title": "x", "due_date": "2026-02-30"}' % pilot.id,  # no such day
    ]
    for text in bad_inputs:
        with pytest.raises(leandesk.InvalidArgument) as e:
            bob.create_action_json(text)
        assert e.value.code == -4 and e.value.message, text
    with pytest.raises(leandesk.InvalidArgument):
        bob.create_action(pilot.id, "x", priority=9)
    with pytest.raises(leandesk.NotFound):  # an id that is no UUID names nothing
        bob.update_action("not-a-uuid", title="x")
    with pytest.raises(leandesk.InvalidArgument):
        bob.execute("create_group", "{not json")
    assert bob.project_actions(pilot.id) == []  # nothing half-applied


def test_wrong_python_types_and_nul_and_surrogates(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    with pytest.raises(TypeError):
        bob.get_project(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bob.create_action(pilot.id, "x", due_date=object())  # type: ignore[arg-type]
    with pytest.raises(leandesk.InvalidArgument) as nul:
        bob.get_project(pilot.id + "\0tail")
    assert "NUL" in nul.value.message
    with pytest.raises(leandesk.InvalidArgument):
        bob.get_project("\ud800")  # a lone surrogate is not text
    with pytest.raises(leandesk.InvalidArgument):
        bob.create_action(pilot.id, "bad \ud800 title")
    with pytest.raises(leandesk.NotFound):
        bob.get_project("00000000-0000-4000-8000-000000000000")
    with pytest.raises(leandesk.NotFound):
        bob.get_project("")


def test_bad_options_and_paths(tmp_path: pathlib.Path) -> None:
    with pytest.raises(leandesk.InvalidArgument):
        leandesk.Database(":memory:", {"no_such_option": 1})
    with pytest.raises(leandesk.InvalidArgument):
        leandesk.Database(":memory:", "{")
    not_a_db = tmp_path / "text.leandesk"
    not_a_db.write_text("this is not a database, just some text " * 100)
    with pytest.raises(leandesk.Corrupt) as corrupt:
        leandesk.Database(str(not_a_db))
    assert corrupt.value.code == -14
    with pytest.raises(leandesk.IOFailure):
        leandesk.Database(str(tmp_path / "missing" / "dir" / "x.leandesk"))


def test_conflicts_and_not_found(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    action = bob.create_action(pilot.id, "Busy step")
    with pytest.raises(leandesk.Conflict):
        ann.remove_step(action.step_id)  # actions are still in it
    with pytest.raises(leandesk.NotFound):
        ann.get_action("00000000-0000-4000-8000-000000000000")
    assert isinstance(leandesk.Conflict(-5, "x"), leandesk.LeanDeskError)
