"""The entities of LeanDesk as typed, immutable Python values.

Each class mirrors one JSON Schema of docs/schema/ (the C API's entity JSON). Choices:

* **Dates** (``due_date``, ``start_date``, ``target_date``) are :class:`datetime.date`.
* **Times** (``created_at``, ``done_at``, ...) stay ``int`` milliseconds since the Unix epoch,
  UTC, exactly as the engine keeps them (no rounding, no time zone guess); :func:`to_datetime`
  turns one into an aware :class:`datetime.datetime`.
* **Weeks** of indicator values are ``str`` "YYYY-Www" (the standard library has no week type).
* **Closed sets** (user status, step kind, project status) are ``str`` enums, so they compare
  equal to the JSON text too (``StepKind.OPEN == "open"``).
* Nullable fields are ``Optional``; keys a newer library adds are ignored.

A result the binding cannot decode raises :class:`~leandesk.InternalError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, Callable, Optional, TypeVar

from ._errors import InternalError

__all__ = [
    "UserStatus",
    "StepKind",
    "ProjectStatus",
    "LogLevel",
    "User",
    "Group",
    "Person",
    "Step",
    "Resource",
    "Project",
    "Participant",
    "Action",
    "Photo",
    "Comment",
    "ActionDetail",
    "Indicator",
    "IndicatorValue",
    "IndicatorPoint",
    "StepActions",
    "ProjectReview",
    "Change",
    "SessionInfo",
    "PolicyVersion",
    "UsageCount",
    "Mail",
    "StorageInfo",
    "ProjectReport",
    "to_datetime",
]


class UserStatus(str, Enum):
    """A user's status, set only by the operator (R12)."""

    NONE = "none"
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


class StepKind(str, Enum):
    """The kind of a workflow step: recorded (open), in work (active) or done."""

    OPEN = "open"
    ACTIVE = "active"
    DONE = "done"


class ProjectStatus(str, Enum):
    """A project's status."""

    ACTIVE = "active"
    CLOSED = "closed"


class LogLevel(int, Enum):
    """The level of a log line given to :meth:`~leandesk.Database.set_log`."""

    DEBUG = 0
    INFO = 1
    WARNING = 2
    ERROR = 3


def to_datetime(millis: int) -> datetime:
    """A time of the engine (ms since the Unix epoch, UTC) as an aware datetime in UTC."""
    return datetime.fromtimestamp(millis / 1000, tz=timezone.utc)


def _date(value: Optional[str]) -> Optional[date]:
    return None if value is None else date.fromisoformat(value)


def _num(value: Optional[float]) -> Optional[float]:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class User:
    """A user's full record: the own account (``Session.me``) or any, for the operator."""

    id: str  #: user id (UUID)
    email: str  #: login address, lower-case
    first_name: str  #: may be empty
    last_name: str  #: may be empty
    display_name: str  #: the e-mail until activated, then "First Last" (R16)
    avatar: Optional[str]  #: avatar content hash, read with ``Session.read_blob``
    status: UserStatus  #: set by the operator only (R12)
    activated_at: Optional[int]  #: ms since epoch; None until the e-mail is verified
    deactivated: bool  #: set by the operator (R12)
    newsletter_opt_in: bool  #: newsletter consent
    show_open_actions_on_dashboard: bool  #: dashboard preference
    accepted_policy_version: int  #: last acknowledged privacy-policy version
    last_active_at: Optional[int]  #: ms since epoch
    created_at: int  #: ms since epoch

    @property
    def activated(self) -> bool:
        """Whether the e-mail address was verified."""
        return self.activated_at is not None

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "User":
        return cls(d["id"], d["email"], d["first_name"], d["last_name"], d["display_name"],
                   d["avatar"], UserStatus(d["status"]), d["activated_at"], d["deactivated"],
                   d["newsletter_opt_in"], d["show_open_actions_on_dashboard"],
                   d["accepted_policy_version"], d["last_active_at"], d["created_at"])


