// Rules R9 and R14 through the real engine: every participant edits the whole plan (actions,
// photos, comments, indicators and their values), and deletion is permanent and cascading.
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "test_support.hpp"

namespace leandesk::testing {
namespace {

// A valid 1×1 grey PNG.
const std::vector<unsigned char> kPng = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
    0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4, 0x71, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

// A valid 1×1 grey baseline JPEG (one 8×8 block, DC only, one-code Huffman tables).
const std::vector<unsigned char> kJpeg = [] {
    std::vector<unsigned char> j = {0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00};
    j.insert(j.end(), 64, 0x01);  // quantization table: all ones
    const unsigned char rest[] = {
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,  // SOF0
        0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // DC table: one code, symbol 0
        0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,        // AC table: EOB only
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,  // SOS
        0x3F,                                                        // DC diff 0, EOB, padding
        0xFF, 0xD9};
    j.insert(j.end(), std::begin(rest), std::end(rest));
    return j;
}();

/// One integer from a read-only query on the database file (after a checkpoint).
std::int64_t count(const std::string& db_path, const std::string& sql, const std::string& arg) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    std::int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/// True when `marker` appears in the bytes of the database file or its journals.
bool on_disk(const std::string& db_path, const std::string& marker) {
    for (const char* suffix : {"", "-wal", "-journal"}) {
        const std::string path = db_path + suffix;
        if (!std::filesystem::exists(path)) continue;
        std::ifstream f(path, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(f),
                                std::istreambuf_iterator<char>()};
        if (bytes.find(marker) != std::string::npos) return true;
    }
    return false;
}

bool has_project(const std::vector<Project>& projects, const Id& id) {
    return std::any_of(projects.begin(), projects.end(),
                       [&](const Project& p) { return p.id == id; });
}

}  // namespace

class RulesPlan : public EngineTest {
  protected:
    // Ann manages; Bob owns the project, Cat takes part, Dan is a member outside the project.
    void SetUp() override {
        EngineTest::SetUp();
        group = make_group(ann, "Plant 2", {bob, cat, dan});
        project = make_project(bob, group, "Scrap reduction", {cat});
    }

    /// The last change record, which a delete must leave as a tombstone.
    Change last_change() {
        const auto all = engine->changes_since(0, 100000);
        return all.back();
    }
    std::int64_t rows(const std::string& sql, const std::string& arg) {
        engine->checkpoint();
        return count(db_path, sql, arg);
    }

    Group group;
    Project project;
};

// ---- R9: every participant may create, edit and delete any action, its photos, the indicators
// -------

TEST_F(RulesPlan, R9_ParticipantMayCreateEditMoveAndDeleteAnyAction) {
    // Bob records the action; Cat, another participant, does everything else with it.
    const Action a = make_action(bob, project, "Measure scrap");
    const Action edited = engine->update_action(cat, a.id,
                                                {{"title", "Measure scrap at line 3"},
                                                 {"owner_id", cat.user_id},
                                                 {"due_date", "2026-03-20"},
                                                 {"priority", 2},
                                                 {"progress", 40}});
    EXPECT_EQ(edited.title, "Measure scrap at line 3");
    EXPECT_EQ(edited.owner_id, cat.user_id);
    EXPECT_EQ(edited.progress, 40);

    const Step active = step_of_kind(cat, group, StepKind::active);
    const Step done = step_of_kind(cat, group, StepKind::done);
    EXPECT_EQ(engine->move_action(cat, a.id, active.id).step_id, active.id);
    const Action b = engine->create_action(
        cat, {{"project_id", project.id}, {"title", "Sort bins"}, {"step_id", active.id}});
    // Reorder: put b before a in the same step.
    engine->move_action(cat, b.id, active.id, a.id);
    const auto order = engine->project_actions(bob, project.id);
    ASSERT_EQ(order.size(), 2U);
    EXPECT_EQ(order[0].id, b.id);
    const Action finished = engine->move_action(cat, a.id, done.id);
    EXPECT_TRUE(finished.done_at.has_value());

    engine->delete_action(cat, a.id);
    engine->delete_action(bob, b.id);
    EXPECT_TRUE(engine->project_actions(bob, project.id).empty());
}

TEST_F(RulesPlan, R9_ParticipantMayAddAndRemovePhotos) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Photo png = engine->add_photo(cat, a.id, kPng, {{"caption", "Before"}});
    const Photo jpeg = engine->add_photo(cat, a.id, kJpeg, {{"caption", "After"}});
    EXPECT_EQ(png.mime, "image/png");
    EXPECT_EQ(jpeg.mime, "image/jpeg");
    EXPECT_EQ(jpeg.size, static_cast<std::int64_t>(kJpeg.size()));
    EXPECT_EQ(engine->get_action(bob, a.id).photos.size(), 2U);
    EXPECT_EQ(engine->read_blob(bob, jpeg.blob), kJpeg);
    // Any participant removes any photo, not only the one who added it.
    engine->remove_photo(bob, png.id);
    const auto left = engine->get_action(cat, a.id).photos;
    ASSERT_EQ(left.size(), 1U);
    EXPECT_EQ(left[0].id, jpeg.id);
}

