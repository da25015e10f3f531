// Clock stamps that cannot wedge sync (docs/protocol.md, "Clocks"): the server refuses a push
// stamped further ahead of its clock than its bound and merges a stamp only once its command was
// authorized and applied; a replica refuses a server stamp too far ahead of its own clock; a
// clock an earlier version left poisoned recovers on open; a full counter moves to the next
// millisecond; an outsider's old edit is refused, never answered "superseded"; the push answer
// reads the clock under the engine's lock (run under ThreadSanitizer by tests/sanitizers).
#include <atomic>
#include <cstdio>
#include <thread>
#include <utility>

#include "engine/engine_impl.hpp"
#include "plan_world.hpp"
#include "sync/hlc.hpp"

namespace leandesk::synctest {
namespace {

using sync::Hlc;

/// Passes every request to the real authority and lets the test rewrite the answers.
class RewritingTransport : public sync::Transport {
  public:
    explicit RewritingTransport(std::shared_ptr<sync::Transport> real) : real_(std::move(real)) {}

    Json sign_in(const std::string& email, const std::string& password) override {
        Json answer = real_->sign_in(email, password);
        if (rewrite) rewrite(answer);
        return answer;
    }
    Json push(const std::string& token, const Json& request) override {
        Json answer = real_->push(token, request);
        if (rewrite) rewrite(answer);
        return answer;
    }
    Json pull(const std::string& token, const Json& request) override {
        Json page = real_->pull(token, request);
        if (rewrite) rewrite(page);
        return page;
    }
    void put_blob(const std::string& token, const std::string& hash,
                  const std::vector<unsigned char>& bytes) override {
        real_->put_blob(token, hash, bytes);
    }
    std::vector<unsigned char> get_blob(const std::string& token,
                                        const std::string& hash) override {
        return real_->get_blob(token, hash);
    }

    std::function<void(Json&)> rewrite;

  private:
    std::shared_ptr<sync::Transport> real_;
};

const char* const kFarFuture = "999999999999999-999999-00000000000000aa";

class ClockBounds : public PlanWorld {
  protected:
    /// The server's clock as it keeps it (what every answer hands out).
    std::string server_clock() {
        return text(*server, "SELECT value FROM meta WHERE key = 'sync_hlc'");
    }
    /// A device's clock: (wall, counter).
    static std::pair<Millis, std::int64_t> device_clock(Device& d) {
        return {count(d.e(), "SELECT hlc_wall FROM sync_replica"),
                count(d.e(), "SELECT hlc_counter FROM sync_replica")};
    }
    static std::string text(Engine& e, const std::string& sql) {
        auto& impl = e.internals();
        return impl.read([&] {
            auto s = impl.db.prepare(sql);
            return s.step() && !s.is_null(0) ? s.text(0) : std::string();
        });
    }
    static void exec(Engine& e, const std::string& sql) {
        auto& impl = e.internals();
        impl.write([&] { impl.db.prepare(sql).run(); });
    }
    /// Pushes one command straight to the authority as `user` (a client that writes its own
    /// requests); returns the answer.
    Json push_as(const Id& user, const std::string& command, const Json& args,
                 const std::string& hlc) {
        char id[40];
        std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", ++pushed_);
        const Json request{
            {"commands",
             Json::array({Json{
                 {"id", std::string(id)}, {"command", command}, {"args", args}, {"hlc", hlc}}})}};
        return authority->push(Actor::user(user), request);
    }
    std::string stamp_at(Millis wall, std::int64_t counter = 0) {
        return Hlc{wall, counter}.text("00000000000000bb");
    }
    /// Reopens a device's database on a clock of its own (a device whose date is wrong).
    void reopen_on(Device& d, const std::shared_ptr<Millis>& clock, std::uint64_t seed) {
        d.replica.reset();
        d.engine.reset();
        EngineOptions o(d.path);
        o.clock = manual_clock(clock);
        o.random = seeded_random(seed);
        o.password_params = auth::PasswordParams::fastest_for_tests();
        d.engine = std::make_unique<Engine>(std::move(o));
        d.replica = std::make_unique<sync::Replica>(d.e(), transport);
        Device* raw = &d;
        d.replica->on_rejected = [raw](const sync::Rejection& r) { raw->rejections.push_back(r); };
    }
    /// Gives a device a transport that rewrites answers.
    std::shared_ptr<RewritingTransport> rewriting(Device& d) {
        auto t = std::make_shared<RewritingTransport>(transport);
        d.replica = std::make_unique<sync::Replica>(d.e(), t);
        return t;
    }
    /// Starts the server's authority again (as after a restart of leandesk-server), every device
    /// wired to the new one.
    void restart_authority() {
        std::vector<Device*> devices{ann.get(), bob.get(), cat.get()};
        for (auto* d : devices) d->replica.reset();
        transport.reset();
        authority.reset();
        authority = std::make_unique<sync::Authority>(*server);
        transport = std::make_shared<sync::InProcessTransport>(*server, *authority);
        for (auto* d : devices) {
            d->replica = std::make_unique<sync::Replica>(d->e(), transport);
            d->replica->on_rejected = [d](const sync::Rejection& r) { d->rejections.push_back(r); };
        }
    }

