"""Export, backup, restore and the project report through the binding: the workbook read back
with openpyxl, refusals naming their rule with nothing left behind, progress and cancelling, a
backup restored as a new group, the report rendered and mailed (R10, R15)."""

from __future__ import annotations

import json
import pathlib
import threading

import openpyxl
import pytest

import leandesk

from conftest import Team


def cells(path: pathlib.Path) -> dict[str, list[object]]:
    """Every cell value of the workbook at ``path``, by sheet."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: [value for row in sheet.iter_rows(values_only=True) for value in row]
                for sheet in book.worksheets}
    finally:
        book.close()


def with_actions(team: Team) -> Team:
    world, ann, bob, cat, group, pilot = team
    bob.create_action(pilot.id, "Measure lead time", priority=2)
    ann.create_action(pilot.id, "Map the process", owner_id=bob.me().id)
    return team


def test_export_writes_a_workbook_openpyxl_reads(team: Team, tmp_path: pathlib.Path) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    path = tmp_path / "team.xlsx"
    calls: list[tuple[int, int]] = []
    threads: set[int] = set()

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        threads.add(threading.get_ident())
        return True

    ann.export_group_xlsx(group.id, path, progress)
    sheets = cells(path)
    assert {"Group", "Members", "Projects", "Actions"} <= set(sheets)
    assert "Measure lead time" in sheets["Actions"] and "Map the process" in sheets["Actions"]
    assert "Lean Team" in sheets["Group"] and "Pilot" in sheets["Projects"]
    assert calls and all(isinstance(d, int) and isinstance(t, int) for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert threads == {threading.get_ident()}  # on the calling thread
    ann.export_group_xlsx(group.id, str(path))  # a str path, no progress; replaces the file
    assert "Pilot" in cells(path)["Projects"]


def test_export_is_refused_to_others_and_leaves_no_file(team: Team,
                                                         tmp_path: pathlib.Path) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    outsider = world.user("Dan", "Dunn")
    for session, rule in ((bob, "R10"), (outsider, "R13")):
        with pytest.raises(leandesk.PermissionDenied) as e:
            session.export_group_xlsx(group.id, tmp_path / "team.xlsx")
        assert e.value.code == -3 and e.value.rule == rule, e.value.message
    with pytest.raises(leandesk.NotFound):
        ann.export_group_xlsx("00000000-0000-4000-8000-000000000000", tmp_path / "x.xlsx")
    with pytest.raises(leandesk.InvalidArgument):
        ann.export_group_xlsx(group.id, tmp_path)  # a folder
    assert list(tmp_path.iterdir()) == []


def test_progress_cancels_by_false_and_by_an_exception(team: Team,
                                                       tmp_path: pathlib.Path) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    path = tmp_path / "team.xlsx"
    with pytest.raises(leandesk.Cancelled) as cancelled:
        ann.export_group_xlsx(group.id, path, lambda done, total: False)
    assert cancelled.value.code == -13

    class Stop(Exception):
        pass

    stop = Stop("the user closed the window")

    def raising(done: int, total: int) -> bool:
        raise stop

    with pytest.raises(Stop) as raised:
        ann.backup_group(group.id, tmp_path / "backup", raising)
    assert raised.value is stop  # the very exception, not a LeanDesk error
    # A progress that calls LeanDesk would wait for the database its own call holds: refused,
    # and that refusal cancels the export.
    with pytest.raises(leandesk.InvalidArgument, match="progress callback"):
        ann.export_group_xlsx(group.id, path, lambda done, total: bool(ann.my_groups()))
    with pytest.raises(TypeError):
        ann.export_group_xlsx(group.id, path, "not callable")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    ann.export_group_xlsx(group.id, path)  # the database is usable afterwards
    assert path.exists()


def test_backup_then_restore_round_trip(team: Team, tmp_path: pathlib.Path) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    indicator = bob.create_indicator(pilot.id, "Lead time", unit="days", baseline=10, target=4)
    bob.set_indicator_value(indicator.id, "2026-W10", 8.5)
    folder = tmp_path / "backup"
    counted: list[int] = []

    def count(done: int, total: int) -> bool:
        counted.append(done)
        return True

    ann.backup_group(group.id, folder, count)
    assert (folder / "group.json").is_file() and counted
    assert json.loads((folder / "group.json").read_text())  # readable without LeanDesk
    with pytest.raises(leandesk.Conflict):
        ann.backup_group(group.id, folder)  # the folder exists
    with pytest.raises(leandesk.PermissionDenied) as refused:
        bob.backup_group(group.id, tmp_path / "bob")
    assert refused.value.rule in ("R7", "R10")

    restored = ann.restore_group(folder, lambda done, total: True)
    assert restored.id != group.id and restored.name == group.name
    assert restored.manager_id == ann.me().id
    [project] = ann.group_projects(restored.id)
    assert project.id != pilot.id and project.name == "Pilot"
    assert sorted(a.title for a in ann.project_actions(project.id)) == \
        sorted(a.title for a in ann.project_actions(pilot.id))
    [copy] = ann.project_indicators(project.id)
    assert (copy.name, copy.unit, copy.baseline, copy.target) == ("Lead time", "days", 10, 4)
    members = {p.email for p in ann.group_members(restored.id)}
    assert {"bob@example.com", "cat@example.com"} <= members  # matched by e-mail

    # A damaged backup changes nothing.
    (folder / "group.json").write_text('{"format": "not a backup"}')
    before = len(ann.my_groups())
    with pytest.raises(leandesk.Corrupt):
        ann.restore_group(folder)
    assert len(ann.my_groups()) == before
    with pytest.raises(leandesk.NotFound):
        ann.restore_group(tmp_path / "nothing here")


def test_project_report_renders_html_and_text(team: Team) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    report = bob.project_report(pilot.id)
    assert isinstance(report, leandesk.ProjectReport)
    assert "Pilot" in report.html and "Pilot" in report.text
    assert "Measure lead time" in report.text
    assert report.html.lstrip().lower().startswith("<!doctype html")
    assert ann.project_report(pilot.id).text == report.text  # the manager too (R7)
    with pytest.raises((leandesk.NotFound, leandesk.PermissionDenied)):
        cat.project_report(pilot.id)


def test_report_is_mailed_to_participants_only(team: Team) -> None:
    world, ann, bob, cat, group, pilot = with_actions(team)
    ann_id, bob_id, cat_id = ann.me().id, bob.me().id, cat.me().id
    sent = len(world.mails)
    bob.send_project_report(pilot.id, [ann_id, bob_id])
    mails = world.mails[sent:]
    assert sorted(m.to for m in mails) == ["ann@example.com", "bob@example.com"]
    assert all("Pilot" in m.html and "Pilot" in m.text for m in mails)

    sent = len(world.mails)
    for sender, recipients in ((cat, [ann_id]), (bob, [ann_id, cat_id])):
        with pytest.raises(leandesk.PermissionDenied) as e:
            sender.send_project_report(pilot.id, recipients)
        assert e.value.rule == "R15", e.value.message
    assert len(world.mails) == sent  # checked before any mail went
    with pytest.raises(leandesk.InvalidArgument):
        bob.send_project_report(pilot.id, [])
    with pytest.raises(TypeError):
        bob.send_project_report(pilot.id, ann_id)
