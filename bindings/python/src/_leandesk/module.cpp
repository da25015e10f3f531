// leandesk._leandesk: the thin native layer of the Python binding.
//
// Two handle classes over the C++ wrapper leandesk.hpp (ld::Database, ld::Session, ld::check and
// its error classes), with one method per C function, named after it without the "ld_" prefix
// (and without "session_" for the session functions). Entity results are handed to Python as the
// JSON text of the C API: the pure-Python layer (leandesk/_entities.py) turns it into dataclasses
// with the C-accelerated json module, which is cheaper than building Python objects from C++
// structs field by field. Every C call runs with the GIL released; the long ones (export, backup,
// restore, sync) take a Python progress callable (progress.hpp).
#include <pybind11/pybind11.h>
#include <leandesk/leandesk.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "callbacks.hpp"
#include "progress.hpp"
#include "support.hpp"

namespace py = pybind11;
using ldpy::invoke;
using ldpy::invoke_out;
using ldpy::PyProgress;
using ldpy::Reentry;
using ldpy::utf8;
using ldpy::utf8_or_null;

namespace {

// The Python callable that turns (code, message, closed) into a leandesk.LeanDeskError subclass
// instance; set by leandesk/_errors.py at import. Leaked on purpose: it lives as long as the
// interpreter, and destroying it at exit would need the GIL.
py::object* error_factory = nullptr;

class PySession;

// Drops a handle with the GIL released when this thread holds it: freeing a session or closing a
// database may wait for a call running on another thread, whose callbacks may be waiting for the
// GIL. Used by the destructors, which run at garbage collection with the GIL held.
template <typename T>
void drop_unlocked(std::shared_ptr<T>& handle) {
    if (handle && ldpy::python_alive() && PyGILState_Check() != 0) {
        py::gil_scoped_release unlocked;
        handle.reset();
    }
    handle.reset();
}

/// One open database. Calls take a counted reference to the ld::Database first, so a close() from
/// another thread only frees the handle once the calls running on it have returned.
class PyDatabase {
  public:
    PyDatabase(const py::str& path, const py::object& options_json) {
        ldpy::refuse_reentry();
        const char* p = utf8(path, "path");
        const ld::json parsed = parse_options(options_json);
        std::string path_text(p);
        py::gil_scoped_release unlocked;  // opening may migrate a file
        db_ = std::make_shared<ld::Database>(path_text, parsed);
    }

    /// Opens (creating if needed) a replica of the server at `server_url` (ld_sync_open(), through
    /// ld::Database::open_replica(), where an empty CA file or pin means none).
    static std::unique_ptr<PyDatabase> sync_open(const py::str& path,
                                                 const py::object& options_json,
                                                 const py::str& server_url,
                                                 const py::object& ca_file,
                                                 const py::object& pinned_key) {
        ldpy::refuse_reentry();
        const char* ca = utf8_or_null(ca_file, "ca_file");
        const char* pin = utf8_or_null(pinned_key, "pinned_key");
        const ld::ReplicaOptions replica{utf8(server_url, "server_url"), ca != nullptr ? ca : "",
                                         pin != nullptr ? pin : ""};
        const ld::json options = parse_options(options_json);
        const std::string path_text(utf8(path, "path"));
        std::unique_ptr<PyDatabase> self(new PyDatabase());
        py::gil_scoped_release unlocked;  // opening may migrate a file
        self->db_ =
            std::make_shared<ld::Database>(ld::Database::open_replica(path_text, replica, options));
        return self;
    }

    PyDatabase(const PyDatabase&) = delete;
    PyDatabase& operator=(const PyDatabase&) = delete;
    ~PyDatabase() { drop_unlocked(db_); }

    void close() {
        std::shared_ptr<ld::Database> db = std::move(db_);
        py::gil_scoped_release unlocked;  // ld_db_close() frees callbacks, which take the GIL
        db.reset();
    }
    bool is_open() const { return db_ != nullptr; }

    /// The counted handle, or HandleClosed; InvalidArgument from a callback that may not call
    /// LeanDesk (progress.hpp).
    std::shared_ptr<ld::Database> live(bool controls_sync = false) const {
        ldpy::refuse_reentry(controls_sync);
        if (!db_) throw ldpy::HandleClosed("the database is closed");
        return db_;
    }

