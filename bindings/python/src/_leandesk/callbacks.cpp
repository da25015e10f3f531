#include "callbacks.hpp"

#include "progress.hpp"

#include <chrono>

namespace ldpy {

bool python_alive() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsInitialized() != 0 && Py_IsFinalizing() == 0;
#else
    return Py_IsInitialized() != 0 && _Py_IsFinalizing() == 0;
#endif
}

void free_callback(void* userdata) {
    auto* box = static_cast<PyCallback*>(userdata);
    if (box == nullptr) return;
    if (!python_alive()) {
        // Dropping a reference without a live interpreter would crash; the process is ending.
        (void)box->fn.release();
        delete box;
        return;
    }
    py::gil_scoped_acquire locked;
    delete box;
}

namespace {

// The Python layer wraps every user callable so that it never raises; this is the last line of
// defence (a bug in that wrapper, a KeyboardInterrupt): report it as "unraisable" and go on.
void report(py::error_already_set& e, const char* where) {
    e.discard_as_unraisable(where);
}

std::int64_t system_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

void log_trampoline(int level, const char* message, void* userdata) {
    if (!python_alive()) return;
    py::gil_scoped_acquire locked;
    try {
        static_cast<PyCallback*>(userdata)->fn(level, py::str(message != nullptr ? message : ""));
    } catch (py::error_already_set& e) {
        report(e, "leandesk log callback");
    } catch (...) {  // e.g. a message that is not valid UTF-8: a log line is not worth failing for
    }
}

int mail_trampoline(const char* mail_json, void* userdata) {
    if (!python_alive()) return 1;
    py::gil_scoped_acquire locked;
    try {
        const py::object handed =
            static_cast<PyCallback*>(userdata)->fn(py::str(mail_json != nullptr ? mail_json : ""));
        return PyObject_IsTrue(handed.ptr()) == 1 ? 0 : 1;
    } catch (py::error_already_set& e) {
        report(e, "leandesk mail sender");
        return 1;
    } catch (...) {
        return 1;
    }
}

std::int64_t clock_trampoline(void* userdata) {
    if (!python_alive()) return system_now_ms();
    py::gil_scoped_acquire locked;
    try {
        return static_cast<PyCallback*>(userdata)->fn().cast<std::int64_t>();
    } catch (py::error_already_set& e) {
        report(e, "leandesk clock");
    } catch (...) {  // not an int: fall back below
    }
    return system_now_ms();
}

void observer_trampoline(const char* changes_json, void* userdata) {
    if (!python_alive()) return;
    py::gil_scoped_acquire locked;
    try {
        static_cast<PyCallback*>(userdata)->fn(
            py::str(changes_json != nullptr ? changes_json : "[]"));
    } catch (py::error_already_set& e) {
        report(e, "leandesk observer");
    } catch (...) {
    }
}

void rejection_trampoline(const char* rejection_json, void* userdata) {
    if (!python_alive()) return;
    py::gil_scoped_acquire locked;
    const ReentryScope scope(Reentry::running_sync);
    try {
        static_cast<PyCallback*>(userdata)->fn(
            py::str(rejection_json != nullptr ? rejection_json : "{}"));
    } catch (py::error_already_set& e) {
        report(e, "leandesk sync rejection handler");
    } catch (...) {  // the sync goes on; the rejection stays counted in sync_status()
    }
}

}  // namespace ldpy
