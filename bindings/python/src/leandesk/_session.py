"""A signed-in user (or the operator) on a database, with every command and query of the C API."""

from __future__ import annotations

import json
import os
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional, Union

from . import _leandesk

from ._entities import (
    Action,
    ActionDetail,
    Comment,
    Group,
    Indicator,
    IndicatorPoint,
    IndicatorValue,
    Participant,
    Person,
    Photo,
    PolicyVersion,
    Project,
    ProjectReport,
    ProjectReview,
    ProjectStatus,
    Resource,
    SessionInfo,
    Step,
    StepKind,
    UsageCount,
    User,
    UserStatus,
    decode,
    decode_list,
)
from ._inputs import UNSET, Unset, dump, patch, without_none
from ._sync import Progress

if TYPE_CHECKING:
    from ._database import Database, PathLike

__all__ = ["Session"]

_Str = Union[str, Unset]
_OptStr = Union[str, None, Unset]
_OptDate = Union[date, None, Unset]
_OptFloat = Union[float, None, Unset]


class Session:
    """A signed-in user, or the operator, on a :class:`~leandesk.Database`.

    Made by :meth:`Database.sign_in`, :meth:`Database.resume` or :meth:`Database.operator_sign_in`.
    :meth:`close` (or the end of a ``with`` block) frees the handle only: the session stays valid
    and :attr:`token` can resume it; :meth:`sign_out` ends it. Closing the database closes its
    sessions. A call through a closed session raises :class:`~leandesk.HandleClosed`.

    Methods are named after the engine's commands and queries (docs/api.md): ``create_group``,
    ``group_members``, ``project_actions``, ... Each enforces the permission rules: a refusal
    raises :class:`~leandesk.PermissionDenied` whose ``rule`` names it ("R9") and changes nothing.
    Update methods take only the fields to change; :data:`~leandesk.UNSET` (the default) leaves
    a field alone and ``None`` clears an optional one. Queries return lists.
    """

    __slots__ = ("_db", "_raw", "__weakref__")

    def __init__(self, db: "Database", raw: _leandesk.Session) -> None:
        # A strong reference: the database stays open (in Python) while a session lives.
        self._db = db
        self._raw = raw

    # ---- lifecycle ----------------------------------------------------------------------------

    @property
    def database(self) -> "Database":
        """The database this session was made from."""
        return self._db

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (or the database closed)."""
        return not self._raw.is_open

    def close(self) -> None:
        """Frees the handle (the session itself stays valid; see :meth:`sign_out`). Idempotent."""
        self._raw.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<leandesk.Session {'closed' if self.closed else 'open'}>"

    def sign_out(self) -> None:
        """Ends the session; later calls through it raise :class:`~leandesk.SessionExpired`."""
        self._raw.sign_out()

    @property
    def token(self) -> str:
        """The secret token for :meth:`Database.resume`; keep it in secure storage, never log it."""
        return self._raw.token()

    def info(self) -> SessionInfo:
        """The session's user, expiry, policy notice and operator flag."""
        return decode(self._raw.info(), SessionInfo._from)

    def execute(self, command: str, args: Union[Mapping[str, Any], str, None] = None) -> Any:
        """Runs any command or query by name (docs/api.md) and returns its JSON result as Python
        values (dicts, lists, ...; None for commands without a result). ``args`` is a mapping, or
        JSON text passed to the library unchanged."""
        text = args if args is None or isinstance(args, str) else dump(dict(args))
        return json.loads(self._raw.execute(command, text))

    # ---- my account (R11) ---------------------------------------------------------------------

    def me(self) -> User:
        """The signed-in user's own full record."""
        return decode(self._raw.me_get(), User._from)

    def update_profile(self, *, first_name: _Str = UNSET, last_name: _Str = UNSET,
                       newsletter_opt_in: Union[bool, Unset] = UNSET,
                       show_open_actions_on_dashboard: Union[bool, Unset] = UNSET) -> User:
        """Edits the own profile (R11); the status is the operator's (R12)."""
        return decode(self._raw.me_update(dump(patch(
            first_name=first_name, last_name=last_name, newsletter_opt_in=newsletter_opt_in,
            show_open_actions_on_dashboard=show_open_actions_on_dashboard))), User._from)

    def update_profile_json(self, patch_json: str) -> User:
        """:meth:`update_profile` with the JSON patch passed to ``ld_me_update`` unchanged."""
        return decode(self._raw.me_update(patch_json), User._from)

    def request_email_change(self, new_email: str) -> None:
        """Mails a code to ``new_email``; the change applies at :meth:`Database.activate`."""
        self._raw.me_request_email_change(new_email)

    def change_password(self, current_password: str, new_password: str) -> None:
        """Changes the password and ends every other session of the user."""
        self._raw.me_change_password(current_password, new_password)

    def set_avatar(self, image: Optional[bytes]) -> User:
        """Sets the avatar from image bytes (JPEG, PNG, WebP, HEIC), or removes it with None."""
        return decode(self._raw.me_set_avatar(bytes(image or b"")), User._from)

    def acknowledge_policy(self, version: int) -> User:
        """Acknowledges the privacy-policy notice of ``version``."""
        return decode(self._raw.me_acknowledge_policy(version), User._from)

    def delete_account(self, password: str) -> None:
        """Deletes the own account (R3: a group manager hands over first); the session ends."""
        self._raw.me_delete_account(password)

    def dashboard(self) -> list[Action]:
        """The user's actions across projects, late and soon-due first."""
        return decode_list(self._raw.dashboard_get(), Action._from)

    # ---- groups, members (R1–R4, R13) ---------------------------------------------------------

    def create_group(self, name: str, *, id: Optional[str] = None) -> Group:
        """Creates a group; the caller becomes its manager (R1) and it gets the default steps."""
        return decode(self._raw.group_create(dump(without_none(id=id, name=name))), Group._from)

    def get_group(self, group_id: str) -> Group:
        """A group the caller is a member of (R13)."""
        return decode(self._raw.group_get(group_id), Group._from)

    def my_groups(self) -> list[Group]:
        """The caller's groups."""
        return decode_list(self._raw.group_list(), Group._from)

    def update_group(self, group_id: str, *, name: _Str = UNSET) -> Group:
        """Renames a group (manager only, R2)."""
        return decode(self._raw.group_update(group_id, dump(patch(name=name))), Group._from)

    def delete_group(self, group_id: str) -> None:
        """Deletes the group and everything in it, permanently (R2, R14)."""
        self._raw.group_delete(group_id)

    def group_members(self, group_id: str) -> list[Person]:
        """The members as people; ``email`` only where the caller may see it (R13)."""
        return decode_list(self._raw.group_members(group_id), Person._from)

    def add_member(self, group_id: str, email: str) -> Person:
        """Adds a member by e-mail (manager only, R2); an unknown address becomes a
        not-yet-activated person (R16). Raises :class:`~leandesk.Conflict` if already a member."""
        return decode(self._raw.group_add_member(group_id, email), Person._from)

    def remove_member(self, group_id: str, user_id: str) -> None:
        """Removes a member (manager only, R2; never the manager, R3) and from its projects (R4)."""
        self._raw.group_remove_member(group_id, user_id)

    def leave_group(self, group_id: str) -> None:
        """Leaves the group and its projects (R4); the manager must hand over first (R3)."""
        self._raw.group_leave(group_id)

    def transfer_group(self, group_id: str, new_manager_id: str) -> Group:
        """Hands the manager role to another member (R2)."""
        return decode(self._raw.group_transfer(group_id, new_manager_id), Group._from)

    def group_projects(self, group_id: str) -> list[Project]:
        """The group's projects the caller may see: all for the manager (R7)."""
        return decode_list(self._raw.group_projects(group_id), Project._from)

    # ---- steps and resources (R2) -------------------------------------------------------------

    def group_steps(self, group_id: str) -> list[Step]:
        """The group's workflow steps in order."""
        return decode_list(self._raw.step_list(group_id), Step._from)

    def add_step(self, group_id: str, name: str, kind: Union[StepKind, str], *,
                 id: Optional[str] = None) -> Step:
        """Adds a step at the end of the workflow (manager only, R2)."""
        text = dump(without_none(id=id, name=name, kind=kind))
        return decode(self._raw.step_add(group_id, text), Step._from)

    def update_step(self, step_id: str, *, name: _Str = UNSET,
                    kind: Union[StepKind, str, Unset] = UNSET) -> Step:
        """Renames a step or changes its kind (R2)."""
        text = dump(patch(name=name, kind=kind))
        return decode(self._raw.step_update(step_id, text), Step._from)

    def move_step(self, step_id: str, position: int) -> list[Step]:
        """Moves a step to ``position`` (0-based); returns the new order (R2)."""
        return decode_list(self._raw.step_move(step_id, position), Step._from)

    def remove_step(self, step_id: str) -> None:
        """Removes an unused step (R2); :class:`~leandesk.Conflict` while actions are in it."""
        self._raw.step_remove(step_id)

    def group_resources(self, group_id: str) -> list[Resource]:
        """The group's shared resources."""
        return decode_list(self._raw.resource_list(group_id), Resource._from)

    def add_resource(self, group_id: str, name: str, *, url: Optional[str] = None,
                     note: Optional[str] = None, id: Optional[str] = None) -> Resource:
        """Adds a shared resource, a link or a note (manager only, R2)."""
        text = dump(without_none(id=id, name=name, url=url, note=note))
        return decode(self._raw.resource_add(group_id, text), Resource._from)

    def update_resource(self, resource_id: str, *, name: _Str = UNSET, url: _OptStr = UNSET,
                        note: _OptStr = UNSET) -> Resource:
        """Edits a resource (R2)."""
        text = dump(patch(name=name, url=url, note=note))
        return decode(self._raw.resource_update(resource_id, text), Resource._from)

    def remove_resource(self, resource_id: str) -> None:
        """Removes a resource (R2)."""
        self._raw.resource_remove(resource_id)

    # ---- projects and participants (R5–R8, R15) -----------------------------------------------

    def create_project(self, group_id: str, name: str, *, description: Optional[str] = None,
                       future_state: Optional[str] = None, start_date: Optional[date] = None,
                       target_date: Optional[date] = None, id: Optional[str] = None) -> Project:
        """Creates a project in a group (any member, R5); the caller owns it."""
        text = dump(without_none(id=id, group_id=group_id, name=name, description=description,
                                 future_state=future_state, start_date=start_date,
                                 target_date=target_date))
        return decode(self._raw.project_create(text), Project._from)

    def get_project(self, project_id: str) -> Project:
        """A project the caller may read (participant R8, or group manager R7)."""
        return decode(self._raw.project_get(project_id), Project._from)

    def my_projects(self) -> list[Project]:
        """The projects the caller takes part in, across groups."""
        return decode_list(self._raw.project_list(), Project._from)

    def update_project(self, project_id: str, *, name: _Str = UNSET, description: _Str = UNSET,
                       future_state: _Str = UNSET, start_date: _OptDate = UNSET,
                       target_date: _OptDate = UNSET,
                       status: Union[ProjectStatus, str, Unset] = UNSET) -> Project:
        """Edits a project."""
        text = dump(patch(name=name, description=description, future_state=future_state,
                          start_date=start_date, target_date=target_date, status=status))
        return decode(self._raw.project_update(project_id, text), Project._from)

    def delete_project(self, project_id: str) -> None:
        """Deletes the project and everything in it, permanently (owner or manager; R7, R14)."""
        self._raw.project_delete(project_id)

    def project_participants(self, project_id: str) -> list[Person]:
        """The participants as people, with e-mail (R8)."""
        return decode_list(self._raw.project_participants(project_id), Person._from)

    def add_participant(self, project_id: str, user_id: str) -> Participant:
        """Adds a group member as participant (owner or group manager, R6)."""
        return decode(self._raw.project_add_participant(project_id, user_id), Participant._from)

    def remove_participant(self, project_id: str, user_id: str) -> None:
        """Removes a participant (owner or group manager, R6); their actions lose their owner."""
        self._raw.project_remove_participant(project_id, user_id)

    def leave_project(self, project_id: str) -> None:
        """Leaves the project (R6); the owner hands over first."""
        self._raw.project_leave(project_id)

    def transfer_project(self, project_id: str, new_owner_id: str) -> Project:
        """Hands ownership to another participant (owner or group manager, R6)."""
        return decode(self._raw.project_transfer(project_id, new_owner_id), Project._from)

    def project_actions(self, project_id: str) -> list[Action]:
        """All actions of the project in workflow order."""
        return decode_list(self._raw.project_actions(project_id), Action._from)

    def project_review(self, project_id: str) -> ProjectReview:
        """The review: the project, every step with its actions, participants, indicators."""
        return decode(self._raw.project_review(project_id), ProjectReview._from)

    def project_indicators(self, project_id: str) -> list[Indicator]:
        """The project's indicators."""
        return decode_list(self._raw.project_indicators(project_id), Indicator._from)

    def report_recipients(self, project_id: str, recipient_ids: Iterable[str]) -> list[Person]:
        """Checks who the project report may be sent to (participants, R15)."""
        text = dump(list(recipient_ids))
        return decode_list(self._raw.project_report_recipients(project_id, text), Person._from)

    # ---- actions and comments (R9) ------------------------------------------------------------

    def create_action(self, project_id: str, title: str, *, description: Optional[str] = None,
                      step_id: Optional[str] = None, owner_id: Optional[str] = None,
                      context: Optional[str] = None, due_date: Optional[date] = None,
                      priority: Optional[int] = None, progress: Optional[int] = None,
                      indicator_id: Optional[str] = None, impact: Optional[float] = None,
                      id: Optional[str] = None) -> Action:
        """Creates an action (participants only, R9); without ``step_id`` it goes to the group's
        open step."""
        text = dump(without_none(
            id=id, project_id=project_id, title=title, description=description, step_id=step_id,
            owner_id=owner_id, context=context, due_date=due_date, priority=priority,
            progress=progress, indicator_id=indicator_id, impact=impact))
        return decode(self._raw.action_create(text), Action._from)

    def create_action_json(self, input_json: str) -> Action:
        """:meth:`create_action` with the JSON input passed to ``ld_action_create`` unchanged."""
        return decode(self._raw.action_create(input_json), Action._from)

    def get_action(self, action_id: str) -> ActionDetail:
        """An action with its photos and comments."""
        return decode(self._raw.action_get(action_id), ActionDetail._from)

    def update_action(self, action_id: str, *, title: _Str = UNSET, description: _Str = UNSET,
                      step_id: _Str = UNSET, owner_id: _OptStr = UNSET, context: _Str = UNSET,
                      due_date: _OptDate = UNSET, priority: Union[int, Unset] = UNSET,
                      progress: Union[int, Unset] = UNSET, indicator_id: _OptStr = UNSET,
                      impact: _OptFloat = UNSET) -> Action:
        """Edits an action (R9); None clears an optional field."""
        text = dump(patch(title=title, description=description, step_id=step_id,
                          owner_id=owner_id, context=context, due_date=due_date,
                          priority=priority, progress=progress, indicator_id=indicator_id,
                          impact=impact))
        return decode(self._raw.action_update(action_id, text), Action._from)

    def move_action(self, action_id: str, step_id: str,
                    before_id: Optional[str] = None) -> Action:
        """Moves the action to ``step_id`` before ``before_id`` (None: last). Entering a done
        step marks it done; leaving one reopens it."""
        return decode(self._raw.action_move(action_id, step_id, before_id), Action._from)

    def delete_action(self, action_id: str) -> None:
        """Deletes the action, its photos and comments, permanently (R14)."""
        self._raw.action_delete(action_id)

    def add_comment(self, action_id: str, body: str, *, id: Optional[str] = None) -> Comment:
        """Adds a comment to an action."""
        text = dump(without_none(id=id, body=body))
        return decode(self._raw.comment_add(action_id, text), Comment._from)

    def delete_comment(self, comment_id: str) -> None:
        """Deletes one of the caller's own comments."""
        self._raw.comment_delete(comment_id)

    # ---- indicators ---------------------------------------------------------------------------

    def create_indicator(self, project_id: str, name: str, *, unit: Optional[str] = None,
                         baseline: Optional[float] = None, target: Optional[float] = None,
                         id: Optional[str] = None) -> Indicator:
        """Creates a SMART indicator of a project."""
        text = dump(without_none(id=id, project_id=project_id, name=name, unit=unit,
                                 baseline=baseline, target=target))
        return decode(self._raw.indicator_create(text), Indicator._from)

    def update_indicator(self, indicator_id: str, *, name: _Str = UNSET, unit: _Str = UNSET,
                         baseline: Union[float, Unset] = UNSET,
                         target: Union[float, Unset] = UNSET) -> Indicator:
        """Edits an indicator."""
        text = dump(patch(name=name, unit=unit, baseline=baseline, target=target))
        return decode(self._raw.indicator_update(indicator_id, text), Indicator._from)

    def delete_indicator(self, indicator_id: str) -> None:
        """Deletes the indicator and its values; linked actions keep their impact, unlinked."""
        self._raw.indicator_delete(indicator_id)

    def set_indicator_value(self, indicator_id: str, week: str, actual: float) -> IndicatorValue:
        """Records the actual value of ISO week ``week`` ("2026-W09")."""
        return decode(self._raw.indicator_set_value(indicator_id, week, float(actual)),
                      IndicatorValue._from)

    def clear_indicator_value(self, indicator_id: str, week: str) -> None:
        """Removes the value of ``week``."""
        self._raw.indicator_clear_value(indicator_id, week)

    def indicator_curve(self, indicator_id: str) -> list[IndicatorPoint]:
        """The weekly curve of expected and actual values."""
        return decode_list(self._raw.indicator_curve(indicator_id), IndicatorPoint._from)

    # ---- photos and blobs ---------------------------------------------------------------------

    def add_photo(self, action_id: str, image: bytes, *, caption: Optional[str] = None,
                  taken_at: Optional[int] = None, id: Optional[str] = None) -> Photo:
        """Adds a photo (JPEG, PNG, WebP or HEIC by content; size-capped) to an action (R9)."""
        fields = without_none(id=id, caption=caption, taken_at=taken_at)
        return decode(self._raw.photo_add(action_id, bytes(image), dump(fields) if fields else None),
                      Photo._from)

    def remove_photo(self, photo_id: str) -> None:
        """Removes a photo (R9)."""
        self._raw.photo_remove(photo_id)

    def read_blob(self, content_hash: str) -> bytes:
        """The bytes of a photo or avatar by content hash (:class:`~leandesk.NotFound` unless
        the caller may see it)."""
        return self._raw.blob_read(content_hash)

    # ---- export, backup, reports (R10, R15) ----------------------------------------------------

    def export_group_xlsx(self, group_id: str, path: "PathLike",
                          progress: Optional[Progress] = None) -> None:
        """Writes the group's spreadsheet (.xlsx) to ``path`` (docs/export.md): sheets Group,
        Members, Steps, Projects, Participants, Actions, Comments, Indicators and Indicator
        weeks, with real numbers, dates and booleans; no photos (each action gives its count).

        Only the group manager may export (R10). The file is written under a temporary name and
        renamed into place when complete, so a failure or a cancel leaves no file (and an existing
        one untouched). ``progress(done, total)`` counts rows; returning False cancels
        (:class:`~leandesk.Cancelled`), an exception it raises cancels and is raised here. It runs
        with the database locked, so it may not call LeanDesk. The GIL is released meanwhile.

        Raises :class:`~leandesk.PermissionDenied` (R10: not the manager; R13: not a member),
        :class:`~leandesk.NotFound`, :class:`~leandesk.InvalidArgument` (``path`` is a folder),
        :class:`~leandesk.IOFailure`, :class:`~leandesk.Cancelled`.
        """
        self._raw.group_export_xlsx(group_id, os.fspath(path), progress)

    def backup_group(self, group_id: str, folder: "PathLike",
                     progress: Optional[Progress] = None) -> None:
        """Writes a full backup of the group, photos included, into the new folder ``folder``
        (``group.json`` and ``photos/``, docs/backup-format.md), readable without LeanDesk.

        Only the group manager may back up a group (R7, R10). The folder must not exist
        (:class:`~leandesk.Conflict`); it is written under a temporary name and renamed when
        complete. ``progress`` as for :meth:`export_group_xlsx` (records and files).
        """
        self._raw.group_backup(group_id, os.fspath(folder), progress)

    def restore_group(self, folder: "PathLike", progress: Optional[Progress] = None) -> Group:
        """Restores the backup in ``folder`` as a new group managed by the caller, with fresh ids;
        people are matched by e-mail (an unknown address becomes a not-yet-activated person, R16).

        Everything is checked before anything is written, in one transaction: a damaged or
        hostile backup raises :class:`~leandesk.Corrupt` (the message says what) and changes
        nothing. Also :class:`~leandesk.NotFound` (no folder), :class:`~leandesk.PermissionDenied`
        (R1), :class:`~leandesk.Conflict` (a sync replica: restore on the server),
        :class:`~leandesk.Cancelled`. ``progress`` as for :meth:`export_group_xlsx`.
        """
        return decode(self._raw.group_restore(os.fspath(folder), progress), Group._from)

    def project_report(self, project_id: str) -> ProjectReport:
        """Renders the project report (R15) as a self-contained HTML page and as plain text:
        summary by step, overdue actions, actions by step, indicators, participants.

        Any participant (R8) or the group manager (R7) may render it; otherwise
        :class:`~leandesk.NotFound` or :class:`~leandesk.PermissionDenied`.
        """
        html, text = self._raw.project_report(project_id)
        return ProjectReport(html, text)

    def send_project_report(self, project_id: str, recipient_ids: Iterable[str]) -> None:
        """E-mails the project report (HTML with a plain-text alternative) to each user of
        ``recipient_ids``, who must all be participants, activated or not (R15).

        Only a participant may send it, and every recipient is checked before any mail goes.
        Mail goes through :meth:`Database.set_mail_sender` when one is set, else through the
        database's SMTP options, on the calling thread. Raises
        :class:`~leandesk.PermissionDenied` (R15), :class:`~leandesk.InvalidArgument` (no
        recipient), :class:`~leandesk.NotFound`, :class:`~leandesk.IOFailure` (no mail sender, or
        it failed), :class:`~leandesk.NetworkError` / :class:`~leandesk.AuthFailed` (SMTP).
        """
        if isinstance(recipient_ids, str):
            raise TypeError("recipient_ids must be an iterable of user ids, not one str")
        self._raw.project_report_send(project_id, dump(list(recipient_ids)))

    # ---- the operator (R12) -------------------------------------------------------------------

    def get_user(self, user_id: str) -> User:
        """Any user's full record (operator)."""
        return decode(self._raw.operator_get_user(user_id), User._from)

    def set_user_status(self, user_id: str, status: Union[UserStatus, str]) -> User:
        """Sets a user's status (operator only, R12)."""
        value = status.value if isinstance(status, UserStatus) else status
        return decode(self._raw.operator_set_user_status(user_id, value), User._from)

    def set_user_deactivated(self, user_id: str, deactivated: bool) -> User:
        """Deactivates (ending every session of the user) or reactivates an account (R12)."""
        return decode(self._raw.operator_set_user_deactivated(user_id, bool(deactivated)),
                      User._from)

    def change_login_email(self, user_id: str, email: str) -> User:
        """Changes a user's login e-mail (operator, R12)."""
        return decode(self._raw.operator_change_login_email(user_id, email), User._from)

    def reset_user_password(self, user_id: str) -> None:
        """Mails the user a reset code and ends their sessions (operator, R12)."""
        self._raw.operator_reset_password(user_id)

    def publish_policy(self, summary: str) -> PolicyVersion:
        """Publishes a new privacy-policy version (operator)."""
        return decode(self._raw.operator_publish_policy(summary), PolicyVersion._from)

    def active_users(self) -> list[User]:
        """Users active in the last three months (operator)."""
        return decode_list(self._raw.operator_active_users(), User._from)

    def newsletter_recipients(self) -> list[User]:
        """Activated, active users who consented to the newsletter (operator)."""
        return decode_list(self._raw.operator_newsletter_recipients(), User._from)

    def usage_report(self) -> list[UsageCount]:
        """The anonymous usage figures (operator)."""
        return decode_list(self._raw.operator_usage_report(), UsageCount._from)
