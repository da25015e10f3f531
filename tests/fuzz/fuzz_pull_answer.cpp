// Fuzz target: a replica applying a pull answer it must not trust (src/sync/replica.cpp: pull,
// fetch_blobs, apply_page; src/sync/tables.cpp: upsert_row, delete_row, upsert_person). The input
// is the text of one pull answer: parsed as the HTTPS transport parses it (parse_server_answer),
// it reaches the replica as its first page, and every later pull of that sync gets an empty page.
//
// The world — a server engine with its authority; accounts ann (manager) and bob (member and
// participant); a group, a project, an action with a photo, an indicator; Bob's replica, synced —
// is built once. Before each input Bob's database is restored from a copy taken then (the SQLite
// backup API; skipped when the last input changed no row), so every input meets the same state.
//
// Besides ASan/UBSan/LSan, the run aborts when the sync throws anything but leandesk::Error (a
// nlohmann type_error, std::out_of_range: the app would see an internal error instead of "the
// server's answer is malformed"); when a failed sync left a change behind (a fingerprint of the
// replica's records and checkpoints); or when the replica's database fails PRAGMA quick_check or
// foreign_key_check afterwards.
//
// Seeds: LEANDESK_FUZZ_WRITE_SEEDS=<dir> makes the binary write real answers of the world (Bob's
// full download, a page that loses the project, a page of tombstones) there and exit.
#include <sqlite3.h>

#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/mail.hpp"
#include "auth/password.hpp"
#include "common/clock.hpp"
#include "engine/engine.hpp"
#include "engine/engine_impl.hpp"
#include "fuzz_sync_support.hpp"
#include "sync/authority.hpp"
#include "sync/http_transport.hpp"
#include "sync/replica.hpp"
#include "sync/transport.hpp"

using namespace leandesk;

namespace {

constexpr Millis kNow = 1772442000000;  // 2026-03-02T09:00:00Z
constexpr const char* kPassword = "fuzzing-password";

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "fuzz_pull_answer: %s\n", what.c_str());
    std::abort();
}

/// The authority for everything but pull, whose answer is the input's.
class FuzzTransport : public sync::Transport {
  public:
    explicit FuzzTransport(std::shared_ptr<sync::Transport> real) : real_(std::move(real)) {}
    Json sign_in(const std::string& email, const std::string& password) override {
        return real_->sign_in(email, password);
    }
    Json push(const std::string& token, const Json& request) override {
        return real_->push(token, request);
    }
    Json pull(const std::string& token, const Json& request) override {
        std::lock_guard lock(mutex_);  // the replica asks for its next page from another thread
        if (record) return real_->pull(token, request);
        if (answer_) {
            Json a = std::move(*answer_);
            answer_.reset();
            return a;
        }
        return Json{
            {"more", false},         {"rows", Json::array()},    {"buckets", Json::object()},
            {"lost", Json::array()}, {"persons", Json::array()}, {"gone", Json::array()}};
    }
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override {
        real_->put_blob(token, hash, bytes);
    }
    std::vector<unsigned char> get_blob(const std::string& token,
                                        const std::string& hash) override {
        return real_->get_blob(token, hash);
    }
    void answer_with(Json page) {
        std::lock_guard lock(mutex_);
        answer_ = std::move(page);
    }

    bool record = true;  // while the world is built: the real answers

  private:
    std::shared_ptr<sync::Transport> real_;
    std::mutex mutex_;
    std::optional<Json> answer_;
};

struct World {
    std::filesystem::path dir;
    std::shared_ptr<Millis> now = std::make_shared<Millis>(kNow);
    std::shared_ptr<RecordingMailSender> mail = std::make_shared<RecordingMailSender>();
    std::unique_ptr<Engine> server;
    std::unique_ptr<sync::Authority> authority;
    std::shared_ptr<FuzzTransport> transport;
    std::unique_ptr<Engine> bob_db;
    std::unique_ptr<sync::Replica> bob;
    sqlite3* snapshot = nullptr;
    sqlite3_int64 changes_after_restore = -1;
    std::string ann, bob_id, group, project, action;
};

std::string code_of(const Mail& m) {
    const auto at = m.text.find("\n    ");
    if (at == std::string::npos) die("no code in a mail");
    const auto end = m.text.find('\n', at + 5);
    return m.text.substr(at + 5, end - at - 5);
}

/// What a failed sync must leave as it was: the records and the checkpoints. (Blobs are not in
/// it: they are stored as they arrive, before their page, and dropped by a later page if unused;
/// nor is the replica's status row, which records the failure.)
std::string fingerprint(Engine& e) {
    auto& impl = e.internals();
    return impl.read([&] {
        auto s = impl.db.prepare(
            "SELECT (SELECT COUNT(*) || ':' || COALESCE(group_concat(id || title || priority), '') "
            "FROM actions) || '|' || (SELECT COUNT(*) FROM projects) || '|' || (SELECT COUNT(*) "
            "FROM groups) || '|' || (SELECT COUNT(*) FROM users) || '|' || (SELECT COUNT(*) FROM "
            "photos) || '|' || (SELECT COUNT(*) FROM members) || '|' || (SELECT COUNT(*) FROM "
            "participants) || '|' || (SELECT COUNT(*) FROM indicators) || '|' || (SELECT "
            "COALESCE(group_concat(bucket || seq), '') FROM sync_checkpoints)");
        s.step();
        return s.text(0);
    });
}

