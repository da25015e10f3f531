"""The exceptions of the LeanDesk binding: one class per status code of the C API (``LD_E*``).

Every failed call raises a :class:`LeanDeskError` subclass that keeps the C status code
(:attr:`LeanDeskError.code`) and the library's message (:attr:`LeanDeskError.message`) exactly as
``ld_last_error_code()`` and ``ld_last_error()`` gave them. A refusal by a permission rule is a
:class:`PermissionDenied` whose message starts with the rule id; :attr:`PermissionDenied.rule`
extracts it ("R9"). A :class:`RateLimited` or :class:`Busy` from the sync server carries the
server's time to wait (``ld_last_error_retry_after_ms()``) as :attr:`RateLimited.retry_after`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Callable, ClassVar, Optional

from . import _leandesk

__all__ = [
    "LeanDeskError",
    "NotFound",
    "PermissionDenied",
    "InvalidArgument",
    "HandleClosed",
    "Conflict",
    "NotSignedIn",
    "SessionExpired",
    "NetworkError",
    "IOFailure",
    "Busy",
    "OutOfMemory",
    "RateLimited",
    "Cancelled",
    "Corrupt",
    "InternalError",
    "AuthFailed",
    "error_for",
]

_RULE = re.compile(r"^(R[0-9]+):")


class LeanDeskError(Exception):
    """A failed LeanDesk call: the C status code and the library's message, both kept as given.

    ``LD_ERROR`` (-1) and codes this version of the binding does not know are raised as this
    class itself.
    """

    #: The status code this class stands for (``None`` for the base class: any code).
    CODE: ClassVar[Optional[int]] = None

    def __init__(self, code: int, message: str) -> None:
        super().__init__(code, message)
        #: The C status code (negative ``LD_E*``).
        self.code: int = code
        #: The library's message; it never holds a password, token or hash.
        self.message: str = message

    @property
    def name(self) -> str:
        """The code's short stable name from ``ld_error_name()`` ("permission denied")."""
        return _leandesk.error_name(self.code)

    def __str__(self) -> str:
        return f"{self.message} [{self.name}, {self.code}]"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"

    def __reduce__(
        self,
    ) -> tuple[Callable[[int, str, bool, int], LeanDeskError], tuple[int, str, bool, int]]:
        # keeps code, message and the time to wait through pickling (multiprocessing)
        return (error_for, (self.code, self.message, False, -1))


class _RetryAfter(LeanDeskError):
    """An error that may come with the sync server's time to wait."""

    def __init__(self, code: int, message: str, retry_after_ms: int = -1) -> None:
        super().__init__(code, message)
        self._retry_after_ms = retry_after_ms if retry_after_ms >= 0 else -1

    @property
    def retry_after(self) -> Optional[timedelta]:
        """How long the server asked to wait before trying again
        (``ld_last_error_retry_after_ms()``), or None when it gave no time (a local refusal, or
        no ``Retry-After``)."""
        if self._retry_after_ms < 0:
            return None
        return timedelta(milliseconds=self._retry_after_ms)

    def __reduce__(
        self,
    ) -> tuple[Callable[[int, str, bool, int], LeanDeskError], tuple[int, str, bool, int]]:
        return (error_for, (self.code, self.message, False, self._retry_after_ms))


class NotFound(LeanDeskError):
    """``LD_ENOTFOUND`` (-2): the id names nothing the caller may see."""

    CODE = -2


class PermissionDenied(LeanDeskError):
    """``LD_EPERM`` (-3): refused by a rule; nothing changed. The message starts with the rule id."""

    CODE = -3

    @property
    def rule(self) -> Optional[str]:
        """The id of the rule that refused the call ("R9"), or None when the message names none."""
        match = _RULE.match(self.message)
        return match.group(1) if match else None


class InvalidArgument(LeanDeskError):
    """``LD_EINVAL`` (-4): a missing, malformed or out-of-range argument (bad JSON, wrong shape)."""

    CODE = -4


class HandleClosed(InvalidArgument):
    """A call through a :class:`~leandesk.Database` or :class:`~leandesk.Session` that was closed.

    Its code is ``LD_EINVAL``, what the C API answers for a handle that is no more.
    """


class Conflict(LeanDeskError):
    """``LD_ECONFLICT`` (-5): unique key taken, still in use, state changed, or a version mismatch."""

    CODE = -5


class NotSignedIn(LeanDeskError):
    """``LD_ENOTSIGNEDIN`` (-6): no signed-in user behind this handle or token."""

    CODE = -6


class SessionExpired(LeanDeskError):
    """``LD_ESESSION`` (-7): the session expired, went idle too long, or was ended."""

    CODE = -7


class NetworkError(LeanDeskError):
    """``LD_ENETWORK`` (-8): network failure (sync, mail)."""

    CODE = -8


class IOFailure(LeanDeskError):
    """``LD_EIO`` (-9): the database file, the disk, or the mail sender failed."""

    CODE = -9


class Busy(_RetryAfter):
    """``LD_EBUSY`` (-10): the database is locked by another process, or the sync server is
    unavailable for longer than the retry budget (:attr:`retry_after` holds its time to wait)."""

    CODE = -10


class OutOfMemory(LeanDeskError):
    """``LD_ENOMEM`` (-11): out of memory."""

    CODE = -11


class RateLimited(_RetryAfter):
    """``LD_ERATELIMIT`` (-12): too many attempts; try again later (after :attr:`retry_after`
    when the sync server gave a time to wait)."""

    CODE = -12


class Cancelled(LeanDeskError):
    """``LD_ECANCELLED`` (-13): cancelled by the caller."""

    CODE = -13


class Corrupt(LeanDeskError):
    """``LD_ECORRUPT`` (-14): damaged database or input file."""

    CODE = -14


class InternalError(LeanDeskError):
    """``LD_EINTERNAL`` (-15): a bug in LeanDesk (or a result this binding could not decode)."""

    CODE = -15


class AuthFailed(LeanDeskError):
    """``LD_EAUTH`` (-16): wrong e-mail or password, or an unknown, used or expired code."""

    CODE = -16


_BY_CODE: dict[int, type[LeanDeskError]] = {
    cls.CODE: cls
    for cls in (
        NotFound,
        PermissionDenied,
        InvalidArgument,
        Conflict,
        NotSignedIn,
        SessionExpired,
        NetworkError,
        IOFailure,
        Busy,
        OutOfMemory,
        RateLimited,
        Cancelled,
        Corrupt,
        InternalError,
        AuthFailed,
    )
    if cls.CODE is not None
}


def error_for(
    code: int, message: str, closed: bool = False, retry_after_ms: int = -1
) -> LeanDeskError:
    """The exception for status ``code`` with ``message`` (:class:`HandleClosed` when ``closed``);
    ``retry_after_ms`` (-1: none) becomes :attr:`RateLimited.retry_after` (and Busy's)."""
    if closed:
        return HandleClosed(code, message)
    cls = _BY_CODE.get(code, LeanDeskError)
    if issubclass(cls, _RetryAfter):
        return cls(code, message, retry_after_ms)
    return cls(code, message)


_leandesk._set_error_factory(error_for)
