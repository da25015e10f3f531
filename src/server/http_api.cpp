#include "server/http_api.hpp"

#include <algorithm>
#include <optional>

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

ApiReply json_reply(int status, const Json& body) {
    ApiReply r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    r.content_type = "application/json";
    return r;
}

ApiReply error_reply(Errc code, const std::string& message) {
    ApiReply r = json_reply(http_status(code), Json{{"error",
                                                     {{"code", static_cast<int>(code)},
                                                      {"name", std::string(errc_name(code))},
                                                      {"message", message}}}});
    if (code == Errc::rate_limited) r.headers.emplace_back("Retry-After", "60");
    if (code == Errc::busy) r.headers.emplace_back("Retry-After", "1");
    return r;
}

std::string bearer(std::string_view header) {
    if (header.rfind("Bearer ", 0) != 0 || header.size() > 200) return {};
    return std::string(header.substr(7));
}

Json body_json(const ApiRequest& req, std::size_t max) {
    if (req.body.size() > max)
        throw leandesk::Error(Errc::invalid_argument, "the request body is too large");
    return parse_json(req.body, "the request body");
}

// ---- the routes ---------------------------------------------------------------------------------

/// What a route's work sees: the request, the signed-in actor (routes that need a session) and
/// the path parameter (routes with one).
struct Call {
    ApiContext& ctx;
    const ApiRequest& req;
    const Actor* actor;
    std::string param;
};

ApiReply health(Call& c) {
    const Json info = c.ctx.engine.storage_info();
    return json_reply(200, Json{{"status", "ok"},
                                {"protocol", sync::kProtocolVersion},
                                {"schema_version", info["schema_version"]}});
}

ApiReply sign_up(Call& c) {
    const User u = c.ctx.engine.sign_up(body_json(c.req, kSmallBody));
    return json_reply(201, Json{{"user_id", u.id}});
}

ApiReply activate(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "activation");
    const std::string code = r.string("code", 200);
    r.finish();
    const User u = c.ctx.engine.activate_account(code);
    return json_reply(200, Json{{"user_id", u.id}});
}

ApiReply resend_activation(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "request");
    const std::string email = r.string("email", 254);
    r.finish();
    c.ctx.engine.resend_activation(email);
    return json_reply(202, Json::object());
}

ApiReply request_reset(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "request");
    const std::string email = r.string("email", 254);
    r.finish();
    c.ctx.engine.request_password_reset(email);
    return json_reply(202, Json::object());
}

ApiReply reset(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "reset");
    const std::string code = r.string("code", 200);
    const Json* pw = r.opt_raw("password");
    r.finish();
    if (pw == nullptr || !pw->is_string()) throw_invalid("'password' is required");
    c.ctx.engine.reset_password(code, pw->get<std::string>());
    return json_reply(200, Json::object());
}

ApiReply sign_in(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "sign-in");
    const std::string email = r.string("email", 254);
    const Json* pw = r.opt_raw("password");
    r.finish();
    if (pw == nullptr || !pw->is_string()) throw_invalid("'password' is required");
    // The client's address keys the sign-in throttle with the address tried (docs/accounts.md).
    return json_reply(200, c.ctx.authority.sign_in(email, pw->get<std::string>(),
                                                   std::string(c.req.remote_address)));
}

ApiReply sign_out(Call& c) {
    c.ctx.engine.sign_out(bearer(c.req.authorization));
    ApiReply r;
    r.status = 204;
    return r;
}

ApiReply push(Call& c) {
    return json_reply(200, c.ctx.authority.push(*c.actor, body_json(c.req, sync::kMaxPushBytes)));
}

ApiReply pull(Call& c) {
    ApiReply r;
    r.status = 200;
    r.body = c.ctx.authority.pull_text(*c.actor, body_json(c.req, sync::kMaxPullRequestBytes));
    r.content_type = "application/json";
    return r;
}

ApiReply put_blob(Call& c) {
    const std::vector<unsigned char> bytes(c.req.body.begin(), c.req.body.end());
    c.ctx.authority.put_blob(*c.actor, c.param, bytes);
    ApiReply r;
    r.status = 204;
    return r;
}

