"""Entities: dataclasses match the JSON Schemas, decode typed values, ignore unknown keys, and a
result that cannot be decoded is an InternalError."""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
from datetime import date, datetime, timezone

import pytest

import leandesk
from leandesk._entities import decode, decode_list

from conftest import Team

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(os.environ.get("LEANDESK_SOURCE_DIR", HERE.parents[2]))
SCHEMAS = SOURCE / "docs" / "schema"

BY_SCHEMA = {
    "user": leandesk.User, "group": leandesk.Group, "person_view": leandesk.Person,
    "step": leandesk.Step, "resource": leandesk.Resource, "project": leandesk.Project,
    "participant": leandesk.Participant, "action": leandesk.Action, "photo": leandesk.Photo,
    "comment": leandesk.Comment, "action_detail": leandesk.ActionDetail,
    "indicator": leandesk.Indicator, "indicator_value": leandesk.IndicatorValue,
    "indicator_point": leandesk.IndicatorPoint, "step_actions": leandesk.StepActions,
    "project_review": leandesk.ProjectReview, "change": leandesk.Change,
}


@pytest.mark.parametrize("schema", sorted(BY_SCHEMA))
def test_fields_match_the_schema(schema: str) -> None:
    doc = json.loads((SCHEMAS / f"{schema}.schema.json").read_text())
    fields = {f.name for f in dataclasses.fields(BY_SCHEMA[schema])}
    assert fields == set(doc["properties"]), schema


def test_every_entity_from_the_engine_is_typed(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    indicator = bob.create_indicator(pilot.id, "Lead time", baseline=10, target=4)
    action = bob.create_action(pilot.id, "Measure", due_date=date(2026, 3, 2), impact=-2,
                               indicator_id=indicator.id)
    assert isinstance(action.due_date, date) and isinstance(action.position, float)
    assert isinstance(action.impact, float) and action.overdue in (True, False)
    review = bob.project_review(pilot.id)
    assert isinstance(review.steps, tuple) and isinstance(review.steps[0].step.kind,
                                                          leandesk.StepKind)
    assert review.project.status is leandesk.ProjectStatus.ACTIVE
    closed = ann.update_project(pilot.id, status=leandesk.ProjectStatus.CLOSED,
                                target_date=date(2026, 12, 31))
    assert closed.status == "closed" and closed.target_date == date(2026, 12, 31)
    assert ann.update_project(pilot.id, target_date=None).target_date is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        action.title = "changed"  # type: ignore[misc]
    when = leandesk.to_datetime(action.created_at)
    assert when.tzinfo is timezone.utc and when.year >= 2024
    assert isinstance(datetime.now(timezone.utc) - when, type(when - when))


def test_unknown_keys_are_ignored_and_bad_results_raise_internal_error() -> None:
    group = decode('{"id":"g","name":"G","manager_id":"m","created_at":1,"new_key":true}',
                   leandesk.Group._from)
    assert group == leandesk.Group("g", "G", "m", 1)
    with pytest.raises(leandesk.InternalError) as e:
        decode('{"id":"g"}', leandesk.Group._from)
    assert e.value.code == -15
    with pytest.raises(leandesk.InternalError):
        decode_list('[{"id":"s","group_id":"g","name":"S","position":0,"kind":"weird"}]',
                    leandesk.Step._from)
    with pytest.raises(leandesk.InternalError):
        decode("not json", leandesk.Group._from)


def test_inputs_encode_only_what_is_set(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    assert repr(leandesk.UNSET) == "UNSET" and not leandesk.UNSET
    action = bob.create_action(pilot.id, "A", context="@desk", due_date=date(2026, 5, 1))
    same = bob.update_action(action.id, progress=10)  # only progress changes
    assert (same.context, same.due_date, same.progress) == ("@desk", date(2026, 5, 1), 10)
    cleared = bob.update_action(action.id, due_date=None)
    assert cleared.due_date is None and cleared.context == "@desk"
    opts = leandesk.DatabaseOptions(password_opslimit=1)
    assert json.loads(opts.to_json()) == {"password_opslimit": 1}
