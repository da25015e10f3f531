#include "test_support.hpp"

#include <sqlite3.h>

#include <unistd.h>
#include <atomic>
#include <random>
#include <sstream>

namespace leandesk::testing {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("leandesk-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string snapshot(const std::string& db_path) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::ostringstream out;
    std::vector<std::string> tables;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                       &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
        tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    }
    sqlite3_finalize(s);
    for (const auto& t : tables) {
        out << "## " << t << "\n";
        const std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY 1, 2";
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            sqlite3_finalize(s);
            sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\" ORDER BY 1").c_str(), -1, &s,
                               nullptr);
        }
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); ++c) {
                const auto* txt = sqlite3_column_text(s, c);
                out << (txt != nullptr ? reinterpret_cast<const char*>(txt) : "NULL") << '|';
            }
            out << '\n';
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return out.str();
}

void EngineTest::SetUp() {
    dir = std::make_unique<TempDir>();
    db_path = dir->file("test.db");
    open();
    ann = make_user("ann@example.com", "Ann", "Archer");
    bob = make_user("bob@example.com", "Bob", "Baker");
    cat = make_user("cat@example.com", "Cat", "Cooper");
    dan = make_user("dan@example.com", "Dan", "Diaz");
}

void EngineTest::TearDown() {
    engine.reset();
    dir.reset();
}

void EngineTest::open() {
    engine.reset();
    EngineOptions o;
    o.path = db_path;
    o.clock = manual_clock(now);
    o.random = seeded_random(42 + static_cast<std::uint64_t>(*now));
    engine = std::make_unique<Engine>(std::move(o));
}

Actor EngineTest::make_user(const std::string& email, const std::string& first,
                            const std::string& last, bool activated) {
    const User u = engine->create_user(
        {{"email", email}, {"first_name", first}, {"last_name", last}, {"activated", activated}});
    return Actor::user(u.id);
}

Group EngineTest::make_group(const Actor& manager, const std::string& name,
                             const std::vector<Actor>& members) {
    Group g = engine->create_group(manager, {{"name", name}});
    for (const auto& m : members) {
        engine->add_member(manager, g.id, engine->get_user(m, m.user_id).email);
    }
    return g;
}

Project EngineTest::make_project(const Actor& owner, const Group& group, const std::string& name,
                                 const std::vector<Actor>& participants) {
    Project p = engine->create_project(owner, {{"group_id", group.id}, {"name", name}});
    for (const auto& m : participants) engine->add_participant(owner, p.id, m.user_id);
    return p;
}

Action EngineTest::make_action(const Actor& actor, const Project& project,
                               const std::string& title) {
    return engine->create_action(actor, {{"project_id", project.id}, {"title", title}});
}

Step EngineTest::step_of_kind(const Actor& viewer, const Group& group, StepKind kind) {
    for (const auto& s : engine->group_steps(viewer, group.id)) {
        if (s.kind == kind) return s;
    }
    throw std::runtime_error("no step of that kind");
}

}  // namespace leandesk::testing
