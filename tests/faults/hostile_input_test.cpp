// The hostile-input catalogue: one table of bad inputs, by kind — invalid UTF-8, NUL bytes, huge
// strings, SQL metacharacters, numbers out of range, unknown enum values, malformed ids, dates out
// of range, and paths that try to leave a folder — each sent through the C API at the function
// that would receive it from an app. Every row must
//   - return its documented code, with ld_last_error_code() equal to it and a non-empty message,
//   - leave `*out` NULL,
//   - change nothing: a full dump of every table (read through a separate SQLite connection) and
//     the count of mails sent are the same before and after.
// A malformed id passed as a function's argument names nothing, so it gets LD_ENOTFOUND, like an
// unknown one (the C API's convention, see capi_bad_input_test.c); inside JSON input it is
// LD_EINVAL. Messages echo an id only when it is short printable ASCII.
// (tests/c/capi_bad_input_test.c probes every function with NULLs and generic bad values; this
// table is organised by the kind of hostility, with inputs an attacker would actually try.)
// After the table, SQL metacharacters in free text are shown to be stored verbatim, as data.
#include <leandesk/export.h>
#include <leandesk/leandesk.h>
#include <leandesk/sync.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "db_check.hpp"

namespace {

namespace lf = leandesk::faults;

struct Ctx {
    ld_db* db = nullptr;
    ld_session* ann = nullptr;  // manages the group, owns the project
    ld_session* op = nullptr;   // the operator
    std::string ann_id, bob_id, group, project, action, indicator, step, resource;
    std::string backup_traversal, backup_symlink;  // hostile backup folders (see set_up)
    std::string replica;                           // where ld_sync_open rows would make a replica
    int mails = 0;
    std::string last_code;
    long long clock = 1772442000000LL;
};

int64_t fixed_clock(void* userdata) {
    return static_cast<Ctx*>(userdata)->clock;
}

int keep_mail(const char* mail_json, void* userdata) {
    auto* c = static_cast<Ctx*>(userdata);
    ++c->mails;
    const std::string mail(mail_json);
    const auto at = mail.find("\\n    ");
    if (at != std::string::npos) {
        const auto end = mail.find("\\n", at + 6);
        c->last_code = mail.substr(at + 6, end - at - 6);
    }
    return 0;
}

void ok(int rc, const std::string& what) {
    if (rc != LD_OK) throw std::runtime_error(what + ": " + ld_last_error());
}

std::string take(char* out) {
    std::string s = out != nullptr ? out : "";
    ld_string_free(out);
    return s;
}

// A relative path that climbs to "/" from any working directory.
std::string to_root() {
    std::string up;
    for (int i = 0; i < 64; ++i) up += "../";
    return up;
}

std::string id_in(const std::string& json, const std::string& key = "id") {
    const auto at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) throw std::runtime_error("no " + key + " in " + json);
    const auto start = at + key.size() + 4;
    return json.substr(start, json.find('"', start) - start);
}

ld_session* account(Ctx& c, const std::string& first, const std::string& email, std::string& id) {
    char* out = nullptr;
    ok(ld_account_sign_up(
           &out, c.db,
           ("{\"first_name\":\"" + first + "\",\"last_name\":\"Hostile\",\"email\":\"" + email +
            "\",\"password\":\"hostile-password-1\"}")
               .c_str()),
       "sign up");
    id = id_in(take(out));
    ok(ld_account_activate(&out, c.db, c.last_code.c_str()), "activate");
    ld_string_free(out);
    ld_session* s = nullptr;
    ok(ld_session_sign_in(&s, c.db, email.c_str(), "hostile-password-1"), "sign in");
    return s;
}

