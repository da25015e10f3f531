// The world every fuzz target runs in: one in-memory database with two activated accounts, a
// group, a project, an action, an indicator, a step and a resource, built once. Each input runs
// inside a transaction that is always rolled back (Engine::batch, then a throw), so every input
// meets the same state: a crash found reproduces from its input file alone.
#pragma once

#include <leandesk/leandesk.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "capi_support.hpp"

namespace leandesk::fuzz {

struct World {
    ld_db* db = nullptr;
    ld_session* ann = nullptr;  // manager of the group, owner of the project
    ld_session* bob = nullptr;  // member and participant
    ld_session* op = nullptr;   // the operator
    std::string ann_id, bob_id, group, project, action, indicator, step, resource, last_code;
};

inline int64_t world_clock(void*) {
    return 1772442000000LL;
}

inline int world_mail(const char* mail_json, void* userdata) {
    auto* w = static_cast<World*>(userdata);
    const std::string mail(mail_json);
    const auto at = mail.find("\\n    ");
    if (at == std::string::npos) return 1;
    const auto end = mail.find("\\n", at + 6);
    w->last_code = mail.substr(at + 6, end - at - 6);
    return 0;
}

[[noreturn]] inline void die(const char* what) {
    std::fprintf(stderr, "fuzz world: %s: %s\n", what, ld_last_error());
    std::abort();
}

inline std::string take_id(char* out) {
    if (out == nullptr) die("no output");
    const std::string json = out;
    ld_string_free(out);
    const auto at = json.find("\"id\":\"");
    if (at == std::string::npos) die("no id");
    return json.substr(at + 6, 36);
}

inline ld_session* account(World& w, const char* first, const char* email, std::string& id) {
    char* out = nullptr;
    const std::string input = std::string("{\"first_name\":\"") + first +
                              "\",\"last_name\":\"Fuzz\",\"email\":\"" + email +
                              "\",\"password\":\"fuzzing-password\"}";
    if (ld_account_sign_up(&out, w.db, input.c_str()) != LD_OK) die("sign up");
    id = take_id(out);
    if (ld_account_activate(&out, w.db, w.last_code.c_str()) != LD_OK) die("activate");
    ld_string_free(out);
    ld_session* s = nullptr;
    if (ld_session_sign_in(&s, w.db, email, "fuzzing-password") != LD_OK) die("sign in");
    return s;
}

inline World& world() {
    static World* w = [] {
        auto* nw = new World;  // lives for the whole process: the fuzzer never exits cleanly
        World& x = *nw;
        if (ld_db_open(&x.db, ":memory:", "{\"password_opslimit\":1,\"password_memlimit\":8192}") !=
            LD_OK)
            die("open");
        ld_db_set_clock(x.db, world_clock, nullptr, nullptr);
        ld_db_set_mail_sender(x.db, world_mail, &x, nullptr);
        x.ann = account(x, "Ann", "ann@example.com", x.ann_id);
        x.bob = account(x, "Bob", "bob@example.com", x.bob_id);
        if (ld_operator_set_secret(x.db, nullptr, "operator-secret-for-fuzzing") != LD_OK)
            die("secret");
        if (ld_operator_sign_in(&x.op, x.db, "operator-secret-for-fuzzing") != LD_OK)
            die("operator");
        char* out = nullptr;
        if (ld_group_create(&out, x.ann,
                            "{\"id\":\"10000000-0000-4000-8000-000000000001\",\"name\":\"G\"}") !=
            LD_OK)
            die("group");
        x.group = take_id(out);
        if (ld_group_add_member(&out, x.ann, x.group.c_str(), "bob@example.com") != LD_OK)
            die("member");
        ld_string_free(out);
        if (ld_project_create(&out, x.ann,
                              ("{\"id\":\"20000000-0000-4000-8000-000000000001\",\"group_id\":\"" +
                               x.group + "\",\"name\":\"P\"}")
                                  .c_str()) != LD_OK)
            die("project");
        x.project = take_id(out);
        if (ld_project_add_participant(&out, x.ann, x.project.c_str(), x.bob_id.c_str()) != LD_OK)
            die("participant");
        ld_string_free(out);
        if (ld_action_create(&out, x.ann,
                             ("{\"id\":\"30000000-0000-4000-8000-000000000001\",\"project_id\":\"" +
                              x.project + "\",\"title\":\"A\"}")
                                 .c_str()) != LD_OK)
            die("action");
        x.action = take_id(out);
        if (ld_indicator_create(
                &out, x.ann,
                ("{\"id\":\"40000000-0000-4000-8000-000000000001\",\"project_id\":\"" + x.project +
                 "\",\"name\":\"I\"}")
                    .c_str()) != LD_OK)
            die("indicator");
        x.indicator = take_id(out);
        if (ld_step_list(&out, x.ann, x.group.c_str()) != LD_OK) die("steps");
        x.step = take_id(out);
        if (ld_resource_add(&out, x.ann, x.group.c_str(),
                            "{\"id\":\"50000000-0000-4000-8000-000000000001\",\"name\":\"R\","
                            "\"url\":\"https://r.example.com/\"}") != LD_OK)
            die("resource");
        x.resource = take_id(out);
        return nw;
    }();
    return *w;
}

/// Runs `fn` in a transaction that is always rolled back.
template <typename Fn>
void rolled_back(World& w, Fn&& fn) {
    struct Rollback {};
    try {
        w.db->engine->batch([&] {
            fn();
            throw Rollback{};
        });
    } catch (const Rollback&) {
    }
}

/// A NUL-terminated copy of the fuzzer's bytes (the C API takes C strings).
inline std::string as_text(const uint8_t* data, size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

/// Every call must leave a consistent error state: LD_OK and no message, or a known negative code
/// equal to ld_last_error_code() and a non-empty message. Anything else is a bug: abort.
inline void check_status(int rc, char* out) {
    if (rc == LD_OK) {
        ld_string_free(out);
        return;
    }
    if (out != nullptr || rc > 0 || rc < LD_EAUTH || ld_last_error_code() != rc ||
        ld_last_error()[0] == '\0') {
        std::fprintf(stderr, "inconsistent failure: rc=%d code=%d message='%s'\n", rc,
                     ld_last_error_code(), ld_last_error());
        std::abort();
    }
    if (rc == LD_EINTERNAL) {
        std::fprintf(stderr, "LD_EINTERNAL (a bug by its own definition): %s\n", ld_last_error());
        std::abort();
    }
}

}  // namespace leandesk::fuzz
