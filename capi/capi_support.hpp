// The shim machinery every C entry point uses: check arguments, catch everything, record a
// thread-local error, convert. No business logic lives in capi/.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "leandesk/leandesk.h"

namespace leandesk::capi {

/// Records the calling thread's last error and returns its code.
int set_error(int code, const std::string& message) noexcept;
/// Adds to the error just recorded by set_error() the time the server asked to wait (ms).
void set_error_retry_after(std::int64_t ms) noexcept;
/// Marks the calling thread's last call as a success and returns LD_OK.
int clear_error() noexcept;

/// Runs `fn`, converting every exception into a status code and the thread's last error.
template <typename Fn>
int guard(Fn&& fn) noexcept {
    try {
        fn();
        return clear_error();
    } catch (const Error& e) {
        return set_error(static_cast<int>(e.code()), e.what());
    } catch (const std::bad_alloc&) {
        return set_error(LD_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        return set_error(LD_EINTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return set_error(LD_EINTERNAL, "internal error");
    }
}

/// Copies `s` into a malloc'd C string the caller frees with ld_string_free.
char* to_c_string(const std::string& s);

/// Fails with LD_EINVAL naming `what` when `p` is NULL.
void require(const void* p, const char* what);
/// A required string argument.
std::string text(const char* p, const char* what);
/// A required JSON argument (NULL is refused), parsed with the engine's limits.
Json json_arg(const char* p, const char* what);
/// An optional JSON argument: NULL means an empty object.
Json json_arg_or_empty(const char* p, const char* what);

/// A C callback with its userdata and the function that frees the userdata.
template <typename Fn>
struct Callback {
    Fn fn = nullptr;
    void* userdata = nullptr;
    ld_free_fn free_userdata = nullptr;

    Callback() = default;
    Callback(Fn f, void* u, ld_free_fn fr) : fn(f), userdata(u), free_userdata(fr) {}
    Callback(const Callback&) = delete;
    Callback& operator=(const Callback&) = delete;
    Callback(Callback&& o) noexcept
        : fn(o.fn), userdata(o.userdata), free_userdata(o.free_userdata) {
        o.free_userdata = nullptr;
    }
    Callback& operator=(Callback&& o) noexcept {
        if (this != &o) {
            release();
            fn = o.fn, userdata = o.userdata, free_userdata = o.free_userdata;
            o.free_userdata = nullptr;
        }
        return *this;
    }
    ~Callback() { release(); }

  private:
    void release() noexcept {
        if (free_userdata != nullptr) free_userdata(userdata);
        free_userdata = nullptr;
    }
};

/// The callbacks an app registers on a database. The engine's options hold lambdas that forward
/// to these slots, so callbacks can be set and replaced after the database is open.
struct Hooks {
    std::mutex mutex;
    Callback<ld_log_fn> log;
    Callback<ld_mail_fn> mail;
    Callback<ld_clock_fn> clock;
};

}  // namespace leandesk::capi

struct ld_db {
    std::shared_ptr<leandesk::capi::Hooks> hooks;  // declared first: outlives the engine
    std::unique_ptr<leandesk::Engine> engine;
    std::mutex observers_mutex;
    std::vector<
        std::pair<leandesk::ObserverId, std::shared_ptr<leandesk::capi::Callback<ld_observer_fn>>>>
        observers;
};

struct ld_session {
    ld_db* db = nullptr;
    std::string token;
    bool is_operator = false;
};

namespace leandesk::capi {

/// Runs `fn(engine, actor)` as the session's user and hands its JSON result to `*out`.
template <typename Fn>
int with_session(char** out, ld_session* session, Fn&& fn) noexcept {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(session, "session");
        Engine& engine = *session->db->engine;
        const Actor actor = engine.authenticate(session->token);
        const Json result = fn(engine, actor);
        *out = to_c_string(result.dump());
    });
}

/// The same for calls that return nothing.
template <typename Fn>
int with_session(ld_session* session, Fn&& fn) noexcept {
    return guard([&] {
        require(session, "session");
        Engine& engine = *session->db->engine;
        fn(engine, engine.authenticate(session->token));
    });
}

/// Runs `fn(engine)` on a database and hands its JSON result to `*out`.
template <typename Fn>
int with_db(char** out, ld_db* db, Fn&& fn) noexcept {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(db, "db");
        *out = to_c_string(Json(fn(*db->engine)).dump());
    });
}

}  // namespace leandesk::capi
