// Fuzz target: the sync server's request handling (src/server/http_api.cpp, handle_request) —
// request parsing and routing, sign-up, activation, password reset, sign-in, sign-out, push with
// command lists, pull with checkpoints, blobs and the operator's routes — against a server engine
// with its sync authority, without a socket.
//
// An input is up to 8 requests separated by "\n%%\n", run in order against the same world (so a
// sign-up can be followed by its activation, an upload by the push that uses it). A request is
//   <selector byte><rest>
// selector & 31: a route of kRoutes (the path built with the world's ids), or, from kRoutes' size
// on, "METHOD PATH" taken from the first line of <rest>; selector >> 5: the Authorization header —
// 0 none, 1 Ann's token, 2 Bob's, 3 the operator's, 4 the token of the latest sign-in of this
// input (Ann's before any), 5 the next line of <rest> as the raw header value, 6-7 Ann's. The
// rest is the body, in which $CODE becomes the latest code mailed (at first: the activation code
// of the pending account pending@example.com), $ANN and $BOB the users' ids, $STEP the group's
// first step and $HASH the content hash of the world's photo.
//
// The world — accounts ann (manager, signed in), bob (member, participant, signed in), pending
// (signed up, not activated), the operator (signed in), a group, a project, an action with a
// photo, an indicator — is built once; before each input the database is restored from a copy
// taken then (the SQLite backup API; skipped when the last input changed no row), the random
// source is reseeded and a fresh Authority is made, so every input meets the same state and a
// finding reproduces from its file alone.
//
// Besides ASan/UBSan/LSan, a reply aborts the run when it is a 5xx (a bug: the world is in memory,
// single-threaded, so no I/O, memory or busy failure can be the cause), when a JSON reply is not
// JSON, when an error lacks {"error": {"code" < 0, "name", "message" non-empty}}, when a 204 has a
// body, or when a reply holds one of the world's session tokens that the request itself did not
// carry outside the Authorization header the harness set.
#include <sqlite3.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "common/clock.hpp"
#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "fuzz_sync_support.hpp"
#include "server/http_api.hpp"
#include "sync/authority.hpp"

using namespace leandesk;
using leandesk::server::ApiContext;
using leandesk::server::ApiReply;
using leandesk::server::ApiRequest;

namespace {

constexpr Millis kNow = 1772442000000;  // 2026-03-02T09:00:00Z
constexpr const char* kPassword = "fuzzing-password";
constexpr const char* kOperatorSecret = "operator-secret-for-fuzzing";
constexpr std::uint64_t kInputSeed = 99;  // the random source's seed at the start of each input

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "fuzz_server_requests: %s\n", what.c_str());
    std::abort();
}

/// Keeps the code of the latest mail (the text line that starts with four spaces).
class CodeKeeper : public MailSender {
  public:
    void send(const Mail& mail) override {
        std::istringstream in(mail.text);
        std::string line;
        while (std::getline(in, line)) {
            if (line.rfind("    ", 0) == 0) code = line.substr(4);
        }
    }
    std::string code;
};

struct World {
    std::shared_ptr<std::uint64_t> random_state = std::make_shared<std::uint64_t>(7);
    std::shared_ptr<CodeKeeper> mail = std::make_shared<CodeKeeper>();
    std::unique_ptr<Engine> engine;
    server::Log log{LogLevel::error};  // only 5xx lines, which abort the run anyway
    server::RateLimiter limiter{INT_MAX};
    sqlite3* snapshot = nullptr;  // the world's database as built, restored before each input
    sqlite3_int64 changes_after_restore = -1;  // sqlite3_total_changes64 after the last restore
    std::string ann, bob, step, hash, pending_code;
    std::string ann_token, bob_token, op_token;
    const std::string group = "10000000-0000-4000-8000-000000000001";
    const std::string project = "20000000-0000-4000-8000-000000000001";
    const std::string action = "30000000-0000-4000-8000-000000000001";
    const std::string indicator = "40000000-0000-4000-8000-000000000001";
};

/// A seeded source whose state the world resets before each input (seeded_random's cannot be).
RandomSource resettable_random(std::shared_ptr<std::uint64_t> state) {
    return [state](unsigned char* out, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) {
            std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
            out[i] = static_cast<unsigned char>((z ^ (z >> 31U)) & 0xffU);
        }
    };
}

