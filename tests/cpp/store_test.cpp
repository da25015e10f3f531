// The store: schema versions and migrations, connection settings, atomic commands, the change log,
// observers, and erasure that really erases (R14).
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "engine/engine_impl.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "test_support.hpp"

namespace leandesk::testing {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void exec_raw(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
}

// The ids written into tests/fixtures/schema_v1.sql.
const Id kMarie = "11111111-1111-4111-8111-111111111111";
const Id kPierre = "22222222-2222-4222-8222-222222222222";
const Id kProject = "44444444-4444-4444-8444-444444444444";
const Id kAction = "66666666-6666-4666-8666-666666666666";

}  // namespace

TEST(Migrations, OpensADatabaseWrittenByTheFirstSchemaVersion) {
    TempDir dir;
    const std::string path = dir.file("v1.db");
    exec_raw(path, read_file(std::string(LEANDESK_SOURCE_DIR) + "/tests/fixtures/schema_v1.sql"));

    Engine engine(EngineOptions{path});
    EXPECT_EQ(engine.storage_info()["schema_version"], store::latest_schema_version());

    // What version 1 stored is all there and usable.
    const Actor marie = Actor::user(kMarie);
    const auto actions = engine.project_actions(marie, kProject);
    ASSERT_EQ(actions.size(), 1U);
    EXPECT_EQ(actions[0].title, "Isolate radium");
    EXPECT_EQ(actions[0].owner_id, kPierre);
    EXPECT_EQ(engine.get_user(marie, kMarie).accepted_policy_version, 0);  // added by version 2
    EXPECT_EQ(engine.changes_since(0).size(), 1U);

    // And what version 2 added works on it.
    const Comment c = engine.add_comment(marie, kAction, {{"body", "Use pitchblende"}});
    EXPECT_EQ(engine.get_action(marie, kAction).comments.at(0).id, c.id);
}

TEST(Migrations, StepwiseFromVersionOneKeepsData) {
    TempDir dir;
    const std::string path = dir.file("steps.db");
    {
        store::Database db(path);
        store::migrate(db, 1);
        EXPECT_EQ(store::schema_version(db), 1);
        db.exec(
            "INSERT INTO users (id, email, created_at) VALUES "
            "('11111111-1111-4111-8111-111111111111', 'a@example.com', 1)");
    }
    Engine engine(EngineOptions{path});
    EXPECT_EQ(engine.storage_info()["schema_version"], store::latest_schema_version());
    EXPECT_EQ(engine.get_user(Actor::user(kMarie), kMarie).email, "a@example.com");
}

TEST(Migrations, RefusesADatabaseFromANewerLibrary) {
    TempDir dir;
    const std::string path = dir.file("future.db");
    { Engine engine(EngineOptions{path}); }
    exec_raw(path, "PRAGMA user_version = 999");
    try {
        Engine engine(EngineOptions{path});
        FAIL() << "a newer schema must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::conflict);
        EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
    }
}

TEST(Store, RefusesAFileThatIsNotADatabase) {
    TempDir dir;
    const std::string path = dir.file("junk.db");
    std::ofstream(path) << std::string(8192, 'x');
    try {
        Engine engine(EngineOptions{path});
        FAIL() << "junk must be refused";
    } catch (const Error& e) {
        EXPECT_TRUE(e.code() == Errc::corrupt || e.code() == Errc::io) << e.what();
    }
}

class StoreTest : public EngineTest {};

TEST_F(StoreTest, ConnectionIsConfiguredSafely) {
    const Json info = engine->storage_info();
    EXPECT_EQ(info["journal_mode"], "wal");
    EXPECT_EQ(info["foreign_keys"], true);
    EXPECT_EQ(info["secure_delete"], true);
    EXPECT_GE(info["busy_timeout_ms"].get<int>(), 1000);
}

TEST_F(StoreTest, IdsAreVersion7AndSortByTheClock) {
    // docs/schema.md: 48 bits of the injected clock's milliseconds, version 7, RFC 9562 variant.
    const Id first = engine->new_id();
    *now += 1;
    const Id later = engine->new_id();
    const Id same_ms = engine->new_id();
    char clock_hex[13];
    std::snprintf(clock_hex, sizeof clock_hex, "%012llx",
                  static_cast<unsigned long long>(kStartTime));
    EXPECT_EQ(first.substr(0, 8) + first.substr(9, 4), clock_hex) << first;
    EXPECT_EQ(first[14], '7') << first;
    EXPECT_NE(std::string("89ab").find(first[19]), std::string::npos) << first;
    EXPECT_LT(first, later);
    EXPECT_EQ(later.substr(0, 13), same_ms.substr(0, 13));
    EXPECT_NE(later, same_ms);  // the random part differs within one millisecond
}

