// A small world for sync tests: one server engine with its authority, and replica devices wired to
// it by an in-process transport, all on one injected clock and seeded random sources.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "engine/engine.hpp"
#include "sync/authority.hpp"
#include "sync/replica.hpp"
#include "sync/transport.hpp"

namespace leandesk::synctest {

inline constexpr Millis kStartTime = 1772442000000;  // 2026-03-02T09:00:00Z
inline const std::string kPassword = "correct horse battery";

/// One replica: its own database file, engine, sync client and local session.
struct Device {
    std::string path;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<sync::Replica> replica;
    Actor me;
    std::vector<sync::Rejection> rejections;

    Engine& e() { return *engine; }
    void sync() { replica->sync_now(); }
    Json status() { return replica->status(); }
};

class SyncWorld : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    /// Signs up and activates an account on the server; returns its user id.
    Id account(const std::string& email, const std::string& first, const std::string& last);
    /// A fresh replica database signed in as `email`, wired to the server.
    std::unique_ptr<Device> device(const std::string& email, std::uint64_t seed);
    /// Reopens a device's database (as after the app was killed), keeping its file.
    void reopen(Device& d, std::uint64_t seed);
    /// Runs `fn`, expecting Error with `code`; returns the message.
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
    /// Rows of a table in a device's (or the server's) database.
    static std::int64_t count(Engine& e, const std::string& sql);

    std::filesystem::path dir;
    std::shared_ptr<Millis> now = std::make_shared<Millis>(kStartTime);
    std::shared_ptr<RecordingMailSender> mail = std::make_shared<RecordingMailSender>();
    std::unique_ptr<Engine> server;
    std::unique_ptr<sync::Authority> authority;
    std::shared_ptr<sync::InProcessTransport> transport;
};

}  // namespace leandesk::synctest
