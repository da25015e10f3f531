#include "progress.hpp"

#include <leandesk/leandesk.hpp>

#include <utility>

#include "callbacks.hpp"

namespace ldpy {

namespace {

// How deep this thread is inside callbacks of each kind (a callback may start another call whose
// callback runs on the same thread).
thread_local int locked_database_depth = 0;
thread_local int running_sync_depth = 0;

int& depth(Reentry what) {
    return what == Reentry::locked_database ? locked_database_depth : running_sync_depth;
}

}  // namespace

void refuse_reentry(bool controls_sync) {
    // Inside an export's progress nothing may be called (the database is locked by this very
    // thread's call); inside a sync's callbacks only what would wait for that sync is refused.
    if (locked_database_depth > 0) {
        throw ld::InvalidArgument(
            "LeanDesk cannot be called from the progress callback of an export, backup or "
            "restore: the database is locked until that call returns");
    }
    if (controls_sync && running_sync_depth > 0) {
        throw ld::InvalidArgument(
            "the progress callback or rejection handler of a sync cannot start a sync or change "
            "the rejection handler: the running sync would wait for it forever");
    }
}

ReentryScope::ReentryScope(Reentry what) : what_(what) {
    ++depth(what_);
}
ReentryScope::~ReentryScope() {
    --depth(what_);
}

PyProgress::PyProgress(py::object fn, Reentry during) : fn_(std::move(fn)), during_(during) {
    if (!fn_.is_none() && PyCallable_Check(fn_.ptr()) == 0) {
        throw py::type_error("progress must be callable or None");
    }
}

int PyProgress::trampoline(std::int64_t done, std::int64_t total, void* userdata) {
    auto* self = static_cast<PyProgress*>(userdata);
    if (!python_alive()) return 1;  // the interpreter is ending: stop the work
    py::gil_scoped_acquire locked;
    if (self->error_) return 1;  // already failed: keep cancelling
    try {
        const ReentryScope scope(self->during_);
        const py::object go_on = self->fn_(done, total);
        const int truth = PyObject_IsTrue(go_on.ptr());
        if (truth < 0) throw py::error_already_set();
        return truth == 1 ? 0 : 1;
    } catch (...) {  // a Python exception (KeyboardInterrupt included): cancel, raise it later
        self->error_ = std::current_exception();
        return 1;
    }
}

void PyProgress::finish(int rc) {
    if (error_) {
        std::exception_ptr error = std::exchange(error_, nullptr);
        std::rethrow_exception(error);  // pybind11 restores the Python exception as it was
    }
    ld::check(rc);  // same OS thread as the C call: ld_last_error() is still this call's
}

}  // namespace ldpy
