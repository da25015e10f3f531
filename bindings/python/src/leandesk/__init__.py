"""LeanDesk for Python: the LeanDesk core SDK through its stable C API.

Open a :class:`Database`, sign users up and in (each signed-in user is a :class:`Session`), and run
commands and queries whose results are typed, immutable dataclasses (:class:`Group`,
:class:`Project`, :class:`Action`, ...). Groups export to a spreadsheet, back up and restore, and
projects render and mail their report (:meth:`Session.export_group_xlsx`, ...); a database opened
with :meth:`Database.open_replica` works offline and syncs with a LeanDesk server
(:meth:`Database.sync_now`). Failures raise a :class:`LeanDeskError` subclass that
keeps the C status code and message; a refusal by a permission rule is :class:`PermissionDenied`
with the rule id in :attr:`PermissionDenied.rule`::

    import leandesk

    with leandesk.Database("team.leandesk") as db:
        db.set_mail_sender(send_mail)
        with db.sign_in("ann@example.com", "correct horse battery") as ann:
            group = ann.create_group("Lean Team")

The package is a pure-Python layer over the native module :mod:`leandesk._leandesk` (pybind11 over
``leandesk.hpp``, the header-only C++ wrapper of ``leandesk.h``). Importing it checks that the
linked library can serve the header the module was compiled against.
"""

from __future__ import annotations

from . import _leandesk
from ._database import Database, ObserverToken, logger
from ._entities import (
    Action,
    ActionDetail,
    Change,
    Comment,
    Group,
    Indicator,
    IndicatorPoint,
    IndicatorValue,
    LogLevel,
    Mail,
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
    StepActions,
    StepKind,
    StorageInfo,
    UsageCount,
    User,
    UserStatus,
    to_datetime,
)
from ._errors import (
    AuthFailed,
    Busy,
    Cancelled,
    Conflict,
    Corrupt,
    HandleClosed,
    InternalError,
    InvalidArgument,
    IOFailure,
    LeanDeskError,
    NetworkError,
    NotFound,
    NotSignedIn,
    OutOfMemory,
    PermissionDenied,
    RateLimited,
    SessionExpired,
    error_for,
)
from ._inputs import UNSET, DatabaseOptions, Unset
from ._session import Session
from ._sync import Progress, SyncError, SyncRejection, SyncStatus

__version__ = "0.1.0"

#: The version number (MAJOR * 1000000 + MINOR * 1000 + PATCH) of the C header the native module
#: was compiled against.
HEADER_VERSION_NUMBER: int = _leandesk.HEADER_VERSION_NUMBER


def library_version() -> str:
    """The linked LeanDesk library's version string ("0.1.0")."""
    return _leandesk.version()


def library_version_number() -> int:
    """The linked library's version number (MAJOR * 1000000 + MINOR * 1000 + PATCH)."""
    return _leandesk.version_number()


def error_name(code: int) -> str:
    """The short stable name of a status code ("permission denied")."""
    return _leandesk.error_name(code)


# The same check every binding makes at load: a library that cannot serve the header raises
# Conflict here rather than misbehaving later.
_leandesk.check_version()

__all__ = [
    "Action", "ActionDetail", "AuthFailed", "Busy", "Cancelled", "Change", "Comment", "Conflict",
    "Corrupt", "Database", "DatabaseOptions", "Group", "HEADER_VERSION_NUMBER", "HandleClosed",
    "IOFailure", "Indicator", "IndicatorPoint", "IndicatorValue", "InternalError",
    "InvalidArgument", "LeanDeskError", "LogLevel", "Mail", "NetworkError", "NotFound",
    "NotSignedIn", "ObserverToken", "OutOfMemory", "Participant", "Person", "PermissionDenied",
    "Photo", "PolicyVersion", "Progress", "Project", "ProjectReport", "ProjectReview",
    "ProjectStatus", "RateLimited", "Resource", "Session", "SessionExpired", "SessionInfo",
    "Step", "StepActions", "StepKind", "StorageInfo", "SyncError", "SyncRejection", "SyncStatus",
    "UNSET", "Unset", "UsageCount", "User", "UserStatus", "error_for",
    "error_name", "library_version", "library_version_number", "logger", "to_datetime",
]
