"""The cross-language consistency scenario (issue 7).

The same steps as bindings/swift/Tests/LeanDeskTests/ConsistencyScenarioTests.swift and
bindings/kotlin/.../ConsistencyTest.kt, gathered into one object compared with the same literal
``EXPECTED``. The steps, in order:

 1. A fresh database file with {"password_opslimit":1,"password_memlimit":8192} and a mail sender
    that captures the mails.
 2. Ann Archer, Bob Baker, Cat Carter sign up with "correct horse battery", activate with the code
    of their mail (the line starting with four spaces, trimmed) and sign in.
 3. Ann creates "Lean Team" (R1) and adds bob@ and cat@ (R2): 3 members.
 4. Ann creates "Pilot" (R5) and adds Bob (R6): 2 participants.
 5. Bob creates "Measure" (R9): it lands in the open step "Ideas"; Bob is its creator.
 6. Cat's create of "Sneak" is refused (-3, "R9:"); Pilot keeps 1 action. Cat reading Pilot is
    refused (-3, "R8:").
 7. Visible e-mails in group_members (R13): Ann {Ann, Bob, Cat}; Bob {Ann, Bob}; Cat {Cat}.
 8. Ann hands Pilot to Bob (R6) and leaves it. Participants: {Bob}.
 9. Ann (manager, not participant) reads Pilot's actions (R7): ["Measure"]; her group_projects
    lists Pilot, her my_projects does not.
10. Visible e-mails again: Bob now sees {Bob} only; Ann still all three; Cat {Cat}.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import leandesk

from conftest import FAST, World

EXPECTED: dict[str, Any] = {
    "members_count": 3,
    "participants_after_add": ["Ann Archer", "Bob Baker"],
    "measure_step": "Ideas",
    "cat_create_action": {"code": -3, "name": "permission denied", "rule": "R9"},
    "actions_after_refusal": 1,
    "cat_get_project": {"code": -3, "name": "permission denied", "rule": "R8"},
    "emails_seen_by": {
        "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
        "bob": ["Ann Archer", "Bob Baker"],
        "cat": ["Cat Carter"],
    },
    "participants_after_ann_left": ["Bob Baker"],
    "pilot_owner": "Bob Baker",
    "ann_reads_actions": ["Measure"],
    "ann_group_projects": ["Pilot"],
    "ann_my_projects": [],
    "emails_seen_after_ann_left": {
        "ann": ["Ann Archer", "Bob Baker", "Cat Carter"],
        "bob": ["Bob Baker"],
        "cat": ["Cat Carter"],
    },
}


def sorted_names(people: list[leandesk.Person]) -> list[str]:
    return sorted(p.display_name for p in people)


def error_summary(body: Callable[[], object]) -> Any:
    try:
        body()
        return "succeeded"
    except leandesk.LeanDeskError as e:
        rule = e.rule if isinstance(e, leandesk.PermissionDenied) else None
        return {"code": e.code, "name": e.name, "rule": rule}


def test_scenario(tmp_path: "os.PathLike[str]") -> None:
    # 1–2
    w = World(os.path.join(tmp_path, "scenario.leandesk"), FAST)
    with w.db:
        ann, bob, cat = w.user("Ann", "Archer"), w.user("Bob", "Baker"), w.user("Cat", "Carter")
        names = {me.id: me.display_name for me in (s.me() for s in (ann, bob, cat))}
        bob_id = bob.me().id
        observed: dict[str, Any] = {}

        def emails_seen(group_id: str) -> dict[str, list[str]]:
            return {name: sorted_names([p for p in s.group_members(group_id) if p.email is not None])
                    for name, s in (("ann", ann), ("bob", bob), ("cat", cat))}

        # 3
        group = ann.create_group("Lean Team")
        assert group.manager_id == ann.me().id
        ann.add_member(group.id, "bob@example.com")
        ann.add_member(group.id, "cat@example.com")
        observed["members_count"] = len(ann.group_members(group.id))

        # 4
        pilot = ann.create_project(group.id, "Pilot")
        ann.add_participant(pilot.id, bob_id)
        observed["participants_after_add"] = sorted_names(ann.project_participants(pilot.id))

        # 5
        measure = bob.create_action(pilot.id, "Measure")
        assert measure.created_by == bob_id
        steps = {s.id: s.name for s in bob.group_steps(group.id)}
        observed["measure_step"] = steps.get(measure.step_id, "?")

        # 6
        observed["cat_create_action"] = error_summary(lambda: cat.create_action(pilot.id, "Sneak"))
        observed["actions_after_refusal"] = len(bob.project_actions(pilot.id))
        observed["cat_get_project"] = error_summary(lambda: cat.get_project(pilot.id))

        # 7
        observed["emails_seen_by"] = emails_seen(group.id)

        # 8
        ann.transfer_project(pilot.id, bob_id)
        ann.leave_project(pilot.id)
        observed["participants_after_ann_left"] = sorted_names(bob.project_participants(pilot.id))
        observed["pilot_owner"] = names.get(ann.get_project(pilot.id).owner_id, "?")

        # 9
        observed["ann_reads_actions"] = [a.title for a in ann.project_actions(pilot.id)]
        observed["ann_group_projects"] = [p.name for p in ann.group_projects(group.id)]
        observed["ann_my_projects"] = [p.name for p in ann.my_projects()]

        # 10
        observed["emails_seen_after_ann_left"] = emails_seen(group.id)

    assert observed == EXPECTED
