"""Every rule family through the binding: each refusal is PermissionDenied naming its rule (or the
code the engine documents) and changes nothing; each permission works."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

import pytest

import leandesk

from conftest import PASSWORD, Team, World, mail_code

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(64)


def refused(rule: str, call: Callable[..., object], *args: Any,
            **kwargs: Any) -> leandesk.PermissionDenied:
    """Runs the call and checks it is refused by ``rule`` with code -3."""
    with pytest.raises(leandesk.PermissionDenied) as e:
        call(*args, **kwargs)
    assert e.value.code == -3 and e.value.rule == rule, e.value.message
    assert e.value.message.startswith(rule + ":")
    return e.value


# ---- groups and members (R1–R4) ---------------------------------------------------------------

def test_r1_active_user_creates_a_group_non_activated_may_not(world: World) -> None:
    ann = world.user("Ann", "Archer")
    group = ann.create_group("Lean Team")
    assert group.manager_id == ann.me().id
    assert [s.kind for s in ann.group_steps(group.id)][0] is leandesk.StepKind.OPEN
    # A sign-up not yet activated gets no session at all (docs/accounts.md: the same AuthFailed as
    # a wrong password), so it cannot reach create_group.
    world.db.sign_up("Dan", "Dunn", "dan@example.com", PASSWORD)  # not activated
    with pytest.raises(leandesk.AuthFailed):
        world.db.sign_in("dan@example.com", PASSWORD)


def test_r2_only_the_manager_edits_the_group(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    bob_id = bob.me().id
    refused("R2", bob.update_group, group.id, name="Bob's team")
    refused("R2", bob.add_member, group.id, "dan@example.com")
    refused("R2", bob.remove_member, group.id, cat.me().id)
    refused("R2", bob.add_step, group.id, "Checked", "active")
    step = ann.group_steps(group.id)[0]
    refused("R2", bob.update_step, step.id, name="Backlog")
    refused("R2", bob.move_step, step.id, 1)
    refused("R2", bob.remove_step, step.id)
    refused("R2", bob.add_resource, group.id, "Guide", url="https://example.com/guide")
    refused("R2", bob.transfer_group, group.id, bob_id)
    refused("R2", bob.delete_group, group.id)
    assert ann.get_group(group.id).name == "Lean Team"  # nothing changed

    assert ann.update_group(group.id, name="Lean Crew").name == "Lean Crew"
    added = ann.add_step(group.id, "Checked", leandesk.StepKind.ACTIVE)
    assert ann.update_step(added.id, name="Verified", kind="done").kind is leandesk.StepKind.DONE
    order = ann.move_step(added.id, 0)
    assert order[0].id == added.id and [s.position for s in order] == list(range(len(order)))
    ann.remove_step(added.id)
    res = ann.add_resource(group.id, "Guide", url="https://example.com/guide")
    res = ann.update_resource(res.id, note="Read first", url=None)
    assert (res.url, res.note) == (None, "Read first")
    assert [r.name for r in bob.group_resources(group.id)] == ["Guide"]
    ann.remove_resource(res.id)
    assert ann.group_resources(group.id) == []
    with pytest.raises(leandesk.Conflict):
        ann.add_member(group.id, "bob@example.com")

    # Hand-over: still exactly one manager.
    assert ann.transfer_group(group.id, bob_id).manager_id == bob_id
    refused("R2", ann.update_group, group.id, name="Ann's again")
    bob.delete_group(group.id)
    with pytest.raises(leandesk.NotFound):
        ann.get_group(group.id)


def test_r3_the_manager_neither_leaves_nor_is_removed(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    refused("R3", ann.leave_group, group.id)
    ann.transfer_group(group.id, bob.me().id)
    with pytest.raises(leandesk.PermissionDenied):
        ann.remove_member(group.id, bob.me().id)  # no longer the manager
    refused("R3", bob.remove_member, group.id, bob.me().id)
    ann.leave_group(group.id)  # after handing over
    assert [g.name for g in ann.my_groups()] == []


def test_r4_leaving_or_removal_also_leaves_the_projects(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    bob.leave_group(group.id)
    assert [p.display_name for p in ann.project_participants(pilot.id)] == ["Ann Archer"]
    with pytest.raises(leandesk.LeanDeskError):
        bob.get_group(group.id)
    ann.add_participant(pilot.id, cat.me().id)
    ann.remove_member(group.id, cat.me().id)
    assert [p.display_name for p in ann.project_participants(pilot.id)] == ["Ann Archer"]
    assert len(ann.group_members(group.id)) == 1


def test_r16_a_person_added_by_email_before_having_an_account(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    dan = ann.add_member(group.id, "dan@example.com")
    assert not dan.activated and dan.display_name == "dan@example.com"
    ann.add_participant(pilot.id, dan.id)
    action = ann.create_action(pilot.id, "For Dan", owner_id=dan.id)
    assert action.owner_id == dan.id
    # Signing up claims that person (R16).
    assert world.db.sign_up("Dan", "Dunn", "dan@example.com", PASSWORD).id == dan.id
    world.db.activate(mail_code(world.last_mail_to("dan@example.com")))
    names = {p.id: p.display_name for p in ann.group_members(group.id)}
    assert names[dan.id] == "Dan Dunn"


# ---- projects (R5–R8, R15) ----------------------------------------------------------------------

def test_r5_members_create_projects_outsiders_may_not(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    project = cat.create_project(group.id, "Cat's", start_date=date(2026, 3, 1),
                                 target_date=date(2026, 6, 30), description="Now")
    assert project.owner_id == cat.me().id and project.start_date == date(2026, 3, 1)
    assert [p.display_name for p in cat.project_participants(project.id)] == ["Cat Carter"]
    eve = world.user("Eve", "Evans")
    with pytest.raises(leandesk.LeanDeskError) as e:
        eve.create_project(group.id, "Intruder")
    assert isinstance(e.value, (leandesk.PermissionDenied, leandesk.NotFound))


def test_r6_participants_and_ownership(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    bob_id, cat_id = bob.me().id, cat.me().id
    refused("R6", bob.add_participant, pilot.id, cat_id)  # a participant, not the owner
    refused("R6", ann.remove_participant, pilot.id, ann.me().id)  # nobody removes the owner
    refused("R6", ann.leave_project, pilot.id)  # the owner hands over first
    eve = world.user("Eve", "Evans")
    with pytest.raises(leandesk.LeanDeskError):
        ann.add_participant(pilot.id, eve.me().id)  # not a group member
    part = ann.add_participant(pilot.id, cat_id)
    assert (part.project_id, part.user_id, part.added_by) == (pilot.id, cat_id, ann.me().id)
    task = cat.create_action(pilot.id, "Cat's task", owner_id=cat_id)
    cat.leave_project(pilot.id)
    assert ann.get_action(task.id).action.owner_id is None  # actions lose their owner
    assert ann.transfer_project(pilot.id, bob_id).owner_id == bob_id
    ann.leave_project(pilot.id)
    ann.add_participant(pilot.id, cat_id)  # ann is still the group manager (R7)
    ann.remove_participant(pilot.id, cat_id)


def test_r7_the_manager_reads_and_deletes_without_participating(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    project = cat.create_project(group.id, "Cat's")
    cat.create_action(project.id, "Secret")
    assert [a.title for a in ann.project_actions(project.id)] == ["Secret"]
    assert ann.get_project(project.id).name == "Cat's"
    assert {p.name for p in ann.group_projects(group.id)} == {"Pilot", "Cat's"}
    assert [p.name for p in bob.group_projects(group.id)] == ["Pilot"]
    refused("R7", bob.delete_project, pilot.id)
    ann.delete_project(project.id)
    with pytest.raises(leandesk.NotFound):
        cat.get_project(project.id)


def test_r8_only_participants_read_a_project(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    refused("R8", cat.get_project, pilot.id)
    refused("R8", cat.project_actions, pilot.id)
    people = bob.project_participants(pilot.id)
    assert all(p.email is not None for p in people)  # co-participants' e-mails (R8)
    review = bob.project_review(pilot.id)
    assert review.project.id == pilot.id
    assert [s.step.name for s in review.steps][0] == "Ideas"


def test_r15_report_recipients_are_participants(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    people = bob.report_recipients(pilot.id, [ann.me().id, bob.me().id])
    assert sorted(str(p.email) for p in people) == ["ann@example.com", "bob@example.com"]
    refused("R15", bob.report_recipients, pilot.id, [cat.me().id])
    with pytest.raises(leandesk.PermissionDenied):
        cat.report_recipients(pilot.id, [cat.me().id])


# ---- the plan (R9, R14) -------------------------------------------------------------------------

def test_r9_participants_edit_the_plan_others_may_not(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    steps = bob.group_steps(group.id)
    done = next(s for s in steps if s.kind is leandesk.StepKind.DONE)
    indicator = bob.create_indicator(pilot.id, "Lead time", unit="days", baseline=10, target=4)
    action = bob.create_action(pilot.id, "Measure", due_date=date(2026, 3, 20), priority=2,
                               indicator_id=indicator.id, impact=-3)
    assert (action.due_date, action.priority, action.impact) == (date(2026, 3, 20), 2, -3.0)
    action = ann.update_action(action.id, progress=50, context="@desk", due_date=None)
    assert (action.progress, action.context, action.due_date) == (50, "@desk", None)
    moved = bob.move_action(action.id, done.id)
    assert moved.step_id == done.id and moved.done_at is not None
    comment = bob.add_comment(action.id, "Started")
    photo = bob.add_photo(action.id, PNG, caption="Board")
    assert (photo.mime, photo.size, photo.caption) == ("image/png", len(PNG), "Board")
    assert bob.read_blob(photo.blob) == PNG
    detail = ann.get_action(action.id)
    assert [c.body for c in detail.comments] == ["Started"] and len(detail.photos) == 1
    value = bob.set_indicator_value(indicator.id, "2026-W10", 8.5)
    assert (value.week, value.actual) == ("2026-W10", 8.5)
    assert any(p.actual == 8.5 for p in bob.indicator_curve(indicator.id))
    bob.update_indicator(indicator.id, target=3)
    assert [i.target for i in bob.project_indicators(pilot.id)] == [3.0]

    refused("R9", cat.create_action, pilot.id, "Sneak")
    refused("R9", cat.update_action, action.id, title="Hijacked")
    refused("R9", cat.move_action, action.id, steps[0].id)
    refused("R9", cat.delete_action, action.id)
    refused("R9", cat.add_comment, action.id, "Hi")
    refused("R9", cat.add_photo, action.id, PNG)
    refused("R9", cat.remove_photo, photo.id)
    refused("R9", cat.set_indicator_value, indicator.id, "2026-W11", 1)
    with pytest.raises(leandesk.NotFound):
        cat.read_blob(photo.blob)  # knowing a hash grants nothing
    with pytest.raises(leandesk.PermissionDenied):
        ann.delete_comment(comment.id)  # only the author
    assert bob.get_action(action.id).action.title == "Measure"  # nothing changed

    bob.clear_indicator_value(indicator.id, "2026-W10")
    bob.delete_comment(comment.id)
    bob.remove_photo(photo.id)
    bob.delete_indicator(indicator.id)
    assert bob.get_action(action.id).action.indicator_id is None
    bob.delete_action(action.id)
    assert bob.project_actions(pilot.id) == []


def test_r14_deleting_a_group_cascades(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    action = bob.create_action(pilot.id, "Measure")
    ann.delete_group(group.id)
    for call, arg in ((bob.get_action, action.id), (bob.get_project, pilot.id),
                      (bob.get_group, group.id)):
        with pytest.raises(leandesk.NotFound):
            call(arg)


def test_dashboard_lists_own_actions(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    bob.create_action(pilot.id, "Late", owner_id=bob.me().id, due_date=date(2000, 1, 3))
    (late,) = bob.dashboard()
    assert late.title == "Late" and late.overdue


# ---- people and visibility (R11–R13, R16, R17) --------------------------------------------------

def test_r13_emails_and_non_members(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    by_cat = {p.display_name: p for p in cat.group_members(group.id)}
    assert by_cat["Cat Carter"].email == "cat@example.com"
    assert by_cat["Ann Archer"].email is None and by_cat["Bob Baker"].email is None
    assert by_cat["Ann Archer"].status is leandesk.UserStatus.NONE  # status is visible
    eve = world.user("Eve", "Evans")
    with pytest.raises(leandesk.LeanDeskError) as e:
        eve.group_members(group.id)
    assert e.value.code in (-2, -3)
    assert eve.my_groups() == []


def test_r11_users_edit_only_their_own_profile(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    with pytest.raises(leandesk.PermissionDenied) as e:
        ann.execute("update_profile", {"user_id": bob.me().id, "patch": {"first_name": "B"}})
    assert e.value.rule == "R11"
    assert bob.me().first_name == "Bob"


def test_execute_runs_commands_by_name(team: Team) -> None:
    world, ann, bob, cat, group, pilot = team
    groups = ann.execute("my_groups")
    assert [g["name"] for g in groups] == ["Lean Team"]
    created = bob.execute("create_action", {"input": {"project_id": pilot.id, "title": "Raw"}})
    assert created["title"] == "Raw"
    assert ann.execute("delete_action", {"action_id": created["id"]}) is None
    with pytest.raises(leandesk.InvalidArgument):
        ann.execute("no_such_command")
