"""Every function of the C API (leandesk.h, export.h, sync.h) is bound by the native module and
used by the Python layer, so a function added to the C API without a binding fails here."""

from __future__ import annotations

import os
import pathlib
import re

import leandesk
from leandesk import _leandesk

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(os.environ.get("LEANDESK_SOURCE_DIR", HERE.parents[2]))
NATIVE = HERE.parent / "src" / "_leandesk"
PACKAGE = pathlib.Path(leandesk.__file__).parent

# Used inside the native layer rather than exposed as methods.
INSIDE = {
    "ld_string_free": "OwnedString",
    "ld_bytes_free": "blob_read",
    "ld_last_error": "ld::check (leandesk.hpp)",
    "ld_last_error_code": "ld::check (leandesk.hpp)",
    # kept in ld::RateLimited/ld::Busy::retry_after(), passed to the error factory: retry_after
    "ld_last_error_retry_after_ms": "ld::check (leandesk.hpp)",
    "ld_db_open": "ld::Database (leandesk.hpp)",
    "ld_db_close": "ld::Database (leandesk.hpp)",
    "ld_session_sign_in": "ld::Session::sign_in (leandesk.hpp)",
    "ld_session_resume": "ld::Session::resume (leandesk.hpp)",
    "ld_operator_sign_in": "ld::Session::operator_sign_in (leandesk.hpp)",
    "ld_session_free": "ld::Session (leandesk.hpp)",
    "ld_check_version": "ld::check_version (leandesk.hpp)",
    "ld_sync_open": "ld::Database::open_replica (leandesk.hpp)",
    "ld_sync_sign_in": "ld::Session::sync_sign_in (leandesk.hpp)",
}
HEADERS = ("leandesk.h", "export.h", "sync.h")


def c_functions(header: str) -> list[str]:
    text = (SOURCE / "include" / "leandesk" / header).read_text()
    return re.findall(r"LD_API[^;(]*?\b(ld_[a-z0-9_]+)\s*\(", text)


def test_every_c_function_is_called_by_the_native_module() -> None:
    assert len(c_functions("leandesk.h")) > 80
    assert len(c_functions("export.h")) == 5 and len(c_functions("sync.h")) == 7
    functions = [f for header in HEADERS for f in c_functions(header)]
    native = "\n".join(p.read_text() for p in NATIVE.glob("*.cpp"))
    missing = [f for f in functions
               if f not in INSIDE and not re.search(rf"\b{f}\b", native)]
    assert missing == []


def test_the_retry_after_wait_reaches_the_python_exception() -> None:
    # ld_last_error_retry_after_ms() is read by ld::check; the native layer must hand the wait on
    native = (NATIVE / "module.cpp").read_text()
    assert re.search(r"error_factory\)\([^;]*retry_after_ms\(e\)", native)
    assert "retry_after" in (PACKAGE / "_errors.py").read_text()


def test_every_native_method_is_used_by_the_python_layer() -> None:
    python = "\n".join(p.read_text() for p in PACKAGE.glob("*.py"))
    for cls in (_leandesk.Database, _leandesk.Session):
        methods = [m for m in vars(cls) if not m.startswith("_") and m != "is_open"]
        # Instance methods through a handle (`self._raw.m(`), static ones through the class.
        unused = [m for m in methods
                  if not re.search(rf"(_raw|_leandesk\.{cls.__name__})\.{m}\(", python)]
        assert unused == [], cls.__name__


def test_the_stub_lists_every_native_method() -> None:
    stub = (PACKAGE / "_leandesk.pyi").read_text()
    for cls in (_leandesk.Database, _leandesk.Session):
        for m in vars(cls):
            if not m.startswith("_"):
                assert re.search(rf"def {m}\(|def {m}\b", stub), m
