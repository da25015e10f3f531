// A restore gives back the same lists in the same order (docs/api.md, "Order"): records made in one
// millisecond (photos, comments, actions), names that tie (projects, resources, indicators, broken
// by id), steps, indicator values. Restored many times into fresh databases with different random
// sources, so an order left to the new ids' random bits cannot pass by luck.
#include <algorithm>

#include "engine/engine_impl.hpp"
#include "export/backup.hpp"
#include "export_test_base.hpp"

namespace leandesk::testing {
namespace {

namespace fs = std::filesystem;
using exports::backup_group;
using exports::restore_group;

/// Every list of a group as the viewer reads it, by content (ids differ after a restore).
std::vector<std::string> lists(Engine& e, const Actor& viewer, const Id& group_id) {
    std::vector<std::string> out;
    for (const auto& st : e.group_steps(viewer, group_id))
        out.push_back("step " + st.name + " " + std::string(to_string(st.kind)));
    for (const auto& r : e.group_resources(viewer, group_id))
        out.push_back("resource " + r.name + " " + r.url.value_or("-"));
    for (const auto& m : e.group_members(viewer, group_id))
        out.push_back("member " + m.email.value_or("?"));
    for (const auto& p : e.group_projects(viewer, group_id)) {
        out.push_back("project " + p.name + " " + p.description);
        const auto review = e.project_review(viewer, p.id);
        for (const auto& sa : review.steps) {
            out.push_back("  step " + sa.step.name);
            for (const auto& a : sa.actions) {
                out.push_back("    action " + a.title + " @" + std::to_string(a.created_at));
                const auto d = e.get_action(viewer, a.id);
                for (const auto& ph : d.photos) {
                    out.push_back("      photo " + ph.caption + " " + ph.blob + " @" +
                                  std::to_string(ph.created_at));
                }
                for (const auto& c : d.comments)
                    out.push_back("      comment " + c.body + " @" + std::to_string(c.created_at));
            }
        }
        for (const auto& pa : review.participants)
            out.push_back("  participant " + pa.email.value_or("?"));
        for (const auto& ind : review.indicators) {
            out.push_back("  indicator " + ind.name + " " + ind.unit);
            for (const auto& pt : e.indicator_curve(viewer, ind.id)) {
                out.push_back("    week " + pt.week + " " +
                              (pt.actual ? std::to_string(*pt.actual) : std::string("-")));
            }
        }
    }
    for (const auto& a : e.dashboard(viewer)) out.push_back("dashboard " + a.title);
    return out;
}

class ListOrderRestoreTest : public ExportTest {
  protected:
    void SetUp() override {
        ExportTest::SetUp();
        // Everything below happens in one millisecond: the clock stands still.
        const Actor& ann = f.manager;
        const Action& first = f.actions.front();
        for (int i = 0; i < 6; ++i) {
            engine->add_photo(ann, first.id, fake_png(100 + i),
                              {{"caption", "same-ms photo " + std::to_string(i)}});
            engine->add_comment(ann, first.id, {{"body", "same-ms comment " + std::to_string(i)}});
        }
        // Two photos "one right after the other" on a fresh action, as in the report.
        const Action pair = engine->create_action(
            ann, {{"project_id", f.project1.id}, {"title", "Pair"}, {"owner_id", ann.user_id}});
        engine->add_photo(ann, pair.id, fake_png(200), {{"caption", "left"}});
        engine->add_photo(ann, pair.id, fake_png(201), {{"caption", "right"}});
        Id active;
        for (const auto& st : engine->group_steps(ann, f.group.id)) {
            if (st.kind == StepKind::active && active.empty()) active = st.id;
        }
        for (int i = 0; i < 6; ++i) {
            engine->create_action(ann, {{"project_id", f.project1.id},
                                        {"step_id", active},
                                        {"title", "Same title"},
                                        {"owner_id", ann.user_id},
                                        {"due_date", "2026-05-01"},
                                        {"description", std::to_string(i)}});
        }
        // Names that tie: ordered by id, which the restore must keep in the same order.
        for (int i = 0; i < 4; ++i) {
            engine->create_project(ann, {{"group_id", f.group.id},
                                         {"name", "Twin"},
                                         {"description", "twin " + std::to_string(i)}});
            engine->add_resource(
                ann, f.group.id,
                {{"name", "Link"}, {"url", "https://x.test/" + std::to_string(i)}});
            engine->create_indicator(
                ann,
                {{"project_id", f.project1.id}, {"name", "Twin"}, {"unit", std::to_string(i)}});
        }
        for (int i = 0; i < 4; ++i)
            engine->add_step(ann, f.group.id, {{"name", "Extra " + std::to_string(i)}});
        const Indicator ind = engine->project_indicators(ann, f.project1.id).front();
        for (const char* w : {"2026-W20", "2026-W18", "2026-W19"})
            engine->set_indicator_value(ann, ind.id, w, 3.5);
        original = lists(*engine, ann, f.group.id);
        folder = dir->path() / "backup";
        backup_group(*engine, ann, f.group.id, folder.string());
    }

