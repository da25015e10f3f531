"""LeanDesk from Python in one page: accounts, a group, a project, actions, a refusal, a query,
the group's spreadsheet and the project report.

Run it after installing the binding (pip install ./bindings/python):

    python3 examples/python/quickstart.py

It uses a temporary in-memory database. A real app passes a file path, and a mail sender that
really delivers the activation mails; this one keeps them in a list to read the codes back.
"""

import pathlib
import tempfile
from datetime import date

import leandesk

PASSWORD = "correct horse battery"
mails: list[leandesk.Mail] = []


def activation_code(email: str) -> str:
    """The code in the last mail to `email`: its text line that starts with four spaces."""
    mail = [m for m in mails if m.to == email][-1]
    return next(line.strip() for line in mail.text.splitlines() if line.startswith("    "))


def new_user(db: leandesk.Database, first: str, last: str) -> leandesk.Session:
    """Signs a user up, activates the account with the mailed code, and signs in."""
    email = f"{first.lower()}@example.com"
    db.sign_up(first, last, email, PASSWORD)
    db.activate(activation_code(email))
    return db.sign_in(email, PASSWORD)


# Cheapest password hashing: fine for an example, never for real accounts.
options = leandesk.DatabaseOptions(password_opslimit=1, password_memlimit=8192)

with leandesk.Database(":memory:", options) as db:
    db.set_mail_sender(mails.append)
    ann, bob, cat = (new_user(db, *name) for name in
                     [("Ann", "Archer"), ("Bob", "Baker"), ("Cat", "Carter")])

    # Ann creates a group (R1) and adds Bob and Cat by e-mail (R2).
    team = ann.create_group("Lean Team")
    for email in ("bob@example.com", "cat@example.com"):
        ann.add_member(team.id, email)

    # Ann starts a project (R5) and makes Bob a participant (R6).
    pilot = ann.create_project(team.id, "Pilot", target_date=date(2026, 6, 30))
    ann.add_participant(pilot.id, bob.me().id)

    # Participants plan actions (R9); without a step an action lands in the open step.
    bob.create_action(pilot.id, "Measure lead time", due_date=date(2026, 3, 20), priority=2)
    ann.create_action(pilot.id, "Map the process", owner_id=bob.me().id)

    # Cat is in the group but not in the project: the engine refuses, naming the rule.
    try:
        cat.create_action(pilot.id, "Sneak in")
    except leandesk.PermissionDenied as refusal:
        print(f"Cat was refused by {refusal.rule}: {refusal.message}")

    # A query: the project's review, step by step.
    review = bob.project_review(pilot.id)
    print(f"Project {review.project.name!r}, due {review.project.target_date}:")
    for column in review.steps:
        for action in column.actions:
            due = action.due_date.isoformat() if action.due_date else "no date"
            print(f"  [{column.step.name}] {action.title} ({due}, priority {action.priority})")
    print("Participants:", ", ".join(p.display_name for p in review.participants))

    # The manager exports the group's workbook (R10); the progress callback may cancel it.
    with tempfile.TemporaryDirectory() as folder:
        workbook = pathlib.Path(folder) / "lean-team.xlsx"
        rows: list[int] = []

        def progress(done: int, total: int) -> bool:
            rows.append(done)
            return True  # False would cancel: leandesk.Cancelled, and no file

        ann.export_group_xlsx(team.id, workbook, progress)
        print(f"Exported {workbook.name}: {workbook.stat().st_size} bytes, "
              f"{len(rows)} progress reports")

    # Any participant renders the project report (R15), as HTML and as plain text.
    report = bob.project_report(pilot.id)
    print("Report:", report.text.splitlines()[0])