@dataclass(frozen=True, slots=True)
class Group:
    """A group: its manager (exactly one, R2) manages members, steps and resources."""

    id: str  #: group id
    name: str  #: its name
    manager_id: str  #: the one manager (R2)
    created_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Group":
        return cls(d["id"], d["name"], d["manager_id"], d["created_at"])


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the caller sees them (group member, participant)."""

    id: str  #: user id
    display_name: str  #: name to show (R16)
    first_name: str  #: may be empty
    last_name: str  #: may be empty
    email: Optional[str]  #: only where the caller may see it (R13), else None
    avatar: Optional[str]  #: avatar content hash
    status: UserStatus  #: the status the operator gave
    activated: bool  #: account activated (R16)

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Person":
        return cls(d["id"], d["display_name"], d["first_name"], d["last_name"], d.get("email"),
                   d["avatar"], UserStatus(d["status"]), d["activated"])


@dataclass(frozen=True, slots=True)
class Step:
    """A workflow step of a group."""

    id: str  #: step id
    group_id: str  #: its group
    name: str  #: its name
    position: int  #: 0-based place in the workflow
    kind: StepKind  #: open, active or done

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Step":
        return cls(d["id"], d["group_id"], d["name"], d["position"], StepKind(d["kind"]))


@dataclass(frozen=True, slots=True)
class Resource:
    """A shared resource of a group: a link or a note."""

    id: str  #: resource id
    group_id: str  #: its group
    name: str  #: its name
    url: Optional[str]  #: an http(s) link
    note: Optional[str]  #: a free-text note

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Resource":
        return cls(d["id"], d["group_id"], d["name"], d["url"], d["note"])


@dataclass(frozen=True, slots=True)
class Project:
    """A project of a group."""

    id: str  #: project id
    group_id: str  #: its group
    name: str  #: its name
    description: str  #: current state; may be empty
    future_state: str  #: aimed state; may be empty
    owner_id: str  #: the project owner (R5, R6)
    start_date: Optional[date]  #: when it starts
    target_date: Optional[date]  #: when it should be done
    status: ProjectStatus  #: active or closed
    created_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Project":
        return cls(d["id"], d["group_id"], d["name"], d["description"], d["future_state"],
                   d["owner_id"], _date(d["start_date"]), _date(d["target_date"]),
                   ProjectStatus(d["status"]), d["created_at"])


@dataclass(frozen=True, slots=True)
class Participant:
    """A participation in a project."""

    project_id: str  #: the project
    user_id: str  #: the participant
    added_by: Optional[str]  #: who added them
    added_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Participant":
        return cls(d["project_id"], d["user_id"], d["added_by"], d["added_at"])


@dataclass(frozen=True, slots=True)
class Action:
    """An action of a project: who does what by when, in which workflow step."""

    id: str  #: action id
    project_id: str  #: its project
    title: str  #: what is to be done
    description: str  #: details; may be empty
    step_id: str  #: the workflow step it is in
    owner_id: Optional[str]  #: who does it
    context: str  #: GTD-style context; may be empty
    due_date: Optional[date]  #: when it is due
    priority: int  #: 0 none, 1 low, 2 medium, 3 high
    progress: int  #: percent
    indicator_id: Optional[str]  #: the indicator it moves
    impact: Optional[float]  #: signed effect on the indicator
    position: float  #: order inside its step
    created_by: Optional[str]  #: its creator
    created_at: int  #: ms since epoch
    updated_at: int  #: ms since epoch
    done_at: Optional[int]  #: when it entered a done step
    overdue: bool  #: derived: due before today (UTC) and not done

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Action":
        due = d["due_date"]
        impact = d["impact"]
        return cls(d["id"], d["project_id"], d["title"], d["description"], d["step_id"],
                   d["owner_id"], d["context"], None if due is None else date.fromisoformat(due),
                   d["priority"], d["progress"], d["indicator_id"],
                   None if impact is None else float(impact), float(d["position"]),
                   d["created_by"], d["created_at"], d["updated_at"], d["done_at"], d["overdue"])


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo of an action; its bytes come from ``Session.read_blob(photo.blob)``."""

    id: str  #: photo id
    action_id: str  #: its action
    blob: str  #: content hash
    mime: str  #: image type, read from the bytes
    size: int  #: bytes
    caption: str  #: may be empty
    taken_at: Optional[int]  #: ms since epoch
    added_by: Optional[str]  #: who added it
    created_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Photo":
        return cls(d["id"], d["action_id"], d["blob"], d["mime"], d["size"], d["caption"],
                   d["taken_at"], d["added_by"], d["created_at"])


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an action."""

    id: str  #: comment id
    action_id: str  #: its action
    author_id: Optional[str]  #: its author
    body: str  #: the text
    created_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Comment":
        return cls(d["id"], d["action_id"], d["author_id"], d["body"], d["created_at"])


@dataclass(frozen=True, slots=True)
class ActionDetail:
    """An action with its photos and comments (oldest first)."""

    action: Action  #: the action
    photos: tuple[Photo, ...]  #: its photos
    comments: tuple[Comment, ...]  #: its comments

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "ActionDetail":
        return cls(Action._from(d["action"]), tuple(map(Photo._from, d["photos"])),
                   tuple(map(Comment._from, d["comments"])))


@dataclass(frozen=True, slots=True)
class Indicator:
    """A SMART indicator of a project."""

    id: str  #: indicator id
    project_id: str  #: its project
    name: str  #: what is measured
    unit: str  #: unit of measure; may be empty
    baseline: float  #: value at the start
    target: float  #: value aimed for
    created_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Indicator":
        return cls(d["id"], d["project_id"], d["name"], d["unit"], float(d["baseline"]),
                   float(d["target"]), d["created_at"])


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """The measured value of an indicator in one ISO week."""

    indicator_id: str  #: the indicator
    week: str  #: "2026-W09"
    actual: float  #: the measured value

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "IndicatorValue":
        return cls(d["indicator_id"], d["week"], float(d["actual"]))


@dataclass(frozen=True, slots=True)
class IndicatorPoint:
    """One week of an indicator's curve."""

    week: str  #: "2026-W09"
    expected: float  #: baseline plus the impacts of the actions due by then
    actual: Optional[float]  #: the measured value, if any

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "IndicatorPoint":
        return cls(d["week"], float(d["expected"]), _num(d["actual"]))