ApiReply get_blob(Call& c) {
    const auto bytes = c.ctx.authority.get_blob(*c.actor, c.param);
    ApiReply r;
    r.status = 200;
    r.body.assign(bytes.begin(), bytes.end());
    r.content_type = "application/octet-stream";
    return r;
}

ApiReply operator_sign_in(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "operator sign-in");
    const Json* secret = r.opt_raw("secret");
    r.finish();
    if (secret == nullptr || !secret->is_string()) throw_invalid("'secret' is required");
    const Session s = c.ctx.engine.operator_sign_in(secret->get<std::string>());
    return json_reply(200, Json{{"token", s.token}, {"expires_at", s.expires_at}});
}

ApiReply operator_execute(Call& c) {
    if (!c.actor->is_operator) throw_denied("R12", "operator functions need an operator session");
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "operator command");
    const std::string command = r.string("command", 64);
    const Json* args = r.opt_raw("args");
    r.finish();
    static const char* const allowed[] = {"get_user", "set_user_status", "set_user_deactivated",
                                          "change_login_email"};
    bool ok = false;
    for (const char* name : allowed) ok = ok || command == name;
    if (!ok) throw_invalid("'" + command + "' is not an operator command");
    return json_reply(
        200, Json{{"result", c.ctx.engine.execute(*c.actor, command,
                                                  args == nullptr ? Json::object() : *args)}});
}

ApiReply operator_reset(Call& c) {
    c.ctx.engine.operator_reset_password(*c.actor, c.param);
    return json_reply(202, Json::object());
}

ApiReply operator_active_users(Call& c) {
    return json_reply(200, Json{{"users", c.ctx.engine.recently_active_users(*c.actor)}});
}

ApiReply operator_newsletter(Call& c) {
    return json_reply(200, Json{{"users", c.ctx.engine.newsletter_recipients(*c.actor)}});
}

ApiReply operator_policy(Call& c) {
    const Json b = body_json(c.req, kSmallBody);
    JsonReader r(b, "policy");
    const std::string summary = r.string("summary", 2000, false, true);
    r.finish();
    const PolicyVersion p = c.ctx.engine.publish_policy(*c.actor, summary);
    return json_reply(201, Json{{"version", p.version}, {"published_at", p.published_at}});
}

/// A path parameter: none, a content hash ([0-9a-f]{64}) or a user id ([0-9a-f-]{36}).
enum class Param { none, hash, user_id };

struct Route {
    std::string_view method;
    std::string_view prefix;  // the whole path, or what comes before the parameter
    Param param;
    std::string_view suffix;  // what follows the parameter
    const char* name;         // in the logs
    bool needs_session;
    ApiReply (*work)(Call&);
};

// The route table handle_request() dispatches on.
const Route kRoutes[] = {
    {"GET", "/v1/health", Param::none, "", "health", false, health},
    {"POST", "/v1/accounts", Param::none, "", "sign_up", false, sign_up},
    {"POST", "/v1/accounts/activate", Param::none, "", "activate", false, activate},
    {"POST", "/v1/accounts/resend-activation", Param::none, "", "resend_activation", false,
     resend_activation},
    {"POST", "/v1/accounts/password-reset", Param::none, "", "request_reset", false, request_reset},
    {"POST", "/v1/accounts/password-reset/confirm", Param::none, "", "reset", false, reset},
    {"POST", "/v1/sessions", Param::none, "", "sign_in", false, sign_in},
    {"DELETE", "/v1/sessions/current", Param::none, "", "sign_out", true, sign_out},
    {"POST", "/v1/sync/push", Param::none, "", "push", true, push},
    {"POST", "/v1/sync/pull", Param::none, "", "pull", true, pull},
    {"PUT", "/v1/blobs/", Param::hash, "", "put_blob", true, put_blob},
    {"GET", "/v1/blobs/", Param::hash, "", "get_blob", true, get_blob},
    {"POST", "/v1/operator/sessions", Param::none, "", "operator_sign_in", false, operator_sign_in},
    {"POST", "/v1/operator/execute", Param::none, "", "operator_execute", true, operator_execute},
    {"POST", "/v1/operator/users/", Param::user_id, "/password-reset", "operator_reset", true,
     operator_reset},
    {"GET", "/v1/operator/users/active", Param::none, "", "operator_active_users", true,
     operator_active_users},
    {"GET", "/v1/operator/users/newsletter", Param::none, "", "operator_newsletter", true,
     operator_newsletter},
    {"POST", "/v1/operator/policies", Param::none, "", "operator_policy", true, operator_policy},
};

