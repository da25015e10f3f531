// The wrapper over the module headers: export.h (spreadsheet, backup, restore, report) and sync.h
// (replicas). Their behaviour is tested in tests/export and tests/sync; here, that the wrapper
// passes arguments, progress and cancellation through, and maps results and errors.
#include <filesystem>
#include <stdexcept>

#include "support.hpp"

using ld_test::expect_throw;

namespace {

namespace fs = std::filesystem;

/// A scratch folder removed at the end of the test.
struct ScratchDir {
    fs::path path =
        fs::temp_directory_path() /
        ("leandesk-hpp-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ScratchDir() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

}  // namespace

TEST_F(HppTest, R10ExportWritesTheWorkbookWithProgressForTheManagerOnly) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    alice.group_add_member(g.id, "bob@example.com");
    const ld::Project p = alice.project_create({{"group_id", g.id}, {"name", "Pilot"}});
    alice.action_create({{"project_id", p.id}, {"title", "Measure"}});
    ScratchDir dir;
    const fs::path file = dir.path / "kaizen.xlsx";

    std::int64_t calls = 0;
    alice.group_export_xlsx(g.id, file.string(), [&](std::int64_t done, std::int64_t) {
        EXPECT_GE(done, 0);
        ++calls;
        return true;
    });
    EXPECT_GT(calls, 0);
    ASSERT_TRUE(fs::exists(file));
    EXPECT_GT(fs::file_size(file), 1000U);

    const fs::path refused = dir.path / "bob.xlsx";
    const std::string why =
        expect_throw<ld::PermissionDenied>([&] { bob.group_export_xlsx(g.id, refused.string()); });
    EXPECT_EQ(why.rfind("R10:", 0), 0U) << why;
    EXPECT_FALSE(fs::exists(refused));
}

TEST_F(HppTest, ProgressReturningFalseCancelsAndLeavesNoFile) {
    ld::Session alice = user("Alice");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    ScratchDir dir;
    const fs::path file = dir.path / "cancelled.xlsx";
    expect_throw<ld::Cancelled>(
        [&] { alice.group_export_xlsx(g.id, file.string(), [](auto, auto) { return false; }); });
    EXPECT_FALSE(fs::exists(file));
}

TEST_F(HppTest, AnExceptionFromProgressCancelsAndIsRethrown) {
    ld::Session alice = user("Alice");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    ScratchDir dir;
    const fs::path folder = dir.path / "backup";
    const std::string message = expect_throw<std::logic_error>([&] {
        alice.group_backup(g.id, folder.string(),
                           [](auto, auto) -> bool { throw std::logic_error("stop here"); });
    });
    EXPECT_EQ(message, "stop here");
    EXPECT_FALSE(fs::exists(folder));
}

TEST_F(HppTest, BackupRestoresAsANewGroupManagedByTheRestorer) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    alice.group_add_member(g.id, "bob@example.com");
    const ld::Project p = alice.project_create({{"group_id", g.id}, {"name", "Pilot"}});
    alice.action_create({{"project_id", p.id}, {"title", "Measure"}});
    ScratchDir dir;
    const fs::path folder = dir.path / "backup";
    alice.group_backup(g.id, folder.string());
    ASSERT_TRUE(fs::exists(folder / "group.json"));
    expect_throw<ld::Conflict>([&] { alice.group_backup(g.id, folder.string()); });

    const ld::Group copy = bob.group_restore(folder.string());
    EXPECT_NE(copy.id, g.id);
    EXPECT_EQ(copy.name, "Kaizen");
    EXPECT_EQ(copy.manager_id, bob.info().user_id.value_or(""));
    const auto projects = bob.group_projects(copy.id);
    ASSERT_EQ(projects.size(), 1U);
    ASSERT_EQ(bob.project_actions(projects[0].id).size(), 1U);
    EXPECT_EQ(bob.project_actions(projects[0].id)[0].title, "Measure");

    fs::create_directories(dir.path / "empty");
    expect_throw<ld::Corrupt>([&] { bob.group_restore((dir.path / "empty").string()); });
}

TEST_F(HppTest, R15ReportRendersForParticipantsAndIsMailedToThem) {
    ld::Session alice = user("Alice");
    ld::Session bob = user("Bob");
    ld::Session carl = user("Carl");
    const ld::Group g = alice.group_create({{"name", "Kaizen"}});
    const std::string bob_id = alice.group_add_member(g.id, "bob@example.com").id;
    alice.group_add_member(g.id, "carl@example.com");
    const ld::Project p = alice.project_create({{"group_id", g.id}, {"name", "Pilot <1>"}});
    alice.project_add_participant(p.id, bob_id);
    alice.action_create({{"project_id", p.id}, {"title", "Measure"}});

    const ld::Report report = bob.project_report(p.id);
    EXPECT_NE(report.html.find("Pilot &lt;1&gt;"), std::string::npos);
    EXPECT_NE(report.text.find("Measure"), std::string::npos);

    alice.project_report_send(p.id, {bob_id});
    EXPECT_NE(mailbox->last_to("bob@example.com").text.find("Measure"), std::string::npos);
    const std::string why =
        expect_throw<ld::PermissionDenied>([&] { carl.project_report_send(p.id, {bob_id}); });
    EXPECT_EQ(why.rfind("R15:", 0), 0U) << why;
}

TEST(HppSync, ReplicasNeedHttpsAndPlainDatabasesAreNotReplicas) {
    expect_throw<ld::InvalidArgument>([] {
        ld::Database::open_replica(":memory:", ld::ReplicaOptions{"http://127.0.0.1:1", "", ""},
                                   ld_test::fast_options());
    });
    const ld::Database plain(":memory:", ld_test::fast_options());
    expect_throw<ld::InvalidArgument>([&] { (void)plain.sync_status(); });
    expect_throw<ld::InvalidArgument>([&] { plain.sync_now(); });
}

TEST(HppSync, AReplicaReportsItsStatusAndAnUnreachableServer) {
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    const ld::Database replica = ld::Database::open_replica(
        ":memory:", ld::ReplicaOptions{"https://127.0.0.1:1", "", ""}, ld_test::fast_options());
    const ld::SyncStatus status = replica.sync_status();
    EXPECT_EQ(status.server_url, "https://127.0.0.1:1");
    EXPECT_EQ(status.pending, 0);
    EXPECT_FALSE(status.signed_in);
    EXPECT_FALSE(status.last_success_at.has_value());
    replica.set_rejection_handler([](const ld::Rejection&) {});
    replica.set_rejection_handler({});
    expect_throw<ld::NetworkError>(
        [&] { ld::Session::sync_sign_in(replica, "ann@example.com", ld_test::kPassword); });
}