@dataclass(frozen=True, slots=True)
class StepActions:
    """A workflow step with the project's actions in it, by position."""

    step: Step  #: the step
    actions: tuple[Action, ...]  #: its actions

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "StepActions":
        return cls(Step._from(d["step"]), tuple(map(Action._from, d["actions"])))


@dataclass(frozen=True, slots=True)
class ProjectReview:
    """A project's review: every step with its actions, the participants, the indicators."""

    project: Project  #: the project
    steps: tuple[StepActions, ...]  #: every step in order
    participants: tuple[Person, ...]  #: as the viewer sees them
    indicators: tuple[Indicator, ...]  #: the project's indicators

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "ProjectReview":
        return cls(Project._from(d["project"]), tuple(map(StepActions._from, d["steps"])),
                   tuple(map(Person._from, d["participants"])),
                   tuple(map(Indicator._from, d["indicators"])))


@dataclass(frozen=True, slots=True)
class Change:
    """One record of the change log, as given to observers."""

    seq: int  #: position in the log
    entity: str  #: "action", "project", ...
    entity_id: str  #: record id (or composite id)
    op: str  #: "insert", "update" or "delete"
    fields: tuple[str, ...]  #: fields written
    at: int  #: ms since epoch
    actor: Optional[str]  #: the user who acted; None for the operator
    group_id: Optional[str]  #: the group sync bucket
    project_id: Optional[str]  #: the project sync bucket

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Change":
        return cls(d["seq"], d["entity"], d["entity_id"], d["op"], tuple(d["fields"]), d["at"],
                   d["actor"], d["group_id"], d["project_id"])


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What a session is: its user (None for the operator), expiry and policy notice."""

    user_id: Optional[str]  #: the user; None for the operator
    expires_at: int  #: ms since epoch
    policy_notice_required: bool  #: show the policy notice, then ``acknowledge_policy``
    policy_version: int  #: the current policy version
    is_operator: bool  #: an operator session

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "SessionInfo":
        return cls(d.get("user_id"), d["expires_at"], d["policy_notice_required"],
                   d["policy_version"], d["is_operator"])


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """A published privacy-policy version."""

    version: int  #: version number
    summary: str  #: what changed
    published_at: int  #: ms since epoch

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "PolicyVersion":
        return cls(d["version"], d["summary"], d["published_at"])


@dataclass(frozen=True, slots=True)
class UsageCount:
    """One row of the operator's anonymous usage report."""

    event: str  #: the event
    platform: str  #: platform
    os_version: str  #: OS version
    app_version: str  #: app version
    device_class: str  #: device class
    count: int  #: how many times

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "UsageCount":
        return cls(d["event"], d["platform"], d["os_version"], d["app_version"],
                   d["device_class"], d["count"])


@dataclass(frozen=True, slots=True)
class Mail:
    """A mail the library asks the app to deliver (activation, password reset, e-mail change)."""

    to: str  #: address
    to_name: str  #: display name; may be empty
    subject: str  #: subject line
    text: str  #: plain-text body
    html: str  #: HTML body; may be empty

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "Mail":
        return cls(d["to"], d.get("to_name", ""), d["subject"], d["text"], d.get("html", ""))


@dataclass(frozen=True, slots=True)
class StorageInfo:
    """How the store is set up."""

    schema_version: int  #: the database schema version
    journal_mode: str  #: "wal" for a file, "memory" for ":memory:"
    foreign_keys: bool  #: foreign keys enforced
    secure_delete: bool  #: deleted content overwritten
    busy_timeout_ms: int  #: how long a locked database is waited for
    prepared_statements: int  #: statements kept prepared
    page_count: int  #: pages in the file
    page_size: int  #: bytes per page

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "StorageInfo":
        return cls(d["schema_version"], d["journal_mode"], bool(d["foreign_keys"]),
                   bool(d["secure_delete"]), d["busy_timeout_ms"], d["prepared_statements"],
                   d["page_count"], d["page_size"])


@dataclass(frozen=True, slots=True)
class ProjectReport:
    """A project report (R15), rendered by ``Session.project_report``."""

    html: str  #: a printable, self-contained HTML page (inline style and charts)
    text: str  #: the same content as plain text


T = TypeVar("T")
_loads = json.loads


def decode(text: str, make: Callable[[Any], T]) -> T:
    """Parses the JSON ``text`` of a C call and builds its value with ``make``."""
    try:
        return make(_loads(text))
    except (KeyError, TypeError, ValueError) as e:
        raise InternalError(-15, f"unexpected result from the LeanDesk library: {e!r}") from e


def decode_list(text: str, make: Callable[[Any], T]) -> list[T]:
    """Parses a JSON array of the C call and builds each item with ``make``."""
    try:
        return list(map(make, _loads(text)))
    except (KeyError, TypeError, ValueError) as e:
        raise InternalError(-15, f"unexpected result from the LeanDesk library: {e!r}") from e
