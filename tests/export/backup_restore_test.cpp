// Backup and restore: the round trip, who may do it, and hostile or damaged backups, each of which
// must be refused with a clear error (corrupt) and change nothing.
#include <sys/stat.h>

#include "engine/engine_impl.hpp"
#include "export/backup.hpp"
#include "export/photo_files.hpp"
#include "export_test_base.hpp"

namespace leandesk::testing {
namespace {

namespace fs = std::filesystem;
using exports::backup_group;
using exports::restore_group;

class BackupTest : public ExportTest {
  protected:
    void SetUp() override {
        ExportTest::SetUp();
        folder = dir->path() / "backup";
        backup_group(*engine, f.manager, f.group.id, folder.string());
        manifest = Json::parse(read_text(folder / "group.json"));
    }
    /// Writes `m` as the backup's group.json and expects restore to refuse it, changing nothing.
    std::string refused(const Json& m) {
        write_text(folder / "group.json", m.dump());
        return refused_as_is();
    }
    std::string refused_as_is() {
        const auto groups = engine->my_groups(f.member).size();
        std::string msg = expect_unchanged(
            Errc::corrupt, [&] { restore_group(*engine, f.member, folder.string()); });
        EXPECT_EQ(engine->my_groups(f.member).size(), groups);
        EXPECT_EQ(msg.rfind("backup: ", 0), 0U) << msg;
        return msg;
    }
    fs::path folder;
    Json manifest;
};

TEST_F(BackupTest, FolderHoldsTheManifestAndEachPhotoOnce) {
    EXPECT_EQ(manifest["format"], "leandesk-group-backup");
    EXPECT_EQ(manifest["version"], 1);
    EXPECT_EQ(manifest["group"]["name"], "Atelier <Nord> & Co");
    EXPECT_EQ(manifest["people"].size(), 4U);
    EXPECT_EQ(manifest["projects"].size(), 2U);
    EXPECT_EQ(manifest["actions"].size(), 5U);
    EXPECT_EQ(manifest["comments"].size(), 3U);
    EXPECT_EQ(manifest["photos"].size(), 3U);
    EXPECT_EQ(manifest["indicator_values"].size(), 2U);
    EXPECT_EQ(manifest["resources"].size(), 1U);
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(folder / "photos")) {
        const std::string bytes = read_text(e.path());
        const std::string name = e.path().stem().string();
        EXPECT_EQ(
            exports::sha256_hex(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()),
            name);
        ++files;
    }
    EXPECT_EQ(files, 2U) << "two photos share their bytes";
    EXPECT_EQ(listing(),
              (std::vector<std::string>{"backup", "test.db", "test.db-shm", "test.db-wal"}));
}

TEST_F(BackupTest, RoundTripMakesANewGroupManagedByTheRestorer) {
    const Group g = restore_group(*engine, f.member, folder.string());
    EXPECT_NE(g.id, f.group.id);
    EXPECT_EQ(g.name, f.group.name);
    EXPECT_EQ(g.manager_id, f.member.user_id);
    // People were matched by e-mail: the same users are members, no new account was made.
    const auto members = engine->group_members(f.member, g.id);
    EXPECT_EQ(members.size(), 4U);
    const auto original = engine->project_review(f.manager, f.project1.id);
    Id restored_id;
    for (const auto& p : engine->group_projects(f.member, g.id)) {
        if (p.name == f.project1.name) restored_id = p.id;
    }
    ASSERT_FALSE(restored_id.empty());
    const auto restored = engine->project_review(f.member, restored_id);
    ASSERT_EQ(restored.steps.size(), original.steps.size());
    for (std::size_t s = 0; s < original.steps.size(); ++s) {
        EXPECT_EQ(restored.steps[s].step.name, original.steps[s].step.name);
        EXPECT_NE(restored.steps[s].step.id, original.steps[s].step.id);
        ASSERT_EQ(restored.steps[s].actions.size(), original.steps[s].actions.size());
        for (std::size_t i = 0; i < original.steps[s].actions.size(); ++i) {
            const Action& a = original.steps[s].actions[i];
            const Action& b = restored.steps[s].actions[i];
            EXPECT_NE(a.id, b.id);
            EXPECT_EQ(a.title, b.title);
            EXPECT_EQ(a.owner_id, b.owner_id);
            EXPECT_EQ(a.due_date, b.due_date);
            EXPECT_EQ(a.done_at, b.done_at);
            EXPECT_EQ(a.impact, b.impact);
            EXPECT_EQ(a.indicator_id.has_value(), b.indicator_id.has_value());
            EXPECT_EQ(engine->get_action(f.member, b.id).photos.size(),
                      engine->get_action(f.manager, a.id).photos.size());
        }
    }
    // Photos are readable with the same bytes.
    for (const auto& st : restored.steps) {
        for (const auto& a : st.actions) {
            for (const auto& ph : engine->get_action(f.member, a.id).photos) {
                EXPECT_FALSE(engine->read_blob(f.member, ph.blob).empty());
            }
        }
    }
}

TEST_F(BackupTest, UnknownPeopleBecomeNotYetActivatedUsers) {
    // Restore into another database, where nobody but the restorer exists yet.
    auto clock = std::make_shared<Millis>(kFixtureTime);
    EngineOptions o(dir->file("other.db"));
    o.clock = manual_clock(clock);
    o.random = seeded_random(5);
    Engine other(std::move(o));
    const Actor me =
        Actor::user(other.create_user(Json{{"email", "new@example.com"}, {"activated", true}}).id);
    const Group g = restore_group(other, me, folder.string());
    EXPECT_EQ(g.manager_id, me.user_id);
    const auto members = other.group_members(me, g.id);
    EXPECT_EQ(members.size(), 5U);  // the four of the backup and the restorer
    for (const auto& m : members) {
        if (m.id != me.user_id) {
            EXPECT_FALSE(m.activated) << m.display_name;
        }
    }
}

TEST_F(BackupTest, ProgressAndCancellation) {
    engine->checkpoint();
    for (int stop_at : {0, 1}) {
        int calls = 0;
        expect_unchanged(Errc::cancelled, [&] {
            restore_group(*engine, f.member, folder.string(),
                          [&](std::int64_t, std::int64_t) { return calls++ < stop_at; });
        });
    }
    // Cancelled at the last report: still inside the transaction, so still nothing.
    std::int64_t total = -1;
    int n = 0;
    restore_group(*engine, f.member, folder.string(), [&](std::int64_t, std::int64_t t) {
        total = t;
        ++n;
        return true;
    });
    int calls = 0;
    expect_unchanged(Errc::cancelled, [&] {
        restore_group(*engine, f.member, folder.string(),
                      [&](std::int64_t, std::int64_t) { return ++calls < n; });
    });
    EXPECT_GT(total, 0);
}

TEST_F(BackupTest, BackupIsRefusedToMembersAndIntoAnExistingFolder) {
    const std::string msg = expect_unchanged(Errc::permission_denied, [&] {
        backup_group(*engine, f.member, f.group.id, (dir->path() / "b2").string());
    });
    EXPECT_EQ(msg.rfind("R10:", 0), 0U) << msg;
    expect_error(Errc::conflict,
                 [&] { backup_group(*engine, f.manager, f.group.id, folder.string()); });
    // A cancelled backup leaves no folder behind.
    expect_error(Errc::cancelled, [&] {
        backup_group(*engine, f.manager, f.group.id, (dir->path() / "b3").string(),
                     [](std::int64_t d, std::int64_t) { return d < 5; });
    });
    EXPECT_EQ(listing(),
              (std::vector<std::string>{"backup", "test.db", "test.db-shm", "test.db-wal"}));
}

TEST_F(BackupTest, RestoreNeedsAnActiveUser) {
    expect_unchanged(Errc::permission_denied,
                     [&] { restore_group(*engine, f.pending, folder.string()); });
    expect_unchanged(Errc::permission_denied,
                     [&] { restore_group(*engine, Actor::operator_(), folder.string()); });
    expect_error(Errc::not_found,
                 [&] { restore_group(*engine, f.member, (dir->path() / "none").string()); });
}

TEST_F(BackupTest, BadJsonIsRefused) {
    write_text(folder / "group.json", "{\"format\": \"leandesk-group-backup\", \"version\": 1,");
    EXPECT_NE(refused_as_is().find("not valid JSON"), std::string::npos);
    write_text(folder / "group.json", "\xff\xfe{}");
    EXPECT_NE(refused_as_is().find("UTF-8"), std::string::npos);
    write_text(folder / "group.json", std::string(100000, '[') + std::string(100000, ']'));
    EXPECT_NE(refused_as_is().find("nested too deeply"), std::string::npos);
    fs::remove(folder / "group.json");
    refused_as_is();
}

TEST_F(BackupTest, WrongFormatOrVersionIsRefused) {
    Json m = manifest;
    m["version"] = 2;
    EXPECT_NE(refused(m).find("version 2 is not supported"), std::string::npos);
    m = manifest;
    m["format"] = "something-else";
    refused(m);
    m = manifest;
    m["extra"] = 1;
    EXPECT_NE(refused(m).find("unknown key"), std::string::npos);
    m = manifest;
    m.erase("actions");
    refused(m);
}

TEST_F(BackupTest, WrongTypesAndValuesAreRefused) {
    const auto refuse_with = [&](const char* array, const char* key, const Json& value,
                                 const char* expected) {
        Json m = manifest;
        m[array][0][key] = value;
        const std::string msg = refused(m);
        EXPECT_NE(msg.find(std::string(array) + "[0]"), std::string::npos) << msg;
        EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    };
    refuse_with("actions", "title", 42, "'title'");
    refuse_with("actions", "title", "", "'title'");
    refuse_with("actions", "priority", 9, "'priority'");
    refuse_with("actions", "progress", "50", "'progress'");
    refuse_with("actions", "due_date", "2026-02-30", "'due_date'");
    refuse_with("actions", "id", "not-a-uuid", "'id'");
    refuse_with("actions", "description", std::string(20001, 'x'), "'description'");
    refuse_with("actions", "impact", "1e999", "'impact'");
    refuse_with("steps", "kind", "finished", "kind");
    refuse_with("people", "email", "not an address", "e-mail");
    refuse_with("projects", "status", "archived", "status");
    refuse_with("indicator_values", "week", "2026-W54", "'week'");
    refuse_with("comments", "body", Json::array(), "'body'");
    refuse_with("photos", "size", -1, "'size'");
    // R17 holds for backups too: no unknown field on a person.
    refuse_with("people", "postal_address", "1 Main St", "postal_address");
    Json m = manifest;
    m["actions"] = Json::object();
    refused(m);
}

TEST_F(BackupTest, DanglingReferencesAreRefused) {
    Json m = manifest;
    m["actions"][0]["step"] = "00000000-0000-4000-8000-000000000001";
    EXPECT_NE(refused(m).find("unknown step"), std::string::npos);
    m = manifest;
    m["participants"].erase(0);  // an owner or an action owner loses their participation
    refused(m);
    m = manifest;
    m["people"].push_back(m["people"][0]);
    EXPECT_NE(refused(m).find("two people"), std::string::npos);
    m = manifest;
    m["steps"] = Json::array();
    refused(m);
    m = manifest;
    m["comments"][0]["author"] = "00000000-0000-4000-8000-000000000002";
    refused(m);
}

TEST_F(BackupTest, PathsThatLeaveTheFolderAreRefused) {
    const std::string file = manifest["photos"][0]["file"];
    const std::vector<std::string> hostile_names = {
        "../" + file, "/etc/passwd", "photos/../../test.db",
        "photos/" + std::string(manifest["photos"][0]["sha256"]) + ".exe"};
    for (const std::string& hostile : hostile_names) {
        Json m = manifest;
        m["photos"][0]["file"] = hostile;
        EXPECT_NE(refused(m).find("'file' must be"), std::string::npos) << hostile;
    }
}

TEST_F(BackupTest, SymbolicLinksAreRefused) {
    // A photo file that is a link to a file outside the folder, with the right name.
    const std::string file = manifest["photos"][0]["file"];
    const fs::path outside = dir->path() / "outside.png";
    fs::copy_file(folder / file, outside);
    fs::remove(folder / file);
    fs::create_symlink(outside, folder / file);
    EXPECT_NE(refused_as_is().find("not a plain file"), std::string::npos);
    // The whole photos/ folder as a link.
    fs::remove(folder / file);
    fs::copy_file(outside, folder / file);
    fs::rename(folder / "photos", dir->path() / "real-photos");
    fs::create_symlink(dir->path() / "real-photos", folder / "photos");
    EXPECT_NE(refused_as_is().find("photos/"), std::string::npos);
}

TEST_F(BackupTest, AlteredMissingOrOversizedPhotosAreRefused) {
    const std::string file = manifest["photos"][0]["file"];
    const std::string original = read_text(folder / file);
    write_text(folder / file, original + "x");
    EXPECT_NE(refused_as_is().find("SHA-256"), std::string::npos);
    fs::remove(folder / file);
    EXPECT_NE(refused_as_is().find("missing"), std::string::npos);
    // Oversized: a file beyond the engine's photo cap is refused before it is read.
    write_text(folder / file, std::string(11U * 1024U * 1024U, 'x'));
    EXPECT_NE(refused_as_is().find("too large"), std::string::npos);
    write_text(folder / file, original);
    // Right name and hash but not an image: the engine's type check refuses it, inside the
    // transaction, which rolls back.
    const std::string fake = "this is not an image at all";
    const std::string hash =
        exports::sha256_hex(reinterpret_cast<const unsigned char*>(fake.data()), fake.size());
    Json m = manifest;
    m["photos"][0]["sha256"] = hash;
    m["photos"][0]["file"] = "photos/" + hash + ".png";
    m["photos"][0]["size"] = fake.size();
    write_text(folder / ("photos/" + hash + ".png"), fake);
    EXPECT_NE(refused(m).find("not a JPEG, PNG"), std::string::npos);
}

TEST_F(BackupTest, OversizedManifestIsRefusedBeforeReading) {
    exports::RestoreLimits limits;
    limits.max_manifest_bytes = 1000;
    const std::string msg = expect_unchanged(
        Errc::corrupt, [&] { restore_group(*engine, f.member, folder.string(), {}, limits); });
    EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
}

}  // namespace
}  // namespace leandesk::testing