void set_up(Ctx& c, const std::string& path) {
    char* out = nullptr;
    ok(ld_db_open(&c.db, path.c_str(), "{\"password_opslimit\":1,\"password_memlimit\":8192}"),
       "open");
    ok(ld_db_set_clock(c.db, fixed_clock, &c, nullptr), "clock");
    ok(ld_db_set_mail_sender(c.db, keep_mail, &c, nullptr), "mail");
    c.ann = account(c, "Ann", "ann@example.com", c.ann_id);
    ld_session* bob = account(c, "Bob", "bob@example.com", c.bob_id);
    ld_session_free(bob);
    ok(ld_operator_set_secret(c.db, nullptr, "operator-secret-0123456789"), "operator secret");
    ok(ld_operator_sign_in(&c.op, c.db, "operator-secret-0123456789"), "operator");
    ok(ld_group_create(&out, c.ann, "{\"name\":\"Plant\"}"), "group");
    c.group = id_in(take(out));
    ok(ld_group_add_member(&out, c.ann, c.group.c_str(), "bob@example.com"), "member");
    ld_string_free(out);
    ok(ld_project_create(&out, c.ann,
                         ("{\"group_id\":\"" + c.group + "\",\"name\":\"Scrap\"}").c_str()),
       "project");
    c.project = id_in(take(out));
    ok(ld_action_create(&out, c.ann,
                        ("{\"project_id\":\"" + c.project + "\",\"title\":\"Measure\"}").c_str()),
       "action");
    c.action = id_in(take(out));
    ok(ld_indicator_create(&out, c.ann,
                           ("{\"project_id\":\"" + c.project + "\",\"name\":\"Rate\"}").c_str()),
       "indicator");
    c.indicator = id_in(take(out));
    ok(ld_step_list(&out, c.ann, c.group.c_str()), "steps");
    c.step = id_in(take(out));
    ok(ld_resource_add(&out, c.ann, c.group.c_str(),
                       "{\"name\":\"Wiki\",\"url\":\"https://wiki.example.com/\"}"),
       "resource");
    c.resource = id_in(take(out));
    static const uint8_t png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00,
                                  0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                                  0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89};
    ok(ld_photo_add(&out, c.ann, c.action.c_str(), png, sizeof png, nullptr), "photo");
    ld_string_free(out);
    // Two backups of the group, each made hostile: one whose group.json names a photo file that
    // leaves the folder, one whose photo file is a symbolic link to a file outside it.
    namespace fs = std::filesystem;
    const fs::path base = fs::path(path).parent_path();
    c.backup_traversal = (base / "backup-traversal").string();
    c.backup_symlink = (base / "backup-symlink").string();
    c.replica = (base / "replica.db").string();
    for (const auto& folder : {c.backup_traversal, c.backup_symlink}) {
        ok(ld_group_backup(c.ann, c.group.c_str(), folder.c_str(), nullptr, nullptr), "backup");
    }
    {
        const fs::path manifest = fs::path(c.backup_traversal) / "group.json";
        std::ifstream in(manifest, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = text.find("\"file\":\"photos/");
        if (at == std::string::npos) throw std::runtime_error("no photo file in the backup");
        const auto end = text.find('"', at + 8);
        text.replace(at + 8, end - at - 8, "photos/../../../../../../etc/passwd");
        std::ofstream(manifest, std::ios::binary | std::ios::trunc) << text;
    }
    for (const auto& entry : fs::directory_iterator(fs::path(c.backup_symlink) / "photos")) {
        const fs::path photo = entry.path();
        fs::remove(photo);
        fs::create_symlink("/etc/passwd", photo);
    }
    ok(ld_db_checkpoint(c.db), "checkpoint");
}

struct Row {
    const char* kind;
    std::string what;
    int expected;
    std::function<int(Ctx&, char**)> call;
    std::string message = {};  // when set, ld_last_error() must contain it
};

std::string action_json(const Ctx& c, const std::string& fields) {
    return "{\"project_id\":\"" + c.project + "\"," + fields + "}";
}