    py::str storage_info() {
        auto db = live();
        return invoke_out([&](char** out) { return ld_db_storage_info(out, db->handle()); });
    }
    void checkpoint() {
        auto db = live();
        invoke([&] { return ld_db_checkpoint(db->handle()); });
    }
    py::str changes_since(std::int64_t after_seq, std::int64_t limit) {
        auto db = live();
        return invoke_out(
            [&](char** out) { return ld_db_changes_since(out, db->handle(), after_seq, limit); });
    }

    // ---- callbacks ----------------------------------------------------------------------------

    template <typename Setter, typename Trampoline>
    void set_callback(Setter setter, Trampoline trampoline, const py::object& fn) {
        auto db = live();
        if (fn.is_none()) {
            invoke([&] { return setter(db->handle(), nullptr, nullptr, nullptr); });
            return;
        }
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("the callback must be callable");
        auto box = std::make_unique<ldpy::PyCallback>(ldpy::PyCallback{fn});
        int rc = 0;
        {
            py::gil_scoped_release unlocked;
            rc = setter(db->handle(), trampoline, box.get(), &ldpy::free_callback);
        }
        if (rc == LD_OK) (void)box.release();  // the library owns it now
        ld::check(rc);                         // on failure the box is still ours: freed here
    }
    void set_log(const py::object& fn) { set_callback(ld_db_set_log, ldpy::log_trampoline, fn); }
    void set_mail_sender(const py::object& fn) {
        set_callback(ld_db_set_mail_sender, ldpy::mail_trampoline, fn);
    }
    void set_clock(const py::object& fn) {
        set_callback(ld_db_set_clock, ldpy::clock_trampoline, fn);
    }

    std::uint64_t add_observer(const py::object& fn) {
        auto db = live();
        if (!PyCallable_Check(fn.ptr())) throw py::type_error("the observer must be callable");
        auto box = std::make_unique<ldpy::PyCallback>(ldpy::PyCallback{fn});
        std::uint64_t id = 0;
        int rc = 0;
        {
            py::gil_scoped_release unlocked;
            rc = ld_db_add_observer(&id, db->handle(), ldpy::observer_trampoline, box.get(),
                                    &ldpy::free_callback);
        }
        if (rc == LD_OK) (void)box.release();
        ld::check(rc);
        return id;
    }
    void remove_observer(std::uint64_t id) {
        auto db = live();
        invoke([&] { return ld_db_remove_observer(db->handle(), id); });
    }

    // ---- accounts -----------------------------------------------------------------------------

    py::str account_sign_up(const py::str& input) {
        auto db = live();
        const char* in = utf8(input, "input");
        return invoke_out([&](char** out) { return ld_account_sign_up(out, db->handle(), in); });
    }
    void account_resend_activation(const py::str& email) {
        auto db = live();
        const char* e = utf8(email, "email");
        invoke([&] { return ld_account_resend_activation(db->handle(), e); });
    }
    py::str account_activate(const py::str& code) {
        auto db = live();
        const char* c = utf8(code, "code");
        return invoke_out([&](char** out) { return ld_account_activate(out, db->handle(), c); });
    }
    void account_request_password_reset(const py::str& email) {
        auto db = live();
        const char* e = utf8(email, "email");
        invoke([&] { return ld_account_request_password_reset(db->handle(), e); });
    }
    void account_reset_password(const py::str& code, const py::str& new_password) {
        auto db = live();
        const char* c = utf8(code, "code");
        const char* p = utf8(new_password, "new_password");
        invoke([&] { return ld_account_reset_password(db->handle(), c, p); });
    }
    void operator_set_secret(const py::object& current, const py::str& new_secret) {
        auto db = live();
        const char* c = utf8_or_null(current, "current");
        const char* n = utf8(new_secret, "new_secret");
        invoke([&] { return ld_operator_set_secret(db->handle(), c, n); });
    }

    // ---- usage figures ------------------------------------------------------------------------

