// Python callables as C callbacks (log, mail sender, clock, observers, sync rejections).
//
// Each callable is boxed and handed to the library as `userdata` with free_callback() as its
// ld_free_fn, so the library owns the reference from then on and drops it (under the GIL) when the
// callback is replaced, removed or the database closes. Trampolines may run on any thread (the
// library calls them on the thread that logs, mails, reads the clock or commits): each takes the
// GIL first, and no Python exception ever crosses into the library.
#pragma once

#include <leandesk/leandesk.h>
#include <pybind11/pybind11.h>

#include <cstdint>

namespace ldpy {

namespace py = pybind11;

/// A Python callable owned by the library.
struct PyCallback {
    py::object fn;
};

/// The ld_free_fn of every box: drops the reference under the GIL (or leaks it when the
/// interpreter is already shutting down, when touching Python objects is no longer safe).
void free_callback(void* userdata);

/// ld_log_fn: calls fn(level: int, message: str).
void log_trampoline(int level, const char* message, void* userdata);
/// ld_mail_fn: calls fn(mail_json: str); a true result means handed over.
int mail_trampoline(const char* mail_json, void* userdata);
/// ld_clock_fn: calls fn() -> int milliseconds; the system clock when it fails.
std::int64_t clock_trampoline(void* userdata);
/// ld_observer_fn: calls fn(changes_json: str).
void observer_trampoline(const char* changes_json, void* userdata);
/// ld_rejection_fn: calls fn(rejection_json: str) on the thread of the running sync, which may
/// then neither start a sync nor change the handler (ReentryScope, progress.hpp).
void rejection_trampoline(const char* rejection_json, void* userdata);

/// Whether Python objects may be touched from a library thread now.
bool python_alive() noexcept;

}  // namespace ldpy