bool param_matches(Param p, std::string_view text) {
    const auto all_of = [&](std::string_view allowed) {
        return text.find_first_not_of(allowed) == std::string_view::npos;
    };
    switch (p) {
        case Param::hash:
            return text.size() == 64 && all_of("0123456789abcdef");
        case Param::user_id:
            return text.size() == 36 && all_of("0123456789abcdef-");
        case Param::none:
            return text.empty();
    }
    return false;
}

/// The parameter when `path` is this route's path; nullopt otherwise.
std::optional<std::string> match(const Route& r, std::string_view path) {
    if (path.size() < r.prefix.size() + r.suffix.size() || path.rfind(r.prefix, 0) != 0 ||
        path.substr(path.size() - r.suffix.size()) != r.suffix) {
        return std::nullopt;
    }
    const std::string_view param =
        path.substr(r.prefix.size(), path.size() - r.prefix.size() - r.suffix.size());
    if (!param_matches(r.param, param)) return std::nullopt;
    return std::string(param);
}

/// Rate limit, session, the route's work, errors to JSON (never a crash), one log line.
ApiReply run(ApiContext& ctx, const Route& route, const ApiRequest& req, std::string param) {
    const auto started = std::chrono::steady_clock::now();
    int retry_after = 0;
    if (!ctx.limiter.allow(std::string(req.remote_address), retry_after)) {
        ApiReply r = error_reply(Errc::rate_limited, "too many requests; slow down");
        r.headers = {{"Retry-After", std::to_string(std::max(1, retry_after))}};
        ctx.log.write(LogLevel::warning, "rate_limited",
                      Json{{"route", route.name}, {"address", req.remote_address}});
        return r;
    }
    std::string user;
    ApiReply reply;
    try {
        std::optional<Actor> actor;
        if (route.needs_session) {
            actor = ctx.engine.authenticate(bearer(req.authorization));
            user = actor->is_operator ? "operator" : actor->user_id;
        }
        Call call{ctx, req, actor ? &*actor : nullptr, std::move(param)};
        reply = route.work(call);
    } catch (const leandesk::Error& e) {
        reply = error_reply(e.code(), e.what());
    } catch (const std::bad_alloc&) {
        reply = error_reply(Errc::no_memory, "out of memory");
    } catch (const std::exception&) {
        reply = error_reply(Errc::internal, "internal error");
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    Json fields{{"route", route.name},
                {"address", req.remote_address},
                {"status", reply.status},
                {"ms", ms},
                {"bytes_in", req.body.size()}};
    if (!user.empty()) fields["user"] = user;
    ctx.log.write(reply.status >= 500 ? LogLevel::error : LogLevel::info, "request",
                  std::move(fields));
    return reply;
}

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

ApiReply handle_request(ApiContext& context, const ApiRequest& request) {
    try {
        for (const Route& route : kRoutes) {
            if (route.method != request.method) continue;
            if (auto param = match(route, request.path)) {
                return run(context, route, request, std::move(*param));
            }
        }
        static const std::string_view known[] = {"GET",    "HEAD",    "POST", "PUT",
                                                 "DELETE", "OPTIONS", "PATCH"};
        const bool known_method =
            std::find(std::begin(known), std::end(known), request.method) != std::end(known);
        ApiReply r = known_method ? error_reply(Errc::not_found, "no such endpoint")
                                  : error_reply(Errc::invalid_argument, "the request is malformed");
        r.status = known_method ? 404 : 400;
        context.log.write(LogLevel::info, "request",
                          Json{{"route", nullptr},
                               {"address", request.remote_address},
                               {"status", r.status},
                               {"bytes_in", request.body.size()}});
        return r;
    } catch (...) {
        // Building the answer itself failed (memory): a bare 500, never an exception.
        ApiReply r;
        r.status = 500;
        return r;
    }
}

}  // namespace leandesk::server