    void usage_record(const py::str& event_json) {
        auto db = live();
        const char* e = utf8(event_json, "event");
        invoke([&] { return ld_usage_record(db->handle(), e); });
    }
    void usage_set_enabled(bool enabled) {
        auto db = live();
        invoke([&] { return ld_usage_set_enabled(db->handle(), enabled ? 1 : 0); });
    }
    bool usage_enabled() {
        auto db = live();
        int on = 0;
        invoke([&] { return ld_usage_enabled(&on, db->handle()); });
        return on != 0;
    }

    // ---- sync (replicas only: InvalidArgument otherwise) --------------------------------------

    void sync_now(const py::object& progress) {
        auto db = live(/*controls_sync=*/true);
        PyProgress call(progress, Reentry::running_sync);
        // For the whole call, not only its progress: the rejection handler and the observers told
        // of pulled changes run on this thread too, while the sync holds what they would wait for.
        const ldpy::ReentryScope syncing(Reentry::running_sync);
        call.run([&] { return ld_sync_now(db->handle(), call.fn(), call.userdata()); });
    }
    void sync_cancel() {
        auto db = live();
        invoke([&] { return ld_sync_cancel(db->handle()); });
    }
    py::str sync_status() {
        auto db = live();
        return invoke_out([&](char** out) { return ld_sync_status(out, db->handle()); });
    }
    void sync_set_rejection_callback(const py::object& fn) {
        live(/*controls_sync=*/true);
        set_callback(ld_sync_set_rejection_callback, ldpy::rejection_trampoline, fn);
    }

    // ---- sessions (defined after PySession) ---------------------------------------------------
    PySession sync_sign_in(const py::str& email, const py::str& password);
    PySession sign_in(const py::str& email, const py::str& password);
    PySession resume(const py::str& token);
    PySession operator_sign_in(const py::str& secret);

  private:
    PyDatabase() = default;  // for sync_open()

    // The options as the JSON object the wrapper takes (null for None).
    static ld::json parse_options(const py::object& options_json) {
        const char* options = utf8_or_null(options_json, "options");
        if (options == nullptr) return nullptr;
        ld::json parsed = ld::json::parse(options, nullptr, /*allow_exceptions=*/false);
        if (parsed.is_discarded()) throw ld::InvalidArgument("options are not valid JSON");
        return parsed;
    }

    std::shared_ptr<ld::Database> db_;
};

/// One session handle (ld::Session keeps its database open).
class PySession {
  public:
    explicit PySession(ld::Session s) : s_(std::make_shared<ld::Session>(std::move(s))) {}

    PySession(const PySession&) = delete;
    PySession& operator=(const PySession&) = delete;
    PySession(PySession&&) noexcept = default;
    PySession& operator=(PySession&&) noexcept = default;
    ~PySession() { drop_unlocked(s_); }

    void close() {
        std::shared_ptr<ld::Session> s = std::move(s_);
        py::gil_scoped_release unlocked;  // may close the database (and free its callbacks)
        s.reset();
    }
    bool is_open() const { return s_ != nullptr; }

    std::shared_ptr<ld::Session> live() const {
        ldpy::refuse_reentry();
        if (!s_) throw ldpy::HandleClosed("the session is closed");
        return s_;
    }

    // Generic shapes of the session functions (the template argument is the C function).
    template <int (*Fn)(char**, ld_session*)>
    py::str out0() {
        auto s = live();
        return invoke_out([&](char** out) { return Fn(out, s->handle()); });
    }
    template <int (*Fn)(char**, ld_session*, const char*)>
    py::str out1(const py::str& a) {
        auto s = live();
        const char* pa = utf8(a, "argument");
        return invoke_out([&](char** out) { return Fn(out, s->handle(), pa); });
    }
    template <int (*Fn)(char**, ld_session*, const char*, const char*)>
    py::str out2(const py::str& a, const py::str& b) {
        auto s = live();
        const char* pa = utf8(a, "argument");
        const char* pb = utf8(b, "argument");
        return invoke_out([&](char** out) { return Fn(out, s->handle(), pa, pb); });
    }
    template <int (*Fn)(ld_session*)>
    void void0() {
        auto s = live();
        invoke([&] { return Fn(s->handle()); });
    }
    template <int (*Fn)(ld_session*, const char*)>
    void void1(const py::str& a) {
        auto s = live();
        const char* pa = utf8(a, "argument");
        invoke([&] { return Fn(s->handle(), pa); });
    }
    template <int (*Fn)(ld_session*, const char*, const char*)>
    void void2(const py::str& a, const py::str& b) {
        auto s = live();
        const char* pa = utf8(a, "argument");
        const char* pb = utf8(b, "argument");
        invoke([&] { return Fn(s->handle(), pa, pb); });
    }

