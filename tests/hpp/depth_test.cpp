// Deeply nested JSON input: the wrapper serializes ld::json values with nlohmann's dump(), which
// recurses once per level, so a value 100,000 levels deep used to overflow the stack (SIGSEGV)
// in ld::Database's constructor (issue 20). Every place that serializes a caller's value now
// refuses more than detail::kMaxInputDepth levels with ld::InvalidArgument first. Each case runs
// in its own process under ctest (gtest_discover_tests), so a regression fails only its case.
#include "support.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

using ld_test::expect_throw;
using ld_test::fast_options;
using ld_test::HppTest;

namespace {

constexpr std::size_t kHostileDepth = 100000;

// [[[...]]] `depth` levels deep, built without recursion.
ld::json deep_array(std::size_t depth) {
    ld::json v = ld::json::array();
    for (std::size_t i = 1; i < depth; ++i) {
        ld::json outer = ld::json::array();
        outer.push_back(std::move(v));
        v = std::move(outer);
    }
    return v;
}

// {"a":{"a":...{}}} `depth` levels deep.
ld::json deep_object(std::size_t depth) {
    ld::json v = ld::json::object();
    for (std::size_t i = 1; i < depth; ++i) {
        ld::json outer = ld::json::object();
        outer["a"] = std::move(v);
        v = std::move(outer);
    }
    return v;
}

std::string deep_array_text(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

std::string deep_object_text(std::size_t depth) {
    std::string text;
    for (std::size_t i = 1; i < depth; ++i) text += "{\"a\":";
    text += "{}";
    text += std::string(depth - 1, '}');
    return text;
}

// The hostile values: arrays and objects, built in memory and parsed from text.
std::vector<std::pair<std::string, ld::json>> hostile_values() {
    std::vector<std::pair<std::string, ld::json>> v;
    v.emplace_back("array value", deep_array(kHostileDepth));
    v.emplace_back("object value", deep_object(kHostileDepth));
    v.emplace_back("array text", ld::json::parse(deep_array_text(kHostileDepth)));
    v.emplace_back("object text", ld::json::parse(deep_object_text(kHostileDepth)));
    return v;
}

void expect_too_deep(const std::string& what, const std::function<void()>& fn) {
    SCOPED_TRACE(what);
    const std::string message = expect_throw<ld::InvalidArgument>(fn);
    EXPECT_NE(message.find("nested too deeply"), std::string::npos) << message;
}

}  // namespace

TEST(HppDepth, DatabaseOptionsNestedTooDeeplyThrowInvalidArgument) {
    for (const auto& entry : hostile_values()) {
        const std::string& what = entry.first;
        const ld::json& options = entry.second;
        expect_too_deep(what, [&] { ld::Database db(":memory:", options); });
        expect_too_deep(what, [&] { auto db = ld::Database::open(":memory:", options); });
        // Refused before ld_sync_open() runs: no server is contacted, no file is made.
        expect_too_deep(what, [&] {
            auto db = ld::Database::open_replica(
                ":memory:", ld::ReplicaOptions{"https://sync.invalid/", "", ""}, options);
        });
    }
}

TEST_F(HppTest, SessionInputsNestedTooDeeplyThrowInvalidArgument) {
    ld::Session ann = user("Ann");
    const ld::Group group = ann.group_create({{"name", "Plant"}});
    const ld::Project project = ann.project_create({{"group_id", group.id}, {"name", "Scrap"}});
    const ld::Action action = ann.action_create({{"project_id", project.id}, {"title", "Measure"}});
    const std::size_t mails = mailbox->size();
    for (const auto& entry : hostile_values()) {
        const std::string& what = entry.first;
        const ld::json& value = entry.second;
        expect_too_deep(what + " as account_sign_up input", [&] { db.account_sign_up(value); });
        expect_too_deep(what + " as execute args", [&] { ann.execute("create_group", value); });
        expect_too_deep(what + " as group_create input", [&] { ann.group_create(value); });
        expect_too_deep(what + " as me_update patch", [&] { ann.me_update(value); });
        expect_too_deep(what + " as action_update patch",
                        [&] { ann.action_update(action.id, value); });
        expect_too_deep(what + " as step_add input", [&] { ann.step_add(group.id, value); });
        expect_too_deep(what + " as photo_add input",
                        [&] { ann.photo_add(action.id, ld_test::tiny_png(), value); });
    }
    // Deep inside an otherwise well-formed argument (moved in: copying a json value recurses).
    ld::json args = ld::json::object();
    args["input"] = deep_object(kHostileDepth);
    expect_too_deep("object inside execute args", [&] { ann.execute("create_group", args); });
    // Nothing was applied, and the session still works.
    EXPECT_EQ(ann.group_list().size(), 1u);
    EXPECT_EQ(ann.action_get(action.id).action.title, "Measure");
    EXPECT_EQ(mailbox->size(), mails);
}

TEST(HppDepth, TheBoundIsTheWrappersAndTheLibraryRefusesLessDeepInputItself) {
    // At the wrapper's bound the value is serialized and the library gives its own refusal.
    const std::string at_bound = expect_throw<ld::InvalidArgument>([] {
        ld::Database db(":memory:", {{"x", deep_array(ld::detail::kMaxInputDepth - 1)}});
    });
    EXPECT_NE(at_bound.find("nested too deeply"), std::string::npos) << at_bound;
    EXPECT_EQ(at_bound.find(std::to_string(ld::detail::kMaxInputDepth)), std::string::npos)
        << "refused by the wrapper, not the library: " << at_bound;
    // One level more and the wrapper refuses it before serializing.
    const std::string past_bound = expect_throw<ld::InvalidArgument>([] {
        ld::Database db(":memory:", {{"x", deep_array(ld::detail::kMaxInputDepth)}});
    });
    EXPECT_NE(past_bound.find(std::to_string(ld::detail::kMaxInputDepth)), std::string::npos)
        << past_bound;
    // Wide but shallow values are not refused by the check.
    ld::json wide = ld::json::array();
    for (int i = 0; i < 10000; ++i) wide.push_back({{"k", {1, 2, 3}}});
    EXPECT_NO_THROW(ld::detail::check_depth(wide));
    EXPECT_NO_THROW(ld::Database db(":memory:", fast_options()));
}