TEST_F(StoreTest, PreparedStatementsAreReused) {
    const Group g = make_group(ann, "Reuse", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    make_action(bob, p, "first");
    const auto cached = engine->storage_info()["prepared_statements"].get<int>();
    for (int i = 0; i < 20; ++i) make_action(bob, p, "again " + std::to_string(i));
    EXPECT_EQ(engine->storage_info()["prepared_statements"].get<int>(), cached);
}

TEST_F(StoreTest, AFailedBatchLeavesNothingBehind) {
    const Group g = make_group(ann, "Atomic", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    expect_unchanged(Errc::invalid_argument, [&] {
        engine->batch([&] {
            make_action(bob, p, "would be kept without a transaction");
            engine->create_action(bob, {{"project_id", p.id}, {"title", ""}});
        });
    });
    EXPECT_TRUE(engine->project_actions(bob, p.id).empty());
}

TEST_F(StoreTest, AFailedCommandInsideABatchRollsBackOnlyItself) {
    const Group g = make_group(ann, "Savepoints", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    engine->batch([&] {
        make_action(bob, p, "kept");
        EXPECT_THROW(engine->create_action(dan, {{"project_id", p.id}, {"title", "refused"}}),
                     Error);
        make_action(bob, p, "also kept");
    });
    EXPECT_EQ(engine->project_actions(bob, p.id).size(), 2U);
}

// Inside a batch a command has no savepoint of its own (engine_impl.hpp, unit()): one that fails
// after it wrote cannot be undone alone, so the batch refuses every later command and rolls back.
TEST_F(StoreTest, ACommandFailingAfterItWroteRollsTheWholeBatchBack) {
    const Group g = make_group(ann, "Broken batch", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    auto& impl = engine->internals();
    const std::string msg = expect_unchanged(Errc::conflict, [&] {
        engine->batch([&] {
            make_action(bob, p, "written first");
            EXPECT_THROW(impl.write([&] {
                impl.db.exec("INSERT INTO meta (key, value) VALUES ('half_written', '1')");
                throw Error(Errc::io, "disk full after the first write");
            }),
                         Error);
            // Every later command of the broken batch fails at once.
            EXPECT_THROW(make_action(bob, p, "after the failure"), Error);
        });
    });
    EXPECT_NE(msg.find("rolled back"), std::string::npos) << msg;
    EXPECT_TRUE(engine->project_actions(bob, p.id).empty());
    // The engine is usable again after the broken batch.
    make_action(bob, p, "next batch");
    EXPECT_EQ(engine->project_actions(bob, p.id).size(), 1U);
}

// An isolated unit (the sync server's push of one command) keeps a savepoint: its failure after
// writing undoes it alone and the batch commits the rest.
TEST_F(StoreTest, AnIsolatedUnitFailingAfterItWroteRollsBackOnlyItself) {
    const Group g = make_group(ann, "Isolated", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    auto& impl = engine->internals();
    engine->batch([&] {
        make_action(bob, p, "kept");
        EXPECT_THROW(impl.write_isolated([&] {
            make_action(bob, p, "undone with its unit");
            throw Error(Errc::permission_denied, "R9: refused after writing");
        }),
                     Error);
        make_action(bob, p, "also kept");
    });
    const auto actions = engine->project_actions(bob, p.id);
    ASSERT_EQ(actions.size(), 2U);
    for (const auto& a : actions) EXPECT_NE(a.title, "undone with its unit");
}

TEST_F(StoreTest, ObserversHearOfCommittedChangesOnly) {
    std::vector<std::vector<Change>> heard;
    const ObserverId id =
        engine->add_observer([&](const std::vector<Change>& c) { heard.push_back(c); });
    const Group g = make_group(ann, "Observed");
    ASSERT_EQ(heard.size(), 1U);
    EXPECT_EQ(heard[0].front().entity, "group");
    EXPECT_EQ(heard[0].front().op, "insert");
    EXPECT_EQ(heard[0].size(), 6U);  // group, manager's membership, four default steps

    EXPECT_THROW(engine->update_group(bob, g.id, {{"name", "x"}}), Error);
    EXPECT_EQ(heard.size(), 1U) << "a refused command must not be announced";

    const Project p = make_project(ann, g, "P");
    heard.clear();
    engine->batch([&] {
        make_action(ann, p, "one");
        make_action(ann, p, "two");
    });
    ASSERT_EQ(heard.size(), 1U) << "a batch is announced once, after its commit";
    EXPECT_EQ(heard[0].size(), 2U);

    engine->remove_observer(id);
    make_action(ann, p, "unheard");
    EXPECT_EQ(heard.size(), 1U);
}

TEST_F(StoreTest, AnObserverMayCallBackIntoTheEngine) {
    const Group g = make_group(ann, "Reentrant");
    std::size_t seen = 0;
    engine->add_observer(
        [&](const std::vector<Change>&) { seen = engine->group_steps(ann, g.id).size(); });
    engine->add_step(ann, g.id, {{"name", "Check"}});
    EXPECT_EQ(seen, 5U);
}

TEST_F(StoreTest, ChangeLogRecordsFieldNamesAndBuckets) {
    const Group g = make_group(ann, "Logged", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    const Action a = make_action(bob, p, "Calibrate");
    const auto before = engine->changes_since(0).back().seq;
    engine->update_action(bob, a.id, {{"title", "Calibrate scale"}, {"progress", 50}});
    const auto log = engine->changes_since(before);
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].entity, "action");
    EXPECT_EQ(log[0].entity_id, a.id);
    EXPECT_EQ(log[0].op, "update");
    EXPECT_EQ(log[0].fields, (std::vector<std::string>{"title", "progress"}));
    EXPECT_EQ(log[0].group_id, g.id);
    EXPECT_EQ(log[0].project_id, p.id);
    EXPECT_EQ(log[0].actor, bob.user_id);
    EXPECT_EQ(log[0].at, *now);
    EXPECT_EQ(engine->changes_since(before, 0).size(), 0U);
}

TEST_F(StoreTest, R14_DeletedActionLeavesNoTraceInTheDatabaseFiles) {
    const Group g = make_group(ann, "Erasure", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    const std::string marker = "MARKER-7f3a9c-unique-secret-text";
    const Action a = engine->create_action(
        bob, {{"project_id", p.id}, {"title", marker}, {"description", marker + " described"}});
    engine->update_action(bob, a.id, {{"context", marker}});
    engine->add_comment(bob, a.id, {{"body", marker + " in a comment"}});
    engine->checkpoint();
    ASSERT_NE(read_file(db_path).find(marker), std::string::npos)
        << "the marker must be stored first";

    engine->delete_action(bob, a.id);
    engine->checkpoint();
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string content = read_file(db_path + suffix);
        EXPECT_EQ(content.find(marker), std::string::npos)
            << "marker survives in " << db_path + suffix;
    }
    // The tombstone carries the id only.
    const Change last = engine->changes_since(0, 100000).back();
    EXPECT_EQ(last.op, "delete");
    EXPECT_EQ(last.entity_id, a.id);
    EXPECT_TRUE(last.fields.empty());
}

TEST_F(StoreTest, R14_DeletedGroupLeavesNoTraceInTheDatabaseFiles) {
    const std::string marker = "GROUPMARKER-51c0ffee";
    const Group g = make_group(ann, marker, {bob});
    const Project p = make_project(ann, g, marker + " project", {bob});
    engine->create_action(bob, {{"project_id", p.id}, {"title", marker + " action"}});
    engine->add_resource(ann, g.id, {{"name", marker + " wiki"}, {"url", "https://example.com"}});
    engine->checkpoint();
    ASSERT_NE(read_file(db_path).find(marker), std::string::npos);
    engine->delete_group(ann, g.id);
    engine->checkpoint();
    EXPECT_EQ(read_file(db_path).find(marker), std::string::npos);
    EXPECT_EQ(read_file(db_path + "-wal").find(marker), std::string::npos);
}

TEST_F(StoreTest, ReopeningKeepsEverything) {
    const Group g = make_group(ann, "Durable", {bob});
    const Project p = make_project(ann, g, "P", {bob});
    make_action(bob, p, "persisted");
    open();
    EXPECT_EQ(engine->project_actions(bob, p.id).at(0).title, "persisted");
}

}  // namespace leandesk::testing