TEST_F(RulesPlan, R9_ParticipantMayEditIndicatorsAndWeeklyValues) {
    const Indicator ind = engine->create_indicator(cat, {{"project_id", project.id},
                                                         {"name", "Scrap rate"},
                                                         {"unit", "%"},
                                                         {"baseline", 8},
                                                         {"target", 4}});
    EXPECT_EQ(engine->update_indicator(bob, ind.id, {{"target", 3}}).target, 3.0);
    EXPECT_EQ(engine->set_indicator_value(cat, ind.id, "2026-W10", 7.5).actual, 7.5);
    engine->set_indicator_value(bob, ind.id, "2026-W10", 7.0);  // another participant corrects it
    const auto curve = engine->indicator_curve(cat, ind.id);
    ASSERT_EQ(curve.size(), 1U);
    EXPECT_EQ(curve[0].actual.value_or(-1), 7.0);
    engine->clear_indicator_value(cat, ind.id, "2026-W10");
    EXPECT_TRUE(engine->indicator_curve(cat, ind.id).empty());
    // An action may point at it with an impact.
    const Action a = engine->create_action(cat, {{"project_id", project.id},
                                                 {"title", "Fix die"},
                                                 {"indicator_id", ind.id},
                                                 {"impact", -2}});
    EXPECT_EQ(a.indicator_id, ind.id);
    engine->delete_indicator(bob, ind.id);
    EXPECT_TRUE(engine->project_indicators(cat, project.id).empty());
}

TEST_F(RulesPlan, R9_ParticipantMayCommentAndEditProjectFields) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Comment c = engine->add_comment(cat, a.id, {{"body", "Done for line 1"}});
    EXPECT_EQ(engine->get_action(bob, a.id).comments.size(), 1U);
    engine->delete_comment(cat, c.id);
    EXPECT_TRUE(engine->get_action(bob, a.id).comments.empty());
    EXPECT_EQ(engine->update_project(cat, project.id, {{"future_state", "2% scrap"}}).future_state,
              "2% scrap");
}

TEST_F(RulesPlan, R9_NonParticipantMemberMayNotCreateAction) {
    expect_denied("R9", [&] { make_action(dan, project, "Dan's idea"); });
}

TEST_F(RulesPlan, R9_NonParticipantMemberMayNotEditMoveOrDeleteAction) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Step done = step_of_kind(dan, group, StepKind::done);
    expect_denied("R9", [&] { engine->update_action(dan, a.id, {{"title", "Changed"}}); });
    expect_denied("R9", [&] { engine->update_action(dan, a.id, {{"owner_id", bob.user_id}}); });
    expect_denied("R9", [&] { engine->move_action(dan, a.id, done.id); });
    expect_denied("R9", [&] { engine->delete_action(dan, a.id); });
}

TEST_F(RulesPlan, R9_NonParticipantMemberMayNotAddOrRemovePhotos) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Photo ph = engine->add_photo(bob, a.id, kPng, Json::object());
    expect_denied("R9", [&] { engine->add_photo(dan, a.id, kJpeg, Json::object()); });
    expect_denied("R9", [&] { engine->remove_photo(dan, ph.id); });
}

