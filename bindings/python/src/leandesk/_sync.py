"""The values of offline sync and of long work: sync status, rejected commands, progress.

A replica (:meth:`~leandesk.Database.open_replica`) applies the user's commands locally at once and
queues them; :meth:`~leandesk.Database.sync_now` pushes them to the server, which replays each
through the same rules, then pulls what changed. A command the server refuses is undone on the
replica and reported as a :class:`SyncRejection`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from ._errors import LeanDeskError, error_for

__all__ = ["Progress", "SyncError", "SyncRejection", "SyncStatus"]

#: A progress callback of long work (export, backup, restore, sync): ``progress(done, total)``
#: with ``total`` 0 when it is not known in advance (sync). It runs on the thread of the call,
#: during the call. Return True to go on; a false result cancels the work, which then raises
#: :class:`~leandesk.Cancelled`; an exception it raises cancels the work too and is raised again
#: by the call, unchanged.
Progress = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class SyncError:
    """The last failed sync of a replica, in :attr:`SyncStatus.last_error`."""

    code: int  #: the ``LD_E*`` status (see :func:`~leandesk.error_for`)
    message: str  #: what went wrong

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "SyncError":
        return cls(d["code"], d["message"])


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """A replica's sync state (:meth:`~leandesk.Database.sync_status`)."""

    pending: int  #: commands waiting in the outbox
    rejected: int  #: commands the server refused (the last 1,000 are kept)
    last_success_at: Optional[int]  #: ms since the epoch of the last complete sync
    last_error: Optional[SyncError]  #: the last failed sync; None after a success
    signed_in: bool  #: a server session is held
    user_id: Optional[str]  #: the replica's user (one per replica)
    server_url: str  #: the server

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "SyncStatus":
        error = d.get("last_error")
        return cls(d["pending"], d["rejected"], d.get("last_success_at"),
                   None if error is None else SyncError._from(error), d["signed_in"],
                   d.get("user_id"), d["server_url"])


@dataclass(frozen=True, slots=True)
class SyncRejection:
    """A queued command the server refused; it was already undone on the replica.

    Given to the handler of :meth:`~leandesk.Database.on_rejection`.
    """

    command_id: str  #: the id the replica gave the command
    command: str  #: its name, as for :meth:`~leandesk.Session.execute`
    args: Any  #: its arguments (JSON values)
    code: int  #: the ``LD_E*`` status of the refusal
    rule: Optional[str]  #: the refusing rule ("R9"), or None
    message: str  #: why, as the server said it

    @classmethod
    def _from(cls, d: dict[str, Any]) -> "SyncRejection":
        return cls(d["command_id"], d["command"], d.get("args"), d["code"],
                   d.get("rule") or None, d["message"])

    def error(self) -> LeanDeskError:
        """The refusal as the exception the command would have raised on the server
        (:class:`~leandesk.PermissionDenied`, :class:`~leandesk.NotFound`, ...)."""
        return error_for(self.code, self.message)
