// Shared fixture for the engine tests: a fresh database file per test, an injected clock and a
// seeded random source (deterministic ids), three users, and a helper that snapshots the whole
// database so a refused command can be shown to have changed nothing.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/error.hpp"
#include "engine/engine.hpp"

namespace leandesk::testing {

/// 2026-03-02T09:00:00Z, a Monday.
inline constexpr Millis kStartTime = 1772442000000;

/// A unique temporary directory removed at the end of the test.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

  private:
    std::filesystem::path path_;
};

/// Every row of every table, in a stable order, as text: equal snapshots mean equal databases.
std::string snapshot(const std::string& db_path);

class EngineTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    /// Opens (or reopens) the engine on the test's database file.
    void open();
    /// A user, activated unless told otherwise.
    Actor make_user(const std::string& email, const std::string& first, const std::string& last,
                    bool activated = true);
    /// Runs `fn`, expects it to throw Error with `code`, and returns the message.
    template <typename Fn>
    std::string expect_error(Errc code, Fn&& fn) {
        try {
            fn();
        } catch (const Error& e) {
            EXPECT_EQ(static_cast<int>(e.code()), static_cast<int>(code)) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "expected an error " << errc_name(code);
        return {};
    }
    /// Expects `fn` to be refused with permission denied naming `rule`, and the database unchanged.
    template <typename Fn>
    void expect_denied(const std::string& rule, Fn&& fn) {
        engine->checkpoint();
        const std::string before = snapshot(db_path);
        const std::string msg = expect_error(Errc::permission_denied, std::forward<Fn>(fn));
        EXPECT_EQ(msg.rfind(rule + ":", 0), 0U)
            << "message should start with " << rule << ": " << msg;
        engine->checkpoint();
        EXPECT_EQ(before, snapshot(db_path)) << "a refused command changed the database";
    }
    /// Expects `fn` to fail with `code` and the database unchanged.
    template <typename Fn>
    std::string expect_unchanged(Errc code, Fn&& fn) {
        engine->checkpoint();
        const std::string before = snapshot(db_path);
        std::string msg = expect_error(code, std::forward<Fn>(fn));
        engine->checkpoint();
        EXPECT_EQ(before, snapshot(db_path)) << "a failed command changed the database";
        return msg;
    }

    /// A group managed by `manager` with `members` added, and its steps.
    Group make_group(const Actor& manager, const std::string& name,
                     const std::vector<Actor>& members = {});
    /// A project in `group` owned by `owner` with `participants` added by the owner.
    Project make_project(const Actor& owner, const Group& group, const std::string& name,
                         const std::vector<Actor>& participants = {});
    Action make_action(const Actor& actor, const Project& project, const std::string& title);
    Step step_of_kind(const Actor& viewer, const Group& group, StepKind kind);

    std::unique_ptr<TempDir> dir;
    std::string db_path;
    std::shared_ptr<Millis> now = std::make_shared<Millis>(kStartTime);
    std::unique_ptr<Engine> engine;
    // The cast of most tests: Ann manages, Bob and Cat are members, Dan is outside, Op is operator.
    Actor ann, bob, cat, dan;
    Actor op = Actor::operator_();
};

}  // namespace leandesk::testing