    // The functions with other shapes.
    py::str execute(const py::str& command, const py::object& args_json) {
        auto s = live();
        const char* c = utf8(command, "command");
        const char* a = utf8_or_null(args_json, "args");
        return invoke_out([&](char** out) { return ld_session_execute(out, s->handle(), c, a); });
    }
    py::str me_set_avatar(const py::bytes& image) {
        auto s = live();
        const std::string_view bytes = image;  // borrowed from the (immutable) bytes object
        return invoke_out([&](char** out) {
            return ld_me_set_avatar(out, s->handle(),
                                    reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size());
        });
    }
    py::str me_acknowledge_policy(std::int64_t version) {
        auto s = live();
        return invoke_out(
            [&](char** out) { return ld_me_acknowledge_policy(out, s->handle(), version); });
    }
    py::str step_move(const py::str& step_id, std::int64_t position) {
        auto s = live();
        const char* id = utf8(step_id, "step_id");
        return invoke_out([&](char** out) { return ld_step_move(out, s->handle(), id, position); });
    }
    py::str action_move(const py::str& action_id, const py::str& step_id,
                        const py::object& before_id) {
        auto s = live();
        const char* a = utf8(action_id, "action_id");
        const char* st = utf8(step_id, "step_id");
        const char* b = utf8_or_null(before_id, "before_id");
        return invoke_out([&](char** out) { return ld_action_move(out, s->handle(), a, st, b); });
    }
    py::str indicator_set_value(const py::str& indicator_id, const py::str& week, double actual) {
        auto s = live();
        const char* i = utf8(indicator_id, "indicator_id");
        const char* w = utf8(week, "week");
        return invoke_out(
            [&](char** out) { return ld_indicator_set_value(out, s->handle(), i, w, actual); });
    }
    py::str photo_add(const py::str& action_id, const py::bytes& image,
                      const py::object& input_json) {
        auto s = live();
        const char* a = utf8(action_id, "action_id");
        const char* in = utf8_or_null(input_json, "input");
        const std::string_view bytes = image;
        return invoke_out([&](char** out) {
            return ld_photo_add(out, s->handle(), a,
                                reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                                in);
        });
    }
    py::bytes blob_read(const py::str& hash) {
        auto s = live();
        const char* h = utf8(hash, "hash");
        std::uint8_t* raw = nullptr;
        std::size_t size = 0;
        int rc = 0;
        {
            py::gil_scoped_release unlocked;
            rc = ld_blob_read(&raw, &size, s->handle(), h);
        }
        const std::unique_ptr<std::uint8_t, void (*)(std::uint8_t*)> bytes(raw, &ld_bytes_free);
        ld::check(rc);
        return py::bytes(reinterpret_cast<const char*>(raw), size);
    }
    py::str operator_set_user_deactivated(const py::str& user_id, bool deactivated) {
        auto s = live();
        const char* u = utf8(user_id, "user_id");
        return invoke_out([&](char** out) {
            return ld_operator_set_user_deactivated(out, s->handle(), u, deactivated ? 1 : 0);
        });
    }

    // ---- export, backup, reports (export.h) ---------------------------------------------------
    // The progress of these runs with the database locked: it may not call LeanDesk.

