// Regression tests for engine bugs this suite found (src/engine, src/store). Each case failed
// before its fix (docs/reliability.md, "Findings"); tests/faults/CMakeLists.txt registers them as
// faults.regression.*.
//
//   engine_bugs_test rate_limit_race        sign-in rate limiting does not hold against parallel
//                                           guesses (src/engine/engine_accounts.cpp, sign_in)
//   engine_bugs_test operator_reads_photos  the operator reads any group's photos by hash
//                                           (src/engine/engine_photos.cpp, read_blob; R12/R13)
#include <leandesk/leandesk.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db_check.hpp"

namespace {

namespace lf = leandesk::faults;

std::string g_code;
int keep_code(const char* mail_json, void*) {
    const std::string mail(mail_json);
    const auto at = mail.find("\\n    ");
    if (at == std::string::npos) return 1;
    g_code = mail.substr(at + 6, mail.find("\\n", at + 6) - at - 6);
    return 0;
}

void must(int rc, const char* what) {
    if (rc != LD_OK) throw std::runtime_error(std::string(what) + ": " + ld_last_error());
}

std::string field(const std::string& json, const std::string& key) {
    const auto at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) return {};
    const auto start = at + key.size() + 4;
    return json.substr(start, json.find('"', start) - start);
}

ld_db* open_with_user(
    const std::string& path,
    const char* options = "{\"password_opslimit\":1,\"password_memlimit\":8192}") {
    ld_db* db = nullptr;
    must(ld_db_open(&db, path.c_str(), options), "open");
    must(ld_db_set_mail_sender(db, keep_code, nullptr, nullptr), "mail");
    char* out = nullptr;
    must(ld_account_sign_up(
             &out, db,
             "{\"first_name\":\"Ann\",\"last_name\":\"Bug\",\"email\":\"ann@example.com\","
             "\"password\":\"the-right-password\"}"),
         "sign up");
    ld_string_free(out);
    must(ld_account_activate(&out, db, g_code.c_str()), "activate");
    ld_string_free(out);
    return db;
}

// The limit is 5 failures per 15 minutes. Sign-in reads the failure count, verifies the password
// outside the lock, then writes "count read + 1": parallel wrong guesses all read the same count,
// so the count lags far behind the guesses made. At most 5 wrong guesses may be verified (plus at
// most one per thread already past the check when the fifth failure was recorded).
void rate_limit_race(lf::Checks& checks, const std::string& dir) {
    // A hash that takes a few milliseconds, as a real one does (a hundred times more), so that the
    // guesses of a round overlap the way an attacker's parallel requests do.
    ld_db* db =
        open_with_user(dir + "/race.db", "{\"password_opslimit\":3,\"password_memlimit\":4194304}");
    constexpr int kThreads = 8;
    constexpr int kRounds = 25;
    std::atomic<int> verified{0};  // LD_EAUTH answers: a guess was checked against the hash
    std::atomic<int> limited{0};
    for (int round = 0; round < kRounds; ++round) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                ld_session* s = nullptr;
                const std::string guess =
                    "wrong-guess-" + std::to_string(round) + "-" + std::to_string(t);
                const int rc = ld_session_sign_in(&s, db, "ann@example.com", guess.c_str());
                if (rc == LD_EAUTH) ++verified;
                if (rc == LD_ERATELIMIT) ++limited;
                ld_session_free(s);
            });
        }
        for (auto& th : threads) th.join();
    }
    std::printf("rate_limit_race: %d guesses verified, %d rate-limited, of %d\n", verified.load(),
                limited.load(), kThreads * kRounds);
    checks.expect(verified.load() <= 5 + kThreads - 1,
                  "parallel guesses beat the rate limit: " + std::to_string(verified.load()) +
                      " wrong passwords were verified (limit 5)");
    ld_db_close(db);
}

// docs/accounts.md: "The operator administers accounts; it does not act on group data", and R13:
// nothing of a group is visible to a non-member. read_blob lets the operator read every blob.
void operator_reads_photos(lf::Checks& checks, const std::string& dir) {
    ld_db* db = open_with_user(dir + "/operator.db");
    ld_session* ann = nullptr;
    must(ld_session_sign_in(&ann, db, "ann@example.com", "the-right-password"), "sign in");
    char* out = nullptr;
    must(ld_group_create(&out, ann, "{\"name\":\"Private\"}"), "group");
    const std::string group = field(out, "id");
    ld_string_free(out);
    must(ld_project_create(&out, ann, ("{\"group_id\":\"" + group + "\",\"name\":\"P\"}").c_str()),
         "project");
    const std::string project = field(out, "id");
    ld_string_free(out);
    must(ld_action_create(&out, ann,
                          ("{\"project_id\":\"" + project + "\",\"title\":\"A\"}").c_str()),
         "action");
    const std::string action = field(out, "id");
    ld_string_free(out);
    static const uint8_t png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00,
                                  0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                                  0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89};
    must(ld_photo_add(&out, ann, action.c_str(), png, sizeof png, nullptr), "photo");
    const std::string hash = field(out, "blob");
    ld_string_free(out);
    must(ld_operator_set_secret(db, nullptr, "operator-secret-0123456789"), "secret");
    ld_session* op = nullptr;
    must(ld_operator_sign_in(&op, db, "operator-secret-0123456789"), "operator");
    uint8_t* bytes = nullptr;
    size_t size = 0;
    const int rc = ld_blob_read(&bytes, &size, op, hash.c_str());
    ld_bytes_free(bytes);
    checks.expect(rc == LD_ENOTFOUND,
                  "the operator read a group's photo by its hash (rc " + std::to_string(rc) + ")");
    ld_session_free(op);
    ld_session_free(ann);
    ld_db_close(db);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: engine_bugs_test rate_limit_race|operator_reads_photos\n");
        return 2;
    }
    lf::TempDir dir("engine-bugs");
    lf::Checks checks;
    try {
        if (std::strcmp(argv[1], "rate_limit_race") == 0)
            rate_limit_race(checks, dir.file(""));
        else if (std::strcmp(argv[1], "operator_reads_photos") == 0)
            operator_reads_photos(checks, dir.file(""));
        else
            return 2;
    } catch (const std::exception& e) {
        checks.expect(false, std::string("set-up failed: ") + e.what());
    }
    return checks.summary();
}
