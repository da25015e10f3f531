// ld_group_*, ld_step_*, ld_resource_*: thin shims over the engine's group commands and queries.
#include "capi_support.hpp"

using namespace leandesk;
using namespace leandesk::capi;

extern "C" {

LD_API int ld_group_create(char** out, ld_session* s, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.create_group(a, json_arg(input_json, "input_json")));
    });
}

LD_API int ld_group_get(char** out, ld_session* s, const char* group_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.get_group(a, text(group_id, "group_id")));
    });
}

LD_API int ld_group_list(char** out, ld_session* s) {
    return with_session(out, s, [&](Engine& e, const Actor& a) { return Json(e.my_groups(a)); });
}

LD_API int ld_group_update(char** out, ld_session* s, const char* group_id,
                           const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(
            e.update_group(a, text(group_id, "group_id"), json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_group_delete(ld_session* s, const char* group_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.delete_group(a, text(group_id, "group_id")); });
}

LD_API int ld_group_members(char** out, ld_session* s, const char* group_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.group_members(a, text(group_id, "group_id")));
    });
}

LD_API int ld_group_add_member(char** out, ld_session* s, const char* group_id, const char* email) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.add_member(a, text(group_id, "group_id"), text(email, "email")));
    });
}

LD_API int ld_group_remove_member(ld_session* s, const char* group_id, const char* user_id) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.remove_member(a, text(group_id, "group_id"), text(user_id, "user_id"));
    });
}

LD_API int ld_group_leave(ld_session* s, const char* group_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.leave_group(a, text(group_id, "group_id")); });
}

LD_API int ld_group_transfer(char** out, ld_session* s, const char* group_id,
                             const char* new_manager_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.transfer_group(a, text(group_id, "group_id"),
                                     text(new_manager_id, "new_manager_id")));
    });
}

LD_API int ld_group_projects(char** out, ld_session* s, const char* group_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.group_projects(a, text(group_id, "group_id")));
    });
}

LD_API int ld_step_list(char** out, ld_session* s, const char* group_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.group_steps(a, text(group_id, "group_id")));
    });
}

LD_API int ld_step_add(char** out, ld_session* s, const char* group_id, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.add_step(a, text(group_id, "group_id"), json_arg(input_json, "input_json")));
    });
}

LD_API int ld_step_update(char** out, ld_session* s, const char* step_id, const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.update_step(a, text(step_id, "step_id"), json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_step_move(char** out, ld_session* s, const char* step_id, int64_t position) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.move_step(a, text(step_id, "step_id"), position));
    });
}

LD_API int ld_step_remove(ld_session* s, const char* step_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.remove_step(a, text(step_id, "step_id")); });
}

LD_API int ld_resource_list(char** out, ld_session* s, const char* group_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.group_resources(a, text(group_id, "group_id")));
    });
}

LD_API int ld_resource_add(char** out, ld_session* s, const char* group_id,
                           const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(
            e.add_resource(a, text(group_id, "group_id"), json_arg(input_json, "input_json")));
    });
}

LD_API int ld_resource_update(char** out, ld_session* s, const char* resource_id,
                              const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.update_resource(a, text(resource_id, "resource_id"),
                                      json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_resource_remove(ld_session* s, const char* resource_id) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.remove_resource(a, text(resource_id, "resource_id"));
    });
}
}
