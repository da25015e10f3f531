// Python callables as the ld_progress_fn of long calls (export, backup, restore, sync), and the
// re-entry guards of callbacks that run while the library holds a lock.
//
// A progress callable runs on the thread of the call, during the call only: the call releases the
// GIL and the trampoline takes it back for each report. A Python exception raised by the callable
// cannot cross the C library, so it is kept, the work is cancelled (the trampoline returns
// non-zero) and the exception is raised again to the caller once the C call has returned — in
// place of the library's LD_ECANCELLED.
#pragma once

#include <leandesk/leandesk.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <exception>

namespace ldpy {

namespace py = pybind11;

/// A callback that runs while the library holds a lock the callback must not wait for.
enum class Reentry {
    /// The progress of an export, backup or restore: the database is locked, so no LeanDesk call
    /// at all may be made from it.
    locked_database,
    /// Anything run on the thread of a sync_now() (its progress, the rejection handler,
    /// observers of pulled changes): the running sync holds the database's sync (and, for the
    /// handler, the handler's slot), so it may not start a sync or change the rejection handler.
    running_sync,
};

/// Raises InvalidArgument when this thread is inside a callback (see ReentryScope) from which
/// the current call would wait forever for the call that runs the callback. `controls_sync`: the
/// call is sync_now() or sets the rejection handler. Every native method calls it first.
void refuse_reentry(bool controls_sync = false);

/// Marks this thread as inside a callback of kind `what` for its lifetime.
class ReentryScope {
  public:
    explicit ReentryScope(Reentry what);
    ~ReentryScope();
    ReentryScope(const ReentryScope&) = delete;
    ReentryScope& operator=(const ReentryScope&) = delete;

  private:
    Reentry what_;
};

/// Forwards one C call's progress to a Python callable (or to nothing when it is None).
class PyProgress {
  public:
    /// `fn`: None or a callable (done, total) -> bool; a false result cancels. `during`: what
    /// the library holds while it reports (ReentryScope around each report).
    PyProgress(py::object fn, Reentry during);

    /// The function to hand to the C API (NULL without a callable).
    ld_progress_fn fn() const noexcept { return fn_.is_none() ? nullptr : &trampoline; }
    /// The userdata to hand to the C API.
    void* userdata() noexcept { return this; }

    /// Runs `call` (returning a status) with the GIL released, then raises the callable's
    /// exception if it raised one, else the error matching the status. Needs the GIL.
    template <typename Call>
    void run(Call&& call) {
        int rc = 0;
        {
            py::gil_scoped_release unlocked;
            rc = call();
        }
        finish(rc);
    }

  private:
    static int trampoline(std::int64_t done, std::int64_t total, void* userdata);
    void finish(int rc);

    py::object fn_;
    Reentry during_;
    std::exception_ptr error_;  // the callable's exception; made and dropped with the GIL held
};

}  // namespace ldpy
