// ld_action_*, ld_comment_*, ld_indicator_*, ld_photo_*, ld_blob_read: shims over the plan's
// commands and queries.
#include <cstdlib>
#include <cstring>

#include "capi_support.hpp"

using namespace leandesk;
using namespace leandesk::capi;

extern "C" {

LD_API int ld_action_create(char** out, ld_session* s, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.create_action(a, json_arg(input_json, "input_json")));
    });
}

LD_API int ld_action_get(char** out, ld_session* s, const char* action_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.get_action(a, text(action_id, "action_id")));
    });
}

LD_API int ld_action_update(char** out, ld_session* s, const char* action_id,
                            const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(
            e.update_action(a, text(action_id, "action_id"), json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_action_move(char** out, ld_session* s, const char* action_id, const char* step_id,
                          const char* before_action_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        std::optional<Id> before;
        if (before_action_id != nullptr) before = before_action_id;
        return Json(
            e.move_action(a, text(action_id, "action_id"), text(step_id, "step_id"), before));
    });
}

LD_API int ld_action_delete(ld_session* s, const char* action_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.delete_action(a, text(action_id, "action_id")); });
}

LD_API int ld_comment_add(char** out, ld_session* s, const char* action_id,
                          const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(
            e.add_comment(a, text(action_id, "action_id"), json_arg(input_json, "input_json")));
    });
}

LD_API int ld_comment_delete(ld_session* s, const char* comment_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.delete_comment(a, text(comment_id, "comment_id")); });
}

LD_API int ld_indicator_create(char** out, ld_session* s, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.create_indicator(a, json_arg(input_json, "input_json")));
    });
}

LD_API int ld_indicator_update(char** out, ld_session* s, const char* indicator_id,
                               const char* patch_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.update_indicator(a, text(indicator_id, "indicator_id"),
                                       json_arg(patch_json, "patch_json")));
    });
}

LD_API int ld_indicator_delete(ld_session* s, const char* indicator_id) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.delete_indicator(a, text(indicator_id, "indicator_id"));
    });
}

LD_API int ld_indicator_set_value(char** out, ld_session* s, const char* indicator_id,
                                  const char* week, double actual) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.set_indicator_value(a, text(indicator_id, "indicator_id"), text(week, "week"),
                                          actual));
    });
}

LD_API int ld_indicator_clear_value(ld_session* s, const char* indicator_id, const char* week) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        e.clear_indicator_value(a, text(indicator_id, "indicator_id"), text(week, "week"));
    });
}

LD_API int ld_indicator_curve(char** out, ld_session* s, const char* indicator_id) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(e.indicator_curve(a, text(indicator_id, "indicator_id")));
    });
}

LD_API int ld_photo_add(char** out, ld_session* s, const char* action_id, const uint8_t* image,
                        size_t size, const char* input_json) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        if (size > 0) require(image, "image");
        return Json(e.add_photo(a, text(action_id, "action_id"),
                                std::vector<unsigned char>(image, image + size),
                                json_arg_or_empty(input_json, "input_json")));
    });
}

LD_API int ld_photo_remove(ld_session* s, const char* photo_id) {
    return with_session(
        s, [&](Engine& e, const Actor& a) { e.remove_photo(a, text(photo_id, "photo_id")); });
}

LD_API int ld_blob_read(uint8_t** out, size_t* out_size, ld_session* s, const char* hash) {
    return guard([&] {
        require(out, "out");
        *out = nullptr;
        require(out_size, "out_size");
        *out_size = 0;
        require(s, "session");
        Engine& e = *s->db->engine;
        const auto bytes = e.read_blob(e.authenticate(s->token), text(hash, "hash"));
        auto* copy = static_cast<uint8_t*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
        if (copy == nullptr) throw std::bad_alloc();
        if (!bytes.empty()) std::memcpy(copy, bytes.data(), bytes.size());
        *out = copy;
        *out_size = bytes.size();
    });
}
}
