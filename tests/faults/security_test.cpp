// Security checks through the C API — what an app (or an attacker holding one) sees. The engine
// tests (tests/cpp/accounts_test.cpp) check the engine's side; these check the shims and outputs of
// the public library:
//   1. no password, code, token or stored hash in log lines, returned JSON or error messages, and
//   no
//      token, code or password in clear anywhere in the database file or its WAL;
//   2. sign-in rate limiting holds through the C API and across a reopen of the database;
//   3. every sign-in gives a new session token; ending one session leaves the others; a password
//      change ends the others;
//   4. knowing a blob's hash grants nothing: a user outside the group, a member who is not in the
//      project, or a removed member gets LD_ENOTFOUND — the same answer as for a hash that does not
//      exist, so the answer is no oracle either.
#include <leandesk/leandesk.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "db_check.hpp"

namespace {

namespace lf = leandesk::faults;

const char* const kOptions = "{\"password_opslimit\":1,\"password_memlimit\":8192}";
const std::vector<unsigned char> kPng = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

struct World {
    ld_db* db = nullptr;
    long long clock = 1772442000000LL;
    std::string last_code;
    std::vector<std::string> log;      // every log line
    std::vector<std::string> outputs;  // every JSON string and error message handed out
    std::vector<std::string> secrets;  // passwords, codes, tokens the app or user typed or got
};

int64_t world_clock(void* u) {
    return static_cast<World*>(u)->clock;
}
void world_log(int, const char* line, void* u) {
    static_cast<World*>(u)->log.emplace_back(line);
}
int world_mail(const char* mail_json, void* u) {
    auto* w = static_cast<World*>(u);
    const std::string mail(mail_json);
    const auto at = mail.find("\\n    ");
    if (at == std::string::npos) return 1;
    const auto end = mail.find("\\n", at + 6);
    w->last_code = mail.substr(at + 6, end - at - 6);
    w->secrets.push_back(w->last_code);
    return 0;
}

void open_world(World& w, const std::string& path) {
    if (ld_db_open(&w.db, path.c_str(), kOptions) != LD_OK)
        throw std::runtime_error(ld_last_error());
    ld_db_set_clock(w.db, world_clock, &w, nullptr);
    ld_db_set_log(w.db, world_log, &w, nullptr);
    ld_db_set_mail_sender(w.db, world_mail, &w, nullptr);
}

/// Keeps a returned string (or the error message) for the leak scan.
std::string keep(World& w, int rc, char* out) {
    std::string s = out != nullptr ? out : "";
    ld_string_free(out);
    w.outputs.push_back(rc == LD_OK ? s : std::string(ld_last_error()));
    return s;
}

void must(int rc, const std::string& what) {
    if (rc != LD_OK) throw std::runtime_error(what + ": " + ld_last_error());
}

std::string field(const std::string& json, const std::string& key) {
    const auto at = json.find("\"" + key + "\":\"");
    if (at == std::string::npos) return {};
    const auto start = at + key.size() + 4;
    return json.substr(start, json.find('"', start) - start);
}

std::string token_of(World& w, ld_session* s) {
    char* out = nullptr;
    must(ld_session_token(&out, s), "token");
    std::string t = out;
    ld_string_free(out);
    w.secrets.push_back(t);
    return t;
}

std::string user(World& w, const std::string& first, const std::string& email,
                 const std::string& pw) {
    char* out = nullptr;
    const std::string input = "{\"first_name\":\"" + first +
                              "\",\"last_name\":\"Sec\",\"email\":\"" + email +
                              "\",\"password\":\"" + pw + "\"}";
    w.secrets.push_back(pw);
    const int rc = ld_account_sign_up(&out, w.db, input.c_str());
    const std::string id = field(keep(w, rc, out), "id");
    must(rc, "sign up");
    const int rc2 = ld_account_activate(&out, w.db, w.last_code.c_str());
    keep(w, rc2, out);
    must(rc2, "activate");
    return id;
}

ld_session* sign_in(World& w, const std::string& email, const std::string& pw) {
    ld_session* s = nullptr;
    const int rc = ld_session_sign_in(&s, w.db, email.c_str(), pw.c_str());
    w.outputs.push_back(rc == LD_OK ? "" : ld_last_error());
    must(rc, "sign in " + email);
    token_of(w, s);
    return s;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The stored hashes: they must never be handed out or logged either.
std::vector<std::string> stored_hashes(const std::string& path) {
    auto db = lf::open_plain(path, "unix");
    std::vector<std::string> hashes;
    for (const char* sql :
         {"SELECT password_hash FROM credentials", "SELECT token_hash FROM sessions",
          "SELECT token_hash FROM account_tokens", "SELECT secret_hash FROM operator_credential"}) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql, -1, &s, nullptr) != SQLITE_OK) continue;
        while (sqlite3_step(s) == SQLITE_ROW) {
            hashes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        }
        sqlite3_finalize(s);
    }
    return hashes;
}