std::vector<Row> catalogue() {
    const std::string huge(1 << 20, 'h');  // 1 MiB
    const std::string upper_id = "6F1C0000-0000-4000-8000-000000000001";
    std::vector<Row> t;
    const auto add = [&](const char* kind, std::string what, int expected,
                         std::function<int(Ctx&, char**)> call, std::string message = {}) {
        t.push_back({kind, std::move(what), expected, std::move(call), std::move(message)});
    };
    // -- invalid UTF-8 -------------------------------------------------------------------------
    add("utf8", "group name with bytes FF FE", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_group_create(o, c.ann, "{\"name\":\"\xff\xfe\"}"); });
    add("utf8", "action title with a truncated sequence", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"title\":\"ok\xc3\x28\"}");
    });
    add("utf8", "project name with an overlong '/' (C0 AF)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_project_update(o, c.ann, c.project.c_str(), "{\"name\":\"..\xc0\xaf..\"}");
    });
    add("utf8", "comment with an encoded surrogate (ED A0 80)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_comment_add(o, c.ann, c.action.c_str(), "{\"body\":\"\xed\xa0\x80\"}");
    });
    add("utf8", "lone surrogate escape \\ud800 in a step name", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_step_add(o, c.ann, c.group.c_str(), "{\"name\":\"\\ud800\",\"kind\":\"active\"}");
    });
    add("utf8", "member e-mail with byte FF", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_add_member(o, c.ann, c.group.c_str(), "\xff@example.com");
    });
    add("utf8", "code point above U+10FFFF (F4 90 80 80)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_me_update(o, c.ann, "{\"first_name\":\"\xf4\x90\x80\x80\"}");
    });
    // -- NUL and control bytes -----------------------------------------------------------------
    add("nul", "group name with an escaped NUL", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_group_create(o, c.ann, "{\"name\":\"a\\u0000b\"}"); });
    add("nul", "comment that is only NUL", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_comment_add(o, c.ann, c.action.c_str(), "{\"body\":\"\\u0000\"}");
    });
    add("nul", "project id followed by NUL in JSON", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_create(
            o, c.ann, ("{\"project_id\":\"" + c.project + "\\u0000\",\"title\":\"x\"}").c_str());
    });
    add("nul", "first name with ESC (terminal escape)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_me_update(o, c.ann, "{\"first_name\":\"\\u001b[31mAnn\"}");
    });
    add("nul", "group name with an escaped NUL through ld_session_execute", LD_EINVAL,
        [](Ctx& c, char** o) {
            return ld_session_execute(o, c.ann, "create_group",
                                      "{\"input\":{\"name\":\"a\\u0000\"}}");
        });
    // -- huge strings --------------------------------------------------------------------------
    add("huge", "action title of 1 MiB", LD_EINVAL, [huge](Ctx& c, char** o) {
        return ld_action_create(o, c.ann, action_json(c, "\"title\":\"" + huge + "\"").c_str());
    });
    add("huge", "group name of 201 characters (limit 200)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_create(o, c.ann, ("{\"name\":\"" + std::string(201, 'g') + "\"}").c_str());
    });
    add("huge", "group name of 201 two-byte characters", LD_EINVAL, [](Ctx& c, char** o) {
        std::string name;
        for (int i = 0; i < 201; ++i) name += "\xc3\xa9";
        return ld_group_create(o, c.ann, ("{\"name\":\"" + name + "\"}").c_str());
    });
    add("huge", "description of 20,001 characters (limit 20,000)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(),
                                ("{\"description\":\"" + std::string(20001, 'd') + "\"}").c_str());
    });
    add("huge", "JSON nested 100,000 deep", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_create(o, c.ann,
                               (std::string(100000, '[') + std::string(100000, ']')).c_str());
    });
    add("huge", "e-mail of 300 characters", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_add_member(o, c.ann, c.group.c_str(),
                                   (std::string(288, 'm') + "@example.com").c_str());
    });
    add("huge", "input of 20 MiB", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_create(o, c.ann,
                               ("{\"name\":\"" + std::string(20 << 20, 'n') + "\"}").c_str());
    });
    add("huge", "password of 1 MiB at sign-in", LD_EAUTH, [huge](Ctx& c, char**) {
        ld_session* s = nullptr;
        return ld_session_sign_in(&s, c.db, "ann@example.com", huge.c_str());
    });
    // -- JSON nested 100,000 deep, at every function that takes JSON text (issue 20) -----------
    // Refused by the bounded parse before anything recursive touches the text; an array and an
    // object, the object form also deep inside an otherwise well-formed execute argument.
    const auto deep_array =
        std::make_shared<const std::string>(std::string(100000, '[') + std::string(100000, ']'));
    std::string object;
    for (int i = 1; i < 100000; ++i) object += "{\"a\":";
    object += "{}" + std::string(99999, '}');
    const auto deep_object = std::make_shared<const std::string>(std::move(object));
    using JsonCall = std::function<int(Ctx&, char**, const char*)>;
    const std::vector<std::pair<std::string, JsonCall>> json_functions = {
        {"ld_db_open options",
         [](Ctx&, char**, const char* j) {
             ld_db* other = nullptr;
             const int rc = ld_db_open(&other, ":memory:", j);
             ld_db_close(other);
             return rc;
         }},
        {"ld_sync_open options",
         [](Ctx& c, char**, const char* j) {
             ld_db* other = nullptr;
             const int rc = ld_sync_open(&other, c.replica.c_str(), j, "https://sync.invalid/",
                                         nullptr, nullptr);
             ld_db_close(other);
             return rc;
         }},
        {"ld_account_sign_up",
         [](Ctx& c, char** o, const char* j) { return ld_account_sign_up(o, c.db, j); }},
        {"ld_usage_record", [](Ctx& c, char**, const char* j) { return ld_usage_record(c.db, j); }},
        {"ld_session_execute",
         [](Ctx& c, char** o, const char* j) {
             return ld_session_execute(o, c.ann, "create_group", j);
         }},
        {"ld_session_execute (inside \"input\")",
         [](Ctx& c, char** o, const char* j) {
             return ld_session_execute(o, c.ann, "create_group",
                                       ("{\"input\":" + std::string(j) + "}").c_str());
         }},
        {"ld_me_update", [](Ctx& c, char** o, const char* j) { return ld_me_update(o, c.ann, j); }},
        {"ld_group_create",
         [](Ctx& c, char** o, const char* j) { return ld_group_create(o, c.ann, j); }},
        {"ld_group_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_group_update(o, c.ann, c.group.c_str(), j);
         }},
        {"ld_step_add",
         [](Ctx& c, char** o, const char* j) { return ld_step_add(o, c.ann, c.group.c_str(), j); }},
        {"ld_step_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_step_update(o, c.ann, c.step.c_str(), j);
         }},
        {"ld_resource_add",
         [](Ctx& c, char** o, const char* j) {
             return ld_resource_add(o, c.ann, c.group.c_str(), j);
         }},
        {"ld_resource_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_resource_update(o, c.ann, c.resource.c_str(), j);
         }},
        {"ld_project_create",
         [](Ctx& c, char** o, const char* j) { return ld_project_create(o, c.ann, j); }},
        {"ld_project_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_project_update(o, c.ann, c.project.c_str(), j);
         }},
        {"ld_project_report_recipients",
         [](Ctx& c, char** o, const char* j) {
             return ld_project_report_recipients(o, c.ann, c.project.c_str(), j);
         }},
        {"ld_project_report_send",
         [](Ctx& c, char**, const char* j) {
             return ld_project_report_send(c.ann, c.project.c_str(), j);
         }},
        {"ld_action_create",
         [](Ctx& c, char** o, const char* j) { return ld_action_create(o, c.ann, j); }},
        {"ld_action_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_action_update(o, c.ann, c.action.c_str(), j);
         }},
        {"ld_comment_add",
         [](Ctx& c, char** o, const char* j) {
             return ld_comment_add(o, c.ann, c.action.c_str(), j);
         }},
        {"ld_indicator_create",
         [](Ctx& c, char** o, const char* j) { return ld_indicator_create(o, c.ann, j); }},
        {"ld_indicator_update",
         [](Ctx& c, char** o, const char* j) {
             return ld_indicator_update(o, c.ann, c.indicator.c_str(), j);
         }},
        {"ld_photo_add",
         [](Ctx& c, char** o, const char* j) {
             static const uint8_t png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00,
                                           0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
                                           0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00,
                                           0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89};
             return ld_photo_add(o, c.ann, c.action.c_str(), png, sizeof png, j);
         }},
    };
    for (const auto& [name, call] : json_functions) {
        for (const auto& [shape, text] :
             {std::make_pair("array", deep_array), std::make_pair("object", deep_object)}) {
            add(
                "depth", name + ": " + shape + " nested 100,000 deep", LD_EINVAL,
                [call = call, text = text](Ctx& c, char** o) { return call(c, o, text->c_str()); },
                "nested too deeply");
        }
    }
    // -- SQL metacharacters --------------------------------------------------------------------
    add("sql", "group id \"' OR '1'='1\"", LD_ENOTFOUND,
        [](Ctx& c, char** o) { return ld_group_get(o, c.ann, "' OR '1'='1"); });
    add("sql", "action id \"1; DROP TABLE actions; --\"", LD_ENOTFOUND,
        [](Ctx& c, char**) { return ld_action_delete(c.ann, "1; DROP TABLE actions; --"); });
    add("sql", "member e-mail with a quote and a comment", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_group_add_member(o, c.ann, c.group.c_str(),
                                   "x'; DELETE FROM users; --@example.com");
    });
    add("sql", "sign-in e-mail \"' OR 1=1 --\"", LD_EINVAL, [](Ctx& c, char**) {
        ld_session* s = nullptr;
        return ld_session_sign_in(&s, c.db, "' OR 1=1 --", "whatever-password");
    });
    add("sql", "blob hash of LIKE wildcards", LD_EINVAL, [](Ctx& c, char**) {
        uint8_t* b = nullptr;
        size_t n = 0;
        return ld_blob_read(&b, &n, c.ann, std::string(64, '%').c_str());
    });
    add("sql", "ISO week \"2026-W10' --\"", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_indicator_set_value(o, c.ann, c.indicator.c_str(), "2026-W10' --", 1.0);
    });
    // -- numbers out of range ------------------------------------------------------------------
    add("range", "progress 101", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"progress\":101}");
    });
    add("range", "progress -1", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"progress\":-1}");
    });
    add("range", "progress 2^63 (above int64)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"progress\":9223372036854775808}");
    });
    add("range", "progress 50.5 (not an integer)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"progress\":50.5}");
    });
    add("range", "priority 4 (0-3)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"priority\":4}");
    });
    add("range", "impact 1e999 (overflows a double)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_update(o, c.ann, c.action.c_str(), "{\"impact\":1e999}");
    });
    add("range", "indicator value NaN", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_indicator_set_value(o, c.ann, c.indicator.c_str(), "2026-W10",
                                      std::numeric_limits<double>::quiet_NaN());
    });
    add("range", "indicator value +infinity", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_indicator_set_value(o, c.ann, c.indicator.c_str(), "2026-W10",
                                      std::numeric_limits<double>::infinity());
    });
    add("range", "step position -1", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_step_move(o, c.ann, c.step.c_str(), -1); });
    add("range", "step position INT64_MAX", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_step_move(o, c.ann, c.step.c_str(), std::numeric_limits<int64_t>::max());
    });
    add("range", "policy version -1", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_me_acknowledge_policy(o, c.ann, -1); });
    add("range", "change log limit -1", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_db_changes_since(o, c.db, 0, -1); });
    add("range", "max_blob_bytes -5 at open", LD_EINVAL, [](Ctx&, char**) {
        ld_db* other = nullptr;
        return ld_db_open(&other, ":memory:", "{\"max_blob_bytes\":-5}");
    });
    // -- unknown enum values -------------------------------------------------------------------
    add("enum", "step kind \"closed\"", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_step_add(o, c.ann, c.group.c_str(), "{\"name\":\"Later\",\"kind\":\"closed\"}");
    });
    add("enum", "project status \"archived\"", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_project_update(o, c.ann, c.project.c_str(), "{\"status\":\"archived\"}");
    });
    add("enum", "project status \"ACTIVE\" (wrong case)", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_project_update(o, c.ann, c.project.c_str(), "{\"status\":\"ACTIVE\"}");
    });
    add("enum", "user status \"platinum\"", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_operator_set_user_status(o, c.op, c.ann_id.c_str(), "platinum");
    });
    add("enum", "step kind as a number", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_step_update(o, c.ann, c.step.c_str(), "{\"kind\":2}"); });
    add("enum", "unknown command name", LD_EINVAL,
        [](Ctx& c, char** o) { return ld_session_execute(o, c.ann, "drop_everything", "{}"); });
    // -- malformed ids -------------------------------------------------------------------------
    add("id", "empty project id", LD_ENOTFOUND,
        [](Ctx& c, char** o) { return ld_project_get(o, c.ann, ""); });
    add("id", "upper-case UUID", LD_ENOTFOUND,
        [upper_id](Ctx& c, char** o) { return ld_group_get(o, c.ann, upper_id.c_str()); });
    add("id", "UUID one character short", LD_ENOTFOUND,
        [](Ctx& c, char** o) { return ld_action_get(o, c.ann, c.action.substr(1).c_str()); });
    add("id", "UUID with a non-hex digit", LD_ENOTFOUND, [](Ctx& c, char** o) {
        return ld_action_get(o, c.ann, ("g" + c.action.substr(1)).c_str());
    });
    add("id", "UUID in braces", LD_ENOTFOUND,
        [](Ctx& c, char** o) { return ld_group_get(o, c.ann, ("{" + c.group + "}").c_str()); });
    add("id", "client-chosen id that is not a UUID", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_create(o, c.ann,
                                action_json(c, "\"id\":\"../../x\",\"title\":\"t\"").c_str());
    });
    add("id", "id as a number", LD_EINVAL, [](Ctx& c, char** o) {
        return ld_action_create(o, c.ann, action_json(c, "\"id\":12,\"title\":\"t\"").c_str());
    });
    add("id", "well-formed but unknown id", LD_ENOTFOUND, [](Ctx& c, char** o) {
        return ld_group_get(o, c.ann, "00000000-0000-4000-8000-000000000000");
    });
    add("id", "session token of the wrong shape", LD_ENOTSIGNEDIN, [](Ctx& c, char**) {
        ld_session* s = nullptr;
        return ld_session_resume(&s, c.db, "../../../../etc/passwd");
    });
    // -- dates out of range --------------------------------------------------------------------
    const char* bad_dates[] = {"2026-02-30",  "2026-13-01", "2026-00-10",           "1899-12-31",
                               "10000-01-01", "2026-1-5",   "2026-03-02T10:00:00Z", "0000-00-00",
                               "2026-03-02 ", "+2026-03-02"};
    for (const char* d : bad_dates) {
        const std::string date = d;
        add("date", "due date \"" + date + "\"", LD_EINVAL, [date](Ctx& c, char** o) {
            return ld_action_update(o, c.ann, c.action.c_str(),
                                    ("{\"due_date\":\"" + date + "\"}").c_str());
        });
    }
    add("date", "project target date 2026-02-29 (not a leap year)", LD_EINVAL,
        [](Ctx& c, char** o) {
            return ld_project_update(o, c.ann, c.project.c_str(),
                                     "{\"target_date\":\"2026-02-29\"}");
        });
    for (const char* w : {"2026-W54", "2026-W00", "2021-W53", "2026-W1", "2026W10"}) {
        const std::string week = w;
        add("date", "ISO week \"" + week + "\"", LD_EINVAL, [week](Ctx& c, char** o) {
            return ld_indicator_set_value(o, c.ann, c.indicator.c_str(), week.c_str(), 1.0);
        });
    }
    // -- paths and URLs that try to leave a folder ---------------------------------------------
    for (const char* u :
         {"../../etc/passwd", "file:///etc/passwd", "/etc/passwd", "javascript:alert(1)",
          "https://wiki.example.com/a b", "http://example.com/\x01"}) {
        const std::string url = u;
        add("path", "resource url \"" + url + "\"", LD_EINVAL, [url](Ctx& c, char** o) {
            return ld_resource_update(o, c.ann, c.resource.c_str(),
                                      ("{\"url\":\"" + url + "\"}").c_str());
        });
    }
    add("path", "backup whose photo file is \"photos/../../../../../../etc/passwd\"", LD_ECORRUPT,
        [](Ctx& c, char** o) {
            return ld_group_restore(o, c.ann, c.backup_traversal.c_str(), nullptr, nullptr);
        });
    add("path", "backup whose photo file is a symbolic link to /etc/passwd", LD_ECORRUPT,
        [](Ctx& c, char** o) {
            return ld_group_restore(o, c.ann, c.backup_symlink.c_str(), nullptr, nullptr);
        });
    // 64 levels up reaches "/" from any working directory (".." at the root stays there), so the
    // case means the same in every build folder and every CI checkout path.
    add("path", "restore from \"../(64 levels)/etc\" (a folder, not a backup)", LD_ECORRUPT,
        [](Ctx& c, char** o) {
            return ld_group_restore(o, c.ann, (to_root() + "etc").c_str(), nullptr, nullptr);
        });
    add("path", "restore from \"../(64 levels)/no-such-folder\"", LD_ENOTFOUND,
        [](Ctx& c, char** o) {
            return ld_group_restore(o, c.ann, (to_root() + "no-such-folder").c_str(), nullptr,
                                    nullptr);
        });
    add("path", "blob hash \"../../../etc/passwd\"", LD_EINVAL, [](Ctx& c, char**) {
        uint8_t* b = nullptr;
        size_t n = 0;
        return ld_blob_read(&b, &n, c.ann, "../../../../../../../../../../../../../etc/passwd");
    });
    return t;
}