    void group_export_xlsx(const py::str& group_id, const py::str& path,
                           const py::object& progress) {
        auto s = live();
        const char* g = utf8(group_id, "group_id");
        const char* p = utf8(path, "path");
        PyProgress call(progress, Reentry::locked_database);
        call.run(
            [&] { return ld_group_export_xlsx(s->handle(), g, p, call.fn(), call.userdata()); });
    }
    void group_backup(const py::str& group_id, const py::str& folder, const py::object& progress) {
        auto s = live();
        const char* g = utf8(group_id, "group_id");
        const char* f = utf8(folder, "folder");
        PyProgress call(progress, Reentry::locked_database);
        call.run([&] { return ld_group_backup(s->handle(), g, f, call.fn(), call.userdata()); });
    }
    py::str group_restore(const py::str& folder, const py::object& progress) {
        auto s = live();
        const char* f = utf8(folder, "folder");
        PyProgress call(progress, Reentry::locked_database);
        ldpy::OwnedString out;
        call.run(
            [&] { return ld_group_restore(&out.p, s->handle(), f, call.fn(), call.userdata()); });
        return out.str();
    }
    py::tuple project_report(const py::str& project_id) {
        auto s = live();
        const char* p = utf8(project_id, "project_id");
        ldpy::OwnedString html;
        ldpy::OwnedString text;
        invoke([&] { return ld_project_report(&html.p, &text.p, s->handle(), p); });
        return py::make_tuple(html.str(), text.str());
    }

  private:
    std::shared_ptr<ld::Session> s_;
};

PySession PyDatabase::sync_sign_in(const py::str& email, const py::str& password) {
    auto db = live();
    const char* e = utf8(email, "email");
    const char* p = utf8(password, "password");
    py::gil_scoped_release unlocked;  // a round trip to the server
    return PySession(ld::Session::sync_sign_in(*db, e, p));
}
PySession PyDatabase::sign_in(const py::str& email, const py::str& password) {
    auto db = live();
    const char* e = utf8(email, "email");
    const char* p = utf8(password, "password");
    py::gil_scoped_release unlocked;  // Argon2id verification is the slow part
    return PySession(ld::Session::sign_in(*db, e, p));
}
PySession PyDatabase::resume(const py::str& token) {
    auto db = live();
    const char* t = utf8(token, "token");
    py::gil_scoped_release unlocked;
    return PySession(ld::Session::resume(*db, t));
}
PySession PyDatabase::operator_sign_in(const py::str& secret) {
    auto db = live();
    const char* s = utf8(secret, "secret");
    py::gil_scoped_release unlocked;
    return PySession(ld::Session::operator_sign_in(*db, s));
}

// The server's time to wait that came with `e`, in milliseconds, or -1: ld::check (leandesk.hpp)
// read it on the failing call's thread, right after the call, and kept it in ld::RateLimited and
// ld::Busy.
std::int64_t retry_after_ms(const ld::Error& e) {
    std::optional<std::chrono::milliseconds> wait;
    if (const auto* limited = dynamic_cast<const ld::RateLimited*>(&e))
        wait = limited->retry_after();
    if (const auto* busy = dynamic_cast<const ld::Busy*>(&e)) wait = busy->retry_after();
    return wait ? static_cast<std::int64_t>(wait->count()) : -1;
}

// Raises the leandesk error for an ld::Error (through the factory set by leandesk._errors).
void translate(std::exception_ptr p) {
    try {
        if (p) std::rethrow_exception(p);
    } catch (const ld::Error& e) {
        const bool closed = dynamic_cast<const ldpy::HandleClosed*>(&e) != nullptr;
        if (error_factory == nullptr) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
            return;
        }
        try {
            py::object err =
                (*error_factory)(e.code(), py::str(e.what()), closed, retry_after_ms(e));
            PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
        } catch (py::error_already_set& inner) {
            inner.restore();
        }
    }
}

}  // namespace

