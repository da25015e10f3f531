"""Shared fixtures: a fresh database with fast password hashing and a recording mail sender."""

from __future__ import annotations

import threading
from typing import Iterator, Optional

import pytest

import leandesk
from leandesk._inputs import OptionsLike

#: Argon2id at its cheapest, as every LeanDesk test suite uses (docs: helper rules).
FAST = leandesk.DatabaseOptions(password_opslimit=1, password_memlimit=8192)
PASSWORD = "correct horse battery"


def mail_code(mail: leandesk.Mail) -> str:
    """The code of an account mail: the text line that starts with four spaces, trimmed."""
    for line in mail.text.splitlines():
        if line.startswith("    "):
            return line.strip()
    raise AssertionError(f"no code in mail {mail.subject!r}")


class World:
    """A database, the mails it sent, and a quick way to make activated, signed-in users."""

    def __init__(self, path: str = ":memory:", options: OptionsLike = FAST) -> None:
        self.db = leandesk.Database(path, options)
        self.mails: list[leandesk.Mail] = []
        self._lock = threading.Lock()
        self.db.set_mail_sender(self._send)

    def _send(self, mail: leandesk.Mail) -> None:
        with self._lock:
            self.mails.append(mail)

    def last_mail_to(self, email: str) -> leandesk.Mail:
        """The last mail sent to ``email``."""
        for mail in reversed(self.mails):
            if mail.to == email:
                return mail
        raise AssertionError(f"no mail to {email}")

    def user(self, first: str, last: str, email: Optional[str] = None) -> leandesk.Session:
        """Signs up, activates and signs in "First Last" <first@example.com>."""
        email = email or f"{first.lower()}@example.com"
        self.db.sign_up(first, last, email, PASSWORD)
        self.db.activate(mail_code(self.last_mail_to(email)))
        return self.db.sign_in(email, PASSWORD)

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def world() -> Iterator[World]:
    w = World()
    yield w
    w.close()


#: What the ``team`` fixture gives: the world, Ann, Bob, Cat, their group and project "Pilot".
Team = tuple[World, leandesk.Session, leandesk.Session, leandesk.Session, leandesk.Group,
             leandesk.Project]


@pytest.fixture
def team(world: World) -> Team:
    """Ann manages "Lean Team" with members Bob and Cat; Ann owns project "Pilot" with Bob."""
    ann = world.user("Ann", "Archer")
    bob = world.user("Bob", "Baker")
    cat = world.user("Cat", "Carter")
    group = ann.create_group("Lean Team")
    ann.add_member(group.id, "bob@example.com")
    ann.add_member(group.id, "cat@example.com")
    pilot = ann.create_project(group.id, "Pilot")
    ann.add_participant(pilot.id, bob.me().id)
    return world, ann, bob, cat, group, pilot