World& world() {
    static World* w = [] {
        auto* nw = new World;  // lives for the whole process: the fuzzer never exits cleanly
        World& x = *nw;
        EngineOptions o(":memory:");
        o.clock = manual_clock(std::make_shared<Millis>(kNow));
        o.random = resettable_random(x.random_state);
        o.mail = x.mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        x.engine = std::make_unique<Engine>(std::move(o));
        Engine& e = *x.engine;
        const auto account = [&](const char* first, const char* email) {
            const User u = e.sign_up({{"first_name", first},
                                      {"last_name", "Fuzz"},
                                      {"email", email},
                                      {"password", kPassword}});
            e.activate_account(x.mail->code);
            return u.id;
        };
        x.ann = account("Ann", "ann@example.com");
        x.bob = account("Bob", "bob@example.com");
        e.sign_up({{"first_name", "Pat"},
                   {"last_name", "Pending"},
                   {"email", "pending@example.com"},
                   {"password", kPassword}});
        x.pending_code = x.mail->code;
        x.ann_token = e.sign_in("ann@example.com", kPassword).token;
        x.bob_token = e.sign_in("bob@example.com", kPassword).token;
        e.set_operator_secret("", kOperatorSecret);
        x.op_token = e.operator_sign_in(kOperatorSecret).token;
        const Actor ann = Actor::user(x.ann);
        e.create_group(ann, {{"id", x.group}, {"name", "G"}});
        e.add_member(ann, x.group, "bob@example.com");
        e.create_project(ann, {{"id", x.project}, {"group_id", x.group}, {"name", "P"}});
        e.add_participant(ann, x.project, x.bob);
        e.create_action(ann, {{"id", x.action}, {"project_id", x.project}, {"title", "A"}});
        e.create_indicator(ann, {{"id", x.indicator}, {"project_id", x.project}, {"name", "I"}});
        x.hash = e.add_photo(ann, x.action, fuzz::kTinyPng, {{"caption", "c"}}).blob;
        x.step = e.group_steps(ann, x.group).at(0).id;
        if (sqlite3_open(":memory:", &x.snapshot) != SQLITE_OK) die("snapshot open");
        fuzz::copy_database(e.internals().db.handle(), x.snapshot);
        return nw;
    }();
    return *w;
}

struct FixedRoute {
    const char* method;
    std::string (*path)(const World&);
};

const FixedRoute kRoutes[] = {
    {"GET", [](const World&) { return std::string("/v1/health"); }},
    {"POST", [](const World&) { return std::string("/v1/accounts"); }},
    {"POST", [](const World&) { return std::string("/v1/accounts/activate"); }},
    {"POST", [](const World&) { return std::string("/v1/accounts/resend-activation"); }},
    {"POST", [](const World&) { return std::string("/v1/accounts/password-reset"); }},
    {"POST", [](const World&) { return std::string("/v1/accounts/password-reset/confirm"); }},
    {"POST", [](const World&) { return std::string("/v1/sessions"); }},
    {"DELETE", [](const World&) { return std::string("/v1/sessions/current"); }},
    {"POST", [](const World&) { return std::string("/v1/sync/push"); }},
    {"POST", [](const World&) { return std::string("/v1/sync/pull"); }},
    {"PUT", [](const World& w) { return "/v1/blobs/" + w.hash; }},
    {"GET", [](const World& w) { return "/v1/blobs/" + w.hash; }},
    {"POST", [](const World&) { return std::string("/v1/operator/sessions"); }},
    {"POST", [](const World&) { return std::string("/v1/operator/execute"); }},
    {"POST", [](const World& w) { return "/v1/operator/users/" + w.bob + "/password-reset"; }},
    {"GET", [](const World&) { return std::string("/v1/operator/users/active"); }},
    {"GET", [](const World&) { return std::string("/v1/operator/users/newsletter"); }},
    {"POST", [](const World&) { return std::string("/v1/operator/policies"); }},
};
constexpr unsigned kRouteCount = sizeof kRoutes / sizeof kRoutes[0];

std::string take_line(std::string& rest) {
    const auto nl = rest.find('\n');
    std::string line = rest.substr(0, nl);
    rest = nl == std::string::npos ? std::string() : rest.substr(nl + 1);
    return line;
}

