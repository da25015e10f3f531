// ld_sync_*: shims over sync::Replica with the HTTPS transport. The client of a database lives in
// its engine (Engine::Impl::sync_client), so it goes when the database is closed.
#include <atomic>
#include <string_view>

#include "capi_support.hpp"
#include "engine/engine_impl.hpp"
#include "leandesk/sync.h"
#include "sync/http_transport.hpp"
#include "sync/replica.hpp"

using namespace leandesk;
using namespace leandesk::capi;

namespace {

struct SyncClient {
    std::unique_ptr<sync::Replica> replica;
    std::mutex callback_mutex;
    Callback<ld_rejection_fn> on_rejected;
    std::atomic<bool> cancel{false};
    std::atomic<int> syncing{0};  // ld_sync_now calls under way: a cancel is theirs only
};

/// guard() for the calls that reach the server: a refusal that says when to come back also
/// leaves its time to wait for ld_last_error_retry_after_ms().
template <typename Fn>
int guard_network(Fn&& fn) noexcept {
    std::int64_t retry_after_ms = -1;
    const int rc = guard([&] {
        try {
            fn();
        } catch (const sync::RetryLater& e) {
            retry_after_ms = e.retry_after_ms();
            throw;
        }
    });
    if (rc != LD_OK && retry_after_ms >= 0) set_error_retry_after(retry_after_ms);
    return rc;
}

std::shared_ptr<SyncClient> client(ld_db* db) {
    require(db, "db");
    Engine& engine = *db->engine;
    auto& impl = engine.internals();
    std::lock_guard lock(impl.mutex);
    if (impl.sync_client) return std::static_pointer_cast<SyncClient>(impl.sync_client);
    const sync::ReplicaSettings settings =
        sync::Replica::settings(engine);  // invalid unless a replica
    auto c = std::make_shared<SyncClient>();
    SyncClient* raw = c.get();
    sync::HttpOptions http;
    http.base_url = settings.server_url;
    http.ca_file = settings.ca_file;
    http.pinned_key = settings.pinned_key;
    // A cancel also ends a wait between retries and a transfer under way (the client owns the
    // transport, so `raw` outlives it).
    http.cancelled = [raw] { return raw->syncing.load() > 0 && raw->cancel.load(); };
    c->replica = std::make_unique<sync::Replica>(
        engine, std::make_shared<sync::HttpTransport>(std::move(http)));
    c->replica->on_rejected = [raw](const sync::Rejection& r) {
        const Json j{
            {"command_id", r.command_id},       {"command", r.command}, {"args", r.args},
            {"code", static_cast<int>(r.code)}, {"rule", r.rule},       {"message", r.message}};
        std::lock_guard cb(raw->callback_mutex);
        if (raw->on_rejected.fn != nullptr)
            raw->on_rejected.fn(j.dump().c_str(), raw->on_rejected.userdata);
    };
    impl.sync_client = c;
    return c;
}

std::string opt_text(const char* p) {
    return p == nullptr ? std::string() : std::string(p);
}

}  // namespace

extern "C" {

LD_API int ld_sync_open(ld_db** out, const char* path, const char* options_json,
                        const char* server_url, const char* ca_file, const char* pinned_key) {
    if (out != nullptr) *out = nullptr;
    ld_db* db = nullptr;
    const int rc = ld_db_open(&db, path, options_json);
    if (rc != LD_OK) return rc;
    const int attached = guard([&] {
        require(out, "out");
        sync::Replica::attach(
            *db->engine, {text(server_url, "server_url"), opt_text(ca_file), opt_text(pinned_key)});
    });
    if (attached != LD_OK) {
        ld_db_close(db);
        return attached;
    }
    *out = db;
    return LD_OK;
}

LD_API int ld_sync_sign_in(ld_session** out, ld_db* db, const char* email, const char* password) {
    return guard_network([&] {
        require(out, "out");
        *out = nullptr;
        auto c = client(db);
        const Session s = c->replica->sign_in(text(email, "email"), text(password, "password"));
        auto session = std::make_unique<ld_session>();
        session->db = db;
        session->token = s.token;
        session->is_operator = false;
        *out = session.release();
    });
}

LD_API int ld_sync_now(ld_db* db, ld_progress_fn progress, void* userdata) {
    return guard_network([&] {
        auto c = client(db);
        c->cancel = false;
        struct Syncing {
            std::atomic<int>& n;
            explicit Syncing(std::atomic<int>& count) : n(count) { ++n; }
            Syncing(const Syncing&) = delete;
            Syncing& operator=(const Syncing&) = delete;
            ~Syncing() { --n; }
        } syncing(c->syncing);
        // The replica counts pushed commands and pulled rows apart; the caller gets their sum.
        std::int64_t pushed = 0;
        std::int64_t pulled = 0;
        const auto on_progress = [&](const sync::SyncProgress& p) {
            (std::string_view(p.phase) == "push" ? pushed : pulled) = p.done;
            if (progress != nullptr && progress(pushed + pulled, 0, userdata) != 0)
                c->cancel = true;
        };
        c->replica->sync_now(on_progress, [&] { return c->cancel.load(); });
    });
}

LD_API int ld_sync_cancel(ld_db* db) {
    return guard([&] { client(db)->cancel = true; });
}

LD_API int ld_sync_status(char** out, ld_db* db) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        *out = to_c_string(client(db)->replica->status().dump());
    });
}

LD_API int ld_sync_set_rejection_callback(ld_db* db, ld_rejection_fn fn, void* userdata,
                                          ld_free_fn free_userdata) {
    return guard([&] {
        auto c = client(db);
        Callback<ld_rejection_fn> replacement(fn, userdata,
                                              fn == nullptr ? nullptr : free_userdata);
        std::lock_guard lock(c->callback_mutex);
        c->on_rejected = std::move(replacement);
    });
}

}  // extern "C"
