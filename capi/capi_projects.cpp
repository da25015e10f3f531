// ld_project_*: thin shims over the engine's project commands and queries.
#include "capi_support.hpp"

using namespace leandesk;
using namespace leandesk::capi;

extern "C" {

LD_API int ld_project_create(char** out, ld_session* s, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.create_project(a, json_arg(input_json, "input_json")));
    });
}

LD_API int ld_project_get(char** out, ld_session* s, const char* project_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.get_project(a, text(project_id, "project_id")));
    });
}

LD_API int ld_project_list(char** out, ld_session* s) {
    return with_session(out, s, [&](Engine& e, const Actor& a) { return Json(e.my_projects(a)); });
}

LD_API int ld_project_update(char** out, ld_session* s, const char* project_id,
                             const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.update_project(a, text(project_id, "project_id"),
                                     json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_project_delete(ld_session* s, const char* project_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.delete_project(a, text(project_id, "project_id")); });
}

LD_API int ld_project_participants(char** out, ld_session* s, const char* project_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.project_participants(a, text(project_id, "project_id")));
    });
}

LD_API int ld_project_add_participant(char** out, ld_session* s, const char* project_id,
                                      const char* user_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.add_participant(a, text(project_id, "project_id"), text(user_id, "user_id")));
    });
}

LD_API int ld_project_remove_participant(ld_session* s, const char* project_id,
                                         const char* user_id) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.remove_participant(a, text(project_id, "project_id"), text(user_id, "user_id"));
    });
}

LD_API int ld_project_leave(ld_session* s, const char* project_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.leave_project(a, text(project_id, "project_id")); });
}

LD_API int ld_project_transfer(char** out, ld_session* s, const char* project_id,
                               const char* new_owner_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.transfer_project(a, text(project_id, "project_id"),
                                       text(new_owner_id, "new_owner_id")));
    });
}

LD_API int ld_project_actions(char** out, ld_session* s, const char* project_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.project_actions(a, text(project_id, "project_id")));
    });
}

LD_API int ld_project_review(char** out, ld_session* s, const char* project_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.project_review(a, text(project_id, "project_id")));
    });
}

LD_API int ld_project_indicators(char** out, ld_session* s, const char* project_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.project_indicators(a, text(project_id, "project_id")));
    });
}

LD_API int ld_project_report_recipients(char** out, ld_session* s, const char* project_id,
                                        const char* recipient_ids_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return e.execute(
            a, "report_recipients",
            Json{{"project_id", text(project_id, "project_id")},
                 {"recipient_ids", json_arg(recipient_ids_json, "recipient_ids_json")}});
    });
}
}