std::string snapshot(const std::string& path, const Ctx& c) {
    auto db = lf::open_plain(path, "unix");
    return lf::dump(db.get()) + "mails=" + std::to_string(c.mails);
}

}  // namespace

int main() {
    lf::TempDir dir("hostile");
    const std::string path = dir.file("hostile.db");
    Ctx c;
    set_up(c, path);
    lf::Checks checks;
    std::string before = snapshot(path, c);
    int rows = 0;
    for (const Row& row : catalogue()) {
        ++rows;
        const std::string label = std::string("[") + row.kind + "] " + row.what;
        char* out = nullptr;
        const int rc = row.call(c, &out);
        checks.expect(rc == row.expected, label + ": returned " + std::to_string(rc) + " (" +
                                              ld_error_name(rc) + ": " + ld_last_error() +
                                              "), expected " + ld_error_name(row.expected));
        checks.expect(ld_last_error_code() == rc, label + ": ld_last_error_code() differs");
        checks.expect(ld_last_error()[0] != '\0', label + ": no message");
        checks.expect(row.message.empty() ||
                          std::string(ld_last_error()).find(row.message) != std::string::npos,
                      label + ": the message does not say \"" + row.message + "\"");
        checks.expect(out == nullptr, label + ": *out was set");
        ld_string_free(out);
        const std::string after = snapshot(path, c);
        checks.expect(after == before, label + ": changed the database");
        before = after;
    }
    std::printf("hostile inputs: %d rows\n", rows);

    // SQL metacharacters in free text are data: stored and read back byte for byte.
    const std::string name = "Robert'); DROP TABLE groups; -- \\\" % _ [x]";
    char* out = nullptr;
    std::string json_name;
    for (char ch : name)
        json_name += (ch == '"' || ch == '\\') ? std::string("\\") + ch : std::string(1, ch);
    const int rc = ld_group_create(&out, c.ann, ("{\"name\":\"" + json_name + "\"}").c_str());
    checks.expect(rc == LD_OK, "a group name with SQL metacharacters is accepted");
    const std::string group = rc == LD_OK ? id_in(take(out)) : "";
    {
        auto db = lf::open_plain(path, "unix");
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db.get(), "SELECT name FROM groups WHERE id = ?", -1, &s, nullptr);
        sqlite3_bind_text(s, 1, group.c_str(), -1, SQLITE_TRANSIENT);
        const bool found = sqlite3_step(s) == SQLITE_ROW;
        checks.expect(found && reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) == name,
                      "the name is stored verbatim");
        sqlite3_finalize(s);
        checks.expect(lf::integrity(db.get()) == "ok", "integrity_check");
    }
    ld_session_free(c.ann);
    ld_session_free(c.op);
    ld_db_close(c.db);
    return checks.summary();
}
