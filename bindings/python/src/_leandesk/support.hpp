// Shared helpers of the extension module: turning Python text into C strings, calling the C API
// with the GIL released, owning what it returns, and the "handle closed" error.
#pragma once

#include <pybind11/pybind11.h>
#include <leandesk/leandesk.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace ldpy {

namespace py = pybind11;

/// Thrown for a call through a handle that was closed; the error factory turns it into
/// leandesk.HandleClosed (an InvalidArgument, code LD_EINVAL).
class HandleClosed : public ld::InvalidArgument {
  public:
    explicit HandleClosed(const std::string& what) : ld::InvalidArgument(what) {}
};

/// The UTF-8 bytes of a Python str, borrowed from the str object (which the caller keeps alive,
/// so they stay valid while the GIL is released). A lone surrogate or an embedded NUL would reach
/// the library as something else than what the caller wrote: both are LD_EINVAL here.
inline const char* utf8(const py::str& text, const char* what) {
    Py_ssize_t size = 0;
    const char* p = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
    if (p == nullptr) {
        PyErr_Clear();
        throw ld::InvalidArgument(std::string(what) + " is not valid Unicode text");
    }
    if (std::memchr(p, '\0', static_cast<std::size_t>(size)) != nullptr) {
        throw ld::InvalidArgument(std::string(what) + " contains a NUL character");
    }
    return p;
}

/// Like utf8(), with None giving NULL.
inline const char* utf8_or_null(const py::object& text, const char* what) {
    if (text.is_none()) return nullptr;
    if (!py::isinstance<py::str>(text)) {
        throw py::type_error(std::string(what) + " must be a str or None");
    }
    return utf8(py::reinterpret_borrow<py::str>(text), what);
}

/// Owns a string returned by the C API (freed with ld_string_free()).
struct OwnedString {
    char* p = nullptr;
    OwnedString() = default;
    OwnedString(const OwnedString&) = delete;
    OwnedString& operator=(const OwnedString&) = delete;
    ~OwnedString() { ld_string_free(p); }
    /// The text as a Python str ("null" when the library returned NULL). Needs the GIL.
    py::str str() const { return py::str(p != nullptr ? p : "null"); }
};

/// Runs `call` (a C call returning a status) with the GIL released, so that other Python threads
/// run meanwhile and callbacks from other threads can take the GIL; then raises the matching
/// error for a failure.
template <typename Call>
void invoke(Call&& call) {
    int rc = 0;
    {
        py::gil_scoped_release unlocked;
        rc = call();
    }
    ld::check(rc);  // same OS thread: ld_last_error() is still this call's
}

/// Runs `call(char** out)` like invoke() and returns the JSON text it produced.
template <typename Call>
py::str invoke_out(Call&& call) {
    OwnedString out;
    invoke([&] { return call(&out.p); });
    return out.str();
}

}  // namespace ldpy
