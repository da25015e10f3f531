// Accounts without a session, sessions, the signed-in user's own account, and execute-by-name.
#include <cstdlib>
#include <cstring>

#include "capi_support.hpp"
#include "model/json.hpp"

using namespace leandesk;
using namespace leandesk::capi;

namespace {

int new_session(ld_session** out, ld_db* db, const std::function<Session(Engine&)>& open) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(db, "db");
        auto session = std::make_unique<ld_session>();
        session->db = db;
        const Session s = open(*db->engine);
        session->token = s.token;
        session->is_operator = s.user_id.empty();
        *out = session.release();
    });
}

}  // namespace

extern "C" {

// ---- accounts -------------------------------------------------------------------------------

LD_API int ld_account_sign_up(char** out, ld_db* db, const char* input_json) {
    return with_db(out, db,
                   [&](Engine& e) { return Json(e.sign_up(json_arg(input_json, "input_json"))); });
}

LD_API int ld_account_resend_activation(ld_db* db, const char* email) {
    return guard([&] {
        require(db, "db");
        db->engine->resend_activation(text(email, "email"));
    });
}

LD_API int ld_account_activate(char** out, ld_db* db, const char* code) {
    return with_db(out, db,
                   [&](Engine& e) { return Json(e.activate_account(text(code, "code"))); });
}

LD_API int ld_account_request_password_reset(ld_db* db, const char* email) {
    return guard([&] {
        require(db, "db");
        db->engine->request_password_reset(text(email, "email"));
    });
}

LD_API int ld_account_reset_password(ld_db* db, const char* code, const char* new_password) {
    return guard([&] {
        require(db, "db");
        db->engine->reset_password(text(code, "code"), text(new_password, "new_password"));
    });
}

// ---- sessions -------------------------------------------------------------------------------

LD_API int ld_session_sign_in(ld_session** out, ld_db* db, const char* email,
                              const char* password) {
    return new_session(out, db, [&](Engine& e) {
        return e.sign_in(text(email, "email"), text(password, "password"));
    });
}

LD_API int ld_session_resume(ld_session** out, ld_db* db, const char* token) {
    return new_session(out, db, [&](Engine& e) {
        Session s = e.describe_session(text(token, "token"));
        s.token = token;
        return s;
    });
}

LD_API int ld_operator_sign_in(ld_session** out, ld_db* db, const char* secret) {
    return new_session(out, db,
                       [&](Engine& e) { return e.operator_sign_in(text(secret, "secret")); });
}

LD_API void ld_session_free(ld_session* session) {
    std::unique_ptr<ld_session> owned(session);
}

LD_API int ld_session_sign_out(ld_session* session) {
    return guard([&] {
        require(session, "session");
        session->db->engine->sign_out(session->token);
    });
}

LD_API int ld_session_token(char** out, ld_session* session) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(session, "session");
        *out = to_c_string(session->token);
    });
}

LD_API int ld_session_info(char** out, ld_session* session) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(session, "session");
        const Session s = session->db->engine->describe_session(session->token);
        const Json info{{"user_id", s.user_id.empty() ? Json(nullptr) : Json(s.user_id)},
                        {"expires_at", s.expires_at},
                        {"policy_notice_required", s.policy_notice_required},
                        {"policy_version", s.policy_version},
                        {"is_operator", session->is_operator}};
        *out = to_c_string(info.dump());
    });
}

LD_API int ld_session_execute(char** out, ld_session* session, const char* command,
                              const char* args_json) {
    return with_session(out, session, [&](Engine& e, const Actor& a) {
        return e.execute(a, text(command, "command"), json_arg_or_empty(args_json, "args_json"));
    });
}

// ---- my account -------------------------------------------------------------------------------

LD_API int ld_me_get(char** out, ld_session* session) {
    return with_session(out, session,
                        [&](Engine& e, const Actor& a) { return Json(e.get_user(a, a.user_id)); });
}

LD_API int ld_me_update(char** out, ld_session* session, const char* patch_json) {
    return with_session(out, session, [&](Engine& e, const Actor& a) {
        return Json(e.update_profile(a, a.user_id, json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_me_request_email_change(ld_session* session, const char* new_email) {
    return with_session(session, [&](Engine& e, const Actor& a) {
        e.request_email_change(a, text(new_email, "new_email"));
    });
}

LD_API int ld_me_change_password(ld_session* session, const char* current_password,
                                 const char* new_password) {
    return guard([&] {
        require(session, "session");
        session->db->engine->change_password(session->token,
                                             text(current_password, "current_password"),
                                             text(new_password, "new_password"));
    });
}

LD_API int ld_me_set_avatar(char** out, ld_session* session, const uint8_t* image, size_t size) {
    return with_session(out, session, [&](Engine& e, const Actor& a) {
        if (size > 0) require(image, "image");
        return Json(e.set_avatar(a, std::vector<unsigned char>(image, image + size)));
    });
}

LD_API int ld_me_acknowledge_policy(char** out, ld_session* session, int64_t version) {
    return with_session(out, session, [&](Engine& e, const Actor& a) {
        return Json(e.acknowledge_policy(a, version));
    });
}

LD_API int ld_me_delete_account(ld_session* session, const char* password) {
    return with_session(session, [&](Engine& e, const Actor& a) {
        e.delete_account(a, text(password, "password"));
    });
}

LD_API int ld_dashboard_get(char** out, ld_session* session) {
    return with_session(out, session,
                        [&](Engine& e, const Actor& a) { return Json(e.dashboard(a)); });
}
}
