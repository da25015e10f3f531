// A small app for the kill tests (sync_kill_test.cpp): one replica database used through the C API
// only, as an app would, so that the test can SIGKILL it in the middle of ld_sync_now.
//   sync_kill_driver <db> <url> <ca> <email> setup                      -> prints the project id
//   sync_kill_driver <db> <url> <ca> <email> signin
//   sync_kill_driver <db> <url> <ca> <email> queue <project> <n> <prefix>
//   sync_kill_driver <db> <url> <ca> <email> sync [kill_at_progress]
// `sync` prints "syncing" before ld_sync_now; with kill_at_progress > 0 the process SIGKILLs itself
// at that progress callback (after a batch was settled). Exit 0 on success, 1 on a LeanDesk error.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "leandesk/leandesk.h"
#include "leandesk/sync.h"

namespace {

const char* const kPassword = "correct horse battery";
long g_kill_at = 0;
long g_progress = 0;

int fail(const char* what) {
    std::fprintf(stderr, "%s: %s\n", what, ld_last_error());
    return 1;
}

int on_progress(int64_t, int64_t, void*) {
    if (g_kill_at > 0 && ++g_progress == g_kill_at) ::raise(SIGKILL);
    return 0;
}

std::string run(ld_session* s, const char* command, const std::string& args, bool& ok) {
    char* out = nullptr;
    if (ld_session_execute(&out, s, command, args.c_str()) != LD_OK) {
        ok = false;
        return {};
    }
    std::string text = out;
    ld_string_free(out);
    return text;
}

// The "id" of a JSON object answer (the driver links no JSON library: ids are plain UUIDs).
std::string id_of(const std::string& json) {
    const auto at = json.find("\"id\":\"");
    if (at == std::string::npos) return {};
    return json.substr(at + 6, 36);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: sync_kill_driver <db> <url> <ca> <email> <mode> ...\n");
        return 64;
    }
    const std::string mode = argv[5];
    ld_db* db = nullptr;
    if (ld_sync_open(&db, argv[1], R"({"password_opslimit":1,"password_memlimit":8192})", argv[2],
                     argv[3], nullptr) != LD_OK) {
        return fail("open");
    }
    int rc = 0;
    if (mode == "sync") {
        g_kill_at = argc > 6 ? std::atol(argv[6]) : 0;
        std::printf("syncing\n");
        std::fflush(stdout);
        if (ld_sync_now(db, on_progress, nullptr) != LD_OK) rc = fail("sync");
    } else {
        ld_session* s = nullptr;
        if (ld_sync_sign_in(&s, db, argv[4], kPassword) != LD_OK) {
            ld_db_close(db);
            return fail("sign in");
        }
        bool ok = true;
        if (mode == "setup") {
            const std::string g =
                id_of(run(s, "create_group", R"({"input":{"name":"Plant"}})", ok));
            const std::string p = id_of(run(
                s, "create_project", R"({"input":{"group_id":")" + g + R"(","name":"Kill"}})", ok));
            if (ok && ld_sync_now(db, nullptr, nullptr) != LD_OK) ok = false;
            if (ok) std::printf("%s\n", p.c_str());
        } else if (mode == "queue" && argc > 8) {
            const long n = std::atol(argv[7]);
            for (long i = 0; i < n && ok; ++i) {
                run(s, "create_action",
                    R"({"input":{"project_id":")" + std::string(argv[6]) + R"(","title":")" +
                        argv[8] + std::to_string(i) + R"("}})",
                    ok);
            }
        } else if (mode != "signin") {
            ok = false;
            std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        }
        if (!ok) rc = fail(mode.c_str());
        ld_session_free(s);
    }
    ld_db_close(db);
    return rc;
}
