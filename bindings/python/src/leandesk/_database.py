"""The database: opening (as a plain database or a sync replica), callbacks, accounts, offline
sync, and the sessions made from it."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Callable, Optional, Union

from . import _leandesk
from ._entities import Change, LogLevel, Mail, StorageInfo, User, decode, decode_list
from ._inputs import OptionsLike, dump, options_json
from ._sync import Progress, SyncRejection, SyncStatus

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["Database", "ObserverToken", "logger"]

#: A file system path, as ``open()`` takes it.
PathLike = Union[str, "os.PathLike[str]"]

#: Where the binding reports exceptions raised by callbacks (observers, mail sender, clock, log):
#: they cannot travel back through the C library, so they are logged here with their traceback
#: and the operation goes on (a failing mail sender fails its operation with IOFailure).
logger = logging.getLogger("leandesk")


class ObserverToken:
    """Keeps an observer registered until :meth:`remove` (or the end of a ``with`` block).

    Unlike a C++ token, dropping this object does not unregister the observer: in Python the
    moment of garbage collection is not something to rely on. The observer also ends when the
    database closes.
    """

    __slots__ = ("_db", "_id", "__weakref__")

    def __init__(self, db: "Database", observer_id: int) -> None:
        self._db: Optional[Database] = db
        self._id = observer_id

    @property
    def id(self) -> int:
        """The observer id of ``ld_db_add_observer`` (0 once removed)."""
        return self._id

    @property
    def active(self) -> bool:
        """Whether the observer is still registered through this token."""
        return self._db is not None and not self._db.closed

    def remove(self) -> None:
        """Unregisters the observer. Safe to call twice, and after the database closed."""
        db, self._db = self._db, None
        if db is not None and not db.closed:
            db._raw.remove_observer(self._id)
        self._id = 0

    def __enter__(self) -> "ObserverToken":
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class Database:
    """An open LeanDesk database: the engine over one SQLite file (``":memory:"`` for a temporary one).

    Use it as a context manager (or call :meth:`close`): closing frees the handle at once, after
    closing every :class:`~leandesk.Session` made from it; any later call through either raises
    :class:`~leandesk.HandleClosed`. The library serializes calls on one database, so a Database
    and its sessions may be used from several threads; callbacks (mail sender, log, clock,
    observers) then run on the thread of the call that triggers them.

    ``options`` are those of ``ld_db_open``: a :class:`~leandesk.DatabaseOptions`, a mapping, or
    JSON text. Raises :class:`~leandesk.InvalidArgument` (bad option), :class:`~leandesk.IOFailure`
    (cannot open), :class:`~leandesk.Corrupt` (not a LeanDesk database) or
    :class:`~leandesk.Conflict` (written by a newer LeanDesk).

    :meth:`open_replica` opens a database kept in sync with a LeanDesk server instead; the sync
    methods (:meth:`sync_sign_in`, :meth:`sync_now`, ...) work on replicas only and raise
    :class:`~leandesk.InvalidArgument` on a plain database.
    """

    def __init__(self, path: PathLike = ":memory:", options: OptionsLike = None) -> None:
        self._setup(_leandesk.Database(os.fspath(path), options_json(options)))

    def _setup(self, raw: _leandesk.Database) -> None:
        self._raw = raw
        self._sessions: "weakref.WeakSet[Session]" = weakref.WeakSet()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: PathLike = ":memory:", options: OptionsLike = None) -> "Database":
        """The same as the constructor, reading like the C API."""
        return cls(path, options)

    @classmethod
    def open_replica(cls, path: PathLike, server_url: str, *, ca_file: Optional[PathLike] = None,
                     pinned_key: Optional[str] = None,
                     options: OptionsLike = None) -> "Database":
        """Opens (creating if needed) the database at ``path`` as a replica of the LeanDesk server
        at ``server_url`` (``ld_sync_open``); a context manager like any database.

        ``server_url`` must start with ``https://``: the server's certificate and host name are
        always verified. ``ca_file`` is a PEM bundle of the CA that signed the server's
        certificate (intranet servers; None: the system's trust store); ``pinned_key`` pins the
        server's public key as ``"sha256//<base64>"`` (several joined by ``;``). ``options`` are
        those of the constructor. An existing replica of the same server keeps its data and takes
        the new CA file and pin. Sign in with :meth:`sync_sign_in`.

        Raises :class:`~leandesk.InvalidArgument` (not an https URL, bad option),
        :class:`~leandesk.Conflict` (a replica of another server, or a file holding local data
        that was never synced), and what the constructor raises.
        """
        raw = _leandesk.Database.sync_open(
            os.fspath(path), options_json(options), server_url,
            None if ca_file is None else os.fspath(ca_file), pinned_key)
        db = cls.__new__(cls)
        db._setup(raw)
        return db

    # ---- lifecycle ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return not self._raw.is_open

    def close(self) -> None:
        """Closes every session made from this database, then the database. Idempotent."""
        with self._lock:
            sessions = list(self._sessions)
            self._sessions.clear()
        for session in sessions:
            session.close()
        self._raw.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<leandesk.Database {'closed' if self.closed else 'open'}>"

    def _adopt(self, raw: _leandesk.Session) -> "Session":
        from ._session import Session

        session = Session(self, raw)
        with self._lock:
            self._sessions.add(session)
        return session

    # ---- storage ------------------------------------------------------------------------------

    def storage_info(self) -> StorageInfo:
        """How the store is set up (schema version, journal mode, ...)."""
        return decode(self._raw.storage_info(), StorageInfo._from)

    def checkpoint(self) -> None:
        """Moves the write-ahead log into the database file and truncates it."""
        self._raw.checkpoint()

    def changes_since(self, after_seq: int = 0, limit: int = 1000) -> list[Change]:
        """The change log after ``after_seq``, oldest first, at most ``limit`` (≤ 100,000) records.

        Low-level: it names records of every group in this database.
        """
        return decode_list(self._raw.changes_since(after_seq, limit), Change._from)

    # ---- callbacks ----------------------------------------------------------------------------

    def set_mail_sender(self, sender: Optional[Callable[[Mail], object]]) -> None:
        """Sets (or with None removes) the mail sender; sign-up and password resets need one.

        ``sender(mail)`` runs on the calling thread inside the operation's transaction and must
        not call LeanDesk. If it raises, the mail counts as not handed over: the operation fails
        with :class:`~leandesk.IOFailure` and changes nothing (the exception is logged).
        """
        if sender is None:
            self._raw.set_mail_sender(None)
            return

        def deliver(text: str) -> bool:
            try:
                sender(decode(text, Mail._from))
                return True
            except Exception:
                logger.exception("leandesk: the mail sender failed")
                return False

        self._raw.set_mail_sender(deliver)

    def set_log(self, sink: Optional[Callable[[LogLevel, str], object]]) -> None:
        """Sets (or with None removes) the log sink.

        ``sink(level, line)`` receives lines of ids and events, never a password, token or hash,
        on the thread of the call that logs; it must not call LeanDesk.
        """
        if sink is None:
            self._raw.set_log(None)
            return

        def log(level: int, line: str) -> None:
            try:
                sink(LogLevel(level) if 0 <= level <= 3 else LogLevel.ERROR, line)
            except Exception:
                logger.exception("leandesk: the log sink failed")

        self._raw.set_log(log)

    def set_clock(self, clock: Optional[Callable[[], int]]) -> None:
        """Replaces (or with None restores) the clock: ``clock()`` returns ms since the epoch (UTC).

        For tests: session expiries, idle timeouts and rate-limit windows then follow the injected
        time. It must not call LeanDesk; if it raises, the system time is used for that reading.
        """
        if clock is None:
            self._raw.set_clock(None)
            return

        def now() -> int:
            try:
                return int(clock())
            except Exception:
                logger.exception("leandesk: the clock failed; using the system time")
                return int(time.time() * 1000)

        self._raw.set_clock(now)

    def add_observer(self, observer: Callable[[list[Change]], object]) -> ObserverToken:
        """Registers ``observer(changes)``, called after each committed unit of work.

        It runs on the thread that committed (possibly not the main thread), after the commit,
        and may call LeanDesk. An exception it raises is logged to the ``leandesk`` logger and
        does not reach the call that committed. Keep the returned token to remove it.
        """
        if not callable(observer):
            raise TypeError("the observer must be callable")

        def notify(text: str) -> None:
            try:
                changes = decode_list(text, Change._from)
                observer(changes)
            except Exception:
                logger.exception("leandesk: an observer raised an exception")

        return ObserverToken(self, self._raw.add_observer(notify))

    # ---- accounts (no session needed) ---------------------------------------------------------

    def sign_up(self, first_name: str, last_name: str, email: str, password: str) -> User:
        """Creates an account (not yet activated) and mails its activation code.

        Raises :class:`~leandesk.InvalidArgument` (password rules, bad e-mail, R17),
        :class:`~leandesk.Conflict` (the account exists), :class:`~leandesk.IOFailure` (no mail
        sender, or it failed).
        """
        text = dump({"first_name": first_name, "last_name": last_name, "email": email,
                     "password": password})
        return decode(self._raw.account_sign_up(text), User._from)

    def sign_up_json(self, input_json: str) -> User:
        """:meth:`sign_up` from the JSON object ``ld_account_sign_up`` takes, passed unchanged."""
        return decode(self._raw.account_sign_up(input_json), User._from)

    def resend_activation(self, email: str) -> None:
        """Mails a fresh activation code (unknown or activated addresses are silently ignored)."""
        self._raw.account_resend_activation(email)

    def activate(self, code: str) -> User:
        """Consumes an activation or e-mail-change code. Raises :class:`~leandesk.AuthFailed`."""
        return decode(self._raw.account_activate(code), User._from)

    def request_password_reset(self, email: str) -> None:
        """Mails a password-reset code (unknown addresses are silently ignored)."""
        self._raw.account_request_password_reset(email)

    def reset_password(self, code: str, new_password: str) -> None:
        """Sets a new password with a reset code and ends every session of the user."""
        self._raw.account_reset_password(code, new_password)

    # ---- sessions -----------------------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> "Session":
        """Signs in. Raises :class:`~leandesk.AuthFailed` (the same for an unknown e-mail and a
        wrong password), :class:`~leandesk.RateLimited`, :class:`~leandesk.PermissionDenied`
        (R12: deactivated)."""
        return self._adopt(self._raw.sign_in(email, password))

    def resume(self, token: str) -> "Session":
        """Resumes a session from its token. Raises :class:`~leandesk.SessionExpired` or
        :class:`~leandesk.NotSignedIn`."""
        return self._adopt(self._raw.resume(token))

    def set_operator_secret(self, current: Optional[str], new_secret: str) -> None:
        """Sets the operator secret (≥ 16 characters); ``current`` None or "" the first time."""
        self._raw.operator_set_secret(current, new_secret)

    def operator_sign_in(self, secret: str) -> "Session":
        """Signs the operator in. Raises :class:`~leandesk.AuthFailed`."""
        return self._adopt(self._raw.operator_sign_in(secret))

    # ---- offline sync (replicas only) ---------------------------------------------------------

    def sync_sign_in(self, email: str, password: str) -> "Session":
        """Signs in on the replica's server, keeps the server's session token in the replica (never
        the password), and returns the user's local :class:`~leandesk.Session` on this replica,
        for every command and query. Blocks for a round trip to the server.

        A replica belongs to one user. Signing in again (after :class:`~leandesk.SessionExpired`
        from :meth:`sync_now`) keeps the queued commands. Raises :class:`~leandesk.AuthFailed`
        (wrong e-mail or password), :class:`~leandesk.NetworkError` (the server cannot be
        reached, or its certificate is not trusted), :class:`~leandesk.RateLimited`,
        :class:`~leandesk.PermissionDenied` (R12: deactivated), :class:`~leandesk.Conflict`
        (another user's replica), :class:`~leandesk.InvalidArgument` (not a replica).
        """
        return self._adopt(self._raw.sync_sign_in(email, password))

    def sync_now(self, progress: Optional[Progress] = None) -> None:
        """Pushes the queued commands to the server, then pulls every change the user may see,
        until both are done. Blocks until then, with the GIL released (other threads run, and
        may use this database meanwhile).

        ``progress(done, 0)`` is called after each batch on this thread, ``done`` counting
        commands pushed plus rows pulled; returning False cancels (:class:`~leandesk.Cancelled`),
        and an exception it raises cancels and is raised here. It may read LeanDesk but not start
        a sync. :meth:`cancel_sync` cancels from another thread. Commands the server refuses are
        undone and given to the :meth:`on_rejection` handler during this call. Nothing
        acknowledged is lost by a failure or a cancel: the next sync resumes.

        Raises :class:`~leandesk.SessionExpired` or :class:`~leandesk.NotSignedIn` (sign in again
        with :meth:`sync_sign_in`; the queue is kept), :class:`~leandesk.NetworkError` (after
        retries), :class:`~leandesk.Cancelled`, :class:`~leandesk.PermissionDenied` (R12),
        :class:`~leandesk.InvalidArgument` (not a replica). One sync runs at a time per database:
        a second call waits for the first.
        """
        self._raw.sync_now(progress)

    def cancel_sync(self) -> None:
        """Asks a running :meth:`sync_now` (on any thread) to stop at its next batch; it then
        raises :class:`~leandesk.Cancelled`. Does nothing when no sync runs."""
        self._raw.sync_cancel()

    def sync_status(self) -> SyncStatus:
        """The replica's sync state: queued commands, rejected ones, last success or error."""
        return decode(self._raw.sync_status(), SyncStatus._from)

    def on_rejection(self, handler: Optional[Callable[[SyncRejection], object]]) -> None:
        """Sets (or with None removes) the handler told of each queued command the server refused.

        ``handler(rejection)`` runs on the thread of :meth:`sync_now`, during it, after the
        command was undone on the replica. It may read and write through LeanDesk, but not start
        a sync or change the handler (:class:`~leandesk.InvalidArgument`). An exception it raises
        is logged to the ``leandesk`` logger and the sync goes on; the rejection stays counted in
        :attr:`SyncStatus.rejected`.
        """
        if handler is None:
            self._raw.sync_set_rejection_callback(None)
            return
        if not callable(handler):
            raise TypeError("the rejection handler must be callable")

        def rejected(text: str) -> None:
            try:
                handler(decode(text, SyncRejection._from))
            except Exception:
                logger.exception("leandesk: the sync rejection handler raised an exception")

        self._raw.sync_set_rejection_callback(rejected)

    # ---- anonymous usage figures --------------------------------------------------------------

    def record_usage(self, event: str, *, platform: str = "", os_version: str = "",
                     app_version: str = "", device_class: str = "") -> None:
        """Counts one anonymous event unless figures are off. Nothing identifies the user."""
        self._raw.usage_record(dump({"event": event, "platform": platform,
                                     "os_version": os_version, "app_version": app_version,
                                     "device_class": device_class}))

    @property
    def usage_enabled(self) -> bool:
        """Whether anonymous usage figures are counted (settable)."""
        return self._raw.usage_enabled()

    @usage_enabled.setter
    def usage_enabled(self, enabled: bool) -> None:
        self._raw.usage_set_enabled(bool(enabled))


