// ld_db_*: opening and closing, configuration, callbacks, observers, the change log, usage figures.
#include <algorithm>

#include "capi_support.hpp"
#include "mail/smtp_sender.hpp"
#include "model/json.hpp"
#include "model/validate.hpp"

using namespace leandesk;
using namespace leandesk::capi;

namespace {

// The "smtp" option: {url, from, from_name?, username?, password?, allow_plaintext_loopback?,
// ca_file?, timeout_ms?}. The sender checks it (scheme, TLS, addresses) when it is made.
std::shared_ptr<MailSender> read_smtp(const Json& json) {
    JsonReader in(json, "smtp");
    mail::SmtpConfig c;
    c.url = in.string("url", 2048);
    c.from = in.string("from", limits::email);
    c.from_name = in.opt_string("from_name", limits::name, true).value_or("");
    c.username = in.opt_string("username", 512, true).value_or("");
    c.password = in.opt_string("password", 512, true).value_or("");
    c.allow_plaintext_loopback = in.opt_bool("allow_plaintext_loopback").value_or(false);
    c.ca_file = in.opt_string("ca_file", 4096).value_or("");
    c.timeout_ms = static_cast<long>(in.opt_int("timeout_ms", 1000, 600000).value_or(30000));
    in.finish();
    return std::make_shared<mail::SmtpSender>(std::move(c));
}

// Reads the documented open options into EngineOptions; anything else is refused.
void read_options(const Json& json, EngineOptions& o) {
    JsonReader in(json, "options_json");
    if (const Json* smtp = in.opt_raw("smtp")) o.mail = read_smtp(*smtp);
    constexpr std::int64_t kYear = 366LL * 24 * 3600 * 1000;
    if (auto v = in.opt_int("max_blob_bytes", 1024, 1LL << 30))
        o.max_blob_bytes = static_cast<std::size_t>(*v);
    if (auto v = in.opt_int("session_lifetime_ms", 1000, 10 * kYear))
        o.accounts.session_lifetime = *v;
    // Activity is recorded at a one-minute grain, so an idle timeout is at least a minute.
    if (auto v = in.opt_int("session_idle_timeout_ms", 60000, 10 * kYear))
        o.accounts.session_idle_timeout = *v;
    if (auto v = in.opt_int("activation_token_lifetime_ms", 1000, kYear))
        o.accounts.activation_token_lifetime = *v;
    if (auto v = in.opt_int("reset_token_lifetime_ms", 1000, kYear))
        o.accounts.reset_token_lifetime = *v;
    if (auto v = in.opt_int("max_failed_sign_ins", 1, 1000))
        o.accounts.max_failed_sign_ins = static_cast<int>(*v);
    if (auto v = in.opt_int("failed_sign_in_window_ms", 1000, kYear))
        o.accounts.failed_sign_in_window = *v;
    if (auto v = in.opt_int("max_failed_sign_ins_per_client", 1, 1000000))
        o.accounts.max_failed_sign_ins_per_client = static_cast<int>(*v);
    if (auto v = in.opt_int("max_mails_per_recipient_per_hour", 1, 1000))
        o.accounts.max_mails_per_recipient_per_hour = static_cast<int>(*v);
    if (auto v = in.opt_int("active_user_window_ms", 1000, 10 * kYear))
        o.accounts.active_user_window = *v;
    if (auto v = in.opt_string("product_name", 100)) o.accounts.product_name = *v;
    if (auto v = in.opt_string("link_base", 1000)) o.accounts.link_base = *v;
    const auto minimum = auth::PasswordParams::fastest_for_tests();
    if (auto v = in.opt_int("password_opslimit", static_cast<std::int64_t>(minimum.opslimit), 64)) {
        o.password_params.opslimit = static_cast<unsigned long long>(*v);
    }
    if (auto v = in.opt_int("password_memlimit", static_cast<std::int64_t>(minimum.memlimit),
                            4LL << 30)) {
        o.password_params.memlimit = static_cast<std::size_t>(*v);
    }
    in.finish();
}

// Forwards the engine's mail to the app's callback, if one is registered, else to the SMTP
// sender of the "smtp" option, if there is one.
class CallbackMailSender : public MailSender {
  public:
    CallbackMailSender(std::shared_ptr<Hooks> hooks, std::shared_ptr<MailSender> smtp)
        : hooks_(std::move(hooks)), smtp_(std::move(smtp)) {}
    void send(const Mail& m) override {
        std::unique_lock lock(hooks_->mutex);
        if (hooks_->mail.fn == nullptr && smtp_) {
            lock.unlock();  // a network exchange: other callbacks must not wait for it
            smtp_->send(m);
            return;
        }
        if (hooks_->mail.fn == nullptr) {
            throw Error(Errc::io, "no mail sender is configured: account mails cannot be sent");
        }
        const Json mail{{"to", m.to},
                        {"to_name", m.to_name},
                        {"subject", m.subject},
                        {"text", m.text},
                        {"html", m.html}};
        if (hooks_->mail.fn(mail.dump().c_str(), hooks_->mail.userdata) != 0) {
            throw Error(Errc::io, "the mail sender could not send the mail");
        }
    }

  private:
    std::shared_ptr<Hooks> hooks_;
    std::shared_ptr<MailSender> smtp_;  // null without the "smtp" option
};

template <typename Fn>
int set_callback(ld_db* db, Callback<Fn> Hooks::*slot, Fn fn, void* userdata, ld_free_fn free_fn) {
    return guard([&] {
        require(db, "db");
        Callback<Fn> replacement(fn, userdata, fn == nullptr ? nullptr : free_fn);
        std::lock_guard lock(db->hooks->mutex);
        (*db->hooks).*slot = std::move(replacement);
    });
}

}  // namespace

