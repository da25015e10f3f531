"""What a Python user would do instead of LeanDesk's export: read the actions from the database
with sqlite3 and write the same Actions sheet with openpyxl in write-only (streaming) mode, with
the same types and formats. Prints the time of the writing alone and of reading plus writing, and
the peak memory. Compare with export_bench's figures on the same database (docs/export.md).

    python3 openpyxl_bench.py <bench-N-layout.db> [out.xlsx]
"""
import datetime as dt
import resource
import sqlite3
import sys
import time

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

EPOCH = dt.datetime(1970, 1, 1)
TODAY = "2026-03-02"
HEADERS = ["Project", "Step", "Title", "Description", "Owner", "Owner e-mail", "Context", "Due date", "Priority",
           "Progress (%)", "Overdue", "Indicator", "Impact", "Photos", "Comments", "Created (UTC)", "Updated (UTC)",
           "Done (UTC)", "Action ID", "Project ID"]


def read_rows(path):
    con = sqlite3.connect(path)
    rows = []
    for r in con.execute(
            "SELECT p.name, st.name, a.title, a.description, u.first_name || ' ' || u.last_name, u.email, a.context, "
            "a.due_date, a.priority, a.progress, i.name, a.impact, "
            "(SELECT COUNT(*) FROM photos ph WHERE ph.action_id = a.id), "
            "(SELECT COUNT(*) FROM comments c WHERE c.action_id = a.id), a.created_at, a.updated_at, a.done_at, "
            "a.id, p.id FROM actions a JOIN projects p ON p.id = a.project_id JOIN steps st ON st.id = a.step_id "
            "LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN indicators i ON i.id = a.indicator_id "
            "ORDER BY p.name, st.position, a.position"):
        (project, step, title, desc, owner, email, ctx, due, prio, prog, ind, impact, photos, comments, created,
         updated, done, aid, pid) = r
        rows.append([project, step, title, desc or None, owner, email, ctx or None,
                     dt.datetime.strptime(due, "%Y-%m-%d") if due else None, prio, prog,
                     bool(due and done is None and due < TODAY), ind, impact, photos, comments,
                     EPOCH + dt.timedelta(milliseconds=created), EPOCH + dt.timedelta(milliseconds=updated),
                     EPOCH + dt.timedelta(milliseconds=done) if done is not None else None, aid, pid])
    return rows


def write(rows, out):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Actions")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            if i == 7 and v is not None:
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd"
                cells.append(c)
            elif i in (15, 16, 17) and v is not None:
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd hh:mm:ss"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:T{len(rows) + 1}"
    wb.save(out)


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    db = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/openpyxl-bench.xlsx"
    t0, c0 = time.perf_counter(), cpu()
    rows = read_rows(db)
    t1, c1 = time.perf_counter(), cpu()
    write(rows, out)
    t2, c2 = time.perf_counter(), cpu()
    print(f"openpyxl {len(rows)} rows: write {t2 - t1:.3f} s wall / {c2 - c1:.3f} s cpu; "
          f"read + write {t2 - t0:.3f} s wall / {c2 - c0:.3f} s cpu; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")


if __name__ == "__main__":
    main()