    std::atomic<int> pushed_{0};
};

// ---- the server's bound ----------------------------------------------------------------------

TEST_F(ClockBounds, AStampFarAheadIsRefusedAndTheClockStaysPut) {
    const std::string before = server_clock();
    const std::string message = expect_error(Errc::invalid_argument, [&] {
        push_as(bob->me.user_id, "update_action",
                {{"action_id", action}, {"patch", {{"title", "x"}}}}, kFarFuture);
    });
    EXPECT_NE(message.find("ahead of the server's clock"), std::string::npos) << message;
    EXPECT_EQ(server_clock(), before);
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure");
    // Everyone else goes on syncing, and their edits apply.
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Measure again"}});
    ann->sync();
    bob->sync();
    cat->sync();
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure again");
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.title, "Measure again");
    EXPECT_TRUE(ann->status()["last_error"].is_null());
}

TEST_F(ClockBounds, TheBoundIsTheServersSetting) {
    // Within the bound: applied, and the clock follows it. One millisecond beyond: refused.
    authority = std::make_unique<sync::Authority>(*server, 60'000);
    transport = std::make_shared<sync::InProcessTransport>(*server, *authority);
    const std::string within = stamp_at(*now + 60'000);
    const Json answer = push_as(bob->me.user_id, "update_action",
                                {{"action_id", action}, {"patch", {{"title", "Ahead"}}}}, within);
    EXPECT_EQ(answer["results"][0]["outcome"], "applied");
    EXPECT_EQ(answer["hlc"].get<std::string>().substr(0, 22), within.substr(0, 22));
    expect_error(Errc::invalid_argument, [&] {
        push_as(bob->me.user_id, "update_action",
                {{"action_id", action}, {"patch", {{"title", "Beyond"}}}}, stamp_at(*now + 60'001));
    });
    expect_error(Errc::invalid_argument, [&] { sync::Authority(*server, 0); });
    expect_error(Errc::invalid_argument,
                 [&] { sync::Authority(*server, sync::kDefaultMaxClockSkewMs + 1); });
}

TEST_F(ClockBounds, ARefusedCommandDoesNotMoveTheClock) {
    // Cat shares no group with Ann: her edit is refused, and its stamp (ahead, but within the
    // bound) must not become the clock every replica adopts.
    const std::string before = server_clock();
    const Json answer =
        push_as(cat->me.user_id, "update_action",
                {{"action_id", action}, {"patch", {{"title", "Cat's"}}}}, stamp_at(*now + 120'000));
    EXPECT_EQ(answer["results"][0]["outcome"], "rejected");
    EXPECT_EQ(answer["hlc"], before);
    EXPECT_EQ(server_clock(), before);
}

TEST_F(ClockBounds, AnAppliedCommandMovesTheClock) {
    const std::string ahead = stamp_at(*now + 120'000);
    const Json answer = push_as(bob->me.user_id, "update_action",
                                {{"action_id", action}, {"patch", {{"title", "Bob's"}}}}, ahead);
    EXPECT_EQ(answer["results"][0]["outcome"], "applied");
    EXPECT_EQ(Hlc::parse(server_clock())->wall, *now + 120'000);
    // Ann adopts it: her next edit is stamped after Bob's and wins.
    ann->sync();
    ann->e().update_action(ann->me, action, {{"title", "Ann's"}});
    ann->sync();
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Ann's");
    EXPECT_TRUE(ann->rejections.empty());
}

// ---- authorize first (issue 21 item 10) -----------------------------------------------------

TEST_F(ClockBounds, AnOutsidersOldEditIsRefusedNotSuperseded) {
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Ann's"}});
    ann->sync();
    // Cat's edits are stamped before Ann's: every field they name was written later. The answer
    // must not tell her so (that would reveal when the record was last edited).
    const std::string old = stamp_at(*now - 60'000);
    for (const auto& [command, args] : std::vector<std::pair<std::string, Json>>{
             {"update_action", {{"action_id", action}, {"patch", {{"title", "Cat's"}}}}},
             {"move_action", {{"action_id", action}, {"step_id", action}}}}) {
        const Json answer = push_as(cat->me.user_id, command, args, old);
        const Json& r = answer["results"][0];
        EXPECT_EQ(r["outcome"], "rejected") << command << ": " << r.dump();
        EXPECT_FALSE(r.contains("superseded")) << command;
        const int code = r.value("code", 0);
        EXPECT_TRUE(code == static_cast<int>(Errc::permission_denied) ||
                    code == static_cast<int>(Errc::not_found))
            << r.dump();
    }
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Ann's");
}

TEST_F(ClockBounds, AMembersOldEditIsStillSupersededAndChangesNothing) {
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Ann's"}});
    ann->sync();
    const Json answer =
        push_as(bob->me.user_id, "update_action",
                {{"action_id", action}, {"patch", {{"title", "Bob's"}}}}, stamp_at(*now - 60'000));
    EXPECT_EQ(answer["results"][0]["outcome"], "applied");
    EXPECT_EQ(answer["results"][0]["superseded"], true);
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Ann's");
    EXPECT_EQ(count(*server,
                    "SELECT COUNT(*) FROM changes WHERE entity = 'action' AND "
                    "op = 'update' AND fields LIKE '%title%'"),
              1);
}

// ---- the replica's bound ---------------------------------------------------------------------

TEST_F(ClockBounds, AReplicaRefusesAServerStampTooFarAheadAndSaysSo) {
    auto t = rewriting(*bob);
    const auto clock_before = device_clock(*bob);
    tick();
    const Millis beyond = *now + sync::kReplicaMaxClockAheadMs + 1;
    ann->e().update_action(ann->me, action, {{"title", "New"}});
    ann->sync();
    t->rewrite = [&](Json& answer) { answer["hlc"] = Hlc{beyond, 0}.text("0000000000000000"); };
    const std::string message = expect_error(Errc::network, [&] { bob->sync(); });
    EXPECT_NE(message.find("ahead of this device's clock"), std::string::npos) << message;
    const Json status = bob->status();
    EXPECT_EQ(status["last_error"]["code"], static_cast<int>(Errc::network));
    EXPECT_NE(status["last_error"]["message"].get<std::string>().find("ahead of this device's"),
              std::string::npos);
    EXPECT_EQ(device_clock(*bob), clock_before);
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.title, "Measure");  // not applied
    // Within the bound it is adopted; the sync goes through and the error is gone.
    const Millis within = *now + sync::kReplicaMaxClockAheadMs;
    t->rewrite = [&](Json& answer) { answer["hlc"] = Hlc{within, 0}.text("0000000000000000"); };
    bob->sync();
    EXPECT_EQ(device_clock(*bob).first, within);
    EXPECT_TRUE(bob->status()["last_error"].is_null());
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.title, "New");
}

TEST_F(ClockBounds, AReplicaRefusesAPushAnswerStampTooFarAhead) {
    auto t = rewriting(*bob);
    tick();
    bob->e().update_action(bob->me, action, {{"title", "Bob's"}});
    const auto clock_before = device_clock(*bob);
    t->rewrite = [&](Json& answer) {
        if (answer.contains("results")) answer["hlc"] = kFarFuture;
    };
    const std::string message = expect_error(Errc::network, [&] { bob->sync(); });
    EXPECT_NE(message.find("ahead of this device's clock"), std::string::npos) << message;
    EXPECT_EQ(device_clock(*bob), clock_before);
    EXPECT_EQ(bob->status()["pending"], 1);  // kept: pushed again, it is a duplicate
    t->rewrite = nullptr;
    bob->sync();
    EXPECT_EQ(bob->status()["pending"], 0);
    EXPECT_TRUE(bob->rejections.empty());
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Bob's");
}

TEST_F(ClockBounds, ASignInWithAStampTooFarAheadKeepsTheClockAndSaysSo) {
    account("dan@example.com", "Dan", "Dunn");
    auto dan = std::make_unique<Device>();
    dan->path = (dir / "dan.db").string();
    EngineOptions o(dan->path);
    o.clock = manual_clock(now);
    o.random = seeded_random(14);
    o.password_params = auth::PasswordParams::fastest_for_tests();
    dan->engine = std::make_unique<Engine>(std::move(o));
    sync::Replica::attach(dan->e(), {"https://sync.example.test", "", ""});
    auto t = std::make_shared<RewritingTransport>(transport);
    dan->replica = std::make_unique<sync::Replica>(dan->e(), t);
    t->rewrite = [&](Json& answer) { answer["hlc"] = kFarFuture; };
    dan->replica->sign_in("dan@example.com", kPassword);  // the sign-in itself stands
    EXPECT_EQ(device_clock(*dan).first, 0);
    EXPECT_NE(dan->status()["last_error"]["message"].get<std::string>().find(
                  "ahead of this device's clock"),
              std::string::npos);
    t->rewrite = nullptr;
    dan->sync();
    EXPECT_TRUE(dan->status()["last_error"].is_null());
}

// ---- recovery of a clock an earlier version poisoned -----------------------------------------

TEST_F(ClockBounds, APoisonedReplicaRecoversOnOpen) {
    // What an earlier version left: the server's far-future stamp adopted, then a command stamped
    // after it with a 7-digit counter the server cannot read.
    tick();
    bob->e().update_action(bob->me, action, {{"title", "Queued while poisoned"}});
    const std::string node = text(bob->e(), "SELECT node FROM sync_replica");
    exec(bob->e(), "UPDATE sync_replica SET hlc_wall = 999999999999999, hlc_counter = 1000000");
    exec(bob->e(), "UPDATE sync_outbox SET hlc = '999999999999999-1000000-" + node + "'");
    reopen(*bob, 12);
    EXPECT_EQ(device_clock(*bob).first, *now);
    const auto queued = Hlc::parse(text(bob->e(), "SELECT hlc FROM sync_outbox"));
    ASSERT_TRUE(queued.has_value());
    EXPECT_EQ(queued->wall, *now);
    bob->sync();
    EXPECT_TRUE(bob->status()["last_error"].is_null());
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Queued while poisoned");
    // And its next edit is stamped from its own clock again.
    tick();
    bob->e().update_action(bob->me, action, {{"title", "After"}});
    EXPECT_EQ(Hlc::parse(text(bob->e(), "SELECT hlc FROM sync_outbox"))->wall, *now);
    bob->sync();
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "After");
}

TEST_F(ClockBounds, AReplicaWhoseDateWasPutBackRestampsItsQueue) {
    // Bob's device runs an hour fast: the server refuses his push, and nothing of it is lost.
    auto bobs_clock = std::make_shared<Millis>(*now + 3600'000);
    reopen_on(*bob, bobs_clock, 12);
    bob->e().update_action(bob->me, action, {{"title", "Fast"}});
    const std::string message = expect_error(Errc::invalid_argument, [&] { bob->sync(); });
    EXPECT_NE(message.find("ahead of the server's clock"), std::string::npos) << message;
    EXPECT_EQ(bob->status()["pending"], 1);
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure");
    // His date is corrected while the app runs: the next sync stamps the queue again from the
    // corrected clock, and the server takes it.
    *bobs_clock = *now;
    bob->sync();
    EXPECT_EQ(bob->status()["pending"], 0);
    EXPECT_TRUE(bob->rejections.empty());
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Fast");
    EXPECT_LE(device_clock(*bob).first, *now + sync::kDefaultMaxClockSkewMs);
}

TEST_F(ClockBounds, APoisonedServerRecoversOnStart) {
    // An earlier version took a far-future stamp, applied it, and wrote it as its clock and as
    // the title's field clock: every later edit of the title lost, every replica adopted it.
    exec(*server,
         std::string("UPDATE meta SET value = '") + kFarFuture + "' WHERE key = 'sync_hlc'");
    exec(*server,
         "INSERT INTO sync_field_clocks (entity, entity_id, field, hlc) VALUES ('action', '" +
             action + "', 'title', '" + kFarFuture +
             "') ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc");
    restart_authority();
    EXPECT_EQ(Hlc::parse(server_clock())->wall, *now);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM sync_field_clocks WHERE hlc LIKE '9999%'"), 0);
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Editable again"}});
    ann->sync();
    EXPECT_TRUE(ann->rejections.empty());
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Editable again");
    bob->sync();
    EXPECT_LT(device_clock(*ann).first, sync::kMaxHlcWall);
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.title, "Editable again");
}

// ---- the counter's width ---------------------------------------------------------------------

TEST(HlcStamp, AFullCounterMovesToTheNextMillisecond) {
    const Hlc full{1000, sync::kMaxHlcCounter};
    EXPECT_EQ(full.tick(500).wall, 1001);
    EXPECT_EQ(full.tick(500).counter, 0);
    EXPECT_EQ(full.tick(2000).wall, 2000);
    // A counter past the width (an earlier version's) is the next millisecond, in range.
    const Hlc over{1000, sync::kMaxHlcCounter + 1};
    EXPECT_EQ(over.normalized().wall, 1001);
    EXPECT_EQ(over.text("ab"), "000000000001001-000000-ab");
    ASSERT_TRUE(Hlc::parse(over.tick(0).text("ab")));
    // The text form's very end stays readable.
    const Hlc end{sync::kMaxHlcWall, sync::kMaxHlcCounter};
    EXPECT_TRUE(Hlc::parse(end.tick(0).text("ab")).has_value());
    EXPECT_FALSE(end.tick(0).after(end));
    EXPECT_TRUE(Hlc::parse(Hlc{sync::kMaxHlcWall + 5, 0}.text("ab")).has_value());
    // Stamps still sort as their text.
    EXPECT_LT(full.text("ab"), full.tick(500).text("ab"));
}

TEST_F(ClockBounds, AReplicaWhoseCounterIsFullStillSyncs) {
    // The server's clock at the end of a millisecond's counter (a legitimate stamp, within the
    // bound): the replica's next stamp takes the next millisecond, which the server reads.
    const Millis ahead = *now + 60'000;
    const Json answer = push_as(ann->me.user_id, "update_action",
                                {{"action_id", action}, {"patch", {{"title", "Ann's"}}}},
                                stamp_at(ahead, sync::kMaxHlcCounter));
    ASSERT_EQ(answer["results"][0]["outcome"], "applied") << answer.dump();
    bob->sync();
    EXPECT_EQ(device_clock(*bob), std::make_pair(ahead, sync::kMaxHlcCounter));
    bob->e().update_action(bob->me, action, {{"title", "Bob's"}});
    const auto stamp = Hlc::parse(text(bob->e(), "SELECT hlc FROM sync_outbox"));
    ASSERT_TRUE(stamp.has_value());
    EXPECT_EQ(stamp->wall, ahead + 1);
    EXPECT_EQ(stamp->counter, 0);
    tick();  // a second later on the server: within the bound
    bob->sync();
    EXPECT_TRUE(bob->status()["last_error"].is_null());
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Bob's");
}

// ---- the clock under concurrent pushes (issue 21 item 12; a race under ThreadSanitizer) -------

TEST_F(ClockBounds, ConcurrentPushesAndPullsReadTheClockUnderTheLock) {
    const std::vector<Id> users{ann->me.user_id, bob->me.user_id};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < users.size(); ++t) {
        threads.emplace_back([&, t] {
            Hlc last;
            for (int i = 0; i < 20; ++i) {
                try {
                    const Json answer = push_as(
                        users[t], "update_action",
                        {{"action_id", action},
                         {"patch", {{"title", "T" + std::to_string(t) + "-" + std::to_string(i)}}}},
                        Hlc{kStartTime + 1000 * static_cast<Millis>(i + 1),
                            static_cast<std::int64_t>(t)}
                            .text(t == 0 ? "00000000000000a0" : "00000000000000b0"));
                    const auto h = Hlc::parse(answer["hlc"].get<std::string>());
                    const Json page = authority->pull(Actor::user(users[t]), Json::object());
                    const auto p = Hlc::parse(page["hlc"].get<std::string>());
                    if (!h || !p || last.after(*h) || h->after(*p)) ++failures;
                    last = *p;
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace leandesk::synctest