PYBIND11_MODULE(_leandesk, m) {
    m.doc() = "Thin native layer of the LeanDesk binding (use the leandesk package instead).";

    m.def(
        "version", [] { return std::string(ld_version()); }, "The library's version string.");
    m.def(
        "version_number", [] { return ld_version_number(); }, "The library's version number.");
    m.attr("HEADER_VERSION_NUMBER") = LD_VERSION_NUMBER;
    m.def(
        "check_version", [] { ld::check_version(); },
        "Raises Conflict when the linked library cannot serve this module's header.");
    m.def(
        "error_name", [](int code) { return std::string(ld_error_name(code)); },
        "The short stable name of a status code.");
    m.def(
        "_set_error_factory",
        [](py::object factory) {
            if (error_factory == nullptr) error_factory = new py::object();
            *error_factory = std::move(factory);
        },
        "Sets the callable (code, message, closed, retry_after_ms) -> exception used for failed "
        "calls.");
    py::register_exception_translator(&translate);

    py::class_<PySession>(m, "Session", "A session handle (ld_session).")
        .def("close", &PySession::close, "Frees the handle (the session stays valid).")
        .def_property_readonly("is_open", &PySession::is_open)
        .def("sign_out", &PySession::void0<ld_session_sign_out>)
        .def("token", &PySession::out0<ld_session_token>)
        .def("info", &PySession::out0<ld_session_info>)
        .def("execute", &PySession::execute, py::arg("command"), py::arg("args_json").none(true))
        .def("me_get", &PySession::out0<ld_me_get>)
        .def("me_update", &PySession::out1<ld_me_update>)
        .def("me_request_email_change", &PySession::void1<ld_me_request_email_change>)
        .def("me_change_password", &PySession::void2<ld_me_change_password>)
        .def("me_set_avatar", &PySession::me_set_avatar)
        .def("me_acknowledge_policy", &PySession::me_acknowledge_policy)
        .def("me_delete_account", &PySession::void1<ld_me_delete_account>)
        .def("dashboard_get", &PySession::out0<ld_dashboard_get>)
        .def("group_create", &PySession::out1<ld_group_create>)
        .def("group_get", &PySession::out1<ld_group_get>)
        .def("group_list", &PySession::out0<ld_group_list>)
        .def("group_update", &PySession::out2<ld_group_update>)
        .def("group_delete", &PySession::void1<ld_group_delete>)
        .def("group_members", &PySession::out1<ld_group_members>)
        .def("group_add_member", &PySession::out2<ld_group_add_member>)
        .def("group_remove_member", &PySession::void2<ld_group_remove_member>)
        .def("group_leave", &PySession::void1<ld_group_leave>)
        .def("group_transfer", &PySession::out2<ld_group_transfer>)
        .def("group_projects", &PySession::out1<ld_group_projects>)
        .def("step_list", &PySession::out1<ld_step_list>)
        .def("step_add", &PySession::out2<ld_step_add>)
        .def("step_update", &PySession::out2<ld_step_update>)
        .def("step_move", &PySession::step_move)
        .def("step_remove", &PySession::void1<ld_step_remove>)
        .def("resource_list", &PySession::out1<ld_resource_list>)
        .def("resource_add", &PySession::out2<ld_resource_add>)
        .def("resource_update", &PySession::out2<ld_resource_update>)
        .def("resource_remove", &PySession::void1<ld_resource_remove>)
        .def("project_create", &PySession::out1<ld_project_create>)
        .def("project_get", &PySession::out1<ld_project_get>)
        .def("project_list", &PySession::out0<ld_project_list>)
        .def("project_update", &PySession::out2<ld_project_update>)
        .def("project_delete", &PySession::void1<ld_project_delete>)
        .def("project_participants", &PySession::out1<ld_project_participants>)
        .def("project_add_participant", &PySession::out2<ld_project_add_participant>)
        .def("project_remove_participant", &PySession::void2<ld_project_remove_participant>)
        .def("project_leave", &PySession::void1<ld_project_leave>)
        .def("project_transfer", &PySession::out2<ld_project_transfer>)
        .def("project_actions", &PySession::out1<ld_project_actions>)
        .def("project_review", &PySession::out1<ld_project_review>)
        .def("project_indicators", &PySession::out1<ld_project_indicators>)
        .def("project_report_recipients", &PySession::out2<ld_project_report_recipients>)
        .def("action_create", &PySession::out1<ld_action_create>)
        .def("action_get", &PySession::out1<ld_action_get>)
        .def("action_update", &PySession::out2<ld_action_update>)
        .def("action_move", &PySession::action_move, py::arg("action_id"), py::arg("step_id"),
             py::arg("before_id").none(true))
        .def("action_delete", &PySession::void1<ld_action_delete>)
        .def("comment_add", &PySession::out2<ld_comment_add>)
        .def("comment_delete", &PySession::void1<ld_comment_delete>)
        .def("indicator_create", &PySession::out1<ld_indicator_create>)
        .def("indicator_update", &PySession::out2<ld_indicator_update>)
        .def("indicator_delete", &PySession::void1<ld_indicator_delete>)
        .def("indicator_set_value", &PySession::indicator_set_value)
        .def("indicator_clear_value", &PySession::void2<ld_indicator_clear_value>)
        .def("indicator_curve", &PySession::out1<ld_indicator_curve>)
        .def("photo_add", &PySession::photo_add, py::arg("action_id"), py::arg("image"),
             py::arg("input_json").none(true))
        .def("photo_remove", &PySession::void1<ld_photo_remove>)
        .def("blob_read", &PySession::blob_read)
        .def("operator_get_user", &PySession::out1<ld_operator_get_user>)
        .def("operator_set_user_status", &PySession::out2<ld_operator_set_user_status>)
        .def("operator_set_user_deactivated", &PySession::operator_set_user_deactivated)
        .def("operator_change_login_email", &PySession::out2<ld_operator_change_login_email>)
        .def("operator_reset_password", &PySession::void1<ld_operator_reset_password>)
        .def("operator_publish_policy", &PySession::out1<ld_operator_publish_policy>)
        .def("operator_active_users", &PySession::out0<ld_operator_active_users>)
        .def("operator_newsletter_recipients", &PySession::out0<ld_operator_newsletter_recipients>)
        .def("operator_usage_report", &PySession::out0<ld_operator_usage_report>)
        .def("group_export_xlsx", &PySession::group_export_xlsx, py::arg("group_id"),
             py::arg("path"), py::arg("progress").none(true))
        .def("group_backup", &PySession::group_backup, py::arg("group_id"), py::arg("folder"),
             py::arg("progress").none(true))
        .def("group_restore", &PySession::group_restore, py::arg("folder"),
             py::arg("progress").none(true))
        .def("project_report", &PySession::project_report)
        .def("project_report_send", &PySession::void2<ld_project_report_send>);

    py::class_<PyDatabase>(m, "Database", "An open database handle (ld_db).")
        .def(py::init<const py::str&, const py::object&>(), py::arg("path"),
             py::arg("options_json").none(true))
        .def("close", &PyDatabase::close, "Closes the handle (once its sessions are closed).")
        .def_property_readonly("is_open", &PyDatabase::is_open)
        .def("storage_info", &PyDatabase::storage_info)
        .def("checkpoint", &PyDatabase::checkpoint)
        .def("changes_since", &PyDatabase::changes_since)
        .def("set_log", &PyDatabase::set_log, py::arg("fn").none(true))
        .def("set_mail_sender", &PyDatabase::set_mail_sender, py::arg("fn").none(true))
        .def("set_clock", &PyDatabase::set_clock, py::arg("fn").none(true))
        .def("add_observer", &PyDatabase::add_observer)
        .def("remove_observer", &PyDatabase::remove_observer)
        .def("account_sign_up", &PyDatabase::account_sign_up)
        .def("account_resend_activation", &PyDatabase::account_resend_activation)
        .def("account_activate", &PyDatabase::account_activate)
        .def("account_request_password_reset", &PyDatabase::account_request_password_reset)
        .def("account_reset_password", &PyDatabase::account_reset_password)
        .def("operator_set_secret", &PyDatabase::operator_set_secret, py::arg("current").none(true),
             py::arg("new_secret"))
        .def("usage_record", &PyDatabase::usage_record)
        .def("usage_set_enabled", &PyDatabase::usage_set_enabled)
        .def("usage_enabled", &PyDatabase::usage_enabled)
        .def("sign_in", &PyDatabase::sign_in)
        .def("resume", &PyDatabase::resume)
        .def("operator_sign_in", &PyDatabase::operator_sign_in)
        .def_static("sync_open", &PyDatabase::sync_open, py::arg("path"),
                    py::arg("options_json").none(true), py::arg("server_url"),
                    py::arg("ca_file").none(true), py::arg("pinned_key").none(true))
        .def("sync_sign_in", &PyDatabase::sync_sign_in)
        .def("sync_now", &PyDatabase::sync_now, py::arg("progress").none(true))
        .def("sync_cancel", &PyDatabase::sync_cancel)
        .def("sync_status", &PyDatabase::sync_status)
        .def("sync_set_rejection_callback", &PyDatabase::sync_set_rejection_callback,
             py::arg("fn").none(true));
}
