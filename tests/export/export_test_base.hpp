// The fixture of the export gtests: a fresh database file per test with the fixture group, an
// injected clock and seeded ids, and helpers to show that a refused or failed call changed nothing.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "fixture.hpp"
#include "test_support.hpp"

namespace leandesk::testing {

class ExportTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = std::make_unique<TempDir>();
        db_path = dir->file("test.db");
        EngineOptions o(db_path);
        o.clock = manual_clock(now);
        o.random = seeded_random(99);
        o.mail = mail;
        engine = std::make_unique<Engine>(std::move(o));
        f = make_fixture(*engine, *now);
    }
    void TearDown() override {
        engine.reset();
        dir.reset();
    }

    /// Runs `fn`, expects Error with `code`, and returns the message.
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
    /// Expects `fn` to fail with `code` and the database to be unchanged.
    template <typename Fn>
    std::string expect_unchanged(Errc code, Fn&& fn) {
        engine->checkpoint();
        const std::string before = snapshot(db_path);
        std::string msg = expect_error(code, std::forward<Fn>(fn));
        engine->checkpoint();
        EXPECT_EQ(before, snapshot(db_path)) << "a failed call changed the database";
        return msg;
    }
    /// The names in a folder, to show nothing was left behind.
    std::vector<std::string> listing() const {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(dir->path())) {
            names.push_back(e.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    std::unique_ptr<TempDir> dir;
    std::string db_path;
    std::shared_ptr<Millis> now = std::make_shared<Millis>(kFixtureTime);
    std::shared_ptr<RecordingMailSender> mail = std::make_shared<RecordingMailSender>();
    std::unique_ptr<Engine> engine;
    Fixture f;
};

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace leandesk::testing
