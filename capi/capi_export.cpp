// ld_group_export_xlsx, ld_group_backup, ld_group_restore, ld_project_report(_send): thin shims
// over src/export.
#include "capi_support.hpp"
#include "export/backup.hpp"
#include "export/group_export.hpp"
#include "export/report.hpp"
#include "leandesk/export.h"

using namespace leandesk;
using namespace leandesk::capi;

namespace {

// A C progress callback as the engine's Progress (empty when there is none).
exports::Progress progress_of(ld_progress_fn fn, void* userdata) {
    if (fn == nullptr) return {};
    return [fn, userdata](std::int64_t done, std::int64_t total) {
        return fn(done, total, userdata) == 0;
    };
}

std::string non_empty(const char* p, const char* what) {
    std::string s = text(p, what);
    if (s.empty()) throw_invalid(std::string("'") + what + "' is empty");
    return s;
}

}  // namespace

extern "C" {

LD_API int ld_group_export_xlsx(ld_session* s, const char* group_id, const char* path,
                                ld_progress_fn progress, void* userdata) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        exports::export_group_xlsx(e, a, text(group_id, "group_id"), non_empty(path, "path"),
                                   progress_of(progress, userdata));
    });
}

LD_API int ld_group_backup(ld_session* s, const char* group_id, const char* folder,
                           ld_progress_fn progress, void* userdata) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        exports::backup_group(e, a, text(group_id, "group_id"), non_empty(folder, "folder"),
                              progress_of(progress, userdata));
    });
}

LD_API int ld_group_restore(char** out, ld_session* s, const char* folder, ld_progress_fn progress,
                            void* userdata) {
    return with_session(out, s, [&](Engine& e, const Actor& a) {
        return Json(exports::restore_group(e, a, non_empty(folder, "folder"),
                                           progress_of(progress, userdata)));
    });
}

LD_API int ld_project_report(char** out_html, char** out_text, ld_session* s,
                             const char* project_id) {
    return guard([&] {
        require(out_html, "out_html");
        require(out_text, "out_text");
        *out_html = nullptr;
        *out_text = nullptr;
        require(s, "session");
        Engine& e = *s->db->engine;
        const Actor a = e.authenticate(s->token);
        const auto report = exports::project_report(e, a, text(project_id, "project_id"));
        char* html = to_c_string(report.html);
        char* plain = nullptr;
        try {
            plain = to_c_string(report.text);
        } catch (...) {
            ld_string_free(html);
            throw;
        }
        *out_html = html;
        *out_text = plain;
    });
}

LD_API int ld_project_report_send(ld_session* s, const char* project_id,
                                  const char* recipient_ids_json) {
    return with_session(s, [&](Engine& e, const Actor& a) {
        const Json ids = json_arg(recipient_ids_json, "recipient_ids_json");
        if (!ids.is_array()) throw_invalid("'recipient_ids_json' must be a JSON array of user ids");
        std::vector<Id> recipients;
        for (const Json& id : ids) {
            if (!id.is_string()) throw_invalid("'recipient_ids_json' must hold user ids (strings)");
            recipients.push_back(id.get<std::string>());
        }
        exports::send_project_report(e, a, text(project_id, "project_id"), recipients);
    });
}
}