    /// Restores `folder` into a fresh database whose ids come from `seed`; the restorer is Ann
    /// (matched by e-mail), so the lists are read with the same eyes.
    std::vector<std::string> restored_lists(int seed, const fs::path& from) {
        const std::string path = dir->file("fresh-" + std::to_string(seed) + ".db");
        EngineOptions o(path);
        o.clock = manual_clock(now);
        o.random = seeded_random(static_cast<std::uint64_t>(seed) * 7919 + 1);
        Engine fresh(std::move(o));
        // The people with the names they have in the original: members and participants are
        // listed by name (dan@example.com was never activated and has none in either).
        const auto person = [&](const char* email, const char* first, const char* last) {
            return Actor::user(fresh
                                   .create_user({{"email", email},
                                                 {"first_name", first},
                                                 {"last_name", last},
                                                 {"activated", true}})
                                   .id);
        };
        const Actor ann = person("ann@example.com", "Ann", "Archer");
        person("bob@example.com", "Bob", "Baker \"the builder\"");
        person("zoe@example.com", "Zoë", "Ørsted-Ünal");
        const Group g = restore_group(fresh, ann, from.string());
        return lists(fresh, ann, g.id);
    }

    std::vector<std::string> original;
    fs::path folder;
};

TEST_F(ListOrderRestoreTest, TheFixtureHasTheTiesThisTestIsAbout) {
    const auto count = [&](const std::string& prefix) {
        return std::count_if(original.begin(), original.end(), [&](const std::string& s) {
            return s.find(prefix) != std::string::npos;
        });
    };
    EXPECT_GE(count("same-ms photo"), 6);
    EXPECT_GE(count("same-ms comment"), 6);
    EXPECT_EQ(count("project Twin"), 4);
    EXPECT_EQ(count("resource Link"), 4);
    EXPECT_EQ(count("indicator Twin"), 4);
    EXPECT_EQ(count("dashboard Same title"), 6);
}

TEST_F(ListOrderRestoreTest, FiftyRestoresIntoFreshDatabasesGiveTheSameListsInTheSameOrder) {
    for (int seed = 0; seed < 50; ++seed) {
        SCOPED_TRACE("restore " + std::to_string(seed));
        ASSERT_EQ(restored_lists(seed, folder), original);
    }
}

TEST_F(ListOrderRestoreTest, RestoreIntoTheSameDatabaseGivesTheSameOrderToo) {
    for (int i = 0; i < 5; ++i) {
        const Group g = restore_group(*engine, f.manager, folder.string());
        // The restored group is a second group of Ann's: her dashboard now shows both.
        auto got = lists(*engine, f.manager, g.id);
        auto want = original;
        const auto not_dashboard = [](const std::string& s) {
            return s.rfind("dashboard", 0) != 0;
        };
        got.erase(std::stable_partition(got.begin(), got.end(), not_dashboard), got.end());
        want.erase(std::stable_partition(want.begin(), want.end(), not_dashboard), want.end());
        ASSERT_EQ(got, want);
    }
}

TEST_F(ListOrderRestoreTest, TheOrderDoesNotDependOnTheOrderOfTheBackupsArrays) {
    // Backups written before the arrays were sorted list actions, comments and photos in no
    // particular order: the restore must not depend on it.
    Json m = Json::parse(read_text(folder / "group.json"));
    for (const char* key : {"steps", "resources", "projects", "indicators", "indicator_values",
                            "actions", "comments", "photos"}) {
        auto& arr = m[key];
        std::reverse(arr.begin(), arr.end());
    }
    const fs::path shuffled = dir->path() / "shuffled";
    fs::create_directory(shuffled);
    fs::copy(folder / "photos", shuffled / "photos");
    write_text(shuffled / "group.json", m.dump());
    for (int seed = 0; seed < 10; ++seed) {
        SCOPED_TRACE("restore " + std::to_string(seed));
        ASSERT_EQ(restored_lists(seed, shuffled), original);
    }
}

TEST_F(ListOrderRestoreTest, BackupArraysAreWrittenInATotalOrder) {
    // Two backups of the same group are byte-equal but for created_at, so they diff well.
    const fs::path again = dir->path() / "again";
    backup_group(*engine, f.manager, f.group.id, again.string());
    Json a = Json::parse(read_text(folder / "group.json"));
    Json b = Json::parse(read_text(again / "group.json"));
    a.erase("created_at");
    b.erase("created_at");
    EXPECT_EQ(a, b);
    // Photos and comments in (created_at, id) order.
    for (const char* key : {"photos", "comments", "actions"}) {
        const auto& arr = a[key];
        for (std::size_t i = 1; i < arr.size(); ++i) {
            const auto prev = std::make_pair(arr[i - 1]["created_at"].get<Millis>(),
                                             arr[i - 1]["id"].get<std::string>());
            const auto cur =
                std::make_pair(arr[i]["created_at"].get<Millis>(), arr[i]["id"].get<std::string>());
            EXPECT_LT(prev, cur) << key << "[" << i << "]";
        }
    }
}

}  // namespace
}  // namespace leandesk::testing
