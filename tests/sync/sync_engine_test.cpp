// Replicas against an in-process authority: the outbox, push outcomes, rejection and undo,
// buckets gained and lost, blobs, idempotence across lost answers and restarts, sessions.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "engine/engine_impl.hpp"
#include "plan_world.hpp"
#include "sync/token_vault.hpp"

namespace leandesk::synctest {
namespace {

class Sync : public PlanWorld {};

const std::vector<unsigned char> kPng = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4};

TEST_F(Sync, LocalCommandsApplyAtOnceAndWaitInTheOutbox) {
    tick();
    ann->e().update_action(ann->me, action, {{"title", "Measure twice"}});
    EXPECT_EQ(ann->e().get_action(ann->me, action).action.title, "Measure twice");
    EXPECT_EQ(ann->status()["pending"], 1);
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure");
    ann->sync();
    EXPECT_EQ(ann->status()["pending"], 0);
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure twice");
    EXPECT_TRUE(ann->status()["last_error"].is_null());
    EXPECT_EQ(ann->status()["last_success_at"], *now);
}

TEST_F(Sync, APlainLocalDatabaseHasNoOutbox) {
    Engine local(EngineOptions((dir / "local.db").string()));
    const Actor u =
        Actor::user(local.create_user({{"email", "x@example.com"}, {"activated", true}}).id);
    const Id g = local.create_group(u, {{"name", "G"}}).id;
    local.create_project(u, {{"group_id", g}, {"name", "P"}});
    EXPECT_EQ(count(local, "SELECT COUNT(*) FROM sync_outbox"), 0);
    expect_error(Errc::conflict, [&] {
        sync::Replica::attach(local, {"https://sync.example.test", "", ""});
    });
}

TEST_F(Sync, PeopleArriveWithTheirVisibleFieldsOnly) {
    // Bob, a co-participant, sees Ann's e-mail (R8/R13); Cat shares no group and sees nobody.
    const auto people = bob->e().project_participants(bob->me, project);
    ASSERT_EQ(people.size(), 2U);
    for (const auto& p : people) EXPECT_TRUE(p.email.has_value());
    EXPECT_EQ(count(cat->e(), "SELECT COUNT(*) FROM users"), 1);
    EXPECT_EQ(count(cat->e(), "SELECT COUNT(*) FROM groups"), 0);
}

TEST_F(Sync, AGroupCreatedOfflineKeepsItsStepsOnTheServer) {
    tick();
    const Id g = bob->e().create_group(bob->me, {{"name", "Bob's team"}}).id;
    const Id p = bob->e().create_project(bob->me, {{"group_id", g}, {"name", "Kaizen"}}).id;
    const Id a = bob->e().create_action(bob->me, {{"project_id", p}, {"title", "First"}}).id;
    bob->sync();
    EXPECT_TRUE(bob->rejections.empty());
    const Action on_server = server->get_action(bob->me, a).action;
    EXPECT_EQ(on_server.step_id, bob->e().get_action(bob->me, a).action.step_id);
    EXPECT_EQ(server->group_steps(bob->me, g).size(), 4U);
}

TEST_F(Sync, MemberRemovedWhileOfflineIsRejectedUndoneAndPurged) {
    // Bob works offline on the project...
    tick();
    bob->e().update_action(bob->me, action, {{"title", "Bob's offline title"}});
    const Id bob_action =
        bob->e().create_action(bob->me, {{"project_id", project}, {"title", "Bob's"}}).id;
    bob->e().add_photo(bob->me, action, kPng, {{"caption", "line 2"}});
    // ...while Ann removes him from the group (and so from the project, R4).
    tick();
    ann->e().remove_member(ann->me, group, bob->me.user_id);
    ann->sync();
    bob->sync();
    // Every queued command was refused by the server's state and reported.
    ASSERT_EQ(bob->rejections.size(), 3U);
    for (const auto& r : bob->rejections) {
        EXPECT_TRUE(r.code == Errc::permission_denied || r.code == Errc::not_found) << r.message;
    }
    EXPECT_EQ(bob->rejections[0].command, "update_action");
    EXPECT_FALSE(bob->rejections[0].rule.empty());
    EXPECT_EQ(bob->status()["pending"], 0);
    EXPECT_EQ(bob->status()["rejected"], 3);
    // The group and the project are gone from his replica, photo bytes included.
    for (const char* table :
         {"groups", "projects", "actions", "photos", "blobs", "members", "steps"}) {
        EXPECT_EQ(count(bob->e(), std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
    }
    EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM users"), 1);  // only himself
    // The server never saw any of it.
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "Measure");
    expect_error(Errc::not_found, [&] { server->get_action(ann->me, bob_action); });
    // The manager still sees everything (R7).
    ann->sync();
    EXPECT_EQ(ann->e().project_actions(ann->me, project).size(), 1U);
    EXPECT_EQ(count(ann->e(), "SELECT COUNT(*) FROM projects"), 1);
}

TEST_F(Sync, ManagerSeesProjectsSheIsNotInAndNonMembersNothing) {
    // Bob starts a project of his own in Ann's group; Ann is not a participant (R7).
    tick();
    const Id own =
        bob->e().create_project(bob->me, {{"group_id", group}, {"name", "Bob's own"}}).id;
    bob->e().create_action(bob->me, {{"project_id", own}, {"title", "Private-ish"}});
    bob->e().add_photo(bob->me, action, kPng, {});
    sync_all();
    ann->sync();
    EXPECT_EQ(ann->e().project_actions(ann->me, own).size(), 1U);
    EXPECT_EQ(ann->e().get_action(ann->me, action).photos.size(), 1U);
    // R13: Cat receives not one record of the group, and cannot fetch its blobs by hash.
    for (const char* table : {"groups", "projects", "actions", "photos", "blobs", "members",
                              "steps", "participants", "comments"}) {
        EXPECT_EQ(count(cat->e(), std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
    }
    const std::string hash = ann->e().get_action(ann->me, action).photos[0].blob;
    expect_error(Errc::not_found, [&] { authority->get_blob(cat->me, hash); });
    EXPECT_EQ(authority->get_blob(ann->me, hash), kPng);
}

TEST_F(Sync, PhotosTravelByHashBothWays) {
    tick();
    const Photo ph = bob->e().add_photo(bob->me, action, kPng, {{"caption", "before"}});
    bob->sync();
    EXPECT_EQ(server->read_blob(ann->me, ph.blob), kPng);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM sync_uploads"), 0);
    ann->sync();
    EXPECT_EQ(ann->e().read_blob(ann->me, ph.blob), kPng);
    tick();
    ann->e().remove_photo(ann->me, ph.id);
    ann->sync();
    bob->sync();
    EXPECT_EQ(count(bob->e(), "SELECT COUNT(*) FROM blobs"), 0);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM blobs"), 0);
}

TEST_F(Sync, AGroupDeletedOnTheServerLeavesEveryReplica) {
    tick();
    ann->e().delete_group(ann->me, group);
    ann->sync();
    bob->sync();
    for (Device* d : {ann.get(), bob.get()}) {
        EXPECT_EQ(count(d->e(), "SELECT COUNT(*) FROM groups"), 0);
        EXPECT_EQ(count(d->e(), "SELECT COUNT(*) FROM actions"), 0);
        EXPECT_EQ(count(d->e(), "SELECT COUNT(*) FROM sync_checkpoints WHERE bucket <> 'people'"),
                  0);
    }
}

TEST_F(Sync, ABucketGainedIsDownloadedWhole) {
    for (int i = 0; i < 30; ++i) {
        ann->e().create_action(ann->me,
                               {{"project_id", project}, {"title", "A" + std::to_string(i)}});
    }
    ann->sync();
    ann->e().add_member(ann->me, group, "cat@example.com");
    ann->sync();
    ann->e().add_participant(ann->me, project, cat->me.user_id);
    ann->sync();
    cat->replica->pull_limit = 7;  // many small pages
    cat->sync();
    EXPECT_EQ(cat->e().project_actions(cat->me, project).size(), 31U);
    EXPECT_EQ(cat->e().group_steps(cat->me, group).size(), 4U);
}

// A transport that loses the server's answer to the first push: the commands were applied, the
// replica does not know it, and pushes them again.
class LosingTransport : public sync::Transport {
  public:
    explicit LosingTransport(std::shared_ptr<sync::Transport> inner) : inner_(std::move(inner)) {}
    Json sign_in(const std::string& e, const std::string& p) override {
        return inner_->sign_in(e, p);
    }
    Json push(const std::string& t, const Json& r) override {
        Json answer = inner_->push(t, r);
        if (lose_next_push) {
            lose_next_push = false;
            throw Error(Errc::network, "connection reset");
        }
        return answer;
    }
    Json pull(const std::string& t, const Json& r) override {
        if (fail_pulls > 0) {
            --fail_pulls;
            throw Error(Errc::network, "connection reset");
        }
        return inner_->pull(t, r);
    }
    void put_blob(const std::string& t, const std::string& h,
                  const std::vector<unsigned char>& b) override {
        inner_->put_blob(t, h, b);
    }
    std::vector<unsigned char> get_blob(const std::string& t, const std::string& h) override {
        return inner_->get_blob(t, h);
    }
    bool lose_next_push = false;
    int fail_pulls = 0;

  private:
    std::shared_ptr<sync::Transport> inner_;
};

TEST_F(Sync, PushIsIdempotentWhenTheAnswerIsLost) {
    auto losing = std::make_shared<LosingTransport>(transport);
    bob->replica = std::make_unique<sync::Replica>(bob->e(), losing);
    tick();
    bob->e().add_comment(bob->me, action, {{"body", "once"}});
    bob->e().update_action(bob->me, action, {{"progress", 10}});
    losing->lose_next_push = true;
    expect_error(Errc::network, [&] { bob->sync(); });
    EXPECT_EQ(bob->status()["pending"], 2);
    EXPECT_EQ(bob->status()["last_error"]["code"], static_cast<int>(Errc::network));
    bob->sync();
    EXPECT_EQ(bob->status()["pending"], 0);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM comments"), 1);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM changes WHERE entity = 'comment'"), 1);
    EXPECT_EQ(bob->e().get_action(bob->me, action).comments.size(), 1U);
}

TEST_F(Sync, AReplicaKilledMidSyncResumesWithoutLossOrDoubles) {
    auto losing = std::make_shared<LosingTransport>(transport);
    tick();
    for (int i = 0; i < 25; ++i) {
        bob->e().create_action(bob->me,
                               {{"project_id", project}, {"title", "B" + std::to_string(i)}});
    }
    bob->replica = std::make_unique<sync::Replica>(bob->e(), losing);
    bob->replica->push_batch = 10;
    losing->fail_pulls = 1;
    expect_error(Errc::network, [&] { bob->sync(); });  // pushed everything, died in the pull
    reopen(*bob, 99);                                   // the app restarts
    EXPECT_EQ(bob->status()["pending"], 0);
    bob->sync();
    ann->sync();
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM actions"), 26);
    EXPECT_EQ(ann->e().project_actions(ann->me, project).size(), 26U);
    EXPECT_EQ(bob->e().project_actions(bob->me, project).size(), 26U);
}

TEST_F(Sync, AnExpiredSessionFailsAndSigningInAgainKeepsTheOutbox) {
    tick();
    bob->e().update_action(bob->me, action, {{"title", "while signed out"}});
    *now += 31LL * 24 * 3600 * 1000;  // past the 30-day session lifetime
    expect_error(Errc::session_expired, [&] { bob->sync(); });
    EXPECT_EQ(bob->status()["pending"], 1);
    EXPECT_EQ(bob->status()["last_error"]["code"], static_cast<int>(Errc::session_expired));
    bob->replica->sign_in("bob@example.com", kPassword);
    bob->sync();
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "while signed out");
    // A replica belongs to one user.
    expect_error(Errc::conflict, [&] { bob->replica->sign_in("ann@example.com", kPassword); });
}

// #8: no token in clear in either database. The replica seals the server's session token with a
// key kept in <database>.sync-key; the database file alone holds no usable token.
TEST_F(Sync, TheServerSessionTokenIsSealedInTheReplica) {
    auto& impl = bob->e().internals();
    const std::string stored = impl.read([&] {
        auto s = impl.db.prepare("SELECT token FROM sync_replica WHERE id = 1");
        EXPECT_TRUE(s.step());
        return s.text(0);
    });
    ASSERT_TRUE(sync::TokenVault::is_sealed(stored)) << "the token is stored in clear";
    const auto token = sync::TokenVault(bob->path).open(stored);
    ASSERT_TRUE(token.has_value());
    EXPECT_FALSE(token->empty());
    EXPECT_EQ(stored.find(*token), std::string::npos);
    bob->e().checkpoint();
    for (const std::string suffix : {"", "-wal"}) {
        std::ifstream in(bob->path + suffix, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(bytes.find(*token), std::string::npos) << "token in clear in " << bob->path << suffix;
    }
    // Reopened (the app restarted): the key file opens it, sync works.
    reopen(*bob, 77);
    bob->sync();
    // The key file lost (the database copied elsewhere): the session cannot be used; signing in
    // again works and keeps the outbox.
    tick();
    bob->e().update_action(bob->me, action, {{"title", "queued without a key"}});
    std::filesystem::remove(bob->path + ".sync-key");
    expect_error(Errc::not_signed_in, [&] { bob->sync(); });
    EXPECT_EQ(bob->status()["pending"], 1);
    bob->replica->sign_in("bob@example.com", kPassword);
    bob->sync();
    EXPECT_EQ(server->get_action(ann->me, action).action.title, "queued without a key");
    // A tampered value is refused the same way, never used. (The engine was reopened above.)
    auto& reopened = bob->e().internals();
    reopened.write(
        [&] { reopened.db.exec("UPDATE sync_replica SET token = 'v1:AAAA' WHERE id = 1"); });
    expect_error(Errc::not_signed_in, [&] { bob->sync(); });
}

TEST_F(Sync, MalformedPushesChangeNothing) {
    const std::string before_title = server->get_action(ann->me, action).action.title;
    const Json bad[] = {
        Json{{"commands", "x"}},
        Json{{"commands", Json::array({Json{{"id", "not-a-uuid"},
                                            {"command", "update_action"},
                                            {"args", Json::object()},
                                            {"hlc", "x"}}})}},
        Json{{"commands", Json::array({Json{{"id", server->new_id()},
                                            {"command", "sign_up"},
                                            {"args", Json::object()},
                                            {"hlc", "000000000000001-000000-ab"}}})}},
        Json{{"extra", 1}},
    };
    for (const auto& req : bad) {
        expect_error(Errc::invalid_argument, [&] { authority->push(ann->me, req); });
    }
    expect_error(Errc::invalid_argument, [&] { authority->pull(ann->me, Json{{"limit", 0}}); });
    expect_error(Errc::invalid_argument, [&] {
        authority->pull(ann->me, Json{{"checkpoints", Json{{"p:x", -1}}}});
    });
    EXPECT_EQ(server->get_action(ann->me, action).action.title, before_title);
}

}  // namespace
}  // namespace leandesk::synctest

