"""Input helpers: the UNSET marker of patches, database options, and JSON encoding of inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from typing import Any, Final, Mapping, Optional, Union

from ._errors import InvalidArgument

__all__ = ["UNSET", "Unset", "DatabaseOptions", "MAX_INPUT_DEPTH", "dump", "patch",
           "without_none"]

#: The deepest nesting of lists and dicts an input may have here: :func:`dump` refuses deeper
#: values with :class:`~leandesk.InvalidArgument` before ``json.dumps`` recurses into them. The
#: library itself refuses more than 32 levels.
MAX_INPUT_DEPTH: Final = 512


class Unset(Enum):
    """The type of :data:`UNSET`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: "Leave this field as it is" in update methods, where ``None`` means "clear it".
UNSET: Final = Unset.UNSET


@dataclass(frozen=True, slots=True)
class DatabaseOptions:
    """The options of ``ld_db_open``; a field left None keeps the library's default."""

    max_blob_bytes: Optional[int] = None  #: photo and avatar cap (default 10 MiB)
    session_lifetime_ms: Optional[int] = None  #: how long a session lives
    session_idle_timeout_ms: Optional[int] = None  #: idle limit (at least 60000)
    activation_token_lifetime_ms: Optional[int] = None  #: how long an activation code works
    reset_token_lifetime_ms: Optional[int] = None  #: how long a reset code works
    max_failed_sign_ins: Optional[int] = None  #: failures before rate limiting
    failed_sign_in_window_ms: Optional[int] = None  #: the window of those failures
    active_user_window_ms: Optional[int] = None  #: "active user" window
    product_name: Optional[str] = None  #: product name in mails
    link_base: Optional[str] = None  #: prefix of links in mails
    password_opslimit: Optional[int] = None  #: Argon2id cost (never below the library minimum)
    password_memlimit: Optional[int] = None  #: Argon2id memory (never below the library minimum)

    def to_json(self) -> str:
        """The options as the JSON object ``ld_db_open`` takes (unset fields left out)."""
        return dump({f.name: getattr(self, f.name) for f in fields(self)
                     if getattr(self, f.name) is not None})


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"cannot pass a {type(value).__name__} to LeanDesk")


_CONTAINERS: Final = (dict, list, tuple, set, frozenset)


def _check_depth(value: Any) -> None:
    """Raises InvalidArgument when ``value`` nests containers more than MAX_INPUT_DEPTH deep.

    Walks the value with an explicit stack, depth first, so it neither recurses nor runs long on a
    value that contains itself (that one is refused too, as too deep)."""
    unvisited: list[tuple[Any, int]] = [(value, 1)]
    while unvisited:
        item, depth = unvisited.pop()
        if depth > MAX_INPUT_DEPTH:
            raise InvalidArgument(
                -4,  # LD_EINVAL
                f"JSON input is nested too deeply (more than {MAX_INPUT_DEPTH} levels of "
                "lists and dicts)")
        children = item.values() if isinstance(item, dict) else item
        unvisited.extend((child, depth + 1) for child in children if isinstance(child, _CONTAINERS))


def dump(value: Any) -> str:
    """JSON text of an input (dates as ISO text, enums as their value); InvalidArgument when it is
    nested more than MAX_INPUT_DEPTH deep."""
    if isinstance(value, _CONTAINERS):
        _check_depth(value)
    return json.dumps(value, default=_default, separators=(",", ":"))


def without_none(**values: Any) -> dict[str, Any]:
    """The arguments given a value (for create inputs, where absent means "default")."""
    return {k: v for k, v in values.items() if v is not None}


def patch(**values: Any) -> dict[str, Any]:
    """The arguments not UNSET (for update patches, where None clears an optional field)."""
    return {k: v for k, v in values.items() if v is not UNSET}


OptionsLike = Union[DatabaseOptions, Mapping[str, Any], str, None]


def options_json(options: OptionsLike) -> Optional[str]:
    """The options as JSON text (a str is passed through unchanged)."""
    if options is None or isinstance(options, str):
        return options
    if isinstance(options, DatabaseOptions):
        return options.to_json()
    return dump(dict(options))
