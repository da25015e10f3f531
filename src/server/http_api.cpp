#include "server/http_api.hpp"

#include <functional>

#include "common/error.hpp"

#include "model/json.hpp"
#include "sync/protocol.hpp"

namespace leandesk::server {
namespace {

constexpr std::size_t kSmallBody = 64U * 1024U;

int http_status(Errc code) {
    switch (code) {
        case Errc::invalid_argument:
            return 400;
        case Errc::not_signed_in:
        case Errc::session_expired:
        case Errc::auth_failed:
            return 401;
        case Errc::permission_denied:
            return 403;
        case Errc::not_found:
            return 404;
        case Errc::conflict:
            return 409;
        case Errc::rate_limited:
            return 429;
        case Errc::busy:
            return 503;
        default:
            return 500;
    }
}

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, Errc code, const std::string& message) {
    send_json(res, http_status(code),
              Json{{"error",
                    {{"code", static_cast<int>(code)},
                     {"name", std::string(errc_name(code))},
                     {"message", message}}}});
    if (code == Errc::rate_limited) res.set_header("Retry-After", "60");
    if (code == Errc::busy) res.set_header("Retry-After", "1");
}

std::string bearer(const httplib::Request& req) {
    const std::string h = req.get_header_value("Authorization");
    if (h.rfind("Bearer ", 0) != 0 || h.size() > 200) return {};
    return h.substr(7);
}

Json body_json(const httplib::Request& req, std::size_t max) {
    if (req.body.size() > max)
        throw leandesk::Error(Errc::invalid_argument, "the request body is too large");
    return parse_json(req.body, "the request body");
}

using Route = std::function<void(const httplib::Request&, httplib::Response&)>;

}  // namespace

bool RateLimiter::allow(const std::string& address, int& retry_after_s) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(mutex_);
    if (windows_.size() > 100000) windows_.clear();  // bounded memory under address floods
    Window& w = windows_[address];
    if (now - w.start >= 60) w = Window{now, 0};
    if (w.count >= per_minute_) {
        retry_after_s = static_cast<int>(60 - (now - w.start));
        return false;
    }
    ++w.count;
    return true;
}