namespace leandesk::synctest {
namespace {

// Pruning (docs/sync.md): after 90 days the server forgets command ids and field clocks; a command
// stamped before that is refused, so one whose id was forgotten is never applied twice.
TEST_F(Sync, CommandIdsAndClocksArePrunedAndOlderCommandsAreRefused) {
    auto losing = std::make_shared<LosingTransport>(transport);
    bob->replica = std::make_unique<sync::Replica>(bob->e(), losing);
    tick();
    bob->e().add_comment(bob->me, action, {{"body", "once"}});
    bob->e().update_action(bob->me, action, {{"title", "Bob's title"}});
    losing->lose_next_push = true;
    expect_error(Errc::network, [&] { bob->sync(); });  // applied, but bob never heard so
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM comments"), 1);
    const std::string bob_commands =
        "SELECT COUNT(*) FROM sync_commands WHERE user_id = '" + bob->me.user_id + "'";
    EXPECT_EQ(count(*server, bob_commands), 2);

    *now += 91LL * 24 * 3600 * 1000;
    ann->replica->sign_in("ann@example.com", kPassword);  // her session ended meanwhile
    ann->e().update_action(ann->me, action, {{"progress", 50}});
    ann->sync();  // her push prunes what is older than 90 days
    EXPECT_EQ(count(*server, bob_commands), 0);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM sync_field_clocks WHERE field = 'title'"), 0);
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM sync_field_clocks WHERE field = 'progress'"), 1);

    // Bob's old commands come again: their ids are forgotten, so they are refused, not re-run.
    bob->replica->sign_in("bob@example.com", kPassword);
    bob->sync();
    EXPECT_EQ(count(*server, "SELECT COUNT(*) FROM comments"), 1);
    EXPECT_EQ(bob->status()["pending"], 0);
    EXPECT_EQ(bob->status()["rejected"], 2);
    EXPECT_EQ(bob->e().get_action(bob->me, action).comments.size(), 1U);
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.title, "Bob's title");
    EXPECT_EQ(bob->e().get_action(bob->me, action).action.progress, 50);
}

}  // namespace
}  // namespace leandesk::synctest