extern "C" {

LD_API int ld_db_open(ld_db** out, const char* path, const char* options_json) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        EngineOptions options(text(path, "path"));
        read_options(json_arg_or_empty(options_json, "options_json"), options);
        auto db = std::make_unique<ld_db>();
        db->hooks = std::make_shared<Hooks>();
        std::weak_ptr<Hooks> weak = db->hooks;
        const Clock system = system_clock();
        options.clock = [weak, system]() -> Millis {
            if (auto hooks = weak.lock()) {
                std::lock_guard lock(hooks->mutex);
                if (hooks->clock.fn != nullptr) return hooks->clock.fn(hooks->clock.userdata);
            }
            return system();
        };
        options.log = [weak](LogLevel level, const std::string& line) {
            if (auto hooks = weak.lock()) {
                std::lock_guard lock(hooks->mutex);
                if (hooks->log.fn != nullptr) {
                    hooks->log.fn(static_cast<int>(level), line.c_str(), hooks->log.userdata);
                }
            }
        };
        options.mail = std::make_shared<CallbackMailSender>(db->hooks, std::move(options.mail));
        db->engine = std::make_unique<Engine>(std::move(options));
        *out = db.release();
    });
}

LD_API void ld_db_close(ld_db* db) {
    // Ownership ends here: the engine closes, then the hooks free their userdata.
    std::unique_ptr<ld_db> owned(db);
}

LD_API int ld_db_storage_info(char** out, ld_db* db) {
    return with_db(out, db, [](Engine& e) { return e.storage_info(); });
}

LD_API int ld_db_checkpoint(ld_db* db) {
    return guard([&] {
        require(db, "db");
        db->engine->checkpoint();
    });
}

LD_API int ld_db_set_log(ld_db* db, ld_log_fn fn, void* userdata, ld_free_fn free_userdata) {
    return set_callback(db, &Hooks::log, fn, userdata, free_userdata);
}

LD_API int ld_db_set_mail_sender(ld_db* db, ld_mail_fn fn, void* userdata,
                                 ld_free_fn free_userdata) {
    return set_callback(db, &Hooks::mail, fn, userdata, free_userdata);
}

LD_API int ld_db_set_clock(ld_db* db, ld_clock_fn fn, void* userdata, ld_free_fn free_userdata) {
    return set_callback(db, &Hooks::clock, fn, userdata, free_userdata);
}

LD_API int ld_db_add_observer(uint64_t* out, ld_db* db, ld_observer_fn fn, void* userdata,
                              ld_free_fn free_userdata) {
    return guard([&] {
        require(out, "out");
        *out = 0;
        require(db, "db");
        require(reinterpret_cast<const void*>(fn), "fn");
        // Shared with the engine's copy of the observer, so a callback running on one thread stays
        // valid while another thread removes it.
        // The free function is attached only once registration succeeded: on failure the userdata
        // stays the caller's, as for every callback setter.
        auto cb = std::make_shared<Callback<ld_observer_fn>>(fn, userdata, nullptr);
        std::lock_guard lock(db->observers_mutex);
        db->observers.reserve(db->observers.size() + 1);
        const ObserverId id = db->engine->add_observer([cb](const std::vector<Change>& changes) {
            const std::string text = Json(changes).dump();
            cb->fn(text.c_str(), cb->userdata);
        });
        cb->free_userdata = free_userdata;
        db->observers.emplace_back(id, std::move(cb));
        *out = id;
    });
}

LD_API int ld_db_remove_observer(ld_db* db, uint64_t observer_id) {
    return guard([&] {
        require(db, "db");
        std::lock_guard lock(db->observers_mutex);
        auto it = std::find_if(db->observers.begin(), db->observers.end(),
                               [&](const auto& entry) { return entry.first == observer_id; });
        if (it == db->observers.end()) throw_not_found("observer", std::to_string(observer_id));
        db->engine->remove_observer(observer_id);
        db->observers.erase(it);
    });
}

LD_API int ld_db_changes_since(char** out, ld_db* db, int64_t after_seq, int64_t limit) {
    return with_db(out, db, [&](Engine& e) {
        if (limit < 0 || limit > 100000) throw_invalid("'limit' must be between 0 and 100000");
        return Json(e.changes_since(after_seq, static_cast<std::size_t>(limit)));
    });
}

LD_API int ld_usage_record(ld_db* db, const char* event_json) {
    return guard([&] {
        require(db, "db");
        const Json event = json_arg(event_json, "event_json");
        JsonReader in(event, "usage event");
        UsageEvent e;
        e.event = in.string("event", 64);
        e.platform = in.opt_string("platform", 64, true).value_or("");
        e.os_version = in.opt_string("os_version", 64, true).value_or("");
        e.app_version = in.opt_string("app_version", 64, true).value_or("");
        e.device_class = in.opt_string("device_class", 64, true).value_or("");
        in.finish();
        db->engine->record_usage(e);
    });
}

LD_API int ld_usage_set_enabled(ld_db* db, int enabled) {
    return guard([&] {
        require(db, "db");
        db->engine->set_usage_enabled(enabled != 0);
    });
}

LD_API int ld_usage_enabled(int* out, ld_db* db) {
    return guard([&] {
        require(out, "out");
        *out = 0;
        require(db, "db");
        *out = db->engine->usage_enabled() ? 1 : 0;
    });
}
}
