"""The group workbook read back with a real reader (openpyxl) and compared, cell by cell, with the
database, whose expected values are computed here independently of the C++ code (plain SQL and
the rules of docs/export.md). Then the round trip: backup, restore, export of both groups, equal
in every cell but the ids.

Needs LEANDESK_EXPORT_DRIVER (set by ctest) pointing at the export_driver program.
"""
import datetime as dt
import json
import os
import sqlite3
import subprocess

import openpyxl
import pytest

DRIVER = os.environ.get("LEANDESK_EXPORT_DRIVER")
pytestmark = pytest.mark.skipif(not DRIVER, reason="LEANDESK_EXPORT_DRIVER is not set")

EPOCH = dt.datetime(1970, 1, 1)


def driver(*args):
    done = subprocess.run([DRIVER, *map(str, args)], capture_output=True, text=True, timeout=120)
    return done


def ok(*args):
    done = driver(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    d = tmp_path_factory.mktemp("xlsx")
    db = d / "group.db"
    ids = ok("seed", db)
    out = d / "group.xlsx"
    ok("export", db, ids["group_id"], "ann@example.com", out)
    return {"dir": d, "db": db, "ids": ids, "xlsx": out}


def time_of(ms):
    return None if ms is None else EPOCH + dt.timedelta(milliseconds=ms)


def date_of(iso):
    return None if iso is None else dt.datetime.strptime(iso, "%Y-%m-%d")


def text(s):
    # An empty string is an empty cell.
    return s if s else None


def display_name(first, last, email, activated_at):
    # R16: the e-mail until activation, then "First Last".
    if activated_at is None:
        return email
    return f"{first} {last}".strip() or email


def iso_week(d):
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def monday_of_week(week):
    return dt.datetime.strptime(week + "-1", "%G-W%V-%u")


def expected_sheets(db_path, group_id, today):
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    q = lambda sql, *a: con.execute(sql, a).fetchall()
    group = q("SELECT * FROM groups WHERE id = ?", group_id)[0]
    members = {r["user_id"]: r for r in q("SELECT * FROM members WHERE group_id = ?", group_id)}
    users = {r["id"]: r for r in q("SELECT * FROM users")}

    def name(uid):
        if uid is None or uid not in users:
            return None
        u = users[uid]
        return display_name(u["first_name"], u["last_name"], u["email"], u["activated_at"])

    def email(uid):
        # The manager sees the addresses of the group's members only (R13).
        return users[uid]["email"] if uid in members else None

    projects = q("SELECT * FROM projects WHERE group_id = ? ORDER BY name, id", group_id)
    steps = q("SELECT * FROM steps WHERE group_id = ? ORDER BY position", group_id)
    step_pos = {s["id"]: s["position"] for s in steps}
    project_ids = [p["id"] for p in projects]
    marks = ",".join("?" * len(project_ids))
    actions = q(f"SELECT * FROM actions WHERE project_id IN ({marks})", *project_ids)
    proj_order = {p["id"]: i for i, p in enumerate(projects)}
    actions.sort(key=lambda a: (proj_order[a["project_id"]], step_pos[a["step_id"]], a["position"], a["id"]))
    pname = {p["id"]: p["name"] for p in projects}
    sname = {s["id"]: s["name"] for s in steps}
    indicators = q(f"SELECT * FROM indicators WHERE project_id IN ({marks}) ", *project_ids)
    indicators.sort(key=lambda i: (proj_order[i["project_id"]], i["name"], i["id"]))
    iname = {i["id"]: i["name"] for i in indicators}

    def overdue(a):
        return a["due_date"] is not None and a["done_at"] is None and a["due_date"] < today

    sheets = {}
    sheets["Group"] = [[
        group["name"], name(group["manager_id"]), email(group["manager_id"]), len(members), len(projects),
        len(actions), time_of(group["created_at"]), group["id"]]]

    member_rows = sorted((users[uid] for uid in members), key=lambda u: (u["first_name"], u["last_name"], u["email"]))
    sheets["Members"] = [[
        name(u["id"]), text(u["first_name"]), text(u["last_name"]), u["email"], u["activated_at"] is not None,
        time_of(u["activated_at"]), u["status"], "manager" if u["id"] == group["manager_id"] else "member",
        time_of(members[u["id"]]["added_at"]), u["id"]] for u in member_rows]

    sheets["Steps"] = [[s["position"] + 1, s["name"], s["kind"], sum(1 for a in actions if a["step_id"] == s["id"]), s["id"]]
                       for s in steps]

    sheets["Projects"] = []
    sheets["Participants"] = []
    for p in projects:
        parts = q("SELECT * FROM participants WHERE project_id = ?", p["id"])
        mine = [a for a in actions if a["project_id"] == p["id"]]
        sheets["Projects"].append([
            p["name"], text(p["description"]), text(p["future_state"]), name(p["owner_id"]), email(p["owner_id"]),
            date_of(p["start_date"]), date_of(p["target_date"]), p["status"], len(parts), len(mine),
            sum(1 for a in mine if overdue(a)), time_of(p["created_at"]), p["id"]])
        for pa in sorted(parts, key=lambda r: (users[r["user_id"]]["first_name"], users[r["user_id"]]["last_name"],
                                               users[r["user_id"]]["email"])):
            u = users[pa["user_id"]]
            sheets["Participants"].append([
                p["name"], name(u["id"]), email(u["id"]), u["activated_at"] is not None, u["status"],
                u["id"] == p["owner_id"], time_of(pa["added_at"]), p["id"], u["id"]])

    count = lambda table, aid: con.execute(f"SELECT COUNT(*) FROM {table} WHERE action_id = ?", (aid,)).fetchone()[0]
    sheets["Actions"] = [[
        pname[a["project_id"]], sname[a["step_id"]], a["title"], text(a["description"]), name(a["owner_id"]),
        email(a["owner_id"]) if a["owner_id"] else None, text(a["context"]), date_of(a["due_date"]), a["priority"],
        a["progress"], overdue(a), iname.get(a["indicator_id"]), a["impact"], count("photos", a["id"]),
        count("comments", a["id"]), time_of(a["created_at"]), time_of(a["updated_at"]), time_of(a["done_at"]),
        a["id"], a["project_id"]] for a in actions]

    sheets["Comments"] = []
    for a in actions:
        for c in q("SELECT * FROM comments WHERE action_id = ? ORDER BY created_at, id", a["id"]):
            sheets["Comments"].append([
                pname[a["project_id"]], a["title"], name(c["author_id"]), email(c["author_id"]) if c["author_id"] else None,
                c["body"], time_of(c["created_at"]), c["id"], a["id"]])

    sheets["Indicators"] = []
    sheets["Indicator weeks"] = []
    for i in indicators:
        values = {r["week"]: r["actual"] for r in q("SELECT * FROM indicator_values WHERE indicator_id = ?", i["id"])}
        sheets["Indicators"].append([pname[i["project_id"]], i["name"], text(i["unit"]), i["baseline"], i["target"],
                                     len(values), time_of(i["created_at"]), i["id"]])
        # The expected curve: baseline plus the impacts of the actions due by each week's Sunday,
        # from the first to the last of the project's dates, the valued weeks and the due dates.
        p = next(p for p in projects if p["id"] == i["project_id"])
        impacts = [(date_of(a["due_date"]), a["impact"]) for a in actions
                   if a["indicator_id"] == i["id"] and a["impact"] is not None and a["due_date"] is not None]
        bounds = [date_of(d) for d in (p["start_date"], p["target_date"]) if d]
        bounds += [monday_of_week(w) for w in values] + [d for d, _ in impacts]
        if not bounds:
            continue
        monday = min(bounds) - dt.timedelta(days=min(bounds).weekday())
        while monday <= max(bounds):
            week = iso_week(monday)
            expected = i["baseline"] + sum(v for d, v in impacts if d <= monday + dt.timedelta(days=6))
            sheets["Indicator weeks"].append([pname[i["project_id"]], i["name"], week, monday, expected,
                                              values.get(week), i["id"]])
            monday += dt.timedelta(days=7)
    return sheets


def same(actual, expected):
    if isinstance(expected, dt.datetime):
        return isinstance(actual, dt.datetime) and abs((actual - expected).total_seconds()) < 0.002
    if isinstance(expected, bool):
        return actual is expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and not isinstance(actual, bool) and abs(actual - expected) < 1e-9
    return actual == expected


def test_every_cell_matches_the_database(seeded):
    expected = expected_sheets(seeded["db"], seeded["ids"]["group_id"], seeded["ids"]["today"])
    wb = openpyxl.load_workbook(seeded["xlsx"])
    assert wb.sheetnames == list(expected)
    for title, rows in expected.items():
        ws = wb[title]
        got = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
        assert len(got) == len(rows), title
        assert rows, f"the fixture fills every sheet ({title})"
        for r, (g, e) in enumerate(zip(got, rows), start=2):
            assert len(g) == len(e), f"{title} row {r}"
            for c, (gv, ev) in enumerate(zip(g, e)):
                assert same(gv, ev), f"{title}!{ws.cell(1, c + 1).value} row {r}: {gv!r} != {ev!r}"
        # Frozen header row, and filters over the header and every row.
        assert ws.freeze_panes == "A2", title
        last = openpyxl.utils.get_column_letter(len(rows[0]))
        assert ws.auto_filter.ref == f"A1:{last}{len(rows) + 1}", title
        assert all(ws.cell(1, c).font.b for c in range(1, len(rows[0]) + 1)), title


def test_numbers_and_dates_are_real_values_not_text(seeded):
    wb = openpyxl.load_workbook(seeded["xlsx"])
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    due = ws.cell(2, header.index("Due date") + 1)
    # openpyxl types a number with a date format as "d": the file holds a serial number.
    assert due.data_type == "d" and isinstance(due.value, dt.datetime) and due.number_format == "yyyy-mm-dd"
    created = ws.cell(2, header.index("Created (UTC)") + 1)
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.cell(2, header.index("Priority") + 1).data_type == "n"
    assert ws.cell(2, header.index("Overdue") + 1).data_type == "b"
    # No photo is in the workbook: only counts.
    assert not any(ws._images for ws in wb.worksheets)


def test_non_manager_is_refused_and_no_file_is_written(seeded):
    out = seeded["dir"] / "refused.xlsx"
    done = driver("export", seeded["db"], seeded["ids"]["group_id"], "bob@example.com", out)
    assert done.returncode == 1
    assert done.stderr.startswith("error -3 R10:"), done.stderr
    assert not out.exists()
    assert not [p for p in seeded["dir"].iterdir() if ".part" in p.name]


def test_round_trip_backup_restore_export_is_identical_but_ids(seeded):
    work = seeded["dir"] / "roundtrip"
    work.mkdir()
    ok("roundtrip", seeded["db"], seeded["ids"]["group_id"], "ann@example.com", work)
    assert (work / "backup" / "group.json").is_file()
    original = openpyxl.load_workbook(work / "original.xlsx")
    restored = openpyxl.load_workbook(work / "restored.xlsx")
    assert original.sheetnames == restored.sheetnames
    compared = 0
    for title in original.sheetnames:
        a, b = original[title], restored[title]
        header = [c.value for c in a[1]]
        assert header == [c.value for c in b[1]]
        ids = {i for i, h in enumerate(header) if h.endswith(" ID")}
        rows_a = list(a.iter_rows(min_row=2, values_only=True))
        rows_b = list(b.iter_rows(min_row=2, values_only=True))
        assert len(rows_a) == len(rows_b), title
        for ra, rb in zip(rows_a, rows_b):
            for i, (va, vb) in enumerate(zip(ra, rb)):
                if i in ids:
                    # Records get fresh ids; people are matched by e-mail, so they keep theirs.
                    if header[i] != "User ID":
                        assert va != vb, f"{title}: the id column {header[i]} must hold fresh ids"
                else:
                    assert va == vb, f"{title}!{header[i]}: {va!r} != {vb!r}"
                    compared += 1
    assert compared > 200