TEST_F(RulesPlan, R9_NonParticipantMemberMayNotEditIndicatorsOrValues) {
    const Indicator ind =
        engine->create_indicator(bob, {{"project_id", project.id}, {"name", "Scrap rate"}});
    engine->set_indicator_value(bob, ind.id, "2026-W10", 5);
    expect_denied("R9", [&] {
        engine->create_indicator(dan, {{"project_id", project.id}, {"name", "Dan's"}});
    });
    expect_denied("R9", [&] { engine->update_indicator(dan, ind.id, {{"name", "Renamed"}}); });
    expect_denied("R9", [&] { engine->set_indicator_value(dan, ind.id, "2026-W11", 4); });
    expect_denied("R9", [&] { engine->clear_indicator_value(dan, ind.id, "2026-W10"); });
    expect_denied("R9", [&] { engine->delete_indicator(dan, ind.id); });
}

TEST_F(RulesPlan, R9_NonParticipantMemberMayNotCommentNorEditProject) {
    const Action a = make_action(bob, project, "Measure scrap");
    expect_denied("R9", [&] { engine->add_comment(dan, a.id, {{"body", "Hi"}}); });
    expect_denied("R9", [&] { engine->update_project(dan, project.id, {{"name", "Dan's"}}); });
}

TEST_F(RulesPlan, R9_OnlyTheAuthorMayDeleteAComment) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Comment c = engine->add_comment(cat, a.id, {{"body", "Mine"}});
    expect_denied("R9", [&] { engine->delete_comment(bob, c.id); });
}

TEST_F(RulesPlan, R9_FormerParticipantMayNoLongerEditThePlan) {
    const Action a = make_action(cat, project, "Measure scrap");
    engine->leave_project(cat, project.id);
    expect_denied("R9", [&] { engine->update_action(cat, a.id, {{"title", "Late edit"}}); });
}

TEST_F(RulesPlan, R9_OutsiderOfTheGroupIsRefusedByR13) {
    const Actor olga = make_user("olga@example.com", "Olga", "Out");
    const Action a = make_action(bob, project, "Measure scrap");
    expect_denied("R13", [&] { make_action(olga, project, "Olga's"); });
    expect_denied("R13", [&] { engine->delete_action(olga, a.id); });
}

// ---- R14: deletion is permanent and cascades; only ids travel as tombstones
// ------------------------

TEST_F(RulesPlan, R14_DeletingActionRemovesItsPhotosCommentsAndUnreferencedBlobs) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Photo ph = engine->add_photo(cat, a.id, kJpeg, Json::object());
    engine->add_comment(cat, a.id, {{"body", "Note"}});
    ASSERT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", ph.blob), 1);

    engine->delete_action(cat, a.id);

    expect_error(Errc::not_found, [&] { engine->get_action(bob, a.id); });
    EXPECT_EQ(rows("SELECT COUNT(*) FROM photos WHERE action_id = ?", a.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM comments WHERE action_id = ?", a.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", ph.blob), 0);
    expect_error(Errc::not_found, [&] { engine->read_blob(bob, ph.blob); });
}

TEST_F(RulesPlan, R14_BlobStillReferencedElsewhereSurvives) {
    const Action a = make_action(bob, project, "Measure scrap");
    const Action b = make_action(bob, project, "Sort bins");
    const Photo on_a = engine->add_photo(bob, a.id, kPng, Json::object());
    const Photo on_b = engine->add_photo(bob, b.id, kPng, Json::object());
    ASSERT_EQ(on_a.blob, on_b.blob);  // content-addressed: one blob
    engine->set_avatar(dan, kJpeg);   // and an avatar sharing the JPEG
    const Photo jpeg = engine->add_photo(bob, a.id, kJpeg, Json::object());

    engine->delete_action(bob, a.id);

    EXPECT_EQ(engine->read_blob(bob, on_b.blob), kPng);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", jpeg.blob), 1);
    engine->remove_photo(bob, on_b.id);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", on_b.blob), 0);
}

TEST_F(RulesPlan, R14_DeleteLeavesATombstoneWithOnlyTheId) {
    const Action a = make_action(bob, project, "Measure scrap");
    engine->update_action(bob, a.id, {{"description", "details"}});
    engine->delete_action(cat, a.id);
    const Change c = last_change();
    EXPECT_EQ(c.entity, "action");
    EXPECT_EQ(c.entity_id, a.id);
    EXPECT_EQ(c.op, "delete");
    EXPECT_TRUE(c.fields.empty());

    engine->delete_project(ann, project.id);
    const Change p = last_change();
    EXPECT_EQ(p.entity, "project");
    EXPECT_EQ(p.entity_id, project.id);
    EXPECT_EQ(p.op, "delete");
    EXPECT_TRUE(p.fields.empty());

    engine->delete_group(ann, group.id);
    const Change g = last_change();
    EXPECT_EQ(g.entity, "group");
    EXPECT_EQ(g.entity_id, group.id);
    EXPECT_EQ(g.op, "delete");
    EXPECT_TRUE(g.fields.empty());
}