void replace_all(std::string& text, std::string_view what, const std::string& with) {
    for (std::size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
}

/// `sent` is everything the client itself sent (method, path, raw header, body): a token found
/// there may come back in an error message that quotes the input (the fuzzer learns tokens from
/// comparisons); one that was only in a header the harness set must never come back.
void check_reply(const World& w, const std::string& method, const std::string& path,
                 const std::string& sent, const ApiReply& r) {
    const auto fail = [&](const std::string& why) {
        die(why + " (" + method + " " + path + " -> " + std::to_string(r.status) + " " +
            r.body.substr(0, 400) + ")");
    };
    if (r.status >= 500) fail("server error");
    if (r.status < 200) fail("no status");
    for (const std::string* token : {&w.ann_token, &w.bob_token, &w.op_token}) {
        if (r.body.find(*token) != std::string::npos && sent.find(*token) == std::string::npos)
            fail("a session token in a reply");
    }
    if (r.status == 204) {
        if (!r.body.empty() || !r.content_type.empty()) fail("a body with 204");
        return;
    }
    if (r.content_type == "application/octet-stream") {
        if (r.status != 200 || method != "GET") fail("bytes from a route that sends none");
        return;
    }
    if (r.content_type != "application/json") fail("unexpected content type " + r.content_type);
    const Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded()) fail("the reply is not JSON");
    if (r.status >= 400) {
        const auto e = body.find("error");
        if (e == body.end() || !e->is_object() || !e->contains("code") ||
            !(*e)["code"].is_number_integer() || (*e)["code"].get<int>() >= 0 ||
            !e->contains("name") || !(*e)["name"].is_string() || !e->contains("message") ||
            !(*e)["message"].is_string() || (*e)["message"].get<std::string>().empty()) {
            fail("an error reply without {code, name, message}");
        }
    } else if (!body.is_object()) {
        fail("a success reply that is not an object");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    Engine& engine = *w.engine;
    {
        // Restored only when the last input wrote: a restore makes SQLite read the schema again
        // and the engine prepare its statements again, most of the cost of an input.
        std::lock_guard lock(engine.internals().mutex);
        sqlite3* db = engine.internals().db.handle();
        if (sqlite3_total_changes64(db) != w.changes_after_restore) {
            fuzz::copy_database(w.snapshot, db);
            w.changes_after_restore = sqlite3_total_changes64(db);
        }
    }
    *w.random_state = kInputSeed;
    w.mail->code = w.pending_code;
    std::string last_token = w.ann_token;
    sync::Authority authority(engine);  // fresh: its clock and prune time are in memory
    ApiContext context{engine, authority, w.log, w.limiter};

    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::string_view separator = "\n%%\n";
    std::size_t start = 0;
    for (int n = 0; n < 8 && start < input.size(); ++n) {
        const auto end = input.find(separator, start);
        std::string request =
            input.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? input.size() : end + separator.size();
        if (request.empty()) continue;
        const auto selector = static_cast<unsigned char>(request[0]);
        std::string rest = request.substr(1);
        std::string method, path;
        if ((selector & 31U) < kRouteCount) {
            method = kRoutes[selector & 31U].method;
            path = kRoutes[selector & 31U].path(w);
        } else {
            const std::string line = take_line(rest);
            const auto space = line.find(' ');
            method = line.substr(0, space);
            path = space == std::string::npos ? std::string() : line.substr(space + 1);
        }
        std::string authorization, raw_authorization;
        switch (selector >> 5U) {
            case 0:
                break;
            case 2:
                authorization = "Bearer " + w.bob_token;
                break;
            case 3:
                authorization = "Bearer " + w.op_token;
                break;
            case 4:
                authorization = "Bearer " + last_token;
                break;
            case 5:
                authorization = raw_authorization = take_line(rest);
                break;
            default:
                authorization = "Bearer " + w.ann_token;
        }
        replace_all(rest, "$CODE", w.mail->code);
        replace_all(rest, "$ANN", w.ann);
        replace_all(rest, "$BOB", w.bob);
        replace_all(rest, "$STEP", w.step);
        replace_all(rest, "$HASH", w.hash);
        const ApiReply reply = server::handle_request(
            context, ApiRequest{method, path, authorization, "203.0.113.7", rest});
        check_reply(w, method, path, method + path + raw_authorization + rest, reply);
        if (reply.status == 200 && (path == "/v1/sessions" || path == "/v1/operator/sessions")) {
            const Json body = Json::parse(reply.body, nullptr, false);
            if (body.is_object() && body.contains("token") && body["token"].is_string()) {
                last_token = body["token"].get<std::string>();
            }
        }
    }
    return 0;
}