// ---- 1. secrets ---------------------------------------------------------------------------------
void secrets_stay_secret(lf::Checks& checks, const std::string& dir) {
    World w;
    const std::string path = dir + "/secrets.db";
    open_world(w, path);
    const std::string ann = user(w, "Ann", "ann@example.com", "ann-first-password");
    user(w, "Bob", "bob@example.com", "bob-first-password");
    ld_session* a = sign_in(w, "ann@example.com", "ann-first-password");
    ld_session* a2 = sign_in(w, "ann@example.com", "ann-first-password");
    char* out = nullptr;
    int rc = ld_group_create(&out, a, "{\"name\":\"Secret plant\"}");
    const std::string group = field(keep(w, rc, out), "id");
    rc = ld_group_add_member(&out, a, group.c_str(), "bob@example.com");
    keep(w, rc, out);
    // Failures that see a secret must not echo it.
    ld_session* none = nullptr;
    w.secrets.emplace_back("wrong-password-typed");
    rc = ld_session_sign_in(&none, w.db, "ann@example.com", "wrong-password-typed");
    keep(w, rc, nullptr);
    w.secrets.emplace_back("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
    rc = ld_session_resume(&none, w.db, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
    keep(w, rc, nullptr);
    rc = ld_account_activate(&out, w.db, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
    keep(w, rc, out);
    rc = ld_me_change_password(a, "wrong-password-typed", "ann-second-password");
    keep(w, rc, nullptr);
    // A reset and a password change, an e-mail change, the operator.
    rc = ld_account_request_password_reset(w.db, "bob@example.com");
    keep(w, rc, nullptr);
    w.secrets.emplace_back("bob-second-password");
    rc = ld_account_reset_password(w.db, w.last_code.c_str(), "bob-second-password");
    keep(w, rc, nullptr);
    w.secrets.emplace_back("ann-second-password");
    rc = ld_me_change_password(a, "ann-first-password", "ann-second-password");
    keep(w, rc, nullptr);
    rc = ld_me_request_email_change(a, "ann.new@example.com");
    keep(w, rc, nullptr);
    w.secrets.emplace_back("operator-secret-for-security");
    must(ld_operator_set_secret(w.db, nullptr, "operator-secret-for-security"), "operator secret");
    ld_session* op = nullptr;
    must(ld_operator_sign_in(&op, w.db, "operator-secret-for-security"), "operator");
    token_of(w, op);
    // Everything an app reads back.
    rc = ld_me_get(&out, a), keep(w, rc, out);
    rc = ld_session_info(&out, a), keep(w, rc, out);
    rc = ld_session_info(&out, op), keep(w, rc, out);
    rc = ld_group_members(&out, a, group.c_str()), keep(w, rc, out);
    rc = ld_db_changes_since(&out, w.db, 0, 100000), keep(w, rc, out);
    rc = ld_operator_get_user(&out, op, ann.c_str()), keep(w, rc, out);
    rc = ld_operator_active_users(&out, op), keep(w, rc, out);
    rc = ld_session_execute(&out, a, "get_user", ("{\"user_id\":\"" + ann + "\"}").c_str()),
    keep(w, rc, out);
    rc = ld_db_storage_info(&out, w.db), keep(w, rc, out);
    must(ld_db_checkpoint(w.db), "checkpoint");

    const std::vector<std::string> hashes = stored_hashes(path);
    const std::string file = file_bytes(path) + file_bytes(path + "-wal");
    checks.expect(!w.log.empty(), "the library logged something to scan");
    checks.expect(hashes.size() >= 6, "the database holds password, session and token hashes");
    for (const auto& secret : w.secrets) {
        checks.expect(file.find(secret) == std::string::npos,
                      "a secret in clear in the database file: " + secret.substr(0, 6) + "...");
    }
    std::vector<std::string> needles = w.secrets;
    needles.insert(needles.end(), hashes.begin(), hashes.end());
    needles.emplace_back("$argon2");
    for (const auto& needle : needles) {
        for (const auto& line : w.log) {
            checks.expect(line.find(needle) == std::string::npos,
                          "log line holds a secret: " + line);
        }
        for (const auto& o : w.outputs) {
            checks.expect(o.find(needle) == std::string::npos,
                          "returned JSON or message holds a secret: " + o.substr(0, 120));
        }
    }
    ld_session_free(a);
    ld_session_free(a2);
    ld_session_free(op);
    ld_db_close(w.db);
}

// ---- 2. rate limiting ---------------------------------------------------------------------------
void sign_in_is_rate_limited(lf::Checks& checks, const std::string& dir) {
    World w;
    const std::string path = dir + "/rate.db";
    open_world(w, path);
    user(w, "Ann", "ann@example.com", "ann-good-password");
    user(w, "Bob", "bob@example.com", "bob-good-password");
    ld_session* s = nullptr;
    for (int i = 0; i < 5; ++i) {
        const std::string guess = "guess-number-" + std::to_string(i);
        checks.expect(ld_session_sign_in(&s, w.db, "ann@example.com", guess.c_str()) == LD_EAUTH,
                      "wrong password " + std::to_string(i) + " is LD_EAUTH");
    }
    checks.expect(
        ld_session_sign_in(&s, w.db, "ann@example.com", "ann-good-password") == LD_ERATELIMIT,
        "the sixth attempt is rate-limited, even with the right password");
    checks.expect(s == nullptr, "no session while rate-limited");
    // Closing and reopening (an attacker restarting the app) does not reset the count.
    ld_db_close(w.db);
    open_world(w, path);
    checks.expect(
        ld_session_sign_in(&s, w.db, "ann@example.com", "ann-good-password") == LD_ERATELIMIT,
        "still rate-limited after a reopen");
    checks.expect(ld_session_sign_in(&s, w.db, "bob@example.com", "bob-good-password") == LD_OK,
                  "another account is not affected");
    ld_session_free(s);
    s = nullptr;
    w.clock += 16LL * 60 * 1000;
    checks.expect(ld_session_sign_in(&s, w.db, "ann@example.com", "ann-good-password") == LD_OK,
                  "the limit lifts after the window");
    ld_session_free(s);
    ld_db_close(w.db);
}

// ---- 3. sessions --------------------------------------------------------------------------------
void every_sign_in_gets_a_new_token(lf::Checks& checks, const std::string& dir) {
    World w;
    open_world(w, dir + "/tokens.db");
    user(w, "Ann", "ann@example.com", "ann-good-password");
    std::set<std::string> tokens;
    std::vector<ld_session*> sessions;
    for (int i = 0; i < 5; ++i) {
        sessions.push_back(sign_in(w, "ann@example.com", "ann-good-password"));
        tokens.insert(token_of(w, sessions.back()));
    }
    checks.expect(tokens.size() == 5, "five sign-ins, five different tokens");
    checks.expect(ld_session_sign_out(sessions[0]) == LD_OK, "sign out of the first");
    ld_session* r = nullptr;
    checks.expect(ld_session_resume(&r, w.db, token_of(w, sessions[0]).c_str()) == LD_ESESSION,
                  "the signed-out token no longer resumes");
    checks.expect(ld_session_resume(&r, w.db, token_of(w, sessions[1]).c_str()) == LD_OK,
                  "the other sessions live on");
    ld_session_free(r);
    checks.expect(
        ld_me_change_password(sessions[1], "ann-good-password", "ann-newer-password") == LD_OK,
        "password change");
    r = nullptr;
    checks.expect(ld_session_resume(&r, w.db, token_of(w, sessions[2]).c_str()) == LD_ESESSION,
                  "a password change ends the other sessions");
    checks.expect(ld_session_resume(&r, w.db, token_of(w, sessions[1]).c_str()) == LD_OK,
                  "but not the one that changed it");
    ld_session_free(r);
    for (auto* s : sessions) ld_session_free(s);
    ld_db_close(w.db);
}

// ---- 4. blobs -----------------------------------------------------------------------------------
void a_hash_grants_nothing(lf::Checks& checks, const std::string& dir) {
    World w;
    open_world(w, dir + "/blobs.db");
    user(w, "Ann", "ann@example.com", "ann-good-password");
    const std::string bob_id = user(w, "Bob", "bob@example.com", "bob-good-password");
    user(w, "Cat", "cat@example.com", "cat-good-password");
    ld_session* ann = sign_in(w, "ann@example.com", "ann-good-password");
    ld_session* bob = sign_in(w, "bob@example.com", "bob-good-password");
    ld_session* cat = sign_in(w, "cat@example.com", "cat-good-password");
    char* out = nullptr;
    must(ld_group_create(&out, ann, "{\"name\":\"Private plant\"}"), "group");
    const std::string group = field(keep(w, LD_OK, out), "id");
    must(ld_group_add_member(&out, ann, group.c_str(), "bob@example.com"), "member");
    keep(w, LD_OK, out);
    must(ld_project_create(&out, ann,
                           ("{\"group_id\":\"" + group + "\",\"name\":\"Secret\"}").c_str()),
         "project");
    const std::string project = field(keep(w, LD_OK, out), "id");
    must(ld_action_create(&out, ann,
                          ("{\"project_id\":\"" + project + "\",\"title\":\"Fix\"}").c_str()),
         "action");
    const std::string action = field(keep(w, LD_OK, out), "id");
    must(ld_photo_add(&out, ann, action.c_str(), kPng.data(), kPng.size(), nullptr), "photo");
    const std::string hash = field(keep(w, LD_OK, out), "blob");
    checks.expect(hash.size() == 64, "the photo's blob hash is returned");

    const auto read_as = [&](ld_session* s, const std::string& h, std::string* message) {
        uint8_t* bytes = nullptr;
        size_t size = 0;
        const int rc = ld_blob_read(&bytes, &size, s, h.c_str());
        if (message != nullptr) *message = ld_last_error();
        checks.expect(rc == LD_OK || (bytes == nullptr && size == 0),
                      "nothing handed out on failure");
        ld_bytes_free(bytes);
        return rc;
    };
    checks.expect(read_as(ann, hash, nullptr) == LD_OK, "the owner reads the photo");
    std::string denied, missing;
    checks.expect(read_as(cat, hash, &denied) == LD_ENOTFOUND,
                  "a user outside the group cannot read it");
    const std::string unknown(64, 'a');
    checks.expect(read_as(cat, unknown, &missing) == LD_ENOTFOUND, "an unknown hash is not found");
    const auto strip = [](std::string m, const std::string& h) {
        const auto at = m.find(h);
        if (at != std::string::npos) m.erase(at, h.size());
        return m;
    };
    checks.expect(strip(denied, hash) == strip(missing, unknown),
                  "a hidden blob and a missing one get the same message (no oracle): '" + denied +
                      "' vs '" + missing + "'");
    checks.expect(read_as(bob, hash, nullptr) == LD_ENOTFOUND,
                  "a group member who is not in the project cannot read it (R8)");
    must(ld_project_add_participant(&out, ann, project.c_str(), bob_id.c_str()), "participant");
    keep(w, LD_OK, out);
    checks.expect(read_as(bob, hash, nullptr) == LD_OK, "a participant reads it");
    must(ld_group_remove_member(ann, group.c_str(), bob_id.c_str()), "remove member");
    checks.expect(read_as(bob, hash, nullptr) == LD_ENOTFOUND,
                  "a removed member no longer reads it (R4)");
    ld_session_free(ann);
    ld_session_free(bob);
    ld_session_free(cat);
    ld_db_close(w.db);
}

}  // namespace

int main() {
    lf::TempDir dir("security");
    const std::string path = dir.file("");
    lf::Checks checks;
    try {
        secrets_stay_secret(checks, path);
        sign_in_is_rate_limited(checks, path);
        every_sign_in_gets_a_new_token(checks, path);
        a_hash_grants_nothing(checks, path);
    } catch (const std::exception& e) {
        checks.expect(false, std::string("set-up failed: ") + e.what());
    }
    return checks.summary();
}