void install_routes(httplib::Server& http, Engine& engine, sync::Authority& authority,
                    const Config& config, Log& log, RateLimiter& limiter) {
    // Every handler runs inside this wrapper: rate limit, then errors to JSON, never a crash.
    const auto guarded =
        [&engine, &log, &limiter](
            const char* name, bool needs_session,
            std::function<void(const httplib::Request&, httplib::Response&, const Actor*)> fn)
        -> Route {
        return [&engine, &log, &limiter, name, needs_session, fn](const httplib::Request& req,
                                                                  httplib::Response& res) {
            const auto started = std::chrono::steady_clock::now();
            int retry_after = 0;
            if (!limiter.allow(req.remote_addr, retry_after)) {
                send_error(res, Errc::rate_limited, "too many requests; slow down");
                res.set_header("Retry-After", std::to_string(std::max(1, retry_after)));
                log.write(LogLevel::warning, "rate_limited", Json{{"route", name}});
                return;
            }
            std::string user;
            try {
                std::optional<Actor> actor;
                if (needs_session) {
                    actor = engine.authenticate(bearer(req));
                    user = actor->is_operator ? "operator" : actor->user_id;
                }
                fn(req, res, actor ? &*actor : nullptr);
            } catch (const leandesk::Error& e) {
                send_error(res, e.code(), e.what());
            } catch (const std::bad_alloc&) {
                send_error(res, Errc::no_memory, "out of memory");
            } catch (const std::exception&) {
                send_error(res, Errc::internal, "internal error");
            }
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            Json fields{
                {"route", name}, {"status", res.status}, {"ms", ms}, {"bytes_in", req.body.size()}};
            if (!user.empty()) fields["user"] = user;
            log.write(res.status >= 500 ? LogLevel::error : LogLevel::info, "request",
                      std::move(fields));
        };
    };

    http.Get("/v1/health",
             guarded("health", false, [&engine](const auto&, auto& res, const Actor*) {
                 const Json info = engine.storage_info();
                 send_json(res, 200,
                           Json{{"status", "ok"},
                                {"protocol", sync::kProtocolVersion},
                                {"schema_version", info["schema_version"]}});
             }));

    // ---- accounts ----
    http.Post("/v1/accounts",
              guarded("sign_up", false, [&engine](const auto& req, auto& res, const Actor*) {
                  const User u = engine.sign_up(body_json(req, kSmallBody));
                  send_json(res, 201, Json{{"user_id", u.id}});
              }));
    http.Post("/v1/accounts/activate",
              guarded("activate", false, [&engine](const auto& req, auto& res, const Actor*) {
                  const Json b = body_json(req, kSmallBody);
                  JsonReader r(b, "activation");
                  const std::string code = r.string("code", 200);
                  r.finish();
                  const User u = engine.activate_account(code);
                  send_json(res, 200, Json{{"user_id", u.id}});
              }));
    http.Post(
        "/v1/accounts/resend-activation",
        guarded("resend_activation", false, [&engine](const auto& req, auto& res, const Actor*) {
            const Json b = body_json(req, kSmallBody);
            JsonReader r(b, "request");
            const std::string email = r.string("email", 254);
            r.finish();
            engine.resend_activation(email);
            send_json(res, 202, Json::object());
        }));
    http.Post("/v1/accounts/password-reset",
              guarded("request_reset", false, [&engine](const auto& req, auto& res, const Actor*) {
                  const Json b = body_json(req, kSmallBody);
                  JsonReader r(b, "request");
                  const std::string email = r.string("email", 254);
                  r.finish();
                  engine.request_password_reset(email);
                  send_json(res, 202, Json::object());
              }));
    http.Post("/v1/accounts/password-reset/confirm",
              guarded("reset", false, [&engine](const auto& req, auto& res, const Actor*) {
                  const Json b = body_json(req, kSmallBody);
                  JsonReader r(b, "reset");
                  const std::string code = r.string("code", 200);
                  const Json* pw = r.opt_raw("password");
                  r.finish();
                  if (pw == nullptr || !pw->is_string()) throw_invalid("'password' is required");
                  engine.reset_password(code, pw->get<std::string>());
                  send_json(res, 200, Json::object());
              }));

    // ---- sessions ----
    http.Post("/v1/sessions",
              guarded("sign_in", false, [&authority](const auto& req, auto& res, const Actor*) {
                  const Json b = body_json(req, kSmallBody);
                  JsonReader r(b, "sign-in");
                  const std::string email = r.string("email", 254);
                  const Json* pw = r.opt_raw("password");
                  r.finish();
                  if (pw == nullptr || !pw->is_string()) throw_invalid("'password' is required");
                  send_json(res, 200, authority.sign_in(email, pw->get<std::string>()));
              }));
    http.Delete("/v1/sessions/current",
                guarded("sign_out", true, [&engine](const auto& req, auto& res, const Actor*) {
                    engine.sign_out(bearer(req));
                    res.status = 204;
                }));

    // ---- sync ----
    http.Post("/v1/sync/push",
              guarded("push", true, [&authority](const auto& req, auto& res, const Actor* a) {
                  send_json(res, 200, authority.push(*a, body_json(req, sync::kMaxPushBytes)));
              }));
    http.Post("/v1/sync/pull",
              guarded("pull", true, [&authority](const auto& req, auto& res, const Actor* a) {
                  res.status = 200;
                  res.set_content(
                      authority.pull_text(*a, body_json(req, sync::kMaxPullRequestBytes)),
                      "application/json");
              }));
    http.Put(R"(/v1/blobs/([0-9a-f]{64}))",
             guarded("put_blob", true, [&authority](const auto& req, auto& res, const Actor* a) {
                 const std::vector<unsigned char> bytes(req.body.begin(), req.body.end());
                 authority.put_blob(*a, req.matches[1], bytes);
                 res.status = 204;
             }));
    http.Get(R"(/v1/blobs/([0-9a-f]{64}))",
             guarded("get_blob", true, [&authority](const auto& req, auto& res, const Actor* a) {
                 const auto bytes = authority.get_blob(*a, req.matches[1]);
                 res.status = 200;
                 res.set_content(std::string(bytes.begin(), bytes.end()),
                                 "application/octet-stream");
             }));

    // ---- the operator ----
    http.Post(
        "/v1/operator/sessions",
        guarded("operator_sign_in", false, [&engine](const auto& req, auto& res, const Actor*) {
            const Json b = body_json(req, kSmallBody);
            JsonReader r(b, "operator sign-in");
            const Json* secret = r.opt_raw("secret");
            r.finish();
            if (secret == nullptr || !secret->is_string()) throw_invalid("'secret' is required");
            const Session s = engine.operator_sign_in(secret->get<std::string>());
            send_json(res, 200, Json{{"token", s.token}, {"expires_at", s.expires_at}});
        }));
    http.Post(
        "/v1/operator/execute",
        guarded("operator_execute", true, [&engine](const auto& req, auto& res, const Actor* a) {
            if (!a->is_operator) throw_denied("R12", "operator functions need an operator session");
            const Json b = body_json(req, kSmallBody);
            JsonReader r(b, "operator command");
            const std::string command = r.string("command", 64);
            const Json* args = r.opt_raw("args");
            r.finish();
            static const char* const allowed[] = {"get_user", "set_user_status",
                                                  "set_user_deactivated", "change_login_email"};
            bool ok = false;
            for (const char* name : allowed) ok = ok || command == name;
            if (!ok) throw_invalid("'" + command + "' is not an operator command");
            send_json(res, 200,
                      Json{{"result", engine.execute(*a, command,
                                                     args == nullptr ? Json::object() : *args)}});
        }));
    http.Post(
        R"(/v1/operator/users/([0-9a-f-]{36})/password-reset)",
        guarded("operator_reset", true, [&engine](const auto& req, auto& res, const Actor* a) {
            engine.operator_reset_password(*a, req.matches[1]);
            send_json(res, 202, Json::object());
        }));
    http.Get(
        "/v1/operator/users/active",
        guarded("operator_active_users", true, [&engine](const auto&, auto& res, const Actor* a) {
            send_json(res, 200, Json{{"users", engine.recently_active_users(*a)}});
        }));
    http.Get(
        "/v1/operator/users/newsletter",
        guarded("operator_newsletter", true, [&engine](const auto&, auto& res, const Actor* a) {
            send_json(res, 200, Json{{"users", engine.newsletter_recipients(*a)}});
        }));
    http.Post(
        "/v1/operator/policies",
        guarded("operator_policy", true, [&engine](const auto& req, auto& res, const Actor* a) {
            const Json b = body_json(req, kSmallBody);
            JsonReader r(b, "policy");
            const std::string summary = r.string("summary", 2000, false, true);
            r.finish();
            const PolicyVersion p = engine.publish_policy(*a, summary);
            send_json(res, 201, Json{{"version", p.version}, {"published_at", p.published_at}});
        }));

    // Anything else: JSON 404/4xx, never an HTML page.
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;  // a handler's own JSON error
        const int status = res.status;
        const Errc code = status == 404 ? Errc::not_found : Errc::invalid_argument;
        const char* message = status == 404   ? "no such endpoint"
                              : status == 413 ? "the request body is too large"
                                              : "the request is malformed";
        send_error(res, code, message);
        res.status = status;
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            send_error(res, Errc::internal, "internal error");
        });
    (void)config;
}

}  // namespace leandesk::server
