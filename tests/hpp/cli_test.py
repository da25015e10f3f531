#!/usr/bin/env python3
"""Smoke test of the `leandesk` command-line tool, driven like a script would drive it.

    cli_test.py /path/to/leandesk

Walks signup -> activate -> signin -> group -> project -> action -> dashboard with --json, the
operator commands, and checks the documented exit codes (docs/cli.md), including a refused write.
Standard library only.
"""
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import unittest

CLI = None
CODE = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")
OK, OTHER, USAGE, PERMISSION, NOT_FOUND, INVALID, AUTH = 0, 1, 2, 3, 4, 5, 6


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="leandesk-cli-")
        self.dir = self.tmp.name
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.dir,
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "LEANDESK_DB": os.path.join(self.dir, "leandesk.db"),
            # The library's cheapest Argon2id settings: the test signs in many times.
            "LEANDESK_DB_OPTIONS": '{"password_opslimit": 1, "password_memlimit": 8192}',
        }

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args, env=None, stdin="", expect=OK):
        full_env = dict(self.env, **(env or {}))
        p = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                           env=full_env, timeout=60)
        self.assertEqual(p.returncode, expect,
                         f"leandesk {' '.join(args)} -> {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def json_of(self, *args, **kw):
        return json.loads(self.run_cli("--json", *args, **kw).stdout)

    def session_file(self, name):
        return os.path.join(self.dir, name + ".session")

    def make_user(self, first, password):
        email = first.lower() + "@example.com"
        p = self.run_cli("--json", "signup", email, "--first-name", first, "--last-name", "Test",
                         env={"LEANDESK_PASSWORD": password})
        user = json.loads(p.stdout)
        self.assertEqual(user["email"], email)
        self.assertIsNone(user["activated_at"])
        self.assertIn("--- mail to " + email, p.stderr)
        code = CODE.search(p.stderr).group(1)
        self.assertEqual(self.json_of("activate", code)["id"], user["id"])
        info = self.json_of("--session", self.session_file(first), "signin", email,
                            env={"LEANDESK_PASSWORD": password})
        self.assertEqual(info["user_id"], user["id"])
        self.assertFalse(info["is_operator"])
        return user["id"]

    def as_user(self, first, *args, expect=OK):
        return self.run_cli("--session", self.session_file(first), *args, expect=expect)

    def json_as(self, first, *args):
        return json.loads(self.as_user(first, "--json", *args).stdout)

    def test_walkthrough(self):
        alice = self.make_user("Alice", "alice password 1")
        bob = self.make_user("Bob", "bob password 12")
        mode = stat.S_IMODE(os.stat(self.session_file("Alice")).st_mode)
        self.assertEqual(mode, 0o600)

        group = self.json_as("Alice", "group", "create", "Kaizen")
        self.assertEqual(group["manager_id"], alice)
        self.json_as("Alice", "group", "add-member", group["id"], "bob@example.com")
        members = self.json_as("Bob", "group", "members", group["id"])
        self.assertEqual(sorted(m["id"] for m in members), sorted([alice, bob]))
        self.assertEqual([g["id"] for g in self.json_as("Bob", "group", "list")], [group["id"]])

        project = self.json_as("Bob", "project", "create", group["id"], "Shorter queues",
                               "--target", "2026-06-30", "--description", "Queues are long")
        self.assertEqual(project["owner_id"], bob)
        self.assertEqual(project["target_date"], "2026-06-30")
        self.assertEqual([p["id"] for p in self.json_as("Bob", "project", "list")], [project["id"]])
        # The manager sees the group's projects (R7) without taking part.
        self.assertEqual(len(self.json_as("Alice", "project", "list", "--group", group["id"])), 1)
        self.assertEqual(self.json_as("Alice", "project", "list"), [])

        # A refused write: the manager is not a participant (R9). Exit 3, nothing written.
        p = self.as_user("Alice", "--json", "action", "create", project["id"], "Sneak in",
                         expect=PERMISSION)
        error = json.loads(p.stderr)["error"]
        self.assertEqual(error["code"], -3)
        self.assertTrue(error["message"].startswith("R9:"), error)
        p = self.as_user("Alice", "action", "create", project["id"], "Sneak in", expect=PERMISSION)
        self.assertIn("R9:", p.stderr)
        self.assertEqual(self.json_as("Bob", "action", "list", project["id"]), [])

        action = self.json_as("Bob", "action", "create", project["id"], "Measure the wait",
                              "--owner", "bob@example.com", "--due", "2026-03-02",
                              "--priority", "2")
        self.assertEqual(action["owner_id"], bob)
        self.assertEqual(action["priority"], 2)
        self.assertEqual(action["due_date"], "2026-03-02")
        moved = self.json_as("Bob", "action", "move", action["id"], "Done")
        self.assertNotEqual(moved["step_id"], action["step_id"])
        self.assertIsNotNone(moved["done_at"])
        updated = self.json_as("Bob", "action", "update", action["id"], "--progress", "100",
                               "--no-due")
        self.assertEqual(updated["progress"], 100)
        self.assertIsNone(updated["due_date"])
        second = self.json_as("Bob", "action", "create", project["id"], "Second desk")
        self.assertEqual([a["id"] for a in self.json_as("Bob", "action", "list", project["id"])],
                         [second["id"], action["id"]])

        self.json_as("Bob", "project", "add-participant", project["id"], alice)
        dashboard = self.json_as("Bob", "dashboard")
        self.assertIn(action["id"], [a["id"] for a in dashboard])
        review = self.json_as("Alice", "project", "review", project["id"])
        self.assertEqual(review["project"]["id"], project["id"])
        self.assertEqual(len(review["participants"]), 2)
        self.assertEqual(sum(len(s["actions"]) for s in review["steps"]), 2)
        self.assertIn("Shorter queues", self.as_user("Alice", "project", "review", project["id"]).stdout)

        self.json_as("Bob", "action", "delete", second["id"])
        self.as_user("Bob", "action", "delete", second["id"], expect=NOT_FOUND)
        self.as_user("Alice", "group", "remove-member", group["id"], bob)
        self.assertEqual(self.json_as("Bob", "group", "list"), [])

        # Signing out ends the session and forgets it.
        self.assertEqual(self.json_as("Bob", "signout"), {"ok": True})
        self.assertFalse(os.path.exists(self.session_file("Bob")))
        self.as_user("Bob", "dashboard", expect=AUTH)

    def test_export_backup_report_and_sync_commands(self):
        alice = self.make_user("Alice", "alice password 1")
        bob = self.make_user("Bob", "bob password 12")
        group = self.json_as("Alice", "group", "create", "Kaizen")
        self.json_as("Alice", "group", "add-member", group["id"], "bob@example.com")
        project = self.json_as("Alice", "project", "create", group["id"], "Pilot <one>")
        self.json_as("Alice", "project", "add-participant", project["id"], bob)
        self.json_as("Alice", "action", "create", project["id"], "Measure the wait")

        # R10: the manager exports; a member is refused and no file appears.
        xlsx = os.path.join(self.dir, "kaizen.xlsx")
        self.assertEqual(self.json_as("Alice", "group", "export", group["id"], xlsx), {"ok": True})
        with open(xlsx, "rb") as f:
            self.assertEqual(f.read(2), b"PK")  # a zip container, as every .xlsx
        refused = os.path.join(self.dir, "bob.xlsx")
        self.as_user("Bob", "group", "export", group["id"], refused, expect=PERMISSION)
        self.assertFalse(os.path.exists(refused))

        # Backup, then restore as a new group that Bob manages.
        folder = os.path.join(self.dir, "backup")
        self.as_user("Alice", "group", "backup", group["id"], folder)
        self.assertTrue(os.path.isfile(os.path.join(folder, "group.json")))
        copy = self.json_as("Bob", "group", "restore", folder)
        self.assertNotEqual(copy["id"], group["id"])
        self.assertEqual(copy["manager_id"], bob)

        # R15: a participant prints the report (text, or HTML into a file) and mails it.
        text = self.as_user("Bob", "project", "report", project["id"]).stdout
        self.assertIn("Measure the wait", text)
        html = os.path.join(self.dir, "report.html")
        self.as_user("Bob", "project", "report", project["id"], "--html", html)
        with open(html, encoding="utf-8") as f:
            self.assertIn("Pilot &lt;one&gt;", f.read())
        p = self.as_user("Bob", "project", "report-send", project["id"], "alice@example.com")
        self.assertIn("--- mail to alice@example.com", p.stderr)

        # Sync needs a replica, and a replica needs https.
        self.as_user("Alice", "sync", "status", expect=INVALID)
        replica_env = {"LEANDESK_DB": os.path.join(self.dir, "replica.db")}
        self.run_cli("sync", "init", "http://127.0.0.1:1", env=replica_env, expect=INVALID)
        self.assertEqual(self.json_of("sync", "init", "https://127.0.0.1:1", env=replica_env),
                         {"ok": True})
        status = self.json_of("sync", "status", env=replica_env)
        self.assertEqual(status["server_url"], "https://127.0.0.1:1")
        self.assertEqual(status["pending"], 0)
        self.assertFalse(status["signed_in"])
        self.assertIsNotNone(alice)

    def test_default_session_file_and_stdin_password(self):
        self.run_cli("signup", "carl@example.com", "--first-name", "Carl",
                     stdin="carl password 1\n", expect=USAGE)  # --last-name is required
        p = self.run_cli("signup", "carl@example.com", "--first-name", "Carl", "--last-name", "Test",
                         stdin="carl password 1\n")
        self.run_cli("activate", CODE.search(p.stderr).group(1))
        self.run_cli("signin", "carl@example.com", stdin="carl password 1\n")
        default = os.path.join(self.dir, "config", "leandesk", "session")
        self.assertEqual(stat.S_IMODE(os.stat(default).st_mode), 0o600)
        self.assertEqual(self.json_of("group", "list"), [])
        env = dict(self.env)
        del env["XDG_CONFIG_HOME"]
        self.env = env
        self.run_cli("group", "list", expect=AUTH)  # ~/.config/leandesk/session: not there
        self.run_cli("signin", "carl@example.com", stdin="carl password 1\n")
        self.assertTrue(os.path.exists(os.path.join(self.dir, ".config", "leandesk", "session")))

    def test_operator(self):
        alice = self.make_user("Alice", "alice password 1")
        secret = {"LEANDESK_NEW_OPERATOR_SECRET": "operator secret 0123456789"}
        self.run_cli("operator", "set-secret", "--first", env=secret)
        op = self.session_file("op")
        self.run_cli("--session", op, "operator", "signin", expect=AUTH,
                     env={"LEANDESK_OPERATOR_SECRET": "wrong secret 0123456789"})
        info = self.json_of("--session", op, "operator", "signin",
                            env={"LEANDESK_OPERATOR_SECRET": "operator secret 0123456789"})
        self.assertTrue(info["is_operator"])

        def as_op(*args, expect=OK):
            return self.run_cli("--session", op, *args, expect=expect)

        active = json.loads(as_op("--json", "users", "active").stdout)
        self.assertEqual([u["id"] for u in active], [alice])
        self.assertEqual(json.loads(as_op("--json", "users", "newsletter").stdout)[0]["id"], alice)
        user = json.loads(as_op("--json", "user", "status", "alice@example.com", "gold").stdout)[0]
        self.assertEqual(user["status"], "gold")
        as_op("user", "status", alice, "platinum", expect=INVALID)
        self.as_user("Alice", "user", "status", alice, "silver", expect=PERMISSION)

        as_op("user", "deactivate", alice)
        self.as_user("Alice", "group", "list", expect=AUTH)  # every session ended (R12)
        p = self.run_cli("signin", "alice@example.com", expect=PERMISSION,
                         env={"LEANDESK_PASSWORD": "alice password 1"})
        self.assertIn("R12", p.stderr)
        as_op("user", "reactivate", alice)
        self.run_cli("--session", self.session_file("Alice"), "signin", "alice@example.com",
                     env={"LEANDESK_PASSWORD": "alice password 1"})

        moved = json.loads(as_op("--json", "user", "login-email", alice, "alice@new.example.com").stdout)
        self.assertEqual(moved[0]["email"], "alice@new.example.com")
        p = as_op("user", "reset-password", alice)
        self.assertIn("--- mail to alice@new.example.com", p.stderr)
        self.as_user("Alice", "group", "list", expect=AUTH)
        as_op("user", "status", "00000000-0000-4000-8000-000000000000", expect=NOT_FOUND)

    def test_exit_codes_and_help(self):
        self.run_cli(expect=USAGE)
        self.run_cli("frobnicate", expect=USAGE)
        self.run_cli("group", "frobnicate", expect=USAGE)
        self.run_cli("group", "create", expect=USAGE)  # missing argument
        self.run_cli("group", "create", "A", "B", expect=USAGE)  # one too many
        self.run_cli("group", "list", "--bogus", expect=USAGE)
        p = self.run_cli("--json", "group", "list", "--bogus", expect=USAGE)
        self.assertEqual(json.loads(p.stderr)["error"]["kind"], "usage")
        env = dict(self.env)
        del env["LEANDESK_DB"]
        self.env = env
        self.run_cli("group", "list", expect=USAGE)  # no database
        self.env["LEANDESK_DB"] = os.path.join(self.dir, "other.db")

        self.run_cli("signin", "nobody@example.com", env={"LEANDESK_PASSWORD": "x" * 12},
                     expect=AUTH)
        self.run_cli("signup", "bad", "--first-name", "B", "--last-name", "D",
                     env={"LEANDESK_PASSWORD": "long enough password"}, expect=INVALID)
        self.run_cli("activate", "A" * 43, expect=AUTH)
        dana = self.make_user("Dana", "dana password 1")
        self.as_user("Dana", "project", "review", "00000000-0000-4000-8000-000000000000",
                     expect=NOT_FOUND)
        # A sign-up on an address that has an account answers as for a free one (exit 0, a user
        # not activated, with the names given) and changes nothing: the owner is mailed that
        # someone tried, with no code in it (docs/accounts.md).
        p = self.run_cli("--json", "signup", "dana@example.com", "--first-name", "D",
                         "--last-name", "D", env={"LEANDESK_PASSWORD": "long enough password"})
        answer = json.loads(p.stdout)
        self.assertEqual(answer["email"], "dana@example.com")
        self.assertIsNone(answer["activated_at"])
        self.assertNotEqual(answer["id"], dana)
        self.assertIn("--- mail to dana@example.com", p.stderr)
        self.assertIsNone(CODE.search(p.stderr), p.stderr)
        self.run_cli("signin", "dana@example.com", env={"LEANDESK_PASSWORD": "long enough password"},
                     expect=AUTH)
        self.run_cli("--session", self.session_file("Dana"), "signin", "dana@example.com",
                     env={"LEANDESK_PASSWORD": "dana password 1"})

        p = self.run_cli("--help")
        self.assertIn("Usage: leandesk", p.stdout)
        commands = re.findall(r"^  leandesk ([a-z -]+?)(?: \[options\]| [A-Z\[]|$)", p.stdout, re.M)
        self.assertGreaterEqual(len(commands), 25)
        for command in commands:
            out = self.run_cli(*command.split(), "--help").stdout
            self.assertIn("Usage: leandesk " + command, out)
        self.assertIn("group create", self.run_cli("group", "--help").stdout)

    def test_deeply_nested_options_are_refused(self):
        # LEANDESK_DB_OPTIONS is parsed into a JSON value that the wrapper serializes; deep
        # nesting is refused with exit INVALID, never a crash. (20,000 levels is what fits in one
        # environment string, at most 128 KiB on Linux.)
        for depth in (40, 20000):
            options = '{"a":' * (depth - 1) + "{}" + "}" * (depth - 1)
            p = self.run_cli("--json", "signup", "deep@example.com", "--first-name", "D",
                             "--last-name", "D",
                             env={"LEANDESK_PASSWORD": "long enough password",
                                  "LEANDESK_DB_OPTIONS": options}, expect=INVALID)
            self.assertIn("nested too deeply", json.loads(p.stderr)["error"]["message"])
        self.assertFalse(os.path.exists(self.env["LEANDESK_DB"]))


def main():
    global CLI
    if len(sys.argv) < 2:
        sys.exit("usage: cli_test.py /path/to/leandesk [unittest args]")
    CLI = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