void check_database(Engine& e) {
    auto& impl = e.internals();
    impl.read([&] {
        auto q = impl.db.prepare("PRAGMA quick_check");
        if (!q.step() || q.text(0) != "ok") die("quick_check: " + q.text(0));
        auto f = impl.db.prepare("PRAGMA foreign_key_check");
        if (f.step()) die("foreign_key_check: a row of " + f.text(0) + " names a missing parent");
    });
}

EngineOptions options(const std::string& path, const std::shared_ptr<Millis>& now,
                      std::uint64_t seed) {
    EngineOptions o(path);
    o.clock = manual_clock(now);
    o.random = seeded_random(seed);
    o.password_params = auth::PasswordParams::fastest_for_tests();
    return o;
}

World& world() {
    static World* w = [] {
        auto* nw = new World;  // lives for the whole process: the fuzzer never exits cleanly
        World& x = *nw;
        x.dir = std::filesystem::temp_directory_path() /
                ("leandesk-fuzz-pull-" + std::to_string(::getpid()));
        std::filesystem::remove_all(x.dir);
        std::filesystem::create_directories(x.dir);
        // libFuzzer ends a bounded run with exit(): the databases' folder goes with it.
        static std::filesystem::path folder = x.dir;
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(folder, ec);
        });
        EngineOptions so = options((x.dir / "server.db").string(), x.now, 1);
        so.mail = x.mail;
        x.server = std::make_unique<Engine>(std::move(so));
        Engine& s = *x.server;
        const auto account = [&](const char* first, const char* email) {
            const User u = s.sign_up({{"first_name", first},
                                      {"last_name", "Fuzz"},
                                      {"email", email},
                                      {"password", kPassword}});
            s.activate_account(code_of(x.mail->sent().back()));
            return u.id;
        };
        x.ann = account("Ann", "ann@example.com");
        x.bob_id = account("Bob", "bob@example.com");
        const Actor ann = Actor::user(x.ann);
        x.group = s.create_group(ann, {{"name", "G"}}).id;
        s.add_member(ann, x.group, "bob@example.com");
        x.project = s.create_project(ann, {{"group_id", x.group}, {"name", "P"}}).id;
        s.add_participant(ann, x.project, x.bob_id);
        x.action = s.create_action(ann, {{"project_id", x.project}, {"title", "A"}}).id;
        s.create_indicator(ann, {{"project_id", x.project}, {"name", "I"}});
        s.add_photo(ann, x.action, fuzz::kTinyPng, {{"caption", "c"}});
        x.authority = std::make_unique<sync::Authority>(s);
        x.transport = std::make_shared<FuzzTransport>(
            std::make_shared<sync::InProcessTransport>(s, *x.authority));
        x.bob_db = std::make_unique<Engine>(options((x.dir / "bob.db").string(), x.now, 2));
        sync::Replica::attach(*x.bob_db, {"https://sync.example.test", "", ""});
        x.bob = std::make_unique<sync::Replica>(*x.bob_db, x.transport);
        x.bob->sign_in("bob@example.com", kPassword);
        x.bob->sync_now();
        x.transport->record = false;
        if (sqlite3_open(":memory:", &x.snapshot) != SQLITE_OK) die("snapshot open");
        std::lock_guard lock(x.bob_db->internals().mutex);
        fuzz::copy_database(x.bob_db->internals().db.handle(), x.snapshot);
        return nw;
    }();
    return *w;
}

void write_seeds(World& w, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const auto write = [&](const char* name, const Json& page) {
        std::ofstream(dir / name, std::ios::binary) << page.dump();
    };
    // Bob's whole download, as a fresh replica asks for it.
    const Json full = w.authority->pull(
        Actor::user(w.bob_id),
        Json{{"limit", 5000}, {"checkpoints", Json::object()}, {"refetch", Json::array()}});
    write("full_download.json", full);
    // A page that loses the project, and one of tombstones.
    Json lost = full;
    lost["rows"] = Json::array();
    lost["lost"] = Json::array({"p:" + w.project});
    write("lost_project.json", lost);
    Json gone = full;
    gone["rows"] = Json::array();
    gone["gone"] = Json::array({Json::array({"action", w.action}), Json::array({"user", w.ann}),
                                Json::array({"project", w.project})});
    write("tombstones.json", gone);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* dir = std::getenv("LEANDESK_FUZZ_WRITE_SEEDS")) {
        write_seeds(world(), dir);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    Engine& bob_db = *w.bob_db;
    {
        // Restored only when the last input wrote (a restore makes SQLite read the schema again).
        std::lock_guard lock(bob_db.internals().mutex);
        sqlite3* db = bob_db.internals().db.handle();
        if (sqlite3_total_changes64(db) != w.changes_after_restore) {
            fuzz::copy_database(w.snapshot, db);
            w.changes_after_restore = sqlite3_total_changes64(db);
        }
    }
    Json page;
    try {
        // What the HTTPS transport does with an answer before the replica reads it.
        page = sync::parse_server_answer(std::string(reinterpret_cast<const char*>(data), size));
    } catch (const Error&) {
        return 0;
    }
    const std::string before = fingerprint(bob_db);
    w.transport->answer_with(std::move(page));
    try {
        w.bob->sync_now();
    } catch (const Error&) {
        if (fingerprint(bob_db) != before) die("a failed sync left a change behind");
    } catch (const std::exception& e) {
        die(std::string("the sync threw a non-Error exception: ") + e.what());
    }
    check_database(bob_db);
    return 0;
}
