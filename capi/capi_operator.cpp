// ld_operator_*: the operator's credential and powers (R12).
#include "capi_support.hpp"

using namespace leandesk;
using namespace leandesk::capi;

namespace {

Json policy_json(const PolicyVersion& v) {
    return Json{{"version", v.version}, {"summary", v.summary}, {"published_at", v.published_at}};
}

}  // namespace

extern "C" {

LD_API int ld_operator_set_secret(ld_db* db, const char* current, const char* new_secret) {
    return guard([&] {
        require(db, "db");
        db->engine->set_operator_secret(current != nullptr ? current : "",
                                        text(new_secret, "new_secret"));
    });
}

LD_API int ld_operator_get_user(char** out, ld_session* s, const char* user_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        rules::enforce(rules::operator_power(a, "read any user's record"));
        return Json(e.get_user(a, text(user_id, "user_id")));
    });
}

LD_API int ld_operator_set_user_status(char** out, ld_session* s, const char* user_id,
                                       const char* status) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.set_user_status(a, text(user_id, "user_id"),
                                      user_status_from(text(status, "status"))));
    });
}

LD_API int ld_operator_set_user_deactivated(char** out, ld_session* s, const char* user_id,
                                            int deactivated) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.set_user_deactivated(a, text(user_id, "user_id"), deactivated != 0));
    });
}

LD_API int ld_operator_change_login_email(char** out, ld_session* s, const char* user_id,
                                          const char* email) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.change_login_email(a, text(user_id, "user_id"), text(email, "email")));
    });
}

LD_API int ld_operator_reset_password(ld_session* s, const char* user_id) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.operator_reset_password(a, text(user_id, "user_id"));
    });
}

LD_API int ld_operator_publish_policy(char** out, ld_session* s, const char* summary) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return policy_json(e.publish_policy(a, text(summary, "summary")));
    });
}

LD_API int ld_operator_active_users(char** out, ld_session* s) {
    return with_session(
        out, s, [&](Engine& e, const Actor& a) { return Json(e.recently_active_users(a)); });
}

LD_API int ld_operator_newsletter_recipients(char** out, ld_session* s) {
    return with_session(
        out, s, [&](Engine& e, const Actor& a) { return Json(e.newsletter_recipients(a)); });
}

LD_API int ld_operator_usage_report(char** out, ld_session* s) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        Json rows = Json::array();
        for (const auto& c : e.usage_report(a)) {
            rows.push_back(Json{{"event", c.what.event},
                                {"platform", c.what.platform},
                                {"os_version", c.what.os_version},
                                {"app_version", c.what.app_version},
                                {"device_class", c.what.device_class},
                                {"count", c.count}});
        }
        return rows;
    });
}
}