TEST_F(RulesPlan, R14_DeletingProjectCascadesAndErasesItsContent) {
    const std::string marker = "MARKER-7f3a9c-project-content";
    engine->update_project(bob, project.id, {{"description", marker + " description"}});
    const Action a = engine->create_action(
        cat, {{"project_id", project.id}, {"title", "Act"}, {"description", marker + " action"}});
    const Photo ph = engine->add_photo(cat, a.id, kPng, {{"caption", marker.substr(0, 20)}});
    engine->add_comment(cat, a.id, {{"body", marker + " comment"}});
    const Indicator ind = engine->create_indicator(
        bob, {{"project_id", project.id}, {"name", marker + " indicator"}});
    engine->set_indicator_value(bob, ind.id, "2026-W10", 5);

    engine->delete_project(ann, project.id);

    EXPECT_FALSE(has_project(engine->my_projects(bob), project.id));
    EXPECT_FALSE(has_project(engine->group_projects(ann, group.id), project.id));
    EXPECT_EQ(rows("SELECT COUNT(*) FROM actions WHERE project_id = ?", project.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM participants WHERE project_id = ?", project.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM indicators WHERE project_id = ?", project.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM indicator_values WHERE indicator_id = ?", ind.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM photos WHERE id = ?", ph.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM comments WHERE action_id = ?", a.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", ph.blob), 0);
    // The content is gone from every table and from the bytes of the files.
    engine->checkpoint();
    EXPECT_EQ(snapshot(db_path).find("MARKER-7f3a9c"), std::string::npos);
    EXPECT_FALSE(on_disk(db_path, "MARKER-7f3a9c"));
}

TEST_F(RulesPlan, R14_DeletingGroupCascadesToEverything) {
    const std::string marker = "MARKER-51be07-group-content";
    engine->update_group(ann, group.id, {{"name", marker}});
    engine->add_resource(ann, group.id, {{"name", "Wiki"}, {"note", marker + " note"}});
    const Action a =
        engine->create_action(cat, {{"project_id", project.id}, {"title", marker + " action"}});
    const Photo ph = engine->add_photo(cat, a.id, kJpeg, Json::object());
    const Project other = make_project(dan, group, "Energy", {});
    make_action(dan, other, "Switch off compressors");

    engine->delete_group(ann, group.id);

    for (const Actor& who : {ann, bob, cat, dan}) {
        EXPECT_TRUE(engine->my_groups(who).empty());
        EXPECT_TRUE(engine->my_projects(who).empty());
    }
    expect_error(Errc::not_found, [&] { engine->get_project(ann, other.id); });
    EXPECT_EQ(rows("SELECT COUNT(*) FROM projects WHERE group_id = ?", group.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM members WHERE group_id = ?", group.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM steps WHERE group_id = ?", group.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM resources WHERE group_id = ?", group.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM actions WHERE project_id = ?", other.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM photos WHERE id = ?", ph.id), 0);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM blobs WHERE hash = ?", ph.blob), 0);
    // The people themselves stay.
    EXPECT_EQ(engine->get_user(bob, bob.user_id).email, "bob@example.com");
    engine->checkpoint();
    EXPECT_EQ(snapshot(db_path).find("MARKER-51be07"), std::string::npos);
    EXPECT_FALSE(on_disk(db_path, "MARKER-51be07"));
}

TEST_F(RulesPlan, R14_NonParticipantMayNotDeleteAction) {
    const Action a = make_action(bob, project, "Measure scrap");
    engine->add_photo(bob, a.id, kPng, Json::object());
    expect_denied("R9", [&] { engine->delete_action(dan, a.id); });
    // Nor the manager outside the project (R7 reads, R9 edits).
    expect_denied("R9", [&] { engine->delete_action(ann, a.id); });
}

TEST_F(RulesPlan, R14_OnlyManagerOrOwnerMayDeleteProjectAndOnlyManagerTheGroup) {
    make_action(bob, project, "Measure scrap");
    expect_denied("R7", [&] { engine->delete_project(cat, project.id); });
    expect_denied("R2", [&] { engine->delete_group(bob, group.id); });
}

}  // namespace leandesk::testing
