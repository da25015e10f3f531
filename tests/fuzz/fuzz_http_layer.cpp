// Fuzz target: the sync server's HTTP/1.1 layer (src/server/http_layer.cpp) — Beast's request
// parser with the server's limits (header size, field count, line length, sized and chunked body
// against max_body_bytes), the translation to an ApiRequest, the transport's guards (the operator
// secret throttle) and handle_request, then the answer serialized as the server sends it.
//
// An input is the raw bytes a client sends on a connection, up to the first complete request.
// The world — an in-memory server engine with the operator secret set and one activated account
// (ann@example.com) — is built once and its database restored before each input, so a finding
// reproduces from its file alone.
//
// Besides ASan/UBSan/LSan, the run aborts when a refusal is not 400/413/431, when a parsed request
// breaks a limit the parser should have enforced, when an answer is a 5xx (the world is in memory
// and single-threaded), when a JSON error lacks {"error": {"code" < 0, "name", "message"}}, or
// when a HEAD answer carries a body.
#include <sqlite3.h>

#include <boost/beast/http.hpp>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "auth/password.hpp"
#include "common/clock.hpp"
#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "fuzz_sync_support.hpp"
#include "server/http_layer.hpp"
#include "sync/authority.hpp"

using namespace leandesk;
using namespace leandesk::server;

namespace {

constexpr Millis kNow = 1772442000000;  // 2026-03-02T09:00:00Z

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "fuzz_http_layer: %s\n", what.c_str());
    std::abort();
}

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
    std::shared_ptr<CodeKeeper> mail = std::make_shared<CodeKeeper>();
    std::unique_ptr<Engine> engine;
    Log log{LogLevel::error};
    RateLimiter limiter{INT_MAX};
    sqlite3* snapshot = nullptr;
    const HttpLimits limits{2048, 24, 512, 8192};
};

World& world() {
    static World* w = [] {
        auto* nw = new World;  // lives for the whole process: the fuzzer never exits cleanly
        EngineOptions o(":memory:");
        o.clock = manual_clock(std::make_shared<Millis>(kNow));
        o.random = seeded_random(11);
        o.mail = nw->mail;
        o.password_params = auth::PasswordParams::fastest_for_tests();
        nw->engine = std::make_unique<Engine>(std::move(o));
        Engine& e = *nw->engine;
        e.sign_up({{"first_name", "Ann"},
                   {"last_name", "Fuzz"},
                   {"email", "ann@example.com"},
                   {"password", "fuzzing-password"}});
        e.activate_account(nw->mail->code);
        e.set_operator_secret("", "operator-secret-for-fuzzing");
        if (sqlite3_open(":memory:", &nw->snapshot) != SQLITE_OK) die("snapshot open");
        fuzz::copy_database(e.internals().db.handle(), nw->snapshot);
        return nw;
    }();
    return *w;
}

void check_error_body(const ApiReply& r) {
    if (r.content_type != "application/json") die("an error without a JSON body");
    const Json body = Json::parse(r.body, nullptr, false);
    const auto e = body.is_object() ? body.find("error") : body.end();
    if (e == body.end() || !e->is_object() || !e->contains("code") ||
        !(*e)["code"].is_number_integer() || (*e)["code"].get<int>() >= 0 || !e->contains("name") ||
        !(*e)["name"].is_string() || !e->contains("message") || !(*e)["message"].is_string() ||
        (*e)["message"].get<std::string>().empty()) {
        die("an error reply without {code, name, message}: " + r.body.substr(0, 300));
    }
}

/// Serializes the answer as the server sends it; HEAD answers carry no body.
void check_serialized(const ApiReply& reply, bool head) {
    const Response res = to_response(reply, 11, true, head);
    std::ostringstream out;
    out << res;
    const std::string text = out.str();
    const auto end = text.find("\r\n\r\n");
    if (end == std::string::npos) die("a response without the end of its header");
    if (head && end + 4 != text.size()) die("a HEAD answer with a body");
    if (!head && text.size() - end - 4 != reply.body.size()) die("a body cut or padded");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    Engine& engine = *w.engine;
    {
        std::lock_guard lock(engine.internals().mutex);
        fuzz::copy_database(w.snapshot, engine.internals().db.handle());
    }
    const ParseOutcome parsed =
        parse_request(std::string_view(reinterpret_cast<const char*>(data), size), w.limits);
    if (parsed.refusal != 0) {
        if (parsed.refusal != 400 && parsed.refusal != 413 && parsed.refusal != 431)
            die("refused with " + std::to_string(parsed.refusal));
        const ApiReply r = refusal_reply(parsed.refusal);
        if (r.status != parsed.refusal) die("a refusal answered with another status");
        check_error_body(r);
        check_serialized(r, false);
        return 0;
    }
    if (!parsed.request) return 0;  // the bytes end before the request does
    const OwnedRequest& req = *parsed.request;
    if (req.body.size() > w.limits.max_body_bytes) die("a body over max_body_bytes was accepted");
    if (req.path.size() > w.limits.max_header_line_bytes) die("a target over the line limit");
    if (req.authorization.size() > w.limits.max_header_line_bytes) die("a field over the limit");

    sync::Authority authority(engine);
    ApiContext context{engine, authority, w.log, w.limiter};
    SecretThrottle throttle(5, 15 * 60 * 1000, manual_clock(std::make_shared<Millis>(kNow)));
    const ApiReply reply = serve(context, throttle, req.view());
    if (reply.status >= 500 || reply.status < 200)
        die("status " + std::to_string(reply.status) + " for " + req.method + " " + req.path);
    if (reply.status >= 400) check_error_body(reply);
    check_serialized(reply, req.head);
    return 0;
}
